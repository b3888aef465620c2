"""Blocking keys: a child is only scored against pupils sharing at least one key with it.

Pupil and child keys come from one builder, so the two sides always speak the same key
language. Every key pairs two or more signals so that a bucket stays small at national
scale (9 million pupils): never a birth year or a common surname alone.

  dl  date of birth + surname soundex       finds first-name slips
  df  date of birth + first-name root       finds surname slips (nickname roots included)
  dm  date of birth + first-name soundex    finds another surname (a new partner's, a refuge's)
      under a misspelt first name
  yn  birth year + surname soundex + first-name metaphone   finds date-of-birth slips
  pl  postcode + surname soundex            finds date-of-birth slips at home
  pf  postcode + first initial              finds a changed surname at home
  na  postcode area + surname + first name, exactly   finds a child who moved within the area
      and whose date of birth is wrong too
  ph  postcode + house number               finds the home, whatever the names and date of birth
  ha  postcode area + house number + street + an initial   finds the home under a postcode with
      several slips (the area's letters, SS or E, stay)
  hs  house number + street + an initial    finds the home of a child recorded with no postcode
  dp  date of birth + postcode district     finds slips in both names at home, and the home
      under a slip in the inward code
  di  date of birth + both initials         finds slips in both names at once
  nd  surname soundex + first-name metaphone + birthday (day and month)   finds the year wrong
  nn  surname + first name, exactly         finds a child with no date of birth, away from home
  ns  surname soundex + first-name metaphone   the same, with slips in the names
  nz  surname soundex + first-name soundex     the same, with slips metaphone hears (Graxe, Grace)

For a record with slips in most of its fields (a surname, a first name, the date of birth and
the postcode all mistyped), any two fields that survive still find it:
  sn  outward or inward code + street + a name (first or last)   name and street right
  ds  date of birth + street                 date and street right
  dh  outward or inward code + date of birth + house number      date and house number right
  nh  outward or inward code + house number + a name   the house, a half of the postcode and a
      name right, with the street and the other half slipped
  hh  outward or inward code + house number + street   the house with the postcode slipped,
      whatever the names and date of birth

A pupil carries every key; a child only those that can find it: a child with a date of birth is
found by its names through the date (dl, df, yn, nd, di), not by nn and ns, which would bring
every namesake of a common name; a child with a postcode is found at home by ph, ha, dh and nh, not by
hs, which would bring the same house number on every namesake street in the country. A key of
first name and surname together reads a pupil's every first name with every surname, and a
child's two names as recorded and the other way round.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from . import normalise as norm
from .compare import valid_upn
from .names import nickname_roots, soundex, sounds
from .records import ChildRecord, PupilRecord

# The version of the key set pupil_blocking_keys computes. Raise it with any change to the keys a
# pupil gets: pupils whose stored keys are of another version are rebuilt (the next census import
# does it, or `manage.py rebuild_pupil_keys`), and match_children will not run until they are.
# tests/matching/test_key_set_version.py holds a fingerprint of the key set to remind you.
KEY_SET_VERSION = 3


@dataclass
class _Facts:
    firsts: set[str]
    lasts: set[str]
    dobs: set[date]
    postcodes: set[str]
    upn: str = ""
    homes: set[tuple[str, str]] = frozenset()  # (address line 1, postcode)
    every_key: bool = True  # a pupil's: all keys; a child's: only those that can find it
    # (first name, surname) as read together; None for every first name with every surname.
    readings: set[tuple[str, str]] | None = None


def pupil_blocking_keys(p: PupilRecord) -> set[str]:
    """Computed once at census import and stored as (pupil_id, key) rows."""
    firsts = {p.first_name, p.preferred_first_name, *norm.name_parts(p.middle_names)}
    lasts = {p.last_name, p.preferred_last_name}
    for first, last in p.former_names:
        firsts.add(first)
        lasts.add(last)
    postcodes = {p.postcode, *(code for _, code in p.former_addresses)}
    homes = {(p.address_line1, p.postcode), *p.former_addresses}
    return _keys(_Facts(firsts, lasts, {p.dob}, postcodes, p.upn, homes))


def child_blocking_keys(c: ChildRecord) -> set[str]:
    """Looked up at match time. Names are tried both ways round, dates also with day and month swapped."""
    names = {c.first_name, c.last_name}
    dobs = {c.dob, _day_month_swapped(c.dob)} - {None}
    home = {(c.home_line, c.postcode)}
    readings = {(c.first_name, c.last_name), (c.last_name, c.first_name)}
    return _keys(
        _Facts(names, set(names), dobs, {c.postcode}, c.upn, home, every_key=False, readings=readings)
    )


def _day_month_swapped(value: date | None) -> date | None:
    if value is None or value.day > 12:
        return None
    return value.replace(day=value.month, month=value.day)


def _keys(facts: _Facts) -> set[str]:
    firsts = {key for key in map(norm.name_key, facts.firsts) if key}
    lasts = _surname_keys(facts.lasts)
    full_names = _full_names(facts, firsts, lasts)
    postcodes = {code for code in map(norm.postcode, facts.postcodes) if code}
    keys = set()
    keys |= _dob_keys(facts.dobs, firsts, lasts, full_names)
    keys |= _place_keys(postcodes, firsts, lasts, full_names)
    initials = {name[0] for name in firsts | lasts}
    keys |= _home_keys(facts.homes, initials, facts.every_key)
    keys |= _slipped_keys(facts.homes, facts.dobs, firsts | lasts)
    districts = {norm.postcode_district(code) for code in postcodes}
    keys |= {f"dp:{dob.isoformat()}:{district}" for dob in facts.dobs for district in districts}
    if facts.every_key or not facts.dobs:
        keys |= {f"nn:{last}:{first}" for first, last in full_names}
        keys |= {f"ns:{soundex(last)}:{sounds(first)[0]}" for first, last in full_names}
        keys |= {f"nz:{soundex(last)}:{soundex(first)}" for first, last in full_names}
    if facts.upn and valid_upn(facts.upn):
        keys.add(f"u:{valid_upn(facts.upn)}")
    return keys


def _full_names(facts: _Facts, firsts: set[str], lasts: set[str]) -> set[tuple[str, str]]:
    """(first name, surname key) pairs: a pupil's every first name with every surname; a child's
    names as recorded and the other way round (not one name twice: Amy Smith is no Amy Amy)."""
    if facts.readings is None:
        return {(first, last) for first in firsts for last in lasts}
    pairs = set()
    for first, last in facts.readings:
        first = norm.name_key(first)
        if first:
            pairs |= {(first, key) for key in _surname_keys({last})}
    return pairs


def _surname_keys(lasts: set[str]) -> set[str]:
    """Whole surnames and each part of a double-barrelled one, so Smith finds Smith-Jones."""
    keys = set()
    for last in lasts:
        parts = norm.name_parts(last)
        keys.update(parts)
        keys.add("".join(parts))
    return keys - {""}


def _dob_keys(
    dobs: set[date], firsts: set[str], lasts: set[str], full_names: set[tuple[str, str]]
) -> set[str]:
    keys = set()
    for dob in dobs:
        iso = dob.isoformat()
        keys |= {f"dl:{iso}:{soundex(last)}" for last in lasts}
        keys |= {f"df:{iso}:{root}" for first in firsts for root in nickname_roots(first)}
        keys |= {f"dm:{iso}:{soundex(first)}" for first in firsts}
        keys |= {f"yn:{dob.year}:{soundex(last)}:{sounds(first)[0]}" for first, last in full_names}
        keys |= {f"di:{iso}:{first[0]}{last[0]}" for first, last in full_names}
        birthday = iso[5:]
        keys |= {f"nd:{birthday}:{soundex(last)}:{sounds(first)[0]}" for first, last in full_names}
    return keys


def _home_keys(homes: set[tuple[str, str]], initials: set[str], every_key: bool) -> set[str]:
    keys = set()
    for line, code in homes:
        line = norm.address_line(line)
        number, code, street = norm.house_number(line), norm.postcode(code), norm.street_key(line)
        if number and code:
            keys.add(f"ph:{code}:{number}")
        # With an initial of either name: "1 High Street" alone is a bucket of dozens.
        if number and street and len(code) >= 5:
            area = norm.postcode_area(code)
            keys |= {f"ha:{area}:{number}:{street}:{initial}" for initial in initials}
        if number and street and (every_key or len(code) < 5):
            keys |= {f"hs:{number}:{street}:{initial}" for initial in initials}
    return keys


def _slipped_keys(homes: set[tuple[str, str]], dobs: set[date], names: set[str]) -> set[str]:
    keys = set()
    for line, code in homes:
        line = norm.address_line(line)
        number, code, street = norm.house_number(line), norm.postcode(code), norm.street_key(line)
        # A slip in a postcode leaves one of its halves; a blank one is a half of its own.
        halves = (code[:-3], code[-3:]) if len(code) >= 5 else ("",)
        if street:
            keys |= {f"sn:{half}:{street}:{name}" for half in halves for name in names}
            if number:
                keys |= {f"hh:{half}:{number}:{street}" for half in halves if half}
            keys |= {f"ds:{dob.isoformat()}:{street}" for dob in dobs}
        if number:
            keys |= {f"dh:{half}:{dob.isoformat()}:{number}" for half in halves for dob in dobs}
            keys |= {f"nh:{half}:{number}:{name}" for half in halves for name in names if half}
    return keys


def _place_keys(
    postcodes: set[str], firsts: set[str], lasts: set[str], full_names: set[tuple[str, str]]
) -> set[str]:
    keys = set()
    for code in postcodes:
        keys |= {f"pl:{code}:{soundex(last)}" for last in lasts}
        keys |= {f"pf:{code}:{first[0]}" for first in firsts}
        area = norm.postcode_area(code)
        keys |= {f"na:{area}:{last}:{first}" for first, last in full_names}
    return keys
