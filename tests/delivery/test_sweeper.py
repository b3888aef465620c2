"""The sweeper sends what the broker or a dead worker lost, and leaves alone a send that is
still in progress."""

from datetime import timedelta

from django.utils import timezone

from notifications.models import AttemptStatus, DeliveryAttempt
from notifications.tasks import sweep
from tests.delivery.makers import incidents_submitted


def lost_on_the_way(world, django_capture_on_commit_callbacks):
    """An incident submitted while the broker was down: its send was never published."""
    with django_capture_on_commit_callbacks(execute=False):
        [notification] = incidents_submitted(world, 1)
    return DeliveryAttempt.objects.get(notification=notification)


def test_an_attempt_never_published_is_sent_by_the_sweeper(
    world, sending, django_capture_on_commit_callbacks, mailoutbox, settings
):
    attempt = lost_on_the_way(world, django_capture_on_commit_callbacks)
    assert sending(sweep) == 0  # not yet: it may still be on its way
    DeliveryAttempt.objects.filter(pk=attempt.pk).update(
        started_at=timezone.now() - settings.DELIVERY_SWEEP_AFTER - timedelta(seconds=1)
    )
    assert sending(sweep) == 1
    assert [m.to for m in mailoutbox] == [[world.key_adult_a.email]]
    assert sending(sweep) == 0


def test_a_send_whose_worker_died_is_sent_again_once_it_is_stale(
    world, sending, django_capture_on_commit_callbacks, mailoutbox
):
    attempt = lost_on_the_way(world, django_capture_on_commit_callbacks)
    DeliveryAttempt.objects.filter(pk=attempt.pk).update(
        status=AttemptStatus.SENDING, tries=1, started_at=timezone.now() - timedelta(seconds=5)
    )
    assert sending(sweep) == 0  # in progress somewhere: leave it
    assert mailoutbox == []
    DeliveryAttempt.objects.filter(pk=attempt.pk).update(started_at=timezone.now() - timedelta(hours=1))
    assert sending(sweep) == 1
    attempt.refresh_from_db()
    assert (attempt.status, attempt.tries, len(mailoutbox)) == (AttemptStatus.SENT, 2, 1)
