"""Our matcher beside Splink 5 (DuckDB) on the matching benchmark: the same census, the same queries.

    pip install -e '.[bench]'
    python bench/splink_compare.py --pupils 250000 --queries 20000 --seed 1

Both matchers see the same census (seed) and the same officer queries (seed + 1), cleaned by
the same functions (matching.normalise), so that the models are compared, not the
data preparation. Ours runs in memory as bench/matching.py runs it. Splink is set up as its
tutorial does: link_only between the queries and the census, u from random pairs, the prior
from deterministic rules, m by expectation maximisation; its thresholds are fixed below,
before any run. The truth is used only for scoring.
"""

from __future__ import annotations

import argparse
import gc
import logging
import math
import sys
import time
from itertools import groupby
from pathlib import Path
from typing import NamedTuple

if __package__ in (None, ""):  # run as a script: import from the repository, not from bench/
    sys.path[0] = str(Path(__file__).resolve().parent.parent)  # bench/statistics.py shadows the stdlib's

import duckdb
import jellyfish
import pandas as pd
import splink.comparison_level_library as cll
import splink.comparison_library as cl
from splink import ColumnExpression, DuckDBAPI, Linker, SettingsCreator, block_on

from bench import census as census_module
from bench import queries as queries_module
from bench.matching import Result, load_in_memory, report, run
from matching import MATCHED, NO_MATCH, REVIEW, weights_from_census
from matching import normalise as norm

# Splink's decision for each query, from its best and second-best census pupils. Chosen once.
MATCH_PROBABILITY = 0.99  # matched: the best pupil is at least this likely...
MARGIN_BITS = 6.0  # ...and 2^6 = 64 times likelier than the runner-up (our matcher's margin)
REVIEW_PROBABILITY = 0.1  # review: a one-in-ten chance is worth a person's look; else no_match
MAX_CANDIDATES = 5  # put up for review, as our matcher does

SWAPPED_DAY_MONTH = (
    "substr(dob_l, 1, 4) = substr(dob_r, 1, 4) and substr(dob_l, 6, 2) = substr(dob_r, 9, 2) "
    "and substr(dob_l, 9, 2) = substr(dob_r, 6, 2)"
)
SECTOR = ColumnExpression("postcode").regex_extract(cl.PostcodeComparison.SECTOR_REGEX)
DISTRICT = ColumnExpression("postcode").regex_extract(cl.PostcodeComparison.DISTRICT_REGEX)

SETTINGS = SettingsCreator(
    link_type="link_only",
    comparisons=[
        # A swap of first and last name is one event: counted once, on the first name.
        cl.CustomComparison(
            output_column_name="first_name",
            comparison_levels=[
                cll.NullLevel("first_name"),
                cll.ExactMatchLevel("first_name").configure(tf_adjustment_column="first_name"),
                cll.ColumnsReversedLevel("first_name", "last_name", symmetrical=True),
                cll.JaroWinklerLevel("first_name", 0.92),
                cll.JaroWinklerLevel("first_name", 0.88),
                cll.JaroWinklerLevel("first_name", 0.7),
                cll.ElseLevel(),
            ],
        ),
        cl.NameComparison("last_name"),
        cl.CustomComparison(
            output_column_name="dob",
            comparison_levels=[
                cll.NullLevel("dob"),
                cll.ExactMatchLevel("dob"),
                cll.CustomLevel(SWAPPED_DAY_MONTH, label_for_charts="day and month swapped"),
                cll.DamerauLevenshteinLevel("dob", 1),  # one digit wrong, or two neighbours swapped
                cll.AbsoluteDateDifferenceLevel("dob", input_is_string=True, metric="year", threshold=1),
                cll.ElseLevel(),
            ],
        ),
        cl.ExactMatch("sex"),
        # Address line and postcode are one comparison: they are far from independent.
        cl.CustomComparison(
            output_column_name="address",
            comparison_levels=[
                cll.NullLevel("postcode"),
                cll.And(cll.ExactMatchLevel("address_line1"), cll.ExactMatchLevel("postcode")),
                cll.ExactMatchLevel("postcode"),
                cll.ExactMatchLevel(SECTOR).configure(label_for_charts="same sector"),
                cll.ExactMatchLevel(DISTRICT).configure(label_for_charts="same district"),
                cll.ElseLevel(),
            ],
        ),
        cl.ExactMatch("upn"),
    ],
    blocking_rules_to_generate_predictions=[
        block_on("dob"),  # slips in a name
        block_on("last_name_soundex", "substr(dob, 1, 4)"),  # slips in the day or month of birth
        block_on("postcode", "substr(first_name, 1, 1)"),  # any slip in the date of birth, at home
        block_on("first_name", "last_name"),  # no date of birth, away from home
        "l.first_name = r.last_name and l.last_name = r.first_name",  # names swapped
        block_on("upn"),
    ],
)


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--pupils", type=int, default=250_000)
    parser.add_argument("--queries", type=int, default=20_000)
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args(argv)
    census = census_module.generate(args.pupils, seed=args.seed)
    queries = queries_module.generate(census, args.queries, seed=args.seed + 1)
    print(f"pupils {len(census.rows)}  queries {len(queries)}  seed {args.seed}")
    print("\n=== OUR MATCHER (in memory) ===")
    _report(*_ours(census, queries, args.seed))
    gc.unfreeze()
    print("\n=== SPLINK 4 (DuckDB) ===")
    _report(*_splink(census, queries, args.seed))


