"""The police review queue, inside the police site at /police/review/: children the matcher
was unsure about (and children a school returned as 'not our pupil'), each beside its
candidates. Reviewers of the child's force only; officers and everyone else get 404."""

from django import forms
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse

from incidents import review_selectors as selectors
from incidents.match_services import child_review_confirm, child_review_reject

NONE = "none"


class ReviewForm(forms.Form):
    decision = forms.ChoiceField(label="Which pupil is this child?", widget=forms.RadioSelect)
    reason = forms.CharField(
        label="Why",
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=1000,
        help_text="Kept with the decision.",
    )

    def __init__(self, *args, pupil_ids=(), **kwargs):
        super().__init__(*args, **kwargs)
        choices = [(str(pk), f"Candidate {n}") for n, pk in enumerate(pupil_ids, 1)]
        self.fields["decision"].choices = [*choices, (NONE, "None of these pupils")]


def review_list(request, site):
    children = list(selectors.children_for_review(request.user))
    unrouted = list(selectors.decisions_unrouted(request.user)[:200])
    context = {
        **site.each_context(request),
        "title": "Children to review",
        "children": children,
        "unrouted": unrouted,
    }
    return render(request, "police/review_list.html", context)


def review_child(request, site, child_pk: int):
    child = selectors.child_for_review(request.user, child_pk)
    rows, columns = selectors.review_comparison(child)
    form = ReviewForm(request.POST or None, pupil_ids=[col.pupil.pk for col in columns])
    if request.method == "POST" and form.is_valid():
        try:
            message = _decide(request, child, form.cleaned_data)
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, message)
            return HttpResponseRedirect(reverse("police:review"))
    context = {
        **site.each_context(request),
        "title": f"Review child {child.pk} of incident {child.incident.reference}",
        "child": child,
        "rows": rows,
        "columns": columns,
        "returned": (child.match_detail or {}).get("returned_by_school"),
        "form": form,
    }
    return render(request, "police/review_child.html", context, status=400 if form.errors else 200)


def _decide(request, child, data) -> str:
    if data["decision"] == NONE:
        decision = child_review_reject(child=child, reason=data["reason"], actor=request.user)
        where = decision.routed_to.name if decision.routed_to else "no partnership (no area found)"
        return f"Child {child.pk}: no match, routed to {where}."
    decision = child_review_confirm(
        child=child, pupil_id=int(data["decision"]), reason=data["reason"], actor=request.user
    )
    if decision.outcome == "matched":
        return f"Child {child.pk}: matched, {decision.school.name} is being told."
    return f"Child {child.pk}: {decision.get_outcome_display().lower()}, routed to a coordinator."
