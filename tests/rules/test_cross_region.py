"""Rules of area 6 (cross-region): one parametrised test per rule, named cases."""

from __future__ import annotations

from dataclasses import replace

import pytest

from tests.rules.helpers import Case, pair, planned, recheck
from vpcwire.network import NetworkBuilder, SecurityGroupRule


def _native(
    consumer_region: str = "us-west-2",
    provider_region: str = "us-east-1",
    via: str = "native",
    **svc: object,
) -> dict[str, object]:
    data = pair(consumer_region, provider_region, via=via)
    data["services"]["api"].update(svc)
    return data


def _with_az_ids(data: dict[str, object], ids: dict[str, str]) -> dict[str, object]:
    data["accounts"] = {"main": {"id": "111111111111", "az_ids": ids}}
    return data


E601 = [
    Case(
        "native with a custom idle timeout",
        _native(idle_timeout=600),
        1,
        "idle timeout",
        "connections[0].via",
    ),
    Case(
        "native with a provider AZ in use1-az3",
        _with_az_ids(_native(), {"us-east-1a": "use1-az3", "us-east-1b": "use1-az6"}),
        1,
        "use1-az3",
    ),
    Case(
        "native from a one-AZ provider",
        {
            **_native(),
            "vpcs": {
                **_native()["vpcs"],
                "provider": {"region": "us-east-1", "cidr": "10.0.0.0/16", "azs": ["us-east-1a"]},
            },
        },
        1,
        "at least two",
    ),
    Case("auto picks the outpost instead", _native(via="auto", idle_timeout=600), 0),
    Case("native where it fits", _native(), 0),
]
W602 = [
    Case(
        "UDP over native",
        _native("eu-west-1", "us-east-2", via="auto", port=514, protocol="udp"),
        1,
        "fragmented UDP",
        "connections[0]",
    ),
    Case("TCP and UDP over native", _native("eu-west-1", "us-east-2", protocol="tcp_udp"), 1),
    Case(
        "UDP over the outpost", _native("eu-west-1", "us-east-2", via="outpost", protocol="udp"), 0
    ),
    Case("TCP over native", _native("eu-west-1", "us-east-2"), 0),
]
I603 = [
    Case(
        "native into us-east-1, AZ ids unknown", _native(), 1, "us-east-1", "accounts.main.az_ids"
    ),
    Case(
        "native with AZ ids given",
        _with_az_ids(
            _native(),
            {
                "us-east-1a": "use1-az1",
                "us-east-1b": "use1-az2",
                "us-west-2a": "usw2-az1",
                "us-west-2b": "usw2-az2",
            },
        ),
        0,
    ),
    Case("native between regions without such AZs", _native("eu-west-1", "us-east-2"), 0),
]


def _reference(consumer_region: str) -> list:
    """Make the targets admit the consumer's workload group by reference."""
    data = pair(consumer_region, via="peering" if consumer_region == "us-east-1" else "auto")
    base = planned(data)

    def change(b: NetworkBuilder) -> None:
        sg = b.get("security_group", "aws_security_group.api_targets")
        ref = SecurityGroupRule(
            "tcp", None, group="111111111111/aws_security_group.consumer_workload"
        )
        b.put(replace(sg, ingress=(*sg.ingress, ref)))

    return recheck("VW-E604", base, change)


E604 = [
    Case(
        "a rule naming a group in another region",
        lambda: _reference("us-west-2"),
        1,
        "cannot cross regions",
        "vpcs.provider",
    ),
    Case("a rule naming a group in the same region", lambda: _reference("us-east-1"), 0),
    Case("as planned across regions", pair("us-west-2", via="outpost"), 0),
]


@pytest.mark.parametrize("case", E601, ids=lambda c: c.name)
def test_vw_e601_native_cross_region_limits(case: Case) -> None:
    case.check("VW-E601")


@pytest.mark.parametrize("case", W602, ids=lambda c: c.name)
def test_vw_w602_native_udp_fragmentation(case: Case) -> None:
    case.check("VW-W602")


@pytest.mark.parametrize("case", I603, ids=lambda c: c.name)
def test_vw_i603_native_az_ids_unknown(case: Case) -> None:
    case.check("VW-I603")


@pytest.mark.parametrize("case", E604, ids=lambda c: c.name)
def test_vw_e604_cross_region_security_group_reference(case: Case) -> None:
    case.check("VW-E604")