class _Clock:
    """Wall and CPU seconds since the last lap (CPU counts every thread, DuckDB's included)."""

    def __init__(self) -> None:
        self.wall, self.cpu = time.perf_counter(), time.process_time()

    def lap(self) -> tuple[float, float]:
        wall, cpu = time.perf_counter(), time.process_time()
        lap = (wall - self.wall, cpu - self.cpu)
        self.wall, self.cpu = wall, cpu
        return lap


def _report(results: list[Result], setup: tuple[float, float], matching: tuple[float, float]) -> None:
    report(results)
    print(f"pupils scored per child: mean {sum(r.candidates for r in results) / len(results):.1f}")
    print(f"setup (load the census, estimate weights): wall {setup[0]:.1f} s, cpu {setup[1]:.1f} s")
    print(f"matching {len(results)} children: wall {matching[0]:.1f} s, cpu {matching[1]:.1f} s")


def _ours(census, queries, seed: int):
    clock = _Clock()
    source = load_in_memory(census)
    gc.freeze()  # as bench/matching.py: keep full collections out of the timed matches
    weights = weights_from_census(list(source.pupils.values()), seed=seed)
    setup = clock.lap()
    return run(source, queries, weights), setup, clock.lap()


# Splink -----------------------------------------------------------------------------------------


def _splink(census, queries, seed: int):
    clock = _Clock()
    connection = duckdb.connect()
    linker = _splink_trained(census, queries, connection, seed)
    setup = clock.lap()
    predictions = linker.inference.predict()
    rows = connection.sql(RANKED.format(table=predictions.physical_name, limit=MAX_CANDIDATES)).fetchall()
    ranked = {query: [_Pair(*row) for row in group] for query, group in groupby(rows, key=lambda row: row[0])}
    results = []
    for n, query in enumerate(queries):
        pairs = ranked.get(n, [])
        outcome, ids = _decide(pairs)
        count = pairs[0].count if pairs else 0
        results.append(Result(query.kind, query.truth, outcome, ids, 0.0, 0.0, count))
    matching = clock.lap()
    _print_weights(linker)
    return results, setup, matching


def _splink_trained(census, queries, connection, seed: int) -> Linker:
    """Trained as Splink's tutorial trains a model: prior, then u by random sampling, then m by EM."""
    database = DuckDBAPI(connection=connection)
    children = database.register(
        pd.DataFrame(_record(n, query.child) for n, query in enumerate(queries)),
        dataset_display_name="queries",
    )
    pupils = database.register(
        pd.DataFrame(_record(row.id, row) for row in census.rows), dataset_display_name="census"
    )
    # Splink narrates its training; the trained model is printed instead.
    linker = Linker([children, pupils], SETTINGS, log_level=logging.WARNING)
    training = linker.training
    training.estimate_probability_two_random_records_match(
        [block_on("first_name", "last_name", "dob"), block_on("postcode", "dob")], recall=0.7
    )
    training.estimate_u_using_random_sampling(max_pairs=1e7, seed=seed)
    training.estimate_parameters_using_expectation_maximisation(block_on("first_name", "last_name"))
    training.estimate_parameters_using_expectation_maximisation(block_on("dob"))
    return linker


def _record(uid: int, person) -> dict:
    """One row as Splink sees it: names and address cleaned as our matcher cleans them, blanks as nulls."""
    code = norm.postcode(person.postcode)
    last = norm.name_key(person.last_name)
    return {
        "unique_id": uid,
        "first_name": norm.name_key(person.first_name) or None,
        "last_name": last or None,
        "last_name_soundex": jellyfish.soundex(last) if last else None,
        "dob": person.dob.isoformat() if person.dob else None,
        "sex": person.sex or None,
        "address_line1": norm.address_line(person.home_line) or None,
        "postcode": f"{code[:-3]} {code[-3:]}" if code else None,  # the space Splink's regexes expect
        "upn": person.upn.strip().upper() or None,
    }


def _print_weights(linker) -> None:
    """The trained model: each level's log2(m/u) in bits, as bench/matching.py prints ours."""
    model = linker.misc.save_model_to_json()
    print(f"probability two random records match: {model['probability_two_random_records_match']:.3g}")
    for comparison in model["comparisons"]:
        levels = [level for level in comparison["comparison_levels"] if not level.get("is_null_level")]
        print(
            f"  {comparison['output_column_name']}: "
            + "  ".join(f"[{level['label_for_charts']}] {_bits(level)}" for level in levels)
        )


def _bits(level: dict) -> str:
    m, u = level.get("m_probability"), level.get("u_probability")
    return f"{math.log2(m / u):+.1f}" if m and u else "untrained"


RANKED = """
    select query, pupil, match_weight, match_probability, count(*) over (partition by query)
    from (
        select
            case when source_dataset_l = 'queries' then unique_id_l else unique_id_r end as query,
            case when source_dataset_l = 'queries' then unique_id_r else unique_id_l end as pupil,
            match_weight, match_probability
        from {table}
    )
    qualify row_number() over (partition by query order by match_weight desc) <= {limit}
    order by query, match_weight desc
"""


class _Pair(NamedTuple):
    query: int
    pupil: int
    weight: float
    probability: float
    count: int  # pairs scored for this query


def _decide(pairs: list[_Pair]) -> tuple[str, list[int]]:
    """(outcome, pupil ids) from one query's best pairs, best first."""
    if not pairs or pairs[0].probability < REVIEW_PROBABILITY:
        return NO_MATCH, []
    runner_up = pairs[1].weight if len(pairs) > 1 else -math.inf
    if pairs[0].probability >= MATCH_PROBABILITY and pairs[0].weight - runner_up >= MARGIN_BITS:
        return MATCHED, [pairs[0].pupil]
    return REVIEW, [pair.pupil for pair in pairs if pair.probability >= REVIEW_PROBABILITY]


if __name__ == "__main__":
    main()
