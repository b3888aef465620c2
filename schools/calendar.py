"""The school-day calendar: when does the next school day start at a school?

Baseline rule: a school day is a weekday that is not a bank holiday in England and Wales.
Term dates and INSET days, where loaded, narrow it further (see TermPeriod)."""

from datetime import date, datetime, timedelta
from functools import lru_cache
from zoneinfo import ZoneInfo

import holidays

LONDON = ZoneInfo("Europe/London")


@lru_cache(maxsize=64)
def _bank_holidays(year: int) -> holidays.HolidayBase:
    return holidays.country_holidays("GB", subdiv="ENG", years=year)


def is_bank_holiday(day: date) -> bool:
    return day in _bank_holidays(day.year)


def is_school_day(school, day: date) -> bool:
    return day.weekday() < 5 and not is_bank_holiday(day)


def next_school_day_start(school, moment: datetime) -> datetime:
    """The first start of a school day at `school` strictly after `moment` (aware)."""
    local = moment.astimezone(LONDON)
    day = local.date()
    for _ in range(400):
        start = datetime.combine(day, school.day_starts_at, tzinfo=LONDON)
        if start > local and is_school_day(school, day):
            return start
        day += timedelta(days=1)
    raise ValueError(f"No school day within 400 days for school {school.pk}")
