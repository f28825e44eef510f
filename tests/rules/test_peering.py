"""Rules of area 2 (peering): one parametrised test per rule, named cases."""

from __future__ import annotations

from dataclasses import replace

import pytest

from tests.rules.helpers import Case, doc, pair, planned, recheck, service, vpc
from vpcwire.network import NetworkBuilder, PeeringConnection

TWO = {"a": vpc(cidr="10.0.0.0/16"), "b": vpc(cidr="10.1.0.0/16")}
THREE = {**TWO, "c": vpc(cidr="10.2.0.0/16")}

E201 = [
    Case(
        "primary blocks overlap",
        doc(
            {"a": vpc(cidr="10.0.0.0/16"), "b": vpc(cidr="10.0.0.0/16")},
            connections=[{"peers": ["a", "b"]}],
        ),
        1,
        "overlap",
        "connections[0].peers",
    ),
    Case(
        "a secondary block overlaps",
        doc(
            {
                "a": vpc(cidr="10.0.0.0/16"),
                "b": vpc(cidr="10.1.0.0/16", secondary_cidrs=["10.0.128.0/17"]),
            },
            connections=[{"peers": ["a", "b"]}],
        ),
        1,
        "10.0.128.0/17",
    ),
    Case(
        "service via peering over overlapping blocks",
        {
            **pair(via="peering"),
            "vpcs": {"provider": vpc(cidr="10.0.0.0/16"), "consumer": vpc(cidr="10.0.0.0/16")},
        },
        1,
    ),
    Case(
        "outpost_cidr inside the provider VPC",
        pair("us-west-2", via="outpost", outpost_cidr="10.0.250.0/24"),
        1,
        "overlaps provider",
        "connections[0].outpost_cidr",
    ),
    Case("distinct blocks", doc(TWO, connections=[{"peers": ["a", "b"]}]), 0),
    Case(
        "overlap over PrivateLink is fine",
        {
            **pair(),
            "vpcs": {"provider": vpc(cidr="10.0.0.0/16"), "consumer": vpc(cidr="10.0.0.0/16")},
        },
        0,
    ),
]
E202 = [
    Case(
        "the same pair twice",
        doc(TWO, connections=[{"peers": ["a", "b"]}, {"peers": ["a", "b"]}]),
        1,
        "already peered by connections[0]",
        "connections[1].peers",
    ),
    Case(
        "the same pair in the other order",
        doc(TWO, connections=[{"peers": ["a", "b"]}, {"peers": ["b", "a"]}]),
        1,
    ),
    Case(
        "peers and a service over the same peering",
        doc(
            TWO,
            services={"api": service("b")},
            connections=[
                {"peers": ["a", "b"]},
                {"consumer": "a", "service": "api", "via": "peering"},
            ],
        ),
        0,
    ),
]
CHAIN = [{"peers": ["a", "b"]}, {"peers": ["b", "c"]}]
E203 = [
    Case(
        "a-b and b-c peered, a expected to reach c",
        doc(THREE, connections=CHAIN, expect=[{"from": "a", "to": "c"}]),
        1,
        "only through a - b - c",
        "expect[0]",
    ),
    Case(
        "expected reach with no connection at all",
        doc(THREE, connections=CHAIN[:1], expect=[{"from": "a", "to": "c"}]),
        1,
        "no connection links a and c",
    ),
    Case(
        "expected reach given by a direct peering",
        doc(THREE, connections=CHAIN, expect=[{"from": "a", "to": "b"}, {"from": "c", "to": "b"}]),
        0,
    ),
    Case(
        "two Transit Gateway segments sharing b, a expected to reach c",
        doc(
            THREE,
            connections=[{**c, "via": "transit-gateway"} for c in CHAIN],
            expect=[{"from": "a", "to": "c"}],
        ),
        1,
        "different Transit Gateway segments (connections[0], connections[1])",
    ),
    Case(
        "one Transit Gateway segment of three, a expected to reach c",
        doc(
            THREE,
            connections=[{"peers": ["a", "b", "c"], "via": "transit-gateway"}],
            expect=[{"from": "a", "to": "c"}],
        ),
        0,
    ),
    Case(
        "expected reach of a service in the other VPC",
        doc(
            THREE,
            services={"db": service("c")},
            connections=[*CHAIN, {"consumer": "a", "service": "db"}],
            expect=[{"from": "a", "to": "db"}, {"from": "a", "to": "c"}],
        ),
        0,
    ),
]


def _inter_region_peers(**extra: object) -> dict[str, object]:
    return doc(
        {"a": vpc("us-east-1", "10.0.0.0/16"), "b": vpc("us-west-2", "10.1.0.0/16")},
        connections=[{"peers": ["a", "b"], **extra}],
    )


def _dns_off_on_side(requester: bool) -> list:
    base = planned(_inter_region_peers())

    def change(b: NetworkBuilder) -> None:
        pcx: PeeringConnection = next(iter(b.all("peering")))
        b.put(
            replace(
                pcx, requester_allows_remote_dns=not requester, accepter_allows_remote_dns=requester
            )
        )

    return recheck("VW-W204", base, change)


def _hostnames_off() -> list:
    base = planned(pair(via="peering", private_dns=True))

    def change(b: NetworkBuilder) -> None:
        vpc_ = b.get("vpc", "aws_vpc.provider")
        b.put(replace(vpc_, dns_hostnames=False))

    return recheck("VW-W204", base, change)


def _no_need() -> list:
    base = planned(_inter_region_peers(dns_resolution=False))
    return recheck("VW-W204", base, lambda b: None)


W204 = [
    Case(
        "inter-region peering, requester side off",
        lambda: _dns_off_on_side(True),
        1,
        "inter-region peering",
        "connections[0].dns_resolution",
    ),
    Case(
        "inter-region peering, accepter side off",
        lambda: _dns_off_on_side(False),
        1,
        "does not allow DNS resolution",
    ),
    Case(
        "provider without DNS hostnames, service via peering",
        _hostnames_off,
        1,
        "DNS hostnames off",
        "connections[0].private_dns",
    ),
    Case("as planned: both sides allow it", _inter_region_peers(), 0),
    Case("names not needed", _no_need, 0),
]


@pytest.mark.parametrize("case", E201, ids=lambda c: c.name)
def test_vw_e201_peering_cidr_overlap(case: Case) -> None:
    case.check("VW-E201")


@pytest.mark.parametrize("case", E202, ids=lambda c: c.name)
def test_vw_e202_duplicate_peering(case: Case) -> None:
    case.check("VW-E202")


@pytest.mark.parametrize("case", E203, ids=lambda c: c.name)
def test_vw_e203_transitive_expectation(case: Case) -> None:
    case.check("VW-E203")


@pytest.mark.parametrize("case", W204, ids=lambda c: c.name)
def test_vw_w204_peering_dns_disabled(case: Case) -> None:
    case.check("VW-W204")
