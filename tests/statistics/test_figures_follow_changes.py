"""The figures follow the notifications, children and support log as they change: the
statistics tables they read are kept in step on every save."""

from datetime import date, timedelta

from django.utils import timezone

from incidents.match_services import match_result_apply
from incidents.matcher import MatchResult
from incidents.models import MatchStatus, WithdrawalReason
from notifications.models import NotificationStatistic, SupportType
from notifications.services import notification_acknowledge, notification_withdraw, support_action_add
from notifications.statistics.maintenance import statistics_follow_schools
from police.services import child_review_confirm, incident_withdraw
from tests.statistics.test_figures import figure


def test_acknowledging_in_time_counts_as_before_the_school_day(client, march):
    notification = march.notifications[9]
    notification.due_at = timezone.now() + timedelta(days=1)
    notification.save()
    notification_acknowledge(notification=notification, user=march.world.key_adult_b, ip_address=None)
    rows = figure(client, march.world.analyst_a, "acknowledged_in_time")
    assert rows["Before the school day started"][0] == "6"
    assert rows["All delivered notifications"][0] == "10"
    timeliness = figure(client, march.world.analyst_a, "timeliness")
    assert timeliness["Delivery to acknowledgement"][0] == "7"


def test_a_withdrawn_notification_leaves_every_count(client, march):
    notification_withdraw(notification=march.notifications[0], reason="entered in error")
    analyst = march.world.analyst_a
    assert figure(client, analyst, "summary")["Notifications to schools"][0] == "9"
    assert figure(client, analyst, "summary")["Incidents"][0] == "8"  # its sibling is still notified
    assert figure(client, analyst, "notifications_by_month")["March 2026"][0] == "9"
    # Its support (one check-in corrected to pastoral support) goes with it.
    assert figure(client, analyst, "support_actions")["All support actions"][0] == "5"
    assert figure(client, analyst, "support_actions")["Pastoral support"][0] == "0"


def test_logged_and_corrected_support_counts_at_once(client, march):
    actions = [
        support_action_add(
            notification=n,
            user=march.world.key_adult_a,
            given_on=date(2026, 3, 30),
            kind=SupportType.COUNSELLING,
            note="",
        )
        for n in march.notifications[5:10]
    ]
    rows = figure(client, march.world.analyst_a, "support_actions")
    assert rows["Counselling or mental health support"][0] == "5"
    assert rows["All support actions"][0] == "11"
    support_action_add(
        notification=actions[0].notification,
        user=march.world.key_adult_a,
        given_on=date(2026, 3, 30),
        kind=SupportType.OTHER,
        note="",
        corrects=actions[0],
    )
    rows = figure(client, march.world.analyst_a, "support_actions")
    assert rows["Counselling or mental health support"][0] == "fewer than 5"
    assert rows["All support actions"][0] == "11"


def test_a_school_moving_to_another_partnership_takes_its_figures_with_it(client, march):
    # School B had three of March's notifications (incidents of 11 and 26 March).
    school = march.world.school_b
    school.local_authority = march.world.la_b
    school.save()
    assert statistics_follow_schools() == 1
    assert figure(client, march.world.analyst_a, "summary")["Notifications to schools"][0] == "7"


def test_a_review_decided_later_counts_the_child_as_matched_after_review(client, march):
    child = march.notifications[5].child
    pupil_id = child.pupil_id
    unsure = MatchResult(MatchStatus.REVIEW, score=20.0, candidates=[{"pupil": pupil_id, "score": 20.0}])
    match_result_apply(child=child, result=unsure)
    reviewer = march.world.reviewer_a
    child_review_confirm(child=child, pupil_id=pupil_id, reason="same home and school", actor=reviewer)
    rows = figure(client, march.world.analyst_a, "match_outcomes")
    assert rows["Matched automatically"][0] == "7"
    assert rows["All children"][0] == "13"


def test_a_withdrawn_incident_takes_its_children_out_of_the_match_outcomes(client, march):
    # The incident of 20 March: pupil 6 matched, and the unmatched children of the fixture.
    incident = march.notifications[6].child.incident
    incident_withdraw(
        incident=incident, reason=WithdrawalReason.ENTERED_IN_ERROR, actor=march.world.officer_a
    )
    rows = figure(client, march.world.analyst_a, "match_outcomes")
    # 7 matched automatically, 2 after review (fewer than 5, so the 7 is hidden too).
    assert rows["Matched automatically"][0] == "not shown"
    assert rows["No match"][0] == "0"
    assert rows["School not participating"][0] == "0"
    assert rows["All children"][0] == "9"


def test_every_kind_of_support_has_a_column_in_the_statistics_table():
    columns = {f.name for f in NotificationStatistic._meta.get_fields()}
    assert set(NotificationStatistic.SUPPORT_FIELDS.values()) <= columns
