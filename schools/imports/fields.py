"""Checks of single values, shared by the imports. Each returns the clean value or raises
ValueError with a reason a person can act on."""

from __future__ import annotations

import re
from datetime import date, datetime

from stdnum import exceptions as stdnum_errors
from stdnum.gb import upn as upn_number

# Outward code (A9, A99, A9A, AA9, AA99, AA9A) then inward code (9AA, never C I K M O V).
_POSTCODE = re.compile(r"^(GIR|[A-Z]{1,2}[0-9][A-Z0-9]?) ?([0-9][ABD-HJLNP-UW-Z]{2})$")
_ISO_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
_UK_DATE = re.compile(r"^\d{1,2}[-/]\d{1,2}[-/]\d{4}$")

_UPN_REASONS = {
    stdnum_errors.InvalidLength: "must be 13 characters",
    stdnum_errors.InvalidFormat: "must be a letter, 11 digits, then a digit or letter",
    stdnum_errors.InvalidComponent: "does not start with a known local authority number",
    stdnum_errors.InvalidChecksum: "check letter does not match the number",
}


def postcode(value: str) -> str:
    """'ss11aa' -> 'SS1 1AA'; blank stays blank."""
    compact = re.sub(r"\s+", "", value).upper()
    if not compact:
        return ""
    found = _POSTCODE.match(compact)
    if not found:
        raise ValueError(f"'{value.strip()}' is not a UK postcode")
    return f"{found.group(1)} {found.group(2)}"


_UPN_DIGITS = re.compile(r"[A-Z][0-9]{12}")
# The local authority numbers python-stdnum accepts, asked of it once, for the fast path below.
_UPN_AUTHORITIES = frozenset(
    n
    for n in range(1000)
    if upn_number.is_valid(upn_number.calc_check_digit(f"{n:03d}000000000") + f"{n:03d}000000000")
)


# python-stdnum's check letter (weights 2 to 13 over the 12 characters after it, modulo 23)
# as a table look-up; tests/schools/test_fields.py holds it to python-stdnum's own.
_UPN_ALPHABET = "ABCDEFGHJKLMNPQRTUVWXYZ0123456789"
_UPN_DIGIT_VALUES = [{str(d): w * (_UPN_ALPHABET.index(str(d))) for d in range(10)} for w in range(2, 14)]


def upn_check_letter(body: str) -> str:
    """The check letter of the 12 characters of a UPN after it (digits only)."""
    values = _UPN_DIGIT_VALUES
    return _UPN_ALPHABET[sum(values[i][c] for i, c in enumerate(body)) % 23]


def upn(value: str) -> str:
    # Fast path for the usual clean value (a census has millions): all digits after the check
    # letter, from a local authority python-stdnum knows; anything unusual goes through its
    # full validation.
    if (
        _UPN_DIGITS.fullmatch(value)
        and int(value[1:4]) in _UPN_AUTHORITIES
        and upn_check_letter(value[1:]) == value[0]
    ):
        return value
    try:
        return upn_number.validate(value)
    except stdnum_errors.ValidationError as error:
        reason = _UPN_REASONS.get(type(error), "is not a valid UPN")
        raise ValueError(f"'{value.strip()}' {reason}") if value.strip() else ValueError("is missing")


def iso_date(value: str, *, required: bool = True) -> date | None:
    value = value.strip()
    if not value:
        if required:
            raise ValueError("is missing")
        return None
    if not _ISO_DATE.match(value):
        raise ValueError(f"'{value}' is not a date in the form YYYY-MM-DD")
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise ValueError(f"'{value}' is not a real date")


def uk_date(value: str) -> date | None:
    """GIAS writes dates as DD-MM-YYYY; accept ISO dates too. Blank is None."""
    value = value.strip()
    if not value:
        return None
    if _ISO_DATE.match(value):
        return iso_date(value)
    if not _UK_DATE.match(value):
        raise ValueError(f"'{value}' is not a date in the form DD-MM-YYYY")
    try:
        return datetime.strptime(value.replace("/", "-"), "%d-%m-%Y").date()
    except ValueError:
        raise ValueError(f"'{value}' is not a real date")


def text(value: str, *, max_length: int, required: bool = False) -> str:
    value = " ".join(value.split())
    if required and not value:
        raise ValueError("is missing")
    if len(value) > max_length:
        raise ValueError(f"is longer than {max_length} characters")
    return value
