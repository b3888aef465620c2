"""The suppression rules on small tables worked by hand."""

from notifications.statistics.disclosure import PRIMARY, SECONDARY, count_figure, suppression_grid


def displays(figure):
    return [[cell.display for cell in row.cells] for row in figure.rows]


def test_counts_from_one_to_four_are_fewer_than_five_and_zero_is_shown():
    figure = count_figure(
        key="k",
        title="t",
        description="d",
        row_heading="r",
        columns=["n"],
        rows=[("a", [0]), ("b", [1]), ("c", [4]), ("d", [5])],
    )
    assert displays(figure) == [["0"], ["fewer than 5"], ["fewer than 5"], ["5"], ["10"]]


def test_a_lone_small_count_takes_the_next_smallest_with_it():
    figure = count_figure(
        key="k",
        title="t",
        description="d",
        row_heading="r",
        columns=["n"],
        rows=[("a", [3]), ("b", [9]), ("c", [7]), ("d", [0])],
    )
    assert displays(figure) == [["fewer than 5"], ["9"], ["not shown"], ["0"], ["19"]]


def test_a_small_total_is_itself_suppressed():
    figure = count_figure(
        key="k", title="t", description="d", row_heading="r", columns=["n"], rows=[("a", [3]), ("b", [0])]
    )
    assert displays(figure) == [["fewer than 5"], ["0"], ["fewer than 5"]]


def test_secondary_suppression_spreads_across_rows_and_columns_until_no_line_has_one():
    grid = [
        [2, 10, 12],
        [8, 9, 17],
        [10, 19, 29],  # totals
    ]
    marks = suppression_grid(grid, total_row=True, total_column=True)
    # Row 0 has one (the 2): its partner is the 10 beside it. Column 0 has one: the 8 under
    # it. Column 1 now has one (the 10): the 9. Row 1 then has two. Done.
    assert marks == [
        [PRIMARY, SECONDARY, ""],
        [SECONDARY, SECONDARY, ""],
        ["", "", ""],
    ]
    for line in [*marks, *zip(*marks, strict=True)]:
        assert sum(1 for m in line if m) != 1


def test_no_suppressed_count_can_be_recovered_from_a_two_way_table():
    columns = ["x", "y", "z"]
    rows = [("a", [1, 6, 7]), ("b", [6, 0, 9]), ("c", [12, 3, 20])]
    figure = count_figure(key="k", title="t", description="d", row_heading="r", columns=columns, rows=rows)
    shown = [[cell.shown for cell in row.cells] for row in figure.rows]
    for line in [*shown, *zip(*shown, strict=True)]:
        assert list(line).count(False) != 1


def test_school_counts_are_not_suppressed():
    figure = count_figure(
        key="k",
        title="t",
        description="d",
        row_heading="r",
        columns=["n"],
        rows=[("a", [2]), ("b", [1])],
        suppress=False,
        shares=True,
    )
    assert displays(figure) == [["2"], ["1"], ["3"]]
    assert figure.rows[0].share.display == "67%"
