from datetime import date

import pytest
from django.core.management import CommandError, call_command

from schools.imports.terms import term_dates_import
from schools.models import TermPeriod, TermPeriodKind
from tests.factories import LocalAuthorityFactory, SchoolFactory
from tests.schools.terms import SOUTHEND_2026_27, write_terms

pytestmark = pytest.mark.django_db


@pytest.fixture
def authority():
    return LocalAuthorityFactory(code="882", name="Southend-on-Sea")


def periods():
    return set(
        TermPeriod.objects.values_list("kind", "starts_on", "ends_on", "local_authority__code", "school__urn")
    )


def test_it_imports_an_authoritys_terms_and_a_schools_overrides(tmp_path, authority):
    SchoolFactory(urn=115001, local_authority=authority)
    text = SOUTHEND_2026_27 + ",115001,inset,2026-11-30,2026-11-30,Staff training\n"

    report = term_dates_import(source=write_terms(tmp_path, text))

    assert report.applied and report.counts["periods_created"] == 8
    assert (TermPeriodKind.INSET, date(2026, 11, 30), date(2026, 11, 30), None, 115001) in periods()
    assert (TermPeriodKind.TERM, date(2026, 9, 1), date(2026, 12, 18), "882", None) in periods()


def test_a_reimport_changes_nothing_and_a_corrected_file_corrects(tmp_path, authority):
    term_dates_import(source=write_terms(tmp_path, SOUTHEND_2026_27))
    ids = set(TermPeriod.objects.values_list("id", flat=True))

    again = term_dates_import(source=write_terms(tmp_path, SOUTHEND_2026_27))
    assert set(TermPeriod.objects.values_list("id", flat=True)) == ids
    assert again.counts == {"periods_removed": 0, "periods_unchanged": 7}

    corrected = SOUTHEND_2026_27.replace("2026-10-19,2026-10-23", "2026-10-26,2026-10-30")
    term_dates_import(source=write_terms(tmp_path, corrected))
    holidays = TermPeriod.objects.filter(kind=TermPeriodKind.HOLIDAY, starts_on__month=10)
    assert list(holidays.values_list("starts_on", flat=True)) == [date(2026, 10, 26)]


def test_bad_rows_are_named_and_nothing_is_saved(tmp_path, authority):
    text = (
        "la_code,school_urn,kind,starts_on,ends_on,description\n"
        "882,,term,2026-09-01,2026-12-18,Autumn\n"
        "999,,term,2026-09-01,2026-12-18,Unknown authority\n"
        "882,,fun day,2026-09-01,2026-09-01,\n"
        "882,,term,2026-12-18,2026-09-01,Backwards\n"
        ",,term,2026-09-01,2026-12-18,Nobody\n"
    )
    report = term_dates_import(source=write_terms(tmp_path, text))

    assert not report.applied and TermPeriod.objects.count() == 0
    assert [(e.line, e.field) for e in report.errors] == [
        (3, "la_code"), (4, "kind"), (5, "ends_on"), (6, "la_code"),
    ]  # fmt: skip


ICAL = """BEGIN:VCALENDAR
VERSION:2.0
PRODID:-//Southend//Term dates//EN
BEGIN:VEVENT
UID:1@example
DTSTART;VALUE=DATE:20260901
DTEND;VALUE=DATE:20261219
SUMMARY:Autumn Term
END:VEVENT
BEGIN:VEVENT
UID:2@example
DTSTART;VALUE=DATE:20261019
DTEND;VALUE=DATE:20261024
SUMMARY:October Half Term holiday
END:VEVENT
BEGIN:VEVENT
UID:3@example
DTSTART;VALUE=DATE:20261130
SUMMARY:INSET day
END:VEVENT
END:VCALENDAR
"""


def test_it_imports_an_icalendar_file_for_an_authority(tmp_path, authority, capsys):
    path = write_terms(tmp_path, ICAL, "terms.ics")

    call_command("import_term_dates", str(path), "--la", "882")

    assert periods() == {
        (TermPeriodKind.TERM, date(2026, 9, 1), date(2026, 12, 18), "882", None),
        (TermPeriodKind.HOLIDAY, date(2026, 10, 19), date(2026, 10, 23), "882", None),
        (TermPeriodKind.INSET, date(2026, 11, 30), date(2026, 11, 30), "882", None),
    }


def test_an_icalendar_file_must_say_whose_dates_it_holds(tmp_path, authority, capsys):
    with pytest.raises(CommandError):
        call_command("import_term_dates", str(write_terms(tmp_path, ICAL, "terms.ics")))

    assert "give a local authority code or a school URN" in capsys.readouterr().out
