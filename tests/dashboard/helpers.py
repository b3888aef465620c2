"""Notifications as a Key Adult finds them, built directly (the police side is tested
elsewhere)."""

from datetime import timedelta

from django.utils import timezone
from django_otp.oath import totp

from incidents.models import IncidentStatus, MatchStatus
from notifications.models import Notification, NotificationStatus
from tests.factories import IncidentChildFactory, IncidentFactory, PupilFactory


def notification_for(
    school,
    *,
    first_name="Amelia",
    last_name="Smith",
    pupil=None,
    incident=None,
    status=NotificationStatus.DELIVERED,
    **fields,
) -> Notification:
    incident = incident or IncidentFactory(status=IncidentStatus.SUBMITTED)
    pupil = pupil or PupilFactory(first_name=first_name, last_name=last_name)
    child = IncidentChildFactory(
        incident=incident,
        first_name=first_name,
        last_name=last_name,
        match_status=MatchStatus.MATCHED,
        pupil=pupil,
        school=school,
    )
    now = timezone.now()
    defaults = {"due_at": now + timedelta(hours=12), "delivered_at": now}
    if status == NotificationStatus.ACKNOWLEDGED:
        defaults["acknowledged_at"] = now
    return Notification.objects.create(child=child, school=school, status=status, **(defaults | fields))


def current_code(user) -> str:
    device = user.totpdevice_set.get()
    return f"{totp(device.bin_key, step=device.step, t0=device.t0, digits=device.digits):06d}"
