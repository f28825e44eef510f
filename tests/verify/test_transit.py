"""Transit Gateways in the engine: each reason code, and each path that must work.

Expected verdicts come from AWS's documentation (how-transit-gateways-work, tgw-route-tables,
tgw-vpc-attachments, tgw-peering, tgw-nacls) and were written before running the engine.
"""

from __future__ import annotations

from vpcwire.network import Target
from vpcwire.verify import Disposition

from .builder import entry
from .scenarios import blocked, run
from .transit_net import (
    add_route,
    endpoint_behind_tgw,
    hub,
    segments,
    spoke,
    through_x,
    two_az,
    two_regions,
)


def _hops(result: object, kind: str) -> list[str]:
    return [h.resource for h in result.hops if h.kind == kind]  # type: ignore[attr-defined]


def test_two_vpcs_through_one_tgw_reach_each_other_both_ways() -> None:
    result = run(hub(), "a", "b")
    assert result.disposition is Disposition.REACHABLE
    assert _hops(result, "transit gateway") == ["tgw-hub", "tgw-hub"]  # forward and return


def test_no_vpc_route_back_is_no_return_route() -> None:
    n = hub()
    n.drop_routes("rtb-b", "tgw-hub")
    assert blocked(run(n, "a", "b")) == {"NO_RETURN_ROUTE"}


def test_a_blackhole_route_drops() -> None:
    n = hub()
    add_route(n, "tgw-rtb-main", "10.1.1.0/24", None)  # longer than the propagated /16
    result = run(n, "a", "b")
    assert blocked(result) == {"TGW_BLACKHOLE"}
    assert result.blocks[0].resource == "tgw-rtb-main"


def test_a_static_route_wins_over_a_propagated_one_of_the_same_prefix() -> None:
    n = hub()
    add_route(n, "tgw-rtb-main", "10.1.0.0/16", None)
    assert blocked(run(n, "a", "b")) == {"TGW_BLACKHOLE"}


def test_an_attachment_without_a_table_routes_nothing() -> None:
    n = hub()
    n.b.update(n.b.get("tgw_route_table", "tgw-rtb-main"), associations=("tgw-attach-b-hub",))
    result = run(n, "a", "b")
    assert blocked(result) == {"TGW_ATTACHMENT_NOT_ASSOCIATED"}
    assert "associate tgw-attach-a-hub" in result.blocks[0].fix


def test_a_missing_propagation_is_named_with_its_fix() -> None:
    n = hub()
    n.b.update(n.b.get("tgw_route_table", "tgw-rtb-main"), propagations=("tgw-attach-a-hub",))
    result = run(n, "a", "b")
    assert blocked(result) == {"TGW_NO_PROPAGATION"}
    assert result.blocks[0].fix.startswith("propagate tgw-attach-b-hub")


def test_a_destination_attached_nowhere_is_tgw_no_route() -> None:
    n = hub()
    c = spoke(n, "c", 2)
    n.route("rtb-a", "10.2.0.0/16", "tgw-hub", "transit_gateway")
    n.route("rtb-c", "10.0.0.0/16", "tgw-hub", "transit_gateway")
    assert c
    assert "TGW_NO_ROUTE" in blocked(run(n, "a", "c"))


def test_traffic_reaches_the_tgw_only_from_an_az_the_attachment_covers() -> None:
    n = hub()
    n.instance(n.subnet("vpc-a", "a2", "10.0.2.0/24", az="us-east-1b"), "10.0.2.10", name="a-b",
               sgs=("sg-a-app",))  # fmt: skip
    result = run(n, "a-b", "b")
    assert blocked(result) == {"TGW_NO_SUBNET_IN_AZ"}
    assert "add a subnet of vpc-a in us-east-1b to tgw-attach-a-hub" in result.blocks[0].fix


