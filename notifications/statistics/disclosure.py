"""Disclosure control: no figure may let a reader single out a child.

The rules (also in the README, "Partnership statistics"):

1. Primary suppression. A count of children, incidents, notifications or support actions
   from 1 to 4 is shown as "fewer than 5". Zero is shown: it tells nothing about a child.
2. Secondary suppression. A table is a grid of counts with a total row (and, when it has
   more than one column, a total column). In every line of the grid (a row or a column
   together with its total), when exactly one cell is suppressed, the next smallest
   non-zero cell of that line is suppressed too ("not shown"), or the line's total when no
   such cell is left. This repeats until no line has exactly one suppressed cell, so no
   suppressed count can be found by subtracting the others from the total.
3. Derived figures. A share or a ratio is shown only when the counts it is made of are
   shown. A median or 90th percentile is shown only when the number of notifications
   measured is itself shown (5 or more).
4. Counts of schools are not suppressed: schools are public institutions, not people.

Known limit: two different filters (for example two date ranges one week apart) can still
be subtracted from each other by a determined reader; the figures carry no names, dates of
birth, addresses or police references, so what such a difference reveals is a count.
"""

from dataclasses import dataclass, field

THRESHOLD = 5
FEWER_THAN = f"fewer than {THRESHOLD}"
NOT_SHOWN = "not shown"
PRIMARY = "primary"
SECONDARY = "secondary"


@dataclass
class Cell:
    value: int | float | None
    display: str
    suppressed: str = ""  # "", PRIMARY or SECONDARY

    @property
    def shown(self) -> bool:
        return not self.suppressed


@dataclass
class Row:
    label: str
    cells: list[Cell]
    is_total: bool = False
    share: Cell | None = None
    key: str = ""  # what the row is about, where it has an identifier (a school's URN)


@dataclass
class Figure:
    key: str
    title: str
    description: str
    row_heading: str
    columns: list[str]
    rows: list[Row] = field(default_factory=list)
    chart: bool = True
    unit: str = "count"
    notes: list[str] = field(default_factory=list)

    @property
    def has_shares(self) -> bool:
        return any(row.share is not None for row in self.rows)


def is_small(value) -> bool:
    return value is not None and 0 < value < THRESHOLD


def count_cell(value: int, suppressed: str = "") -> Cell:
    if suppressed == PRIMARY:
        return Cell(None, FEWER_THAN, PRIMARY)
    if suppressed == SECONDARY:
        return Cell(None, NOT_SHOWN, SECONDARY)
    return Cell(value, f"{value:,}")


def suppression_grid(grid: list[list[int]], *, total_row: bool, total_column: bool) -> list[list[str]]:
    """Which cells of `grid` to suppress. The last row is the total row when `total_row`,
    the last column the total column when `total_column`. Returns a same-shaped grid of
    "", PRIMARY or SECONDARY."""
    marks = [[PRIMARY if is_small(v) else "" for v in row] for row in grid]
    lines = _lines(len(grid), len(grid[0]) if grid else 0, total_row=total_row, total_column=total_column)
    changed = True
    while changed:
        changed = False
        for cells, total in lines:
            suppressed = [rc for rc in [*cells, total] if rc and marks[rc[0]][rc[1]]]
            if len(suppressed) != 1:
                continue
            partner = _partner(grid, marks, cells, total)
            if partner is not None:
                marks[partner[0]][partner[1]] = SECONDARY
                changed = True
    return marks


def _lines(n_rows: int, n_cols: int, *, total_row: bool, total_column: bool):
    """Each line: (its data cells, its total cell or None)."""
    data_rows = n_rows - 1 if total_row else n_rows
    data_cols = n_cols - 1 if total_column else n_cols
    lines = []
    if total_row:
        for c in range(n_cols):
            lines.append(([(r, c) for r in range(data_rows)], (n_rows - 1, c)))
    if total_column:
        for r in range(n_rows):
            lines.append(([(r, c) for c in range(data_cols)], (r, n_cols - 1)))
    return lines


def _partner(grid, marks, cells, total):
    open_cells = [rc for rc in cells if not marks[rc[0]][rc[1]]]
    non_zero = [rc for rc in open_cells if grid[rc[0]][rc[1]] > 0]
    candidates = non_zero or open_cells
    if candidates:
        return min(candidates, key=lambda rc: (grid[rc[0]][rc[1]], rc))
    if total and not marks[total[0]][total[1]]:
        return total
    return None


def count_figure(
    *,
    key: str,
    title: str,
    description: str,
    row_heading: str,
    columns: list[str],
    rows: list[tuple[str, list[int]]],
    total_label: str = "Total",
    shares: bool = False,
    suppress: bool = True,
    chart: bool = True,
    notes: list[str] | None = None,
    total_column: bool | None = None,
) -> Figure:
    """A table of counts with its total row (and, unless `total_column` is False, a total
    column when it has several columns), suppressed by the rules above."""
    if total_column is None:
        total_column = len(columns) > 1
    grid = [list(values) + ([sum(values)] if total_column else []) for _, values in rows]
    grid.append(
        [sum(col) for col in zip(*grid, strict=True)] if grid else [0] * (len(columns) + total_column)
    )
    if suppress:
        marks = suppression_grid(grid, total_row=True, total_column=total_column)
    else:
        marks = [[""] * len(row) for row in grid]
    labels = [label for label, _ in rows] + [total_label]
    figure = Figure(
        key=key,
        title=title,
        description=description,
        row_heading=row_heading,
        columns=columns + (["Total"] if total_column else []),
        chart=chart,
        notes=notes or [],
    )
    total_cell = count_cell(grid[-1][-1], marks[-1][-1])
    for i, label in enumerate(labels):
        cells = [count_cell(v, m) for v, m in zip(grid[i], marks[i], strict=True)]
        row = Row(label, cells, is_total=i == len(labels) - 1)
        if shares:
            row.share = share_cell(cells[-1], total_cell)
        figure.rows.append(row)
    return figure


def share_cell(part: Cell, whole: Cell) -> Cell:
    if not (part.shown and whole.shown) or not whole.value:
        return Cell(None, NOT_SHOWN if whole.value != 0 else "–", SECONDARY if whole.value != 0 else "")
    share = part.value / whole.value
    return Cell(round(share * 100, 1), f"{share:.0%}")


def measure_cell(value: float | None, measured: Cell, *, unit: str = "hours") -> Cell:
    """A median or percentile, shown only when the number measured is shown."""
    if not measured.shown:
        return Cell(None, NOT_SHOWN, SECONDARY)
    if value is None:
        return Cell(None, "–")
    return Cell(round(value, 1), f"{value:,.1f} {unit}")


def ratio_cell(numerator: Cell, denominator: Cell) -> Cell:
    if not (numerator.shown and denominator.shown):
        return Cell(None, NOT_SHOWN, SECONDARY)
    if not denominator.value:
        return Cell(None, "–")
    value = numerator.value / denominator.value
    return Cell(round(value, 2), f"{value:.2f}")
