"""Building notifications the way the service does: incidents submitted through
`police.services.incident_submit`, each child matched to the world's pupil."""

from notifications.models import Notification
from police.services import incident_submit
from tests.factories import IncidentChildFactory, IncidentFactory


def incidents_submitted(world, count: int) -> list[Notification]:
    notifications = []
    for _ in range(count):
        incident = IncidentFactory(force=world.force_a)
        IncidentChildFactory(incident=incident, first_name="Amelia", last_name="Smith")
        incident_submit(incident=incident, actor=world.officer_a)
        notifications.append(Notification.objects.get(child__incident=incident))
    return notifications
