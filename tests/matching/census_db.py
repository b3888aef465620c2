"""The small census of people.py stored in the database, as import_pupils would store it."""

from datetime import date

from schools.census import pupil_keys_store
from schools.models import Enrolment, Pupil, PupilAlias

from .people import PUPILS


def census_store(school) -> dict[int, Pupil]:
    """Every pupil of people.PUPILS enrolled at the school; returns them by people.py id."""
    stored = {}
    for record in PUPILS:
        pupil = Pupil.objects.create(
            upn=record.upn,
            first_name=record.first_name,
            middle_names=record.middle_names,
            last_name=record.last_name,
            preferred_first_name=record.preferred_first_name,
            preferred_last_name=record.preferred_last_name,
            dob=record.dob,
            sex=record.sex,
            address_line1=record.address_line1,
            postcode=record.postcode,
        )
        for first, last in record.former_names:
            PupilAlias.objects.create(
                pupil=pupil, first_name=first, last_name=last, recorded_on=date(2024, 9, 1)
            )
        for line, code in record.former_addresses:
            PupilAlias.objects.create(
                pupil=pupil, address_line1=line, postcode=code, recorded_on=date(2024, 9, 1)
            )
        Enrolment.objects.create(pupil=pupil, school=school, entry_date=date(2020, 9, 1))
        stored[record.id] = pupil
    pupil_keys_store(Pupil.objects.filter(pk__in=[p.pk for p in stored.values()]).prefetch_related("aliases"))
    return stored
