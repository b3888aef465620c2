"""The benchmark's generators and scoring run end to end on a small census."""

from bench import census, queries
from bench.matching import load_in_memory, run
from matching import MATCHED, weights_from_census


def test_small_benchmark_makes_no_wrong_auto_match():
    people = census.generate(3000, seed=7)
    source = load_in_memory(people)
    weights = weights_from_census(list(source.pupils.values()), pairs=5000)
    results = run(source, queries.generate(people, 400, seed=8), weights)
    wrong = [r for r in results if r.outcome == MATCHED and r.ids[0] != r.truth]
    assert wrong == []
    assert sum(r.outcome == MATCHED for r in results) > 250


def test_census_upns_carry_valid_check_letters():
    from stdnum.gb import upn

    assert all(upn.is_valid(row.upn) for row in census.generate(500, seed=1).rows)


def test_census_is_the_same_for_the_same_seed():
    assert census.generate(200, seed=3).rows == census.generate(200, seed=3).rows