def test_the_tgw_keeps_the_flow_in_the_az_it_entered_in() -> None:
    n = two_az()
    # From us-east-1b it leaves through b's us-east-1b subnet: the closed ACL is never met.
    east_b = run(n, "a-b", "b")
    assert east_b.disposition is Disposition.REACHABLE
    assert any("subnet-b-tgw2" in s.detail for h in east_b.hops for s in h.steps)
    # From us-east-1a it leaves through subnet-b-tgw, whose ACL lets nothing out.
    east_a = run(n, "a", "b")
    assert blocked(east_a) == {"NACL_EGRESS_DENIED"}
    assert {b.resource for b in east_a.blocks} == {"acl-closed"}


def test_appliance_mode_is_noted() -> None:
    n = hub()
    n.b.update(n.b.get("tgw_attachment", "tgw-attach-b-hub"), appliance_mode=True)
    result = run(n, "a", "b")
    assert result.disposition is Disposition.REACHABLE
    assert any("appliance mode is on" in s.detail for h in result.hops for s in h.steps)


def test_a_pending_attachment_carries_nothing() -> None:
    n = hub()
    n.b.update(n.b.get("tgw_attachment", "tgw-attach-b-hub"), state="pendingAcceptance")
    assert blocked(run(n, "a", "b")) == {"GATEWAY_NOT_AVAILABLE"}


def test_segments_reach_shared_services_and_not_each_other() -> None:
    n = segments().build()
    for a, b in (("prod", "shared"), ("dev", "shared"), ("shared", "prod"), ("shared", "dev")):
        assert run(n, a, b).disposition is Disposition.REACHABLE, (a, b)
    for a, b in (("prod", "dev"), ("dev", "prod")):
        result = run(n, a, b)
        assert result.disposition is Disposition.UNREACHABLE
        assert blocked(result) == {"TGW_NO_PROPAGATION"}


def test_inter_region_peering_with_static_routes_carries_traffic() -> None:
    result = run(two_regions(), "a", "w")
    assert result.disposition is Disposition.REACHABLE
    assert _hops(result, "transit gateway") == ["tgw-east", "tgw-west", "tgw-west", "tgw-east"]


def test_inter_region_peering_needs_a_static_route() -> None:
    # The peering propagates into east's table, but AWS never propagates over a peering.
    result = run(two_regions(static=False), "a", "w")
    assert blocked(result) == {"TGW_PEERING_NO_STATIC_ROUTE"}
    assert "add a static route to 10.2.0.0/16 via tgw-attach-peer-east-west" in result.blocks[0].fix


def test_a_routing_loop_terminates() -> None:
    # The TGW sends 10.9.0.0/16 to b; b's attachment subnet sends it back to the TGW.
    n = hub()
    add_route(n, "tgw-rtb-main", "10.9.0.0/16", "tgw-attach-b-hub")
    n.route("rtb-a", "10.9.0.0/16", "tgw-hub", "transit_gateway")
    n.route("rtb-b", "10.9.0.0/16", "tgw-hub", "transit_gateway")
    result = run(n, "a", "10.9.0.5")
    assert result.disposition is Disposition.UNREACHABLE
    assert "TGW_NO_ROUTE" in blocked(result)


def test_an_endpoint_behind_a_tgw_is_reached_from_an_attached_vpc() -> None:
    # privatelink(): consumer VPC c (10.20.0.0/16, account B) holds the interface endpoint;
    # VPC x, attached to the same TGW as c, reaches the endpoint's ENI through it.
    n = endpoint_behind_tgw()
    ac = "tgw-attach-c-hub"
    result = run(n, "x-client", "vpce-svc")
    assert result.disposition is Disposition.REACHABLE
    assert "tgw-hub" in _hops(result, "transit gateway")
    n.b.update(n.b.get("tgw_attachment", ac), subnets=("subnet-c-tgw",))
    assert blocked(run(n, "x-client", "vpce-svc")) == {"TGW_NO_SUBNET_IN_AZ"}


