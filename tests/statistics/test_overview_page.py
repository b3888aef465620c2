"""The analyst's overview: headline numbers with their change, the trend over time, the
per-school table (sortable without JavaScript, suppressed as everywhere), and every other
figure one step away on its own page. March 2026 as counted in conftest.py."""

import re
from datetime import date, timedelta

import pytest
from django.urls import reverse

from notifications.statistics.charts import trend_chart
from notifications.statistics.disclosure import Cell, count_figure
from notifications.statistics.filters import Scope
from notifications.statistics.maintenance import notification_statistics_rebuild
from notifications.statistics.overview import MORE_FIGURES, count_change, points_change
from tests.conftest import signed_in
from tests.factories import PupilFactory
from tests.statistics.conftest import MARCH, at, incident_file, notify


def page(client, user, **params) -> str:
    response = signed_in(client, user).get(reverse("statistics:index"), {**MARCH, **params})
    assert response.status_code == 200
    return response.content.decode()


def text_of(html: str) -> str:
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html))


def headline(html: str, label: str) -> str:
    card = re.search(rf'<li class="app-headline">\s*<h3[^>]*>{label}</h3>(.*?)</ul>\s*</li>', html, re.S)
    assert card, label
    return text_of(card.group(1)).strip()


def schools_table(html: str) -> list[list[str]]:
    table = re.search(r'id="caption-schools".*?</table>', html, re.S).group(0)
    rows = re.findall(r"<tr class=\"govuk-table__row[^\"]*\">(.*?)</tr>", table, re.S)
    return [[text_of(c).strip() for c in re.findall(r"<t[hd][^>]*>(.*?)</t[hd]>", row, re.S)] for row in rows]


@pytest.fixture
def march_a_year_before(march):
    """Five notifications to school A in March 2025: the same period last year."""
    for day in range(2, 7):
        pupil = PupilFactory(first_name="Tobias", last_name="Kettleworth")
        notify(march, incident_file(march, at(date(2025, 3, day))), pupil, march.world.school_a)
    notification_statistics_rebuild()
    return march


def test_the_headlines_compare_with_the_previous_period_and_the_same_period_last_year(
    client, march_a_year_before
):
    html = page(client, march_a_year_before.world.analyst_a)
    notifications = headline(html, "Notifications to schools")
    assert notifications.startswith("10 ")
    # The previous 31 days (29 January to 28 February) hold one notification: too few to compare.
    assert (
        "Not compared (too few to show): fewer than 5 in the previous period (29 Jan 2026 to 28 Feb 2026)"
        in notifications
    )
    # 10 against 5 in March 2025.
    assert "Up 100% from 5 in the same period last year (1 Mar 2025 to 31 Mar 2025)" in notifications
    assert "Up 60% from 5 in the same period last year" in headline(html, "Incidents")  # 8 against 5
    assert headline(html, "Children notified").startswith("8 ")


def test_the_share_acknowledged_in_time_compares_in_percentage_points(client, march):
    html = page(client, march.world.analyst_a)
    # Five of the ten delivered were acknowledged before the school day started.
    assert headline(html, "Acknowledged before the school day started").startswith("50% ")


def test_a_change_is_given_only_between_numbers_that_are_shown():
    def change(now, before):
        return " ".join(count_change(now, before, "the previous period"))

    assert change(Cell(10, "10"), Cell(8, "8")) == "Up 25% from 8 in the previous period"
    assert change(Cell(6, "6"), Cell(8, "8")) == "Down 25% from 8 in the previous period"
    assert change(Cell(80, "80"), Cell(80, "80")) == "About the same as 80 in the previous period"
    assert change(Cell(10, "10"), Cell(0, "0")) == "None in the previous period"
    assert change(Cell(10, "10"), Cell(None, "fewer than 5", "primary")) == (
        "Not compared (too few to show): fewer than 5 in the previous period"
    )


def test_a_share_changes_in_percentage_points():
    def change(now, before):
        return " ".join(points_change(now, before, "the previous period"))

    assert (
        change(Cell(50.0, "50%"), Cell(47.0, "47%"))
        == "Up 3 percentage points from 47% in the previous period"
    )
    assert change(Cell(50.0, "50%"), Cell(None, "–")) == "None delivered in the previous period"
    assert change(Cell(50.0, "50%"), Cell(None, "not shown", "secondary")).startswith("Not compared")


def test_the_periods_compared_have_the_same_length():
    scope = Scope(None, date(2024, 3, 1), date(2024, 3, 31))
    assert (scope.previous_period().start, scope.previous_period().end) == (
        date(2024, 1, 30),
        date(2024, 2, 29),
    )
    leap = Scope(None, date(2024, 2, 29), date(2024, 2, 29)).year_before()
    assert (leap.start, leap.end) == (date(2023, 2, 28), date(2023, 2, 28))


