"""Bar charts as server-rendered SVG geometry: no JavaScript, no style attributes (the
Content Security Policy allows neither); colours come from static/css/statistics.css."""

from dataclasses import dataclass

from notifications.statistics.disclosure import Figure

BAR_HEIGHT = 22
GAP = 6
LABEL_WIDTH = 190
PLOT_WIDTH = 360
VALUE_WIDTH = 110


@dataclass
class Bar:
    label: str
    display: str
    y: int
    width: int
    suppressed: bool

    @property
    def text_y(self) -> int:
        return self.y + BAR_HEIGHT // 2 + 5

    @property
    def value_x(self) -> int:
        return LABEL_WIDTH + self.width + 6


@dataclass
class Chart:
    bars: list[Bar]
    width: int = LABEL_WIDTH + PLOT_WIDTH + VALUE_WIDTH
    label_x: int = LABEL_WIDTH - 8
    plot_x: int = LABEL_WIDTH
    bar_height: int = BAR_HEIGHT

    @property
    def height(self) -> int:
        return len(self.bars) * (BAR_HEIGHT + GAP) + GAP


def figure_chart(figure: Figure) -> Chart | None:
    """One bar per row of the figure's first column, the total row left out. Suppressed
    cells get no bar, only their label ("fewer than 5")."""
    if not figure.chart:
        return None
    rows = [row for row in figure.rows if not row.is_total]
    shown = [row.cells[0].value for row in rows if row.cells[0].shown] or [0]
    largest = max(shown) or 1
    bars = []
    for i, row in enumerate(rows):
        cell = row.cells[0]
        width = round(PLOT_WIDTH * cell.value / largest) if cell.shown and cell.value else 0
        bars.append(Bar(row.label, cell.display, GAP + i * (BAR_HEIGHT + GAP), width, not cell.shown))
    return Chart(bars)
