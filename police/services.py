"""An incident's path from the police to the schools. Each function is one transaction that
writes the police's records (incidents.services, incidents.match_services) and what the
schools are told (notifications.services: the outbox) together, so a decided match and its
notification commit or roll back as one. The officer's interface, the REST API and the daily
download all come through here."""

from django.db import transaction

from incidents import match_services
from incidents.models import Force, Incident, IncidentChild, IncidentStatus, MatchDecision, MatchStatus
from incidents.services import (
    IncidentChange,
    IncidentWithdrawn,
    incident_mark_submitted,
    incident_mark_withdrawn,
    incident_save,
    incident_upsert_record,
)
from incidents.validation import IncidentInput
from notifications.models import Notification
from notifications.selectors import notifications_live_for
from notifications.services import notification_create, notification_update_content, notification_withdraw
from notifications.statistics.maintenance import child_statistics_refresh, notification_statistics_refresh

# A change to these makes the child a possibly different person: match again. Any other
# change (present, relationship, sex, the incident's details) only updates what the school
# sees. A UPN is identifying too: it is the strongest signal the matcher has.
IDENTIFYING_FIELDS = frozenset({"first_name", "last_name", "dob", "upn"})
ADDRESS_FIELDS = frozenset({"address_line1", "address_line2", "town", "postcode"})

__all__ = ["IncidentWithdrawn", "incident_file", "incident_submit", "incident_upsert", "incident_withdraw"]


def _tell_school(decision: MatchDecision, actor) -> None:
    if decision.outcome == MatchStatus.MATCHED:
        notification_create(child=decision.child, school=decision.school, actor=actor)
    child_statistics_refresh(child_ids=[decision.child_id])


def child_match_and_notify(*, child: IncidentChild, actor=None) -> IncidentChild:
    """Decide the child's match and, when matched, create the school's notification in the
    same transaction (the outbox)."""
    _tell_school(match_services.child_match_decide(child=child, actor=actor), actor)
    return child


@transaction.atomic
def incident_submit(*, incident: Incident, actor, **ids) -> Incident:
    locked = Incident.objects.select_for_update().get(pk=incident.pk)
    if locked.status != IncidentStatus.DRAFT:
        raise ValueError("Only a draft incident can be submitted.")
    _submit(locked, actor, ids)
    return locked


def _submit(incident: Incident, actor, ids: dict) -> None:
    incident_mark_submitted(incident=incident, actor=actor, **ids)
    for child in incident.children.select_related("incident").filter(match_status=MatchStatus.PENDING):
        child_match_and_notify(child=child, actor=actor)


@transaction.atomic
def incident_file(
    *,
    incident: Incident,
    fields: list[str],
    children: list[IncidentChild] = (),
    removed: list[IncidentChild] = (),
    actor,
    **ids,
) -> IncidentChange:
    """The officer's interface saves here: the incident and its children as the form edited
    them. A submitted incident's schools hear of the change; a draft waits for incident_submit."""
    change = incident_save(
        incident=incident, fields=fields, children=children, removed=removed, actor=actor, **ids
    )
    if change.incident.status == IncidentStatus.SUBMITTED:
        _schools_tell_change(change, actor, ids)
    return change


def incident_upsert(*, force: Force, data: IncidentInput, actor=None, **ids) -> tuple[Incident, str]:
    """The REST API and the daily download: create the incident or bring it up to date (see
    incidents.services.incident_upsert_record). A new incident is submitted at once. Returns
    the incident and 'created', 'updated' or 'unchanged'."""
    with transaction.atomic():
        change = incident_upsert_record(force=force, data=data, actor=actor, **ids)
        incident = change.incident
        if change.created or incident.status == IncidentStatus.DRAFT:
            _submit(incident, actor, ids)
            return incident, "created" if change.created else "updated"
        _schools_tell_change(change, actor, ids)
        return incident, "updated" if change else "unchanged"


