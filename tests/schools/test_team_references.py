"""A local authority team sits in the schools table with a nine-digit reference: no GIAS
extract and no census can reach it by URN."""

import pytest

from schools.imports.gias import schools_import
from schools.imports.pupils import pupils_import
from schools.models import Enrolment, RecipientKind, School
from schools.services import la_team_create
from tests.schools.census import census_file, census_row
from tests.schools.gias import gias_file, gias_row


@pytest.mark.django_db
def test_an_extract_naming_a_teams_reference_changes_nothing(tmp_path, world):
    team = la_team_create(local_authority=world.la_a, kind=RecipientKind.HOME_EDUCATION)
    report = schools_import(source=gias_file(tmp_path, [gias_row(team.urn), gias_row(141001)]))
    assert not report.applied
    assert [(error.line, error.field) for error in report.errors] == [(2, "URN")]
    assert "local authority teams" in report.errors[0].reason
    team.refresh_from_db()
    assert team.kind == RecipientKind.HOME_EDUCATION and not School.objects.filter(urn=141001).exists()


@pytest.mark.django_db
def test_a_census_cannot_enrol_a_pupil_in_a_team(tmp_path, world):
    team = la_team_create(local_authority=world.la_a, kind=RecipientKind.HOME_EDUCATION)
    report = pupils_import(source=census_file(tmp_path, [census_row(1, team.urn)]))
    assert report.errors and not Enrolment.objects.filter(school=team).exists()


@pytest.mark.django_db
def test_a_teams_reference_is_above_every_urn_and_one_per_authority_and_kind(world):
    home = la_team_create(local_authority=world.la_b, kind=RecipientKind.HOME_EDUCATION)
    early = la_team_create(local_authority=world.la_b, kind=RecipientKind.EARLY_YEARS)
    assert (home.urn, early.urn) == (900_883_001, 900_883_002)
    assert home.is_team and not world.school_a.is_team
    assert set(School.objects.teams()) == {home, early}
    assert world.school_a in School.objects.schools() and home not in School.objects.schools()
