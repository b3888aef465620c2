"""Who may see which partnership's figures, and the filters they choose (GET query string:
no personal data travels in it)."""

from dataclasses import dataclass, replace
from datetime import date, timedelta

from django import forms
from django.http import Http404
from django.shortcuts import get_object_or_404
from django.utils import timezone

from encompass.forms import date_field
from encompass.models import Role
from schools.models import LocalAuthority, Partnership, School


@dataclass(frozen=True)
class Scope:
    """What a figure counts: a partnership (None: every partnership, for an administrator),
    incidents from `start` to `end` inclusive (Europe/London dates), and optionally one local
    authority, one school phase or one school."""

    partnership: Partnership | None
    start: date
    end: date
    local_authority: LocalAuthority | None = None
    phase: str = ""
    school: School | None = None

    @property
    def days(self) -> int:
        return (self.end - self.start).days + 1

    def previous_period(self) -> "Scope":
        """The same number of days, ending the day before this period starts."""
        end = self.start - timedelta(days=1)
        return replace(self, start=end - timedelta(days=self.days - 1), end=end)

    def year_before(self) -> "Scope":
        """The same dates a year earlier (29 February becomes the 28th)."""
        return replace(self, start=_year_earlier(self.start), end=_year_earlier(self.end))

    def as_query(self) -> dict:
        query = {"start": self.start.isoformat(), "end": self.end.isoformat()}
        if self.partnership is not None:
            query["partnership"] = self.partnership.pk
        if self.local_authority is not None:
            query["la"] = self.local_authority.code
        if self.phase:
            query["phase"] = self.phase
        if self.school is not None:
            query["school"] = self.school.urn
        return query


def _year_earlier(day: date) -> date:
    if day.month == 2 and day.day == 29:
        return date(day.year - 1, 2, 28)
    return day.replace(year=day.year - 1)


def statistics_partnership_get(user, partnership_id=None) -> Partnership | None:
    """The partnership whose figures `user` may see: their own for an analyst or
    coordinator, any (or all, None) for an administrator. Anybody else gets 404."""
    if user.role in (Role.ANALYST, Role.COORDINATOR) and user.partnership_id:
        if partnership_id not in (None, "", str(user.partnership_id), user.partnership_id):
            raise Http404
        return user.partnership
    if user.role == Role.ADMIN and user.is_superuser:
        if partnership_id in (None, ""):
            return None
        return get_object_or_404(Partnership, pk=_int_or_404(partnership_id))
    raise Http404


def _int_or_404(value) -> int:
    try:
        return int(value)
    except (TypeError, ValueError):
        raise Http404


def default_period(today: date | None = None) -> tuple[date, date]:
    """The last twelve months: from the first day of the month eleven months ago to today."""
    today = today or timezone.localdate()
    month = today.month - 11
    year = today.year + (month - 1) // 12
    return date(year, (month - 1) % 12 + 1, 1), today


# Operation Encompass began in 2011: nothing is on record before 2000. Dates outside
# [EARLIEST, end of next year] are refused with a message (year 9999 or 0 would overflow).
EARLIEST = date(2000, 1, 1)


def latest_date() -> date:
    return date(timezone.localdate().year + 1, 12, 31)


def academic_year(start_year: int) -> tuple[date, date]:
    return date(start_year, 9, 1), date(start_year + 1, 8, 31)


def academic_years_on_record() -> range:
    return range(EARLIEST.year, latest_date().year)


class FilterForm(forms.Form):
    start = date_field("Start date", required=False, hint="Incidents from this date. For example, 1/4/2026")
    end = date_field("End date", required=False, hint="Incidents up to this date. For example, 31/3/2027")
    la = forms.CharField(required=False, max_length=3, label="Local authority")
    phase = forms.CharField(required=False, max_length=60, label="School phase")
    school = forms.IntegerField(required=False, min_value=1, label="School URN")

    def __init__(self, data, *, partnership: Partnership | None, year: int | None = None):
        super().__init__(data)
        self.partnership = partnership
        self.year = year  # an annual summary: its school year decides start and end
        # Plain fields with a list to choose from: a code or URN outside the partnership is
        # then a 404 (scope()), as for any object outside the user's reach.
        for name, choices in (
            ("phase", [("", "All phases"), *phase_choices(partnership)]),
            (
                "la",
                [
                    ("", "All local authorities"),
                    *((la.code, str(la)) for la in local_authorities(partnership)),
                ],
            ),
        ):
            self.fields[name].widget = forms.Select(choices=choices)
            self.fields[name].choices = choices

    def clean(self):
        data = super().clean()
        if self.year is not None:
            years = academic_years_on_record()
            if self.year not in years:
                raise forms.ValidationError(
                    f"Choose a school year from {years[0]} to {years[-1]} (the year it starts in September)"
                )
            data["start"], data["end"] = academic_year(self.year)
        start, end = data.get("start"), data.get("end")
        for name, day in (("start", start), ("end", end)):
            if day and not EARLIEST <= day <= latest_date():
                self.add_error(name, f"Choose dates from {EARLIEST:%-d %B %Y} to {latest_date():%-d %B %Y}")
                return data
        if start and end and start > end:
            self.add_error("end", "The end date must be the same as or after the start date")
        if start and end and (end - start) > timedelta(days=366 * 10):
            self.add_error("start", "Choose a period of ten years or less")
        if data.get("phase") and data["phase"] not in dict(phase_choices(self.partnership)):
            self.add_error("phase", "Choose a school phase from the list")
        return data

    def scope(self) -> Scope:
        """The scope chosen. A local authority or school outside the partnership is 404,
        like any other object outside the user's reach."""
        data = self.cleaned_data
        start, end = default_period()
        start, end = data.get("start") or start, data.get("end") or end
        if start > end:
            start = end
        la = school = None
        if data.get("la"):
            la = get_object_or_404(local_authorities(self.partnership), code=data["la"])
        if data.get("school"):
            school = get_object_or_404(schools_in(self.partnership), urn=data["school"])
        return Scope(self.partnership, start, end, la, data.get("phase", ""), school)


def local_authorities(partnership: Partnership | None):
    las = LocalAuthority.objects.all()
    return las if partnership is None else las.filter(partnership=partnership)


def schools_in(partnership: Partnership | None):
    schools = School.objects.select_related("local_authority")
    return schools if partnership is None else schools.filter(local_authority__partnership=partnership)


def phase_choices(partnership: Partnership | None) -> list[tuple[str, str]]:
    phases = schools_in(partnership).exclude(phase="").values_list("phase", flat=True).distinct()
    return [(p, p) for p in sorted(set(phases))]


def scope_from_request(request, data, *, year: int | None = None) -> tuple[Scope | None, FilterForm]:
    partnership = statistics_partnership_get(request.user, data.get("partnership"))
    form = FilterForm(data, partnership=partnership, year=year)
    return (form.scope() if form.is_valid() else None), form
