"""Random files and bodies (bytes, encodings, sizes, dates, field lengths) through every
importer and the API: never a traceback, never a 500, and a refused file or body saves
nothing. Example counts are modest to keep the suite fast; the shapes are the ones that
broke things before (bad bytes, runaway quotes, NULs, dates at the edges of the calendar)."""

import csv
import io
import itertools
import json

import pytest
from django.test import Client
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from incidents.models import Incident, IncidentChild
from incidents.services import api_client_create
from police.imports import REQUIRED_COLUMNS, incidents_import
from schools.imports.gias import schools_import
from schools.imports.pupils import COLUMNS as CENSUS_COLUMNS
from schools.imports.pupils import pupils_import
from schools.imports.terms import term_dates_import
from schools.models import Enrolment, LocalAuthority, Pupil, School, TermPeriod
from tests.schools.gias import HEADER as GIAS_HEADER

FUZZ = settings(
    max_examples=30,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
    derandomize=True,
)

EDGE_DATES = st.sampled_from(
    ["0001-01-01", "9999-12-31", "2016-02-30", "2024-02-29", "01/01/0001", "31/12/9999", "", "2016-05-14",
     "0001-01-01T00:00+23:59", "9999-12-31T23:59-23:59", "2026-11-27 21:30", "１９９９-０１-０１"]
)  # fmt: skip
FIELD = st.one_of(
    st.text(max_size=30),
    st.text(alphabet=st.characters(codec="utf-8"), min_size=0, max_size=300),
    EDGE_DATES,
    st.sampled_from(
        ["=1+1", "@SUM(A1)", '"', '""', "\r\n", "42/123456/26", "４２/１２３４５６/２６", "x" * 5000]
    ),
)
ENCODINGS = st.sampled_from(["utf-8", "utf-8-sig", "cp1252", "utf-16", "latin-1"])


def csv_bytes(header: list[str], rows: list[list[str]], encoding: str) -> bytes:
    out = io.StringIO()
    csv.writer(out).writerows([header, *rows])
    return out.getvalue().encode(encoding, errors="replace")


def files(header: list[str]):
    rows = st.lists(st.lists(FIELD, min_size=len(header), max_size=len(header)), max_size=4)
    made = st.builds(csv_bytes, st.just(header), rows, ENCODINGS)
    mangled = st.builds(
        lambda raw, cut, junk: raw[:cut] + junk + raw[cut:], made, st.integers(0, 400), st.binary(max_size=20)
    )
    return st.one_of(made, mangled, st.binary(max_size=2000))


def counts(*models) -> tuple[int, ...]:
    return tuple(model.objects.count() for model in models)


def assert_all_or_nothing(report, before, after):
    if not report.applied:
        assert after == before, "a refused file changed the database"


@pytest.mark.django_db
@FUZZ
@given(raw=files(CENSUS_COLUMNS))
def test_the_census_import_survives_any_file(raw):
    School.objects.get_or_create(urn=100001, defaults={"name": "A school", "local_authority": _la()})
    before = counts(Pupil, Enrolment)
    report = pupils_import(source=io.BytesIO(raw))
    assert_all_or_nothing(report, before, counts(Pupil, Enrolment))
    assert all(error.reason for error in report.errors)


@pytest.mark.django_db
@FUZZ
@given(raw=files(GIAS_HEADER[:20]))
def test_the_gias_import_survives_any_file(raw):
    before = counts(School, LocalAuthority)
    report = schools_import(source=io.BytesIO(raw))
    assert_all_or_nothing(report, before, counts(School, LocalAuthority))


@pytest.mark.django_db
@FUZZ
@given(raw=st.one_of(files(["la_code", "school_urn", "kind", "starts_on", "ends_on", "description"]),
                     st.builds(lambda body: ("BEGIN:VCALENDAR\r\n" + body + "\r\nEND:VCALENDAR\r\n").encode(),
                               st.text(max_size=200))))  # fmt: skip
def test_the_term_dates_import_survives_any_file(raw):
    _la()
    before = counts(TermPeriod)
    report = term_dates_import(source=io.BytesIO(raw), la_code="882")
    assert_all_or_nothing(report, before, counts(TermPeriod))


@pytest.fixture
def force(db):
    from tests.factories import ForceFactory

    return ForceFactory(name="Essex Police", code="ESX")


HEADER = [*REQUIRED_COLUMNS, "reported_at", "postcode", "estimated_age", "upn", "known_school_urn"]


@FUZZ
@given(raw=files(HEADER))
def test_the_police_download_survives_any_file(force, raw):
    before = counts(Incident, IncidentChild)
    result = incidents_import(force=force, text=raw)
    if result.errors:
        assert counts(Incident, IncidentChild) == before, "a refused download changed the database"


JSON = st.recursive(
    st.one_of(st.none(), st.booleans(), st.integers(), st.floats(allow_nan=False), FIELD),
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=10), inner, max_size=3),
    max_leaves=10,
)
CHILD = st.fixed_dictionaries(
    {"first_name": FIELD, "last_name": FIELD},
    optional={"dob": EDGE_DATES, "estimated_age": JSON, "upn": FIELD, "known_school_urn": JSON, "sex": FIELD},
)
# Each example gets its own client: id() of a freed example can come back, and a count of
# incidents does not move when a body is refused.
CLIENT_NAMES = (f"fuzz-{n}" for n in itertools.count())

BODY = st.fixed_dictionaries(
    {"reference": FIELD, "occurred_at": EDGE_DATES, "children": st.lists(CHILD, max_size=2) | JSON},
    optional={"postcode": FIELD, "reported_at": EDGE_DATES, "welfare_check": JSON, "risk": FIELD},
)


@FUZZ
@given(body=st.one_of(BODY, JSON))
def test_the_api_never_answers_500_and_a_refusal_saves_nothing(force, body):
    token = api_client_create(force=force, name=next(CLIENT_NAMES))[1]
    before = counts(Incident, IncidentChild)
    response = Client().post(
        "/api/v1/incidents/", json.dumps(body), content_type="application/json",
        HTTP_AUTHORIZATION=f"Bearer {token}",
    )  # fmt: skip
    assert response.status_code in (200, 201, 400, 409), response.content[:300]
    assert set(response.json()) >= ({"errors"} if response.status_code >= 400 else {"reference"})
    if response.status_code >= 400:
        assert counts(Incident, IncidentChild) == before


@FUZZ
@given(raw=st.binary(max_size=3000))
def test_the_api_answers_any_bytes_with_a_400(force, raw):
    token = api_client_create(force=force, name=next(CLIENT_NAMES))[1]
    response = Client().post(
        "/api/v1/incidents/", raw, content_type="application/json", HTTP_AUTHORIZATION=f"Bearer {token}"
    )
    assert response.status_code in (400, 201, 200), response.content[:300]


def _la() -> LocalAuthority:
    return LocalAuthority.objects.get_or_create(code="882", defaults={"name": "Southend-on-Sea"})[0]
