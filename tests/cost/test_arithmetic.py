"""The cost formulas on hand-computed cases."""

from __future__ import annotations

import pytest

from vpcwire.report.cost import (
    Crossover,
    cross_az_cost,
    cross_az_fraction,
    crossovers,
    hourly_cost,
    nlcu_hours,
    tiered_cost,
    transfer_cost,
)

PB = 1_048_576.0
TIERS = [(PB, 0.01), (4 * PB, 0.006), (None, 0.004)]


@pytest.mark.parametrize(
    ("gb", "expected"),
    [
        (0, 0.0),
        (100, 1.0),  # 100 x 0.01
        (PB, 10_485.76),  # the first tier exactly
        (2 * PB, 10_485.76 + 6_291.456),  # + 1 PB x 0.006
        (6 * PB, 10_485.76 + 25_165.824 + 4_194.304),  # + 4 PB x 0.006 + 1 PB x 0.004
    ],
    ids=["nothing", "100 GB", "1 PB", "2 PB", "6 PB"],
)
def test_tiered_processing(gb: float, expected: float) -> None:
    assert tiered_cost(gb, TIERS) == pytest.approx(expected)


@pytest.mark.parametrize(
    ("sources", "destinations", "expected"),
    [
        ({"a", "b"}, {"a", "b"}, 0.5),  # 1 - 2/4
        ({"a"}, {"a"}, 0.0),
        ({"a"}, {"b"}, 1.0),
        ({"a", "b", "c"}, {"a"}, 2 / 3),  # 1 - 1/3
        ({"a", "b"}, {"b", "c", "d"}, 5 / 6),  # 1 - 1/6
        (set(), {"a"}, 0.0),
    ],
    ids=["same two", "same one", "disjoint", "three to one", "partial", "empty"],
)
def test_cross_az_fraction(sources: set[str], destinations: set[str], expected: float) -> None:
    assert cross_az_fraction(sources, destinations) == pytest.approx(expected)


def test_small_formulas() -> None:
    assert hourly_cost(2, 730, 0.01) == pytest.approx(14.60)  # 2 endpoint AZs
    assert hourly_cost(1 / 3, 730, 0.0225) == pytest.approx(5.475)  # a third of an NLB
    assert cross_az_cost(100, 0.5, 0.01) == pytest.approx(1.00)  # 50 GB, out and in
    assert transfer_cost(100, 0.02) == pytest.approx(2.00)
    assert nlcu_hours(730, 1.0) == pytest.approx(730)  # 1 GB every hour: 1 NLCU all month


def test_crossover_of_two_lines() -> None:
    # 10 + v and 20 + 0.5 v meet at v = 20
    found = crossovers({"a": lambda v: 10 + v, "b": lambda v: 20 + 0.5 * v}, [], 1000)
    assert found == [Crossover(pytest.approx(20.0), "a", "b")]  # type: ignore[arg-type]


def test_crossover_none_when_one_is_always_cheaper() -> None:
    assert crossovers({"a": lambda v: v, "b": lambda v: 5 + 2 * v}, [], 1000) == []


def test_crossovers_through_three_lines() -> None:
    # a: 0 + 3v, b: 10 + 1v, c: 40 + 0v -> a until 5, b until 30, then c
    totals = {"a": lambda v: 3 * v, "b": lambda v: 10 + v, "c": lambda v: 40.0}
    found = crossovers(totals, [], 100)
    assert [(round(x.gb, 6), x.below, x.above) for x in found] == [(5, "a", "b"), (30, "b", "c")]


def test_crossover_on_a_tiered_line() -> None:
    # a pays 0.01/GB up to 1,000 GB then 0.001; b is a flat 8 + 0.004/GB:
    # below 1,000 GB, a < b only while 0.01 v < 8 + 0.004 v, i.e. v < 1,333 -- not reached;
    # past 1,000 GB a = 10 + 0.001 (v - 1000) and b = 8 + 0.004 v: a is cheaper from v = 0
    def a(v: float) -> float:
        return tiered_cost(v, [(1000.0, 0.01), (None, 0.001)])

    found = crossovers({"a": a, "b": lambda v: 8 + 0.004 * v}, [1000.0], 5000)
    assert found == []
    # make b cheaper in the first tier's middle: b = 3 + 0.004 v meets a at 500 GB,
    # and a's second tier brings it back below b at 10 + 0.001 (v - 1000) = 3 + 0.004 v: 2,000 GB
    found = crossovers({"a": a, "b": lambda v: 3 + 0.004 * v}, [1000.0], 5000)
    assert [(round(x.gb, 6), x.below, x.above) for x in found] == [
        (500, "a", "b"),
        (2000, "b", "a"),
    ]
