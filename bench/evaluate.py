"""The development evaluation: our matcher and Splink side by side, on sets our matcher was not built on.

    pip install -e '.[bench]'
    python bench/evaluate.py --db postgres://postgres@127.0.0.1:5432/enc_mt_eval

Sets: FEBRL1, FEBRL2 and FEBRL3 (bench/febrl.py: originals as the census with planted siblings,
twins and absent children, duplicates as officer records) and our widened generator
(bench/census.py, bench/queries.py). Ours runs through the real commands, as an outside
benchmark runs them: `manage.py import_pupils` on the census CSV, `manage.py match_children`
in its own process on the officer records; its output (one UPN per child) is scored against
the truth. Splink 5 (DuckDB) sees the same records, trained as bench/splink_compare.py trains
it, with the decision rule fixed below. Printed per set: the table of issue 13, then recall
per error kind; blocking recall is whether the true pupil is among the candidates scored.
"""

from __future__ import annotations

import argparse
import csv
import dataclasses
import math
import os
import subprocess
import sys
import tempfile
import time
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from itertools import groupby
from pathlib import Path

if __package__ in (None, ""):  # run as a script: import from the repository, not from bench/
    sys.path[0] = str(Path(__file__).resolve().parent.parent)  # bench/statistics.py shadows the stdlib's

from bench import census as census_module
from bench import febrl, matching_db
from bench import queries as queries_module
from bench.matching_command import write_input
from matching import MATCHED, NO_MATCH, REVIEW

ROOT = Path(__file__).resolve().parent.parent
# Splink's decision, fixed before any run: auto at p >= 0.999 and 100 times the runner-up
# (the rule issue 13's table used), review from a one-in-ten chance.
SPLINK_MATCH_PROBABILITY = 0.999
SPLINK_MARGIN_BITS = math.log2(100)
SPLINK_REVIEW_PROBABILITY = 0.1


@dataclass
class Tally:
    """One matcher on one set: outcome counts overall and per error kind."""

    counts: Counter = field(default_factory=Counter)
    kinds: dict[str, Counter] = field(default_factory=lambda: defaultdict(Counter))

    def add(self, kind: str, truth_present: bool, outcome: str, right: bool, blocked: bool | None) -> None:
        groups = [self.counts] + [self.kinds[part] for part in kind.split("+")]
        if truth_present:
            groups.append(self.kinds[f"{kind.count('+') + 1 if kind != 'exact' else 0} changed"])
        for c in groups:
            c["n"] += 1
            c["review"] += outcome == REVIEW
            if truth_present:
                c["present"] += 1
                c["auto"] += outcome == MATCHED and right
                c["found"] += outcome in (MATCHED, REVIEW) and right
                c["blocked"] += bool(blocked)
            else:
                c["absent"] += 1
                c["absent no_match"] += outcome == NO_MATCH
            c["wrong auto"] += outcome == MATCHED and not right


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--db", help="a PostgreSQL URL (its census tables are emptied)")
    parser.add_argument("--sets", nargs="+", default=[*febrl.SETS, "generated"])
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--pupils", type=int, default=20_000, help="census size of the generated set")
    parser.add_argument("--queries", type=int, default=4_000, help="officer records of the generated set")
    parser.add_argument("--workers", type=int, default=2, help="match_children --workers")
    parser.add_argument("--no-splink", action="store_true")
    parser.add_argument(
        "--in-memory",
        action="store_true",
        help="the quick loop while developing: the same engine, weights and batch adaptation, with "
        "the census held in memory instead of going through the commands (no --db needed)",
    )
    parser.add_argument("--show", type=int, default=0, help="print this many lost children per set")
    args = parser.parse_args(argv)
    if not args.in_memory:
        if not args.db:
            parser.error("--db is required unless --in-memory")
        matching_db.setup(args.db)
        # DuckDB's threads (Splink) do not survive a fork: the census import runs in this process.
        matching_db.WORKERS = 1
    for name in args.sets:
        census, queries = _load(name, args)
        present = sum(q.truth is not None for q in queries)
        print(
            f"\n##### {name}: {len(census.rows)} pupils, {len(queries)} officer records ({present} present)"
        )
        ours = _ours_in_memory if args.in_memory else _ours
        tallies = {"ours": ours(census, queries, args.workers, show=args.show)}
        if not args.no_splink:
            tallies["Splink"] = _splink(census, queries, args.seed)
        _print(tallies)
        sys.stdout.flush()


