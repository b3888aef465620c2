"""Keeping NotificationStatistic (one row of facts per notification) in step with the
notifications, children, incidents, schools and events it copies from.

Every `save()` of those models refreshes the rows concerned (signals below). Bulk
`QuerySet.update()` bypasses signals: code that changes notifications in bulk calls
`notification_statistics_refresh` itself, and `manage.py statistics_rebuild` (run nightly by
Celery beat) rebuilds the whole table in one statement on PostgreSQL."""

import math
from zoneinfo import ZoneInfo

from django.db import connection, transaction
from django.db.models.signals import post_save
from django.dispatch import receiver

from encompass.models import Event
from incidents.models import Incident, IncidentChild
from notifications.models import Notification, NotificationStatistic
from schools.models import LocalAuthority, School

LONDON = ZoneInfo("Europe/London")
ESCALATION_VERB_PREFIX = "notification.escalated"
FIELDS = [
    "partnership_id",
    "local_authority_id",
    "school_id",
    "phase",
    "incident_id",
    "pupil_id",
    "occurred_on",
    "status",
    "delivery_seconds",
    "acknowledgement_seconds",
    "acknowledged_in_time",
    "escalated",
]
SOURCE = {
    "pk": "pk",
    "school_id": "school_id",
    "local_authority_id": "school__local_authority_id",
    "partnership_id": "school__local_authority__partnership_id",
    "phase": "school__phase",
    "incident_id": "child__incident_id",
    "pupil_id": "child__pupil_id",
    "occurred_at": "child__incident__occurred_at",
    "status": "status",
    "delivered_at": "delivered_at",
    "acknowledged_at": "acknowledged_at",
    "due_at": "due_at",
    "escalation_step": "escalation_step",
}


def seconds_between(start, end) -> int | None:
    if start is None or end is None:
        return None
    return math.floor((end - start).total_seconds())


def statistic_from(row: dict, escalated_by_event: set[str]) -> NotificationStatistic:
    acknowledged_at = row["acknowledged_at"]
    return NotificationStatistic(
        notification_id=row["pk"],
        partnership_id=row["partnership_id"],
        local_authority_id=row["local_authority_id"],
        school_id=row["school_id"],
        phase=row["phase"],
        incident_id=row["incident_id"],
        pupil_id=row["pupil_id"],
        occurred_on=row["occurred_at"].astimezone(LONDON).date(),
        status=row["status"],
        delivery_seconds=seconds_between(row["occurred_at"], row["delivered_at"]),
        acknowledgement_seconds=seconds_between(row["delivered_at"], acknowledged_at),
        acknowledged_in_time=acknowledged_at is not None and acknowledged_at <= row["due_at"],
        escalated=row["escalation_step"] > 0 or str(row["pk"]) in escalated_by_event,
    )


def notification_statistics_refresh(*, notification_ids) -> int:
    """Recompute the statistics rows of these notifications (Python, any database)."""
    ids = list(notification_ids)
    if not ids:
        return 0
    rows = [
        dict(zip(SOURCE, values, strict=True))
        for values in Notification.objects.filter(pk__in=ids).values_list(*SOURCE.values())
    ]
    escalated = set(
        Event.objects.filter(
            object_type=Notification._meta.label_lower,
            object_id__in=[str(i) for i in ids],
            verb__startswith=ESCALATION_VERB_PREFIX,
        ).values_list("object_id", flat=True)
    )
    NotificationStatistic.objects.bulk_create(
        [statistic_from(row, escalated) for row in rows],
        update_conflicts=True,
        unique_fields=["notification"],
        update_fields=FIELDS,
    )
    return len(rows)


@transaction.atomic
def notification_statistics_rebuild(*, batch: int = 2000) -> int:
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute(REBUILD_SQL)
            return cursor.rowcount
    NotificationStatistic.objects.all().delete()
    ids = list(Notification.objects.order_by("pk").values_list("pk", flat=True))
    for i in range(0, len(ids), batch):
        notification_statistics_refresh(notification_ids=ids[i : i + batch])
    return len(ids)


# The same rules as `statistic_from`, in one statement (a test checks they agree). Only
# table names and constants are interpolated.
REBUILD_SQL = f"""
DELETE FROM {NotificationStatistic._meta.db_table};
INSERT INTO {NotificationStatistic._meta.db_table} (notification_id, {", ".join(FIELDS)})
SELECT n.id, la.partnership_id, s.local_authority_id, s.id, s.phase, c.incident_id, c.pupil_id,
       (i.occurred_at AT TIME ZONE 'Europe/London')::date, n.status,
       floor(extract(epoch FROM n.delivered_at - i.occurred_at))::int,
       floor(extract(epoch FROM n.acknowledged_at - n.delivered_at))::int,
       coalesce(n.acknowledged_at <= n.due_at, false),
       n.escalation_step > 0 OR EXISTS (
           SELECT 1 FROM {Event._meta.db_table} e
           WHERE e.object_type = '{Notification._meta.label_lower}' AND e.object_id = n.id::text
             AND e.verb LIKE '{ESCALATION_VERB_PREFIX}%')
FROM {Notification._meta.db_table} n
JOIN {IncidentChild._meta.db_table} c ON c.id = n.child_id
JOIN {Incident._meta.db_table} i ON i.id = c.incident_id
JOIN {School._meta.db_table} s ON s.id = n.school_id
JOIN {LocalAuthority._meta.db_table} la ON la.id = s.local_authority_id
"""  # noqa: S608


@receiver(post_save, sender=Notification, dispatch_uid="statistics_notification")
def _notification_saved(sender, instance, raw=False, **kwargs):
    if not raw:
        notification_statistics_refresh(notification_ids=[instance.pk])


@receiver(post_save, sender=IncidentChild, dispatch_uid="statistics_child")
def _child_saved(sender, instance, raw=False, created=False, **kwargs):
    if not raw and not created:
        _refresh(Notification.objects.filter(child=instance))


@receiver(post_save, sender=Incident, dispatch_uid="statistics_incident")
def _incident_saved(sender, instance, raw=False, created=False, **kwargs):
    if not raw and not created:
        _refresh(Notification.objects.filter(child__incident=instance))


@receiver(post_save, sender=School, dispatch_uid="statistics_school")
def _school_saved(sender, instance, raw=False, created=False, **kwargs):
    if not raw and not created:
        NotificationStatistic.objects.filter(school_id=instance.pk).update(
            local_authority_id=instance.local_authority_id,
            partnership_id=instance.local_authority.partnership_id,
            phase=instance.phase,
        )


@receiver(post_save, sender=LocalAuthority, dispatch_uid="statistics_local_authority")
def _local_authority_saved(sender, instance, raw=False, created=False, **kwargs):
    if not raw and not created:
        NotificationStatistic.objects.filter(local_authority_id=instance.pk).update(
            partnership_id=instance.partnership_id
        )


@receiver(post_save, sender=Event, dispatch_uid="statistics_escalation")
def _event_saved(sender, instance, raw=False, created=False, **kwargs):
    if (
        not raw
        and instance.verb.startswith(ESCALATION_VERB_PREFIX)
        and instance.object_type == Notification._meta.label_lower
    ):
        notification_statistics_refresh(notification_ids=[int(instance.object_id)])


def _refresh(notifications) -> None:
    notification_statistics_refresh(notification_ids=notifications.values_list("pk", flat=True))
