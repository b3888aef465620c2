"""The police review queue: who may decide, and what a decision does."""

import pytest
from django.urls import reverse

from encompass.events import events_for
from incidents.models import MatchDecision, MatchStatus
from notifications.models import Notification
from tests.conftest import signed_in
from tests.factories import IncidentChildFactory, IncidentFactory


def page(child):
    return reverse("police:review_child", args=[child.pk])


def test_a_reviewer_sees_the_child_beside_its_candidates(client, world, twin_in_review):
    signed_in(client, world.reviewer_a)
    assert "Ollie" in client.get(reverse("police:review")).content.decode()
    html = client.get(page(twin_in_review)).content.decode()
    assert "Oliver" in html and "Olivia" in html
    assert (
        "nickname or variant" in html and 'class="govuk-table__cell agree"' in html and "same address" in html
    )


@pytest.mark.parametrize("persona", ["officer_a", "officer_b", "key_adult_a", "coordinator_a"])
def test_nobody_but_the_forces_reviewers_may_see_or_decide(client, world, twin_in_review, persona):
    signed_in(client, getattr(world, persona))
    assert client.get(reverse("police:review")).status_code == 404
    assert client.get(page(twin_in_review)).status_code == 404
    assert client.post(page(twin_in_review), {"decision": "none", "reason": "x"}).status_code == 404
    assert not Notification.objects.exists()


def test_a_reviewer_of_another_force_gets_404(client, world, twin_in_review):
    from encompass.models import Role
    from tests.factories import UserFactory

    signed_in(client, UserFactory(role=Role.REVIEWER, force=world.force_b))
    assert client.get(page(twin_in_review)).status_code == 404
    assert "Ollie" not in client.get(reverse("police:review")).content.decode()


def test_confirming_a_candidate_notifies_its_school_once_and_records_who_and_why(
    client, world, twin_in_review, django_capture_on_commit_callbacks
):
    signed_in(client, world.reviewer_a)
    oliver = twin_in_review.stored[12]
    data = {"decision": str(oliver.pk), "reason": "Mother confirmed the boy is Oliver"}
    with django_capture_on_commit_callbacks():
        response = client.post(page(twin_in_review), data)
    assert response.status_code == 302
    twin_in_review.refresh_from_db()
    assert twin_in_review.match_status == MatchStatus.MATCHED and twin_in_review.pupil == oliver
    notification = Notification.objects.get()
    assert notification.school == world.school_a and notification.child == twin_in_review
    decision = MatchDecision.objects.get(child=twin_in_review, is_current=True)
    assert decision.decided_by == world.reviewer_a and "Mother confirmed" in decision.reason
    event = events_for(twin_in_review).get(verb="child.review_confirmed")
    assert event.actor == world.reviewer_a and "Mother" not in str(event.data)
    # A second post finds the child decided: still one notification.
    assert client.post(page(twin_in_review), data).status_code == 404
    assert Notification.objects.count() == 1


def test_confirming_none_routes_the_child_and_tells_no_school(client, world, twin_in_review):
    signed_in(client, world.reviewer_a)
    response = client.post(page(twin_in_review), {"decision": "none", "reason": "Neither twin: a cousin"})
    assert response.status_code == 302
    twin_in_review.refresh_from_db()
    assert twin_in_review.match_status == MatchStatus.NO_MATCH
    assert not Notification.objects.exists()
    assert MatchDecision.objects.get(child=twin_in_review, is_current=True).routed_to == world.partnership_a


def test_a_decision_without_a_reason_is_refused(client, world, twin_in_review):
    signed_in(client, world.reviewer_a)
    response = client.post(page(twin_in_review), {"decision": "none", "reason": ""})
    assert response.status_code == 400
    twin_in_review.refresh_from_db()
    assert twin_in_review.match_status == MatchStatus.REVIEW


def test_a_child_a_school_returned_is_back_in_the_queue_with_its_reason(client, world):
    child = IncidentChildFactory(
        incident=IncidentFactory(force=world.force_a, status="submitted"),
        match_status=MatchStatus.REVIEW,
        match_detail={
            "returned_by_school": {"school": world.school_a.urn, "reason": "never_enrolled", "note": ""}
        },
    )
    signed_in(client, world.reviewer_a)
    assert "Returned by a school" in client.get(reverse("police:review")).content.decode()
    assert "never_enrolled" in client.get(page(child)).content.decode()


def test_a_coordinator_marks_a_routed_child_handled(client, world):
    child = IncidentChildFactory(
        incident=IncidentFactory(force=world.force_a), match_status=MatchStatus.NO_MATCH
    )
    decision = MatchDecision.objects.create(
        child=child,
        outcome=MatchStatus.NO_MATCH,
        reason="-",
        routed_to=world.partnership_a,
        route_reason="no pupil",
    )
    signed_in(client, world.coordinator_a)
    assert "No pupil" in client.get(reverse("routing:queue")).content.decode()
    client.post(reverse("routing:handle", args=[decision.pk]), {"note": "Told the LA by phone"})
    decision.refresh_from_db()
    assert decision.handled_by == world.coordinator_a and decision.handled_note == "Told the LA by phone"
    assert events_for(child).filter(verb="match.routing_handled").exists()


def test_another_partnerships_routed_child_is_404(client, world):
    child = IncidentChildFactory(
        incident=IncidentFactory(force=world.force_a), match_status=MatchStatus.NO_MATCH
    )
    decision = MatchDecision.objects.create(
        child=child, outcome=MatchStatus.NO_MATCH, reason="-", routed_to=world.partnership_b
    )
    signed_in(client, world.coordinator_a)
    assert client.post(reverse("routing:handle", args=[decision.pk]), {"note": "x"}).status_code == 404