def _schools_tell_change(change: IncidentChange, actor, ids: dict) -> None:
    """After a change to a submitted incident: a new child is matched and notified; a child
    whose identifying details changed is matched again; every other change marks the school's
    notification 'updated' (the same notification, never a second one)."""
    if not change:
        return
    incident, added = change.incident, change.added
    to_update = set()
    if change.fields:
        unchanged_children = incident.children.exclude(pk__in=[c.pk for c in added])
        to_update |= {n.pk for n in notifications_live_for(unchanged_children)}
    for child in added:
        child_match_and_notify(child=child, actor=actor)
    if ADDRESS_FIELDS & set(change.fields):
        # The address may now place a child that no partnership could take.
        unrouted = incident.children.filter(match_decisions__in=MatchDecision.objects.unrouted())
        for child in unrouted.exclude(pk__in=[c.pk for c in (*added, *change.changed)]):
            child_rematch(child=child, actor=actor)
    for child, child_fields in change.changed.items():
        if IDENTIFYING_FIELDS & set(child_fields):
            to_update |= child_rematch(child=child, actor=actor)
        else:
            to_update |= {n.pk for n in notifications_live_for([child])}
    for notification in Notification.objects.filter(pk__in=to_update):
        notification_update_content(notification=notification, actor=actor, **ids)
    _statistics_follow(incident, change)


def _statistics_follow(incident: Incident, change: IncidentChange) -> None:
    """An incident's date or a child's named school is copied into the statistics rows."""
    children = incident.children.all() if change.fields else list(change.changed)
    child_statistics_refresh(child_ids=[c.pk for c in children])
    if change.fields:
        notifications = Notification.objects.filter(child__incident=incident).values_list("pk", flat=True)
        notification_statistics_refresh(notification_ids=notifications)


def child_rematch(*, child: IncidentChild, actor) -> set[int]:
    """Match again after the child's name, date of birth or UPN changed. A school that no
    longer matches has its notification withdrawn (telling it about someone else's child
    would be a breach); the school that still matches keeps its notification, updated.
    Returns the ids of notifications to mark updated."""
    before = notifications_live_for([child])
    child.match_status = MatchStatus.PENDING
    child_match_and_notify(child=child, actor=actor)
    keep = set()
    for notification in before:
        if child.match_status == MatchStatus.MATCHED and notification.school_id == child.school_id:
            keep.add(notification.pk)
        else:
            notification_withdraw(notification=notification, reason="child_rematched", actor=actor)
    return keep


@transaction.atomic
def incident_withdraw(*, incident: Incident, reason: str, actor, **ids) -> Incident:
    """Withdraw an incident entered in error: every school told about it sees 'withdrawn'
    and loses the content."""
    locked = Incident.objects.select_for_update().get(pk=incident.pk)
    if incident_mark_withdrawn(incident=locked, reason=reason, actor=actor, **ids):
        for notification in notifications_live_for(locked.children.all()):
            notification_withdraw(notification=notification, reason=reason, actor=actor, **ids)
        child_statistics_refresh(child_ids=list(locked.children.values_list("pk", flat=True)))
    return locked


@transaction.atomic
def child_review_confirm(*, child: IncidentChild, pupil_id: int, reason: str, actor) -> MatchDecision:
    """A reviewer says the child is this candidate: the school is told at once when it takes part."""
    decision = match_services.child_review_confirm(child=child, pupil_id=pupil_id, reason=reason, actor=actor)
    _tell_school(decision, actor)
    return decision


@transaction.atomic
def child_review_confirm_registered(
    *, child: IncidentChild, registered_child_id: int, reason: str, actor
) -> MatchDecision:
    """A reviewer says the child is this register entry: the authority's team is told at once."""
    decision = match_services.child_review_confirm_registered(
        child=child, registered_child_id=registered_child_id, reason=reason, actor=actor
    )
    _tell_school(decision, actor)
    return decision


@transaction.atomic
def child_review_reject(*, child: IncidentChild, reason: str, actor) -> MatchDecision:
    """A reviewer says the child is none of the candidates: routed to a coordinator."""
    decision = match_services.child_review_reject(child=child, reason=reason, actor=actor)
    child_statistics_refresh(child_ids=[decision.child_id])
    return decision
