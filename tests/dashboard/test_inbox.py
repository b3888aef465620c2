from datetime import timedelta

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from incidents.models import Incident, IncidentChild, MatchStatus
from notifications.models import Notification, NotificationStatus
from tests.conftest import signed_in
from tests.dashboard.helpers import notification_for
from tests.factories import ForceFactory, IncidentFactory, KeyAdultFactory, SchoolFactory

INBOX = reverse("notifications:inbox")


def rows(response) -> list[str]:
    """The names in the inbox table, top to bottom."""
    return [n.child.first_name for n in response.context["page"].object_list]


def test_unacknowledged_notifications_come_first(client, world):
    notification_for(world.school_a, first_name="Older", status=NotificationStatus.ACKNOWLEDGED)
    notification_for(world.school_a, first_name="Newest", status=NotificationStatus.ACKNOWLEDGED)
    notification_for(world.school_a, first_name="Waiting")
    response = signed_in(client, world.key_adult_a).get(INBOX)
    assert rows(response) == ["Waiting", "Newest", "Older"]
    page = response.content.decode()
    assert "1 new notification</strong>" in page
    assert "Overdue" not in page


def test_within_a_group_the_newest_incident_comes_first_whenever_it_was_filed(client, world):
    now = timezone.now()
    for name, days_ago in [("Tuesday", 1), ("Monday", 2), ("Wednesday", 0), ("LateFiledSunday", 3)]:
        incident = IncidentFactory(status="submitted", occurred_at=now - timedelta(days=days_ago))
        notification_for(world.school_a, first_name=name, incident=incident)

    response = signed_in(client, world.key_adult_a).get(INBOX)

    assert rows(response) == ["Wednesday", "Tuesday", "Monday", "LateFiledSunday"]


def test_it_shows_only_the_key_adults_own_school(client, world):
    notification_for(world.school_a, first_name="Ours")
    notification_for(world.school_b, first_name="Theirs")
    notification_for(world.school_a, first_name="Rejected", status=NotificationStatus.REJECTED)
    page = signed_in(client, world.key_adult_a).get(INBOX).content.decode()
    assert "Ours" in page
    assert "Theirs" not in page and "Rejected" not in page


def test_withdrawn_and_updated_notifications_are_tagged(client, world):
    notification_for(world.school_a, first_name="Gone", status=NotificationStatus.WITHDRAWN)
    notification_for(world.school_a, first_name="Changed", content_updated_at=timezone.now())
    page = signed_in(client, world.key_adult_a).get(INBOX).content.decode()
    assert 'govuk-tag--grey">Withdrawn</strong>' in page
    assert 'govuk-tag--yellow">Updated</strong>' in page
    assert "Gone" not in page, "a withdrawn notification's content is removed"


def test_overdue_notifications_say_so(client, world):
    notification_for(world.school_a, due_at=timezone.now() - timezone.timedelta(minutes=5))
    page = signed_in(client, world.key_adult_a).get(INBOX).content.decode()
    assert "Overdue" in page


def test_the_status_filter_shows_only_that_status(client, world):
    notification_for(world.school_a, first_name="Waiting")
    notification_for(world.school_a, first_name="Done", status=NotificationStatus.ACKNOWLEDGED)
    signed_in(client, world.key_adult_a)
    assert rows(client.get(INBOX, {"status": "new"})) == ["Waiting"]
    assert rows(client.get(INBOX, {"status": "acknowledged"})) == ["Done"]
    assert rows(client.get(INBOX, {"status": "nonsense"})) == ["Waiting", "Done"]


def test_search_by_name_keeps_the_name_out_of_the_url(client, world):
    notification_for(world.school_a, first_name="Amelia", last_name="Smith")
    notification_for(world.school_a, first_name="Oliver", last_name="Jones")
    notification_for(
        world.school_a, first_name="Amelia", last_name="Gone", status=NotificationStatus.WITHDRAWN
    )
    signed_in(client, world.key_adult_a)
    response = client.post(reverse("notifications:inbox_search"), {"name": "amelia smi"})
    assert response.status_code == 302
    assert response.url == INBOX
    results = client.get(response.url)
    assert rows(results) == ["Amelia"]
    assert "Withdrawn notification" not in results.content.decode()

    client.post(reverse("notifications:inbox_search"), {"name": "amelia", "clear": "1"})
    assert len(rows(client.get(INBOX))) == 3


def test_searching_by_get_is_not_possible(client, world):
    signed_in(client, world.key_adult_a)
    assert client.get(reverse("notifications:inbox_search"), {"name": "Amelia"}).status_code == 405


def test_the_inbox_is_paginated(client, world):
    for n in range(27):
        notification_for(world.school_a, first_name=f"Child{n}")
    signed_in(client, world.key_adult_a)
    first = client.get(INBOX)
    assert len(rows(first)) == 25
    assert 'rel="next"' in first.content.decode()
    assert len(rows(client.get(INBOX, {"page": 2}))) == 2


def test_a_key_adult_of_several_schools_switches_between_them(client, world):
    KeyAdultFactory(user=world.key_adult_a, school=world.school_b)
    notification_for(world.school_a, first_name="AtA")
    notification_for(world.school_b, first_name="AtB")
    signed_in(client, world.key_adult_a)
    assert rows(client.get(INBOX)) == ["AtA"]
    client.post(reverse("notifications:school_switch"), {"school": world.school_b.pk})
    assert rows(client.get(INBOX)) == ["AtB"]


def test_switching_to_a_school_that_is_not_yours_is_refused(client, world):
    notification_for(world.school_a, first_name="AtA")
    notification_for(world.school_b, first_name="AtB")
    signed_in(client, world.key_adult_a)
    client.post(reverse("notifications:school_switch"), {"school": world.school_b.pk})
    assert rows(client.get(INBOX)) == ["AtA"]


def test_people_who_are_not_key_adults_get_404(client, world):
    for user in (world.officer_a, world.analyst_a, world.admin):
        assert signed_in(client, user).get(INBOX).status_code == 404


def _bulk_notifications(school, count, start=0):
    force = ForceFactory(code="BLK")
    now = timezone.now()
    incidents = Incident.objects.bulk_create(
        Incident(force=force, reference=f"99/{n:06d}/26", occurred_at=now, status="submitted")
        for n in range(start, start + count)
    )
    children = IncidentChild.objects.bulk_create(
        IncidentChild(
            incident=i, first_name=f"Child{i.pk}", last_name="Bulk", match_status=MatchStatus.NO_MATCH
        )
        for i in incidents
    )
    Notification.objects.bulk_create(
        Notification(child=c, school=school, due_at=now, status=NotificationStatus.DELIVERED)
        for c in children
    )


def test_the_inbox_query_count_does_not_grow_with_the_notifications(client, world):
    signed_in(client, world.key_adult_a)
    KeyAdultFactory(user=world.key_adult_a, school=SchoolFactory(name="Another school"))
    client.post(reverse("notifications:school_switch"), {"school": world.school_a.pk})
    _bulk_notifications(world.school_a, 3)
    client.get(INBOX)
    with CaptureQueriesContext(connection) as few:
        client.get(INBOX)
    _bulk_notifications(world.school_a, 1_000, start=3)
    with CaptureQueriesContext(connection) as many:
        response = client.get(INBOX, {"page": 3})
    assert len(rows(response)) == 25
    assert response.context["page"].paginator.count == 1_003
    assert len(many) == len(few), [q["sql"] for q in many]
    assert len(few) <= 10, "\n".join(q["sql"][:150] for q in few)
