from datetime import date, timedelta

from django.urls import reverse
from django.utils import timezone

from encompass.models import Event
from notifications.models import SupportAction
from tests.conftest import signed_in
from tests.dashboard.helpers import notification_for


def log(client, notification, headers=None, **data):
    data = {"given_on": "27/11/2026", "kind": "welfare_check_in", "note": "Checked in at break", **data}
    return client.post(reverse("notifications:support_add", args=[notification.pk]), data, headers=headers)


def test_support_is_logged_with_a_date_a_type_and_a_note(client, world, notification):
    signed_in(client, world.key_adult_a)
    response = log(client, notification)
    assert response.status_code == 302
    action = notification.support_actions.get()
    assert (action.given_on, action.kind, action.note) == (
        date(2026, 11, 27),
        "welfare_check_in",
        "Checked in at break",
    )
    page = client.get(response.url).content.decode()
    assert "27 November 2026: Welfare check-in" in page
    assert Event.objects.filter(verb="support.logged", object_id=str(notification.pk)).count() == 1


def test_entries_build_up_over_the_weeks(client, world, notification):
    signed_in(client, world.key_adult_a)
    first, later = date(2026, 9, 7), date(2026, 9, 21)
    log(client, notification, given_on=f"{later:%d/%m/%Y}", kind="early_help", note="Referred")
    log(client, notification, given_on=f"{first:%d/%m/%Y}")
    page = client.get(reverse("notifications:detail", args=[notification.pk])).content.decode()
    assert page.index("7 September 2026: Welfare check-in") < page.index(
        "21 September 2026: Referral to early help"
    )


def test_the_form_suggests_today(client, world, notification):
    page = signed_in(client, world.key_adult_a).get(reverse("notifications:detail", args=[notification.pk]))
    assert f'value="{timezone.localdate():%d/%m/%Y}"' in page.content.decode()


def test_mistakes_are_explained_and_nothing_is_saved(client, world, notification):
    signed_in(client, world.key_adult_a)
    response = log(client, notification, given_on="31/02/2026", kind="")
    page = response.content.decode()
    assert response.status_code == 400
    assert "There is a problem" in page
    assert "must be a real date" in page and "Choose the type of support" in page
    assert 'href="#id_given_on"' in page
    assert "<title>Error: Notification" in page
    assert not SupportAction.objects.exists()


def test_with_htmx_the_support_section_comes_back_with_the_new_entry(client, world, notification):
    signed_in(client, world.key_adult_a)
    response = log(client, notification, headers={"HX-Request": "true"})
    body = response.content.decode()
    assert response.status_code == 200
    assert "<html" not in body
    assert "Support logged" in body and "Checked in at break" in body


def test_with_htmx_errors_come_back_in_the_section(client, world, notification):
    signed_in(client, world.key_adult_a)
    future = (timezone.localdate() + timedelta(days=2)).strftime("%d/%m/%Y")
    response = log(client, notification, given_on=future, headers={"HX-Request": "true"})
    assert response.status_code == 400
    assert "must be today or in the past" in response.content.decode()
    assert not SupportAction.objects.exists()


def test_a_correction_keeps_the_original(client, world, notification):
    signed_in(client, world.key_adult_a)
    log(client, notification, note="Wrong child's note")
    original = notification.support_actions.get()
    url = reverse("notifications:support_correct", args=[notification.pk, original.pk])
    assert "Wrong child&#x27;s note" in client.get(url).content.decode()
    response = client.post(url, {"given_on": "27/11/2026", "kind": "pastoral", "note": "Pastoral chat"})
    assert response.status_code == 302
    original.refresh_from_db()
    assert original.note == "Wrong child's note"
    correction = original.corrected_by
    assert (correction.kind, correction.note) == ("pastoral", "Pastoral chat")
    page = client.get(response.url).content.decode()
    assert "27 November 2026: Pastoral support" in page
    assert "see the earlier version" in page and "Wrong child&#x27;s note" in page
    assert Event.objects.filter(verb="support.corrected").count() == 1


def test_an_entry_is_corrected_once_then_its_correction_is(client, world, notification):
    signed_in(client, world.key_adult_a)
    log(client, notification)
    original = notification.support_actions.get()
    url = reverse("notifications:support_correct", args=[notification.pk, original.pk])
    client.post(url, {"given_on": "27/11/2026", "kind": "pastoral"})
    assert client.post(url, {"given_on": "27/11/2026", "kind": "other"}).status_code == 404
    assert notification.support_actions.count() == 2


def test_an_entry_of_another_notification_cannot_be_corrected_through_this_one(client, world, notification):
    other = notification_for(world.school_a, first_name="Oliver")
    signed_in(client, world.key_adult_a)
    log(client, other)
    action = other.support_actions.get()
    url = reverse("notifications:support_correct", args=[notification.pk, action.pk])
    assert client.get(url).status_code == 404