def test_an_nlb_reaches_ip_targets_through_a_tgw() -> None:
    # An NLB in b with an IP target in a (10.0.1.10), which AWS allows outside its VPC:
    # node -> TGW -> a. A client in b reaches a's instance through the NLB.
    n = hub()
    n.instance(n.subnet("vpc-b", "b2", "10.1.2.0/24"), "10.1.2.10", name="b-client")
    lb = n.nlb("vpc-b", "front", ("subnet-b1",), ips=("10.1.1.5",))
    tg = n.target_group("vpc-b", "front", 8080, "ip", Target("10.0.1.10", availability_zone="all"))
    n.listener(lb, 8080, "TCP", tg)
    result = run(n, "b-client", "nlb-front")
    assert result.disposition is Disposition.REACHABLE
    assert "tgw-hub" in _hops(result, "transit gateway")
    n.drop_routes("rtb-b", "tgw-hub")
    assert "NO_ROUTE" in blocked(run(n, "b-client", "nlb-front"))


def test_a_peering_packet_never_goes_on_through_the_peers_tgw() -> None:
    # a and b reach each other through the TGW; c is peered with a only: c -> b over the
    # peering and then a's TGW would be edge-to-edge routing, which AWS drops.
    n = hub()
    c = spoke(n, "c", 2)
    n.peer("vpc-a", c)
    n.route("rtb-c", "10.1.0.0/16", "pcx-a-c")
    assert "EDGE_TO_EDGE" in blocked(run(n, "c", "b"))


def test_a_missing_propagation_on_the_peer_side_is_named_there() -> None:
    # Past the peering, west's table (associated with the peering) lacks w's block: w's
    # attachment does not propagate into it.
    n = two_regions()
    n.b.update(n.b.get("tgw_route_table", "tgw-rtb-west"), propagations=())
    result = run(n, "a", "w")
    assert blocked(result) == {"TGW_NO_PROPAGATION"}
    assert result.blocks[0].resource == "tgw-rtb-west"


def test_a_peering_without_a_table_on_the_peer_side_routes_nothing_there() -> None:
    n = two_regions()
    rt = n.b.get("tgw_route_table", "tgw-rtb-west")
    n.b.update(rt, associations=("tgw-attach-w-west",))
    assert blocked(run(n, "a", "w")) == {"TGW_ATTACHMENT_NOT_ASSOCIATED"}


def test_the_printed_trace_names_the_tgw_hop_the_block_and_its_fix() -> None:
    n = hub()
    add_route(n, "tgw-rtb-main", "10.1.1.0/24", None)
    text = str(run(n, "a", "b"))
    assert "tgw-hub (hub) [transit gateway]" in text
    assert "✗ TGW route: tgw-rtb-main (main): 10.1.1.0/24 is a blackhole route" in text
    assert "TGW_BLACKHOLE at tgw-rtb-main (main)" in text
    assert "fix: remove the blackhole route 10.1.1.0/24 from tgw-rtb-main (main)" in text


def test_a_hairpin_through_another_vpc_carries_and_meets_its_attachment_acl() -> None:
    result = run(through_x(), "a", "b")
    assert result.disposition is Disposition.REACHABLE
    forward = [h.resource for h in result.hops if h.direction == "forward"]
    assert forward == ["i-a", "tgw-hub", "tgw-hub", "i-b"]
    # x's attachment subnet lets nothing in: the hairpin's way back into the TGW is shut
    n = through_x()
    n.nacl("vpc-x", "x-shut", ("subnet-x-tgw",), entry(100, egress=True))
    assert blocked(run(n, "a", "b")) == {"NACL_INGRESS_DENIED"}
    # and x's attachment subnet sending 10.1.0.0/16 to a blackhole drops it
    n = through_x()
    n.drop_routes("rtb-x-tgw", "tgw-hub")
    n.route("rtb-x-tgw", "10.1.0.0/16", "tgw-hub", "transit_gateway", state="blackhole")
    assert blocked(run(n, "a", "b")) == {"BLACKHOLE_ROUTE"}
