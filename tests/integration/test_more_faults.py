"""More faults on real services, each on its own throwaway instance: Redis emptied (FLUSHALL)
with alerts queued, an SMTP server that accepts the message and then stalls, and two beat
processes running at once."""

import asyncio
import subprocess
import time
from collections import Counter
from datetime import timedelta

import pytest
from aiosmtpd.controller import Controller
from django.db import connection
from django.utils import timezone

from encompass.models import Event
from notifications.models import AttemptStatus, DeliveryAttempt, Notification
from tests.delivery.makers import incidents_submitted
from tests.integration.conftest import SmtpSink, WorkerProcess
from tests.integration.test_delivery_under_faults import notification_ids_in, settle
from tests.services import free_port

pytestmark = pytest.mark.services


def test_alerts_queued_in_a_redis_that_is_emptied_are_all_sent_by_the_sweeper(
    world, smtp_sink, private_redis, worker_env, tmp_path
):
    notifications = incidents_submitted(world, 20)  # published, but no worker is running yet
    assert DeliveryAttempt.objects.filter(status=AttemptStatus.QUEUED).count() == 20
    subprocess.run(  # noqa: S603
        ["redis-cli", "-p", str(private_redis.port), "FLUSHALL"], check=True, capture_output=True
    )
    connection.close()
    worker = WorkerProcess(env=worker_env, log_path=tmp_path / "worker.log").start(beat=True)
    try:
        smtp_sink.wait_for(20, timeout=120)
        settle(smtp_sink)
        per_notification = notification_ids_in(smtp_sink.messages)
        assert set(per_notification) == {n.pk for n in notifications}, worker.log()
        assert max(per_notification.values()) == 1
    finally:
        worker.stop()


class StallingSink(SmtpSink):
    """Accepts the connection and the message, then says nothing for a long time (as a
    server under load does) the first `stalls` times."""

    stalls: int = 1
    stall_seconds: float = 20

    async def handle_DATA(self, server, session, envelope):
        if self.stalls > 0:
            self.stalls -= 1
            await asyncio.sleep(self.stall_seconds)
            return "451 4.3.0 too late"  # the sender gave up long ago
        return await super().handle_DATA(server, session, envelope)


@pytest.fixture
def stalling_smtp(worker_env):
    sink = StallingSink(port=free_port())
    controller = Controller(sink, hostname="127.0.0.1", port=sink.port)
    controller.start()
    worker_env["EMAIL_URL"] = f"smtp://127.0.0.1:{sink.port}"
    yield sink
    controller.stop()


def test_a_stalled_smtp_send_times_out_is_retried_and_holds_up_no_other_alert(
    world, stalling_smtp, worker_env, tmp_path
):
    connection.close()
    worker = WorkerProcess(env=worker_env, log_path=tmp_path / "worker.log").start()
    try:
        started = time.monotonic()
        notifications = incidents_submitted(world, 10)
        stalling_smtp.wait_for(9, timeout=stalling_smtp.stall_seconds - 5)
        others_took = time.monotonic() - started
        assert len(stalling_smtp.messages) >= 9, worker.log()
        assert others_took < stalling_smtp.stall_seconds - 5  # nobody waited for the stalled one
        stalling_smtp.wait_for(10, timeout=90)
        settle(stalling_smtp)
        per_notification = notification_ids_in(stalling_smtp.messages)
        assert set(per_notification) == {n.pk for n in notifications}, worker.log()
        assert max(per_notification.values()) == 1
        retried = DeliveryAttempt.objects.filter(tries__gt=1)
        assert retried.count() == 1
        assert retried.get().status == AttemptStatus.SENT
    finally:
        worker.stop()


def test_two_beat_processes_at_once_take_each_escalation_step_once(world, smtp_sink, worker_env, tmp_path):
    notifications = incidents_submitted(world, 10)
    now = timezone.now()
    # Overdue: the escalation (step 2) and then the phone list (step 3) are both due now.
    Notification.objects.filter(pk__in=[n.pk for n in notifications]).update(
        due_at=now - timedelta(hours=2), next_action_at=now - timedelta(minutes=1)
    )
    connection.close()
    beats = [
        WorkerProcess(env=worker_env, log_path=tmp_path / f"beat{n}.log").start(beat=True) for n in (1, 2)
    ]
    try:
        done = Notification.objects.filter(pk__in=[n.pk for n in notifications], escalation_step=3)
        deadline = time.monotonic() + 90
        while done.count() < 10 and time.monotonic() < deadline:
            time.sleep(0.5)
        assert done.count() == 10, beats[0].log() + beats[1].log()
        time.sleep(4)  # both beats run the escalation every second: give a repeat time to appear
        steps = Counter(
            (e.object_id, e.verb)
            for e in Event.objects.filter(verb__in=["escalation.escalated", "escalation.phone"])
        )
        assert len(steps) == 20
        assert set(steps.values()) == {1}, steps.most_common(3)
    finally:
        for beat in beats:
            beat.stop()
