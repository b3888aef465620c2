"""Officer records generated from census pupils, each with one known kind of error.

Each query carries the true pupil's id (None for a child absent from the census) and its
error kind, for scoring only: the matcher sees nothing but the ChildRecord.
"""

from __future__ import annotations

import random
from collections.abc import Callable
from dataclasses import dataclass, replace
from datetime import date

from matching.records import ChildRecord

from . import census_names as names
from .census import SIBLING_GAP_DAYS, Census, CensusRow, given_names, random_dob, split_home

ABSENT_SHARE = 0.15
UPN_SHARE = 0.10  # officers rarely know a child's UPN


@dataclass(frozen=True)
class Query:
    child: ChildRecord
    kind: str
    truth: int | None  # the pupil id the child really is; None when absent from the census


# Each error kind: pick(row, census) says whether a pupil suits it; make(...) writes the record.
Maker = Callable[["_Context", CensusRow], ChildRecord | None]


class _Context:
    def __init__(self, census: Census, rng: random.Random) -> None:
        self.census = census
        self.rng = rng
        self.by_town: dict[str, list[int]] = {}
        for household in census.households:
            self.by_town.setdefault(household.town, []).append(household.id)
        # Every name a pupil goes by, with its dates of birth: an absent child must not be a
        # pupil's exact double, or the benchmark would ask for the impossible.
        self.name_dobs: dict[tuple[str, str], set[date]] = {}
        for row in census.rows:
            for name in _names(row):
                self.name_dobs.setdefault(name, set()).add(row.dob)

    def recorded(self, row: CensusRow, **changes) -> ChildRecord:
        """The pupil as an officer writes it: title case, street words sometimes abbreviated."""
        child = ChildRecord(
            first_name=_title(row.first_name),
            last_name=_title(row.last_name),
            dob=row.dob,
            sex=row.sex,
            address_line1=self.abbreviated(self.flat_written(row.home_line)),
            town=row.town,
            postcode=self.spaced(row.postcode),
        )
        return replace(child, **changes)

    def abbreviated(self, line: str) -> str:
        if self.rng.random() < 0.3:
            return line.replace(" Road", " Rd").replace(" Street", " St").replace(" Avenue", " Ave")
        return line

    def flat_written(self, line: str) -> str:
        """A flat as officers write it: as the census does, the flat left off, or 3/14."""
        flat, number, street = split_home(line)
        if not flat:
            return line
        roll = self.rng.random()
        if roll < 0.3:
            return f"{number} {street}"
        if roll < 0.5:
            return f"{flat.split()[1].rstrip(',')}/{number} {street}"
        return line

    def spaced(self, code: str) -> str:
        return code.replace(" ", "") if self.rng.random() < 0.2 else code

    def other_household(self, town: str, exclude: int):
        """A household nearby (relatives usually live in the same town), never the child's own."""
        ids = self.by_town.get(town) or [h.id for h in self.census.households]
        while True:
            household = self.census.households[self.rng.choice(ids)]
            if household.id != exclude:
                return household


def _names(row: CensusRow) -> set[tuple[str, str]]:
    firsts = {row.first_name, row.preferred_first_name, *(first for first, _ in row.former_names)} - {""}
    lasts = {row.last_name, row.preferred_last_name, *(last for _, last in row.former_names)} - {""}
    return {(first, last) for first in firsts for last in lasts}


def _title(name: str) -> str:
    return "-".join("'".join(p.capitalize() for p in w.split("'")) for w in name.split("-"))


# Errors ---------------------------------------------------------------------------------------

KEYBOARD = dict(
    zip(
        "qwertyuiopasdfghjklzxcvbnm",
        [
            "wa",
            "qes",
            "wrd",
            "etf",
            "ryg",
            "tuh",
            "yij",
            "uok",
            "ipl",
            "ol",
            "qsz",
            "awdx",
            "sefc",
            "drgv",
            "fthb",
            "gyjn",
            "hukm",
            "jilm",
            "kop",
            "asx",
            "zsdc",
            "xdfv",
            "cfgb",
            "vghn",
            "bhjm",
            "njk",
        ],
        strict=True,
    )
)


def typo(rng: random.Random, word: str) -> str:
    """One slip of the keyboard: a neighbouring key, a letter dropped, doubled or two swapped."""
    while True:
        i = rng.randrange(len(word))
        kind = rng.choice(("neighbour", "drop", "double", "swap"))
        if kind == "neighbour" and word[i] in KEYBOARD:
            result = word[:i] + rng.choice(KEYBOARD[word[i]]) + word[i + 1 :]
        elif kind == "drop" and len(word) > 3:
            result = word[:i] + word[i + 1 :]
        elif kind == "double":
            result = word[:i] + word[i] + word[i:]
        elif kind == "swap" and i + 1 < len(word):
            result = word[:i] + word[i + 1] + word[i] + word[i + 2 :]
        else:
            continue
        if result != word:
            return result


