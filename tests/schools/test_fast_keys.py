"""The import's fast key route gives exactly the matching engine's blocking keys."""

from dataclasses import replace
from datetime import date

from bench import census as census_module
from matching.fast_keys import census_line_keys
from matching.keys import pupil_blocking_keys
from schools.imports import fields

AWKWARD_NAMES = [
    dict(first_name="Zoë", middle_names="Anne-Marie  O'Neill", last_name="Wiśniewska-Smith"),
    dict(first_name="Bill", preferred_first_name="William", last_name="Ng", preferred_last_name="Ng"),
    dict(first_name="Mohammed", middle_names="", last_name="Al Hassan", preferred_last_name="Hassan"),
    dict(first_name="Jean-Luc", middle_names="Ł", last_name="D'Arcy", preferred_first_name="J"),
    dict(first_name="A", middle_names="B C D", last_name="E", preferred_last_name=""),
    dict(first_name="'", middle_names="-", last_name="O'", postcode=""),
]


def fast_keys(record) -> set[str]:
    return census_line_keys(
        upn=fields.upn(record.upn),
        first_name=record.first_name,
        middle_names=record.middle_names,
        last_name=record.last_name,
        preferred_first_name=record.preferred_first_name,
        preferred_last_name=record.preferred_last_name,
        dob=record.dob,
        postcode=fields.postcode(record.postcode) if record.postcode else "",
        address_line1=record.address_line1,
    )


def census_records(pupils: int):
    census = census_module.generate(pupils, seed=7)
    for row in census.rows:
        yield census_module.to_pupil_record(replace(row, former_names=(), former_addresses=()))


def test_the_fast_keys_of_every_pupil_of_a_generated_census_are_the_engines_keys():
    records = list(census_records(20_000))

    different = [r.upn for r in records if fast_keys(r) != pupil_blocking_keys(r)]

    assert len(records) == 20_000 and different == []


def test_awkward_names_get_the_engines_keys_too():
    template = next(census_records(1))
    for names in AWKWARD_NAMES:
        record = replace(template, **{"middle_names": "", "preferred_first_name": "", **names})
        assert fast_keys(record) == pupil_blocking_keys(record), names


def test_a_pupil_has_keys_of_every_kind():
    record = replace(next(census_records(1)), dob=date(2016, 5, 14), postcode="SS1 1AA")

    kinds = {key.split(":")[0] for key in fast_keys(record)}

    assert kinds == {
        "dl",
        "df",
        "dm",
        "yn",
        "nd",
        "di",
        "pl",
        "pf",
        "na",
        "ph",
        "ha",
        "hs",
        "dp",
        "nn",
        "ns",
        "nz",
        "sn",
        "ds",
        "dh",
        "nh",
        "hh",
        "u",
    }
