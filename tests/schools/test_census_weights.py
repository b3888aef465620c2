"""The weights measured on a census depend on the census, not on how an import numbered its rows."""

import random
from datetime import date, timedelta

import pytest

from schools.census import weights_estimate
from schools.models import Pupil
from tests.factories import PupilFactory

pytestmark = pytest.mark.django_db


def census(size: int) -> list[Pupil]:
    rng = random.Random(7)
    return [
        PupilFactory.build(
            dob=date(2012, 1, 1) + timedelta(days=rng.randrange(2500)),
            postcode=f"SS{rng.randrange(1, 9)} {rng.randrange(10)}AA",
            address_line1=f"{rng.randrange(1, 60)} High Street",
        )
        for _ in range(size)
    ]


def test_the_same_census_loaded_in_another_order_gives_the_same_weights():
    pupils = census(1_200)
    Pupil.objects.bulk_create(pupils)
    first = weights_estimate(sample=400, pairs=20_000)
    first_ids = dict(Pupil.objects.values_list("upn", "id"))
    Pupil.objects.all().delete()
    for pupil in pupils:
        pupil.pk = None
    Pupil.objects.bulk_create(reversed(pupils))
    again = weights_estimate(sample=400, pairs=20_000)

    assert dict(Pupil.objects.values_list("upn", "id")) != first_ids  # the rows are numbered anew
    assert again["u"] == first["u"]
