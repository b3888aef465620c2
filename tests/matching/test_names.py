"""When two first names are one child's, and when two surnames sound alike."""

import pytest

from matching.names import same_first_name, short_form, sound_alike


@pytest.mark.parametrize(
    "a, b",
    [
        ("artie", "arthur"),
        ("davy", "david"),
        ("tope", "temitope"),
        ("bella", "isabella"),
        ("freddie", "frederick"),
    ],
)
def test_shortened_names_are_the_same_name(a, b):
    assert short_form(a, b) and short_form(b, a) and same_first_name(a, b)


@pytest.mark.parametrize("a, b", [("ian", "brian"), ("leo", "leon"), ("ryan", "bryan"), ("amy", "amelia")])
def test_names_that_only_overlap_are_not_shortenings(a, b):
    assert not short_form(a, b)


@pytest.mark.parametrize("a, b", [("wheela", "wheeler"), ("andason", "anderson"), ("vanon", "vernon")])
def test_a_dropped_r_sounds_alike(a, b):
    assert sound_alike(a, b)


def test_different_surnames_do_not_sound_alike():
    assert not sound_alike("smith", "jones")
