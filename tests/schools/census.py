"""Build census CSV files for the tests."""

import csv
import io

from schools.imports.pupils import COLUMNS
from tests.factories import make_upn


def census_row(n: int, school_urn: int, **changes) -> dict:
    row = {
        "upn": make_upn(n), "first_name": "Amelia", "middle_names": "Rose",
        "last_name": f"Smith{chr(97 + n % 26)}",
        "preferred_first_name": "", "preferred_last_name": "", "dob": "2016-05-14", "sex": "F",
        "address_line1": "1 High Street", "address_line2": "", "town": "Southend-on-Sea",
        "postcode": "ss1 1aa", "uprn": "100090000001", "school_urn": str(school_urn),
        "entry_date": "2023-09-01", "leaving_date": "",
    }  # fmt: skip
    row.update(changes)
    return row


def census_file(tmp_path, rows: list[dict], name: str = "census.csv"):
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=COLUMNS, lineterminator="\n")
    writer.writeheader()
    writer.writerows(rows)
    path = tmp_path / name
    path.write_text(out.getvalue(), encoding="utf-8")
    return path
