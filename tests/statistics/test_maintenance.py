"""The statistics table follows the notifications: it is what the figures read."""

import time
from datetime import timedelta

import pytest
from django.db import connection
from django.urls import reverse
from django.utils import timezone

from notifications.delivery import attempt_succeed
from notifications.models import ChildStatistic, NotificationStatistic
from notifications.services import notification_acknowledge, notification_create, notification_escalate
from notifications.statistics.maintenance import notification_statistics_rebuild, statistics_follow_schools
from notifications.statistics.selectors import duration_percentiles, percentile
from police.services import incident_file
from tests.conftest import signed_in
from tests.statistics.conftest import MARCH


def test_acknowledging_a_notification_updates_its_statistics(march):
    notification = march.notifications[9]
    notification.due_at = timezone.now() + timedelta(days=1)
    notification.save()
    notification_acknowledge(notification=notification, user=march.world.key_adult_b, ip_address=None)
    statistic = NotificationStatistic.objects.get(notification=notification)
    assert statistic.acknowledged_in_time and statistic.acknowledgement_seconds is not None


def test_an_escalation_step_marks_the_notification_escalated(march):
    notification = march.notifications[9]
    assert not NotificationStatistic.objects.get(notification=notification).escalated
    notification_escalate(notification=notification, now=notification.due_at + timedelta(hours=2))
    assert NotificationStatistic.objects.get(notification=notification).escalated


def test_a_delivered_notification_reads_delivered_in_the_statistics_at_once(march, eager_celery):
    child = march.notifications[9].child
    notification = notification_create(child=child, school=march.world.school_a)
    assert NotificationStatistic.objects.get(notification=notification).status == "pending"
    attempt = notification.attempts.get(recipient=march.world.key_adult_a)
    attempt_succeed(attempt, time.monotonic())
    statistic = NotificationStatistic.objects.get(notification=notification)
    assert statistic.status == "delivered"
    assert statistic.delivery_seconds is not None


def test_moving_an_incident_to_another_month_moves_its_notifications(client, march):
    incident = march.notifications[0].child.incident
    incident.occurred_at -= timedelta(days=30)
    incident_file(incident=incident, fields=["occurred_at"], actor=march.world.officer_a)
    rows = (
        signed_in(client, march.world.analyst_a)
        .get(reverse("statistics_api:figure", args=["notifications_by_month"]), MARCH)
        .json()["rows"]
    )
    assert rows[0]["cells"][0]["value"] == 8


def test_a_school_moving_to_another_authority_takes_its_statistics(march):
    school = march.world.school_b
    school.local_authority = march.world.la_b
    school.save()
    statistics_follow_schools()
    partnerships = set(
        NotificationStatistic.objects.filter(school_id=school.pk).values_list("partnership_id", flat=True)
    )
    assert partnerships == {march.world.partnership_b.pk}
    children = ChildStatistic.objects.filter(school_id=school.pk)
    assert set(children.values_list("partnership_id", flat=True)) == {march.world.partnership_b.pk}


def test_rebuilding_gives_the_rows_the_services_kept(march):
    kept = list(NotificationStatistic.objects.order_by("pk").values())
    kept_children = list(ChildStatistic.objects.order_by("pk").values())
    assert len(kept) == 13
    assert sum(row["support_welfare_check_in"] + row["support_pastoral"] for row in kept) == 6
    # Children of submitted incidents with a school: the 12 notified (not the one of the
    # withdrawn incident), 3 unmatched at schools of A and 1 routed to C; not the one with none.
    assert len(kept_children) == 16
    notification_statistics_rebuild()
    assert list(NotificationStatistic.objects.order_by("pk").values()) == kept
    assert list(ChildStatistic.objects.order_by("pk").values()) == kept_children


def test_percentiles_interpolate_between_ranks_like_postgresql():
    assert percentile([1, 2, 3, 4, 5, 6, 7, 8, 9, 10], 0.9) == pytest.approx(9.1)
    assert percentile([4, 1, 3, 2], 0.5) == 2.5
    assert percentile([], 0.5) is None


@pytest.mark.skipif(connection.vendor != "postgresql", reason="compares with PostgreSQL's percentile_cont")
def test_postgresql_percentiles_match_the_python_ones(march):
    rows = NotificationStatistic.objects.all()
    values = list(rows.exclude(delivery_seconds=None).values_list("delivery_seconds", flat=True))
    n, median, p90 = duration_percentiles(rows)["delivery_seconds"]
    assert (n, median, p90) == (len(values), percentile(values, 0.5), pytest.approx(percentile(values, 0.9)))
