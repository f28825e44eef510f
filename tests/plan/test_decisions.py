"""Every mechanism decision of the planner, with its reasons and rejected alternatives."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.helpers import BASE, load, problems_of
from vpcwire.pipeline import plan
from vpcwire.plan.plan import Decision

SERVICE = """
services:
  api:
    vpc: a
    port: 8080
"""


def decide(tmp_path: Path, text: str) -> Decision:
    return plan(load(tmp_path, text)).decisions[0]


def codes(d: Decision) -> list[str]:
    return [r.code for r in d.reasons]


def rejected(d: Decision) -> dict[str, str]:
    return {a.mechanism: a.why_not for a in d.rejected}


def test_peers_get_peering_because_two_way(tmp_path: Path) -> None:
    d = decide(tmp_path, BASE + "connections:\n  - peers: [a, b]\n")
    assert d.mechanism == "peering"
    assert codes(d) == ["two-way", "non-tcp-udp", "many-ports"]
    assert "one-way only" in rejected(d)["privatelink"]
    assert d.resources == ("aws_vpc_peering_connection.a_b",)


def test_peers_on_two_tcp_ports_only_say_two_way(tmp_path: Path) -> None:
    d = decide(
        tmp_path,
        BASE + "connections:\n  - peers: [a, b]\n    allow: [{protocol: tcp, ports: [22, 443]}]\n",
    )
    assert codes(d) == ["two-way"]


def test_peers_across_regions_and_accounts_say_so(tmp_path: Path) -> None:
    text = BASE.replace(
        '  main: {id: "111111111111"}',
        '  main: {id: "111111111111"}\n  other: {id: "222222222222"}',
    )
    text = text.replace(
        "    region: us-east-1\n    cidr: 10.0.0.0/16",
        "    account: main\n    region: us-east-1\n    cidr: 10.0.0.0/16",
    )
    text = text.replace(
        "    region: us-east-1\n    cidr: 10.1.0.0/16\n    azs: [us-east-1a, us-east-1b]",
        "    account: other\n    region: us-west-2\n    cidr: 10.1.0.0/16\n    azs: [us-west-2a]",
    )
    d = decide(
        tmp_path,
        text + "connections:\n  - peers: [a, b]\n    allow: [{protocol: tcp, ports: [22]}]\n",
    )
    assert codes(d) == ["two-way", "inter-region-peering", "cross-account-peering"]


def test_same_region_service_gets_privatelink(tmp_path: Path) -> None:
    d = decide(tmp_path, BASE + SERVICE + "connections:\n  - {consumer: b, service: api}\n")
    assert d.mechanism == "privatelink"
    assert codes(d) == ["one-way"]
    assert "full network reach" in rejected(d)["peering"]
    assert "only for crossing regions" in rejected(d)["native"]


def test_overlapping_cidrs_make_peering_impossible(tmp_path: Path) -> None:
    text = (
        BASE.replace("10.1.0.0/16", "10.0.0.0/16")
        + SERVICE
        + "connections:\n  - {consumer: b, service: api}\n"
    )
    d = decide(tmp_path, text)
    assert d.mechanism == "privatelink" and "cidr-overlap" in codes(d)
    assert rejected(d)["peering"] == "impossible: the CIDRs overlap"


def test_cross_account_consumer_reason(tmp_path: Path) -> None:
    text = BASE.replace(
        '  main: {id: "111111111111"}',
        '  main: {id: "111111111111"}\n  other: {id: "222222222222"}',
    )
    text = text.replace("  a:\n    region", "  a:\n    account: main\n    region").replace(
        "  b:\n    region", "  b:\n    account: other\n    region"
    )
    d = decide(tmp_path, text + SERVICE + "connections:\n  - {consumer: b, service: api}\n")
    assert d.mechanism == "privatelink" and "cross-account" in codes(d)


def test_many_consumers_reason(tmp_path: Path) -> None:
    text = (
        BASE
        + "  c:\n    region: us-east-1\n    cidr: 10.2.0.0/16\n    azs: [us-east-1a]\n"
        + SERVICE
    )
    text += "connections:\n  - {consumer: b, service: api}\n  - {consumer: c, service: api}\n"
    d = decide(tmp_path, text)
    assert "many-consumers" in codes(d)


CROSS = BASE.replace(
    "    region: us-east-1\n    cidr: 10.1.0.0/16\n    azs: [us-east-1a, us-east-1b]",
    "    region: us-west-2\n    cidr: 10.1.0.0/16\n    azs: [us-west-2a, us-west-2b]",
)


def test_other_region_defaults_to_native(tmp_path: Path) -> None:
    d = decide(tmp_path, CROSS + SERVICE + "connections:\n  - {consumer: b, service: api}\n")
    assert d.mechanism == "native"
    assert codes(d) == ["one-way", "cross-region"]
    assert "extra VPC" in rejected(d)["outpost"]


def test_custom_idle_timeout_sends_cross_region_to_the_outpost(tmp_path: Path) -> None:
    text = (
        CROSS + SERVICE + "    idle_timeout: 600\nconnections:\n  - {consumer: b, service: api}\n"
    )
    d = decide(tmp_path, text)
    assert d.mechanism == "outpost" and "native-limits" in codes(d)
    assert "idle timeout" in rejected(d)["native"]


def test_requested_outpost_is_honoured_and_says_what_it_overrode(tmp_path: Path) -> None:
    d = decide(
        tmp_path, CROSS + SERVICE + "connections:\n  - {consumer: b, service: api, via: outpost}\n"
    )
    assert d.mechanism == "outpost" and codes(d) == ["requested", "one-way", "outpost"]
    assert "set aside because via: outpost was requested" in rejected(d)["native"]


def test_requested_peering_for_a_service(tmp_path: Path) -> None:
    d = decide(
        tmp_path, BASE + SERVICE + "connections:\n  - {consumer: b, service: api, via: peering}\n"
    )
    assert d.mechanism == "peering" and codes(d)[0] == "requested"
    assert d.resources == ("aws_vpc_peering_connection.b_a",)


@pytest.mark.parametrize(
    ("case", "text", "needle"),
    [
        (
            "privatelink across regions",
            CROSS + SERVICE + "connections:\n  - {consumer: b, service: api, via: privatelink}\n",
            "use via: native",
        ),
        (
            "native in one region",
            BASE + SERVICE + "connections:\n  - {consumer: b, service: api, via: native}\n",
            "use via: privatelink",
        ),
        (
            "peers over privatelink",
            BASE + "connections:\n  - {peers: [a, b], via: privatelink}\n",
            "two-way network access",
        ),
        (
            "consumer in the service's VPC",
            BASE + SERVICE + "connections:\n  - {consumer: a, service: api}\n",
            "the VPC service api runs in",
        ),
        (
            "the same pair peered twice",
            BASE + "connections:\n  - peers: [a, b]\n  - peers: [b, a]\n",
            "already peered",
        ),
    ],
)
def test_impossible_designs_are_rejected_with_a_reason(
    tmp_path: Path, case: str, text: str, needle: str
) -> None:
    problems = problems_of(tmp_path, text, plan=True)
    assert any(needle in (p.message + p.hint) for p in problems), (case, [str(p) for p in problems])