SPELLINGS = (
    ("ph", "f"),
    ("f", "ph"),
    ("y", "i"),
    ("i", "y"),
    ("ck", "k"),
    ("c", "k"),
    ("k", "c"),
    ("ee", "ea"),
    ("ea", "ee"),
    ("ie", "y"),
    ("ey", "y"),
    ("ai", "ay"),
    ("ay", "ai"),
    ("z", "s"),
    ("s", "z"),
    ("th", "t"),
    ("ll", "l"),
    ("nn", "n"),
    ("tt", "t"),
    ("mm", "m"),
    ("rr", "r"),
    ("on", "en"),
    ("en", "on"),
    ("ou", "ow"),
    ("ah", "a"),
    ("ia", "iya"),
    ("sh", "ch"),
    ("oo", "u"),
    ("er", "a"),
    ("au", "o"),
)


def sound_alike(rng: random.Random, word: str) -> str | None:
    """Another way to spell what sounds the same: Aisha as Aysha, Stephens as Stevens."""
    options = [(a, b) for a, b in SPELLINGS if a in word[1:]]
    if not options:
        return None
    a, b = rng.choice(options)
    i = word.index(a, 1)
    return word[:i] + b + word[i + len(a) :]


def _exact(ctx: _Context, row: CensusRow) -> ChildRecord:
    return ctx.recorded(row)


def _nickname(ctx: _Context, row: CensusRow) -> ChildRecord | None:
    nicks = names.NICKNAMES.get(row.first_name)
    return ctx.recorded(row, first_name=_title(ctx.rng.choice(nicks.split()))) if nicks else None


def _first_typo(ctx: _Context, row: CensusRow) -> ChildRecord:
    return ctx.recorded(row, first_name=_title(typo(ctx.rng, row.first_name)))


def _last_typo(ctx: _Context, row: CensusRow) -> ChildRecord:
    return ctx.recorded(row, last_name=_title(typo(ctx.rng, row.last_name)))


def _phonetic(ctx: _Context, row: CensusRow) -> ChildRecord | None:
    if ctx.rng.random() < 0.5:
        variant = sound_alike(ctx.rng, row.first_name)
        return ctx.recorded(row, first_name=_title(variant)) if variant else None
    variant = sound_alike(ctx.rng, row.last_name)
    return ctx.recorded(row, last_name=_title(variant)) if variant else None


def _hyphen_part(ctx: _Context, row: CensusRow) -> ChildRecord | None:
    """Smith for Smith-Jones, or Smith-Jones for a pupil on the census as Smith."""
    if "-" in row.last_name:
        return ctx.recorded(row, last_name=_title(ctx.rng.choice(row.last_name.split("-"))))
    if ctx.rng.random() < 0.1:
        other = ctx.census.rows[ctx.rng.randrange(len(ctx.census.rows))].last_name
        return ctx.recorded(row, last_name=_title(f"{row.last_name}-{other}"))
    return None


def _swapped_names(ctx: _Context, row: CensusRow) -> ChildRecord:
    return ctx.recorded(row, first_name=_title(row.last_name), last_name=_title(row.first_name))


def _middle_as_first(ctx: _Context, row: CensusRow) -> ChildRecord | None:
    return ctx.recorded(row, first_name=_title(row.middle_names.split()[0])) if row.middle_names else None


def _preferred_name(ctx: _Context, row: CensusRow) -> ChildRecord | None:
    if row.preferred_first_name:
        return ctx.recorded(row, first_name=_title(row.preferred_first_name))
    if row.preferred_last_name:
        return ctx.recorded(row, last_name=_title(row.preferred_last_name))
    return None


def _former_name(ctx: _Context, row: CensusRow) -> ChildRecord | None:
    if not row.former_names:
        return None
    first, last = row.former_names[0]
    return ctx.recorded(row, first_name=_title(first), last_name=_title(last))


def _dob_typo(ctx: _Context, row: CensusRow) -> ChildRecord:
    digits = row.dob.strftime("%Y%m%d")
    while True:
        i = ctx.rng.randrange(2, 8)  # the century is never mistyped
        changed = digits[:i] + str(ctx.rng.randrange(10)) + digits[i + 1 :]
        dob = _parse(changed)
        if dob and dob != row.dob and 2000 <= dob.year <= 2024:
            return ctx.recorded(row, dob=dob)


