"""Resources added, removed and changed — and drift between a plan and the live network."""

from __future__ import annotations

import itertools
from dataclasses import fields, is_dataclass, replace
from ipaddress import IPv4Network
from typing import Any

from tests.conftest import EXAMPLES
from vpcwire.diff import resource_changes
from vpcwire.network import KINDS, Network, NetworkBuilder, SecurityGroupRule, Vpc
from vpcwire.pipeline import plan
from vpcwire.spec.load import load_spec


def planned() -> Network:
    return plan(load_spec(EXAMPLES / "inter-region-privatelink.yaml")).network


def as_if_live(network: Network) -> Network:
    """The same network with AWS-style ids everywhere (what the reader returns)."""
    counter = itertools.count(1)
    new_id = {r.id: f"aws-{next(counter):05d}" for r in network.resources()}

    def swap(value: Any) -> Any:
        if isinstance(value, str):
            return new_id.get(value, value)
        if isinstance(value, tuple):
            return tuple(swap(v) for v in value)
        if is_dataclass(value) and not isinstance(value, type):
            return replace(value, **{f.name: swap(getattr(value, f.name)) for f in fields(value)})  # type: ignore[misc]
        return value

    b = NetworkBuilder()
    for account in network.accounts.values():
        b.add_account(account)
    for r in network.resources():
        b.add(swap(r))
    return b.build()


def test_same_network_under_other_ids_has_no_drift() -> None:
    net = planned()
    assert resource_changes(net, as_if_live(net)) == []


def test_missing_extra_and_changed_resources_are_listed() -> None:
    net = planned()
    live = as_if_live(net)
    store = {attr: dict(getattr(live, attr)) for _, attr in KINDS.values()}
    # missing: a target instance; changed: a route removed, a rule widened; extra: a VPC
    api_1 = next(i for i in live.instances.values() if i.name == "api_1")
    store["instances"].pop(api_1.id)
    table = next(rt for rt in live.route_tables.values() if rt.name == "provider_private")
    sg = next(s for s in live.security_groups.values() if s.name == "consumer_workload")
    wide = SecurityGroupRule("all", None, IPv4Network("0.0.0.0/0"))
    b = NetworkBuilder()
    for account in live.accounts.values():
        b.add_account(account)
    for bucket in store.values():
        for r in bucket.values():
            b.add(r)
    b.put(replace(table, routes=tuple(r for r in table.routes if r.kind == "local")))
    b.put(replace(sg, ingress=(*sg.ingress, wide)))
    b.add(Vpc("vpc-stray", "stray", "111111111111", "us-east-1", (IPv4Network("10.9.0.0/16"),)))
    changes = {(c.kind, c.name, c.change): c for c in resource_changes(net, b.build())}
    assert set(changes) == {
        ("instance", "api_1", "removed"),
        ("route_table", "provider_private", "changed"),
        ("security_group", "consumer_workload", "changed"),
        ("vpc", "stray", "added"),
    }
    route = str(changes[("route_table", "provider_private", "changed")])
    assert "routes: -destination=10.255.0.0/24 target=peering:provider_outpost_us_west_2" in route
    assert "ingress: +protocol=all cidr=0.0.0.0/0" in str(
        changes[("security_group", "consumer_workload", "changed")]
    )
