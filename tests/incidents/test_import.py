"""The police daily download: the whole file is checked first, each bad row is reported by
line, field and reason, a good file is saved whole, and running it again changes nothing."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command
from django.urls import reverse

from incidents.models import Incident, IncidentChild, IncidentStatus
from notifications.models import Notification
from police.imports import incidents_import
from tests.conftest import signed_in

HEADER = "reference,occurred_at,postcode,welfare_check,person_reference,first_name,last_name,dob,present\n"
GOOD = (
    HEADER
    + "42/100001/26,2026-11-27 21:30,SS1 1AA,yes,P1,Amelia,Smith,2016-05-14,yes\n"
    + "42/100001/26,2026-11-27 21:30,SS1 1AA,yes,P2,Oliver,Smith,2014-02-03,no\n"
    + "42/100002/26,27/11/2026 22:05,SS2 6XY,no,,Ruby,Jones,2012-09-30,\n"
)


def test_a_good_file_creates_one_incident_per_reference(world, eager_celery):
    result = incidents_import(force=world.force_a, text=GOOD)
    assert result.errors == []
    assert result.outcomes == {"created": 2, "updated": 0, "unchanged": 0}
    assert IncidentChild.objects.filter(incident__reference="42/100001/26").count() == 2
    assert set(Incident.objects.values_list("status", flat=True)) == {IncidentStatus.SUBMITTED}
    assert Notification.objects.get().child.first_name == "Amelia"


def test_importing_the_same_file_again_changes_nothing(world, eager_celery):
    incidents_import(force=world.force_a, text=GOOD)
    result = incidents_import(force=world.force_a, text=GOOD)
    assert result.outcomes == {"created": 0, "updated": 0, "unchanged": 2}
    assert Incident.objects.count() == 2
    assert IncidentChild.objects.count() == 3
    assert not Notification.objects.get().is_updated


def test_a_changed_row_updates_the_incident(world, eager_celery):
    incidents_import(force=world.force_a, text=GOOD)
    result = incidents_import(force=world.force_a, text=GOOD.replace("SS1 1AA,yes", "SS1 1AA,no"))
    assert result.outcomes == {"created": 0, "updated": 1, "unchanged": 1}
    assert Notification.objects.get().is_updated


def test_every_bad_row_is_reported_and_nothing_is_saved(world):
    bad = (
        GOOD
        + "42/100003/26,2026-13-01 10:00,SS1 1AA,yes,,Sam,Brown,2015-01-01,yes\n"
        + "42/100004/26,2026-11-27 10:00,NOPE,maybe,,Ava,Green,2026-11-28,yes\n"
        + "999,2026-11-27 10:00,SS1 1AA,yes,,Leo,White,2000-01-01,yes\n"
    )
    result = incidents_import(force=world.force_a, text=bad)
    found = {(e.line, e.field) for e in result.errors}
    assert found == {
        (5, "occurred_at"),
        (6, "postcode"),
        (6, "welfare_check"),
        (6, "dob"),
        (7, "reference"),
        (7, "dob"),
    }
    assert "YYYY-MM-DD HH:MM" in next(e.message for e in result.errors if e.line == 5)
    assert not Incident.objects.exists()


def test_rows_of_one_incident_must_agree(world):
    text = HEADER + (
        "42/100001/26,2026-11-27 21:30,SS1 1AA,yes,P1,Amelia,Smith,2016-05-14,yes\n"
        "42/100001/26,2026-11-27 21:30,SS9 9ZZ,yes,P2,Oliver,Smith,2014-02-03,yes\n"
    )
    result = incidents_import(force=world.force_a, text=text)
    assert [(e.line, e.field) for e in result.errors] == [(3, "postcode")]
    assert "Differs from line 2" in result.errors[0].message


def test_a_missing_column_is_reported_on_the_header(world):
    result = incidents_import(force=world.force_a, text="reference,first_name\n42/100001/26,Amelia\n")
    assert [(e.line, e.field) for e in result.errors] == [(1, "occurred_at, last_name, dob")]


def test_a_file_that_is_not_utf8_is_refused(world):
    result = incidents_import(force=world.force_a, text=GOOD.replace("Amelia", "Amélia").encode("cp1252"))
    assert "not UTF-8" in result.errors[0].message


def test_the_command_reports_progress_and_errors(world, tmp_path, eager_celery, capsys):
    good = tmp_path / "download.csv"
    good.write_text(GOOD)
    call_command("import_incidents", str(good), "--force", "Essex Police")
    out = capsys.readouterr().out
    assert "saved 2 of 2 incidents" in out
    assert "2 new, 0 updated, 0 unchanged" in out
    bad = tmp_path / "bad.csv"
    bad.write_text(GOOD + "42/100009/26,2026-11-27 10:00,NOPE,yes,,Ava,Green,2016-01-01,yes\n")
    with pytest.raises(CommandError, match="nothing was saved"):
        call_command("import_incidents", str(bad), "--force", "ESX")
    assert "line 5, postcode: Enter a real postcode" in capsys.readouterr().err


def test_the_command_asks_which_force_when_there_are_several(world, tmp_path):
    path = tmp_path / "download.csv"
    path.write_text(GOOD)
    with pytest.raises(CommandError, match="--force"):
        call_command("import_incidents", str(path))


def test_a_reviewer_uploads_the_file_and_sees_the_result(client, world, eager_celery):
    signed_in(client, world.reviewer_a)
    url = reverse("police:incidents_incident_import")
    bad = SimpleUploadedFile("d.csv", (GOOD + "x,2026-11-27 10:00,,,,Ava,Green,2016-01-01,\n").encode())
    response = client.post(url, {"file": bad})
    assert response.status_code == 400
    assert "Nothing was saved" in response.content.decode()
    assert "<td>5</td><td>reference</td>" in response.content.decode()
    response = client.post(url, {"file": SimpleUploadedFile("d.csv", GOOD.encode())})
    assert response.status_code == 200
    assert "2 new, 0 updated, 0 unchanged" in response.content.decode()
    assert Incident.objects.filter(force=world.force_a).count() == 2


def test_an_officer_has_no_upload_page(client, world):
    signed_in(client, world.officer_a)
    assert client.get(reverse("police:incidents_incident_import")).status_code == 404
