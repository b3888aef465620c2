"""Keeping the statistics tables in step with what they copy from:

- NotificationStatistic (one row of facts per notification) with the notifications,
  children, incidents, schools, support actions and escalation events;
- ChildStatistic (one row per child of a submitted incident that has a school) with the
  children, incidents, schools and review events.

The services that change those records call `notification_statistics_refresh` /
`child_statistics_refresh` themselves, in the same transaction (notifications/services.py,
notifications/delivery.py, police/services.py): no signals, so the call chain shows every
statistics write. Schools moving authority or phase are followed by
`statistics_follow_schools` (beat, every few minutes), and `manage.py statistics_rebuild`
(run nightly by Celery beat) rebuilds both tables, in one statement each on PostgreSQL."""

import math
from collections import defaultdict

from django.db import connection, transaction
from django.db.models import Count

from encompass.london import LONDON
from encompass.models import Event
from incidents.models import Incident, IncidentChild, IncidentStatus, MatchStatus
from notifications.models import (
    ChildStatistic,
    Notification,
    NotificationKind,
    NotificationStatistic,
    SupportAction,
)
from schools.models import LocalAuthority, School

# Every step of the escalation policy records an event "escalation.<step>" (services.py).
ESCALATION_VERB_PREFIX = "escalation."
REVIEW_EVENT_PREFIX = "child.review"
REVIEW_DETAIL_KEY = "review"
MATCHED_AUTO, MATCHED_REVIEW = "matched_auto", "matched_review"
SUPPORT_FIELDS = NotificationStatistic.SUPPORT_FIELDS
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
    *SUPPORT_FIELDS.values(),
]
CHILD_FIELDS = ["partnership_id", "local_authority_id", "school_id", "phase", "occurred_on", "outcome"]
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


def statistic_from(row: dict, escalated_by_event: set[str], support: dict[str, int]) -> NotificationStatistic:
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
        **{field: support.get(kind, 0) for kind, field in SUPPORT_FIELDS.items()},
    )


def notification_statistics_refresh(*, notification_ids) -> int:
    """Recompute the statistics rows of these notifications (Python, any database)."""
    ids = list(notification_ids)
    if not ids:
        return 0
    rows = [
        dict(zip(SOURCE, values, strict=True))
        # A transfer repeats earlier notifications to a new school: counted on its own
        # (transfer_figures), never as another notification.
        for values in Notification.objects.filter(pk__in=ids, kind=NotificationKind.INCIDENT).values_list(
            *SOURCE.values()
        )
    ]
    escalated = set(_objects_with_events(Notification, ids, ESCALATION_VERB_PREFIX))
    support = defaultdict(dict)
    for notification_id, kind, n in (
        SupportAction.objects.filter(notification_id__in=ids, corrected_by__isnull=True)
        .values_list("notification_id", "kind")
        .annotate(n=Count("pk"))
        .order_by()
    ):
        support[notification_id][kind] = n
    NotificationStatistic.objects.bulk_create(
        [statistic_from(row, escalated, support[row["pk"]]) for row in rows],
        update_conflicts=True,
        unique_fields=["notification"],
        update_fields=FIELDS,
    )
    return len(rows)


def child_outcome(match_status: str, match_detail, reviewed_by_event: bool) -> str:
    if match_status != MatchStatus.MATCHED:
        return match_status
    reviewed = reviewed_by_event or (isinstance(match_detail, dict) and REVIEW_DETAIL_KEY in match_detail)
    return MATCHED_REVIEW if reviewed else MATCHED_AUTO


def child_statistics_refresh(*, child_ids) -> int:
    """Recompute the match-outcome rows of these children: a child of a submitted incident
    with a routing or named school has one; any other has none."""
    ids = list(child_ids)
    if not ids:
        return 0
    children = list(
        IncidentChild.objects.filter(pk__in=ids, incident__status=IncidentStatus.SUBMITTED).values_list(
            "pk", "school_id", "known_school_id", "match_status", "match_detail", "incident__occurred_at"
        )
    )
    children = [(pk, school or known, *rest) for pk, school, known, *rest in children if school or known]
    schools = {
        pk: (partnership, la, phase)
        for pk, la, partnership, phase in School.objects.filter(pk__in={c[1] for c in children}).values_list(
            "pk", "local_authority_id", "local_authority__partnership_id", "phase"
        )
    }
    reviewed = set(_objects_with_events(IncidentChild, [c[0] for c in children], REVIEW_EVENT_PREFIX))
    rows = [
        ChildStatistic(
            child_id=pk,
            partnership_id=schools[school][0],
            local_authority_id=schools[school][1],
            school_id=school,
            phase=schools[school][2],
            occurred_on=occurred_at.astimezone(LONDON).date(),
            outcome=child_outcome(status, detail, str(pk) in reviewed),
        )
        for pk, school, status, detail, occurred_at in children
    ]
    ChildStatistic.objects.filter(child_id__in=ids).exclude(child_id__in=[r.child_id for r in rows]).delete()
    ChildStatistic.objects.bulk_create(
        rows, update_conflicts=True, unique_fields=["child"], update_fields=CHILD_FIELDS
    )
    return len(rows)


