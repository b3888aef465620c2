from django.urls import reverse

from encompass.models import Event
from incidents.models import MatchStatus
from notifications.models import NotificationStatus
from tests.conftest import signed_in


def reject_url(notification):
    return reverse("notifications:reject", args=[notification.pk])


def test_not_our_pupil_returns_the_child_to_police_review(client, world, notification):
    signed_in(client, world.key_adult_a)
    response = client.post(reject_url(notification), {"reason": "left", "note": "Left in July for Leigh"})
    assert response.url == reverse("notifications:inbox")
    notification.refresh_from_db()
    child = notification.child
    child.refresh_from_db()
    assert notification.status == NotificationStatus.REJECTED
    assert child.match_status == MatchStatus.REVIEW
    assert child.match_detail["returned_by_school"]["note"] == "Left in July for Leigh"
    event = Event.objects.get(verb="notification.rejected")
    assert event.actor == world.key_adult_a and event.data["reason"] == "left"
    assert "Left in July" not in str(event.data), "free text stays out of the event record"
    assert Event.objects.filter(verb="match.returned_to_review", object_id=str(child.pk)).exists()


def test_the_school_loses_access_at_once(client, world, notification):
    signed_in(client, world.key_adult_a)
    client.post(reject_url(notification), {"reason": "never_on_roll"})
    assert client.get(reverse("notifications:detail", args=[notification.pk])).status_code == 404
    assert "Amelia" not in client.get(reverse("notifications:inbox")).content.decode()


def test_a_reason_is_required(client, world, notification):
    signed_in(client, world.key_adult_a)
    response = client.post(reject_url(notification), {})
    assert response.status_code == 400
    assert "Select why this child is not your pupil" in response.content.decode()
    assert 'href="#id_reason_0"' in response.content.decode()
    other = client.post(reject_url(notification), {"reason": "other"})
    assert "Tell the police why this child is not your pupil" in other.content.decode()
    notification.refresh_from_db()
    assert notification.status == NotificationStatus.DELIVERED
