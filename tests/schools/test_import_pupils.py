from datetime import date

import pytest
from django.core.management import CommandError, call_command
from django.db import IntegrityError, connection, transaction

from matching.key_hash import KEY_HASH_SQL, key_hash
from matching.keys import pupil_blocking_keys
from schools.imports.pupils import pupil_record, pupils_import
from schools.models import Enrolment, Pupil, PupilAlias, PupilKey
from tests.factories import SchoolFactory, make_upn
from tests.schools.census import census_file, census_row

pytestmark = pytest.mark.django_db


def hashes(*keys: str) -> set[int]:
    return {key_hash(key) for key in keys}


@pytest.fixture
def schools():
    return SchoolFactory(urn=115001), SchoolFactory(urn=115002)


def test_it_imports_pupils_with_their_enrolment_and_blocking_keys(tmp_path, schools):
    report = pupils_import(source=census_file(tmp_path, [census_row(1, 115001), census_row(2, 115002)]))

    assert report.applied and report.errors == []
    assert report.counts["pupils_created"] == 2
    pupil = Pupil.objects.get(upn=make_upn(1))
    assert (pupil.first_name, pupil.middle_names, pupil.dob, pupil.postcode) == (
        "Amelia", "Rose", date(2016, 5, 14), "SS1 1AA"
    )  # fmt: skip
    assert pupil.enrolments.get().school == schools[0]
    keys = set(pupil.keys.values_list("key", flat=True))
    assert keys == {key_hash(key) for key in pupil_blocking_keys(pupil_record(pupil))}
    assert key_hash(f"u:{make_upn(1)}") in keys


def test_a_file_with_a_bad_row_changes_nothing_and_names_every_bad_row(tmp_path, schools):
    rows = [
        census_row(1, 115001),
        census_row(2, 115001, upn="A" + make_upn(2)[1:]),  # wrong check letter
        census_row(3, 115001, dob="14/05/2016", sex="X"),
        census_row(4, 999999, postcode="NOT A CODE"),
        census_row(5, 115001, entry_date="2023-09-01", leaving_date="2023-01-01"),
    ]
    report = pupils_import(source=census_file(tmp_path, rows))

    assert not report.applied
    assert Pupil.objects.count() == 0 and Enrolment.objects.count() == 0 and PupilKey.objects.count() == 0
    problems = {(e.line, e.field) for e in report.errors}
    assert problems == {
        (3, "upn"), (4, "dob"), (4, "sex"), (5, "school_urn"), (5, "postcode"), (6, "leaving_date"),
    }  # fmt: skip
    assert any("check letter" in e.reason for e in report.errors if e.line == 3)


def test_skip_invalid_imports_the_good_rows_and_still_reports_the_bad(tmp_path, schools):
    rows = [census_row(1, 115001), census_row(2, 115001, first_name="")]
    report = pupils_import(source=census_file(tmp_path, rows), skip_invalid=True)

    assert report.applied
    assert list(Pupil.objects.values_list("upn", flat=True)) == [make_upn(1)]
    assert [str(e) for e in report.errors] == ["line 3, first_name: is missing"]


def test_a_dry_run_validates_and_saves_nothing(tmp_path, schools):
    report = pupils_import(source=census_file(tmp_path, [census_row(1, 115001)]), dry_run=True)

    assert report.counts["pupils_created"] == 1
    assert Pupil.objects.count() == 0


def test_importing_the_same_file_again_changes_nothing(tmp_path, schools):
    path = census_file(tmp_path, [census_row(1, 115001), census_row(2, 115002)])
    pupils_import(source=path)
    before = (
        list(Pupil.objects.values().order_by("id")),
        list(Enrolment.objects.values().order_by("id")),
        list(PupilKey.objects.values().order_by("id")),
    )

    report = pupils_import(source=path)

    assert report.counts["pupils_unchanged"] == 2 and report.counts["enrolments_started_or_changed"] == 0
    after = (
        list(Pupil.objects.values().order_by("id")),
        list(Enrolment.objects.values().order_by("id")),
        list(PupilKey.objects.values().order_by("id")),
    )
    assert after == before
    assert PupilAlias.objects.count() == 0


