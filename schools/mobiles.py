"""UK mobile numbers, as GOV.UK Notify accepts them: 07... with 11 digits, or +44 7... / 0044 7...,
spaces, brackets, dots and dashes allowed. Stored in E.164 (+447700900123)."""

import re

from django.core.exceptions import ValidationError

SEPARATORS = re.compile(r"[\s().\-]")
DIGITS = re.compile(r"[0-9]+", re.ASCII)
E164_UK_MOBILE = r"^\+447[0-9]{9}$"


def mobile_normalise(raw: str) -> str:
    """The number in E.164, or a ValidationError that says what is wrong with it."""
    number = SEPARATORS.sub("", raw.strip())
    if number.startswith("+"):
        number = number[1:]
        if not number.startswith("44"):
            raise ValidationError("Enter a UK mobile number: this one is from another country")
    if not DIGITS.fullmatch(number):
        raise ValidationError("Enter a mobile number using only digits, spaces and a leading +")
    if number.startswith("0044"):
        number = number[4:]
    elif number.startswith("44"):
        number = number[2:]
    elif number.startswith("0"):
        number = number[1:]
    if not number.startswith("7"):
        raise ValidationError("Enter a UK mobile number, starting 07 (this looks like a landline)")
    if len(number) < 10:
        raise ValidationError("Enter a UK mobile number: this one is too short (07 and 9 more digits)")
    if len(number) > 10:
        raise ValidationError("Enter a UK mobile number: this one is too long (07 and 9 more digits)")
    return f"+44{number}"
