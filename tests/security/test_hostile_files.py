"""Files that are not what they should be (the wrong encoding, binary, a field far too long,
NUL bytes, dates out of range) get a line-numbered message through the commands and the
upload pages, and nothing is saved: never a traceback or a server error."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command
from django.urls import reverse

from incidents.models import Incident
from police.imports import incidents_import
from schools.imports.gias import schools_import
from schools.imports.pupils import pupils_import
from schools.imports.terms import term_dates_import
from schools.models import Pupil, School, TermPeriod
from tests.conftest import signed_in
from tests.incidents.test_import import GOOD as DOWNLOAD
from tests.schools.census import census_file, census_row
from tests.schools.gias import gias_file, gias_row
from tests.schools.terms import SOUTHEND_2026_27
from tests.schools.test_admin import admin_signed_in

HUGE = "x" * 140_000
BINARY = bytes(range(0x80, 0x100)) * 40  # 0x80 is not UTF-8, 0x81 is not Windows-1252


def census_bytes(tmp_path, world, **changes) -> bytes:
    return census_file(tmp_path, [census_row(1, world.school_a.urn, **changes)]).read_bytes()


def gias_bytes(tmp_path, **changes) -> bytes:
    return gias_file(tmp_path, [gias_row(115001, **changes)]).read_bytes()


def messages(report) -> list[str]:
    return [str(error) for error in report.errors]


# The census


def test_a_cp1252_census_is_refused_on_the_line_with_the_bad_byte(tmp_path, world):
    raw = census_bytes(tmp_path, world, first_name="Zoë").decode().encode("cp1252")
    report = pupils_import(source=_write(tmp_path, raw))
    assert messages(report) == ["line 2: byte 17 of the line is not UTF-8 text: save the file as CSV UTF-8"]
    assert Pupil.objects.count() == 1 and not report.applied


@pytest.mark.parametrize(
    ("raw", "says"),
    [
        (BINARY, "line 1: byte"),
        (b'"' + HUGE.encode() + b'"\n', "line 2: a field is longer than 131,072"),
    ],
)
def test_a_binary_or_runaway_census_is_refused_with_its_line(tmp_path, world, raw, says):
    header = census_file(tmp_path, []).read_bytes()
    report = pupils_import(source=_write(tmp_path, raw if raw is BINARY else header + raw))
    assert messages(report)[0].startswith(says)
    assert Pupil.objects.count() == 1


def test_a_census_line_with_a_nul_byte_is_refused(tmp_path, world):
    report = pupils_import(source=_write(tmp_path, census_bytes(tmp_path, world, first_name="Am\x00elia")))
    assert messages(report) == ["line 2: a field contains a NUL byte: the file is damaged or not text"]
    assert Pupil.objects.count() == 1


def test_a_huge_field_half_way_through_a_census_saves_nothing(tmp_path, world):
    rows = [census_row(n, world.school_a.urn) for n in range(1, 40)]
    rows.append(census_row(40, world.school_a.urn, address_line1='"' + HUGE))
    report = pupils_import(source=census_file(tmp_path, rows))
    assert any("line 41" in m and "longer than" in m for m in messages(report))
    assert Pupil.objects.count() == 1


# The GIAS extract


@pytest.mark.parametrize(
    ("raw", "says"),
    [
        (BINARY, "line 1: byte 2 of the line is not Windows-1252 text"),
        (b"1," + HUGE.encode() + b"\r\n", "line 2: a field is longer than"),
    ],
)
def test_a_binary_or_runaway_extract_is_refused_with_its_line(tmp_path, db, raw, says):
    header = gias_file(tmp_path, []).read_bytes()
    report = schools_import(source=_write(tmp_path, raw if raw is BINARY else header + raw))
    assert messages(report)[0].startswith(says)
    assert not School.objects.filter(urn=115001).exists()


def test_an_extract_with_a_nul_byte_is_refused(tmp_path, db):
    report = schools_import(source=_write(tmp_path, gias_bytes(tmp_path, EstablishmentName="Caf\x00")))
    assert messages(report) == ["line 2: a field contains a NUL byte: the file is damaged or not text"]
    assert not School.objects.filter(urn=115001).exists()


# Term dates


@pytest.mark.parametrize(
    ("raw", "says"),
    [
        (SOUTHEND_2026_27.replace("Autumn term", "Autumn térm").encode("cp1252"), "line 2: byte"),
        (SOUTHEND_2026_27.encode() + b'882,,term,2027-09-01,2027-12-18,"' + HUGE.encode(), "line 9: a field"),
        (SOUTHEND_2026_27.replace("Spring term", "Spring\x00").encode(), "line 5: a field contains a NUL"),
        (b"BEGIN:VCALENDAR\r\n\x00\r\nEND:VCALENDAR\r\n", "line 2: a field contains a NUL"),
    ],
)
def test_bad_term_date_files_are_refused_with_their_line(tmp_path, world, raw, says):
    report = term_dates_import(source=_write(tmp_path, raw), la_code="882")
    assert messages(report)[0].startswith(says)
    assert not TermPeriod.objects.exists()


# The police daily download


@pytest.mark.parametrize(
    ("raw", "says"),
    [
        (DOWNLOAD.replace("Amelia", "Amélia").encode("cp1252"), "line 2, file: byte"),
        (DOWNLOAD.encode() + b'42/100003/26,2026-11-27 21:30,"' + HUGE.encode(), "line 5, file: a field is"),
        (DOWNLOAD.replace("Oliver", "Oli\x00ver").encode(), "line 3, file: a field contains a NUL"),
        (BINARY, "line 1, file: byte"),
        (
            DOWNLOAD.replace(
                "2026-11-27 21:30,SS1 1AA,yes,P1", "0001-01-01T00:00+23:59,SS1 1AA,yes,P1"
            ).encode(),
            "line 2, occurred_at: This date and time is out of range",
        ),
    ],
)
def test_bad_daily_downloads_are_refused_with_their_line(world, raw, says):
    result = incidents_import(force=world.force_a, text=raw)
    assert str(result.errors[0]).startswith(says)
    assert not Incident.objects.exists()


# Through the commands and the upload pages


def _write(tmp_path, raw: bytes, name: str = "upload.csv"):
    path = tmp_path / name
    path.write_bytes(raw)
    return path


@pytest.mark.parametrize("command", ["import_pupils", "import_schools", "import_incidents"])
def test_the_commands_report_a_binary_file_by_line(tmp_path, world, command, capsys):
    with pytest.raises(CommandError):
        call_command(
            command, str(_write(tmp_path, BINARY)), *(["--force", "ESX"] * (command == "import_incidents"))
        )
    output = capsys.readouterr()
    assert "line 1" in output.out + output.err


def test_the_term_dates_command_reports_a_nul_byte_by_line(tmp_path, world, capsys):
    raw = SOUTHEND_2026_27.replace("Spring term", "Spring\x00").encode()
    with pytest.raises(CommandError):
        call_command("import_term_dates", str(_write(tmp_path, raw)))
    assert "line 5: a field contains a NUL" in capsys.readouterr().out


@pytest.mark.parametrize(
    "url",
    ["/admin/schools/school/import/", "/admin/schools/pupil/import/", "/admin/schools/termperiod/import/"],
)
@pytest.mark.parametrize("raw", [BINARY, b"a,b\n" + b'"' + HUGE.encode() + b'"\n', b"a,b\n1,\x00\n"])
def test_the_admin_upload_pages_report_bad_files_by_line(client, world, url, raw):
    admin_signed_in(client, world.admin)
    response = client.post(url, {"file": SimpleUploadedFile("upload.csv", raw)})
    assert response.status_code == 200
    assert "line" in response.content.decode().lower()
    assert "Nothing was imported" in response.content.decode()


@pytest.mark.parametrize(
    "raw", [BINARY, b"reference\n" + b'"' + HUGE.encode() + b'"\n', b"reference\n\x00\n"]
)
def test_the_police_upload_page_reports_bad_files_by_line(client, world, raw):
    signed_in(client, world.reviewer_a)
    response = client.post(
        reverse("police:incidents_incident_import"), {"file": SimpleUploadedFile("d.csv", raw)}
    )
    assert response.status_code == 400
    assert "Nothing was saved" in response.content.decode()
    assert not Incident.objects.exists()
