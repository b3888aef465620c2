"""Which first names are the same person's name: nicknames, UK spellings and sound-alikes."""

from __future__ import annotations

import re
from functools import lru_cache

import jellyfish
from nicknames import NickNamer

# Variants common in English schools that the (US-built) nicknames package lacks.
# Each line is one family: any two members count as the same first name.
UK_NAME_FAMILIES = (
    "mohammed muhammad mohammad mohamed muhammed mohamad mohammod mohamud mahamed",
    "ahmed ahmad ahmet",
    "hussain hussein husain husayn",
    "hassan hasan",
    "yusuf yousef yousuf yusef joseph",
    "ibrahim ebrahim abraham",
    "omar umar",
    "hamza hamzah",
    "amir ameer",
    "aisha ayesha aishah aysha",
    "fatima fatimah fatema",
    "zainab zaynab zenab",
    "maryam mariam miriam",
    "khadija khadijah",
    "abdullah abdulla",
    "jayden jaden jaiden jaydon jaydan",
    "aiden aidan ayden",
    "brayden braiden",
    "aleksander alexander aleksandr alex aleks olek",
    "aleksandra alexandra ola",
    "zak zach zachary zack zac zakaria zakariya",
    "isaac zac zak ike",
    "freddie freddy fred frederick",
    "alfie alfred alf",
    "ollie olly oliver",
    "charlie charles charley",
    "charlie charlotte lottie",
    "evie eve eva",
    "millie milly amelia emilia",
    "harry henry hal",
    "archie archibald",
    "teddy ted edward eddie",
    "teddy theodore theo",
    "maisie margaret",
    "lexi lexie alexis alexa",
    "sophie sophia zofia",
    "bella isabella isabelle isobel izzy",
    "ellie elena eleanor ellen",
    "katie kate katherine catherine kathryn katarzyna kasia",
    "jack john jackson",
    "max maximilian maxwell",
    "sam samuel samantha",
    "ben benjamin",
    "joe joseph joey jozef jozsef",
    "dan daniel danny",
    "tom thomas tommy tomasz",
    "josh joshua",
    "matt matthew mateusz",
    "nate nathan nathaniel",
    "jamie james jim jimmy",
    "jacob jakub jake kuba",
    "lily lilly lillie",
    "gracie grace",
    "rosie rose",
    "abi abbie abby abigail",
    "libby lizzie liz beth elizabeth eliza",
    "piotr peter",
    "filip philip phillip",
    "szymon simon",
    "michal michael mike",
    "wojciech wojtek",
    "oskar oscar",
    "sean shaun shawn",
    "niamh neve nieve",
    "ciaran kieran kieron",
    "conor connor",
    "liam william will bill billy",
    "aoife eefa",
    "siobhan shivaun",
    "caoimhe keeva",
    "tobi oluwatobi tobiloba",
    "femi olufemi",
    "seun oluwaseun",
    "dami damilola oluwadamilola",
    "ayo ayomide",
    "tolu tolulope",
    "chidi chidiebere",
    "emeka chukwuemeka",
    "ife ifeoluwa",
    "olivia liv livvy livia",
    "matilda tilly tilda",
    "evelyn evie",
    "florence flo florrie",
    "harriet hattie",
    "penelope penny",
    "beatrice bea",
    "annabelle annie belle",
    "alexander xander",
    "benjamin benji",
    "stanley stan",
    "reginald reggie",
    "ronald ronnie",
    "tobias toby",
    "sebastian seb",
    "priya priyanka",
    "raj rajesh",
    "harpreet harpret",
    "gurpreet gurprit",
)

_NAMER = NickNamer()


def _family_index() -> dict[str, frozenset[str]]:
    index: dict[str, set[str]] = {}
    for number, line in enumerate(UK_NAME_FAMILIES):
        for name in line.split():
            index.setdefault(name, set()).add(f"family{number}")
    return {name: frozenset(ids) for name, ids in index.items()}


_FAMILIES = _family_index()


@lru_cache(maxsize=100_000)
def nickname_roots(name: str) -> frozenset[str]:
    """Two first names are the same name when their roots meet (Bill and Will both reach William)."""
    if not name:
        return frozenset()
    return frozenset({name}) | _NAMER.canonicals_of(name) | _FAMILIES.get(name, frozenset())


def same_first_name(a: str, b: str) -> bool:
    return not nickname_roots(a).isdisjoint(nickname_roots(b)) or short_form(a, b)


# Endings that make a pet name of a name's first syllable: Artie, Davy, Rosie, Freddie, Jacko.
PET_ENDINGS = ("ie", "ey", "y", "o")


def short_form(a: str, b: str) -> bool:
    """Is one name a shortening of the other, as families shorten names the lists miss?
    Tope for Temitope, Bella for Isabella (the end of the name, four letters or more); Artie
    for Arthur, Davy for David (the start, three letters or more, with or without a pet ending)."""
    short, full = sorted((a, b), key=len)
    if len(short) >= 4 and len(full) - len(short) >= 2 and full.endswith(short):
        return True
    stem = _stem(short)
    return len(stem) >= 3 and len(full) - len(stem) >= 2 and full.startswith(stem)


def _stem(name: str) -> str:
    for ending in PET_ENDINGS:
        if name.endswith(ending) and len(name) - len(ending) >= 3:
            stem = name[: -len(ending)]
            return stem[:-1] if len(stem) > 3 and stem[-1] == stem[-2] else stem  # Freddie: fred
    return name


@lru_cache(maxsize=200_000)
def sounds(name: str) -> tuple[str, ...]:
    """Metaphone, NYSIIS and match rating codes (each misses variants the others catch), and
    metaphone as southern English speaks: no r before a consonant or at the end, so Wheela
    sounds like Wheeler, Harpa like Harper and Vanon like Vernon."""
    if not name:
        return "", "", "", ""
    codes = jellyfish.metaphone(name), jellyfish.nysiis(name), jellyfish.match_rating_codex(name)
    return (*codes, jellyfish.metaphone(_NON_RHOTIC.sub("", name)))


_NON_RHOTIC = re.compile(r"(?<=[aeiou])r+(?![aeiouy])")


@lru_cache(maxsize=200_000)
def soundex(name: str) -> str:
    return jellyfish.soundex(name) if name else ""


def sound_alike(a: str, b: str) -> bool:
    # Match rating's own comparison calls Maisie and Isaac alike; equal codes are strict enough.
    return any(x == y for x, y in zip(sounds(a), sounds(b), strict=True))
