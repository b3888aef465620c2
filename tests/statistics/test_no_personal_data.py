"""Every statistics page, CSV and API answer for the seeded month carries no name, date of
birth, address or police reference, and charts carry no inline style."""

import re

from django.urls import reverse

from encompass.models import Event
from notifications.statistics.overview import MORE_FIGURES
from notifications.statistics.selectors import FIGURES
from tests.conftest import signed_in
from tests.statistics.conftest import MARCH


def everything(client, world):
    signed_in(client, world.analyst_a)
    yield client.get(reverse("statistics:index"), MARCH)
    yield client.get(reverse("statistics:summary", args=[2025]))
    yield client.get(reverse("statistics_api:figures"), MARCH)
    for key in FIGURES:
        yield client.get(reverse("statistics:csv", args=[key]), MARCH)
        yield client.get(reverse("statistics_api:figure", args=[key]), MARCH)


def test_no_seeded_name_reference_address_or_birth_date_appears(client, march):
    personal = [*march.names, *march.references, "Quillfeather Mews", "SS9 9ZZ", "2016-05-14", "14 May 2016"]
    personal += [p.upn for p in march.pupils]
    for response in everything(client, march.world):
        assert response.status_code == 200
        text = response.content.decode()
        leaked = [value for value in personal if value in text]
        assert leaked == [], response.request["PATH_INFO"]


def test_charts_have_a_text_alternative_and_no_inline_style_or_script(client, march):
    client = signed_in(client, march.world.analyst_a)
    pages = [client.get(reverse("statistics:index"), MARCH).content.decode()] + [
        client.get(reverse("statistics:figure", args=[key]), MARCH).content.decode()
        for key, _ in MORE_FIGURES
    ]
    charts = [
        c
        for p in pages
        for c in re.findall(r'<div class="app-(?:bars|trend)" role="img" aria-label="[^"]+">', p)
    ]
    assert len(charts) == 1 + 10  # the trend on the overview; every figure page but timeliness
    for page in pages:
        assert "style=" not in page and "<style" not in page
        assert "<script>" not in page.replace(" ", "")


def test_a_csv_download_is_the_table_as_shown_and_is_recorded(client, march):
    response = signed_in(client, march.world.analyst_a).get(
        reverse("statistics:csv", args=["escalations"]), MARCH
    )
    assert response["Content-Type"].startswith("text/csv")
    assert response.content.decode().splitlines() == [
        "Notifications,Notifications,Share",
        "Escalated,fewer than 5,not shown",
        "Not escalated,not shown,not shown",
        "All notifications,10,100%",
    ]
    event = Event.objects.get(verb="statistics.exported")
    assert event.actor == march.world.analyst_a and event.data["figure"] == "escalations"


def test_the_annual_summary_is_printable(client, march):
    page = signed_in(client, march.world.analyst_a).get(reverse("statistics:summary", args=[2025]))
    text = page.content.decode()
    assert "annual summary, school year 2025 to 2026" in text
    assert "1 September 2025 to 31 August 2026" in text
    assert "css/statistics.css" in text
    assert "Download" not in text