def _load(name: str, args) -> tuple[census_module.Census, list[queries_module.Query]]:
    if name in febrl.SETS:
        return febrl.load(name, seed=args.seed)
    census = census_module.with_scripts(census_module.generate(args.pupils, seed=args.seed), share=0.01)
    return census, queries_module.generate(census, args.queries, seed=args.seed + 1, wide=True)


# Ours, through the commands ---------------------------------------------------------------------


def _ours(census, queries, workers: int, show: int = 0) -> Tally:
    from matching import child_blocking_keys
    from schools.census import DatabaseCandidateSource

    _, ids = matching_db.load(census)
    upns = {row.id: row.upn for row in census.rows}
    with tempfile.TemporaryDirectory() as folder:
        source, out = Path(folder) / "in.csv", Path(folder) / "out.csv"
        write_input(queries, source)
        started = time.perf_counter()
        command = [sys.executable, str(ROOT / "manage.py"), "match_children", str(source), "--out", str(out)]
        subprocess.run([*command, "--workers", str(workers)], env=os.environ, check=True, stdout=sys.stderr)
        print(f"match_children: {len(queries) / (time.perf_counter() - started):.0f} rows/s", file=sys.stderr)
        decisions = {row["ref"]: row for row in csv.DictReader(out.open(encoding="utf-8"))}
    tally, candidates = Tally(), DatabaseCandidateSource()
    for ref, query in enumerate(queries):
        row = decisions[str(ref)]
        right = query.truth is not None and row["upn"] == upns[query.truth]
        blocked = None
        if query.truth is not None:
            found = candidates.candidates_for(child_blocking_keys(query.child))
            blocked = ids[query.truth] in {pupil.id for pupil in found}
        tally.add(query.kind, query.truth is not None, row["decision"], right, blocked)
    return tally


def gate_figures(m: dict, *, sets=(*febrl.SETS, "generated"), seed: int = 1) -> dict[str, dict]:
    """The development evaluation with this m as the stored one, as the go-live gate of a
    weights version learned from reviewers' decisions runs it (incidents/match_weights.py):
    per set, once as a single incident is matched (stored weights) and once as match_children
    matches a batch (m adapted from there)."""
    args = argparse.Namespace(seed=seed, pupils=20_000, queries=4_000)
    figures = {}
    for name in sets:
        census, queries = _load(name, args)
        for adapt in (False, True):
            counts = _ours_in_memory(census, queries, 1, m=m, adapt=adapt).counts
            figures[f"{name}{' (batch)' if adapt else ''}"] = {
                "wrong_auto": counts["wrong auto"],
                "recall_auto": round(counts["auto"] / max(counts["present"], 1), 4),
                "recall_auto_review": round(counts["found"] / max(counts["present"], 1), 4),
                "review_rate": round(counts["review"] / max(counts["n"], 1), 4),
                "absent_no_match": round(counts["absent no_match"] / max(counts["absent"], 1), 4),
            }
    return figures


def _ours_in_memory(
    census, queries, workers: int, show: int = 0, m: dict | None = None, adapt: bool = True
) -> Tally:
    """What the commands do, without the database: weights measured on the census as
    import_pupils measures them, m adapted to the batch as match_children adapts it."""
    from matching import InMemoryCandidateSource, child_blocking_keys, compare_pupil, match_compared, scored
    from matching.weights import Weights, batch_patterns, weights_adapted, weights_from_census
    from schools.census import MIN_MEASURED

    records = [census_module.to_pupil_record(row) for row in census.rows]
    source = InMemoryCandidateSource(records)
    # As schools.census.weights_estimate: a census too small to measure keeps the defaults.
    weights = weights_from_census(records) if len(records) >= MIN_MEASURED else Weights(pupils=len(records))
    if m is not None:
        weights = dataclasses.replace(weights, m=m)
    found = [source.candidates_for(child_blocking_keys(query.child)) for query in queries]
    compared = [[compare_pupil(q.child, p) for p in cands] for q, cands in zip(queries, found, strict=True)]
    if adapt:
        patterns = [
            batch_patterns((scored(q.child, comparison, weights) for comparison in comparisons), weights)
            for q, comparisons in zip(queries, compared, strict=True)
        ]
        weights = weights_adapted(weights, patterns)
    tally, shown = Tally(), 0
    for query, candidates, comparisons in zip(queries, found, compared, strict=True):
        decision = match_compared(query.child, comparisons, weights=weights)
        top = decision.candidates[0].pupil.id if decision.candidates else None
        right = query.truth is not None and top == query.truth
        blocked = None if query.truth is None else query.truth in {p.id for p in candidates}
        outcome = decision.outcome
        tally.add(query.kind, query.truth is not None, outcome, right, blocked)
        lost = (
            (query.truth is not None and not (outcome == MATCHED and right))
            or (query.truth is None and outcome != NO_MATCH)
            or (outcome == MATCHED and not right)
        )
        if lost and shown < show:
            shown += 1
            _show(query, decision, source)
    return tally


