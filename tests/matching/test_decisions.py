"""Never guess: look-alikes, twins and conflicting UPNs go to a person, or nowhere."""

from datetime import date

from matching import MATCHED, NO_MATCH, REVIEW, ChildRecord, Weights, match_child

from .people import BY_ID, PUPILS, pupil, recorded, upn


def test_twins_with_close_scores_go_to_review(find):
    decision = find(recorded(12, first_name="Ollie", sex=None))  # Oliver or Olivia?
    assert decision.outcome == REVIEW
    assert {cand.pupil.id for cand in decision.candidates} == {12, 13}


def test_twins_are_told_apart_by_an_exact_first_name(find):
    decision = find(recorded(3))
    assert decision.outcome == MATCHED
    assert decision.candidates[0].pupil.id == 3


def test_twin_with_an_unknown_first_name_goes_to_review_not_to_a_sibling(find):
    decision = find(recorded(3, first_name="Freddie"))  # a third twin the census lacks?
    assert decision.outcome == REVIEW


def test_absent_lookalike_is_not_matched(find):
    """A real household's surname and address, a first name and birthday none of its children has."""
    decision = find(recorded(1, first_name="Thomas", dob=date(2009, 1, 17)))
    assert decision.outcome == NO_MATCH


def test_namesake_born_on_another_day_elsewhere_is_not_matched(find):
    decision = find(recorded(1, dob=date(2013, 6, 28), address_line1="1 New Street", postcode="CO1 1AA"))
    assert decision.outcome == NO_MATCH


def test_child_absent_from_the_census_is_no_match(find):
    stranger = ChildRecord("Tobias", "Okonkwo", date(2016, 2, 2), "M", "4 Hill Rise", postcode="S8 2FL")
    assert find(stranger).outcome == NO_MATCH


def test_mistyped_upn_of_a_sibling_does_not_force_a_wrong_match(find):
    decision = find(recorded(3, upn=upn(4)))  # Jack recorded with his twin Harry's UPN
    assert decision.outcome == REVIEW
    assert {cand.pupil.id for cand in decision.candidates} >= {3, 4}
    assert decision.candidates[0].pupil.id == 3  # first, as his name and birthday say


def test_upn_failing_its_check_letter_is_ignored(find):
    decision = find(recorded(2, upn="Z" + upn(2)[1:]))
    assert decision.outcome == MATCHED
    assert decision.candidates[0].explanation["upn"] == "fails its check letter, ignored"


def test_correct_upn_confirms_the_match(find):
    decision = find(recorded(7, upn=upn(7), address_line1="", postcode=""))
    assert decision.outcome == MATCHED
    assert decision.candidates[0].explanation["upn"] == "agree strongly"


def test_upn_alone_cannot_match_a_child_whose_name_and_birthday_disagree(find):
    decision = find(ChildRecord("Priya", "Sharma", date(2016, 1, 1), "F", upn=upn(5)))
    assert decision.outcome == NO_MATCH


def test_decision_lists_at_most_five_candidates_best_first():
    decision = match_child(recorded(1, first_name="Smith", last_name="Smith", dob=None), PUPILS)
    scores = [cand.score for cand in decision.candidates]
    assert scores == sorted(scores, reverse=True)
    assert len(decision.candidates) <= 5


def test_a_decision_says_why(find):
    assert "ahead of the next" in find(recorded(4)).reason
    assert "close" in find(recorded(12, first_name="Ollie", sex=None)).reason


def test_each_candidate_is_scored_once_even_if_offered_twice():
    decision = match_child(recorded(10), [BY_ID[10], BY_ID[10]])
    assert decision.outcome == MATCHED


def test_one_slip_is_matched_but_two_at_once_go_to_review(find):
    assert find(recorded(1, first_name="Bill")).outcome == MATCHED
    decision = find(recorded(1, first_name="Bill", sex="F"))
    assert decision.outcome == REVIEW
    assert "more than one way" in decision.reason


def test_a_name_in_its_own_right_close_to_the_pupils_goes_to_review():
    """Ada is not a slip for Adam when other pupils are called Ada: she may be another child."""
    adam = pupil(20, "Adam", "Fitzgerald", date(2013, 12, 25), "M", line="28 West Street", code="E6 7YJ")
    weights = Weights(name_shares={"first_name": {"ada": 0.001, "adam": 0.004}})
    child = ChildRecord("Ada", "Fitzgerald", date(2013, 12, 25), "M", "38 Church Avenue", postcode="NG1 1YH")
    decision = match_child(child, [adam], weights=weights)
    assert decision.outcome == REVIEW
    assert "first name is a name other pupils bear" in decision.reason
    # The same slip to a spelling no pupil bears is a typo, and Adam is matched.
    typo = ChildRecord("Adma", "Fitzgerald", date(2013, 12, 25), "M", "38 Church Avenue", postcode="NG1 1YH")
    assert match_child(typo, [adam], weights=weights).outcome == MATCHED


def test_the_same_evidence_counts_for_less_in_a_bigger_census():
    """More pupils, more look-alikes: the thresholds rise with log2 of the census size."""
    child = recorded(10, address_line1="1 New Street", postcode="CO1 1AA")  # at a relative's
    assert match_child(child, PUPILS, weights=Weights(pupils=250_000)).outcome == MATCHED
    decision = match_child(child, PUPILS, weights=Weights(pupils=9_000_000))
    assert decision.outcome == REVIEW
    assert "below the 29.1 needed to match" in decision.reason


def test_a_siblings_upn_copied_by_mistake_is_set_aside(find):
    decision = find(recorded(2, upn=upn(1)))  # Olivia recorded with her brother William's UPN
    assert decision.outcome == MATCHED
    assert decision.candidates[0].pupil.id == 2
    assert "the UPN is another pupil's, set aside" in decision.reason
