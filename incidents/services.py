from django.db import transaction
from django.utils import timezone

from encompass.events import event_record
from incidents.matcher import child_match
from incidents.models import Incident, IncidentChild, IncidentStatus, MatchStatus
from notifications.services import notification_create


def child_match_and_notify(*, child: IncidentChild, actor=None) -> IncidentChild:
    """Decide the child's match and, when matched, create the school's notification in the
    same transaction (the outbox)."""
    result = child_match(child)
    child.match_status = result.status
    child.pupil = result.pupil
    child.school = result.school
    child.match_score = result.score
    child.match_detail = result.detail
    child.save(update_fields=["match_status", "pupil", "school", "match_score", "match_detail"])
    event_record(verb="child.match_decided", obj=child, actor=actor, outcome=result.status)
    if result.status == MatchStatus.MATCHED:
        notification_create(child=child, school=result.school, actor=actor)
    return child


@transaction.atomic
def incident_submit(*, incident: Incident, actor) -> Incident:
    locked = Incident.objects.select_for_update().get(pk=incident.pk)
    if locked.status != IncidentStatus.DRAFT:
        raise ValueError("Only a draft incident can be submitted.")
    if not locked.children.exists():
        raise ValueError("Add at least one child before submitting.")
    locked.status = IncidentStatus.SUBMITTED
    locked.submitted_at = timezone.now()
    locked.save(update_fields=["status", "submitted_at", "updated_at"])
    event_record(verb="incident.submitted", obj=locked, actor=actor)
    for child in locked.children.select_related("incident").filter(match_status=MatchStatus.PENDING):
        child_match_and_notify(child=child, actor=actor)
    return locked
