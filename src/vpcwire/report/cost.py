"""Monthly cost of each connection's mechanism and of its viable alternatives.

``cost_mechanisms.estimate(plan, prices)`` prices every connection of a plan: the chosen mechanism and every
other mechanism that could carry it (same-region or inter-region peering, PrivateLink,
native cross-region PrivateLink, the outpost pattern, a Transit Gateway), each as line items
(name, quantity, unit price, monthly $) so the output shows its working. It also finds the
traffic volumes at which the cheapest option changes (the crossovers).

The arithmetic is in the small pure functions below, each with its formula; what they are
fed (AZ counts, fractions of cross-AZ flows, how many connections share an NLB) comes from
the planned Network in ``cost_layout`` and is priced per mechanism in ``cost_mechanisms``.
A month is ``prices.hours_per_month`` (730) hours. Costs are linear in traffic except for
the tiered endpoint processing price, so each option's total is piecewise linear in GB/month.
"""

from __future__ import annotations

from collections.abc import Callable, Collection, Mapping, Sequence
from dataclasses import dataclass, field
from itertools import pairwise

from vpcwire.report.pricing import Prices

__all__ = [
    "ConnectionCost",
    "CostReport",
    "Crossover",
    "Estimate",
    "LineItem",
    "cross_az_cost",
    "cross_az_fraction",
    "crossovers",
    "hourly_cost",
    "nlcu_hours",
    "tiered_cost",
    "transfer_cost",
]


# -- the arithmetic --------------------------------------------------------------------------


def hourly_cost(units: float, hours: float, rate: float) -> float:
    """units x hours x rate: e.g. 2 endpoint AZs x 730 h x $0.01 = $14.60."""
    return units * hours * rate


def tiered_cost(gb: float, tiers: Sequence[tuple[float | None, float]]) -> float:
    """Sum over tiers of min(GB left, tier width) x tier rate; a width of None is unbounded.

    With PrivateLink's tiers (1 PB at $0.01, 4 PB at $0.006, then $0.004), 100 GB costs
    $1.00, and 2 PB (2,097,152 GB) costs 1,048,576 x 0.01 + 1,048,576 x 0.006."""
    total, left = 0.0, max(gb, 0.0)
    for width, rate in tiers:
        take = left if width is None else min(left, width)
        total += take * rate
        left -= take
        if left <= 0:
            break
    return total


def cross_az_fraction(sources: Collection[str], destinations: Collection[str]) -> float:
    """Share of flows that cross AZs when each flow starts in a uniformly chosen AZ of
    ``sources`` and ends in a uniformly chosen AZ of ``destinations``:
    1 - |S n D| / (|S| x |D|). Both sides in {a, b}: 1 - 2/4 = 0.5; both in {a}: 0."""
    s, d = set(sources), set(destinations)
    if not s or not d:
        return 0.0
    return 1.0 - len(s & d) / (len(s) * len(d))


def cross_az_cost(gb: float, fraction: float, rate_each_way: float) -> float:
    """gb x fraction x 2 x rate: a byte crossing AZs is charged out of one and into the
    other (AWS's '$0.01/GB in each direction')."""
    return gb * fraction * 2 * rate_each_way


def transfer_cost(gb: float, rate: float) -> float:
    """gb x rate, e.g. inter-region transfer charged once, to the sender."""
    return gb * rate


def nlcu_hours(gb: float, gb_per_nlcu_hour: float) -> float:
    """NLCU-hours in a month when bytes are the largest NLCU dimension: traffic spread evenly
    over H hours uses gb/H GB each hour, i.e. (gb/H)/g NLCUs for H hours = gb/g NLCU-hours."""
    return gb / gb_per_nlcu_hour


# -- results -----------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class LineItem:
    name: str
    quantity: float
    unit: str  # "h", "GB", "NLCU-h"
    unit_price: float  # $ per unit (tiered: the effective average)
    monthly: float
    price: str  # key in prices.json
    region: str
    payer: str = ""  # consumer, provider, both
    note: str = ""

    def to_dict(self) -> dict[str, object]:
        return {
            "name": self.name,
            "quantity": self.quantity,
            "unit": self.unit,
            "unit_price": self.unit_price,
            "monthly": round(self.monthly, 4),
            "price": self.price,
            "region": self.region,
            "payer": self.payer,
            "note": self.note,
        }


@dataclass(frozen=True, slots=True)
class Estimate:
    mechanism: str
    viable: bool
    items: tuple[LineItem, ...] = ()
    why_not: str = ""
    assumptions: tuple[str, ...] = ()

    @property
    def total(self) -> float:
        return sum(i.monthly for i in self.items)


@dataclass(frozen=True, slots=True)
class Crossover:
    gb: float
    below: str  # cheapest just below gb
    above: str  # cheapest just above gb


@dataclass(frozen=True)
class ConnectionCost:
    index: int
    label: str
    chosen: str
    gb: float
    gb_given: bool  # False: the spec gave no traffic_gb_month
    estimates: tuple[Estimate, ...]
    crossovers: tuple[Crossover, ...]  # where the cheapest of all viable options changes
    search_up_to: float  # crossovers were looked for in 0..this GB/month
    # per viable alternative: where it and the chosen mechanism swap places
    against_chosen: tuple[tuple[str, tuple[Crossover, ...]], ...] = ()

    @property
    def cheapest(self) -> Estimate | None:
        viable = [e for e in self.estimates if e.viable]
        return min(viable, key=lambda e: e.total) if viable else None


@dataclass(frozen=True)
class CostReport:
    stack: str
    prices: Prices
    connections: tuple[ConnectionCost, ...]
    shared: tuple[LineItem, ...] = ()  # design-wide costs, e.g. NAT gateways
    used: tuple[tuple[str, str], ...] = field(default=())  # (price key, region)


# -- crossover -----------------------------------------------------------------------------


def crossovers(
    totals: Mapping[str, Callable[[float], float]],
    breakpoints: Sequence[float],
    up_to: float,
) -> list[Crossover]:
    """Volumes in (0, up_to] where the cheapest option changes.

    Each total is linear between consecutive breakpoints (the price tier edges), so on each
    segment [lo, hi] it is a + b x (v - lo) with a = f(lo) and b = (f(hi) - f(lo)) / (hi - lo).
    Walking the lower envelope: from the current cheapest c at v, the next option j to
    undercut it is the one with a smaller slope whose line meets c's first, at
    v* = v + (f_j(v) - f_c(v)) / (b_c - b_j). Ties go to the smaller slope (cheaper beyond).
    """
    if not totals:
        return []
    edges = sorted({0.0, up_to, *(b for b in breakpoints if 0 < b < up_to)})
    found: list[Crossover] = []
    current: str | None = None
    for lo, hi in pairwise(edges):
        slope = {m: (f(hi) - f(lo)) / (hi - lo) for m, f in totals.items()}
        v = lo
        value = {m: f(lo) for m, f in totals.items()}
        best = min(totals, key=lambda m: (round(value[m], 9), slope[m]))
        if current is not None and best != current:
            found.append(Crossover(lo, current, best))
        current = best
        while True:
            here = {m: value[m] + slope[m] * (v - lo) for m in totals}
            candidates = []
            for m in totals:
                if slope[m] < slope[current] - 1e-15:
                    x = v + (here[m] - here[current]) / (slope[current] - slope[m])
                    if v < x <= hi:
                        candidates.append((x, slope[m], m))
            if not candidates:
                break
            x, _, nxt = min(candidates)
            found.append(Crossover(x, current, nxt))
            current, v = nxt, x
    return found
