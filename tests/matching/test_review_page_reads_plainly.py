"""The review page as a reviewer reads it: words not field names or ids, "not recorded"
under the value that is missing, an initial not called a disagreement, one message per field."""

from django.urls import reverse

from incidents.models import MatchStatus
from tests.conftest import signed_in
from tests.factories import IncidentChildFactory, IncidentFactory

from .test_review_queue import page


def test_the_page_names_the_child_and_the_reason_in_words(client, world, twin_in_review):  # noqa: F811
    twin_in_review.match_detail = {
        **twin_in_review.match_detail,
        "reason": "best candidate's first_name disagrees",
    }
    twin_in_review.save()
    signed_in(client, world.reviewer_a)

    html = client.get(page(twin_in_review)).content.decode()
    listed = client.get(reverse("police:review")).content.decode()

    assert "Review Ollie Taylor, incident" in html
    assert f"child {twin_in_review.pk}" not in html.lower()
    assert "best candidate&#x27;s first name disagrees" in html and "first_name" not in html
    assert "first name disagrees" in listed


def test_not_recorded_is_said_of_the_childs_missing_value_not_the_candidates(client, world, twin_in_review):  # noqa: F811
    signed_in(client, world.reviewer_a)

    rows = client.get(page(twin_in_review)).context["rows"]

    sex = next(cells for label, value, cells in rows if label == "Sex")
    assert next(value for label, value, _ in rows if label == "Sex") == ""  # shown as "not recorded"
    assert sex and all(cell.level != "not recorded" for cell in sex)


def test_an_initial_is_not_shown_as_disagreeing(client, world, twin_in_review):  # noqa: F811
    twin_in_review.first_name = "O."
    twin_in_review.save()
    signed_in(client, world.reviewer_a)

    rows = client.get(page(twin_in_review)).context["rows"]

    first = next(cells for label, _, cells in rows if label == "First name")
    assert {cell.tone for cell in first} == {"close"}
    assert {cell.level for cell in first} == {"initial agrees"}


def test_a_decision_with_nothing_chosen_says_what_each_field_needs_in_the_summary_and_beside_it(
    client,
    world,
    twin_in_review,  # noqa: F811
):
    signed_in(client, world.reviewer_a)

    html = client.post(page(twin_in_review), {"reason": ""}).content.decode()

    assert "This field is required." not in html
    # Once in the error summary, linking to the field, and once beside the field (GOV.UK).
    assert '<a href="#id_decision_0">Select the pupil this child is, or none of these pupils</a>' in html
    assert '<a href="#id_reason">Say why you decided this: it is kept with the decision</a>' in html
    assert html.count("Select the pupil this child is, or none of these pupils") == 2
    assert html.count("Say why you decided this") == 2
    assert 'class="govuk-radios__input"' in html and 'class="govuk-textarea govuk-textarea--error"' in html


def test_a_returned_child_is_not_said_to_be_unknown_to_every_school(client, world):
    child = IncidentChildFactory(
        incident=IncidentFactory(force=world.force_a, status="submitted"),
        match_status=MatchStatus.REVIEW,
        match_detail={"returned_by_school": {"school": world.school_a.urn, "reason": "left", "note": ""}},
    )
    signed_in(client, world.reviewer_a)

    html = client.get(page(child)).content.decode()

    assert "A school was told about this child and said the child is not its pupil" in html
    assert "Nobody has been told" not in html
