"""When is the next school day start? Europe/London, across weekends, holidays, INSET days,
bank holidays and both clock changes."""

from datetime import datetime, time
from zoneinfo import ZoneInfo

import pytest

from schools.calendar import calendar_uses_fallback, is_outside_term, next_school_day_start
from schools.imports.terms import term_dates_import
from schools.models import TermPeriod, TermPeriodKind
from tests.factories import LocalAuthorityFactory, SchoolFactory
from tests.schools.terms import SOUTHEND_2026_27, write_terms

LONDON = ZoneInfo("Europe/London")
UTC = ZoneInfo("UTC")
pytestmark = pytest.mark.django_db


def at(text: str) -> datetime:
    return datetime.fromisoformat(text).replace(tzinfo=LONDON)


@pytest.fixture
def school(tmp_path):
    authority = LocalAuthorityFactory(code="882", name="Southend-on-Sea")
    term_dates_import(source=write_terms(tmp_path, SOUTHEND_2026_27))
    return SchoolFactory(urn=115001, local_authority=authority)


@pytest.mark.parametrize(
    "moment, expected",
    [
        ("2026-11-10 07:00", "2026-11-10 08:45"),  # before the start on a school day
        ("2026-11-10 08:45", "2026-11-11 08:45"),  # at the start: the next one
        ("2026-11-10 09:30", "2026-11-11 08:45"),  # after the start
        ("2026-11-13 21:30", "2026-11-16 08:45"),  # Friday night
        ("2027-04-30 18:00", "2027-05-04 08:45"),  # Early May bank holiday Monday
        ("2026-10-16 20:00", "2026-10-26 08:45"),  # half term
        ("2026-12-18 15:00", "2027-01-05 08:45"),  # Christmas
        ("2026-08-31 12:00", "2026-09-02 08:45"),  # INSET day on the first day of term
        ("2027-03-25 16:00", "2027-03-30 08:45"),  # Good Friday, Easter Monday
    ],
)
def test_the_next_school_day_start(school, moment, expected):
    assert next_school_day_start(school, at(moment)) == at(expected)


def test_a_school_inset_day_closes_that_school_only(school):
    other = SchoolFactory(local_authority=school.local_authority)
    TermPeriod.objects.create(
        school=school, kind=TermPeriodKind.INSET, starts_on="2026-11-30", ends_on="2026-11-30"
    )

    assert next_school_day_start(school, at("2026-11-27 20:00")) == at("2026-12-01 08:45")
    assert next_school_day_start(other, at("2026-11-27 20:00")) == at("2026-11-30 08:45")


def test_the_autumn_clock_change_keeps_the_start_at_a_quarter_to_nine_local_time(school):
    # Sunday 25 October 2026: clocks go back an hour at 02:00 BST.
    due = next_school_day_start(school, datetime(2026, 10, 24, 23, 30, tzinfo=UTC))

    assert due.astimezone(UTC) == datetime(2026, 10, 26, 8, 45, tzinfo=UTC)


def test_the_spring_clock_change_keeps_the_start_at_a_quarter_to_nine_local_time(school):
    # Sunday 28 March 2027: clocks go forward an hour at 01:00 GMT.
    due = next_school_day_start(school, datetime(2027, 3, 27, 12, 0, tzinfo=UTC))

    assert due.astimezone(UTC) == datetime(2027, 3, 30, 7, 45, tzinfo=UTC)


def test_a_school_with_its_own_terms_follows_them_not_its_authoritys(school):
    TermPeriod.objects.create(
        school=school, kind=TermPeriodKind.TERM, starts_on="2026-09-01", ends_on="2026-12-11"
    )
    TermPeriod.objects.create(
        school=school, kind=TermPeriodKind.TERM, starts_on="2027-01-04", ends_on="2027-07-21"
    )

    assert next_school_day_start(school, at("2026-12-11 15:00")) == at("2027-01-04 08:45")


def test_a_later_day_start_is_respected(school):
    school.day_starts_at = time(8, 30)

    assert next_school_day_start(school, at("2026-11-10 08:40")) == at("2026-11-11 08:30")


def test_a_school_with_no_term_dates_falls_back_to_weekdays_less_bank_holidays():
    school = SchoolFactory(local_authority=LocalAuthorityFactory(code="883"))

    assert next_school_day_start(school, at("2026-12-18 15:00")) == at("2026-12-21 08:45")
    assert next_school_day_start(school, at("2026-12-24 15:00")) == at("2026-12-29 08:45")
    assert calendar_uses_fallback(school, at("2026-12-18 15:00").date())


@pytest.mark.parametrize(
    "moment, outside",
    [
        ("2026-12-25 10:00", True),  # Christmas holidays
        ("2026-10-21 10:00", True),  # half term
        ("2026-11-14 10:00", False),  # a weekend in term
        ("2026-09-01 10:00", False),  # an INSET day: staff are in
        ("2026-11-10 10:00", False),  # a school day
    ],
)
def test_whether_a_moment_is_outside_term(school, moment, outside):
    assert is_outside_term(school, at(moment)) is outside


def test_with_no_term_dates_no_moment_is_known_to_be_outside_term():
    school = SchoolFactory(local_authority=LocalAuthorityFactory(code="883"))

    assert is_outside_term(school, at("2026-12-25 10:00")) is False