def _parse(digits: str) -> date | None:
    try:
        return date(int(digits[:4]), int(digits[4:6]), int(digits[6:]))
    except ValueError:
        return None


def _dob_swapped(ctx: _Context, row: CensusRow) -> ChildRecord | None:
    if row.dob.day > 12 or row.dob.day == row.dob.month:
        return None
    return ctx.recorded(row, dob=row.dob.replace(day=row.dob.month, month=row.dob.day))


def _dob_missing(ctx: _Context, row: CensusRow) -> ChildRecord:
    return ctx.recorded(row, dob=None)


def _sex_missing(ctx: _Context, row: CensusRow) -> ChildRecord:
    return ctx.recorded(row, sex=None)


def _sex_wrong(ctx: _Context, row: CensusRow) -> ChildRecord:
    return ctx.recorded(row, sex="F" if row.sex == "M" else "M")


def _relative_address(ctx: _Context, row: CensusRow) -> ChildRecord:
    household = ctx.other_household(row.town, row.household)
    return ctx.recorded(
        row, address_line1=household.address_line1, postcode=household.postcode, town=household.town
    )


def _moved_house(ctx: _Context, row: CensusRow) -> ChildRecord:
    """Police hold the family's old address; or the family moved after the census."""
    if row.former_addresses:
        line, code = row.former_addresses[0]
        return ctx.recorded(row, address_line1=line, postcode=code)
    household = ctx.other_household(row.town, row.household)
    number = ctx.rng.randint(100, 300)  # a house no census pupil lives in
    street = split_home(household.address_line1)[2]
    return ctx.recorded(row, address_line1=f"{number} {street}", postcode=household.postcode)


def _wrong_upn(ctx: _Context, row: CensusRow) -> ChildRecord:
    """The officer copied a sibling's UPN (or another child's): a valid UPN of the wrong child."""
    household = ctx.census.households[row.household]
    others = [i for i in household.pupil_ids if ctx.census.rows[i].id != row.id]
    other = (
        ctx.census.rows[ctx.rng.choice(others)]
        if others
        else ctx.census.rows[ctx.rng.randrange(len(ctx.census.rows))]
    )
    return ctx.recorded(row, upn=other.upn)


KINDS: dict[str, Maker] = {
    "exact": _exact,
    "nickname": _nickname,
    "first_typo": _first_typo,
    "last_typo": _last_typo,
    "phonetic": _phonetic,
    "hyphen_part": _hyphen_part,
    "swapped_names": _swapped_names,
    "middle_as_first": _middle_as_first,
    "preferred_name": _preferred_name,
    "former_name": _former_name,
    "dob_typo": _dob_typo,
    "dob_swapped": _dob_swapped,
    "dob_missing": _dob_missing,
    "sex_missing": _sex_missing,
    "sex_wrong": _sex_wrong,
    "relative_address": _relative_address,
    "moved_house": _moved_house,
    "wrong_upn": _wrong_upn,
}


# Wider kinds (bench/evaluate.py): what the held-out sets showed, and several errors at once.

# Spellings of one name in Latin letters, as families and officers transliterate it.
TRANSLITERATIONS = (
    "muhammad mohammed mohammad mohamed muhammed",
    "zoe zoë",
    "chloe chloë",
    "aleksander alexander",
    "aleksandra alexandra",
    "mikolaj mikołaj nikolai",
    "wojciech voitech",
    "yusuf yousef yousuf",
    "aisha ayesha aysha",
    "fatima fatimah",
    "zainab zaynab",
    "hussain hussein",
    "oluwaseun oluseun",
)
_VARIANTS = {name: line.split() for line in TRANSLITERATIONS for name in line.split()}


def _two_edits(ctx: _Context, row: CensusRow) -> ChildRecord | None:
    """Two slips in one name (Thropr for Thorpe, Lachlarn for Lachlan)."""
    field = ctx.rng.choice(("first_name", "last_name"))
    name = getattr(row, field)
    if len(name) < 5:
        return None
    return ctx.recorded(row, **{field: _title(typo(ctx.rng, typo(ctx.rng, name)))})


def _street_typo(ctx: _Context, row: CensusRow) -> ChildRecord:
    flat, number, street = split_home(row.home_line)
    return ctx.recorded(row, address_line1=f"{flat}{number} {typo(ctx.rng, street.lower()).title()}")


