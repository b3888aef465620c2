"""Every error summary names the field and links to it, and says it once; beside the field
the same words (the GOV.UK pattern). Every date input takes one pattern, day/month/year."""

import re

from django import forms
from django.template import Context, Template
from django.urls import reverse

from encompass.forms import DATE_HINT, date_field
from tests.conftest import signed_in


class Sample(forms.Form):
    name = forms.CharField(label="Full name")
    urn = forms.IntegerField(label="URN")
    trained_on = date_field("Date of training")
    kind = forms.ChoiceField(label="Type of support", choices=[("a", "A")])
    reason = forms.CharField(
        label="Reason", error_messages={"required": "Say why the child is not your pupil"}
    )


def summary_of(form) -> list[tuple[str, str]]:
    html = Template('{% include "includes/error_summary.html" %}').render(Context({"form": form}))
    return re.findall(r'<li><a href="#([^"]+)">([^<]+)</a></li>', html)


def test_generic_messages_become_ones_that_name_the_field():
    form = Sample({"urn": "abc", "trained_on": "31/02/2026", "kind": "z"})
    assert summary_of(form) == [
        ("id_name", "Enter full name"),
        ("id_urn", "URN must be a number"),
        ("id_trained_on", "Date of training must be a real date, like 27/3/2026"),
        ("id_kind", "Choose type of support from the list"),
        ("id_reason", "Say why the child is not your pupil"),  # the form's own words stay
    ]


def test_the_message_beside_the_field_is_the_summarys():
    form = Sample({})
    html = Template('{% include "includes/field.html" with field=form.name %}').render(
        Context({"form": form})
    )
    assert "Enter full name" in html and "This field is required" not in html


def test_every_date_reads_day_month_year():
    form = Sample({"trained_on": "27/3/2026"})
    form.is_valid()
    assert str(form.cleaned_data["trained_on"]) == "2026-03-27"
    assert DATE_HINT == "For example, 27/3/2026"


def test_a_bad_statistics_filter_names_the_field_once_in_the_summary(client, world):
    response = signed_in(client, world.analyst_a).get(reverse("statistics:index"), {"start": "1/13/2026"})
    assert response.status_code == 400
    page = response.content.decode()
    summary = re.search(r'govuk-error-summary__list">(.*?)</ul>', page, re.S).group(1)
    assert re.findall(r'<a href="#([^"]+)">([^<]+)</a>', summary) == [
        ("id_start", "Start date must be a real date, like 27/3/2026")
    ]
    assert "Enter a valid date" not in page
