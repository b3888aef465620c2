from django.http import Http404, HttpResponse
from django.shortcuts import render

from encompass import reauth
from encompass.access_log import access_log_write_csv
from encompass.events import client_ip, event_record
from encompass.models import Role
from police.forms import AccessLogForm
from police.selectors import events_for_force


def access_log(request):
    """The force's Encompass team (police reviewers) and administrators export the record of
    access to the force's data for a date range."""
    user = request.user
    if not (user.role == Role.REVIEWER or user.is_superuser):
        raise Http404
    if not reauth.reauth_is_fresh(request):
        return reauth.reauth_redirect(request)
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
