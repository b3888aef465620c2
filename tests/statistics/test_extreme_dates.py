"""Dates far outside any record (year 0, year 9999) get a clear error on the page, the CSV and
the API, never a server error."""

import pytest
from django.urls import reverse

from tests.conftest import signed_in

FAR = [
    {"start": "9999-12-31", "end": "9999-12-31"},
    {"start": "0001-01-01", "end": "0001-01-02"},
    {"start": "1999-12-31", "end": "2026-01-01"},
]


@pytest.mark.parametrize("dates", FAR)
def test_the_page_says_which_dates_it_can_show(client, world, dates):
    response = signed_in(client, world.analyst_a).get(reverse("statistics:index"), dates)
    assert response.status_code == 400
    assert "Choose dates from 1 January 2000" in response.content.decode()


@pytest.mark.parametrize("dates", FAR)
def test_the_csv_says_which_dates_it_can_show(client, world, dates):
    response = signed_in(client, world.analyst_a).get(reverse("statistics:csv", args=["summary"]), dates)
    assert response.status_code == 400
    assert "Choose dates from 1 January 2000" in response.content.decode()


@pytest.mark.parametrize("dates", FAR)
def test_the_api_says_which_dates_it_can_show(client, world, dates):
    response = signed_in(client, world.analyst_a).get(reverse("statistics_api:figures"), dates)
    assert response.status_code == 400
    messages = [m for errors in response.json()["errors"].values() for m in errors]
    assert any("Choose dates from 1 January 2000" in m for m in messages)


@pytest.mark.parametrize("year", [0, 1, 1999, 9999, 99999])
def test_an_annual_summary_outside_the_years_on_record_is_a_clear_error(client, world, year):
    response = signed_in(client, world.analyst_a).get(reverse("statistics:summary", args=[year]))
    assert response.status_code == 400
    assert "Choose a school year from 2000" in response.content.decode()


def test_this_school_years_summary_is_shown(client, world):
    from notifications.statistics.views import _years

    response = signed_in(client, world.analyst_a).get(reverse("statistics:summary", args=[_years()[0]]))
    assert response.status_code == 200