def _objects_with_events(model, ids, verb_prefix: str):
    return Event.objects.filter(
        object_type=model._meta.label_lower,
        object_id__in=[str(i) for i in ids],
        verb__startswith=verb_prefix,
    ).values_list("object_id", flat=True)


@transaction.atomic
def notification_statistics_rebuild(*, batch: int = 2000) -> int:
    """Rebuild both statistics tables; returns the number of notification rows."""
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute(CHILD_REBUILD_SQL)
            cursor.execute(REBUILD_SQL)
            return cursor.rowcount
    ChildStatistic.objects.all().delete()
    NotificationStatistic.objects.all().delete()
    for rows, refresh, key in (
        (IncidentChild.objects.all(), child_statistics_refresh, "child_ids"),
        (
            Notification.objects.filter(kind=NotificationKind.INCIDENT),
            notification_statistics_refresh,
            "notification_ids",
        ),
    ):
        ids = list(rows.order_by("pk").values_list("pk", flat=True))
        for i in range(0, len(ids), batch):
            refresh(**{key: ids[i : i + batch]})
    return len(ids)


# The same rules as `statistic_from` and `child_statistics_refresh`, one statement each (a
# test checks they agree). Only table names and constants are interpolated.
_SUPPORT_COUNTS = ", ".join(
    f"count(*) FILTER (WHERE a.kind = '{kind}') AS {field}" for kind, field in SUPPORT_FIELDS.items()
)
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
             AND e.verb LIKE '{ESCALATION_VERB_PREFIX}%'),
       {", ".join(f"coalesce(support.{field}, 0)" for field in SUPPORT_FIELDS.values())}
FROM {Notification._meta.db_table} n
JOIN {IncidentChild._meta.db_table} c ON c.id = n.child_id
JOIN {Incident._meta.db_table} i ON i.id = c.incident_id
JOIN {School._meta.db_table} s ON s.id = n.school_id
JOIN {LocalAuthority._meta.db_table} la ON la.id = s.local_authority_id
LEFT JOIN (
    SELECT a.notification_id, {_SUPPORT_COUNTS}
    FROM {SupportAction._meta.db_table} a
    WHERE NOT EXISTS (SELECT 1 FROM {SupportAction._meta.db_table} b WHERE b.corrects_id = a.id)
    GROUP BY a.notification_id
) support ON support.notification_id = n.id
WHERE n.kind = '{NotificationKind.INCIDENT}'
"""  # noqa: S608

CHILD_REBUILD_SQL = f"""
DELETE FROM {ChildStatistic._meta.db_table};
INSERT INTO {ChildStatistic._meta.db_table} (child_id, {", ".join(CHILD_FIELDS)})
SELECT c.id, la.partnership_id, s.local_authority_id, s.id, s.phase,
       (i.occurred_at AT TIME ZONE 'Europe/London')::date,
       CASE
           WHEN c.match_status <> '{MatchStatus.MATCHED}' THEN c.match_status
           WHEN jsonb_exists(c.match_detail, '{REVIEW_DETAIL_KEY}') OR EXISTS (
               SELECT 1 FROM {Event._meta.db_table} e
               WHERE e.object_type = '{IncidentChild._meta.label_lower}' AND e.object_id = c.id::text
                 AND e.verb LIKE '{REVIEW_EVENT_PREFIX}%') THEN '{MATCHED_REVIEW}'
           ELSE '{MATCHED_AUTO}'
       END
FROM {IncidentChild._meta.db_table} c
JOIN {Incident._meta.db_table} i ON i.id = c.incident_id AND i.status = '{IncidentStatus.SUBMITTED}'
JOIN {School._meta.db_table} s ON s.id = coalesce(c.school_id, c.known_school_id)
JOIN {LocalAuthority._meta.db_table} la ON la.id = s.local_authority_id
"""  # noqa: S608


def statistics_follow_schools() -> int:
    """Bring the rows' copy of each school's authority, partnership and phase up to date.
    Reference data sits below this app and cannot call it, so beat runs this every few
    minutes (and the nightly rebuild does it too); returns the number of schools moved."""
    schools = {
        pk: (partnership, la, phase)
        for pk, la, partnership, phase in School.objects.values_list(
            "pk", "local_authority_id", "local_authority__partnership_id", "phase"
        )
    }
    moved = set()
    for model in (NotificationStatistic, ChildStatistic):
        copied = model.objects.values_list("school_id", "partnership_id", "local_authority_id", "phase")
        for school_id, *copy in copied.distinct().order_by():
            now = schools.get(school_id)
            if now is not None and tuple(copy) != now:
                partnership_id, local_authority_id, phase = now
                model.objects.filter(school_id=school_id).update(
                    partnership_id=partnership_id, local_authority_id=local_authority_id, phase=phase
                )
                moved.add(school_id)
    return len(moved)
