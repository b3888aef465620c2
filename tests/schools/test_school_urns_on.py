"""The schools of many pupils on given days, read at once for match_children: the same answer
as asking for each pupil alone."""

from datetime import date

import pytest

from schools.selectors import school_urn_on, school_urns_on
from tests.factories import EnrolmentFactory, PupilFactory, SchoolFactory

pytestmark = pytest.mark.django_db


def test_many_pupils_at_once_give_what_each_alone_gives():
    first, second = SchoolFactory(), SchoolFactory()
    moved, stayed, left = PupilFactory(), PupilFactory(), PupilFactory()
    EnrolmentFactory(pupil=moved, school=first, entry_date=date(2022, 9, 1), leaving_date=date(2024, 7, 20))
    EnrolmentFactory(pupil=moved, school=second, entry_date=date(2024, 9, 3))
    EnrolmentFactory(pupil=stayed, school=first, entry_date=date(2021, 9, 1))
    EnrolmentFactory(pupil=left, school=second, entry_date=date(2021, 9, 1), leaving_date=date(2023, 7, 20))
    wanted = [
        (pupil.id, day)
        for pupil in (moved, stayed, left)
        for day in (date(2023, 1, 10), date(2024, 8, 1), date(2025, 1, 10))
    ]

    urns = school_urns_on(wanted)

    assert urns == {
        (pupil_id, day): urn
        for pupil_id, day in wanted
        if (urn := school_urn_on(pupil_id=pupil_id, on=day)) is not None
    }
    assert urns[(moved.id, date(2023, 1, 10))] == first.urn
    assert urns[(moved.id, date(2025, 1, 10))] == second.urn
    assert (moved.id, date(2024, 8, 1)) not in urns  # between schools in the summer
    assert (left.id, date(2025, 1, 10)) not in urns