def _show(query, decision, source) -> None:
    child = query.child
    print(f"-- {query.kind}: {decision.outcome}: {decision.reason}")
    print(
        f"   child: {child.first_name} | {child.last_name} | {child.dob} | {child.address_line1} | {child.postcode}"
    )
    if query.truth is not None:
        p = source.pupils[query.truth]
        print(f"   truth: {p.first_name} | {p.last_name} | {p.dob} | {p.address_line1} | {p.postcode}")
    for cand in decision.candidates[:3]:
        p = cand.pupil
        mark = "*" if p.id == query.truth else " "
        levels = " ".join(f"{k}={v}" for k, v in cand.levels.items() if k != "order")
        print(f"  {mark}{cand.score:5.1f} {p.first_name} {p.last_name} {p.dob} {p.address_line1}: {levels}")


# Splink -----------------------------------------------------------------------------------------


def _splink(census, queries, seed: int) -> Tally:
    import duckdb

    from bench.splink_compare import RANKED, _Pair, _splink_trained

    connection = duckdb.connect()
    linker = _splink_trained(census, queries, connection, seed)
    predictions = linker.inference.predict()
    table = predictions.physical_name
    rows = connection.sql(RANKED.format(table=table, limit=5)).fetchall()
    ranked = {query: [_Pair(*row) for row in group] for query, group in groupby(rows, key=lambda row: row[0])}
    pairs = set(connection.sql(_PAIRS.format(table=table)).fetchall())
    tally = Tally()
    for n, query in enumerate(queries):
        outcome, top = _splink_decision(ranked.get(n, []))
        right = query.truth is not None and top == query.truth
        blocked = None if query.truth is None else (n, query.truth) in pairs
        tally.add(query.kind, query.truth is not None, outcome, right, blocked)
    return tally


_PAIRS = """
    select case when source_dataset_l = 'queries' then unique_id_l else unique_id_r end,
           case when source_dataset_l = 'queries' then unique_id_r else unique_id_l end
    from {table}
"""


def _splink_decision(pairs) -> tuple[str, int | None]:
    if not pairs or pairs[0].probability < SPLINK_REVIEW_PROBABILITY:
        return NO_MATCH, None
    runner_up = pairs[1].weight if len(pairs) > 1 else -math.inf
    if pairs[0].probability >= SPLINK_MATCH_PROBABILITY and pairs[0].weight - runner_up >= SPLINK_MARGIN_BITS:
        return MATCHED, pairs[0].pupil
    return REVIEW, pairs[0].pupil


# Report -----------------------------------------------------------------------------------------


def _print(tallies: dict[str, Tally]) -> None:
    print(
        "| | wrong auto | recall auto | recall auto+review | review rate | absent -> no_match | blocking recall |"
    )
    print("|---|---|---|---|---|---|---|")
    for name, tally in tallies.items():
        print(f"| {name} | {_row(tally.counts)} |")
    kinds = sorted({kind for tally in tallies.values() for kind in tally.kinds})
    print("\nper error kind (n; wrong auto, recall auto / auto+review, or absent no_match):")
    for kind in kinds:
        cells = []
        for name, tally in tallies.items():
            c = tally.kinds[kind]
            if c["present"]:
                cells.append(
                    f"{name} {c['wrong auto']}w {_share(c['auto'], c['present'])}/{_share(c['found'], c['present'])}"
                )
            else:
                cells.append(f"{name} {c['wrong auto']}w {_share(c['absent no_match'], c['absent'])}")
        print(f"  {kind:<22} n={next(iter(tallies.values())).kinds[kind]['n']:<5} " + "   ".join(cells))


def _row(c: Counter) -> str:
    return " | ".join(
        [
            str(c["wrong auto"]),
            _share(c["auto"], c["present"]),
            _share(c["found"], c["present"]),
            f"{100 * c['review'] / max(c['n'], 1):.1f}%",
            _share(c["absent no_match"], c["absent"]),
            _share(c["blocked"], c["present"]),
        ]
    )


def _share(part: int, whole: int) -> str:
    return f"{part / whole:.4f}" if whole else "-"


if __name__ == "__main__":
    main()
