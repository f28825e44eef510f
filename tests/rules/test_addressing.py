"""Rules of area 1 (addressing): one parametrised test per rule, named cases."""

from __future__ import annotations

import pytest

from tests.rules.helpers import Case, doc, pair, service, vpc

AZ = "us-east-1a"


def _subnets(*cidrs: str, secondary: list[str] | None = None) -> dict[str, object]:
    return doc(
        {
            "a": {
                "region": "us-east-1",
                "cidr": "10.0.0.0/16",
                "secondary_cidrs": secondary or [],
                "subnets": {"private": [{"cidr": c, "az": AZ} for c in cidrs]},
            }
        }
    )


E101 = [
    Case(
        "subnet outside the VPC",
        _subnets("10.9.0.0/24"),
        1,
        "outside VPC a",
        "vpcs.a.subnets.private[0].cidr",
    ),
    Case("subnet inside a secondary block", _subnets("10.9.0.0/24", secondary=["10.9.0.0/16"]), 0),
    Case("subnet inside the primary block", _subnets("10.0.3.0/24"), 0),
]
E102 = [
    Case("a /25 inside a /24", _subnets("10.0.0.0/24", "10.0.0.128/25"), 1, "overlaps 10.0.0.0/24"),
    Case("adjacent subnets", _subnets("10.0.0.0/24", "10.0.1.0/24"), 0),
]
E103 = [
    Case(
        "an AZ of another region",
        doc({"a": vpc(azs=["us-east-1a", "eu-west-1a"])}),
        1,
        "not in VPC a's region",
        "vpcs.a.azs[1]",
    ),
    Case("a Local Zone of the region", doc({"a": vpc(azs=["us-east-1a", "us-east-1-bos-1a"])}), 0),
    Case("AZs of the region", doc({"a": vpc()}), 0),
]
E104 = [
    Case("a /28 for two AZs", doc({"a": vpc(cidr="10.0.0.0/28")}), 1, "for at most 0 AZs"),
    Case("a /16 for two AZs", doc({"a": vpc()}), 0),
]
E105 = [
    Case(
        "consumer in the service's VPC",
        doc(
            {"a": vpc()},
            services={"api": service("a")},
            connections=[{"consumer": "a", "service": "api"}],
        ),
        1,
        "is the VPC service api",
    ),
    Case(
        "a VPC peered with itself",
        doc({"a": vpc()}, connections=[{"peers": ["a", "a"]}]),
        1,
        "cannot peer with itself",
    ),
    Case("consumer in another VPC", pair(), 0),
]


def _targets(*ips: str) -> dict[str, object]:
    data = pair()
    data["services"]["api"]["targets"] = {"ips": list(ips)}
    return data


E107 = [
    Case(
        "an address in no subnet",
        _targets("10.0.200.5"),
        1,
        "in no subnet of VPC provider",
        "services.api.targets.ips[0]",
    ),
    Case("an address AWS reserves", _targets("10.0.0.1"), 1, "reserved by AWS"),
    Case("not an address", _targets("api.internal"), 1, "not an IPv4 address"),
    Case("a workload's address", _targets("10.0.0.20", "10.0.1.20"), 0),
]


@pytest.mark.parametrize("case", E101, ids=lambda c: c.name)
def test_vw_e101_subnet_outside_vpc(case: Case) -> None:
    case.check("VW-E101")


@pytest.mark.parametrize("case", E102, ids=lambda c: c.name)
def test_vw_e102_subnets_overlap(case: Case) -> None:
    case.check("VW-E102")


@pytest.mark.parametrize("case", E103, ids=lambda c: c.name)
def test_vw_e103_az_not_in_region(case: Case) -> None:
    case.check("VW-E103")


@pytest.mark.parametrize("case", E104, ids=lambda c: c.name)
def test_vw_e104_vpc_too_small(case: Case) -> None:
    case.check("VW-E104")


@pytest.mark.parametrize("case", E105, ids=lambda c: c.name)
def test_vw_e105_connection_within_one_vpc(case: Case) -> None:
    case.check("VW-E105")


@pytest.mark.parametrize("case", E107, ids=lambda c: c.name)
def test_vw_e107_target_ip_outside_service_vpc(case: Case) -> None:
    case.check("VW-E107")
