"""CSV export of one figure's table, suppressed exactly as on the page."""

import io

from encompass.csv_files import csv_writer
from notifications.statistics.disclosure import Figure


def figure_csv_rows(figure: Figure) -> list[list]:
    keyed = any(row.key for row in figure.rows)  # a school's URN, for joining with other data
    header = [figure.row_heading, *(["URN"] if keyed else []), *figure.columns]
    rows = [header + (["Share"] if figure.has_shares else [])]
    for row in figure.rows:
        values = [cell.value if cell.shown and cell.value is not None else cell.display for cell in row.cells]
        share = [row.share.display if row.share else ""] if figure.has_shares else []
        rows.append([row.label, *([row.key] if keyed else []), *values, *share])
    return rows


def figure_csv(figure: Figure) -> str:
    out = io.StringIO()
    csv_writer(out, lineterminator="\r\n").writerows(figure_csv_rows(figure))
    return out.getvalue()
