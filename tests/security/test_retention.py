from datetime import date, datetime, timedelta
from io import StringIO
from zoneinfo import ZoneInfo

from django.core.management import call_command
from django.utils import timezone

from encompass.models import Event
from incidents.models import IncidentChild, MatchStatus
from notifications.models import Notification, NotificationStatus
from tests.factories import IncidentChildFactory, IncidentFactory

LONDON = ZoneInfo("Europe/London")
LONG_AGO = datetime(2018, 3, 1, 22, 0, tzinfo=LONDON)


def notified_child(
    world, *, occurred_at=LONG_AGO, dob=date(2016, 5, 14), status=NotificationStatus.DELIVERED
):
    incident = IncidentFactory(force=world.force_a, occurred_at=occurred_at, circumstances="Shouting heard")
    child = IncidentChildFactory(
        incident=incident, dob=dob, match_status=MatchStatus.MATCHED, pupil=world.pupil, school=world.school_a
    )
    Notification.objects.create(child=child, school=world.school_a, due_at=occurred_at, status=status)
    return child


def run(*args):
    out = StringIO()
    call_command("apply_retention", *args, stdout=out)
    return out.getvalue()


def test_dry_run_reports_what_is_due_and_changes_nothing(world):
    incident = IncidentFactory(force=world.force_a, occurred_at=LONG_AGO, circumstances="Shouting heard")
    IncidentChildFactory(incident=incident, match_status=MatchStatus.NO_MATCH)
    report = run("--dry-run")
    assert "Due: 1 incidents whose details are erased" in report
    assert "Due: 1 children never notified whose details are erased" in report
    incident.refresh_from_db()
    assert incident.circumstances == "Shouting heard"


def test_old_unnotified_children_and_incident_details_are_erased_but_still_counted(world):
    incident = IncidentFactory(force=world.force_a, occurred_at=LONG_AGO, circumstances="Shouting heard")
    IncidentChildFactory(incident=incident, first_name="Zara", match_status=MatchStatus.NO_MATCH)
    run()
    incident.refresh_from_db()
    child = IncidentChild.objects.get()
    assert (incident.circumstances, incident.address_line1, incident.postcode) == ("", "", "")
    assert (child.first_name, child.last_name, child.dob) == ("", "", None)
    assert child.match_status == MatchStatus.NO_MATCH
    assert IncidentChild.objects.filter(incident__force=world.force_a).count() == 1
    assert Event.objects.filter(verb="retention.child_details_erased").count() == 1
    assert "Due: 0" in run("--dry-run")


def test_a_school_copy_keeps_what_the_school_was_shown(world):
    child = notified_child(world)
    run()
    child.refresh_from_db()
    assert child.first_name == "Amelia"
    assert child.incident.circumstances == "Shouting heard"


def test_recent_records_are_kept(world):
    incident = IncidentFactory(force=world.force_a, occurred_at=timezone.now() - timedelta(days=30))
    IncidentChildFactory(incident=incident, first_name="Zara", match_status=MatchStatus.NO_MATCH)
    run()
    assert IncidentChild.objects.get().first_name == "Zara"


def test_a_school_copy_is_flagged_for_review_once_at_the_childs_25th_birthday(world):
    notification = notified_child(world, dob=date(1999, 1, 1)).notifications.get()
    notified_child(world, dob=date(2016, 1, 1))
    run()
    run()
    flagged = Event.objects.filter(verb="retention.review_due")
    assert [e.object_id for e in flagged] == [str(notification.pk)]
    assert Notification.objects.count() == 2
