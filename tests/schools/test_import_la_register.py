from datetime import date

import pytest
from django.core.management import CommandError, call_command

from schools.imports.register import la_register_import
from schools.models import RegisteredChild, RegisterStatus
from tests.factories import LocalAuthorityFactory

pytestmark = pytest.mark.django_db

HEADER = (
    "child_id,first_name,middle_names,last_name,dob,sex,address_line1,address_line2,town,"
    "postcode,status,start_date,end_date"
)
GOOD = [
    "EHE-1,Amelia,Rose,Clarke,2015-03-02,F,1 High Street,,Grays,rm175aa,home_education,2024-09-01,",
    "CME-2,Oliver,,Khan,2012-11-20,M,2 Low Road,Flat 3,Tilbury,RM18 7AB,missing_education,"
    "2025-01-06,2025-06-30",
]


def register_file(tmp_path, lines, name="register.csv"):
    path = tmp_path / name
    path.write_text("\n".join([HEADER, *lines]) + "\n", encoding="utf-8")
    return path


@pytest.fixture
def thurrock():
    return LocalAuthorityFactory(code="883", name="Thurrock")


def test_it_imports_the_register_of_an_authority(tmp_path, thurrock):
    out = call_command("import_la_register", str(register_file(tmp_path, GOOD)), "--la", "883")

    assert out is None
    amelia = RegisteredChild.objects.get(local_authority=thurrock, child_id="EHE-1")
    assert (amelia.dob, amelia.postcode, amelia.status, amelia.end_date) == (
        date(2015, 3, 2), "RM17 5AA", RegisterStatus.HOME_EDUCATION, None
    )  # fmt: skip
    oliver = RegisteredChild.objects.get(child_id="CME-2")
    assert (oliver.status, oliver.end_date) == (RegisterStatus.MISSING_EDUCATION, date(2025, 6, 30))


def test_importing_the_same_file_again_changes_nothing(tmp_path, thurrock):
    path = register_file(tmp_path, GOOD)
    la_register_import(source=path, la_code="883")
    first = list(RegisteredChild.objects.order_by("id").values())

    report = la_register_import(source=path, la_code="883")

    assert report.applied and report.counts == {"children_unchanged": 2}
    assert list(RegisteredChild.objects.order_by("id").values()) == first


def test_a_changed_row_updates_the_child_it_names(tmp_path, thurrock):
    la_register_import(source=register_file(tmp_path, GOOD), la_code="883")
    ended = GOOD[0].removesuffix(",") + ",2025-02-01"

    report = la_register_import(source=register_file(tmp_path, [ended, GOOD[1]]), la_code="883")

    assert report.counts == {"children_updated": 1, "children_unchanged": 1}
    assert RegisteredChild.objects.get(child_id="EHE-1").end_date == date(2025, 2, 1)


def test_every_bad_row_is_reported_by_line_and_nothing_is_saved(tmp_path, thurrock):
    lines = [
        GOOD[0],
        "X-3,Ava,,Smith,2015-02-30,F,,,,SS1 1AA,home_education,2024-09-01,",
        "X-4,Noah,,Jones,2014-01-01,Q,,,,nowhere,schooled,2024-09-01,",
        "X-5,,,Brown,2014-01-01,M,,,,,home_education,2024-09-01,2024-08-01",
        GOOD[0],
    ]

    report = la_register_import(source=register_file(tmp_path, lines), la_code="883")

    assert not report.applied
    assert [str(error) for error in report.errors] == [
        "line 3, dob: '2015-02-30' is not a real date",
        "line 4, sex: 'Q' is not M, F or blank",
        "line 4, postcode: 'nowhere' is not a UK postcode",
        "line 4, status: 'schooled' is not one of home_education, missing_education",
        "line 5, first_name: is missing",
        "line 6, child_id: repeats line 2",
    ]
    assert not RegisteredChild.objects.exists()


def test_an_end_date_before_the_start_is_refused(tmp_path, thurrock):
    line = "X-5,Ava,,Brown,2014-01-01,M,,,,,home_education,2024-09-01,2024-08-01"

    report = la_register_import(source=register_file(tmp_path, [line]), la_code="883")

    assert [str(error) for error in report.errors] == ["line 2, end_date: is before start_date"]


def test_a_file_without_the_required_columns_is_refused(tmp_path, thurrock):
    path = tmp_path / "register.csv"
    path.write_text("child_id,first_name,last_name\nA,B,C\n", encoding="utf-8")

    report = la_register_import(source=path, la_code="883")

    assert [str(e) for e in report.errors] == ["line 1: missing column(s): dob, status, start_date"]


def test_a_file_that_is_not_utf8_names_the_line(tmp_path, thurrock):
    path = tmp_path / "register.csv"
    path.write_bytes(
        (HEADER + "\n" + GOOD[0] + "\n").encode()
        + "X,Zoë,,A,2015-01-01,,,,,,home_education,2024-09-01,\n".encode("cp1252")
    )

    report = la_register_import(source=path, la_code="883")

    assert report.bad_lines == [3] and not RegisteredChild.objects.exists()


def test_the_command_refuses_an_unknown_authority_and_a_bad_file(tmp_path, thurrock):
    with pytest.raises(CommandError):
        call_command("import_la_register", str(register_file(tmp_path, GOOD)), "--la", "999")
    with pytest.raises(CommandError):
        call_command("import_la_register", str(register_file(tmp_path, ["a,b"])), "--la", "883")
    assert not RegisteredChild.objects.exists()


def test_one_authoritys_register_does_not_touch_anothers(tmp_path, thurrock):
    LocalAuthorityFactory(code="882", name="Southend")
    la_register_import(source=register_file(tmp_path, GOOD), la_code="882")

    report = la_register_import(source=register_file(tmp_path, GOOD[:1]), la_code="883")

    assert report.counts == {"children_added": 1}
    assert RegisteredChild.objects.filter(local_authority__code="882").count() == 2


def test_a_dry_run_saves_nothing(tmp_path, thurrock):
    report = la_register_import(source=register_file(tmp_path, GOOD), la_code="883", dry_run=True)

    assert report.dry_run and not report.errors and not RegisteredChild.objects.exists()
