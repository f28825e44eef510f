"""Rules of area 5 (scale and quotas): one parametrised test per rule, named cases.

Quota breaches are made by adding peerings or routes to a small planned Network (fast);
tests/fixtures/rules has the same breaches written as whole specs."""

from __future__ import annotations

from dataclasses import replace
from ipaddress import IPv4Network
from itertools import combinations

import pytest

from tests.rules.helpers import Case, doc, planned, recheck, vpc
from vpcwire.network import NetworkBuilder, PeeringConnection, Route

SMALL = doc(
    {"a": vpc(cidr="10.0.0.0/16"), "b": vpc(cidr="10.1.0.0/16")},
    connections=[{"peers": ["a", "b"]}],
)


def _peerings(rule_id: str, extra: int) -> list:
    """VPC a with its planned peering plus ``extra`` more to made-up VPCs."""
    base = planned(SMALL)

    def change(b: NetworkBuilder) -> None:
        for k in range(extra):
            b.add(
                PeeringConnection(
                    f"pcx-{k}",
                    f"pcx-{k}",
                    "aws_vpc.a",
                    f"vpc-x{k}",
                    "111111111111",
                    "111111111111",
                    "us-east-1",
                    "us-east-1",
                )
            )

    return recheck(rule_id, base, change)


def _routes(rule_id: str, total: int) -> list:
    """VPC a's private table with ``total`` non-local routes."""
    base = planned(SMALL)

    def change(b: NetworkBuilder) -> None:
        table = b.get("route_table", "aws_route_table.a_private")
        local = [r for r in table.routes if r.kind == "local"]
        extra = [
            Route(IPv4Network((0x0B000000 + (k << 8), 24)), "pcx", "peering") for k in range(total)
        ]
        b.put(replace(table, routes=(*local, *extra)))

    return recheck(rule_id, base, change)


def _mesh(n: int, density: str = "full") -> dict[str, object]:
    names = [f"v{k}" for k in range(n)]
    vpcs = {name: vpc(cidr=f"10.{k}.0.0/16", azs=["us-east-1a"]) for k, name in enumerate(names)}
    if density == "full":
        links = [{"peers": [x, y]} for x, y in combinations(names, 2)]
    else:  # a star: hub v0 and spokes
        links = [{"peers": ["v0", y]} for y in names[1:]]
    return doc(vpcs, connections=links)


E501 = [
    Case("126 peerings on one VPC", lambda: _peerings("VW-E501", 125), 1, "at most 125", "vpcs.a"),
    Case("125 peerings", lambda: _peerings("VW-E501", 124), 0),
]
W502 = [
    Case(
        "51 peerings on one VPC",
        lambda: _peerings("VW-W502", 50),
        1,
        "default quota of 50",
        "vpcs.a",
    ),
    Case("126 peerings are VW-E501's", lambda: _peerings("VW-W502", 125), 0),
    Case("50 peerings", lambda: _peerings("VW-W502", 49), 0),
]
W503 = [
    Case("51 routes", lambda: _routes("VW-W503", 51), 1, "default quota of 50", "vpcs.a"),
    Case("1,001 routes are VW-E504's", lambda: _routes("VW-W503", 1001), 0),
    Case("50 routes", lambda: _routes("VW-W503", 50), 0),
]
E504 = [
    Case("1,001 routes", lambda: _routes("VW-E504", 1001), 1, "at most 1000"),
    Case("1,000 routes", lambda: _routes("VW-E504", 1000), 0),
]
I505 = [
    Case("six VPCs any-to-any", _mesh(6), 1, "15 peerings of 15", "connections[0]"),
    Case("five VPCs any-to-any", _mesh(5), 0),
    Case("six VPCs in a star", _mesh(6, "star"), 0),
]


@pytest.mark.parametrize("case", E501, ids=lambda c: c.name)
def test_vw_e501_peering_quota_exceeded(case: Case) -> None:
    case.check("VW-E501")


@pytest.mark.parametrize("case", W502, ids=lambda c: c.name)
def test_vw_w502_peering_quota_default(case: Case) -> None:
    case.check("VW-W502")


@pytest.mark.parametrize("case", W503, ids=lambda c: c.name)
def test_vw_w503_route_quota_default(case: Case) -> None:
    case.check("VW-W503")


@pytest.mark.parametrize("case", E504, ids=lambda c: c.name)
def test_vw_e504_route_quota_exceeded(case: Case) -> None:
    case.check("VW-E504")


@pytest.mark.parametrize("case", I505, ids=lambda c: c.name)
def test_vw_i505_transit_gateway_advice(case: Case) -> None:
    case.check("VW-I505")
