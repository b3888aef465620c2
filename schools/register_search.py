"""The local authorities' registers of children educated at home or missing education, as the
matching engine sees them: each entry a PupilRecord (its id the RegisteredChild's), so that the
engine's own blocking, scoring and decision rule (matching.match) apply to the register exactly
as to the census.

A register is small (hundreds to a few thousand children an authority), so its entries are not
keyed at import: the rows that could share a blocking key with the child (born within a year of
it, or at its postcode, or with its surname) are read in one query and blocked in memory.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date

from django.db.models import Q

from matching import ChildRecord, InMemoryCandidateSource, PupilRecord
from matching.normalise import home_line
from matching.normalise import postcode as postcode_key
from schools.models import RegisteredChild


def register_record(entry: RegisteredChild) -> PupilRecord:
    return PupilRecord(
        id=entry.pk,
        upn="",
        first_name=entry.first_name,
        middle_names=entry.middle_names,
        last_name=entry.last_name,
        preferred_first_name="",
        preferred_last_name="",
        dob=entry.dob,
        sex=entry.sex,
        address_line1=home_line(entry.address_line1, entry.address_line2),
        postcode=entry.postcode,
    )


def register_source(*, child: ChildRecord, local_authority_ids: Iterable[int]) -> InMemoryCandidateSource:
    """The entries of these authorities' registers that may be the child, as a candidate source."""
    entries = RegisteredChild.objects.filter(local_authority_id__in=list(local_authority_ids))
    return InMemoryCandidateSource(
        register_record(entry) for entry in entries.filter(_could_be(child))[:2000]
    )


def _could_be(child: ChildRecord) -> Q:
    near = Q(pk__in=[])
    if child.dob:
        near |= Q(dob__gte=_years_from(child.dob, -1), dob__lte=_years_from(child.dob, 1))
    code = postcode_key(child.postcode or "")
    if len(code) >= 5:
        near |= Q(postcode__iexact=f"{code[:-3]} {code[-3:]}")
    if child.last_name.strip():
        near |= Q(last_name__iexact=child.last_name.strip())
    return near


def _years_from(day: date, years: int) -> date:
    try:
        return day.replace(year=day.year + years)
    except ValueError:  # 29 February
        return day.replace(year=day.year + years, day=28)


def register_entry_current(entry: RegisteredChild, on: date) -> bool:
    """On the register that day: started on or before it, not ended before it."""
    return entry.start_date <= on and (entry.end_date is None or on <= entry.end_date)
