"""The areas each role may use, for the header of every page: a person sees where they can
go from anywhere, and nothing they may not open. URL names only, so the core imports no app."""

from django.urls import reverse

from encompass.models import Role


def _areas(user) -> list[tuple[str, str]]:
    role = user.role
    if role == Role.KEY_ADULT:
        return [("Notifications", reverse("notifications:inbox"))]
    if role == Role.COORDINATOR and user.partnership_id:
        pk = user.partnership_id
        return [
            ("Schools", reverse("schools:schools", args=[pk])),
            ("Key Adult problems", reverse("schools:problems", args=[pk])),
            ("Routing queue", reverse("routing:queue")),
            ("Statistics", reverse("statistics:index")),
            ("Operations", reverse("notifications:operations")),
        ]
    if role == Role.ANALYST:
        return [("Statistics", reverse("statistics:index"))]
    if role == Role.OFFICER:
        return [("Incidents", reverse("police:index"))]
    if role == Role.REVIEWER:
        return [
            ("Incidents", reverse("police:index")),
            ("Review queue", reverse("police:review")),
            ("Access record", reverse("access_log")),
        ]
    if role == Role.ADMIN:
        return [
            ("Administration", reverse("admin:index")),
            ("Statistics", reverse("statistics:index")),
            ("Operations", reverse("notifications:operations")),
        ]
    return []


def navigation(request):
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated or not getattr(user, "is_verified", lambda: False)():
        return {"navigation": []}
    path = request.path
    areas = _areas(user)
    # The longest matching address is the current area (/police/review/ over /police/).
    current = max((url for _, url in areas if path.startswith(url)), key=len, default=None)
    return {"navigation": [(label, url, url == current) for label, url in areas]}
