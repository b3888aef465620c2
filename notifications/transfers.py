"""A child who moves school: the safeguarding file follows (Keeping Children Safe in Education).

The census import (schools, a lower layer) only records each new enrolment (Enrolment.recorded_at,
filled by the database). Here, after an import and every 10 minutes from beat, the enrolments
recorded lately are read: a pupil with notifications from the last TRANSFER_MONTHS at another
school, newly enrolled at a participating school, gets a "transfer" notification at that school
carrying the earlier notifications (as the partnerships' sharing allows); a move to a school
not on Encompass goes to the coordinator. The old school keeps its copy. One Transfer per
enrolment (a unique key), so a census imported again never sends a second; each transfer is
written with its notification and queued alerts in one transaction (the outbox).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, timedelta

from dateutil.relativedelta import relativedelta
from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils import timezone

from encompass.events import event_record
from notifications.models import LIVE, Notification, NotificationKind, SupportAction, Transfer, TransferStatus
from notifications.selectors import shared_fields_at
from notifications.services import notification_create
from schools.models import Enrolment, Partnership, SharingLevel


def history_since(now: datetime) -> datetime:
    return now - relativedelta(months=settings.TRANSFER_MONTHS)


def pupil_history(*, pupil_id: int, school_id: int, now: datetime) -> list[Notification]:
    """The pupil's notifications of the last TRANSFER_MONTHS held at other schools (live or
    acknowledged, transfers themselves left out), latest incident first."""
    return list(
        Notification.objects.filter(
            child__pupil_id=pupil_id,
            kind=NotificationKind.INCIDENT,
            status__in=LIVE,
            created_at__gte=history_since(now),
        )
        .exclude(school_id=school_id)
        .select_related("child__incident", "school__local_authority__partnership")
        .order_by("-child__incident__occurred_at", "-pk")
    )


def transfers_find(*, now: datetime | None = None) -> int:
    """Make the transfers of enrolments the census recorded in the last TRANSFER_SCAN_DAYS:
    two queries when nobody moved. Returns how many were made."""
    now = now or timezone.now()
    notified = Notification.objects.filter(
        kind=NotificationKind.INCIDENT, status__in=LIVE, created_at__gte=history_since(now)
    ).values("child__pupil_id")
    enrolments = (
        Enrolment.objects.filter(
            recorded_at__gte=now - timedelta(days=settings.TRANSFER_SCAN_DAYS), pupil_id__in=notified
        )
        .filter(Q(leaving_date__isnull=True) | Q(leaving_date__gte=timezone.localdate(now)))
        .exclude(pk__in=Transfer.objects.values("enrolment_id"))
        .select_related("school__local_authority__partnership")
        .order_by("recorded_at", "pk")
    )
    return sum(1 for enrolment in enrolments if transfer_create(enrolment=enrolment, now=now) is not None)


def transfer_create(*, enrolment: Enrolment, now: datetime | None = None) -> Transfer | None:
    """The transfer for this enrolment, made once; None when the pupil has no history elsewhere."""
    now = now or timezone.now()
    history = pupil_history(pupil_id=enrolment.pupil_id, school_id=enrolment.school_id, now=now)
    if not history:
        return None
    try:
        with transaction.atomic():
            return _transfer_write(enrolment, history, now)
    except IntegrityError:
        # Another run made it first (the enrolment is unique): nothing twice.
        return Transfer.objects.filter(enrolment=enrolment).first()


def _transfer_write(enrolment: Enrolment, history: list[Notification], now: datetime) -> Transfer:
    school, latest = enrolment.school, history[0]
    takes_part = school.participating and school.partnership is not None and not school.is_team
    transfer = Transfer.objects.create(
        enrolment=enrolment,
        pupil_id=enrolment.pupil_id,
        from_school=latest.school,
        to_school=school,
        status=TransferStatus.NOTIFIED if takes_part else TransferStatus.ROUTED,
        notification=(
            notification_create(child=latest.child, school=school, kind=NotificationKind.TRANSFER)
            if takes_part
            else None
        ),
        history=[n.pk for n in history],
        routed_to=None if takes_part else (school.partnership or latest.school.partnership),
        created_at=now,
    )
    event_record(
        verb="transfer.notified" if takes_part else "transfer.routed",
        obj=transfer,
        purpose="the safeguarding file follows a child who moved school",
        pupil=enrolment.pupil_id,
        from_school=latest.school.urn,
        to_school=school.urn,
        notification=transfer.notification_id,
        routed_to=transfer.routed_to_id,
        history=transfer.history,
    )
    return transfer


# --- what the new school sees -------------------------------------------------------------


@dataclass
class HistoryEntry:
    notification: Notification
    school_name: str
    fields: list[tuple[str, str]]
    support: list[SupportAction] = field(default_factory=list)


def _stricter(*partnerships: Partnership | None) -> tuple[bool, bool]:
    """(full sharing, support logs): what every partnership involved allows."""
    known = [p for p in partnerships if p is not None]
    full = bool(known) and all(p.sharing_level == SharingLevel.FULL for p in known)
    return full, bool(known) and all(p.transfer_support_logs for p in known)


def transfer_history(notification: Notification) -> list[HistoryEntry]:
    """The earlier notifications a transfer carries, as the stricter of the new and the old
    school's partnerships allows: minimal or full fields; support logs only where both say so."""
    transfer = Transfer.objects.filter(notification=notification).first()
    if transfer is None or notification.kind != NotificationKind.TRANSFER:
        return []
    earlier = (
        Notification.objects.filter(pk__in=transfer.history, status__in=LIVE)
        .select_related("child__incident", "school__local_authority__partnership")
        .order_by("-child__incident__occurred_at")
    )
    entries = []
    for old in earlier:
        full, logs = _stricter(notification.school.partnership, old.school.partnership)
        support = list(old.support_actions.order_by("given_on", "pk")) if logs else []
        entries.append(HistoryEntry(old, old.school.name, shared_fields_at(old, full=full), support))
    return entries


@transaction.atomic
def transfer_handle(*, transfer: Transfer, note: str, actor) -> Transfer:
    """The coordinator passed the file of a child routed to them on (once)."""
    locked = Transfer.objects.select_for_update().get(pk=transfer.pk)
    if locked.handled_at is not None:
        return locked
    locked.handled_at, locked.handled_by, locked.handled_note = timezone.now(), actor, note
    locked.save(update_fields=["handled_at", "handled_by", "handled_note"])
    event_record(verb="transfer.handled", obj=locked, actor=actor, routed_to=locked.routed_to_id)
    return locked
