"""The police's pages besides the officer's admin site: the review queue inside the police
site at /police/review/ (children the matcher was unsure about, and children a school returned
as 'not our pupil', each beside its candidates; reviewers of the child's force only, everyone
else 404), and the force's record of access."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse

from encompass import reauth
from encompass.access_log import access_log_write_csv
from encompass.events import client_ip, event_record
from encompass.models import Role
from incidents import review_selectors
from police.forms import NONE, AccessLogForm, ReviewForm
from police.selectors import events_for_force
from police.services import child_review_confirm, child_review_confirm_registered, child_review_reject

REGISTER_CHOICE = "register-"


def review_list(request, site):
    children = list(review_selectors.children_for_review(request.user))
    for child in children:
        child.reason_in_words = review_selectors.review_reason((child.match_detail or {}).get("reason", ""))
    unrouted = list(review_selectors.decisions_unrouted(request.user)[:200])
    context = {
        **site.each_context(request),
        "title": "Children to review",
        "children": children,
        "unrouted": unrouted,
    }
    return render(request, "police/review_list.html", context)


def review_child(request, site, child_pk: int):
    child = review_selectors.child_for_review(request.user, child_pk)
    rows, columns = review_selectors.review_comparison(child)
    form = ReviewForm(request.POST or None, choices=[col.choice for col in columns])
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
        "title": f"Review {child.first_name} {child.last_name}, incident {child.incident.reference}",
        "child": child,
        "reason": review_selectors.review_reason((child.match_detail or {}).get("reason", "")),
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
    chosen = data["decision"]
    if chosen.startswith(REGISTER_CHOICE):
        decision = child_review_confirm_registered(
            child=child, registered_child_id=int(chosen.removeprefix(REGISTER_CHOICE)),
            reason=data["reason"], actor=request.user,
        )  # fmt: skip
    else:
        decision = child_review_confirm(
            child=child, pupil_id=int(chosen), reason=data["reason"], actor=request.user
        )
    if decision.outcome == "matched":
        return f"Child {child.pk}: matched, {decision.school.name} is being told."
    return f"Child {child.pk}: {decision.get_outcome_display().lower()}, routed to a coordinator."


def access_log(request):
    """The force's Encompass team (police reviewers) and administrators export the record of
    access to the force's data for a date range."""
    user = request.user
    if not (user.role == Role.REVIEWER or user.is_superuser):
        raise Http404
    return _access_log_export(request)


@reauth.reauth_required
def _access_log_export(request):
    user = request.user
    form = AccessLogForm(request.GET or None, user=user)
    if not form.is_valid():
        return render(request, "pages/access_log.html", {"form": form}, status=400 if request.GET else 200)
    force = form.cleaned_data.get("force") or user.force
    start, end = form.cleaned_data["start"], form.cleaned_data["end"]
    response = HttpResponse(content_type="text/csv")
    response["Content-Disposition"] = f'attachment; filename="access-log-{force.code}-{start}-{end}.csv"'
    rows = access_log_write_csv(events_for_force(force=force, start=start, end=end), response)
    event_record(
        verb="access_log.exported",
        obj=force,
        actor=user,
        ip_address=client_ip(request),
        purpose="record of access (DPA 2018 s. 62)",
        start=str(start),
        end=str(end),
        rows=rows,
    )
    return response
