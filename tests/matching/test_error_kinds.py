"""One officer mistake at a time: the right pupil is still matched."""

from datetime import date

from matching import MATCHED, ChildRecord, match_child

from .people import pupil, recorded


def matched_pupil(decision):
    assert decision.outcome == MATCHED, decision.reason
    return decision.candidates[0].pupil.id


def test_exact_record_is_matched(find):
    assert matched_pupil(find(recorded(1))) == 1


def test_nickname_bill_matches_william(find):
    assert matched_pupil(find(recorded(1, first_name="Bill"))) == 1


def test_uk_variant_mohammed_matches_muhammad(find):
    assert matched_pupil(find(recorded(7, first_name="Mohammed"))) == 7


def test_first_name_typo_still_found(find):
    assert matched_pupil(find(recorded(1, first_name="Willaim"))) == 1


def test_last_name_typo_still_found(find):
    assert matched_pupil(find(recorded(9, last_name="Evnas"))) == 9


def test_phonetic_spelling_still_found(find):
    assert matched_pupil(find(recorded(14, first_name="Ayesha"))) == 14


def test_hyphenated_surname_matches_either_part(find):
    assert matched_pupil(find(recorded(6, last_name="Patel"))) == 6
    assert matched_pupil(find(recorded(6, last_name="Jones"))) == 6


def test_double_barrelled_surname_recorded_for_a_single_one_still_found(find):
    assert matched_pupil(find(recorded(7, last_name="Khan-Ahmed"))) == 7


def test_first_and_last_name_swapped_still_found(find):
    assert matched_pupil(find(recorded(9, first_name="Evans", last_name="Chloe"))) == 9


def test_middle_name_used_as_first_still_found(find):
    assert matched_pupil(find(recorded(1, first_name="James"))) == 1


def test_preferred_name_still_found(find):
    assert matched_pupil(find(recorded(8, first_name="Maisie"))) == 8


def test_former_surname_still_found(find):
    assert matched_pupil(find(recorded(9, last_name="Brown"))) == 9


def test_accents_and_apostrophes_do_not_matter(find):
    assert matched_pupil(find(recorded(10, last_name="Wisniewska"))) == 10
    assert matched_pupil(find(recorded(11, last_name="OBRIEN"))) == 11


def test_one_digit_typo_in_date_of_birth_still_found(find):
    assert matched_pupil(find(recorded(9, dob=date(2010, 2, 8)))) == 9


def test_day_and_month_swapped_still_found(find):
    assert matched_pupil(find(recorded(1, dob=date(2015, 4, 3)))) == 1


def test_missing_date_of_birth_still_found(find):
    assert matched_pupil(find(recorded(10, dob=None))) == 10


def test_missing_sex_still_found(find):
    assert matched_pupil(find(recorded(2, sex=None))) == 2


def test_wrong_sex_still_found(find):
    assert matched_pupil(find(recorded(2, sex="M"))) == 2


def test_child_recorded_at_a_relatives_address_still_found(find):
    assert matched_pupil(find(recorded(11, address_line1="4 Hill Rise", postcode="S8 2FL"))) == 11


def test_child_recorded_at_the_family_former_address_still_found(find):
    assert matched_pupil(find(recorded(9, address_line1="5 Kings Rd", postcode="SS07EE"))) == 9


def test_a_shortened_first_name_no_list_knows_still_found():
    """Artie for Arthur, Tope for Temitope: one name is the start or the end of the other."""
    arthur = pupil(30, "Arthur", "Price", date(2014, 5, 6), "M", line="7 Bell Lane", code="SS2 5TT")
    temitope = pupil(31, "Temitope", "Alamu", date(2013, 2, 1), "F", line="9 Kent Road", code="SS3 1AB")
    artie = ChildRecord("Artie", "Price", arthur.dob, "M", arthur.address_line1, postcode=arthur.postcode)
    tope = ChildRecord("Tope", "Alamu", temitope.dob, "F", temitope.address_line1, postcode=temitope.postcode)
    assert matched_pupil(match_child(artie, [arthur, temitope])) == 30
    assert matched_pupil(match_child(tope, [arthur, temitope])) == 31
    assert match_child(artie, [arthur]).candidates[0].explanation["first_name"] == "nickname or variant"


def test_a_name_spelt_as_southern_english_says_it_still_found():
    """No r before a consonant or at the end: Harpa for Harper, Wheela for Wheeler."""
    harper = pupil(32, "Harper", "Wheeler", date(2015, 8, 9), "F", line="3 Mill Road", code="SS4 2PQ")
    for first, last in (("Harpa", "Wheeler"), ("Harper", "Wheela")):
        child = ChildRecord(first, last, harper.dob, "F", harper.address_line1, postcode=harper.postcode)
        assert matched_pupil(match_child(child, [harper])) == 32