def test_the_trend_is_drawn_week_by_week_for_a_month_and_month_by_month_for_a_year(client, march):
    weekly = page(client, march.world.analyst_a)
    assert 'id="figure-notifications_by_week"' in weekly
    assert len(re.findall(r'class="app-trend__column[ "]', weekly)) == 6  # the weeks of 23 Feb to 30 Mar
    yearly = page(client, march.world.analyst_a, start="2025-04-01", end="2026-03-31")
    assert 'id="figure-notifications_by_month"' in yearly
    assert len(re.findall(r'class="app-trend__column[ "]', yearly)) == 12


def test_the_trend_axis_rises_in_four_round_steps_above_the_largest_month():
    figure = count_figure(
        key="notifications_by_month",
        title="Notifications per month",
        description="",
        row_heading="Month",
        columns=["Notifications"],
        rows=[("January 2026", [10]), ("February 2026", [0]), ("March 2026", [7])],
    )
    chart = trend_chart(figure, [date(2026, 1, 1), date(2026, 2, 1), date(2026, 3, 1)], "month")
    assert chart.ticks == ["0", "3", "6", "9", "12"]
    assert [c.percent for c in chart.columns] == [83.33, 0, 58.33]
    assert [c.tick for c in chart.columns] == ["Jan", "Feb", "Mar"]


def test_a_long_trend_labels_each_january_with_its_year():
    months = [date(2021 + (m // 12), m % 12 + 1, 1) for m in range(2, 40)]
    figure = count_figure(
        key="notifications_by_month",
        title="",
        description="",
        row_heading="Month",
        columns=["Notifications"],
        rows=[(f"{m:%B %Y}", [20]) for m in months],
    )
    ticks = [c.tick for c in trend_chart(figure, months, "month").columns if c.tick]
    assert ticks == ["Mar 2021", "2022", "2023", "2024"]


def test_the_school_table_suppresses_small_numbers_as_the_other_figures_do(client, march):
    rows = schools_table(page(client, march.world.analyst_a))
    by_school = {row[0]: row[1:] for row in rows[1:]}
    # School A: 7 notifications, school B: 3 (fewer than 5), so A is not shown either.
    assert by_school[march.world.school_b.name][0] == "fewer than 5"
    assert by_school[march.world.school_a.name][0] == "not shown"
    assert by_school["All schools"][0] == "10"


def test_the_school_table_sorts_by_any_column_with_links_that_work_without_javascript(client, march):
    w = march.world
    names = [row[0] for row in schools_table(page(client, w.analyst_a, sort="school", order="desc"))[1:-1]]
    assert names == sorted(names, key=str.casefold, reverse=True)
    html = page(client, w.analyst_a, sort="school", order="desc")
    assert re.search(
        r'aria-sort="descending"><a class="govuk-link app-sort[^"]*" href="\?[^"]*sort=school&amp;order=asc',
        html,
    )
    assert 'aria-sort="none"><a class="govuk-link app-sort app-sort--none" href="?' in html
    # By notifications, largest first: a hidden count never shows its size by its place.
    names = [row[0] for row in schools_table(page(client, w.analyst_a, sort="notifications"))[1:-1]]
    assert names.index(w.school_b.name) < names.index(w.school_a.name)  # "fewer than 5" before "not shown"


def test_every_other_figure_is_one_step_away_with_its_table_and_csv(client, march):
    html = page(client, march.world.analyst_a)
    user = march.world.analyst_a
    for key, _ in MORE_FIGURES:
        link = reverse("statistics:figure", args=[key])
        assert f'href="{link}?start=2026-03-01&amp;end=2026-03-31' in html
        figure_page = signed_in(client, user).get(link, MARCH).content.decode()
        assert "<table" in figure_page and reverse("statistics:csv", args=[key]) in figure_page, key
        assert "style=" not in figure_page


def test_a_figure_that_does_not_exist_has_no_page(client, march):
    response = signed_in(client, march.world.analyst_a).get(reverse("statistics:figure", args=["pupils"]))
    assert response.status_code == 404


def test_the_school_table_downloads_with_each_schools_urn(client, march):
    response = signed_in(client, march.world.analyst_a).get(
        reverse("statistics:csv", args=["notifications_by_school"]), MARCH
    )
    lines = response.content.decode().splitlines()
    assert lines[0] == "School,URN,Notifications,Acknowledged before the school day,Escalated"
    assert f"{march.world.school_b.name},{march.world.school_b.urn},fewer than 5," in "\n".join(lines)


def test_the_overview_reads_the_statistics_tables_in_a_few_queries(
    client, march, django_assert_max_num_queries
):
    signed_in(client, march.world.analyst_a)
    with django_assert_max_num_queries(20):
        client.get(reverse("statistics:index"), MARCH)


def test_the_previous_period_of_a_year_is_the_year_before_it():
    scope = Scope(None, date(2025, 4, 1), date(2026, 3, 31))
    assert scope.previous_period().end == date(2025, 3, 31)
    assert scope.previous_period().start == date(2025, 3, 31) - timedelta(days=364)
