"""Writing the police's records: incidents and their children, and API clients. The one
writer of incidents: the officer's interface (`incident_save`), the REST API and the daily
download (`incident_upsert`) all come here, and every change is recorded as an event by one
function (`_change_record`), creation included. What a change means for the schools
(matching, notifications) is the police app's path (police/services.py), which calls these
inside its own transaction."""

import hashlib
import secrets
from dataclasses import dataclass, field

from django.db import IntegrityError, transaction
from django.utils import timezone

from encompass.events import event_record
from incidents.models import (
    ApiClient,
    Force,
    Incident,
    IncidentChild,
    IncidentStatus,
    WithdrawalReason,
)
from incidents.validation import IncidentInput, child_key, children_problems

# A change to these makes the child a possibly different person: match again. Any other
# change (present, relationship, sex, the incident's details) only updates what the school
# sees. A UPN is identifying too: it is the strongest signal the matcher has.
IDENTIFYING_FIELDS = frozenset({"first_name", "last_name", "dob", "upn"})


class IncidentWithdrawn(Exception):
    """A withdrawn incident is closed: it is never changed again."""


@dataclass
class IncidentChange:
    """What one save changed: the incident's fields, the children added, and each changed
    child with its fields. Tells the police app what the schools must hear."""

    incident: Incident
    created: bool = False
    fields: list[str] = field(default_factory=list)
    added: list[IncidentChild] = field(default_factory=list)
    changed: dict[IncidentChild, list[str]] = field(default_factory=dict)
    removed: list[int] = field(default_factory=list)

    def __bool__(self) -> bool:
        return bool(self.created or self.fields or self.added or self.changed or self.removed)


def _change_record(change: IncidentChange, actor, ids: dict) -> None:
    """Every write to an incident is recorded here, by whichever route it came."""
    if change.created:
        event_record(
            verb="incident.created",
            obj=change.incident,
            actor=actor,
            children_added=[c.pk for c in change.added],
            **ids,
        )
    elif change:
        event_record(
            verb="incident.amended",
            obj=change.incident,
            actor=actor,
            fields=sorted(change.fields),
            children_added=[c.pk for c in change.added],
            children_changed=sorted(c.pk for c in change.changed),
            children_removed=change.removed,
            **ids,
        )


@transaction.atomic
def incident_save(
    *,
    incident: Incident,
    fields: list[str],
    children: list[IncidentChild] = (),
    removed: list[IncidentChild] = (),
    actor,
    **ids,
) -> IncidentChange:
    """Save an incident as the officer's form edited it: `incident` and `children` carry the
    new values (a child without a pk is new), `fields` names the incident's changed fields.
    A submitted or withdrawn incident keeps its children (the school may have been told)."""
    created = incident.pk is None
    if not created:
        status = Incident.objects.select_for_update().values_list("status", flat=True).get(pk=incident.pk)
        if status == IncidentStatus.WITHDRAWN:
            raise IncidentWithdrawn(f"Incident {incident.reference} was withdrawn and cannot be changed.")
        if status != IncidentStatus.DRAFT and removed:
            raise ValueError("A child of a submitted incident cannot be removed: withdraw the incident.")
    incident.save()
    change = IncidentChange(incident=incident, created=created, fields=[] if created else list(fields))
    before = {c.pk: _child_values(c, all_fields=True) for c in incident.children.all()}
    for child in children:
        child.incident = incident
        is_new = child.pk is None
        child.save()
        if is_new:
            change.added.append(child)
        elif child_fields := [
            k for k, v in _child_values(child, all_fields=True).items() if before[child.pk].get(k) != v
        ]:
            change.changed[child] = child_fields
    for child in removed:
        change.removed.append(child.pk)
        child.delete()
    _change_record(change, actor, ids)
    return change


@transaction.atomic
def incident_upsert_record(*, force: Force, data: IncidentInput, actor=None, **ids) -> IncidentChange:
    """Create the incident, or bring it up to date, keyed by force and police reference, as a
    police system sent it (REST API, daily download). Sending the same data twice changes
    nothing; twenty concurrent sends of a new reference make one incident (the unique
    constraint decides, the losers wait on the row lock and then update)."""
    incident, created = _incident_lock_or_create(force, data)
    if incident.status == IncidentStatus.WITHDRAWN:
        raise IncidentWithdrawn(f"Incident {incident.reference} was withdrawn and cannot be changed.")
    fields = [] if created else _assign(incident, data.fields)
    if fields:
        incident.save()
    added, changed = _children_upsert(incident, data.children)
    change = IncidentChange(incident=incident, created=created, fields=fields, added=added, changed=changed)
    _change_record(change, actor, ids)
    return change


def incident_mark_submitted(*, incident: Incident, actor, **ids) -> None:
    """Call with the incident locked: it is now the schools' to be told."""
    if children_problems(incident.children.count()):
        raise ValueError("Add at least one child before submitting.")
    incident.status = IncidentStatus.SUBMITTED
    incident.submitted_at = timezone.now()
    incident.save(update_fields=["status", "submitted_at", "updated_at"])
    event_record(verb="incident.submitted", obj=incident, actor=actor, **ids)


def incident_mark_withdrawn(*, incident: Incident, reason: str, actor, **ids) -> bool:
    """Call with the incident locked. False when it was withdrawn already (safe to repeat)."""
    if reason not in WithdrawalReason.values:
        raise ValueError("Choose why the incident is being withdrawn.")
    if incident.status == IncidentStatus.WITHDRAWN:
        return False
    incident.status = IncidentStatus.WITHDRAWN
    incident.withdrawn_reason = reason
    incident.save(update_fields=["status", "withdrawn_reason", "updated_at"])
    event_record(verb="incident.withdrawn", obj=incident, actor=actor, reason=reason, **ids)
    return True


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


CHILD_FIELDS = (
    "first_name", "last_name", "dob", "estimated_age", "sex", "present", "relationship", "upn",
    "known_school_id", "person_reference",
)  # fmt: skip


def _child_values(child: IncidentChild, *, all_fields: bool = False) -> dict:
    names = CHILD_FIELDS if all_fields else CHILD_FIELDS[:4]
    return {name: getattr(child, name) for name in names}


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
