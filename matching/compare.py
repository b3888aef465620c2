"""Field comparators: each says how well one field of a child agrees with a pupil, as a level.

Levels are words, not numbers, so that a person reviewing a match reads "typo" or
"swapped day and month"; weights.py turns each level into log-odds.
"""

from __future__ import annotations

from datetime import date
from functools import lru_cache

from rapidfuzz.distance import DamerauLevenshtein, JaroWinkler
from stdnum.gb import upn as upn_number

from . import normalise as norm
from .names import nickname_roots, same_first_name, short_form, sound_alike
from .records import ChildRecord, PupilRecord

# Levels shared by several fields.
EXACT = "exact"
TYPO = "typo"
PHONETIC = "phonetic"
CLOSE = "close"  # further than a slip, still mostly the same letters (names); within weeks (dates)
DISAGREE = "disagree"
MISSING = "missing"
# Names.
NICKNAME = "nickname"
MIDDLE = "middle"
PART = "part"
INITIAL = "initial"  # "C" for Charlie: agrees, weakly
# Date of birth.
SWAPPED_DAY_MONTH = "swapped_day_month"
# UPN.
INVALID = "invalid"
# Address.
SAME_ADDRESS = "same_address"
SAME_POSTCODE = "same_postcode"
SAME_STREET = "same_street"  # the same house number on the same street, under another postcode
FORMER_ADDRESS = "former_address"
SAME_SECTOR = "same_sector"
DIFFERENT = "different"
# Order of first and last name.
USUAL = "usual"
SWAPPED = "swapped"

# Levels that say the child and the pupil have this field in common, at least roughly.
AGREEING = frozenset({EXACT, TYPO, PHONETIC, CLOSE, NICKNAME, MIDDLE, PART, INITIAL, SWAPPED_DAY_MONTH})
# The name the child goes by, give or take spelling: a middle name is weaker evidence.
SAME_NAME = frozenset({EXACT, NICKNAME, TYPO, PHONETIC})


def spelling_level(a: str, b: str) -> str:
    """How two folded names compare when neither is a nickname of the other: graded by how
    many letters differ for the name's length, so two slips in a long name still agree roughly."""
    if a == b:
        return EXACT
    shorter, longer = sorted((len(a), len(b)))
    if shorter < 3:
        return PHONETIC if sound_alike(a, b) else DISAGREE
    # Each distance is measured once: most names compared are strangers', which every test fails.
    edits = DamerauLevenshtein.distance(a, b, score_cutoff=2)
    similarity = JaroWinkler.similarity(a, b)
    if _one_slip(shorter, edits, similarity):
        return TYPO
    if sound_alike(a, b):
        return PHONETIC
    if _close(shorter, longer, edits, similarity):
        return CLOSE
    return DISAGREE


def _one_slip(shorter: int, edits: int, similarity: float) -> bool:
    # One edit in a short name, two in a long one, is a slip of the keyboard, not another name.
    return edits <= (1 if shorter < 8 else 2) or similarity >= 0.95


def _close(shorter: int, longer: int, edits: int, similarity: float) -> bool:
    # Two slips (Thropr for Thorpe), or most letters shared in order: weaker than a typo, and
    # weighed as such (its u is measured on the census).
    # Two slips in a short name too (Msao for Mason, Ely for Emily), so long as one of the two
    # has five letters: u, measured on the census, says how often strangers come this close.
    return (longer >= 5 and edits <= 2) or (shorter >= 4 and similarity >= 0.9)


def is_slip(a: str, b: str) -> bool:
    """One slip of the keyboard between two folded names (`spelling_level`'s TYPO)."""
    shorter = min(len(a), len(b))
    if shorter < 3:
        return False
    edits = DamerauLevenshtein.distance(a, b, score_cutoff=2)
    return _one_slip(shorter, edits, JaroWinkler.similarity(a, b))


def first_name_level(given: str, pupil: PupilRecord) -> str:
    """Best agreement of a recorded first name with any name the pupil goes by."""
    child = norm.name_key(given)
    if not child:
        return MISSING
    names = _first_names(pupil)
    if len(child) == 1:
        return INITIAL if any(name.startswith(child) for name in names) else DISAGREE
    best = _best(FIRST_NAME_ORDER, (_first_level(child, name) for name in names))
    if best not in (DISAGREE, CLOSE):
        return best
    return MIDDLE if _matches_middle(child, pupil) else best


def _first_names(pupil: PupilRecord) -> list[str]:
    names = [pupil.first_name, pupil.preferred_first_name]
    names += [first for first, _ in pupil.former_names]
    return [norm.name_key(name) for name in names if name]


def _matches_middle(child: str, pupil: PupilRecord) -> bool:
    for middle in norm.name_parts(pupil.middle_names):
        if child == middle or same_first_name(child, middle) or is_slip(child, middle):
            return True
    return False


