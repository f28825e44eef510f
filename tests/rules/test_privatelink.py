"""Rules of area 3 (PrivateLink): one parametrised test per rule, named cases."""

from __future__ import annotations

from dataclasses import replace

import pytest

from tests.rules.helpers import Case, doc, pair, planned, recheck, service, vpc
from vpcwire.network import Listener, NetworkBuilder

MANY = list(range(8000, 8051))  # 51 ports: one more than PrivateLink's NLB listeners


def _many_ports(**conn: object) -> dict[str, object]:
    data = pair(**conn)
    data["services"]["api"] = {"vpc": "provider", "ports": MANY, "targets": {"instances": 1}}
    return data


def _overlapping(data: dict[str, object]) -> dict[str, object]:
    data["vpcs"]["consumer"]["cidr"] = "10.0.0.0/16"  # type: ignore[index]
    return data


E301 = [
    Case(
        "peers via privatelink",
        doc(
            {"a": vpc(), "b": vpc(cidr="10.1.0.0/16")},
            connections=[{"peers": ["a", "b"], "via": "privatelink"}],
        ),
        1,
        "two-way",
    ),
    Case("outpost within one region", pair(via="outpost"), 1, "crosses regions"),
    Case(
        "same-region PrivateLink to another region",
        pair("us-west-2", via="privatelink"),
        1,
        "without crossing regions",
    ),
    Case("51 ports via privatelink", _many_ports(via="privatelink"), 1, "51 ports"),
    Case("51 ports and overlapping CIDRs", _overlapping(_many_ports()), 1, "ruled out"),
    Case("51 ports, auto: peering carries them", _many_ports(), 0),
    Case("a possible request", pair(via="privatelink"), 0),
]
E302 = [
    Case(
        "peers via privatelink allowing ICMP",
        doc(
            {"a": vpc(), "b": vpc(cidr="10.1.0.0/16")},
            connections=[
                {
                    "peers": ["a", "b"],
                    "via": "privatelink",
                    "allow": [{"protocol": "tcp", "ports": [22]}, {"protocol": "icmp"}],
                }
            ],
        ),
        1,
        "ICMP",
        "connections[0].allow[1].protocol",
    ),
    Case(
        "peers via native allowing everything",
        doc(
            {"a": vpc(), "b": vpc("us-west-2", "10.1.0.0/16")},
            connections=[{"peers": ["a", "b"], "via": "native"}],
        ),
        1,
        "ICMP included",
    ),
    Case(
        "TCP only via privatelink",
        doc(
            {"a": vpc(), "b": vpc(cidr="10.1.0.0/16")},
            connections=[
                {
                    "peers": ["a", "b"],
                    "via": "privatelink",
                    "allow": [{"protocol": "tcp", "ports": [22]}],
                }
            ],
        ),
        0,
    ),
    Case(
        "ICMP over a peering",
        doc(
            {"a": vpc(), "b": vpc(cidr="10.1.0.0/16")},
            connections=[{"peers": ["a", "b"], "allow": [{"protocol": "icmp"}]}],
        ),
        0,
    ),
]


def _azs(provider: list[str], consumer: list[str], **accounts: object) -> dict[str, object]:
    data = pair()
    data["vpcs"]["provider"]["azs"] = provider
    data["vpcs"]["consumer"]["azs"] = consumer
    if accounts:
        data["accounts"] = accounts
        data["vpcs"]["provider"]["account"] = "p"
        data["vpcs"]["consumer"]["account"] = "c"
    return data


E303 = [
    Case(
        "consumer AZ the NLB lacks",
        _azs(["us-east-1a"], ["us-east-1b"]),
        1,
        "only in us-east-1a",
        "vpcs.consumer.azs[0]",
    ),
    Case(
        "same name, different AZ ids across accounts",
        _azs(
            ["us-east-1a"],
            ["us-east-1a"],
            p={"id": "111111111111", "az_ids": {"us-east-1a": "use1-az1"}},
            c={"id": "222222222222", "az_ids": {"us-east-1a": "use1-az2"}},
        ),
        1,
        "use1-az2",
    ),
    Case(
        "different names, same AZ id across accounts",
        _azs(
            ["us-east-1a"],
            ["us-east-1b"],
            p={"id": "111111111111", "az_ids": {"us-east-1a": "use1-az1"}},
            c={"id": "222222222222", "az_ids": {"us-east-1b": "use1-az1"}},
        ),
        0,
    ),
    Case("consumer AZs covered", pair(), 0),
    Case("native cross-region needs no shared AZs", pair("us-west-2"), 0),
]


