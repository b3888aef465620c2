from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from django.db.models import CharField, Q, QuerySet
from django.db.models.functions import Cast

from encompass.models import Event
from incidents.models import Incident, IncidentChild
from notifications.models import Notification

LONDON = ZoneInfo("Europe/London")


def _ids(queryset) -> QuerySet:
    return queryset.annotate(id_text=Cast("pk", CharField())).values("id_text")


def events_for_force(*, force, start: date, end: date) -> QuerySet[Event]:
    """The record of access to one force's data (incidents, their children and the schools'
    notifications), from the start of `start` to the end of `end`, London time."""
    incidents = Incident.objects.filter(force=force)
    children = IncidentChild.objects.filter(incident__force=force)
    notifications = Notification.objects.filter(child__incident__force=force)
    scope = (
        Q(object_type="incidents.incident", object_id__in=_ids(incidents))
        | Q(object_type="incidents.incidentchild", object_id__in=_ids(children))
        | Q(object_type="notifications.notification", object_id__in=_ids(notifications))
    )
    since = datetime.combine(start, time.min, tzinfo=LONDON)
    until = datetime.combine(end + timedelta(days=1), time.min, tzinfo=LONDON)
    return (
        Event.objects.filter(scope, at__gte=since, at__lt=until).select_related("actor").order_by("at", "pk")
    )