def _no_house_number(ctx: _Context, row: CensusRow) -> ChildRecord:
    flat, _, street = split_home(row.home_line)
    return ctx.recorded(row, address_line1=f"{flat}{street}")


def _surname_changed(ctx: _Context, row: CensusRow) -> ChildRecord:
    """A new partner's or a refuge's surname, at the same home."""
    while True:
        other = _random_row(ctx).last_name
        if other[:1] != row.last_name[:1]:
            return ctx.recorded(row, last_name=_title(other))


def _transliterated(ctx: _Context, row: CensusRow) -> ChildRecord | None:
    variants = [name for name in _VARIANTS.get(row.first_name, ()) if name != row.first_name]
    return ctx.recorded(row, first_name=_title(ctx.rng.choice(variants))) if variants else None


def _initial(ctx: _Context, row: CensusRow) -> ChildRecord:
    return ctx.recorded(row, first_name=row.first_name[0].upper())


def _in_other_script(ctx: _Context, row: CensusRow) -> ChildRecord | None:
    """A pupil whose names the census holds in Arabic, Cyrillic, Chinese or Devanagari letters,
    recorded by the officer the same way (bench/census.py with_scripts)."""
    return ctx.recorded(row) if not row.first_name.isascii() else None


def _several(ctx: _Context, row: CensusRow) -> ChildRecord:
    """Two to four slips at once, as on a record typed in a hurry: in the first name, the
    surname, the date of birth, the street, the house number or the postcode."""
    chosen = ctx.rng.sample(
        ("first_name", "last_name", "dob", "street", "number", "postcode"), ctx.rng.choice((2, 3, 4))
    )
    changes: dict = {}
    if "first_name" in chosen:
        changes["first_name"] = _title(typo(ctx.rng, row.first_name))
    if "last_name" in chosen:
        changes["last_name"] = _title(typo(ctx.rng, row.last_name))
    if "dob" in chosen:
        changes["dob"] = _dob_typo(ctx, row).dob
    flat, number, street = split_home(row.home_line)
    if "street" in chosen:
        street = typo(ctx.rng, street.lower()).title()
    if "number" in chosen:
        number = _number_slip(ctx.rng, number)
    if "street" in chosen or "number" in chosen:
        changes["address_line1"] = f"{flat}{number} {street}"
    if "postcode" in chosen:
        changes["postcode"] = _postcode_slip(ctx.rng, row.postcode)
    return ctx.recorded(row, **changes)


def _number_slip(rng: random.Random, number: str) -> str:
    """A house number mistyped: a digit changed, dropped or added."""
    while True:
        i = rng.randrange(len(number))
        kind = rng.choice(("change", "drop", "add"))
        if kind == "change":
            result = number[:i] + rng.choice("0123456789") + number[i + 1 :]
        elif kind == "drop" and len(number) > 1:
            result = number[:i] + number[i + 1 :]
        elif kind == "add":
            result = number[:i] + rng.choice("0123456789") + number[i:]
        else:
            continue
        if result != number and not result.startswith("0"):
            return result


def _postcode_slip(rng: random.Random, code: str) -> str:
    """One character of a postcode mistyped, a digit for a digit or a letter for a letter."""
    while True:
        i = rng.randrange(len(code))
        if code[i].isdigit():
            result = code[:i] + rng.choice("0123456789") + code[i + 1 :]
        elif code[i].isalpha():
            result = code[:i] + rng.choice("ABDEFGHJLNPQRSTUWXYZ") + code[i + 1 :]
        else:
            continue
        if result != code:
            return result


WIDE_KINDS: dict[str, Maker] = {
    "two_edits": _two_edits,
    "street_typo": _street_typo,
    "no_house_number": _no_house_number,
    "surname_changed": _surname_changed,
    "transliterated": _transliterated,
    "initial": _initial,
    "other_script": _in_other_script,
    "several_errors": _several,
}


# Children absent from the census ----------------------------------------------------------------

ABSENT_KINDS = {"absent_sibling": 0.45, "absent_namesake": 0.40, "absent_stranger": 0.15}
ABSENT_TWIN_SHARE = 0.03  # an absent sibling born the same day as one on the census


def _close_dates(a: date, b: date) -> bool:
    """Dates an officer's slip could turn into each other: the look-alike must not be one of those."""
    if a == b or (a.day, a.month, a.year) == (b.month, b.day, b.year):
        return True
    x, y = a.strftime("%Y%m%d"), b.strftime("%Y%m%d")
    diffs = [i for i in range(8) if x[i] != y[i]]
    return len(diffs) == 1 or (len(diffs) == 2 and diffs[1] == diffs[0] + 1 and x[diffs[0]] == y[diffs[1]])