def test_a_pupil_who_moves_school_ends_the_old_enrolment_and_starts_a_new_one(tmp_path, schools):
    pupils_import(source=census_file(tmp_path, [census_row(1, 115001)], "autumn.csv"))

    moved = census_row(1, 115002, entry_date="2024-04-15", address_line1="9 Sea View", postcode="SS9 2XY")
    report = pupils_import(source=census_file(tmp_path, [moved], "summer.csv"))

    pupil = Pupil.objects.get(upn=make_upn(1))
    history = list(
        pupil.enrolments.order_by("entry_date").values_list("school__urn", "entry_date", "leaving_date")
    )
    assert history == [(115001, date(2023, 9, 1), date(2024, 4, 14)), (115002, date(2024, 4, 15), None)]
    assert report.counts["enrolments_ended_by_a_move"] == 1
    alias = pupil.aliases.get()
    assert (alias.address_line1, alias.postcode, alias.first_name) == ("1 High Street", "SS1 1AA", "")
    keys = set(pupil.keys.values_list("key", flat=True))
    assert hashes("pf:SS92XY:a", "pf:SS11AA:a") <= keys  # found at the new home and at the earlier one


def test_a_changed_name_is_kept_as_an_alias_and_its_keys_stay_findable(tmp_path, schools):
    pupils_import(source=census_file(tmp_path, [census_row(1, 115001, last_name="Smith")], "a.csv"))
    pupils_import(source=census_file(tmp_path, [census_row(1, 115001, last_name="Jones")], "b.csv"))

    pupil = Pupil.objects.get(upn=make_upn(1))
    assert pupil.last_name == "Jones"
    assert pupil.aliases.get().last_name == "Smith"
    keys = set(pupil.keys.values_list("key", flat=True))
    assert hashes("dl:2016-05-14:J520", "dl:2016-05-14:S530") <= keys


def test_a_leaving_date_ends_the_enrolment(tmp_path, schools):
    pupils_import(source=census_file(tmp_path, [census_row(1, 115001)], "a.csv"))
    pupils_import(source=census_file(tmp_path, [census_row(1, 115001, leaving_date="2024-07-19")], "b.csv"))

    assert Enrolment.objects.get().leaving_date == date(2024, 7, 19)


def test_the_same_enrolment_twice_in_a_file_is_a_bad_row(tmp_path, schools):
    report = pupils_import(source=census_file(tmp_path, [census_row(1, 115001), census_row(1, 115001)]))

    assert not report.applied
    assert [str(e) for e in report.errors] == ["line 3, upn: the same pupil, school and entry date as line 2"]


def test_a_file_without_required_columns_is_refused(tmp_path, schools):
    path = tmp_path / "bad.csv"
    path.write_text("upn,first_name\nX,Y\n")

    report = pupils_import(source=path)

    assert not report.applied
    assert "missing column(s): last_name, dob, school_urn, entry_date" in str(report.errors[0])


def test_the_command_prints_the_report_and_fails_on_bad_rows(tmp_path, schools, capsys):
    path = census_file(tmp_path, [census_row(1, 115001), census_row(2, 115001, dob="2016-02-30")])

    with pytest.raises(CommandError):
        call_command("import_pupils", str(path))

    out = capsys.readouterr().out
    assert "Nothing was imported: 1 bad row(s)" in out
    assert "line 3, dob: '2016-02-30' is not a real date" in out
    call_command("import_pupils", str(path), "--skip-invalid")
    assert Pupil.objects.count() == 1


def test_the_import_gives_the_same_result_with_worker_processes(tmp_path, schools):
    rows = [census_row(n, 115001) for n in range(1, 30)] + [census_row(40, 115001, sex="Q")]
    report = pupils_import(source=census_file(tmp_path, rows), workers=2, skip_invalid=True)

    assert report.counts["pupils_created"] == 29
    assert [(e.line, e.field) for e in report.errors] == [(31, "sex")]


