"""Writing incidents: submit, amend, withdraw, and the create-or-update used by the REST API
and the daily download. The officer's forms save through Django admin and then call
`incident_amended` so that every route tells the schools the same way."""

import hashlib
import secrets

from django.db import IntegrityError, transaction
from django.utils import timezone

from encompass.events import event_record
from incidents.matcher import child_match
from incidents.models import (
    ApiClient,
    Force,
    Incident,
    IncidentChild,
    IncidentStatus,
    MatchDecision,
    MatchStatus,
    WithdrawalReason,
)
from incidents.validation import IncidentInput, child_key, children_problems
from notifications.models import Notification
from notifications.services import (
    LIVE,
    notification_update_content,
    notification_withdraw,
)

# A change to these makes the child a possibly different person: match again. Any other
# change (present, relationship, sex, the incident's details) only updates what the school
# sees. A UPN is identifying too: it is the strongest signal the matcher has.
IDENTIFYING_FIELDS = frozenset({"first_name", "last_name", "dob", "upn"})


class IncidentWithdrawn(Exception):
    """A withdrawn incident is closed: it is never changed again."""


def child_match_and_notify(*, child: IncidentChild, actor=None) -> IncidentChild:
    """Decide the child's match and, when matched, create the school's notification in the
    same transaction (the outbox). The decision (score, reason, candidates by id) is kept as
    a MatchDecision; a child needing review is never notified until a reviewer confirms."""
    from incidents.match_services import match_result_apply

    result = child_match(child)
    decision = match_result_apply(child=child, result=result, actor=actor)
    event_record(
        verb="child.match_decided", obj=child, actor=actor, outcome=result.status, decision=decision.pk
    )
    return child


@transaction.atomic
def incident_submit(*, incident: Incident, actor, **ids) -> Incident:
    locked = Incident.objects.select_for_update().get(pk=incident.pk)
    if locked.status != IncidentStatus.DRAFT:
        raise ValueError("Only a draft incident can be submitted.")
    if children_problems(locked.children.count()):
        raise ValueError("Add at least one child before submitting.")
    _submit(locked, actor, ids)
    return locked


def _submit(incident: Incident, actor, ids: dict) -> None:
    incident.status = IncidentStatus.SUBMITTED
    incident.submitted_at = timezone.now()
    incident.save(update_fields=["status", "submitted_at", "updated_at"])
    event_record(verb="incident.submitted", obj=incident, actor=actor, **ids)
    for child in incident.children.select_related("incident").filter(match_status=MatchStatus.PENDING):
        child_match_and_notify(child=child, actor=actor)


def live_notifications(children) -> list[Notification]:
    return list(Notification.objects.filter(child__in=children, status__in=LIVE))


@transaction.atomic
def incident_amended(
    *,
    incident: Incident,
    actor,
    fields: list[str],
    added: list[IncidentChild] = (),
    changed: dict[IncidentChild, list[str]] | None = None,
    **ids,
) -> None:
    """Tell the schools about a change already saved to a submitted incident: a new child is
    matched and notified; a child whose identifying details changed is matched again; every
    other change marks the school's notification 'updated' (the same notification, never a
    second one). A draft's changes are only recorded."""
    changed = changed or {}
    if not (fields or added or changed):
        return
    event_record(
        verb="incident.amended",
        obj=incident,
        actor=actor,
        fields=sorted(fields),
        children_added=[c.pk for c in added],
        children_changed=sorted(c.pk for c in changed),
        **ids,
    )
    if incident.status != IncidentStatus.SUBMITTED:
        return
    to_update = set()
    if fields:
        to_update |= {
            n.pk for n in live_notifications(incident.children.exclude(pk__in=[c.pk for c in added]))
        }
    for child in added:
        child_match_and_notify(child=child, actor=actor)
    if ADDRESS_FIELDS & set(fields):
        # The address may now place a child that no partnership could take.
        for child in _children_unrouted(incident).exclude(pk__in=[c.pk for c in (*added, *changed)]):
            child_rematch(child=child, actor=actor)
    for child, child_fields in changed.items():
        if IDENTIFYING_FIELDS & set(child_fields):
            to_update |= child_rematch(child=child, actor=actor)
        else:
            to_update |= {n.pk for n in live_notifications([child])}
    for notification in Notification.objects.filter(pk__in=to_update):
        notification_update_content(notification=notification, actor=actor, **ids)


ADDRESS_FIELDS = frozenset({"address_line1", "address_line2", "town", "postcode"})


def _children_unrouted(incident: Incident):
    return incident.children.filter(match_decisions__in=MatchDecision.objects.unrouted())


