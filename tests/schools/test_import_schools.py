from datetime import date

import pytest
from django.core.management import CommandError, call_command

from schools.imports.gias import schools_import
from schools.models import LocalAuthority, School, SchoolStatus
from tests.factories import LocalAuthorityFactory, SchoolFactory
from tests.schools.gias import gias_file, gias_row

pytestmark = pytest.mark.django_db


def test_it_reads_a_windows_1252_extract_with_non_ascii_names(tmp_path):
    rows = [
        gias_row(115001, EstablishmentName="St Thérèse’s Catholic Primary School"),
        gias_row(
            115002, EstablishmentName="Ysgol Gymraeg Bro Tâf", **{"LA (code)": "883", "LA (name)": "Thurrock"}
        ),
    ]
    report = schools_import(source=gias_file(tmp_path, rows))

    assert report.applied and report.errors == []
    school = School.objects.get(urn=115001)
    assert school.name == "St Thérèse’s Catholic Primary School"
    assert (school.establishment_type, school.phase, school.low_age, school.high_age) == (
        "Community school", "Primary", 4, 11
    )  # fmt: skip
    assert (school.street, school.town, school.postcode, school.opened_on) == (
        "Chalkwell Avenue", "Westcliff-on-Sea", "SS0 8NS", date(1990, 9, 1)
    )  # fmt: skip
    assert dict(LocalAuthority.objects.values_list("code", "name")) == {
        "882": "Southend-on-Sea",
        "883": "Thurrock",
    }
    assert School.objects.get(urn=115002).name == "Ysgol Gymraeg Bro Tâf"


def test_a_reimport_of_the_same_file_changes_nothing(tmp_path):
    path = gias_file(tmp_path, [gias_row(115001), gias_row(115002)])
    schools_import(source=path)
    before = list(School.objects.values().order_by("urn"))

    report = schools_import(source=path)

    assert report.counts == {"schools_created": 0, "schools_updated": 0, "schools_unchanged": 2}
    assert list(School.objects.values().order_by("urn")) == before


def test_it_updates_a_school_and_keeps_its_sign_up(tmp_path):
    authority = LocalAuthorityFactory(code="882", name="Southend-on-Sea")
    SchoolFactory(urn=115001, name="Old name", local_authority=authority, participating=True)

    schools_import(source=gias_file(tmp_path, [gias_row(115001, EstablishmentName="New name")]))

    school = School.objects.get(urn=115001)
    assert school.name == "New name" and school.participating and school.joined_on == date(2025, 9, 1)
    assert LocalAuthority.objects.get(code="882").partnership == authority.partnership


def test_a_closed_school_is_marked_closed_and_never_deleted(tmp_path):
    schools_import(source=gias_file(tmp_path, [gias_row(115001)], "a.csv"))
    closed = gias_row(115001, **{"EstablishmentStatus (name)": "Closed", "CloseDate": "31-08-2026"})

    report = schools_import(source=gias_file(tmp_path, [closed], "b.csv"))

    school = School.objects.get(urn=115001)
    assert (school.status, school.closed_on) == (SchoolStatus.CLOSED, date(2026, 8, 31))
    assert report.counts["schools_closed"] == 1


def test_it_can_be_limited_to_some_local_authorities(tmp_path):
    rows = [
        gias_row(115001),
        gias_row(115002, **{"LA (code)": "883", "LA (name)": "Thurrock"}),
        gias_row(115003, **{"LA (code)": "330", "LA (name)": "Birmingham"}),
    ]
    report = schools_import(source=gias_file(tmp_path, rows), la_codes=["882", "883"])

    assert sorted(School.objects.values_list("urn", flat=True)) == [115001, 115002]
    assert report.counts["rows_outside_the_chosen_local_authorities"] == 1


def test_bad_rows_are_reported_and_nothing_is_saved(tmp_path):
    rows = [
        gias_row(115001),
        gias_row(0, URN="12AB"),
        gias_row(115003, **{"EstablishmentStatus (name)": "Sort of open", "OpenDate": "31-02-2001"}),
        gias_row(115004, Postcode="SS0 8N", StatutoryLowAge="11", StatutoryHighAge="4"),
        gias_row(115001),
    ]
    report = schools_import(source=gias_file(tmp_path, rows))

    assert not report.applied and School.objects.count() == 0
    assert {(e.line, e.field) for e in report.errors} == {
        (3, "URN"), (4, "EstablishmentStatus (name)"), (4, "OpenDate"), (5, "Postcode"),
        (5, "StatutoryHighAge"), (6, "URN"),
    }  # fmt: skip
    assert "URN 115001 is also on line 2" in [e.reason for e in report.errors]


def test_the_command_skips_bad_rows_when_asked_and_prints_them(tmp_path, capsys):
    path = gias_file(tmp_path, [gias_row(115001), gias_row(115002, **{"LA (code)": "88"})])

    with pytest.raises(CommandError):
        call_command("import_schools", str(path))
    call_command("import_schools", str(path), "--skip-invalid", "--la", "882", "--la", "88")

    out = capsys.readouterr().out
    assert "line 3, LA (code): '88' is not a three-digit local authority code" in out
    assert list(School.objects.values_list("urn", flat=True)) == [115001]


def test_a_dry_run_counts_and_saves_nothing(tmp_path, capsys):
    call_command("import_schools", str(gias_file(tmp_path, [gias_row(115001)])), "--dry-run")

    assert "schools created: 1" in capsys.readouterr().out
    assert School.objects.count() == 0