def _public_provider(via: str, **targets: object) -> dict[str, object]:
    data = pair("us-west-2", via=via)
    data["vpcs"]["provider"]["cidr"] = "198.51.100.0/24"
    data["services"]["api"]["targets"] = targets or {"instances": 1}
    return data


E304 = [
    Case(
        "outpost targets in a public block",
        _public_provider("outpost"),
        1,
        "outside RFC 1918",
        "vpcs.provider.cidr",
    ),
    Case(
        "outpost to an external public target",
        _public_provider("outpost", ips=["198.51.100.20"]),
        1,
        "198.51.100.20",
        "services.api.targets.ips[0]",
    ),
    Case("outpost targets in RFC 1918", pair("us-west-2", via="outpost"), 0),
    Case(
        "outpost targets in 100.64.0.0/10",
        {
            **pair("us-west-2", via="outpost"),
            "vpcs": {
                "provider": vpc("us-east-1", "100.64.0.0/16"),
                "consumer": vpc("us-west-2", "10.1.0.0/16"),
            },
        },
        0,
    ),
    Case("native keeps targets inside the VPC", _public_provider("native"), 0),
]
I305 = [
    Case(
        "cross-account, AZ ids unknown",
        _azs(["us-east-1a"], ["us-east-1a"], p={"id": "111111111111"}, c={"id": "222222222222"}),
        1,
        "paired by AZ name",
        "accounts.c.az_ids",
    ),
    Case(
        "cross-account with AZ ids",
        _azs(
            ["us-east-1a"],
            ["us-east-1b"],
            p={"id": "111111111111", "az_ids": {"us-east-1a": "use1-az1"}},
            c={"id": "222222222222", "az_ids": {"us-east-1b": "use1-az1"}},
        ),
        0,
    ),
    Case("one account", pair(), 0),
]


def _udp_service(protocol: str = "udp") -> dict[str, object]:
    data = pair()
    data["services"]["api"] = service("provider", 5353, protocol=protocol)
    return data


def _listener_became(protocol: str, service_protocol: str = "udp") -> list:
    base = planned(_udp_service(service_protocol))

    def change(b: NetworkBuilder) -> None:
        lst: Listener = b.get("listener", "aws_lb_listener.api_5353")
        b.put(replace(lst, protocol=protocol))

    return recheck("VW-E306", base, change)


def _listener_gone() -> list:
    base = planned(_udp_service())
    return recheck("VW-E306", base, lambda b: b._store["listeners"].clear())


E306 = [
    Case(
        "UDP service behind a TCP listener",
        lambda: _listener_became("TCP"),
        1,
        "which cannot carry it",
        "services.api.protocol",
    ),
    Case("TCP_UDP service behind a UDP listener", lambda: _listener_became("UDP", "tcp_udp"), 1),
    Case("no listener on the port", _listener_gone, 1, "no listener on port 5353"),
    Case("TCP service behind a TLS listener", lambda: _listener_became("TLS", "tcp"), 0),
    Case("UDP as planned", _udp_service(), 0),
]


@pytest.mark.parametrize("case", E301, ids=lambda c: c.name)
def test_vw_e301_mechanism_impossible(case: Case) -> None:
    case.check("VW-E301")


@pytest.mark.parametrize("case", E302, ids=lambda c: c.name)
def test_vw_e302_privatelink_icmp(case: Case) -> None:
    case.check("VW-E302")


@pytest.mark.parametrize("case", E303, ids=lambda c: c.name)
def test_vw_e303_endpoint_az_not_covered(case: Case) -> None:
    case.check("VW-E303")


@pytest.mark.parametrize("case", E304, ids=lambda c: c.name)
def test_vw_e304_outpost_target_not_private(case: Case) -> None:
    case.check("VW-E304")


@pytest.mark.parametrize("case", I305, ids=lambda c: c.name)
def test_vw_i305_cross_account_az_ids_unknown(case: Case) -> None:
    case.check("VW-I305")


@pytest.mark.parametrize("case", E306, ids=lambda c: c.name)
def test_vw_e306_listener_protocol_mismatch(case: Case) -> None:
    case.check("VW-E306")
