"""The overview page's reading of the figures: the headline numbers with their change against
the previous period and the same period last year, the trend over time, and the per-school
table in the order the analyst chose. Only figures and cells already suppressed by
disclosure.py come in; a change is shown only when both numbers it compares are shown."""

from dataclasses import dataclass, replace

from notifications.statistics import disclosure
from notifications.statistics.charts import TrendChart, trend_chart
from notifications.statistics.disclosure import Cell, Figure
from notifications.statistics.filters import Scope
from notifications.statistics.selectors import (
    Facts,
    notifications_by_period_figure,
    periods,
    school_table_figure,
    summary_figure,
)

WEEKLY_UP_TO_DAYS = 92  # a quarter or less is drawn week by week, anything longer by month


@dataclass
class Change:
    against: str  # "the previous period"
    period: Scope
    before: Cell
    text: str  # what changed, in bold: "Up 12%", "Not compared", ...
    rest: str  # against what: "from 1,100 in the previous period"


@dataclass
class Headline:
    label: str
    cell: Cell
    changes: list[Change]


def statistics_headlines(facts: Facts) -> list[Headline]:
    summary = {row.label: row.cells for row in summary_figure(facts).rows}
    headlines = [
        _headline(facts, label, summary[label], count_change)
        for label in ("Notifications to schools", "Incidents", "Children notified")
    ]
    shares = [
        in_time_share(facts.totals_in(period)) for period in (facts.scope, facts.previous, facts.year_before)
    ]
    return [*headlines, _headline(facts, "Acknowledged before the school day started", shares, points_change)]


def _headline(facts: Facts, label: str, cells: list[Cell], change) -> Headline:
    now, *before = cells
    compared = [("the previous period", facts.previous), ("the same period last year", facts.year_before)]
    changes = [
        Change(against, period, cell, *change(now, cell, against))
        for (against, period), cell in zip(compared, before, strict=True)
    ]
    return Headline(label, now, changes)


def count_change(now: Cell, before: Cell, against: str) -> tuple[str, str]:
    if not (now.shown and before.shown):
        return "Not compared", f"(too few to show): {before.display} in {against}"
    if before.value == 0:
        return ("No change" if now.value == 0 else "None"), f"in {against}"
    change = (now.value - before.value) / before.value
    if round(change * 100) == 0:
        return "About the same", f"as {before.display} in {against}"
    return f"{'Up' if change > 0 else 'Down'} {abs(change):.0%}", f"from {before.display} in {against}"


def in_time_share(totals) -> Cell:
    """The share of delivered notifications acknowledged before the school day started,
    shown only when both counts are."""
    delivered = disclosure.count_cell(totals["delivered"], _small(totals["delivered"]))
    in_time = disclosure.count_cell(totals["in_time"], _small(totals["in_time"]))
    return disclosure.share_cell(in_time, delivered)


def _small(n: int) -> str:
    return disclosure.PRIMARY if disclosure.is_small(n) else ""


def points_change(now: Cell, before: Cell, against: str) -> tuple[str, str]:
    if now.suppressed or before.suppressed:
        return "Not compared", f"(too few to show): {before.display} in {against}"
    if before.value is None:
        return "None delivered", f"in {against}"
    if now.value is None:
        return "Not compared", f"(none delivered in this period): {before.display} in {against}"
    points = round(now.value - before.value)
    if points == 0:
        return "About the same", f"as {before.display} in {against}"
    unit = "percentage point" if abs(points) == 1 else "percentage points"
    return f"{'Up' if points > 0 else 'Down'} {abs(points)} {unit}", f"from {before.display} in {against}"


def trend_step(scope: Scope) -> str:
    return "week" if scope.days <= WEEKLY_UP_TO_DAYS else "month"


def statistics_trend(facts: Facts) -> tuple[Figure, TrendChart]:
    step = trend_step(facts.scope)
    figure = notifications_by_period_figure(facts, step)
    return figure, trend_chart(figure, periods(facts.scope.start, facts.scope.end, step), step)


# The per-school table's columns an analyst may sort by: the name, or one of the counts.
SORTS = {"school": None, "notifications": 0, "acknowledged": 1, "escalated": 2}


@dataclass
class SchoolTable:
    figure: Figure
    sort: str
    descending: bool


def statistics_school_table(facts: Facts, sort: str = "", order: str = "") -> SchoolTable:
    """Schools sorted by name (A to Z) or by a count (largest first), as asked. Hidden
    counts never give away their size by their place: "fewer than 5" sorts as one group
    between 0 and 5, "not shown" after every other row, each group by name."""
    sort = sort if sort in SORTS else "notifications"
    descending = order != "asc" if order in ("asc", "desc") else sort != "school"
    figure = school_table_figure(facts)
    rows = [row for row in figure.rows if not row.is_total]
    total = [row for row in figure.rows if row.is_total]
    rows.sort(key=lambda row: row.label.casefold())
    column = SORTS[sort]
    if column is None:
        rows.sort(key=lambda row: row.label.casefold(), reverse=descending)
    else:
        rows.sort(key=lambda row: _rank(row.cells[column], descending))
    return SchoolTable(replace(figure, rows=rows + total), sort, descending)


# The other figures, one step away from the overview: (figure, what its page shows).
MORE_FIGURES = [
    ("notifications_by_week", "Notifications per week"),
    ("notifications_by_month", "Notifications per month"),
    ("repeat_children", "Children notified more than once"),
    ("match_outcomes", "Match outcomes: how matching decided for each child"),
    ("timeliness", "Time to deliver and to acknowledge"),
    ("acknowledged_in_time", "Acknowledged before the school day started"),
    ("escalations", "Escalations"),
    ("support_actions", "Support given, by type"),
    ("recipients", "Notifications by recipient: schools and the local authority's teams"),
    ("transfers", "Children who moved school"),
    ("schools", "Schools signed up, and schools without an active DSL"),
]


@dataclass
class Overview:
    headlines: list[Headline]
    trend: Figure
    trend_chart: TrendChart
    schools: SchoolTable


def statistics_overview(scope: Scope, *, sort: str = "", order: str = "") -> Overview:
    """Everything the overview page shows, from one Facts (three queries of the statistics
    tables and one of the schools)."""
    facts = Facts(scope)
    trend, chart = statistics_trend(facts)
    return Overview(statistics_headlines(facts), trend, chart, statistics_school_table(facts, sort, order))


def _rank(cell: Cell, descending: bool) -> tuple[int, float]:
    if cell.suppressed == disclosure.SECONDARY:
        return (1, 0)
    value = 2.5 if cell.suppressed else cell.value
    return (0, -value if descending else value)
