"""The delivery contract under faults, on real PostgreSQL, Redis, Celery worker processes and an
SMTP sink: nothing lost, nothing sent twice, escalation that stops when someone acknowledges."""

import time
from collections import Counter
from datetime import timedelta

import pytest
from django.db import connection
from django.utils import timezone

from encompass.models import Event
from notifications.models import AttemptStatus, DeliveryAttempt, Notification, NotificationStatus, Purpose
from notifications.services import notification_acknowledge
from notifications.tasks import deliver, send
from tests.delivery.makers import incidents_submitted
from tests.integration.conftest import WorkerProcess
from tests.services import eventually

pytestmark = pytest.mark.services


def notification_ids_in(messages) -> Counter:
    """How many e-mails each notification produced, read from the per-attempt Message-ID."""
    return Counter(int(m["Message-ID"].split("notification-")[1].split("@")[0]) for m in messages)


def attempt_id_in(message) -> int:
    return int(message["Message-ID"].split("attempt-")[1].split(".")[0])


def settle(sink, seconds: float = 3) -> None:
    """Give a duplicate, if there were going to be one, time to arrive."""
    time.sleep(seconds)


def test_the_deliver_task_run_twice_sends_one_email(world, smtp_sink, celery_worker_process):
    [notification] = incidents_submitted(world, 1)
    deliver.delay(notification.pk, Purpose.ALERT)
    deliver.delay(notification.pk, Purpose.ALERT)
    attempt = DeliveryAttempt.objects.get(notification=notification)
    send.delay(attempt.pk)
    send.delay(attempt.pk)

    assert len(smtp_sink.wait_for(1)) == 1, celery_worker_process.log()
    settle(smtp_sink)
    assert len(smtp_sink.messages) == 1
    attempt.refresh_from_db()
    assert (attempt.status, attempt.tries) == (AttemptStatus.SENT, 1)


def test_a_worker_killed_mid_batch_leaves_every_notification_delivered_exactly_once(
    world, smtp_sink, worker_env, tmp_path
):
    from encompass.celery import app

    app.control.purge()
    connection.close()
    first = WorkerProcess(env=worker_env, log_path=tmp_path / "first.log").start()
    notifications = incidents_submitted(world, 50)
    sent = eventually(
        lambda: DeliveryAttempt.objects.filter(status=AttemptStatus.SENT).count() >= 10,
        timeout=60,
        interval=0.02,
    )
    assert sent, first.log()
    first.kill()
    # What the worker was sending when it died: the SMTP server may have taken it a moment before
    # the kill, and no sender can know; the sweeper sends it again under the same Message-ID, which
    # the receiving system drops as a repeat. Only these may arrive twice, and only as one attempt.
    in_flight = set(DeliveryAttempt.objects.filter(status=AttemptStatus.SENDING).values_list("pk", flat=True))
    assert len(smtp_sink.messages) < 50, "the batch finished before the kill: nothing was tested"

    second = WorkerProcess(env=worker_env, log_path=tmp_path / "second.log").start(beat=True)
    try:
        smtp_sink.wait_for(50, timeout=90)
        unsent = DeliveryAttempt.objects.exclude(status=AttemptStatus.SENT)
        assert eventually(lambda: not unsent.exists(), timeout=90, interval=0.5), second.log()
        settle(smtp_sink, 5)
        per_notification = notification_ids_in(smtp_sink.messages)
        assert set(per_notification) == {n.pk for n in notifications}, second.log()
        per_attempt = Counter(attempt_id_in(m) for m in smtp_sink.messages)
        assert len(per_attempt) == len(notifications), "a notification was sent by two attempts"
        repeated = {pk for pk, count in per_attempt.items() if count > 1}
        assert repeated <= in_flight, f"sent twice: {per_notification.most_common(3)}"
    finally:
        second.stop()


def test_incidents_submitted_while_redis_is_down_are_stored_and_delivered_when_it_is_back(
    world, smtp_sink, private_redis, celery_worker_with_beat
):
    private_redis.stop()
    started = time.monotonic()
    notifications = []
    slowest = 0.0
    for _ in range(20):
        before = time.monotonic()
        notifications += incidents_submitted(world, 1)
        slowest = max(slowest, time.monotonic() - before)
    assert slowest < 5, f"a submission took {slowest:.1f}s with Redis down"
    assert Notification.objects.filter(status=NotificationStatus.PENDING).count() == 20
    assert DeliveryAttempt.objects.filter(status=AttemptStatus.QUEUED).count() == 20
    assert smtp_sink.messages == []

    private_redis.start()
    back = time.monotonic()
    smtp_sink.wait_for(20, timeout=120)
    took = time.monotonic() - back
    settle(smtp_sink)
    per_notification = notification_ids_in(smtp_sink.messages)
    assert set(per_notification) == {n.pk for n in notifications}, celery_worker_with_beat.log()
    assert max(per_notification.values()) == 1
    assert took < 120
    assert time.monotonic() - started < 180


def test_an_smtp_server_answering_451_three_times_gets_the_email_once_with_the_tries_recorded(
    world, smtp_sink, celery_worker_process
):
    smtp_sink.replies = ["451 4.3.0 Try again later"] * 3
    [notification] = incidents_submitted(world, 1)

    assert len(smtp_sink.wait_for(1, timeout=60)) == 1, celery_worker_process.log()
    settle(smtp_sink)
    assert len(smtp_sink.messages) == 1
    attempt = DeliveryAttempt.objects.get(notification=notification)
    assert (attempt.status, attempt.tries) == (AttemptStatus.SENT, 4)
    tries = Event.objects.filter(verb="delivery.try_failed", object_id=str(notification.pk))
    assert [e.data["error"] for e in tries] == ["SMTP 451"] * 3
    notification.refresh_from_db()
    assert notification.status == NotificationStatus.DELIVERED
    log = celery_worker_process.log()
    assert "send" in log  # the worker did log its tasks...
    for personal in ("Amelia", "Smith", "High Street"):
        assert personal not in log  # ...and nothing about the child


def test_a_notification_acknowledged_before_the_reminder_time_gets_no_reminder(
    world, smtp_sink, celery_worker_with_beat
):
    acknowledged, waiting = incidents_submitted(world, 2)
    assert len(smtp_sink.wait_for(2)) == 2, celery_worker_with_beat.log()
    notification_acknowledge(notification=acknowledged, user=world.key_adult_a, ip_address=None)
    # Bring the reminder time forward to two seconds from now for both.
    soon = timezone.now() + timedelta(seconds=2)
    Notification.objects.filter(pk__in=[acknowledged.pk, waiting.pk]).update(next_action_at=soon)

    reminders = eventually(
        lambda: DeliveryAttempt.objects.filter(purpose=Purpose.REMINDER, status=AttemptStatus.SENT).count(),
        timeout=30,
    )
    assert reminders == 1, celery_worker_with_beat.log()
    settle(smtp_sink)
    subjects = [m["Subject"] for m in smtp_sink.messages]
    assert sum("reminder" in s for s in subjects) == 1
    assert not DeliveryAttempt.objects.filter(
        notification=acknowledged, purpose=Purpose.REMINDER, status=AttemptStatus.SENT
    ).exists()
