"""Rules of area 8 (Transit Gateway plans): one parametrised test per rule, named cases.

The expected counts follow AWS's documented behaviour, written before running the rules:
a TGW route table routes by destination CIDR (overlaps within what one table holds are
unroutable), a VPC route table takes one route per destination, and the quotas on
https://docs.aws.amazon.com/vpc/latest/tgw/transit-gateway-quotas.html."""

from __future__ import annotations

from dataclasses import replace
from ipaddress import IPv4Network

import pytest

from tests.rules.helpers import Case, doc, planned, recheck, vpc
from vpcwire.network import NetworkBuilder, TgwAttachment, TgwRoute, TgwRouteTable, TransitGateway


def _vpcs(n: int, region: str = "us-east-1") -> dict[str, object]:
    return {f"v{i}": vpc(region, f"10.{i}.0.0/16", azs=[f"{region}a"]) for i in range(n)}


def _tgw(*groups: list[str], vpcs: dict[str, object] | None = None) -> dict[str, object]:
    return doc(
        vpcs or _vpcs(4),
        connections=[{"peers": g, "via": "transit-gateway"} for g in groups],
    )


OVERLAPPING = {
    "shared": vpc(cidr="10.0.0.0/16", azs=["us-east-1a"]),
    "prod": vpc(cidr="10.1.0.0/16", azs=["us-east-1a"]),
    "dev": vpc(cidr="10.1.0.0/16", azs=["us-east-1a"]),
    "other": vpc(cidr="10.2.0.0/16", azs=["us-east-1a"]),
}

E850 = [
    Case("disjoint segments", _tgw(["v0", "v1"], ["v2", "v3"]), 0),
    Case(
        "overlap inside one segment",
        doc(
            OVERLAPPING,
            connections=[{"peers": ["shared", "prod", "dev"], "via": "transit-gateway"}],
        ),
        1,
        says="they are in one segment",
        path="connections[0].peers",
    ),
    Case(
        "overlap across two segments that share a VPC",
        doc(
            OVERLAPPING,
            connections=[
                {"peers": ["shared", "prod"], "via": "transit-gateway"},
                {"peers": ["shared", "dev"], "via": "transit-gateway"},
            ],
        ),
        1,
        says="reached from shared",
        path="connections[1].peers",
    ),
    Case(
        "overlap across two segments that share nothing",
        doc(
            OVERLAPPING,
            connections=[
                {"peers": ["shared", "prod"], "via": "transit-gateway"},
                {"peers": ["other", "dev"], "via": "transit-gateway"},
            ],
        ),
        0,
    ),
]

E851 = [
    Case("one way each", _tgw(["v0", "v1", "v2"]), 0),
    Case(
        "a pair peered and on a TGW",
        doc(
            _vpcs(3),
            connections=[
                {"peers": ["v0", "v1", "v2"], "via": "transit-gateway"},
                {"peers": ["v0", "v1"], "via": "peering"},
            ],
        ),
        1,
        says="v0 and v1 are peered here",
        path="connections[1]",
    ),
]


def _hub_and_spokes(spokes: int) -> dict[str, object]:
    """A hub in one entry with each spoke: every spoke reaches a different set (itself and the
    hub), so each needs a table of its own, and the hub one more."""
    vpcs = {"hub": vpc(cidr="10.255.0.0/16", azs=["us-east-1a"])}
    vpcs |= {f"s{i}": vpc(cidr=f"10.{i}.0.0/24", azs=["us-east-1a"]) for i in range(spokes)}
    return doc(
        vpcs,
        connections=[{"peers": ["hub", f"s{i}"], "via": "transit-gateway"} for i in range(spokes)],
    )


def _with_routes(total: int) -> list:
    """Static routes added until the gateway's tables hold ``total`` routes, the 4 propagated
    ones (two tables, two VPCs propagating into each) included."""
    base = planned(_tgw(["v0", "v1"], ["v2", "v3"]))
    propagated = sum(len(t.propagations) for t in base.network.tgw_route_tables.values())
    assert propagated == 4

    def change(b: NetworkBuilder) -> None:
        table: TgwRouteTable = b.all("tgw_route_table")[0]
        extra = tuple(
            TgwRoute(IPv4Network((0x0B000000 + (k << 8), 24)), table.associations[0])
            for k in range(total - propagated)
        )
        b.put(replace(table, routes=extra))

    return recheck("VW-E852", base, change)


def _with_attachments(per_vpc: int) -> list:
    base = planned(_tgw(["v0", "v1"]))

    def change(b: NetworkBuilder) -> None:
        gateway: TransitGateway = b.all("transit_gateway")[0]
        for k in range(per_vpc - 1):
            b.add(TgwAttachment(f"tgw-attach-{k}", f"x{k}", gateway.id, vpc="aws_vpc.v0"))

    return recheck("VW-E852", base, change)


E852 = [
    # 19 spokes: 19 spoke tables + the hub's = 20, the quota; 20 spokes: 21 tables
    Case("twenty route tables", _hub_and_spokes(19), 0),
    Case("twenty-one route tables", _hub_and_spokes(20), 1, says="needs 21 route tables"),
    Case("10,000 routes", lambda: _with_routes(10_000), 0),
    Case("10,001 routes", lambda: _with_routes(10_001), 1, says="10,001 routes"),
    Case("five attachments on a VPC", lambda: _with_attachments(5), 0),
    Case("six attachments on a VPC", lambda: _with_attachments(6), 1, says="6 Transit Gateway"),
]


@pytest.mark.parametrize("case", E850, ids=lambda c: c.name)
def test_vw_e850_segment_overlap(case: Case) -> None:
    case.check("VW-E850")


@pytest.mark.parametrize("case", E851, ids=lambda c: c.name)
def test_vw_e851_transit_and_peering(case: Case) -> None:
    case.check("VW-E851")


@pytest.mark.parametrize("case", E852, ids=lambda c: c.name)
def test_vw_e852_transit_quotas(case: Case) -> None:
    case.check("VW-E852")
