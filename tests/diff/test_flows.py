"""`diff` on flows: the four changes the issue names, exhaustiveness, and the CI gate."""

from __future__ import annotations

import itertools
from dataclasses import replace
from ipaddress import IPv4Network
from pathlib import Path

import pytest
import yaml

from tests.conftest import EXAMPLES
from vpcwire.diff import flow_changes, resource_changes
from vpcwire.network import Network, NetworkBuilder, PortRange, SecurityGroupRule
from vpcwire.pipeline import plan
from vpcwire.plan.plan import Plan
from vpcwire.spec.load import load_spec
from vpcwire.verify.engine import Engine
from vpcwire.verify.flow import Flow
from vpcwire.verify.intents import derive_intents

PEERS_ALLOW = """
name: peers
accounts:
  main: {id: "111111111111"}
vpcs:
  app: {region: us-east-1, cidr: 10.0.0.0/16, azs: [us-east-1a]}
  data: {region: us-east-1, cidr: 10.1.0.0/16, azs: [us-east-1a]}
connections:
  - peers: [app, data]
    allow:
      - {protocol: tcp, ports: [22, 5432]}
"""


def planned(tmp_path: Path, data: dict[str, object], name: str) -> Plan:
    path = tmp_path / f"{name}.yaml"
    path.write_text(yaml.safe_dump(data, sort_keys=False))
    return plan(load_spec(path))


def example_data(name: str) -> dict[str, object]:
    data = yaml.safe_load((EXAMPLES / f"{name}.yaml").read_text())
    assert isinstance(data, dict)
    return data


def lines(old: Plan, new: Plan) -> list[str]:
    return [str(c) for c in flow_changes(old.network, new.network, derive_intents(new)).changes]


def test_peering_added_opens_flows_both_ways_and_fails_the_gate(tmp_path: Path) -> None:
    old = planned(tmp_path, example_data("privatelink"), "old")
    data = example_data("privatelink")
    data["connections"].append({"peers": ["consumer", "provider"]})  # type: ignore[attr-defined]
    new = planned(tmp_path, data, "new")
    result = flow_changes(old.network, new.network, derive_intents(new))
    by_direction = {(c.source_vpc, c.destination): c for c in result.changes}
    assert {c.change for c in result.changes} == {"opened"}
    both_ways = by_direction[("consumer", "provider")], by_direction[("provider", "consumer")]
    for change in both_ways:
        assert change.traffic == "all traffic"
        assert change.via == "via peering consumer_provider"
        assert not change.intended  # every port opens; the intents ask for three
        assert set(change.asked) == {"tcp/22", "udp/53", "icmp/8"}
    # The provider's NLB is reachable over the peering too: a flow nobody asked for.
    assert by_direction[("consumer", "load balancer api")].traffic == "tcp/8080"
    assert result.unintended


def test_privatelink_port_added_opens_one_intended_flow(tmp_path: Path) -> None:
    old = planned(tmp_path, example_data("privatelink"), "old")
    data = example_data("privatelink")
    api = data["services"]["api"]  # type: ignore[index]
    del api["port"]
    api["ports"] = [8080, 8443]
    new = planned(tmp_path, data, "new")
    result = flow_changes(old.network, new.network, derive_intents(new))
    assert [str(c) for c in result.changes] == [
        "consumer (10.1.0.0/16) -> endpoint consumer_api: tcp/8443 opened via PrivateLink (consumer_api)"
    ]
    assert result.changes[0].intended and not result.unintended


def test_security_group_narrowed_closes_flows(tmp_path: Path) -> None:
    old = planned(tmp_path, yaml.safe_load(PEERS_ALLOW), "old")
    data = yaml.safe_load(PEERS_ALLOW)
    data["connections"][0]["allow"] = [{"protocol": "tcp", "ports": [22]}]
    new = planned(tmp_path, data, "new")
    assert lines(old, new) == [
        "app (10.0.0.0/16) -> data (10.1.0.0/16): tcp/5432 closed via peering app_data",
        "data (10.1.0.0/16) -> app (10.0.0.0/16): tcp/5432 closed via peering app_data",
    ]
    changed = {(c.kind, c.change) for c in resource_changes(old.network, new.network)}
    assert changed == {("security_group", "changed")}


