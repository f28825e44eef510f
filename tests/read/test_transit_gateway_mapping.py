"""Mapping hand-written Transit Gateway responses (AWS's documented shapes): what the sandbox
never produces — propagated routes in a search answer, prefix-list routes, IPv6 routes,
deleted things AWS keeps listing, a peering seen from both sides — one case each."""

from __future__ import annotations

from ipaddress import IPv4Network
from typing import Any

from vpcwire.network import TgwRoute
from vpcwire.read.reader import assemble
from vpcwire.read.snapshot import Snapshot

A, B = "111111111111", "222222222222"
TABLE = "tgw-rtb-1"


def route(cidr: str | None, attachment: str | None, **extra: Any) -> dict[str, Any]:
    found: dict[str, Any] = {"State": "active", "Type": "static", **extra}
    if cidr is not None:
        found["DestinationCidrBlock"] = cidr
    if attachment is not None:
        found["TransitGatewayAttachments"] = [
            {"TransitGatewayAttachmentId": attachment, "ResourceType": "vpc"}
        ]
    return found


def snapshot(account: str = A, region: str = "us-east-1", **fields: Any) -> Snapshot:
    snap = Snapshot(account, region)
    for name, value in fields.items():
        setattr(snap, name, value)
    return snap


def test_routes_keep_static_blackhole_and_prefix_list_and_drop_ipv6_and_deleted() -> None:
    snap = snapshot(
        tgw_route_tables=[{"TransitGatewayRouteTableId": TABLE, "TransitGatewayId": "tgw-1"}],
        tgw_routes={
            TABLE: [
                route("10.1.0.0/16", "tgw-attach-1"),
                route("10.9.0.0/16", None, State="blackhole"),
                route(None, "tgw-attach-1", PrefixListId="pl-1"),
                route("2001:db8::/32", "tgw-attach-1"),
                route("10.2.0.0/16", "tgw-attach-2", State="deleted"),
                route("10.3.0.0/16", "tgw-attach-3", Type="propagated"),
            ]
        },
    )
    table = assemble([snap])[0].tgw_route_tables[TABLE]
    assert table.routes == (
        TgwRoute(IPv4Network("10.1.0.0/16"), "tgw-attach-1"),
        TgwRoute(IPv4Network("10.3.0.0/16"), "tgw-attach-3", kind="propagated"),
        TgwRoute(IPv4Network("10.9.0.0/16"), None, state="blackhole"),
        TgwRoute(None, "tgw-attach-1", prefix_list="pl-1"),
    )


def test_deleted_and_rejected_things_are_left_out() -> None:
    snap = snapshot(
        transit_gateways=[
            {"TransitGatewayId": "tgw-1", "OwnerId": A, "State": "available"},
            {"TransitGatewayId": "tgw-2", "OwnerId": A, "State": "deleted"},
        ],
        tgw_vpc_attachments=[
            {"TransitGatewayAttachmentId": "a-1", "TransitGatewayId": "tgw-1", "VpcId": "vpc-1"},
            {
                "TransitGatewayAttachmentId": "a-2",
                "TransitGatewayId": "tgw-1",
                "VpcId": "vpc-2",
                "State": "deleted",
            },
        ],
        tgw_route_tables=[
            {"TransitGatewayRouteTableId": "r-1", "TransitGatewayId": "tgw-1"},
            {"TransitGatewayRouteTableId": "r-2", "TransitGatewayId": "tgw-2", "State": "deleted"},
        ],
        tgw_associations={
            "r-1": [
                {"TransitGatewayAttachmentId": "a-1", "State": "associated"},
                {"TransitGatewayAttachmentId": "a-2", "State": "disassociating"},
            ]
        },
    )
    network = assemble([snap])[0]
    assert set(network.transit_gateways) == {"tgw-1"}
    assert set(network.tgw_attachments) == {"a-1"}
    assert set(network.tgw_route_tables) == {"r-1"}
    assert network.tgw_route_tables["r-1"].associations == ("a-1",)


def test_a_peering_seen_from_both_sides_is_one_attachment() -> None:
    peering = {
        "TransitGatewayAttachmentId": "tgw-attach-p",
        "RequesterTgwInfo": {"TransitGatewayId": "tgw-a", "OwnerId": A, "Region": "us-east-1"},
        "AccepterTgwInfo": {"TransitGatewayId": "tgw-b", "OwnerId": B, "Region": "eu-west-1"},
        "State": "available",
    }
    network = assemble(
        [
            snapshot(tgw_peering_attachments=[peering]),
            snapshot(B, "eu-west-1", tgw_peering_attachments=[dict(peering)]),
        ]
    )[0]
    (only,) = network.tgw_attachments.values()
    assert (only.transit_gateway, only.peer_transit_gateway, only.peer_account) == (
        "tgw-a",
        "tgw-b",
        B,
    )
    assert (only.account, only.peer_region, only.kind) == (A, "eu-west-1", "peering")


def test_a_shared_tgw_is_the_owners_and_shares_name_their_resources_by_id() -> None:
    tgw = {
        "TransitGatewayId": "tgw-1",
        "OwnerId": A,
        "TransitGatewayArn": f"arn:aws:ec2:us-east-1:{A}:transit-gateway/tgw-1",
        "Options": {"DefaultRouteTableAssociation": "disable", "AmazonSideAsn": 64512},
    }
    share_arn = f"arn:aws:ram:us-east-1:{A}:resource-share/s-1"
    network = assemble(
        [
            snapshot(  # the participant, read first, sees less
                B,
                transit_gateways=[{**tgw, "Options": {"AmazonSideAsn": 64512}}],
                resource_shares=[],
            ),
            snapshot(
                A,
                transit_gateways=[tgw],
                resource_shares=[
                    {"resourceShareArn": share_arn, "name": "hub", "owningAccountId": A}
                ],
                resource_share_associations=[
                    {
                        "resourceShareArn": share_arn,
                        "associationType": "RESOURCE",
                        "associatedEntity": tgw["TransitGatewayArn"],
                        "status": "ASSOCIATED",
                    },
                    {
                        "resourceShareArn": share_arn,
                        "associationType": "PRINCIPAL",
                        "associatedEntity": B,
                        "status": "ASSOCIATED",
                    },
                    {
                        "resourceShareArn": share_arn,
                        "associationType": "PRINCIPAL",
                        "associatedEntity": "333333333333",
                        "status": "DISASSOCIATED",
                    },
                ],
            ),
        ]
    )[0]
    gateway = network.transit_gateways["tgw-1"]
    assert (gateway.account, gateway.asn, gateway.default_association) == (A, 64512, False)
    assert gateway.default_propagation  # absent option: AWS's default, enable
    share = network.resource_shares[share_arn]
    assert (share.resources, share.principals, dict(share.status)) == (
        ("tgw-1",),
        (B,),
        {B: "ASSOCIATED"},
    )
