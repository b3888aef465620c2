"""Each figure for March 2026 against the counts in conftest.py, through the API an analyst
would use (the page and CSV render the same Figure objects)."""

from datetime import date

import pytest
from django.urls import reverse

from incidents.models import MatchDecision, MatchStatus
from schools.models import KeyAdult
from tests.conftest import signed_in
from tests.statistics.conftest import MARCH, at, child_add, incident_file


def figure(client, user, key, **params):
    response = signed_in(client, user).get(reverse("statistics_api:figure", args=[key]), {**MARCH, **params})
    assert response.status_code == 200, response.content
    return {
        row["label"]: [cell["display"] for cell in row["cells"]] + [row["share"] and row["share"]["display"]]
        for row in response.json()["rows"]
    }


def test_the_summary_counts_incidents_notifications_and_children(client, march):
    rows = figure(client, march.world.analyst_a, "summary")
    assert rows["Incidents"][0] == "8"
    assert rows["Notifications to schools"][0] == "10"
    assert rows["Children notified"][0] == "8"
    assert rows["Children per incident"][0] == "1.00"


def test_children_notified_twice_are_hidden_with_their_complement(client, march):
    rows = figure(client, march.world.analyst_a, "repeat_children")
    # 2 children twice (fewer than 5), so the 6 notified once would give it away: not shown.
    assert rows["Notified more than once"][0] == "fewer than 5"
    assert rows["Notified once"][0] == "not shown"
    assert rows["All children notified"][0] == "8"
    assert rows["Notified once"][1] == "not shown"


def test_notifications_per_month_and_week(client, march):
    months = figure(client, march.world.analyst_a, "notifications_by_month")
    assert months["March 2026"][0] == "10"
    weeks = figure(client, march.world.analyst_a, "notifications_by_week")
    assert list(weeks) == [
        "Week of 23 Feb 2026",
        "Week of 2 Mar 2026",
        "Week of 9 Mar 2026",
        "Week of 16 Mar 2026",
        "Week of 23 Mar 2026",
        "Week of 30 Mar 2026",
        "All notifications",
    ]
    assert [v[0] for v in weeks.values()] == [
        "0",
        "fewer than 5",
        "fewer than 5",
        "fewer than 5",
        "fewer than 5",
        "0",
        "10",
    ]


def test_a_wider_range_shows_the_small_weeks_once_they_reach_five(client, march):
    weeks = figure(
        client, march.world.analyst_a, "notifications_by_week", start="2026-03-01", end="2026-03-16"
    )
    # Weeks of 2 and 9 March hold 3 each: still hidden; the total (6) is shown.
    assert weeks["All notifications"][0] == "6"


def test_match_outcomes_count_routing_and_known_schools_of_the_partnership(client, march):
    rows = figure(client, march.world.analyst_a, "match_outcomes")
    # 10 matched: 8 automatically, 2 after review (one by event, one by match_detail);
    # no match 1, not of school age 1, school not participating 1: total 13.
    assert rows["Matched automatically"][0] == "8"
    assert rows["Matched after review"][0] == "fewer than 5"
    assert rows["No match"][0] == "fewer than 5"
    assert rows["Not of school age"][0] == "fewer than 5"
    assert rows["School not participating"][0] == "fewer than 5"
    assert rows["Out of area"][0] == "0"
    assert rows["All children"][0] == "13"


def test_an_out_of_area_child_counts_for_the_partnership_of_its_routing_school(client, march):
    rows = figure(client, march.world.analyst_b, "match_outcomes")
    # Partnership B: the out-of-area child routed to school C, and the March notification
    # matched at school C.
    assert rows["Out of area"][0] == "fewer than 5"
    assert rows["Matched automatically"][0] == "fewer than 5"
    assert rows["All children"][0] == "fewer than 5"


def test_timeliness_gives_median_and_90th_percentile_in_hours(client, march):
    rows = figure(client, march.world.analyst_a, "timeliness")
    # Delivered 1..10 hours after the incident; acknowledged 1..6 hours after delivery.
    assert rows["Incident to delivery"][:3] == ["10", "5.5 hours", "9.1 hours"]
    assert rows["Delivery to acknowledgement"][:3] == ["6", "3.5 hours", "5.5 hours"]


