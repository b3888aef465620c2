"""Charts as HTML text with SVG shapes: labels and values are ordinary text that wraps and
scales with the page (never clipped, readable on a phone), and only the bars are SVG, sized by
attributes (the Content Security Policy allows no style attributes and no JavaScript is
needed). Colours and layout come from static/css/statistics.css. Every chart stands beside
its figure's table, which carries the same numbers for screen readers and for copying."""

from dataclasses import dataclass
from datetime import date

from notifications.statistics.disclosure import Figure, Row

BAR_SPACE = 80  # per cent of the row a longest bar takes, leaving room for its value


@dataclass
class Bar:
    label: str
    display: str
    percent: int
    suppressed: bool


@dataclass
class BarChart:
    bars: list[Bar]


def figure_chart(figure: Figure) -> BarChart | None:
    """One bar per row of the figure's first column, the total row left out. Suppressed
    cells get no bar, only their label ("fewer than 5")."""
    if not figure.chart:
        return None
    rows = _data_rows(figure)
    largest = max([row.cells[0].value for row in rows if row.cells[0].shown] or [0]) or 1
    return BarChart(
        [
            Bar(row.label, row.cells[0].display, _percent(row, largest, BAR_SPACE), not row.cells[0].shown)
            for row in rows
        ]
    )


@dataclass
class Column:
    label: str  # what the column is, in full ("March 2026")
    display: str
    percent: float  # of the plot's height
    suppressed: bool
    tick: str = ""  # the label under the axis, when this column has one
    minor: bool = False  # a label left out on a narrow screen


@dataclass
class TrendChart:
    columns: list[Column]
    ticks: list[str]  # the values at 0, 25, 50, 75 and 100 per cent of the height


def trend_chart(figure: Figure, periods: list[date], step: str) -> TrendChart:
    """Columns over time for a figure of one row per period (notifications per month or
    week). The axis runs to four equal, round steps above the largest shown value."""
    rows = _data_rows(figure)
    largest = max([row.cells[0].value for row in rows if row.cells[0].shown] or [0])
    unit = _round_step(largest / 4)
    columns = [
        Column(row.label, row.cells[0].display, _height(row, unit * 4), not row.cells[0].shown)
        for row in rows
    ]
    _label_axis(columns, periods, step)
    return TrendChart(columns, [f"{unit * i:,}" for i in range(5)])


def _data_rows(figure: Figure) -> list[Row]:
    return [row for row in figure.rows if not row.is_total]


def _percent(row: Row, largest: float, space: int) -> int:
    cell = row.cells[0]
    return round(space * cell.value / largest) if cell.shown and cell.value else 0


def _height(row: Row, top: int) -> float:
    cell = row.cells[0]
    return round(100 * cell.value / top, 2) if cell.shown and cell.value else 0


def _round_step(value: float) -> int:
    """The smallest round whole number (1, 2, 3, 4, 5, 6, 8, 10, 15, 20, 25, 30, ...) at
    least `value`, and at least 1."""
    power = 1
    while True:
        for factor in (1, 1.5, 2, 2.5, 3, 4, 5, 6, 8):
            step = factor * power
            if step == int(step) and step >= value:
                return int(step)
        power *= 10


def _label_axis(columns: list[Column], periods: list[date], step: str) -> None:
    """Up to a year of months, or a few weeks: every column is labelled, every other one
    only on a wide screen. Longer: each January carries its year."""
    if step == "week" or len(columns) <= 12:
        fmt = "%-d %b" if step == "week" else "%b"
        for i, (column, period) in enumerate(zip(columns, periods, strict=True)):
            column.tick, column.minor = period.strftime(fmt), i % 2 == 1
        return
    for i, (column, period) in enumerate(zip(columns, periods, strict=True)):
        if period.month == 1:
            column.tick = str(period.year)
        elif i == 0 and (13 - period.month) >= 6:
            column.tick = period.strftime("%b %Y")