def child_rematch(*, child: IncidentChild, actor) -> set[int]:
    """Match again after the child's name, date of birth or UPN changed. A school that no
    longer matches has its notification withdrawn (telling it about someone else's child
    would be a breach); the school that still matches keeps its notification, updated.
    Returns the ids of notifications to mark updated."""
    before = live_notifications([child])
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
    if reason not in WithdrawalReason.values:
        raise ValueError("Choose why the incident is being withdrawn.")
    locked = Incident.objects.select_for_update().get(pk=incident.pk)
    if locked.status == IncidentStatus.WITHDRAWN:
        return locked
    locked.status = IncidentStatus.WITHDRAWN
    locked.withdrawn_reason = reason
    locked.save(update_fields=["status", "withdrawn_reason", "updated_at"])
    event_record(verb="incident.withdrawn", obj=locked, actor=actor, reason=reason, **ids)
    for notification in live_notifications(locked.children.all()):
        notification_withdraw(notification=notification, reason=reason, actor=actor, **ids)
    return locked


def incident_upsert(*, force: Force, data: IncidentInput, actor=None, **ids) -> tuple[Incident, str]:
    """Create the incident, or bring it up to date, keyed by force and police reference.
    Returns the incident and 'created', 'updated' or 'unchanged'. Sending the same data
    twice changes nothing; twenty concurrent sends of a new reference make one incident
    (the unique constraint decides, the losers wait on the row lock and then update)."""
    with transaction.atomic():
        incident, created = _incident_lock_or_create(force, data)
        if incident.status == IncidentStatus.WITHDRAWN:
            raise IncidentWithdrawn(f"Incident {incident.reference} was withdrawn and cannot be changed.")
        fields = [] if created else _assign(incident, data.fields)
        if fields:
            incident.save()
        added, changed = _children_upsert(incident, data.children)
        if created or incident.status == IncidentStatus.DRAFT:
            event_record(verb="incident.received", obj=incident, actor=actor, created=created, **ids)
            _submit(incident, actor, ids)
            return incident, "created" if created else "updated"
        incident_amended(incident=incident, actor=actor, fields=fields, added=added, changed=changed, **ids)
        return incident, "updated" if (fields or added or changed) else "unchanged"


def _incident_lock_or_create(force: Force, data: IncidentInput) -> tuple[Incident, bool]:
    existing = Incident.objects.select_for_update().filter(force=force, reference=data.reference).first()
    if existing is not None:
        return existing, False
    try:
        with transaction.atomic():
            return Incident.objects.create(force=force, reference=data.reference, **data.fields), True
    except IntegrityError:
        # Another request created it meanwhile; its commit released us: take its row.
        return Incident.objects.select_for_update().get(force=force, reference=data.reference), False


def _assign(obj, values: dict) -> list[str]:
    changed = [name for name, value in values.items() if getattr(obj, name) != value]
    for name in changed:
        setattr(obj, name, values[name])
    return changed


def _children_upsert(incident: Incident, children: list[dict]):
    known = list(incident.children.select_related("incident"))
    added, changed = [], {}
    for values in children:
        child = _child_find(known, values)
        if child is None:
            child = IncidentChild.objects.create(incident=incident, **values)
            known.append(child)
            added.append(child)
        elif child_fields := _assign(child, values):
            child.save()
            changed[child] = child_fields
    return added, changed


def _child_find(known: list[IncidentChild], values: dict) -> IncidentChild | None:
    """The police system's person id decides when both sides have one (so a corrected name
    is an amendment); otherwise the name and date of birth do."""
    ref = values.get("person_reference")
    by_name = child_key({**values, "person_reference": ""})
    for child in known:
        if ref and child.person_reference:
            if child.person_reference == ref:
                return child
        elif child_key(_child_values(child)) == by_name:
            return child
    return None


def _child_values(child: IncidentChild) -> dict:
    return {
        "first_name": child.first_name,
        "last_name": child.last_name,
        "dob": child.dob,
        "estimated_age": child.estimated_age,
    }


def api_token_hash(token: str) -> str:
    # Tokens are 256 random bits, so a plain SHA-256 is enough (no salt or stretching needed).
    return hashlib.sha256(token.encode()).hexdigest()


@transaction.atomic
def api_client_create(*, force: Force, name: str, actor=None) -> tuple[ApiClient, str]:
    """A new API client for a force. The token is returned once and only its hash is kept."""
    token = secrets.token_urlsafe(32)
    client = ApiClient.objects.create(
        force=force, name=name, token_hash=api_token_hash(token), token_prefix=token[:8]
    )
    event_record(verb="api_client.created", obj=client, actor=actor, force=force.code)
    return client, token


@transaction.atomic
def api_client_revoke(*, client: ApiClient, actor=None) -> ApiClient:
    locked = ApiClient.objects.select_for_update().get(pk=client.pk)
    if locked.revoked_at is None:
        locked.revoked_at = timezone.now()
        locked.save(update_fields=["revoked_at"])
        event_record(verb="api_client.revoked", obj=locked, actor=actor)
    return locked
