"""Matching benchmark: accuracy per error kind, latency and throughput.

    python bench/matching.py --pupils 250000 --queries 20000 --seed 1
    python bench/matching.py --pupils 1000000 --queries 20000 \
        --db postgres://postgres@127.0.0.1:5432/enc_matching_bench

Three steps with clear seams: generate a census, load it into a candidate source, run the
officer queries against it. Without --db the census is held in memory; with --db it is
imported into PostgreSQL by import_pupils (bench/matching_db.py) and every child is matched
through the database candidate source, one query per child, as the service does.
"""

from __future__ import annotations

import argparse
import gc
import sys
import time
from collections import defaultdict
from dataclasses import dataclass
from pathlib import Path

if __package__ in (None, ""):  # run as a script: make the repository importable
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench import census as census_module
from bench import queries as queries_module
from matching import (
    MATCHED,
    REVIEW,
    CandidateSource,
    InMemoryCandidateSource,
    Weights,
    child_blocking_keys,
    match_child,
    weights_from_census,
)


@dataclass
class Result:
    kind: str
    truth: int | None
    outcome: str
    ids: list[int]  # the matched pupil, or the pupils put up for review
    seconds: float
    cpu_seconds: float
    candidates: int
    child: object = None
    decision: object = None


def load_in_memory(census: census_module.Census) -> InMemoryCandidateSource:
    return InMemoryCandidateSource(census_module.to_pupil_record(row) for row in census.rows)


def run(source: CandidateSource, queries: list[queries_module.Query], weights: Weights) -> list[Result]:
    results = []
    for query in queries:
        started, cpu_started = time.perf_counter(), time.process_time()
        candidates = source.candidates_for(child_blocking_keys(query.child))
        decision = match_child(query.child, candidates, weights=weights)
        seconds, cpu = time.perf_counter() - started, time.process_time() - cpu_started
        ids = [cand.pupil.id for cand in decision.candidates] if decision.outcome != "no_match" else []
        result = Result(query.kind, query.truth, decision.outcome, ids, seconds, cpu, len(candidates))
        if decision.outcome == MATCHED and ids[0] != query.truth:
            result.child, result.decision = query.child, decision  # kept for report_wrong
        results.append(result)
    return results


# Report -----------------------------------------------------------------------------------------


def _figures(rows: list[Result]) -> dict[str, float]:
    present = [r for r in rows if r.truth is not None]
    absent = [r for r in rows if r.truth is None]
    auto = [r for r in rows if r.outcome == MATCHED]
    right = [r for r in auto if r.truth is not None and r.ids[0] == r.truth]
    found = [r for r in present if r.outcome in (MATCHED, REVIEW) and r.truth in r.ids]
    return {
        "n": len(rows),
        "wrong auto": len(auto) - len(right),
        "precision auto": len(right) / len(auto) if auto else float("nan"),
        "recall auto": len(right) / len(present) if present else float("nan"),
        "recall auto+review": len(found) / len(present) if present else float("nan"),
        "review rate": sum(r.outcome == REVIEW for r in rows) / len(rows),
        "absent no_match": sum(r.outcome == "no_match" for r in absent) / len(absent)
        if absent
        else float("nan"),
    }


COLUMNS = (
    "n",
    "wrong auto",
    "precision auto",
    "recall auto",
    "recall auto+review",
    "review rate",
    "absent no_match",
)


def report(results: list[Result]) -> None:
    by_kind: dict[str, list[Result]] = defaultdict(list)
    for result in results:
        by_kind[result.kind].append(result)
    print(f"{'kind':<18}" + "".join(f"{c:>19}" for c in COLUMNS))
    for kind in sorted(by_kind, key=lambda k: (k.startswith("absent"), k)):
        _row(kind, _figures(by_kind[kind]))
    _row("ALL", _figures(results))


def _row(label: str, figures: dict[str, float]) -> None:
    cells = [f"{figures[c]:>19d}" if isinstance(figures[c], int) else f"{figures[c]:>19.4f}" for c in COLUMNS]
    print(f"{label:<18}" + "".join(cells).replace("nan", "  -"))


def report_wrong(results: list[Result]) -> None:
    """Each wrong automatic match, child beside pupil, so that a failure can be understood."""
    for result in results:
        if result.decision is None:
            continue
        best = result.decision.candidates[0]
        child, pupil = result.child, best.pupil
        print(f"WRONG ({result.kind}, truth {result.truth}): {result.decision.reason}")
        print(
            f"  child: {child.first_name} {child.last_name} {child.dob} {child.sex} {child.address_line1}, {child.postcode}"
        )
        print(
            f"  pupil: {pupil.first_name} {pupil.middle_names} {pupil.last_name} {pupil.dob} {pupil.sex} "
            f"{pupil.address_line1}, {pupil.postcode}"
        )
        print("  " + ", ".join(f"{f} {best.levels[f]} {best.log_odds[f]:+.1f}" for f in best.levels))