def _far_dob(ctx: _Context, others: set[date]) -> date:
    while True:
        dob = random_dob(ctx.rng)
        if not any(_close_dates(dob, other) for other in others):
            return dob


def _sibling_dob(ctx: _Context, siblings: list[date], others: set[date]) -> date:
    """Born more than SIBLING_GAP_DAYS from each brother or sister, as the census's siblings are."""
    while True:
        dob = _far_dob(ctx, others)
        if all(abs((dob - sibling).days) > SIBLING_GAP_DAYS for sibling in siblings):
            return dob


def _absent_sibling(ctx: _Context) -> ChildRecord:
    """A real household's surname and address, a first name none of its children has."""
    household = ctx.census.households[ctx.rng.randrange(len(ctx.census.households))]
    children = [ctx.census.rows[i] for i in household.pupil_ids]
    taken = {name for child in children for name in given_names(child)}  # first, middle, preferred
    # The name of some pupil not of this family, with that pupil's sex (Florence is a girl).
    named = next(row for row in iter(lambda: _random_row(ctx), None) if row.first_name not in taken)
    first = named.first_name
    doubles = ctx.name_dobs.get((first, household.surname), set())
    if ctx.rng.random() < ABSENT_TWIN_SHARE and children[0].dob not in doubles:
        dob = children[0].dob
    else:
        dob = _sibling_dob(ctx, [child.dob for child in children], doubles)
    return ChildRecord(
        first_name=_title(first),
        last_name=_title(household.surname),
        dob=dob,
        sex=named.sex,
        address_line1=household.address_line1,
        town=household.town,
        postcode=household.postcode,
    )


def _absent_namesake(ctx: _Context) -> ChildRecord:
    """A real pupil's name, born on another day, living elsewhere."""
    row = _random_row(ctx)
    dob = _far_dob(ctx, ctx.name_dobs[(row.first_name, row.last_name)])
    household = ctx.other_household(ctx.rng.choice(list(ctx.by_town)), row.household)
    return ctx.recorded(
        row, dob=dob, address_line1=household.address_line1, postcode=household.postcode, town=household.town
    )


def _absent_stranger(ctx: _Context) -> ChildRecord:
    first_from, last_from = _random_row(ctx), _random_row(ctx)
    dob = _far_dob(ctx, ctx.name_dobs.get((first_from.first_name, last_from.last_name), set()))
    household = ctx.census.households[ctx.rng.randrange(len(ctx.census.households))]
    return ChildRecord(
        first_name=_title(first_from.first_name),
        last_name=_title(last_from.last_name),
        dob=dob,
        sex=first_from.sex,
        address_line1=f"{ctx.rng.randint(100, 300)} {split_home(household.address_line1)[2]}",
        town=household.town,
        postcode=household.postcode,
    )


ABSENT_MAKERS = {
    "absent_sibling": _absent_sibling,
    "absent_namesake": _absent_namesake,
    "absent_stranger": _absent_stranger,
}


def _random_row(ctx: _Context) -> CensusRow:
    return ctx.census.rows[ctx.rng.randrange(len(ctx.census.rows))]


# The query set ----------------------------------------------------------------------------------


def generate(census: Census, count: int, *, seed: int = 0, wide: bool = False) -> list[Query]:
    """About 15% absent children; the rest spread evenly over the error kinds (with `wide`, the
    wider kinds of WIDE_KINDS too). Deterministic per seed."""
    ctx = _Context(census, random.Random(seed))
    kinds = {**KINDS, **WIDE_KINDS} if wide else KINDS
    queries = []
    for _ in range(count):
        if ctx.rng.random() < ABSENT_SHARE:
            queries.append(_absent(ctx))
        else:
            queries.append(_present(ctx, kinds, ctx.rng.choice(list(kinds))))
    return queries


def _absent(ctx: _Context) -> Query:
    kind = ctx.rng.choices(list(ABSENT_KINDS), weights=list(ABSENT_KINDS.values()))[0]
    return Query(ABSENT_MAKERS[kind](ctx), kind, None)


def _present(ctx: _Context, kinds: dict[str, Maker], kind: str) -> Query:
    while True:
        row = _random_row(ctx)
        child = kinds[kind](ctx, row)
        if child is not None:
            break
    if kind != "wrong_upn" and ctx.rng.random() < UPN_SHARE:
        child = replace(child, upn=row.upn)
    return Query(child, kind, row.id)
