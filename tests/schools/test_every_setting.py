"""The duty covers every setting a child under 18 is taught in: every such GIAS establishment
type imports, with its ages as GIAS gives them, and a coordinator can sign it up."""

import pytest
from django.urls import reverse

from schools.imports.gias import schools_import
from schools.models import School
from tests.conftest import signed_in
from tests.schools.gias import gias_file, gias_row

# (type, phase, statutory low age, statutory high age) as the GIAS extract writes them.
SETTINGS = [
    ("Community school", "Primary", "4", "11"),
    ("Voluntary aided school", "Secondary", "11", "16"),
    ("Voluntary controlled school", "Primary", "4", "11"),
    ("Foundation school", "Secondary", "11", "18"),
    ("Academy converter", "All-through", "4", "18"),
    ("Academy sponsor led", "Secondary", "11", "18"),
    ("Free schools", "Primary", "4", "11"),
    ("Local authority nursery school", "Nursery", "2", "5"),
    ("Other independent school", "Not applicable", "3", "18"),
    ("Other independent special school", "Not applicable", "7", "19"),
    ("Non-maintained special school", "Not applicable", "5", "19"),
    ("Community special school", "Not applicable", "2", "19"),
    ("Foundation special school", "Not applicable", "3", "19"),
    ("Academy special converter", "Not applicable", "4", "19"),
    ("Academy special sponsor led", "Not applicable", "11", "19"),
    ("Free schools special", "Not applicable", "5", "19"),
    ("Pupil referral unit", "Not applicable", "11", "16"),
    ("Academy alternative provision converter", "Not applicable", "11", "16"),
    ("Academy alternative provision sponsor led", "Not applicable", "5", "16"),
    ("Free schools alternative provision", "Not applicable", "11", "16"),
    ("Further education", "16 plus", "16", "99"),
    ("Sixth form centres", "16 plus", "16", "19"),
    ("Academy 16-19 converter", "16 plus", "16", "19"),
    ("Academy 16-19 sponsor led", "16 plus", "16", "19"),
    ("Free schools 16 to 19", "16 plus", "16", "19"),
    ("Studio schools", "Secondary", "14", "19"),
    ("University technical college", "Secondary", "14", "19"),
    ("City technology college", "Secondary", "11", "18"),
    ("Further education", "16 plus", "", ""),
]


def extract(tmp_path):
    rows = [
        gias_row(
            140000 + n,
            **{
                "TypeOfEstablishment (name)": kind,
                "PhaseOfEducation (name)": phase,
                "StatutoryLowAge": low,
                "StatutoryHighAge": high,
            },
        )
        for n, (kind, phase, low, high) in enumerate(SETTINGS)
    ]
    return gias_file(tmp_path, rows)


@pytest.mark.django_db
def test_every_setting_the_duty_covers_imports_with_its_ages(tmp_path):
    report = schools_import(source=extract(tmp_path))

    assert report.applied and report.errors == []
    imported = list(
        School.objects.order_by("urn").values_list("establishment_type", "phase", "low_age", "high_age")
    )
    expected = [
        (kind, phase, int(low) if low else None, int(high) if high else None)
        for kind, phase, low, high in SETTINGS
    ]
    assert imported == expected


def test_a_coordinator_signs_up_a_setting_of_every_type(client, world, tmp_path):
    schools_import(source=extract(tmp_path))
    signed_in(client, world.coordinator_a)
    data = {"accepted_by_name": "Jo Head", "accepted_on": "2026-11-20", "joined_on": "2026-11-23"}

    for school in School.objects.filter(urn__gte=140000):
        url = reverse("schools:sign_up", args=[world.partnership_a.pk, school.urn])
        response = client.post(url, data)
        assert response.status_code == 302, school.establishment_type

    signed_up = School.objects.filter(urn__gte=140000, participating=True)
    assert {school.establishment_type for school in signed_up} == {kind for kind, *_ in SETTINGS}


def test_a_coordinator_cannot_sign_up_a_setting_of_another_area(client, world, tmp_path):
    schools_import(source=extract(tmp_path))
    signed_in(client, world.coordinator_a)
    school = School.objects.get(urn=140000 + SETTINGS.index(("Further education", "16 plus", "16", "99")))

    response = client.post(
        reverse("schools:sign_up", args=[world.partnership_b.pk, school.urn]),
        {"accepted_by_name": "Jo Head", "accepted_on": "2026-11-20", "joined_on": "2026-11-23"},
    )

    assert response.status_code == 404
    school.refresh_from_db()
    assert not school.participating