def test_noop_refactor_changes_nothing(tmp_path: Path) -> None:
    old = planned(tmp_path, example_data("inter-region-privatelink"), "old")
    data = example_data("inter-region-privatelink")
    # Same design, written differently: VPCs in another order, defaults spelled out.
    data["vpcs"] = dict(reversed(list(data["vpcs"].items())))  # type: ignore[attr-defined]
    data["services"]["api"].update({"protocol": "tcp", "acceptance_required": False})  # type: ignore[index]
    new = planned(tmp_path, data, "new")
    result = flow_changes(old.network, new.network, derive_intents(new))
    assert result.changes == ()
    assert resource_changes(old.network, new.network) == []


def _brute(
    network: Network, sources: list[str], dests: list[str], ports: list[int]
) -> dict[tuple[str, str, str, int], bool]:
    engine = Engine(network)
    out = {}
    for s, d, (proto, port) in itertools.product(
        sources, dests, [(p, n) for p in ("tcp", "udp") for n in ports]
    ):
        out[(s, d, proto, port)] = engine.trace(Flow(s, d, proto, port)).reachable  # type: ignore[arg-type]
    return out


@pytest.mark.parametrize("change", ["peering", "narrowed"])
def test_every_changed_verdict_falls_in_a_reported_class(tmp_path: Path, change: str) -> None:
    """Brute force on the hosts and on ports around every boundary agrees with the classes."""
    if change == "peering":
        old = planned(tmp_path, example_data("privatelink"), "old")
        data = example_data("privatelink")
        data["connections"].append(
            {"peers": ["consumer", "provider"], "allow": [{"protocol": "tcp", "ports": [22, 5432]}]}
        )  # type: ignore[attr-defined]
    else:
        old = planned(tmp_path, yaml.safe_load(PEERS_ALLOW), "old")
        data = yaml.safe_load(PEERS_ALLOW)
        data["connections"][0]["allow"] = [{"protocol": "tcp", "ports": [22]}]
    new = planned(tmp_path, data, "new")
    result = flow_changes(old.network, new.network)
    hosts = sorted(i.name for i in new.network.instances.values())
    dests = hosts + sorted(e.name for e in new.network.endpoints.values())
    ports = [0, 1, 21, 22, 23, 80, 5431, 5432, 5433, 8080, 8443, 49152, 65535]
    before = _brute(old.network, hosts, dests, ports)
    after = _brute(new.network, hosts, dests, ports)
    differing = {k for k in before if before[k] != after[k]}
    assert differing  # the change does something

    def covered(key: tuple[str, str, str, int]) -> bool:
        s, d, proto, port = key
        for c in result.changes:
            if s in c.sources and d in c.destinations:
                ranges = dict(c.ports).get(proto, ())
                if any(port in r for r in ranges):
                    return (c.change == "opened") == after[key]
        return False

    assert [k for k in differing if not covered(k)] == []
    # and every probe inside a reported class really changed, the way reported
    for c in result.changes:
        for proto, ranges in c.ports:
            probed = [
                k
                for k in before
                if k[0] in c.sources
                and k[1] in c.destinations
                and k[2] == proto
                and any(k[3] in r for r in ranges)
            ]
            for key in probed:
                assert after[key] == (c.change == "opened") and before[key] != after[key], key


def test_a_rule_inside_one_vpc_opens_flows_within_it(tmp_path: Path) -> None:
    data = example_data("privatelink")
    data["vpcs"]["consumer"]["instances"] = 2  # type: ignore[index]
    old = planned(tmp_path, data, "old")
    b = NetworkBuilder(old.network)
    sg = next(s for s in old.network.security_groups.values() if s.name == "consumer_workload")
    rule = SecurityGroupRule("tcp", PortRange.one(443), IPv4Network("10.1.0.0/16"))
    b.put(replace(sg, ingress=(*sg.ingress, rule), egress=(*sg.egress, rule)))
    result = flow_changes(old.network, b.build())
    assert [str(c) for c in result.changes] == [
        "consumer (10.1.0.0/16) -> consumer (10.1.0.0/16): tcp/443 opened within the VPC"
        "  [UNINTENDED: no intent asks for it]"
    ]
    assert result.changes[0].sources == ("consumer_client_1", "consumer_client_2")