def report_speed(results: list[Result], total_seconds: float) -> None:
    # Wall time includes waiting for a shared CPU; CPU time is what the match itself costs.
    for label, values in (("wall", [r.seconds for r in results]), ("cpu", [r.cpu_seconds for r in results])):
        times = sorted(value * 1000 for value in values)
        p50, p95, p99 = (_percentile(times, q) for q in (0.50, 0.95, 0.99))
        print(
            f"latency per child, {label} ms: p50 {p50:.3f}  p95 {p95:.3f}  p99 {p99:.3f}  max {times[-1]:.3f}"
        )
    counts = sorted(r.candidates for r in results)
    print(
        f"candidates per child: mean {sum(counts) / len(counts):.1f}  p99 {counts[int(0.99 * len(counts))]}  max {counts[-1]}"
    )
    print(f"batch throughput: {len(results) / total_seconds:.0f} children/s on one core")


def _percentile(ordered: list[float], q: float) -> float:
    return ordered[min(len(ordered) - 1, int(q * len(ordered)))]


def report_weights(weights: Weights) -> None:
    print("log-odds (bits) per field and level:")
    for field, levels in weights.m.items():
        print(
            f"  {field:<11} "
            + "  ".join(f"{level} {weights.log_odds(field, level):+.1f}" for level in levels)
        )


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--pupils", type=int, default=250_000)
    parser.add_argument("--queries", type=int, default=20_000)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--db", help="a PostgreSQL URL: load the census there and match through it")
    parser.add_argument("--workers", type=int, default=2, help="processes for the batch run (--db)")
    args = parser.parse_args(argv)
    census = _timed("generate census", lambda: census_module.generate(args.pupils, seed=args.seed))
    if args.db:
        return main_db(args, census)
    source = _timed("load (in memory)", lambda: load_in_memory(census))
    # Millions of long-lived objects: without this, full garbage collections land inside the
    # timed matches. In production the census lives in PostgreSQL, not in the process.
    gc.freeze()
    pupils = list(source.pupils.values())
    weights = _timed("estimate u", lambda: weights_from_census(pupils, seed=args.seed))
    queries = _timed(
        "generate queries", lambda: queries_module.generate(census, args.queries, seed=args.seed + 1)
    )
    started = time.perf_counter()
    results = run(source, queries, weights)
    total = time.perf_counter() - started
    print(
        f"pupils {len(census.rows)}  households {len(census.households)}  keys {len(source.buckets)}  queries {len(queries)}"
    )
    report_weights(weights)
    report(results)
    report_wrong(results)
    report_speed(results, total)


def main_db(args, census: census_module.Census) -> None:
    from bench import matching_db

    matching_db.setup(args.db)
    from schools.census import DatabaseCandidateSource, weights_current

    keys, pupil_ids = _timed("import into PostgreSQL (import_pupils)", lambda: matching_db.load(census))
    weights = weights_current()  # as import_pupils measured them on this census
    assert weights.pupils == len(census.rows), "import_pupils did not store the weights"
    queries = _timed(
        "generate queries", lambda: queries_module.generate(census, args.queries, seed=args.seed + 1)
    )
    queries = [queries_module.Query(q.child, q.kind, pupil_ids.get(q.truth)) for q in queries]
    census.rows.clear()  # the database holds the census now
    gc.collect()
    gc.freeze()
    source = DatabaseCandidateSource()
    run(source, queries[:200], weights)  # warm the connection and the caches
    started = time.perf_counter()
    results = run(source, queries, weights)
    total = time.perf_counter() - started
    print(f"pupils {args.pupils}  keys {keys}  queries {len(queries)}  (PostgreSQL)")
    report_weights(weights)
    report(results)
    report_wrong(results)
    report_speed(results, total)
    batch = _batch(queries, weights, args.workers)
    print(f"batch throughput: {len(queries) / batch:.0f} children/s with {args.workers} processes")


def _batch(queries, weights, workers: int) -> float:
    """The same queries split across processes, each with its own database connection."""
    import multiprocessing

    from django.db import connections

    connections.close_all()
    global _batch_weights
    _batch_weights = weights
    chunks = [queries[n::workers] for n in range(workers)]
    started = time.perf_counter()
    with multiprocessing.get_context("fork").Pool(workers) as pool:
        pool.map(_batch_run, chunks)
    return time.perf_counter() - started


_batch_weights = None


def _batch_run(queries) -> int:
    from schools.census import DatabaseCandidateSource

    return len(run(DatabaseCandidateSource(), queries, _batch_weights))


def _timed(label: str, step):
    started = time.perf_counter()
    value = step()
    print(f"{label}: {time.perf_counter() - started:.1f} s", file=sys.stderr)
    return value


if __name__ == "__main__":
    main()
