from datetime import timedelta

from django.urls import reverse
from django.utils import timezone

from encompass.models import Event
from notifications.models import NotificationStatus
from schools.models import SharingLevel
from tests.conftest import signed_in
from tests.dashboard.helpers import notification_for
from tests.factories import IncidentFactory, UserFactory


def detail(notification):
    return reverse("notifications:detail", args=[notification.pk])


def full_details(notification):
    incident = notification.child.incident
    incident.reference = "42/777777/26"
    incident.voice_of_child = "Said they were frightened"
    incident.circumstances = "Verbal argument, child upstairs"
    incident.save()


def test_a_minimal_partnership_shares_only_the_minimal_fields(client, world, notification):
    full_details(notification)
    page = signed_in(client, world.key_adult_a).get(detail(notification)).content.decode()
    assert "Amelia Smith" in page
    assert "14 May 2016" in page
    assert "Welfare check made" in page
    assert "42/777777/26" not in page
    assert "Said they were frightened" not in page


def test_a_full_partnership_adds_reference_location_voice_and_circumstances(client, world, notification):
    world.partnership_a.sharing_level = SharingLevel.FULL
    world.partnership_a.save()
    full_details(notification)
    page = signed_in(client, world.key_adult_a).get(detail(notification)).content.decode()
    assert "42/777777/26" in page
    assert "1 High Street, SS1 1AA" in page
    assert "Said they were frightened" in page
    assert "Verbal argument, child upstairs" in page


def test_every_view_is_recorded_and_shown(client, world, notification):
    deputy = UserFactory(role="key_adult", full_name="Dana Deputy")
    deputy.key_adult_roles.create(school=world.school_a, role="deputy")
    signed_in(client, deputy).get(detail(notification))
    signed_in(client, world.key_adult_a).get(detail(notification))
    page = client.get(detail(notification)).content.decode()
    views = Event.objects.filter(verb="notification.viewed", object_id=str(notification.pk))
    assert views.count() == 3
    assert "Dana Deputy" in page
    assert "Dana Deputy" in page and "visits" not in page


def test_reloading_and_acting_on_the_page_is_one_visit_but_every_view_is_recorded(
    client, world, notification
):
    signed_in(client, world.key_adult_a)
    for _ in range(4):
        client.get(detail(notification))
    client.post(reverse("notifications:acknowledge", args=[notification.pk]), follow=True)
    views = Event.objects.filter(verb="notification.viewed", object_id=str(notification.pk))
    assert views.count() == 5
    page = client.get(detail(notification)).content.decode()
    assert "views)" not in page and "visits)" not in page

    yesterday = views.first()
    Event.objects.create(
        verb=yesterday.verb,
        object_type=yesterday.object_type,
        object_id=yesterday.object_id,
        actor=world.key_adult_a,
        at=timezone.now() - timedelta(days=1),
    )
    page = client.get(detail(notification)).content.decode()
    assert f"{world.key_adult_a.full_name}: first" in page and "(2 visits)" in page


def test_the_page_says_when_it_was_delivered(client, world, notification):
    page = signed_in(client, world.key_adult_a).get(detail(notification)).content.decode()
    assert "Delivered to your school" in page
    assert timezone.localtime(notification.delivered_at).strftime("%-d %B %Y, %H:%M") in page


def test_acknowledging_is_one_action_and_safe_to_repeat(client, world, notification):
    signed_in(client, world.key_adult_a)
    url = reverse("notifications:acknowledge", args=[notification.pk])
    assert client.post(url).url == detail(notification)
    client.post(url)
    notification.refresh_from_db()
    assert notification.status == NotificationStatus.ACKNOWLEDGED
    assert notification.acknowledged_by == world.key_adult_a
    assert Event.objects.filter(verb="notification.acknowledged").count() == 1
    page = client.get(detail(notification)).content.decode()
    assert f"Acknowledged by {world.key_adult_a.full_name}" in page