FIRST_NAME_ORDER = (EXACT, NICKNAME, TYPO, PHONETIC, CLOSE, DISAGREE)


@lru_cache(maxsize=500_000)
def _first_level(child: str, name: str) -> str:
    if child == name:
        return EXACT
    if not nickname_roots(child).isdisjoint(nickname_roots(name)):
        return NICKNAME
    level = spelling_level(child, name)
    # A letter slipped is a typo even where a pet form could be read into it (Emiiy for Emiily
    # is no Emmy); a shortening the lists miss further off is a nickname (Davy, Artie).
    if level != TYPO and short_form(child, name):
        return NICKNAME
    return level


def _best(order: tuple[str, ...], levels) -> str:
    found = set(levels)
    return next((level for level in order if level in found), DISAGREE)


LAST_NAME_ORDER = (EXACT, PART, TYPO, PHONETIC, CLOSE, DISAGREE)


def last_name_level(given: str, pupil: PupilRecord) -> str:
    """Best agreement of a recorded surname with the pupil's surname, preferred or former."""
    child = norm.name_key(given)
    if not child:
        return MISSING
    names = [pupil.last_name, pupil.preferred_last_name]
    names += [last for _, last in pupil.former_names]
    return _best(LAST_NAME_ORDER, (_last_level(given, name) for name in names if name))


@lru_cache(maxsize=500_000)
def _last_level(given: str, name: str) -> str:
    child, pupil = norm.name_key(given), norm.name_key(name)
    if child == pupil:
        return EXACT
    child_parts, pupil_parts = set(norm.name_parts(given)), set(norm.name_parts(name))
    if len(child_parts | pupil_parts) > 1 and (child_parts <= pupil_parts or pupil_parts <= child_parts):
        return PART  # Smith for Smith-Jones, or Smith-Jones for Jones
    return spelling_level(child, pupil)


def dob_level(given: date | None, dob: date) -> str:
    if given is None:
        return MISSING
    if given == dob:
        return EXACT
    if given.day == dob.month and given.month == dob.day and given.year == dob.year:
        return SWAPPED_DAY_MONTH
    if DamerauLevenshtein.distance(norm.dob_digits(given), norm.dob_digits(dob)) == 1:
        return TYPO  # one digit wrong, or two neighbouring digits swapped
    if (given.month, given.day) == (dob.month, dob.day) and abs(given.year - dob.year) in (1, 10):
        return TYPO  # the year one or ten out
    if DamerauLevenshtein.distance(norm.dob_digits(given), norm.dob_digits(dob)) == 2:
        return CLOSE  # two digits wrong
    return DISAGREE


def sex_level(given: str | None, sex: str) -> str:
    if not given or not sex:
        return MISSING
    return EXACT if given.upper() == sex.upper() else DISAGREE


def upn_level(given: str, upn: str) -> str:
    """A UPN that fails its check letter tells us nothing, so it is set aside, not held against."""
    if not given:
        return MISSING
    child = valid_upn(given)
    if not child:
        return INVALID
    return EXACT if child == valid_upn(upn) else DISAGREE


@lru_cache(maxsize=100_000)
def valid_upn(text: str) -> str:
    """The UPN in its compact form, or "" when it fails its check letter."""
    return upn_number.compact(text) if upn_number.is_valid(text) else ""


def address_level(child: ChildRecord, pupil: PupilRecord) -> str:
    code = norm.postcode(child.postcode)
    line = norm.address_line(child.home_line)
    if not code and not line:
        return MISSING
    if not pupil.postcode and not pupil.address_line1:
        return MISSING
    if _same_address(line, code, pupil.address_line1, pupil.postcode):
        return SAME_ADDRESS
    if code and code == norm.postcode(pupil.postcode):
        return SAME_POSTCODE
    if any(_same_address(line, code, *former) for former in pupil.former_addresses):
        return FORMER_ADDRESS
    if _same_house_on_street(line, pupil.address_line1) or _home_with_slips(line, code, pupil):
        return SAME_STREET
    if code and norm.postcode_sector(code) == norm.postcode_sector(norm.postcode(pupil.postcode)):
        return SAME_SECTOR
    return DIFFERENT


def _same_address(line: str, code: str, other_line: str, other_code: str) -> bool:
    """The same home as a person reads it: the same house number (or none recorded on one side,
    or a flat's left off) on a street spelt closely enough (61 Biffin Sreet, Rd for Road, a space
    slipped in or out), in the same postcode or one a slip away from it. A postcode and house
    number name one home in the UK, so with both agreeing a street left off is no objection."""
    other = norm.address_line(other_line)
    if not line or not other:
        return False
    numbers = _numbers_agree(line, other)
    if numbers is False:
        return False
    street, other_street = norm.street_key(line), norm.street_key(other)
    other_code = norm.postcode(other_code)
    same_code = bool(code and other_code and code == other_code)
    if not street or not other_street:
        return same_code and bool(numbers)
    if code and other_code and code != other_code:
        # A postcode slip only with the rest of the address agreeing in full.
        postcode_slip = DamerauLevenshtein.distance(code, other_code, score_cutoff=1) <= 1
        return postcode_slip and bool(numbers) and _street_one_slip(street, other_street)
    if not same_code and not numbers:
        return False  # a street alone, with no postcode or number to place the house, is not a home
    return _street_close(street, other_street, 0.85)