def test_timeliness_is_not_shown_for_fewer_than_five_notifications(client, march):
    rows = figure(client, march.world.analyst_a, "timeliness", school=march.world.school_b.urn)
    # School B: 3 notifications.
    assert rows["Incident to delivery"][:3] == ["fewer than 5", "not shown", "not shown"]


def test_acknowledgement_before_the_school_day(client, march):
    rows = figure(client, march.world.analyst_a, "acknowledged_in_time")
    assert rows["Before the school day started"][0] == "5"
    assert rows["Before the school day started"][1] == "50%"
    assert rows["After the school day started"][0] == "fewer than 5"
    assert rows["Not acknowledged"][0] == "fewer than 5"
    assert rows["All delivered notifications"][0] == "10"


def test_escalations_by_step_and_by_event(client, march):
    rows = figure(client, march.world.analyst_a, "escalations")
    # 3 escalated (two by step, one by event), 7 not: 3 is hidden, so 7 is too.
    assert rows["Escalated"][0] == "fewer than 5"
    assert rows["Not escalated"][0] == "not shown"
    assert rows["All notifications"][0] == "10"


def test_support_actions_by_type_count_a_correction_once(client, march):
    rows = figure(client, march.world.analyst_a, "support_actions")
    # 5 welfare check-ins and 1 pastoral (the correction of the sixth check-in).
    assert rows["Pastoral support"][0] == "fewer than 5"
    assert rows["Welfare check-in"][0] == "not shown"
    assert rows["Counselling or mental health support"][0] == "0"
    assert rows["All support actions"][0] == "6"


def test_schools_coverage_and_schools_without_an_active_dsl(client, march):
    KeyAdult.objects.filter(school=march.world.school_b).update(is_active=False)
    rows = figure(client, march.world.analyst_a, "schools")
    assert rows["Participating"] == ["2", "67%"]
    assert rows["Not participating"] == ["1", "33%"]
    assert rows["All open schools"] == ["3", "100%"]
    assert rows["Participating without an active DSL"] == ["1", "50%"]


def test_filters_by_local_authority_phase_and_school(client, march):
    rows = figure(client, march.world.analyst_a, "summary", la="882", phase="Primary")
    assert rows["Notifications to schools"][0] == "10"
    rows = figure(client, march.world.analyst_a, "summary", school=march.world.school_a.urn)
    assert rows["Notifications to schools"][0] == "7"


def test_a_phase_not_in_the_area_is_a_clear_error(client, march):
    response = signed_in(client, march.world.analyst_a).get(
        reverse("statistics_api:figure", args=["summary"]), {**MARCH, "phase": "Nursery"}
    )
    assert response.status_code == 400
    assert response.json()["errors"] == {"phase": ["Choose a school phase from the list"]}


@pytest.mark.parametrize("params", [{"start": "2026-04-01", "end": "2026-04-30"}])
def test_a_month_without_incidents_shows_zeros(client, march, params):
    rows = figure(client, march.world.analyst_a, "summary", **params)
    assert rows["Notifications to schools"][0] == "0"
    assert rows["Children per incident"][0] == "–"


def test_match_outcomes_count_the_children_the_routing_queue_holds(client, march):
    incident = incident_file(march, at(date(2026, 3, 12)))
    for n in range(5):
        child = child_add(march, incident, name=(f"Routed{n}", "Nobody"), match_status=MatchStatus.NO_MATCH)
        MatchDecision.objects.create(
            child=child, outcome=MatchStatus.NO_MATCH, reason="no pupil", routed_to=march.world.partnership_a
        )
    queue = signed_in(client, march.world.coordinator_a).get(reverse("routing:queue")).content.decode()
    assert queue.count("Nobody") == 5

    rows = figure(client, march.world.analyst_a, "match_outcomes")
    # The one no-match child with a known school of A, and the five in the routing queue.
    assert rows["No match"][0] == "6"
    assert rows["All children"][0] == "18"
    # Partnership B's coordinator does not hold them, and neither do its figures.
    assert figure(client, march.world.analyst_b, "match_outcomes")["No match"][0] == "0"
