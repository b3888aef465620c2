from django.db import connection
from django.http import Http404, HttpResponse, JsonResponse
from django.shortcuts import redirect, render

from encompass import reauth
from encompass.access_log import access_log_write_csv
from encompass.events import client_ip, event_record
from encompass.forms import AccessLogForm, ReauthForm
from encompass.models import Role
from encompass.selectors import events_for_force
from schools.models import Partnership

# The agreement text on the page is this version; partnerships start on it.
AGREEMENT_VERSION = Partnership._meta.get_field("agreement_version").default

HOME_BY_ROLE = {
    Role.OFFICER: "police:index",
    Role.REVIEWER: "police:index",
    Role.KEY_ADULT: "notifications:inbox",
    Role.COORDINATOR: "statistics:index",
    Role.ANALYST: "statistics:index",
    Role.ADMIN: "admin:index",
}


def home(request):
    return redirect(HOME_BY_ROLE[request.user.role])


def healthz(request):
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
    return JsonResponse({"status": "ok"})


def accessibility(request):
    return render(request, "pages/accessibility.html")


def privacy(request):
    return render(request, "pages/privacy.html")


def agreement(request):
    return render(request, "pages/agreement.html", {"version": AGREEMENT_VERSION})


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


def reauthenticate(request):
    form = ReauthForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        if reauth.reauth_confirm(request, form.cleaned_data["code"]):
            event_record(
                verb="user.reauthenticated",
                obj=request.user,
                actor=request.user,
                ip_address=client_ip(request),
            )
            return redirect(reauth.safe_next(request))
        form.add_error(
            "code", "The code is not right: enter the current 6-digit code from your authenticator app"
        )
    context = {"form": form, "next": reauth.safe_next(request)}
    return render(request, "pages/reauth.html", context, status=400 if form.errors else 200)
