"""Stored blocking keys carry the key set's version: keys of an earlier one are rebuilt (by the next
census import or by rebuild_pupil_keys), and match_children will not run on them."""

import pytest
from django.apps import apps as django_apps
from django.core.management import CommandError, call_command

from matching.key_hash import key_hash
from matching.keys import KEY_SET_VERSION, pupil_blocking_keys
from schools.apps import _say_if_pupil_keys_stale
from schools.census import pupil_record
from schools.imports.pupils import pupils_import
from schools.models import Pupil, PupilAlias, PupilKey
from tests.factories import EnrolmentFactory, PupilFactory, SchoolFactory, make_upn
from tests.schools.census import census_file, census_row
from tests.schools.test_admin import admin_signed_in

pytestmark = pytest.mark.django_db


def keys_of(pupil) -> set[int]:
    return set(PupilKey.objects.filter(pupil=pupil).values_list("key", flat=True))


def current_keys(pupil) -> set[int]:
    pupil = Pupil.objects.prefetch_related("aliases").get(pk=pupil.pk)
    return {key_hash(key) for key in pupil_blocking_keys(pupil_record(pupil))}


def with_old_keys(pupil) -> Pupil:
    """As a pupil imported before this key set: one key it no longer gets, and version 0."""
    PupilKey.objects.filter(pupil=pupil).delete()
    PupilKey.objects.create(pupil=pupil, key=key_hash("ho:SS11AA:1"))
    Pupil.objects.filter(pk=pupil.pk).update(keys_version=0)
    return pupil


def test_a_new_pupil_is_stored_with_the_current_key_set(tmp_path):
    SchoolFactory(urn=115001)
    pupils_import(source=census_file(tmp_path, [census_row(1, 115001)]))

    pupil = Pupil.objects.get()
    assert pupil.keys_version == KEY_SET_VERSION and keys_of(pupil) == current_keys(pupil)


def test_the_next_import_gives_every_pupil_the_current_keys_in_the_file_or_not(tmp_path):
    SchoolFactory(urn=115001)
    path = census_file(tmp_path, [census_row(1, 115001), census_row(2, 115001)])
    pupils_import(source=path)
    in_file = with_old_keys(Pupil.objects.get(upn=make_upn(1)))
    PupilAlias.objects.create(pupil=in_file, last_name="Jones", recorded_on="2024-01-01")
    not_in_file = with_old_keys(PupilFactory(upn=make_upn(3)))

    report = pupils_import(source=path)  # the same file: nobody in it changed

    assert report.counts["pupils_unchanged"] == 2
    assert report.counts["pupils_given_the_current_blocking_keys"] == 2
    for pupil in (in_file, not_in_file):
        pupil.refresh_from_db()
        assert pupil.keys_version == KEY_SET_VERSION
        assert keys_of(pupil) == current_keys(pupil)
    assert key_hash(f"dl:2016-05-14:{'J520'}") in keys_of(in_file)  # the earlier surname's keys too


def test_rebuild_pupil_keys_rebuilds_only_stale_pupils_and_says_so(capsys):
    stale = [with_old_keys(PupilFactory()) for _ in range(3)]
    current = PupilFactory()
    kept = keys_of(current)

    call_command("rebuild_pupil_keys", "--chunk", "2")

    out = capsys.readouterr()
    assert "3 pupil(s) given the blocking keys of key set" in out.out and "0 left" in out.out
    assert "3 of 3 pupils rebuilt" in out.err
    for pupil in stale:
        assert keys_of(pupil) == current_keys(pupil)
    assert keys_of(current) == kept
    call_command("rebuild_pupil_keys")
    assert "0 pupil(s) given" in capsys.readouterr().out


def test_match_children_will_not_run_while_some_pupils_have_old_keys(tmp_path):
    with_old_keys(PupilFactory())
    source = tmp_path / "in.csv"
    source.write_text("ref,first_name,last_name,dob\nA1,Amelia,Smith,2016-05-14\n")

    with pytest.raises(CommandError, match="1 pupil.s. have blocking keys of an earlier key set"):
        call_command("match_children", str(source), "--out", str(tmp_path / "out.csv"))
    assert not (tmp_path / "out.csv").exists()


def test_migrate_says_when_pupils_have_keys_of_an_earlier_key_set(capsys):
    with_old_keys(PupilFactory())
    config = django_apps.get_app_config("schools")

    _say_if_pupil_keys_stale(config, apps=django_apps, using="default")

    assert "1 pupil(s) have blocking keys of an earlier key set" in capsys.readouterr().out


def test_a_pupil_edited_in_the_admin_is_found_by_the_new_name(client, world):
    pupil = EnrolmentFactory(pupil__last_name="Smith").pupil
    admin_signed_in(client, world.admin)
    page = client.get(f"/admin/schools/pupil/{pupil.pk}/change/")
    data = {
        name: value
        for name, value in page.context["adminform"].form.initial.items()
        if value is not None and name != "id"
    }
    for formset in page.context["inline_admin_formsets"]:
        management = formset.formset.management_form
        data.update({management.add_prefix(name): value for name, value in management.initial.items()})
        for form in formset.formset.forms:
            data.update(
                {form.add_prefix(name): value for name, value in form.initial.items() if value is not None}
            )
            data[form.add_prefix("id")] = form.instance.pk
    data["last_name"] = "Okonkwo"

    response = client.post(f"/admin/schools/pupil/{pupil.pk}/change/", data)

    assert response.status_code == 302, [f.formset.errors for f in response.context["inline_admin_formsets"]]
    pupil.refresh_from_db()
    assert pupil.last_name == "Okonkwo" and keys_of(pupil) == current_keys(pupil)
    assert key_hash("dl:2016-05-14:O252") in keys_of(pupil)