def test_a_first_load_rebuilds_indexes_and_keeps_every_constraint(tmp_path, schools, monkeypatch):
    monkeypatch.setattr("schools.imports.pupils.BULK_LOAD_MIN_ROWS", 1)
    pupils_import(source=census_file(tmp_path, [census_row(1, 115001), census_row(2, 115002)], "a.csv"))

    moved = census_row(1, 115002, entry_date="2024-04-15")
    report = pupils_import(source=census_file(tmp_path, [moved, census_row(3, 115001)], "b.csv"))

    assert report.counts["pupils_created"] == 1 and report.counts["enrolments_ended_by_a_move"] == 1
    assert Pupil.objects.count() == 3 and Enrolment.objects.count() == 4
    with pytest.raises(IntegrityError), transaction.atomic():
        Pupil.objects.create(upn=make_upn(1), first_name="A", last_name="B", dob=date(2016, 1, 1))


def test_a_file_may_carry_a_pupils_earlier_enrolment_and_the_latest_line_wins(tmp_path, schools):
    rows = [
        census_row(1, 115002, entry_date="2024-04-15", last_name="Jones"),
        census_row(1, 115001, entry_date="2023-09-01", last_name="Smith"),
    ]
    pupils_import(source=census_file(tmp_path, rows))

    pupil = Pupil.objects.get(upn=make_upn(1))
    assert pupil.last_name == "Jones"
    history = list(pupil.enrolments.order_by("entry_date").values_list("school__urn", "leaving_date"))
    assert history == [(115001, date(2024, 4, 14)), (115002, None)]


def test_untidy_but_valid_values_are_stored_as_tidily_as_clean_ones(tmp_path, schools):
    untidy = census_row(
        1, " 115001 ", first_name="  Amelia ", middle_names="Rose  Mary", last_name="Smith ", sex="f",
        postcode=" ss1  1aa", dob=" 2016-05-14", uprn=" 100090000001 ", leaving_date="  ",
    )  # fmt: skip
    tidy = census_row(2, 115001, middle_names="Rose Mary", last_name="Smith")
    report = pupils_import(source=census_file(tmp_path, [untidy, tidy]))

    assert report.applied and report.errors == []

    pupil = Pupil.objects.get(upn=make_upn(1))
    assert (pupil.first_name, pupil.middle_names, pupil.sex, pupil.postcode, pupil.dob, pupil.uprn) == (
        "Amelia", "Rose Mary", "F", "SS1 1AA", date(2016, 5, 14), "100090000001"
    )  # fmt: skip
    assert pupil.enrolments.get().leaving_date is None
    keys = set(pupil.keys.values_list("key", flat=True))
    assert keys == hashes(*pupil_blocking_keys(pupil_record(pupil)))


@pytest.mark.skipif(connection.vendor != "postgresql", reason="PostgreSQL's own hash of a key")
def test_postgresql_hashes_a_key_as_key_hash_does():
    keys = ["dl:2016-05-14:S530", "u:A882000100001", "nn:wisniewska:zoe", ""]
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT {KEY_HASH_SQL.format('k')} FROM unnest(%s::text[]) WITH ORDINALITY t(k, n) ORDER BY n",  # noqa: S608
            [keys],
        )
        in_sql = [value for (value,) in cursor.fetchall()]

    assert in_sql == [key_hash(key) for key in keys]


def test_the_command_refreshes_the_match_weights_for_the_new_census(tmp_path, schools, settings):
    import json
    from pathlib import Path

    path = census_file(tmp_path, [census_row(n, 115001) for n in range(1, 4)])
    call_command("import_pupils", str(path))
    stored = json.loads(Path(settings.MATCH_WEIGHTS_FILE).read_text())
    assert stored["pupils"] == Pupil.objects.count() == 3
