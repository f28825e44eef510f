"""Intents derived from specs, and what verify says when the network breaks them."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import pytest

from tests.conftest import EXAMPLES
from tests.helpers import BASE, load
from vpcwire.network import Network, NetworkBuilder
from vpcwire.pipeline import plan
from vpcwire.plan.plan import Plan
from vpcwire.spec.load import load_spec
from vpcwire.verify.intents import derive_intents, evaluate
from vpcwire.verify.trace import Disposition

NAMES = sorted(p.stem for p in EXAMPLES.glob("*.yaml"))


def example(name: str) -> Plan:
    return plan(load_spec(EXAMPLES / f"{name}.yaml"))


@pytest.mark.parametrize("name", NAMES)
def test_every_intent_of_every_example_holds_on_the_plan(name: str) -> None:
    p = example(name)
    verdicts = evaluate(p.network, derive_intents(p))
    assert verdicts and all(v.ok for v in verdicts), [v.intent.key for v in verdicts if not v.ok]
    kinds = {v.intent.expect for v in verdicts}
    assert kinds == {"reachable", "unreachable"} or name == "peering"


def test_privatelink_intents_cover_one_way_other_ports_and_other_hosts() -> None:
    keys = [i.key for i in derive_intents(example("privatelink"))]
    assert keys == [
        "connections[0]: consumer_client_1 -> consumer_api tcp/8080",
        "connections[0]: consumer_client_1 -/-> consumer_api tcp/22",
        "connections[0]: consumer_client_1 -/-> api_1 tcp/8080",
        "connections[0]: api_1 -/-> consumer_client_1 tcp/8080",
        "connections[0]: consumer_client_1 -/-> api_2 tcp/8080",
        "connections[0]: api_2 -/-> consumer_client_1 tcp/8080",
    ]


def test_unconnected_vpcs_stay_isolated(tmp_path: Path) -> None:
    text = (
        BASE
        + "  c:\n    region: us-east-1\n    cidr: 10.2.0.0/16\n    azs: [us-east-1a]\n    instances: 1\n"
    )
    text += "connections:\n  - peers: [a, b]\n"
    p = plan(load(tmp_path, text))
    isolation = [i for i in derive_intents(p) if i.connection is None]
    assert {i.key for i in isolation} == {
        "isolation: a_client_1 -/-> c_client_1 tcp/22",
        "isolation: c_client_1 -/-> a_client_1 tcp/22",
        "isolation: b_client_1 -/-> c_client_1 tcp/22",
        "isolation: c_client_1 -/-> b_client_1 tcp/22",
    }
    assert all(v.ok for v in evaluate(p.network, isolation))


def _without_route(net: Network, table: str, target: str) -> Network:
    b = NetworkBuilder(net)
    rt = net.route_tables[table]
    b.put(replace(rt, routes=tuple(r for r in rt.routes if r.target != target)))
    return b.build()


def test_removing_a_route_fails_with_the_route_and_the_fix() -> None:
    p = example("inter-region-privatelink")
    broken = _without_route(
        p.network,
        "aws_route_table.provider_private",
        "aws_vpc_peering_connection.provider_outpost_us_west_2",
    )
    verdicts = evaluate(broken, derive_intents(p))
    failed = [v for v in verdicts if not v.ok]
    assert [v.intent.key for v in failed] == [
        "connections[0]: consumer_client_1 -> consumer_api tcp/8080"
    ]
    trace = failed[0].trace
    assert trace.disposition is Disposition.UNREACHABLE
    assert "NO_RETURN_ROUTE" in {str(r) for r in trace.reasons}
    text = str(trace)
    assert (
        "add a route to 10.255.0.0/24 via aws_vpc_peering_connection.provider_outpost_us_west_2"
        in text
    )
    assert "aws_route_table.provider_private" in text


def test_removing_an_sg_rule_fails_with_the_group_and_the_fix() -> None:
    p = example("privatelink")
    b = NetworkBuilder(p.network)
    sg = p.network.security_groups["aws_security_group.consumer_api_endpoint"]
    b.put(replace(sg, ingress=()))
    verdicts = evaluate(b.build(), derive_intents(p))
    failed = [v for v in verdicts if not v.ok]
    assert [v.intent.key for v in failed] == [
        "connections[0]: consumer_client_1 -> consumer_api tcp/8080"
    ]
    blocks = failed[0].trace.blocks
    assert {(str(x.reason), x.resource) for x in blocks} == {
        ("SG_INGRESS_DENIED", "aws_security_group.consumer_api_endpoint")
    }
    assert "allow tcp/8080 from" in blocks[0].fix


def test_an_opened_path_that_should_be_closed_fails() -> None:
    p = example("privatelink")
    b = NetworkBuilder(p.network)
    sg = p.network.security_groups["aws_security_group.consumer_api_endpoint"]
    from ipaddress import IPv4Network

    from vpcwire.network import SecurityGroupRule

    b.put(
        replace(sg, ingress=(*sg.ingress, SecurityGroupRule("all", None, IPv4Network("0.0.0.0/0"))))
    )
    wl = p.network.security_groups["aws_security_group.consumer_workload"]
    b.put(
        replace(wl, egress=(*wl.egress, SecurityGroupRule("all", None, IPv4Network("0.0.0.0/0"))))
    )
    verdicts = evaluate(b.build(), derive_intents(p))
    # the endpoint still carries only the listener's port: the extra rules open nothing more
    still_closed = [v for v in verdicts if v.intent.key.endswith("-/-> consumer_api tcp/22")]
    assert still_closed[0].ok and {str(r) for r in still_closed[0].trace.reasons} == {"NO_LISTENER"}


def test_a_nat_vpc_promises_internet_egress_and_verify_catches_its_loss(tmp_path: Path) -> None:
    text = BASE.replace(
        "azs: [us-east-1a, us-east-1b]\n  b:",
        "azs: [us-east-1a, us-east-1b]\n    nat: true\n    instances: 2\n  b:",
    )
    p = plan(load(tmp_path, text))
    egress = [i for i in derive_intents(p) if i.key.startswith("egress:")]
    assert egress and all(i.flow.destination == "internet" for i in egress)
    assert {i.flow.source for i in egress} == {
        n.name for n in p.network.instances.values() if n.vpc == "aws_vpc.a"
    }
    assert all(v.ok for v in evaluate(p.network, egress))
    broken = _without_route(p.network, "aws_route_table.a_public", "aws_internet_gateway.a")
    failed = [v for v in evaluate(broken, egress) if not v.ok]
    assert failed and {str(r) for v in failed for r in v.trace.reasons} == {"NAT_NO_INTERNET"}
