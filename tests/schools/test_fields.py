"""The single-value checks shared by the imports."""

import random

import pytest
from stdnum.gb import upn as upn_number

from schools.imports import fields


def test_the_quick_upn_check_letter_is_python_stdnums():
    rng = random.Random(5)
    bodies = [f"{rng.randrange(10**12):012d}" for _ in range(20_000)]

    assert [fields.upn_check_letter(b) for b in bodies] == [upn_number.calc_check_digit(b) for b in bodies]


@pytest.mark.parametrize("body", ["882123456789", "330000000001", "209999999999"])
def test_a_upn_with_the_right_check_letter_passes_and_any_other_letter_fails(body):
    right = upn_number.calc_check_digit(body)

    assert fields.upn(right + body) == right + body
    for letter in "ABCDEFGHJKLMNPQRTUVWXYZ".replace(right, ""):
        with pytest.raises(ValueError, match="check letter does not match"):
            fields.upn(letter + body)


def test_a_upn_with_an_extra_character_is_refused():
    body = "882123456789"
    upn = upn_number.calc_check_digit(body) + body

    with pytest.raises(ValueError, match="13 characters"):
        fields.upn(upn + "1")
