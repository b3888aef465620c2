"""What happened to a notification is read in the Django admin, never rewritten there."""

from django.urls import reverse

from notifications.models import NotificationStatus
from tests.conftest import reauthenticated, signed_in
from tests.dashboard.helpers import notification_for


def test_an_administrator_reads_a_notification_but_cannot_change_or_delete_it(client, world):
    notification = notification_for(world.school_a)
    admin = reauthenticated(signed_in(client, world.admin))
    change = reverse("admin:notifications_notification_change", args=[notification.pk])

    page = admin.get(change).content.decode()

    assert 'name="status"' not in page and 'name="acknowledged_at' not in page
    assert "Delete" not in page
    refused = admin.post(change, {"status": NotificationStatus.ACKNOWLEDGED})
    assert refused.status_code == 403
    notification.refresh_from_db()
    assert notification.status == NotificationStatus.DELIVERED
    delete = reverse("admin:notifications_notification_delete", args=[notification.pk])
    assert admin.post(delete, {"post": "yes"}).status_code == 403
    assert admin.get(reverse("admin:notifications_notification_add")).status_code == 403