def _numbers_agree(line: str, other: str) -> bool | None:
    """Do the house and flat numbers of two lines name one home? None when a side has none.

    Flat 2, 14 Church Road is 14 Church Road with the flat left off, and 2/14 Church Road; not
    Flat 3 there, nor 2 Church Road. A number read as the house on one side and the flat on the
    other ("4 Wright Wells" for "Flat 4, Wright Wells") agrees; 14 and 14A agree (a letter left
    off), 14A and 14B do not."""
    flats, buildings = norm.house_numbers(line)
    other_flats, other_buildings = norm.house_numbers(other)
    if not (flats or buildings) or not (other_flats or other_buildings):
        return None
    if buildings and other_buildings and not _share(buildings, other_buildings):
        return False
    if flats and other_flats and not _share(flats, other_flats):
        return False
    return _share(flats + buildings, other_flats + other_buildings)


def _share(numbers: tuple[str, ...], others: tuple[str, ...]) -> bool:
    return any(_same_number(a, b) for a in numbers for b in others)


def _same_number(a: str, b: str) -> bool:
    if a == b:
        return True
    digits, other_digits = a.rstrip("abcdefghijklmnopqrstuvwxyz"), b.rstrip("abcdefghijklmnopqrstuvwxyz")
    return digits == other_digits and (digits == a or other_digits == b)


def _street_close(a: str, b: str, similarity: float) -> bool:
    return a == b or JaroWinkler.similarity(a, b) >= similarity


def _street_one_slip(a: str, b: str) -> bool:
    """The street in full or with one slip (Schoil Road): what a slipped postcode asks of it."""
    return _street_close(a, b, 0.95) or DamerauLevenshtein.distance(a, b, score_cutoff=1) <= 1


def _same_house_on_street(line: str, other_line: str) -> bool:
    """The same house number on the same street (give or take a slip) where the postcodes differ:
    the postcode mistyped or the child's home written with a neighbouring one, or a namesake
    street elsewhere (u, measured on the census, says how often)."""
    other = norm.address_line(other_line)
    if not line or not other or not _numbers_agree(line, other):
        return False
    street, other_street = norm.street_key(line), norm.street_key(other)
    return bool(street and other_street) and _street_one_slip(street, other_street)


def _home_with_slips(line: str, code: str, pupil: PupilRecord) -> bool:
    """The pupil's street with a slip in the postcode and one in the house number (1877 Tennyson
    Crescent, E39 0LA for 1277 Tennyson Crescent, E39 1LA), or with no house number on one side
    (Caldwell Street, E03 7NA for 14 Caldwell Street, E30 7NA): the home mistyped twice, or the
    house next door; either way near the home, as the same house under another postcode is.
    (Under the very postcode, a street without its number is the home: `_same_address`.)"""
    other = norm.address_line(pupil.address_line1)
    other_code = norm.postcode(pupil.postcode)
    if not (code and other_code) or DamerauLevenshtein.distance(code, other_code, score_cutoff=1) > 1:
        return False
    number, other_number = norm.house_number(line), norm.house_number(other)
    if number and other_number and DamerauLevenshtein.distance(number, other_number, score_cutoff=1) > 1:
        return False
    street, other_street = norm.street_key(line), norm.street_key(other)
    return bool(street and other_street) and _street_one_slip(street, other_street)


def field_levels(child: ChildRecord, pupil: PupilRecord) -> dict[str, str]:
    """Every field's level, names read the usual way round."""
    return {
        "upn": upn_level(child.upn, pupil.upn),
        "first_name": first_name_level(child.first_name, pupil),
        "last_name": last_name_level(child.last_name, pupil),
        "dob": dob_level(child.dob, pupil.dob),
        "sex": sex_level(child.sex, pupil.sex),
        "address": address_level(child, pupil),
        "order": USUAL,
    }


def swapped_levels(levels: dict[str, str], child: ChildRecord, pupil: PupilRecord) -> dict[str, str] | None:
    """The same comparison with the child's first and last names exchanged, when that could help."""
    if levels["first_name"] in AGREEING and levels["last_name"] in AGREEING:
        return None
    first = first_name_level(child.last_name, pupil)
    last = last_name_level(child.first_name, pupil)
    if first not in AGREEING and last not in AGREEING:
        return None  # no better read the other way round
    return dict(levels, first_name=first, last_name=last, order=SWAPPED)
