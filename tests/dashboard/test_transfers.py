"""A child who moves school: the next census shows a notified pupil at another participating
school, whose Key Adults receive the history as a "transfer" notification; the old school keeps
its copy; a census imported again sends nothing twice; a move to a school not on Encompass goes
to the coordinator."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from encompass.events import events_for
from incidents.models import MatchStatus
from notifications.models import (
    DeliveryAttempt,
    Notification,
    NotificationKind,
    NotificationStatus,
    SupportAction,
    Transfer,
    TransferStatus,
)
from notifications.transfers import transfers_find
from schools.imports.pupils import pupils_import
from schools.models import Pupil, SharingLevel
from tests.conftest import signed_in
from tests.dashboard.helpers import notification_for
from tests.factories import SchoolFactory
from tests.schools.census import census_file, census_row

N = 500  # the census line of the child who moves


def census(tmp_path, school, *, entry="2023-09-01", name="census.csv"):
    report = pupils_import(source=census_file(tmp_path, [census_row(N, school.urn, entry_date=entry)], name))
    assert report.applied and not report.errors, report.errors
    return Pupil.objects.get(upn=census_row(N, school.urn)["upn"])


@pytest.fixture
def notified(world, tmp_path):
    """Amelia, notified at school A last month, with support logged there."""
    pupil = census(tmp_path, world.school_a)
    old = notification_for(world.school_a, first_name="Amelia", last_name=pupil.last_name, pupil=pupil)
    SupportAction.objects.create(
        notification=old,
        given_on=timezone.localdate(),
        kind="pastoral",
        note="Weekly check-in",
        created_by=world.key_adult_a,
    )
    assert transfers_find() == 0  # at her own school: nothing to send
    return old


def moves(tmp_path, school):
    return census(tmp_path, school, entry="2026-11-30", name="census-spring.csv")


def test_the_new_schools_key_adult_sees_the_history_and_the_old_school_keeps_its_copy(
    client, world, tmp_path, notified
):
    moves(tmp_path, world.school_b)
    assert transfers_find() == 1
    transfer = Transfer.objects.get()
    new = transfer.notification
    assert transfer.status == TransferStatus.NOTIFIED and transfer.history == [notified.pk]
    assert (new.school, new.kind, new.child) == (world.school_b, NotificationKind.TRANSFER, notified.child)
    assert DeliveryAttempt.objects.filter(notification=new, recipient=world.key_adult_b).exists()
    event = events_for(transfer).get(verb="transfer.notified")
    assert event.data["to_school"] == world.school_b.urn and "Amelia" not in str(event.data)

    signed_in(client, world.key_adult_b)
    assert "History (transfer)" in client.get(reverse("notifications:inbox")).content.decode()
    page = client.get(reverse("notifications:detail", args=[new.pk])).content.decode()
    assert "History from earlier schools" in page and world.school_a.name in page
    assert "Weekly check-in" not in page  # support logs only when the partnership says so
    client.post(reverse("notifications:acknowledge", args=[new.pk]))
    new.refresh_from_db()
    assert new.status == NotificationStatus.ACKNOWLEDGED

    notified.refresh_from_db()
    assert notified.status == NotificationStatus.DELIVERED and notified.school == world.school_a
    signed_in(client, world.key_adult_a)
    assert client.get(reverse("notifications:detail", args=[notified.pk])).status_code == 200
    assert client.get(reverse("notifications:detail", args=[new.pk])).status_code == 404


def test_a_census_imported_again_sends_no_second_transfer(world, tmp_path, notified):
    moves(tmp_path, world.school_b)
    assert transfers_find() == 1
    moves(tmp_path, world.school_b)
    assert transfers_find() == 0
    assert Transfer.objects.count() == 1
    assert Notification.objects.filter(school=world.school_b).count() == 1


def test_support_logs_follow_only_when_the_partnership_says_so(client, world, tmp_path, notified):
    world.partnership_a.transfer_support_logs = True
    world.partnership_a.sharing_level = SharingLevel.FULL
    world.partnership_a.save()
    moves(tmp_path, world.school_b)
    transfers_find()
    signed_in(client, world.key_adult_b)
    page = client.get(reverse("notifications:detail", args=[Transfer.objects.get().notification_id])).content
    assert "Weekly check-in" in page.decode() and notified.child.incident.reference in page.decode()


def test_a_move_to_a_school_not_on_encompass_goes_to_the_coordinator(client, world, tmp_path, notified):
    outside = SchoolFactory(
        local_authority=world.la_a, participating=False, joined_on=None, name="Eastwood Academy"
    )
    moves(tmp_path, outside)
    assert transfers_find() == 1
    transfer = Transfer.objects.get()
    assert transfer.status == TransferStatus.ROUTED and transfer.routed_to == world.partnership_a
    assert transfer.notification is None and not Notification.objects.filter(school=outside).exists()
    assert events_for(transfer).filter(verb="transfer.routed").exists()

    signed_in(client, world.coordinator_a)
    assert "Eastwood Academy" in client.get(reverse("notifications:transfers")).content.decode()
    url = reverse("notifications:transfer_handled", args=[transfer.pk])
    client.post(url, {"note": "File sent to Eastwood's DSL by secure e-mail"})
    transfer.refresh_from_db()
    assert transfer.handled_by == world.coordinator_a and "secure e-mail" in transfer.handled_note
    signed_in(client, world.key_adult_a)
    assert client.get(reverse("notifications:transfers")).status_code == 404


def test_notifications_older_than_transfer_months_do_not_follow(world, tmp_path, notified, settings):
    settings.TRANSFER_MONTHS = 24
    Notification.objects.filter(pk=notified.pk).update(created_at=timezone.now() - timedelta(days=25 * 31))
    moves(tmp_path, world.school_b)
    assert transfers_find() == 0 and not Transfer.objects.exists()


def test_not_our_pupil_on_a_transfer_sends_nobody_to_review(client, world, tmp_path, notified):
    moves(tmp_path, world.school_b)
    transfers_find()
    new = Transfer.objects.get().notification
    signed_in(client, world.key_adult_b)
    client.post(reverse("notifications:reject", args=[new.pk]), {"reason": "never_on_roll"})
    new.refresh_from_db()
    notified.child.refresh_from_db()
    assert new.status == NotificationStatus.REJECTED
    assert notified.child.match_status == MatchStatus.MATCHED


def test_a_transfer_is_not_counted_as_another_notification(world, tmp_path, notified):
    from notifications.models import NotificationStatistic
    from notifications.statistics.maintenance import notification_statistics_rebuild

    moves(tmp_path, world.school_b)
    transfers_find()
    assert not NotificationStatistic.objects.filter(notification=Transfer.objects.get().notification).exists()
    notification_statistics_rebuild()
    assert not NotificationStatistic.objects.filter(notification=Transfer.objects.get().notification).exists()
