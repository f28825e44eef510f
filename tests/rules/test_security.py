"""Rules of area 4 (security): one parametrised test per rule, named cases."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace
from ipaddress import IPv4Network
from pathlib import Path

import pytest

from tests.estate_helpers import estate
from tests.estate_helpers import planned as planned_with_estate
from tests.rules.helpers import Case, doc, pair, planned, recheck, vpc
from vpcwire.findings import Finding
from vpcwire.network import NetworkBuilder, PortRange, SecurityGroup, SecurityGroupRule


def _principals(principals: list[str], acceptance: bool = False) -> dict[str, object]:
    data = pair()
    data["services"]["api"].update(allowed_principals=principals, acceptance_required=acceptance)
    return data


W401 = [
    Case(
        "'*' and no acceptance",
        _principals(["*"]),
        1,
        "any AWS account",
        "services.api.allowed_principals[0]",
    ),
    Case("'*' with acceptance required", _principals(["*"], acceptance=True), 0),
    Case("named principals", _principals(["arn:aws:iam::111111111111:root"]), 0),
]

ENDPOINT = "aws_vpc_endpoint.consumer_api"


def _endpoint_groups(groups: tuple[str, ...]) -> list:
    base = planned(pair())

    def change(b: NetworkBuilder) -> None:
        b.put(replace(b.get("vpc_endpoint", ENDPOINT), security_groups=groups))

    return recheck("VW-W402", base, change)


W402 = [
    Case(
        "no security group at all",
        lambda: _endpoint_groups(()),
        1,
        "has no security group",
        "connections[0]",
    ),
    Case(
        "the VPC's default group",
        lambda: _endpoint_groups(("aws_default_security_group.consumer",)),
        1,
        "default security group",
    ),
    Case("its own group, as planned", pair(), 0),
]

TARGETS = "aws_security_group.api_targets"


def _extra_rule(spec: dict[str, object], group: str, extra: SecurityGroupRule) -> list:
    base = planned(spec)

    def change(b: NetworkBuilder) -> None:
        sg: SecurityGroup = b.get("security_group", group)
        b.put(replace(sg, ingress=(*sg.ingress, extra)))

    return recheck("VW-W403", base, change)


def _peers(allow: list[dict[str, object]]) -> dict[str, object]:
    return doc(
        {"a": vpc(cidr="10.0.0.0/16", instances=1), "b": vpc(cidr="10.1.0.0/16", instances=1)},
        connections=[{"peers": ["a", "b"], "allow": allow}],
    )


W403 = [
    Case(
        "SSH from anywhere on the targets",
        lambda: _extra_rule(
            pair(), TARGETS, SecurityGroupRule("tcp", PortRange.one(22), IPv4Network("0.0.0.0/0"))
        ),
        1,
        "from anywhere",
        "vpcs.provider",
    ),
    Case(
        "every TCP port from the consumer",
        lambda: _extra_rule(
            pair(), TARGETS, SecurityGroupRule("tcp", None, IPv4Network("10.1.0.0/16"))
        ),
        1,
        "admits every port",
    ),
    Case(
        "every port where the peers allow only 5432",
        lambda: _extra_rule(
            _peers([{"protocol": "tcp", "ports": [5432]}]),
            "aws_security_group.a_workload",
            SecurityGroupRule("all", None, IPv4Network("10.1.0.0/16")),
        ),
        1,
    ),
    Case("peers allowing all traffic, as planned", _peers([{"protocol": "all"}]), 0),
    Case("service ports only, as planned", pair(), 0),
]


@pytest.mark.parametrize("case", W401, ids=lambda c: c.name)
def test_vw_w401_open_principal_auto_accept(case: Case) -> None:
    case.check("VW-W401")


@pytest.mark.parametrize("case", W402, ids=lambda c: c.name)
def test_vw_w402_endpoint_without_own_security_group(case: Case) -> None:
    case.check("VW-W402")


@pytest.mark.parametrize("case", W403, ids=lambda c: c.name)
def test_vw_w403_security_group_rule_too_wide(case: Case) -> None:
    case.check("VW-W403")


def _existing(admits: str, via: str = "auto", mode: str = "report") -> Callable[[], list[Finding]]:
    """An estate's API host whose own group admits tcp/8080 from ``admits`` only
    (tests/estate_helpers.py), consumed by the estate's client VPC."""

    def run() -> list[Finding]:
        the_estate = estate(admits=admits)
        return list(planned_with_estate(Path.cwd(), the_estate, via=via, mode=mode).findings)

    return run


W405 = [
    Case(
        "PrivateLink: the host admits the consumer, not the NLB's subnets",
        _existing("10.20.0.0/16"),
        2,  # one per NLB subnet (us-east-1a, us-east-1b)
        "bf-api (sg-a) of bf-api-host admits tcp/8080 only from 10.20.0.0/16",
        "connections[0]",
    ),
    Case("PrivateLink: the host admits 10.0.0.0/8", _existing("10.0.0.0/8"), 0),
    Case("peering: the host admits the consumer's block", _existing("10.20.0.0/16", "peering"), 0),
    Case(
        "peering: the host admits another block",
        _existing("192.168.0.0/16", "peering"),
        1,
        "needs it from 10.20.0.0/16",
    ),
    Case(
        "PrivateLink with add_rules: opened by the plan",
        _existing("10.20.0.0/16", mode="add_rules"),
        0,
    ),
]


@pytest.mark.parametrize("case", W405, ids=lambda c: c.name)
def test_vw_w405_existing_group_blocks(case: Case) -> None:
    case.check("VW-W405")
