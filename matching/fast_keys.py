"""The matching engine's pupil blocking keys, computed fast for a census import.

`matching.keys.pupil_blocking_keys` is the definition; this is a faster route to
exactly the same keys for a census line (a pupil without earlier names or addresses).
Names repeat heavily in a census, so everything derived from the names alone is worked out
once per distinct name and cached; a line then costs a few dictionary look-ups and string
joins. tests/schools/test_fast_keys.py asserts, over a generated census, that both give the
same keys: if the engine's key language changes, that test fails until this follows it.
"""

from __future__ import annotations

from datetime import date
from functools import lru_cache

from . import normalise as norm
from .names import nickname_roots, soundex, sounds


@lru_cache(maxsize=100_000)
def _first_name(name: str) -> tuple[str, tuple[str, ...], str, str, str] | None:
    """(name key, 'df:' suffixes of its nickname roots, 'yn:' metaphone, 'pf:' initial,
    'dm:' soundex)."""
    key = norm.name_key(name)
    if not key:
        return None
    return key, tuple(f":{root}" for root in nickname_roots(key)), sounds(key)[0], key[0], soundex(key)


@lru_cache(maxsize=100_000)
def _middle_names(middle_names: str) -> tuple:
    return tuple(filter(None, map(_first_name, norm.name_parts(middle_names))))


@lru_cache(maxsize=100_000)
def _last_names(last: str, preferred_last: str) -> tuple[tuple[str, ...], tuple[str, ...]]:
    """(soundex codes for dl:, pl: and yn:, surname keys for nn:)."""
    lasts = set()
    for name in (last, preferred_last):
        parts = norm.name_parts(name)
        lasts.update(parts)
        lasts.add("".join(parts))
    lasts.discard("")
    return tuple({soundex(name) for name in lasts}), tuple(lasts)


def census_line_keys(
    *,
    upn: str,
    first_name: str,
    middle_names: str,
    last_name: str,
    preferred_first_name: str,
    preferred_last_name: str,
    dob: date,
    postcode: str,
    address_line1: str = "",
) -> set[str]:
    """`pupil_blocking_keys` of a pupil with no earlier names or addresses, whose UPN has
    already passed `schools.imports.fields.upn` (so it is valid and compact)."""
    firsts = {_first_name(first_name), _first_name(preferred_first_name), *_middle_names(middle_names)}
    firsts.discard(None)
    codes, lasts = _last_names(last_name, preferred_last_name)
    initials = {last[0] for last in lasts}
    iso = dob.isoformat()
    code = norm.postcode(postcode)
    keys = {f"dl:{iso}:{soundex_code}" for soundex_code in codes}
    df, yn, pf, di = f"df:{iso}", f"yn:{dob.year}:", f"pf:{code}:", f"di:{iso}:"
    nd = f"nd:{iso[5:]}:"
    area = norm.postcode_area(code)
    for key, roots, metaphone, initial, first_soundex in firsts:
        keys.update([df + root for root in roots])
        keys.add(f"dm:{iso}:{first_soundex}")
        keys.update([f"nz:{soundex_code}:{first_soundex}" for soundex_code in codes])
        keys.update([f"{yn}{soundex_code}:{metaphone}" for soundex_code in codes])
        keys.update([f"{nd}{soundex_code}:{metaphone}" for soundex_code in codes])
        keys.update([f"ns:{soundex_code}:{metaphone}" for soundex_code in codes])
        keys.update([f"nn:{last}:{key}" for last in lasts])
        keys.update([di + initial + last_initial for last_initial in initials])
        if code:
            keys.add(pf + initial)
            keys.update([f"na:{area}:{last}:{key}" for last in lasts])
    line = norm.address_line(address_line1)
    number, street = norm.house_number(line), norm.street_key(line)
    if code:
        keys.update([f"pl:{code}:{soundex_code}" for soundex_code in codes])
        keys.add(f"dp:{iso}:{norm.postcode_district(code)}")
        if number:
            keys.add(f"ph:{code}:{number}")
    if number and street:
        every_initial = initials | {first[3] for first in firsts}
        hs = f"hs:{number}:{street}:"
        keys.update([hs + initial for initial in every_initial])
        if len(code) >= 5:
            ha = f"ha:{norm.postcode_area(code)}:{number}:{street}:"
            keys.update([ha + initial for initial in every_initial])
    halves = (code[:-3], code[-3:]) if len(code) >= 5 else ("",)
    every_name = {first[0] for first in firsts} | set(lasts)
    if street:
        keys.update([f"sn:{half}:{street}:{name}" for half in halves for name in every_name])
        keys.add(f"ds:{iso}:{street}")
        if number:
            keys.update([f"hh:{half}:{number}:{street}" for half in halves if half])
    if number:
        keys.update([f"dh:{half}:{iso}:{number}" for half in halves])
        keys.update([f"nh:{half}:{number}:{name}" for half in halves for name in every_name if half])
    if upn:
        keys.add(f"u:{upn}")
    return keys
