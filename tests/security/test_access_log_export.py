import csv
from datetime import date
from io import StringIO

from django.core.management import call_command
from django.urls import reverse

from encompass.events import event_record
from encompass.models import Event
from tests.conftest import reauthenticated, signed_in
from tests.factories import IncidentChildFactory, IncidentFactory


def seed_access(world):
    ours = IncidentChildFactory(incident=IncidentFactory(force=world.force_a))
    theirs = IncidentChildFactory(incident=IncidentFactory(force=world.force_b))
    event_record(verb="child.match_decided", obj=ours, actor=world.reviewer_a, ip_address="10.0.0.7")
    event_record(verb="incident.submitted", obj=ours.incident, actor=world.officer_a)
    event_record(verb="incident.submitted", obj=theirs.incident, actor=world.officer_b)
    return ours


def rows(text):
    return list(csv.DictReader(StringIO(text)))


def test_the_command_exports_only_the_forces_own_record(world):
    seed_access(world)
    out = StringIO()
    today = date.today().isoformat()
    call_command("export_access_log", "--force", "Essex Police", "--from", today, "--to", today, stdout=out)
    exported = rows(out.getvalue())
    assert {r["actor"] for r in exported} == {world.reviewer_a.email, world.officer_a.email}
    assert {r["ip_address"] for r in exported} == {"10.0.0.7", ""}
    assert Event.objects.filter(verb="access_log.exported").count() == 1


def test_a_reviewer_downloads_their_forces_record_and_the_download_is_recorded(client, world):
    seed_access(world)
    today = date.today().isoformat()
    response = reauthenticated(signed_in(client, world.reviewer_a)).get(
        reverse("access_log"), {"start": today, "end": today}
    )
    assert response["Content-Type"] == "text/csv"
    exported = rows(response.content.decode())
    assert len(exported) == 2
    assert world.officer_b.email not in response.content.decode()
    assert Event.objects.filter(verb="access_log.exported", actor=world.reviewer_a).exists()


def test_dates_out_of_order_get_a_message(client, world):
    response = reauthenticated(signed_in(client, world.reviewer_a)).get(
        reverse("access_log"), {"start": "2026-11-30", "end": "2026-11-01"}
    )
    assert response.status_code == 400
    assert "The last day must be on or after the first day" in response.content.decode()


def test_people_outside_the_force_team_get_404(client, world):
    for user in (world.officer_a, world.key_adult_a, world.analyst_a, world.coordinator_a):
        assert signed_in(client, user).get(reverse("access_log")).status_code == 404


def test_the_download_asks_for_a_fresh_code_first(client, world):
    response = signed_in(client, world.reviewer_a).get(reverse("access_log"))
    assert response.status_code == 302
    assert response.url.startswith(reverse("reauth"))
