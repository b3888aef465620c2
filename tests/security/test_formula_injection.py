"""No export hands a spreadsheet a formula: a cell starting with = + - @ (or a tab or carriage
return) gets a ' in front, in the record of access, a school's export and the statistics."""

import csv
from datetime import date
from io import StringIO

import pytest
from django.core.management import call_command
from django.urls import reverse

from encompass.csv_files import csv_safe_cell, csv_writer
from encompass.events import event_record
from tests.conftest import reauthenticated, signed_in
from tests.factories import IncidentFactory, UserFactory

FORMULA = "=cmd|'/Ccalc'!A0@example.org"


def test_a_key_adults_formula_of_an_e_mail_is_neutralised_in_the_access_log(world):
    world.key_adult_a.email = FORMULA
    world.key_adult_a.save()
    event_record(verb="incident.viewed", obj=IncidentFactory(force=world.force_a), actor=world.key_adult_a)
    out = StringIO()
    today = date.today().isoformat()
    call_command("export_access_log", "--force", "ESX", "--from", today, "--to", today, stdout=out)
    actors = [row["actor"] for row in csv.DictReader(StringIO(out.getvalue()))]
    assert "'" + FORMULA in actors
    assert FORMULA not in actors


def test_the_access_log_page_neutralises_formulas_too(client, world):
    officer = UserFactory(email="+sum(a1)@example.org", force=world.force_a)
    event_record(verb="incident.submitted", obj=IncidentFactory(force=world.force_a), actor=officer)
    today = date.today().isoformat()
    response = reauthenticated(signed_in(client, world.reviewer_a)).get(
        reverse("access_log"), {"start": today, "end": today}
    )
    text = b"".join(response.streaming_content if response.streaming else [response.content]).decode()
    assert "'+sum(a1)@example.org" in text


@pytest.mark.parametrize("start", ["=", "+", "-", "@", "\t", "\r"])
def test_every_formula_start_is_neutralised(start):
    out = StringIO()
    csv_writer(out).writerow([start + "1+1", "plain", 42])
    assert next(csv.reader(StringIO(out.getvalue()))) == ["'" + start + "1+1", "plain", "42"]


def test_numbers_and_ordinary_text_are_left_as_they_are():
    assert csv_safe_cell(-5) == -5
    assert csv_safe_cell("Chalkwell Primary") == "Chalkwell Primary"
