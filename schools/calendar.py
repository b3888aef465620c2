"""The school-day calendar: when does the next school day start at a school?

A school day is a weekday, not a bank holiday in England and Wales, inside one of the
school's terms and not in one of its holidays or INSET days. A school's terms are its own
if it has any, else its local authority's; holidays and INSET days of both apply.

Where no term dates cover a day (none loaded, or not that far ahead) the fallback is
weekdays less bank holidays; `calendar_uses_fallback` tells the coordinator's problems page.
All times are Europe/London, so 08:45 stays 08:45 across the clock changes."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from functools import lru_cache

import holidays
from django.db.models import Q

from encompass.london import LONDON


@lru_cache(maxsize=64)
def _bank_holidays(year: int) -> holidays.HolidayBase:
    return holidays.country_holidays("GB", subdiv="ENG", years=year)


def is_bank_holiday(day: date) -> bool:
    return day in _bank_holidays(day.year)


Span = tuple[date, date]


def _within(day: date, spans: list[Span]) -> bool:
    return any(start <= day <= end for start, end in spans)


@dataclass
class SchoolCalendar:
    terms: list[Span] = field(default_factory=list)
    holidays: list[Span] = field(default_factory=list)
    insets: list[Span] = field(default_factory=list)

    def covers(self, day: date) -> bool:
        """Term dates are known for this day (else the fallback rule applies)."""
        return bool(self.terms) and self.terms[0][0] <= day <= max(end for _, end in self.terms)

    def is_school_day(self, day: date) -> bool:
        if day.weekday() >= 5 or is_bank_holiday(day):
            return False
        if not self.covers(day):
            return True
        return _within(day, self.terms) and not _within(day, self.holidays + self.insets)

    def is_outside_term(self, day: date) -> bool:
        """Between terms or in a holiday; weekends and INSET days within term are in term."""
        if not self.covers(day):
            return False
        return not _within(day, self.terms) or _within(day, self.holidays)


def school_calendar(school) -> SchoolCalendar:
    """A school's terms, holidays and INSET days. A local authority team keeps the authority's
    working days (weekdays less bank holidays) all year: no terms, never "outside term"."""
    from schools.models import TermPeriod, TermPeriodKind

    if school.is_team:
        return SchoolCalendar()

    periods = TermPeriod.objects.filter(
        Q(school_id=school.pk) | Q(local_authority_id=school.local_authority_id, school__isnull=True)
    ).values_list("kind", "starts_on", "ends_on", "school_id")
    calendar = SchoolCalendar()
    own_terms = [(s, e) for kind, s, e, school_id in periods if kind == TermPeriodKind.TERM and school_id]
    authority_terms = [
        (s, e) for kind, s, e, school_id in periods if kind == TermPeriodKind.TERM and not school_id
    ]
    calendar.terms = sorted(own_terms or authority_terms)
    calendar.holidays = [(s, e) for kind, s, e, _ in periods if kind == TermPeriodKind.HOLIDAY]
    calendar.insets = [(s, e) for kind, s, e, _ in periods if kind == TermPeriodKind.INSET]
    return calendar


def is_school_day(school, day: date) -> bool:
    return school_calendar(school).is_school_day(day)


def next_school_day_start(school, moment: datetime) -> datetime:
    """The first start of a school day at `school` strictly after `moment` (aware)."""
    calendar = school_calendar(school)
    day = moment.astimezone(LONDON).date()
    for _ in range(400):
        start = datetime.combine(day, school.day_starts_at, tzinfo=LONDON)
        if start > moment and calendar.is_school_day(day):
            return start
        day += timedelta(days=1)
    raise ValueError(f"No school day within 400 days for school {school.pk}")


def is_outside_term(school, moment: datetime) -> bool:
    """Is this moment in a school holiday at this school? (For holiday cover of notifications.)"""
    return school_calendar(school).is_outside_term(moment.astimezone(LONDON).date())


def calendar_uses_fallback(school, on: date) -> bool:
    """No term dates cover this day: school days are assumed to be weekdays less bank holidays.
    (A local authority team works those days by design: never a fallback.)"""
    return not school.is_team and not school_calendar(school).covers(on)
