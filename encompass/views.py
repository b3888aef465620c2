from django.db import connection
from django.http import JsonResponse
from django.shortcuts import redirect, render

from encompass import reauth
from encompass.events import client_ip, event_record
from encompass.forms import ReauthForm
from encompass.models import Role

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
