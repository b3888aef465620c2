"""Turn free text into comparable forms; every comparator and key goes through here."""

from __future__ import annotations

import re
from datetime import date
from functools import lru_cache

from anyascii import anyascii

_NOT_NAME = re.compile(r"[^a-z\- ]+")
_SEPARATORS = re.compile(r"[\s\-]+")
_NOT_ALNUM = re.compile(r"[^a-z0-9 ]+")
_NUMBER = re.compile(r"\b([0-9]+[a-z]?)\b")
_RANGE = re.compile(r"\b([0-9]+[a-z]?) ?- ?[0-9]+[a-z]?\b")  # 14-16 Church Road: the first house
# Words that name a dwelling inside a building ("Flat 2", "Studio 34B"), not a street.
SUB_BUILDING = frozenset(
    {"flat", "flats", "apartment", "apt", "studio", "unit", "room", "maisonette", "suite"}
)

# Officers abbreviate street types inconsistently; compare the long form.
_STREET_WORDS = {
    "rd": "road",
    "st": "street",
    "ave": "avenue",
    "av": "avenue",
    "ln": "lane",
    "cl": "close",
    "cres": "crescent",
    "dr": "drive",
    "gdns": "gardens",
    "ct": "court",
    "pl": "place",
    "sq": "square",
    "tce": "terrace",
    "gr": "grove",
    "wy": "way",
}


@lru_cache(maxsize=200_000)
def fold(text: str) -> str:
    """Lower case, accents dropped (Wiśniewski = Wisniewski), apostrophes gone (O'Brien = OBrien)."""
    return _NOT_NAME.sub(" ", fold_ascii(text).replace("'", "")).strip()


@lru_cache(maxsize=200_000)
def name_parts(text: str) -> tuple[str, ...]:
    """The words of a name: 'Smith-Jones' and 'Smith Jones' both give ('smith', 'jones')."""
    return tuple(part for part in _SEPARATORS.split(fold(text)) if part)


@lru_cache(maxsize=200_000)
def name_key(text: str) -> str:
    """One comparable token per name, so that 'Smith-Jones' equals 'Smith Jones'."""
    return "".join(name_parts(text))


@lru_cache(maxsize=400_000)
def postcode(text: str) -> str:
    return re.sub(r"\s+", "", (text or "").upper())


def postcode_area(code: str) -> str:
    """'SS14AB' -> 'SS': the letters a postcode starts with, a region of a few districts."""
    return code[: len(code) - len(code.lstrip("ABCDEFGHIJKLMNOPQRSTUVWXYZ"))]


def postcode_district(code: str) -> str:
    """'SS14AB' -> 'SS1': the outward code, which a slip in the inward code leaves intact."""
    return code[:-3] if len(code) >= 5 else code


def postcode_sector(code: str) -> str:
    """'SS1 4AB' -> 'SS14': a few hundred households, the same neighbourhood."""
    return code[:-2] if len(code) >= 5 else ""


@lru_cache(maxsize=400_000)
def address_line(text: str) -> str:
    words = _NOT_ALNUM.sub(" ", _RANGE.sub(r"\1", fold_ascii(text))).split()
    read, at = [], 0
    while at < len(words):
        word = words[at]
        following = words[at + 1] if at + 1 < len(words) else ""
        if word in _STREET_WORDS and word + following == _STREET_WORDS[word]:
            # A space slipped into the street type ("quick st reet"): the word, not "st" expanded.
            read.append(word + following)
            at += 2
            continue
        read.append(_STREET_WORDS.get(word, word))
        at += 1
    return " ".join(read)


def home_line(line1: str, line2: str) -> str:
    """The address as far as it places the home: the first line, joined by the second where the
    first only names a dwelling in a building ("Flat 4" above "Wright Wells") or is blank. A
    second line under a street, or under a bare house number, is a locality or a building's
    name, not the home's place."""
    words = address_line(line1).split()
    if words and not (words[0] in SUB_BUILDING and all(_NUMBER.fullmatch(word) for word in words[1:])):
        return line1
    return f"{line1}, {line2}" if line1 and line2 else line1 or line2


def fold_ascii(text: str) -> str:
    """Any script in Latin letters, lower case: accents dropped (Zoë = Zoe, ł = l), Arabic,
    Cyrillic, Chinese or Devanagari transliterated, so that no name folds to nothing."""
    text = text or ""
    return (text if text.isascii() else anyascii(text)).lower()


@lru_cache(maxsize=400_000)
def house_numbers(line: str) -> tuple[tuple[str, ...], tuple[str, ...]]:
    """(flats, buildings) of a normalised address line. 'flat 2 14 church road', '2 14 church
    road' (written 2/14) and '14 church road flat 2' all give (('2',), ('14',))."""
    words = line.split()
    flats, buildings = [], []
    for at, word in enumerate(words):
        if not _NUMBER.fullmatch(word):
            continue
        marked = at > 0 and words[at - 1] in SUB_BUILDING
        before_another = at + 1 < len(words) and _NUMBER.fullmatch(words[at + 1])
        (flats if marked or before_another else buildings).append(word)
    return tuple(flats), tuple(buildings)


@lru_cache(maxsize=400_000)
def house_number(line: str) -> str:
    """The building's number ('flat 2 14 church road' -> '14'), or a flat's where none is given."""
    flats, buildings = house_numbers(line)
    return (buildings or flats or ("",))[0]


@lru_cache(maxsize=400_000)
def street(line: str) -> str:
    """An address line without its house and flat numbers: 'flat 2 61 biffin street' -> 'biffin street'."""
    return " ".join(word for word in line.split() if not _NUMBER.fullmatch(word) and word not in SUB_BUILDING)


@lru_cache(maxsize=400_000)
def street_key(line: str) -> str:
    """The street for comparing: without house numbers or spaces, so that 'callistercrescent',
    'callister c rescent' and 'callister crescent' read alike."""
    return street(line).replace(" ", "")


@lru_cache(maxsize=20_000)
def dob_digits(value: date) -> str:
    return value.strftime("%Y%m%d")
