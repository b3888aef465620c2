"""The coordinator's routing queue at /routing/: children of the partnership's area that no
school was told about (no match, not of school age, school not participating, out of area),
each with its reason, to act on and mark handled. Coordinators of that partnership only."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from incidents import review_selectors as selectors
from incidents.forms import HandledForm, PassOnForm
from incidents.match_services import match_decision_handle, match_decision_pass_on
from incidents.models import MatchStatus

WHAT_TO_DO = {
    MatchStatus.NO_MATCH: "Check the child's details with the police and the census, then tell the school.",
    MatchStatus.NOT_SCHOOL_AGE: "Tell the early years team or health visitors, if your partnership does.",
    MatchStatus.NOT_PARTICIPATING: "Tell the school by phone or secure e-mail, and invite it to join.",
    MatchStatus.OUT_OF_AREA: "Tell the Operation Encompass lead of the child's local authority.",
    MatchStatus.HOME_EDUCATED: "Tell the local authority's elective home education team.",
}


def _age_on(dob, day) -> int | None:
    if dob is None:
        return None
    return day.year - dob.year - ((day.month, day.day) < (dob.month, dob.day))


def _row(decision):
    child = decision.child
    on = child.incident.occurred_at.date()
    decision.age = _age_on(child.dob, on) if child.dob else child.estimated_age
    decision.last_known_school = decision.school or child.known_school
    decision.area = " ".join(filter(None, [child.incident.town, child.incident.postcode.split(" ")[0]]))
    decision.what_to_do = WHAT_TO_DO.get(decision.outcome, "")
    return decision


def queue(request):
    decisions = [
        _row(d)
        for d in selectors.decisions_routed_to(request.user).select_related("child__known_school")[:500]
    ]
    context = {
        "waiting": [d for d in decisions if d.handled_at is None],
        "handled": [d for d in decisions if d.handled_at is not None][:50],
    }
    return render(request, "routing/queue.html", context)


@require_POST
def handle(request, decision_pk: int):
    decision = selectors.decision_for_coordinator(request.user, decision_pk)
    form = HandledForm(request.POST)
    try:
        if not form.is_valid():
            raise ValidationError("Say what was done before marking the child handled.")
        match_decision_handle(decision=decision, note=form.cleaned_data["note"], actor=request.user)
    except ValidationError as error:
        messages.error(request, error.messages[0])
    else:
        messages.success(request, f"Child {decision.child_id} marked handled.")
    return redirect("routing:queue")


def pass_on(request, decision_pk: int):
    """Record that the child was passed on: to whom and how (the police see it)."""
    decision = selectors.decision_for_coordinator(request.user, decision_pk)
    if decision.handled_at is not None:
        messages.success(request, f"Child {decision.child_id} was already handled.")
        return redirect("routing:queue")
    form = PassOnForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        match_decision_pass_on(decision=decision, actor=request.user, **form.cleaned_data)
        messages.success(request, f"Child {decision.child_id} passed on to {form.cleaned_data['passed_to']}.")
        return redirect("routing:queue")
    context = {"decision": _row(decision), "form": form}
    return render(request, "routing/pass_on.html", context, status=400 if form.errors else 200)
