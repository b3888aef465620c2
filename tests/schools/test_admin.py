import time

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from encompass.reauth import SESSION_KEY
from matching.key_hash import key_hash
from schools.models import Pupil, PupilKey, School
from tests.conftest import signed_in
from tests.schools.census import census_file, census_row
from tests.schools.gias import gias_file, gias_row


def admin_signed_in(client, user):
    """Signed in, and the fresh second factor the admin asks for just given."""
    signed_in(client, user)
    session = client.session
    session[SESSION_KEY] = time.time()
    session.save()
    return client


def upload(path):
    return SimpleUploadedFile(path.name, path.read_bytes())


def test_an_administrator_imports_a_gias_extract_in_the_admin(client, world, tmp_path):
    admin_signed_in(client, world.admin)
    path = gias_file(tmp_path, [gias_row(115001, EstablishmentName="Café Primary School")])

    page = client.post("/admin/schools/school/import/", {"file": upload(path), "la_codes": "882"})

    assert "Schools (GIAS): 1 row(s) read. Imported." in page.content.decode()
    assert School.objects.get(urn=115001).name == "Café Primary School"


def test_the_admin_census_import_reports_bad_rows_and_saves_nothing(client, world, tmp_path):
    admin_signed_in(client, world.admin)
    path = census_file(
        tmp_path, [census_row(1, world.school_a.urn), census_row(2, world.school_a.urn, sex="Z")]
    )

    page = client.post("/admin/schools/pupil/import/", {"file": upload(path)}).content.decode()

    assert "Nothing was imported: 1 bad row(s)" in page
    assert "<td>3</td><td>sex</td><td>&#x27;Z&#x27; is not M, F or blank</td>" in page
    assert Pupil.objects.count() == 1  # Amelia of the world fixture only


@pytest.mark.parametrize(
    "page",
    [
        "/admin/schools/school/?q=Chalkwell&participating__exact=1",
        "/admin/schools/pupil/?q=Smith",
        "/admin/schools/keyadult/?role__exact=dsl",
        "/admin/schools/enrolment/?leaving_date__isempty=1",
        "/admin/schools/termperiod/?kind__exact=term",
        "/admin/schools/localauthority/?q=882",
        "/admin/schools/agreementacceptance/",
        "/admin/schools/pupilkey/?q=x",
        "/admin/schools/school/import/",
    ],
)
def test_reference_data_is_searchable_and_filterable_in_the_admin(client, world, page):
    admin_signed_in(client, world.admin)

    assert client.get(page).status_code == 200


def test_only_superusers_may_import(client, world):
    world.admin.is_superuser = False
    world.admin.save()
    admin_signed_in(client, world.admin)

    assert client.get("/admin/schools/pupil/import/").status_code == 403


def test_an_admin_finds_a_pupils_blocking_key_by_its_text(client, world):
    PupilKey.objects.get_or_create(pupil=world.pupil, key=key_hash("dl:2016-05-14:S530"))
    admin_signed_in(client, world.admin)

    found = client.get("/admin/schools/pupilkey/", {"q": "dl:2016-05-14:S530"})
    not_found = client.get("/admin/schools/pupilkey/", {"q": "dl:2016-05-14:J520"})

    assert found.context["cl"].result_count == 1 and not_found.context["cl"].result_count == 0
