"""The whole loop in one process: officer files, child matched, school alerted, Key Adult
views, acknowledges and logs support, the partnership sees the count."""

from datetime import date

from django.core import mail
from django.urls import reverse

from encompass.models import Event
from incidents.models import MatchStatus
from notifications.models import Notification, NotificationStatus
from tests.conftest import signed_in
from tests.factories import IncidentFactory


def file_incident(client, world, **child):
    child = {"first_name": "Amelia", "last_name": "Smith", "dob": "2016-05-14", **child}
    data = {
        "reference": "42/123456/26",
        "occurred_at_0": "2026-11-27",
        "occurred_at_1": "21:30",
        "kind": "incident",
        "address_line1": "1 High Street",
        "postcode": "SS1 1AA",
        "children-TOTAL_FORMS": "1",
        "children-INITIAL_FORMS": "0",
        "children-MIN_NUM_FORMS": "1",
        "children-MAX_NUM_FORMS": "1000",
        "children-0-first_name": child["first_name"],
        "children-0-last_name": child["last_name"],
        "children-0-dob": child["dob"],
        "children-0-sex": "F",
        "children-0-present": "on",
        "_submit": "Save and submit to schools",
    }
    return signed_in(client, world.officer_a).post(reverse("police:incidents_incident_add"), data)


def test_officer_files_and_the_school_is_alerted_without_personal_data(
    client, world, eager_celery, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        response = file_incident(client, world)
    assert response.status_code == 302
    notification = Notification.objects.get()
    assert notification.school == world.school_a
    assert notification.child.match_status == MatchStatus.MATCHED
    assert notification.status == NotificationStatus.DELIVERED
    assert [m.to for m in mail.outbox] == [[world.key_adult_a.email]]
    message = mail.outbox[0]
    assert "Chalkwell Primary School" in message.subject
    body = message.body + message.alternatives[0][0]
    assert "Amelia" not in body and "Smith" not in body and "2016" not in body


def test_a_child_not_in_the_census_is_not_notified(
    client, world, eager_celery, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        file_incident(client, world, first_name="Zebedee")
    assert not Notification.objects.exists()
    assert mail.outbox == []


def test_key_adult_views_acknowledges_and_logs_support(
    client, world, eager_celery, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        file_incident(client, world)
    notification = Notification.objects.get()
    signed_in(client, world.key_adult_a)

    inbox = client.get(reverse("notifications:inbox"))
    assert "Amelia Smith" in inbox.content.decode()
    page = client.get(reverse("notifications:detail", args=[notification.pk]))
    assert page.status_code == 200
    assert Event.objects.filter(verb="notification.viewed", actor=world.key_adult_a).count() == 1

    client.post(reverse("notifications:acknowledge", args=[notification.pk]))
    client.post(reverse("notifications:acknowledge", args=[notification.pk]))
    notification.refresh_from_db()
    assert notification.status == NotificationStatus.ACKNOWLEDGED
    assert Event.objects.filter(verb="notification.acknowledged").count() == 1

    response = client.post(
        reverse("notifications:support_add", args=[notification.pk]),
        {"given_on": "2026-11-28", "kind": "welfare_check_in", "note": "Checked in at break"},
    )
    assert response.status_code == 302
    assert notification.support_actions.get().given_on == date(2026, 11, 28)


def test_support_in_the_future_is_refused_with_a_message(
    client, world, eager_celery, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        file_incident(client, world)
    notification = Notification.objects.get()
    response = signed_in(client, world.key_adult_a).post(
        reverse("notifications:support_add", args=[notification.pk]),
        {"given_on": "2099-01-01", "kind": "welfare_check_in"},
    )
    assert response.status_code == 400
    assert "must be today or in the past" in response.content.decode()
    assert not notification.support_actions.exists()


def test_key_adult_of_another_school_gets_404(
    client, world, eager_celery, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        file_incident(client, world)
    notification = Notification.objects.get()
    signed_in(client, world.key_adult_b)
    for name in ("notifications:detail", "notifications:acknowledge", "notifications:support_add"):
        method = client.get if name == "notifications:detail" else client.post
        assert method(reverse(name, args=[notification.pk])).status_code == 404
    notification.refresh_from_db()
    assert notification.status == NotificationStatus.DELIVERED


def test_officer_of_another_force_cannot_see_the_incident(client, world):
    incident = IncidentFactory(force=world.force_a)
    signed_in(client, world.officer_b)
    url = reverse("police:incidents_incident_change", args=[incident.pk])
    response = client.get(url)
    assert response.status_code in (302, 404)
    assert (
        incident.reference not in client.get(reverse("police:incidents_incident_changelist")).content.decode()
    )


def test_partnership_statistics_show_the_count(
    client, world, eager_celery, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        file_incident(client, world)
    summary = "/api/v1/statistics/figures/summary/?start=2026-11-01&end=2026-11-30"
    figure = signed_in(client, world.analyst_a).get(summary).json()
    notifications = next(row for row in figure["rows"] if row["label"] == "Notifications to schools")
    # One notification: a count from 1 to 4 is never shown exactly.
    assert notifications["cells"][0]["display"] == "fewer than 5"
    page = client.get(reverse("statistics:index"), {"start": "2026-11-01", "end": "2026-11-30"})
    assert "fewer than 5" in page.content.decode()
    other = signed_in(client, world.analyst_b).get(summary).json()
    notifications = next(row for row in other["rows"] if row["label"] == "Notifications to schools")
    assert notifications["cells"][0]["value"] == 0
