"""The matching benchmark through the two commands an outside benchmark uses.

    python bench/matching_command.py --pupils 250000 --queries 20000 --seed 1 \\
        --db postgres://postgres@127.0.0.1:5432/enc_matching_bench

The same census and officer records as bench/matching.py (same seeds): the census goes in by
`manage.py import_pupils`, the records are written in match_children's input format and
`manage.py match_children IN.csv --out OUT.csv` runs in its own process. Its output is scored
against the truth by UPN: wrong automatic matches, recall, review rate, absent children
returned no_match, and rows per second of the whole command.
"""

from __future__ import annotations

import argparse
import csv
import os
import subprocess
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path

if __package__ in (None, ""):
    sys.path[0] = str(Path(__file__).resolve().parent.parent)  # bench/statistics.py shadows the stdlib's

from bench import census as census_module
from bench import matching_db
from bench import queries as queries_module

ROOT = Path(__file__).resolve().parent.parent
IN_COLUMNS = (
    "ref", "first_name", "last_name", "dob", "sex", "address_line1", "address_line2", "town",
    "postcode", "upn", "incident_date",
)  # fmt: skip
INCIDENT_DATE = "2026-11-20"  # after census day (pupils born in Sep-Oct 2022 start school in 2027)


def write_input(queries: list[queries_module.Query], path: Path) -> None:
    with path.open("w", newline="", encoding="utf-8") as out:
        writer = csv.writer(out)
        writer.writerow(IN_COLUMNS)
        for ref, query in enumerate(queries):
            c = query.child
            dob = c.dob.isoformat() if c.dob else ""
            writer.writerow(
                [ref, c.first_name, c.last_name, dob, c.sex or "", c.address_line1, c.address_line2, c.town,
                 c.postcode, c.upn, INCIDENT_DATE]
            )  # fmt: skip


def score(queries: list[queries_module.Query], upns: dict[int, str], path: Path) -> Counter:
    decisions = {row["ref"]: row for row in csv.DictReader(path.open(encoding="utf-8"))}
    counts = Counter()
    for ref, query in enumerate(queries):
        row = decisions[str(ref)]
        right = query.truth is not None and row["upn"] == upns[query.truth]
        side = "present" if query.truth is not None else "absent"
        counts[side] += 1
        counts[f"{side} {row['decision']}"] += 1
        counts["wrong auto"] += row["decision"] == "matched" and not right
        counts["right auto"] += row["decision"] == "matched" and right
        counts["found"] += row["decision"] in ("matched", "review") and right
        counts["matched without a school"] += row["decision"] == "matched" and not row["school_urn"]
    return counts


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--pupils", type=int, default=250_000)
    parser.add_argument("--queries", type=int, default=20_000)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--db", required=True, help="a PostgreSQL URL for the census")
    parser.add_argument("--workers", type=int, default=2, help="match_children --workers")
    args = parser.parse_args()
    matching_db.setup(args.db)
    census = census_module.generate(args.pupils, seed=args.seed)
    queries = queries_module.generate(census, args.queries, seed=args.seed + 1)
    matching_db.load(census)
    upns = {row.id: row.upn for row in census.rows}
    with tempfile.TemporaryDirectory() as folder:
        source, out = Path(folder) / "in.csv", Path(folder) / "out.csv"
        write_input(queries, source)
        started = time.perf_counter()
        command = [sys.executable, str(ROOT / "manage.py"), "match_children", str(source), "--out", str(out)]
        command += ["--workers", str(args.workers)]
        subprocess.run(command, env=os.environ, check=True)
        seconds = time.perf_counter() - started
        c = score(queries, upns, out)
    rate = len(queries) / seconds
    print(f"pupils {args.pupils}  children {len(queries)}  match_children --workers {args.workers}")
    print(f"  {seconds:.1f} s = {rate:.0f} rows/s (the whole command: start-up, weights check, matching)")
    print(f"wrong automatic matches {c['wrong auto']}")
    print(
        f"recall auto {c['right auto'] / c['present']:.4f}  recall auto+review {c['found'] / c['present']:.4f}"
    )
    print(f"review rate {(c['present review'] + c['absent review']) / len(queries):.4f}")
    print(f"absent no_match {c['absent no_match'] / c['absent']:.4f}")
    print(f"matched without a school on {INCIDENT_DATE}: {c['matched without a school']}")


if __name__ == "__main__":
    main()
