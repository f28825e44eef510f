"""Resources added, removed and changed — and drift between a plan and the live network."""

from __future__ import annotations

import itertools
from dataclasses import fields, is_dataclass, replace
from ipaddress import IPv4Network
from typing import Any

from tests.conftest import EXAMPLES
from vpcwire.diff import resource_changes
from vpcwire.network import (
    KINDS,
    Network,
    NetworkBuilder,
    PrefixList,
    Route,
    RouteTable,
    SecurityGroupRule,
    Vpc,
)
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


def _with(network: Network, *resources: Any) -> Network:
    b = NetworkBuilder(network)
    for r in resources:
        b.put(r)
    return b.build()


def _table(network: Network, name: str) -> RouteTable:
    return next(rt for rt in network.route_tables.values() if rt.name == name)


def test_endpoint_service_names_compare_as_the_service_they_name() -> None:
    """A plan names the service by Terraform reference, AWS by com.amazonaws.vpce.…"""
    net = planned()
    live = as_if_live(net)
    aws_name = "com.amazonaws.vpce.us-west-2.vpce-svc-0123456789abcdef0"
    svc = next(iter(live.endpoint_services.values()))
    endpoint = next(iter(live.endpoints.values()))
    assert endpoint.service_name == svc.service_name != aws_name
    live = _with(
        live, replace(svc, service_name=aws_name), replace(endpoint, service_name=aws_name)
    )
    assert resource_changes(net, live) == []
    # pointing the endpoint at some other service is drift, named by what it now points at
    other = "com.amazonaws.vpce.us-west-2.vpce-svc-0fedcba9876543210"
    moved = _with(live, replace(endpoint, service_name=other))
    (change,) = resource_changes(net, moved)
    assert (change.kind, change.name, change.change) == ("vpc_endpoint", "consumer_api", "changed")
    assert str(change.fields[0]) == (f"service_name: endpoint_service:{svc.name} -> {other}")


def test_an_aws_managed_prefix_list_compares_by_its_name() -> None:
    """The plan routes to the S3 list by id; the read-back network describes it by name."""
    s3 = PrefixList("pl-63a5400a", "com.amazonaws.us-east-1.s3", (IPv4Network("52.216.0.0/15"),))
    net = planned()
    table = _table(net, "provider_private")
    route = Route(None, "vpce-s3", "gateway_endpoint", prefix_list=s3.id)
    net = _with(net, replace(table, routes=(*table.routes, route)))
    live = as_if_live(net)  # the route keeps pl-63a5400a: it is not a resource of the plan
    live = _with(live, s3)
    assert resource_changes(net, live) == []
    # a route to another list is still a change
    table = _table(live, "provider_private")
    other = replace(route, prefix_list="pl-02cd2c6b")
    changed = _with(live, replace(table, routes=(*table.routes[:-1], other)))
    (change,) = resource_changes(net, changed)
    assert "-destination=None" not in str(change)
    assert "prefix_list=prefix_list:com.amazonaws.us-east-1.s3" in str(change)


def test_unnamed_interfaces_compare_as_their_owner_and_subnet() -> None:
    """AWS does not tag the ENIs it makes for a load balancer: a route to one still matches."""
    net = planned()
    eni = next(e for e in net.interfaces.values() if not e.name and e.kind == "load_balancer")
    table = _table(net, "provider_private")
    route = Route(IPv4Network("192.168.0.0/16"), eni.id, "network_interface")
    net = _with(net, replace(table, routes=(*table.routes, route)))
    live = as_if_live(net)
    assert not next(e for e in live.interfaces.values() if e.owner and not e.name).name
    assert resource_changes(net, live) == []
    # the route moved to the balancer's interface in the other subnet: a change, said plainly
    lb = next(iter(live.load_balancers.values()))
    subnet = net.subnets[eni.subnet].name
    twin = next(
        e
        for e in live.interfaces.values()
        if e.owner == lb.id and live.subnets[e.subnet].name != subnet
    )
    table = _table(live, "provider_private")
    moved = replace(table.routes[-1], target=twin.id)
    (change,) = resource_changes(
        net, _with(live, replace(table, routes=(*table.routes[:-1], moved)))
    )
    assert "+destination=192.168.0.0/16 target=network_interface:load_balancer " in str(change)
