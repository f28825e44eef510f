"""diff with Transit Gateways: TGW resources added, removed and changed are listed readably,
the default route table and propagated routes compare by what they are (not by the id or the
routes list a producer happens to hold), and the whole diff (flows, text, Markdown with its
Mermaid picture) runs on networks with TGWs. Networks from tests/corpus/hand/tgw-*."""

from __future__ import annotations

from dataclasses import replace
from functools import cache
from pathlib import Path

from tests.diff.test_resources import as_if_live
from vpcwire.diff import flow_changes, resource_changes
from vpcwire.diff.flows import FlowChange, FlowDiff
from vpcwire.diff.report import DiffReport, diff_markdown, diff_text
from vpcwire.diff.resources import vpc_fingerprints
from vpcwire.network import Network, NetworkBuilder
from vpcwire.scan.run import run_scan

CORPUS = Path(__file__).parent.parent / "corpus" / "hand"


@cache
def scanned(case: str) -> Network:
    return run_scan(CORPUS / case).network


def named(net: Network) -> Network:
    """Every resource with a Name of its own (a scan names untagged ones by their address,
    which a live network's ids would not match), as vpcwire's own deploys tag them."""
    b = NetworkBuilder()
    for r in net.resources():
        b.add(replace(r, name=f"n:{r.id}" if r.name in ("", r.id) else r.name))
    return b.build()


def test_tgw_changes_are_listed_by_name_and_reference() -> None:
    old, new = scanned("tgw-shared-services"), scanned("tgw-shared-services-defects")
    changes = {(c.kind, c.name, c.change): c for c in resource_changes(old, new)}
    assert ("tgw_attachment", "tools", "added") in changes
    prod = changes[("tgw_attachment", "prod", "changed")]
    assert [str(f) for f in prod.fields] == ["subnets: -subnet:prod-us-east-1b"]
    shared = changes[("tgw_route_table", "shared", "changed")]
    shown = {f.field: str(f) for f in shared.fields}
    # dev's propagation (and its propagated route) left; tools' came
    assert shown["propagations"] == "propagations: -tgw_attachment:dev, +tgw_attachment:tools"
    assert shown["routes"] == (
        "routes: -destination=10.2.0.0/16 attachment=tgw_attachment:dev kind=propagated "
        "state=active, +destination=10.3.0.0/16 attachment=tgw_attachment:tools "
        "kind=propagated state=active"
    )
    # nothing about the TGW itself changed
    assert not [c for c in changes.values() if c.kind == "transit_gateway"]


def test_the_same_tgw_network_under_aws_ids_has_no_drift() -> None:
    net = named(scanned("tgw-inter-region"))
    assert resource_changes(net, as_if_live(net)) == []


def test_the_default_table_matches_by_its_role_whatever_its_name() -> None:
    net = named(scanned("tgw-inter-region"))
    read = as_if_live(net)
    b = NetworkBuilder(read)
    for table in read.tgw_route_tables.values():
        b.put(replace(table, name=f"tgw-rtb-{table.id}"))  # named by its AWS id, not ours
    assert resource_changes(net, b.build()) == []


def test_propagated_routes_a_read_lists_are_no_drift() -> None:
    net = scanned("tgw-inter-region")
    b = NetworkBuilder(net)
    for table in net.tgw_route_tables.values():
        b.put(replace(table, routes=net.tgw_routes(table)))  # as AWS lists them
    assert resource_changes(net, b.build()) == []


def test_an_asn_left_to_aws_is_no_drift_but_another_asn_is() -> None:
    net = scanned("tgw-inter-region")
    tgw = net.transit_gateways["aws_ec2_transit_gateway.use1"]
    unset, other = NetworkBuilder(net), NetworkBuilder(net)
    unset.put(replace(tgw, asn=None))
    other.put(replace(tgw, asn=65000))
    assert resource_changes(net, unset.build()) == []
    [change] = resource_changes(net, other.build())
    assert str(change) == "changed transit_gateway tgw-use1: asn: 64512 -> 65000"


def test_a_static_route_changed_on_the_tgw_is_one_readable_line() -> None:
    net = scanned("tgw-inter-region")
    table = next(t for t in net.tgw_route_tables.values() if t.transit_gateway.endswith("use1"))
    b = NetworkBuilder(net)
    routes = tuple(
        replace(r, attachment=None, state="blackhole")
        if r.destination and str(r.destination) == "10.20.0.0/16"
        else r
        for r in table.routes
    )
    b.put(replace(table, routes=routes))
    [change] = resource_changes(net, b.build())
    assert change.kind == "tgw_route_table" and change.name == "tgw-use1/default"
    assert str(change.fields[0]) == (
        "routes: -destination=10.20.0.0/16 attachment=tgw_attachment:use1-euw1 kind=static "
        "state=active, +destination=10.20.0.0/16 kind=static state=blackhole"
    )


def test_a_whole_diff_of_tgw_networks_runs_and_draws_the_hub() -> None:
    old, new = scanned("tgw-shared-services"), scanned("tgw-shared-services-defects")
    flows = flow_changes(old, new)
    report = DiffReport("old", "new", flows, tuple(resource_changes(old, new)), None, old, new)
    text = diff_text(report)
    assert "tgw_attachment tools" in text
    assert "~ changed tgw_route_table shared" in diff_markdown(report)


def test_the_changed_picture_keeps_the_hub_of_the_touched_vpcs() -> None:
    """Whether a flow changes is the engine's call; given one between two attached VPCs, the
    picture shows their TGW and their attachments, not a dangling edge."""
    old, new = scanned("tgw-shared-services"), scanned("tgw-shared-services-defects")
    closed = FlowChange("closed", "dev", "shared", "shared", (), "via TGW hub", False, (), (), ())
    report = DiffReport(
        "old", "new", FlowDiff((closed,), 1), tuple(resource_changes(old, new)), None, old, new
    )
    block = diff_markdown(report).split("```mermaid\n", 1)[1]
    assert 'tgw_hub{{"Transit Gateway hub' in block
    assert 'vpc_dev <==>|"route table spokes"| tgw_hub' in block
    assert 'vpc_shared <==>|"route table shared"| tgw_hub' in block
    assert "vpc_prod" not in block  # not touched


def test_a_tgw_route_table_change_marks_every_attached_vpc_for_the_flow_diff() -> None:
    """diff.flows re-traces only pairs whose VPC fingerprints differ: a TGW route table is in
    no VPC, yet what it routes decides flows between all the VPCs attached to its TGW."""
    net = scanned("tgw-inter-region")
    table = next(t for t in net.tgw_route_tables.values() if t.transit_gateway.endswith("use1"))
    b = NetworkBuilder(net)
    b.put(replace(table, routes=()))
    before, after = vpc_fingerprints(net), vpc_fingerprints(b.build())
    assert before["use1"] != after["use1"] and before["euw1"] != after["euw1"]
