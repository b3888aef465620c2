"""Retention: what is due, and erasing or flagging it.

- Incident details (address, UPRN, risk, voice of the child, circumstances) are erased
  RETAIN_INCIDENT_DETAILS_YEARS after the incident, unless a school still holds a live copy
  (a notification that is neither withdrawn nor rejected): the school copy governs those.
- A child never notified to a school (no match, not of school age, routed elsewhere, or
  every notification withdrawn or rejected) has name, date of birth and UPN erased
  RETAIN_UNNOTIFIED_CHILD_YEARS after the incident.
- A school's copy (notification, child, support log) is kept until the child's
  SCHOOL_COPY_REVIEW_AGE-th birthday, then flagged for review once (an event).

Rows, statuses, schools and dates stay, so statistics keep their counts."""

import operator
from dataclasses import dataclass
from datetime import date, datetime
from functools import reduce

from django.conf import settings
from django.db import transaction
from django.db.models import CharField, Exists, OuterRef, Q, QuerySet
from django.db.models.functions import Cast
from django.utils import timezone

from encompass.events import event_record
from encompass.models import Event
from incidents.models import Incident, IncidentChild
from notifications.models import GONE, Notification

INCIDENT_DETAILS = {
    "address_line1": "",
    "address_line2": "",
    "town": "",
    "postcode": "",
    "uprn": "",
    "risk": "",
    "voice_of_child": "",
    "circumstances": "",
}
CHILD_DETAILS = {"first_name": "", "last_name": "", "dob": None, "upn": "", "relationship": ""}


@dataclass
class Due:
    incident_details: QuerySet
    unnotified_children: QuerySet
    school_copies_for_review: QuerySet

    def counts(self) -> dict[str, int]:
        return {name: qs.count() for name, qs in vars(self).items()}


def _years_before(moment: datetime, years: int) -> datetime:
    try:
        return moment.replace(year=moment.year - years)
    except ValueError:  # 29 February
        return moment.replace(year=moment.year - years, day=28)


def _live_copy(child_ref: str):
    return Exists(Notification.objects.filter(**{"child": OuterRef(child_ref)}).exclude(status__in=GONE))


def retention_due(*, now: datetime | None = None) -> Due:
    now = now or timezone.now()
    details_cutoff = _years_before(now, settings.RETAIN_INCIDENT_DETAILS_YEARS)
    child_cutoff = _years_before(now, settings.RETAIN_UNNOTIFIED_CHILD_YEARS)
    live_children = IncidentChild.objects.filter(incident=OuterRef("pk")).filter(_live_copy("pk"))
    has_details = reduce(operator.or_, (~Q(**{field: ""}) for field in INCIDENT_DETAILS))
    return Due(
        incident_details=Incident.objects.filter(occurred_at__lt=details_cutoff)
        .filter(has_details)
        .exclude(Exists(live_children)),
        unnotified_children=IncidentChild.objects.filter(incident__occurred_at__lt=child_cutoff)
        .exclude(first_name="", last_name="", dob__isnull=True)
        .exclude(_live_copy("pk")),
        school_copies_for_review=_school_copies_due(now.date()),
    )


def _school_copies_due(today: date) -> QuerySet:
    born_before = today.replace(year=today.year - settings.SCHOOL_COPY_REVIEW_AGE)
    flagged = Event.objects.filter(
        verb="retention.review_due",
        object_type="notifications.notification",
        object_id=Cast(OuterRef("pk"), CharField()),
    )
    return Notification.objects.filter(child__dob__lte=born_before).exclude(Exists(flagged))


@transaction.atomic
def retention_apply(*, now: datetime | None = None) -> dict[str, int]:
    due = retention_due(now=now)
    counts = due.counts()
    for incident in due.incident_details.select_for_update():
        Incident.objects.filter(pk=incident.pk).update(**INCIDENT_DETAILS)
        event_record(verb="retention.incident_details_erased", obj=incident)
    for child in due.unnotified_children.select_for_update():
        IncidentChild.objects.filter(pk=child.pk).update(**CHILD_DETAILS)
        event_record(verb="retention.child_details_erased", obj=child)
    for notification in due.school_copies_for_review:
        event_record(verb="retention.review_due", obj=notification, school=notification.school_id)
    return counts
