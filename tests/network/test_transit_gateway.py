"""The Transit Gateway part of the Network: which table an attachment uses on each TGW,
and the routes a table holds once its propagations are counted."""

from __future__ import annotations

from ipaddress import IPv4Network

from vpcwire.network import (
    NetworkBuilder,
    TgwAttachment,
    TgwRoute,
    TgwRouteTable,
    TransitGateway,
    Vpc,
)


def _net() -> NetworkBuilder:
    b = NetworkBuilder()
    b.add(
        Vpc(
            "vpc-a",
            "a",
            account="111111111111",
            region="us-east-1",
            cidrs=(IPv4Network("10.0.0.0/16"), IPv4Network("10.5.0.0/16")),
        )
    )
    b.add(
        Vpc(
            "vpc-b",
            "b",
            account="111111111111",
            region="us-east-1",
            cidrs=(IPv4Network("10.1.0.0/16"),),
        )
    )
    b.add(TransitGateway("tgw-1", "hub", account="111111111111", region="us-east-1"))
    b.add(TransitGateway("tgw-2", "west", account="111111111111", region="us-west-2"))
    b.add(TgwAttachment("att-a", "a", transit_gateway="tgw-1", vpc="vpc-a"))
    b.add(TgwAttachment("att-b", "b", transit_gateway="tgw-1", vpc="vpc-b"))
    b.add(
        TgwAttachment(
            "att-p", "p", transit_gateway="tgw-1", kind="peering", peer_transit_gateway="tgw-2"
        )
    )
    return b


def test_propagated_routes_come_from_the_attached_vpcs_blocks() -> None:
    b = _net()
    rt = b.add(
        TgwRouteTable(
            "rt-1",
            "main",
            transit_gateway="tgw-1",
            routes=(TgwRoute(IPv4Network("10.9.0.0/16"), None, state="blackhole"),),
            associations=("att-a", "att-b"),
            propagations=("att-a", "att-p"),
        )
    )
    net = b.build()
    routes = net.tgw_routes(rt)
    assert [(str(r.destination), r.attachment, r.kind) for r in routes] == [
        ("10.9.0.0/16", None, "static"),
        ("10.0.0.0/16", "att-a", "propagated"),
        ("10.5.0.0/16", "att-a", "propagated"),
    ]  # the peering's propagation carries nothing: AWS allows only static routes over it


def test_a_read_propagated_route_is_not_counted_twice() -> None:
    b = _net()
    rt = b.add(
        TgwRouteTable(
            "rt-1",
            "main",
            transit_gateway="tgw-1",
            routes=(TgwRoute(IPv4Network("10.0.0.0/16"), "att-a", kind="propagated"),),
            propagations=("att-a",),
        )
    )
    routes = b.build().tgw_routes(rt)
    assert [str(r.destination) for r in routes] == ["10.0.0.0/16", "10.5.0.0/16"]


def test_a_peering_attachment_has_a_table_on_each_side() -> None:
    b = _net()
    b.add(TgwRouteTable("rt-1", "east", transit_gateway="tgw-1", associations=("att-p",)))
    b.add(TgwRouteTable("rt-2", "west", transit_gateway="tgw-2", associations=("att-p",)))
    net = b.build()
    assert net.tgw_route_table_of[("tgw-1", "att-p")].id == "rt-1"
    assert net.tgw_route_table_of[("tgw-2", "att-p")].id == "rt-2"
    att = net.tgw_attachments["att-p"]
    assert att.other_gateway("tgw-1") == "tgw-2" and att.other_gateway("tgw-2") == "tgw-1"
    assert net.tgw_attachments["att-a"].other_gateway("tgw-1") is None
    assert [a.id for a in net.tgw_attachments_of_vpc["vpc-a"]] == ["att-a"]