def test_acknowledging_with_htmx_returns_only_the_acknowledgement(client, world, notification):
    signed_in(client, world.key_adult_a)
    url = reverse("notifications:acknowledge", args=[notification.pk])
    response = client.post(url, headers={"HX-Request": "true"})
    body = response.content.decode()
    assert response.status_code == 200
    assert "Notification acknowledged" in body and "<html" not in body
    assert 'id="status-tags" hx-swap-oob="true"' in body, "the status tag at the top changes too"
    notification.refresh_from_db()
    assert notification.status == NotificationStatus.ACKNOWLEDGED


def test_earlier_notifications_about_the_same_pupil_are_listed(client, world, notification):
    earlier = notification_for(world.school_a, pupil=world.pupil, status=NotificationStatus.ACKNOWLEDGED)
    elsewhere = notification_for(world.school_b, pupil=world.pupil)
    someone_else = notification_for(world.school_a, first_name="Oliver")
    page = signed_in(client, world.key_adult_a).get(detail(notification)).content.decode()
    assert detail(earlier) in page
    assert detail(elsewhere) not in page
    assert detail(someone_else) not in page


def test_siblings_at_the_same_incident_are_linked(client, world, notification):
    incident = notification.child.incident
    sibling = notification_for(world.school_a, first_name="Jack", incident=incident)
    other_school = notification_for(world.school_b, first_name="Lily", incident=incident)
    unrelated = notification_for(world.school_a, first_name="Noah", incident=IncidentFactory())
    page = signed_in(client, world.key_adult_a).get(detail(notification)).content.decode()
    assert "Other children at this incident" in page
    assert f'href="{detail(sibling)}">Jack Smith' in page
    assert "Lily" not in page and detail(other_school) not in page
    assert detail(unrelated) not in page


def test_a_withdrawn_notification_shows_no_content(client, world):
    withdrawn = notification_for(
        world.school_a, first_name="Hidden", status=NotificationStatus.WITHDRAWN, withdrawn_at=timezone.now()
    )
    page = signed_in(client, world.key_adult_a).get(detail(withdrawn)).content.decode()
    assert "Withdrawn notification" in page
    assert "Hidden" not in page and "14 May 2016" not in page
    assert "Acknowledge</button>" not in page and "Log support</button>" not in page


def test_every_route_is_404_to_a_key_adult_of_another_school(client, world, notification):
    action = notification.support_actions.create(
        given_on=timezone.localdate(), kind="pastoral", created_by=world.key_adult_a
    )
    signed_in(client, world.key_adult_b)
    pk = notification.pk
    gets = ["detail", "reject", "export"]
    posts = ["acknowledge", "support_add", "reject", "export"]
    for name in gets:
        assert client.get(reverse(f"notifications:{name}", args=[pk])).status_code == 404, name
    for name in posts:
        assert client.post(reverse(f"notifications:{name}", args=[pk])).status_code == 404, name
    correct = reverse("notifications:support_correct", args=[pk, action.pk])
    assert client.get(correct).status_code == 404
    assert client.post(correct).status_code == 404
    notification.refresh_from_db()
    assert notification.status == NotificationStatus.DELIVERED
    assert not Event.objects.filter(actor=world.key_adult_b).exists()


def test_other_roles_get_404_too(client, world, notification):
    for user in (world.officer_a, world.coordinator_a, world.analyst_a):
        assert signed_in(client, user).get(detail(notification)).status_code == 404


def test_the_actions_at_the_top_right_come_first_in_tab_order(client, world, notification):
    signed_in(client, world.key_adult_a)
    html = client.get(detail(notification)).content.decode()
    # Shown beside the heading, so reached by the keyboard before the details and the forms.
    export = html.index(reverse("notifications:export", args=[notification.pk]))
    reject = html.index(reverse("notifications:reject", args=[notification.pk]))
    assert export < reject < html.index('id="acknowledgement"') < html.index('id="support"')
