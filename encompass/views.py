from django.db import connection
from django.http import JsonResponse
from django.shortcuts import redirect, render

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
