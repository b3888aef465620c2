"""CSV export of one figure's table, suppressed exactly as on the page."""

import io

from encompass.csv_files import csv_writer
from notifications.statistics.disclosure import Figure


def figure_csv_rows(figure: Figure) -> list[list]:
    header = [figure.row_heading, *figure.columns] + (["Share"] if figure.has_shares else [])
    rows = [header]
    for row in figure.rows:
        values = [cell.value if cell.shown and cell.value is not None else cell.display for cell in row.cells]
        share = [row.share.display if row.share else ""] if figure.has_shares else []
        rows.append([row.label, *values, *share])
    return rows


def figure_csv(figure: Figure) -> str:
    out = io.StringIO()
    csv_writer(out, lineterminator="\r\n").writerows(figure_csv_rows(figure))
    return out.getvalue()
