"""The Transit Gateway patches make moto answer like AWS; each `test_aws_*` test fails on
plain moto (test_sandbox_patches.test_every_aws_test_fails_on_plain_moto reruns them there).

Expected values are AWS's documented behaviour (Transit Gateway route tables,
associations, propagations; EC2 API reference), written before running against moto.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from botocore.exceptions import ClientError

from vpcwire.sandbox.clients import SandboxSession

Clients = Callable[..., SandboxSession]

# Which tests cover which patch (docs/sandbox.md carries the same table).
TGW_PATCH_TESTS = {
    "tgw_default_route_tables": [
        "test_aws_attachment_is_associated_and_propagates_by_default",
        "test_aws_default_association_can_be_undone",
        "test_aws_tgw_without_defaults_has_no_default_table",
        "test_aws_accepted_peering_is_associated_with_each_default_table",
    ],
    "tgw_route_table_associations": [
        "test_aws_second_association_is_refused",
        "test_aws_disassociated_attachment_shows_no_association",
    ],
    "tgw_route_table_propagations": [
        "test_aws_attachment_propagates_into_two_tables",
        "test_aws_propagation_over_a_peering_is_refused",
    ],
    "tgw_deletion": [
        "test_aws_deleted_attachment_leaves_the_tables",
        "test_aws_tgw_with_attachments_cannot_be_deleted",
    ],
    "tgw_static_route_targets": ["test_aws_static_route_names_its_attachment"],
    "tgw_search_routes": [
        "test_aws_propagated_routes_are_listed",
        "test_aws_search_routes_honours_max_results",
    ],
    "tgw_attachment_tags": ["test_aws_vpc_attachment_keeps_its_tags"],
    "tgw_attachment_kinds": ["test_aws_each_describe_lists_its_own_attachment_kind"],
    "ram_share_lifecycle": [
        "test_aws_share_principals_and_resources_come_and_go",
        "test_aws_invited_account_accepts_and_sees_the_share",
    ],
    "tgw_shared_attachments": ["test_aws_shared_tgw_is_attached_from_another_account"],
}

ACCOUNT_B = "222222222222"


def _tgw(ec2: Any, **options: str) -> dict[str, Any]:
    tgw: dict[str, Any] = ec2.create_transit_gateway(Description="t", Options=options)[
        "TransitGateway"
    ]
    return tgw


def _attach(ec2: Any, tgw_id: str, cidr: str, zone: str = "us-east-1a") -> tuple[str, str]:
    """A VPC of ``cidr`` attached to the TGW by one subnet: (attachment id, vpc id)."""
    vpc_id = ec2.create_vpc(CidrBlock=cidr)["Vpc"]["VpcId"]
    subnet = ec2.create_subnet(VpcId=vpc_id, CidrBlock=cidr, AvailabilityZone=zone)["Subnet"]
    attachment = ec2.create_transit_gateway_vpc_attachment(
        TransitGatewayId=tgw_id, VpcId=vpc_id, SubnetIds=[subnet["SubnetId"]]
    )["TransitGatewayVpcAttachment"]
    return attachment["TransitGatewayAttachmentId"], vpc_id


def _table(ec2: Any, tgw_id: str) -> str:
    table_id: str = ec2.create_transit_gateway_route_table(TransitGatewayId=tgw_id)[
        "TransitGatewayRouteTable"
    ]["TransitGatewayRouteTableId"]
    return table_id


def _associations(ec2: Any, table_id: str) -> list[str]:
    answer = ec2.get_transit_gateway_route_table_associations(TransitGatewayRouteTableId=table_id)
    return sorted(a["TransitGatewayAttachmentId"] for a in answer["Associations"])


def _propagations(ec2: Any, table_id: str) -> list[str]:
    answer = ec2.get_transit_gateway_route_table_propagations(TransitGatewayRouteTableId=table_id)
    return sorted(
        p["TransitGatewayAttachmentId"] for p in answer["TransitGatewayRouteTablePropagations"]
    )


def _routes(ec2: Any, table_id: str, **extra: Any) -> list[dict[str, Any]]:
    routes: list[dict[str, Any]] = ec2.search_transit_gateway_routes(
        TransitGatewayRouteTableId=table_id,
        Filters=[{"Name": "state", "Values": ["active", "blackhole"]}],
        **extra,
    )["Routes"]
    return routes


def _association_of(ec2: Any, attachment_id: str) -> dict[str, Any] | None:
    found = ec2.describe_transit_gateway_attachments(TransitGatewayAttachmentIds=[attachment_id])
    association: dict[str, Any] | None = found["TransitGatewayAttachments"][0].get("Association")
    return association


# --------------------------------------------------------------------------- default tables


def test_aws_attachment_is_associated_and_propagates_by_default(aws: Clients) -> None:
    ec2 = aws().client("ec2")
    tgw = _tgw(ec2)
    default = tgw["Options"]["AssociationDefaultRouteTableId"]
    attachment, _ = _attach(ec2, tgw["TransitGatewayId"], "10.70.0.0/24")
    assert _associations(ec2, default) == [attachment]
    assert _propagations(ec2, default) == [attachment]


def test_aws_default_association_can_be_undone(aws: Clients) -> None:
    # What terraform does for transit_gateway_default_route_table_association = false.
    ec2 = aws().client("ec2")
    tgw = _tgw(ec2)
    default = tgw["Options"]["AssociationDefaultRouteTableId"]
    attachment, _ = _attach(ec2, tgw["TransitGatewayId"], "10.71.0.0/24")
    ec2.disassociate_transit_gateway_route_table(
        TransitGatewayRouteTableId=default, TransitGatewayAttachmentId=attachment
    )
    ec2.disable_transit_gateway_route_table_propagation(
        TransitGatewayRouteTableId=default, TransitGatewayAttachmentId=attachment
    )
    assert _associations(ec2, default) == []
    assert _propagations(ec2, default) == []


def test_aws_tgw_without_defaults_has_no_default_table(aws: Clients) -> None:
    ec2 = aws().client("ec2")
    tgw = _tgw(ec2, DefaultRouteTableAssociation="disable", DefaultRouteTablePropagation="disable")
    tgw_id = tgw["TransitGatewayId"]
    assert "AssociationDefaultRouteTableId" not in tgw["Options"]
    assert "PropagationDefaultRouteTableId" not in tgw["Options"]
    tables = ec2.describe_transit_gateway_route_tables(
        Filters=[{"Name": "transit-gateway-id", "Values": [tgw_id]}]
    )["TransitGatewayRouteTables"]
    assert tables == []
    attachment, _ = _attach(ec2, tgw_id, "10.72.0.0/24")
    assert _association_of(ec2, attachment) is None


def test_aws_accepted_peering_is_associated_with_each_default_table(aws: Clients) -> None:
    ec2, west_ec2 = aws().client("ec2"), aws(region="us-west-2").client("ec2")
    east, west = _tgw(ec2), _tgw(west_ec2)
    peering = ec2.create_transit_gateway_peering_attachment(
        TransitGatewayId=east["TransitGatewayId"],
        PeerTransitGatewayId=west["TransitGatewayId"],
        PeerAccountId=east["OwnerId"],
        PeerRegion="us-west-2",
    )["TransitGatewayPeeringAttachment"]
    attachment = peering["TransitGatewayAttachmentId"]
    east_default = east["Options"]["AssociationDefaultRouteTableId"]
    west_default = west["Options"]["AssociationDefaultRouteTableId"]
    assert _associations(ec2, east_default) == []  # not before it is accepted
    west_ec2.accept_transit_gateway_peering_attachment(TransitGatewayAttachmentId=attachment)
    assert _associations(ec2, east_default) == [attachment]
    assert _associations(west_ec2, west_default) == [attachment]
    assert _propagations(ec2, east_default) == []  # static routes only over a peering


# --------------------------------------------------------------------------- associations


def test_aws_second_association_is_refused(aws: Clients) -> None:
    ec2 = aws().client("ec2")
    tgw = _tgw(ec2, DefaultRouteTableAssociation="disable")
    tgw_id = tgw["TransitGatewayId"]
    attachment, _ = _attach(ec2, tgw_id, "10.73.0.0/24")
    first, second = _table(ec2, tgw_id), _table(ec2, tgw_id)
    ec2.associate_transit_gateway_route_table(
        TransitGatewayRouteTableId=first, TransitGatewayAttachmentId=attachment
    )
    with pytest.raises(ClientError) as refused:
        ec2.associate_transit_gateway_route_table(
            TransitGatewayRouteTableId=second, TransitGatewayAttachmentId=attachment
        )
    assert refused.value.response["Error"]["Code"] == "Resource.AlreadyAssociated"
    assert _associations(ec2, second) == []


def test_aws_disassociated_attachment_shows_no_association(aws: Clients) -> None:
    ec2 = aws().client("ec2")
    tgw = _tgw(ec2, DefaultRouteTablePropagation="disable")
    default = tgw["Options"]["AssociationDefaultRouteTableId"]
    attachment, _ = _attach(ec2, tgw["TransitGatewayId"], "10.74.0.0/24")
    assert _association_of(ec2, attachment) == {
        "State": "associated",
        "TransitGatewayRouteTableId": default,
    }
    ec2.disassociate_transit_gateway_route_table(
        TransitGatewayRouteTableId=default, TransitGatewayAttachmentId=attachment
    )
    assert _association_of(ec2, attachment) is None
    other = _table(ec2, tgw["TransitGatewayId"])  # and it can be associated elsewhere now
    ec2.associate_transit_gateway_route_table(
        TransitGatewayRouteTableId=other, TransitGatewayAttachmentId=attachment
    )
    assert _associations(ec2, other) == [attachment]


# --------------------------------------------------------------------------- propagations


def test_aws_attachment_propagates_into_two_tables(aws: Clients) -> None:
    ec2 = aws().client("ec2")
    tgw = _tgw(ec2, DefaultRouteTableAssociation="disable", DefaultRouteTablePropagation="disable")
    tgw_id = tgw["TransitGatewayId"]
    attachment, _ = _attach(ec2, tgw_id, "10.75.0.0/24")
    first, second = _table(ec2, tgw_id), _table(ec2, tgw_id)
    for table in (first, second):
        ec2.enable_transit_gateway_route_table_propagation(
            TransitGatewayRouteTableId=table, TransitGatewayAttachmentId=attachment
        )
    ec2.disable_transit_gateway_route_table_propagation(
        TransitGatewayRouteTableId=first, TransitGatewayAttachmentId=attachment
    )
    assert _propagations(ec2, first) == []
    assert _propagations(ec2, second) == [attachment]
    ec2.disable_transit_gateway_route_table_propagation(
        TransitGatewayRouteTableId=second, TransitGatewayAttachmentId=attachment
    )
    assert _propagations(ec2, second) == []


def test_aws_propagation_over_a_peering_is_refused(aws: Clients) -> None:
    ec2, west_ec2 = aws().client("ec2"), aws(region="us-west-2").client("ec2")
    east, west = _tgw(ec2), _tgw(west_ec2)
    peering = ec2.create_transit_gateway_peering_attachment(
        TransitGatewayId=east["TransitGatewayId"],
        PeerTransitGatewayId=west["TransitGatewayId"],
        PeerAccountId=east["OwnerId"],
        PeerRegion="us-west-2",
    )["TransitGatewayPeeringAttachment"]["TransitGatewayAttachmentId"]
    west_ec2.accept_transit_gateway_peering_attachment(TransitGatewayAttachmentId=peering)
    table = _table(ec2, east["TransitGatewayId"])
    with pytest.raises(ClientError):
        ec2.enable_transit_gateway_route_table_propagation(
            TransitGatewayRouteTableId=table, TransitGatewayAttachmentId=peering
        )
    assert _propagations(ec2, table) == []


# --------------------------------------------------------------------------- deletion


def test_aws_deleted_attachment_leaves_the_tables(aws: Clients) -> None:
    ec2 = aws().client("ec2")
    tgw = _tgw(ec2)
    default = tgw["Options"]["AssociationDefaultRouteTableId"]
    attachment, _ = _attach(ec2, tgw["TransitGatewayId"], "10.76.0.0/24")
    ec2.delete_transit_gateway_vpc_attachment(TransitGatewayAttachmentId=attachment)
    assert _associations(ec2, default) == []
    assert _propagations(ec2, default) == []
    (listed,) = ec2.describe_transit_gateway_vpc_attachments(
        TransitGatewayAttachmentIds=[attachment]
    )["TransitGatewayVpcAttachments"]
    assert listed["State"] == "deleted"


def test_aws_tgw_with_attachments_cannot_be_deleted(aws: Clients) -> None:
    ec2 = aws().client("ec2")
    tgw_id = _tgw(ec2)["TransitGatewayId"]
    attachment, _ = _attach(ec2, tgw_id, "10.77.0.0/24")
    with pytest.raises(ClientError) as refused:
        ec2.delete_transit_gateway(TransitGatewayId=tgw_id)
    assert refused.value.response["Error"]["Code"] == "IncorrectState"
    ec2.delete_transit_gateway_vpc_attachment(TransitGatewayAttachmentId=attachment)
    ec2.delete_transit_gateway(TransitGatewayId=tgw_id)
    live = ec2.describe_transit_gateway_route_tables(
        Filters=[
            {"Name": "transit-gateway-id", "Values": [tgw_id]},
            {"Name": "state", "Values": ["available"]},
        ]
    )["TransitGatewayRouteTables"]
    assert live == []


# --------------------------------------------------------------------------- routes


def test_aws_static_route_names_its_attachment(aws: Clients) -> None:
    ec2 = aws().client("ec2")
    tgw = _tgw(ec2, DefaultRouteTablePropagation="disable")
    table = tgw["Options"]["AssociationDefaultRouteTableId"]
    attachment, vpc_id = _attach(ec2, tgw["TransitGatewayId"], "10.78.0.0/24")
    ec2.create_transit_gateway_route(
        TransitGatewayRouteTableId=table,
        DestinationCidrBlock="10.200.0.0/16",
        TransitGatewayAttachmentId=attachment,
    )
    ec2.create_transit_gateway_route(
        TransitGatewayRouteTableId=table, DestinationCidrBlock="10.201.0.0/16", Blackhole=True
    )
    routes = {r["DestinationCidrBlock"]: r for r in _routes(ec2, table)}
    assert routes["10.200.0.0/16"]["TransitGatewayAttachments"] == [
        {"TransitGatewayAttachmentId": attachment, "ResourceId": vpc_id, "ResourceType": "vpc"}
    ]
    assert routes["10.200.0.0/16"]["State"] == "active"
    assert routes["10.201.0.0/16"]["State"] == "blackhole"
    assert not routes["10.201.0.0/16"].get("TransitGatewayAttachments")


def test_aws_propagated_routes_are_listed(aws: Clients) -> None:
    ec2 = aws().client("ec2")
    tgw = _tgw(ec2)
    table = tgw["Options"]["AssociationDefaultRouteTableId"]
    attachment, vpc_id = _attach(ec2, tgw["TransitGatewayId"], "10.79.0.0/24")
    routes = _routes(ec2, table)
    assert [(r["DestinationCidrBlock"], r["Type"], r["State"]) for r in routes] == [
        ("10.79.0.0/24", "propagated", "active")
    ]
    assert routes[0]["TransitGatewayAttachments"][0]["TransitGatewayAttachmentId"] == attachment
    only = ec2.search_transit_gateway_routes(
        TransitGatewayRouteTableId=table,
        Filters=[{"Name": "attachment.resource-id", "Values": [vpc_id]}],
    )["Routes"]
    assert [r["DestinationCidrBlock"] for r in only] == ["10.79.0.0/24"]


def test_aws_search_routes_honours_max_results(aws: Clients) -> None:
    ec2 = aws().client("ec2")
    tgw = _tgw(ec2, DefaultRouteTablePropagation="disable")
    table = tgw["Options"]["AssociationDefaultRouteTableId"]
    for n in range(7):
        ec2.create_transit_gateway_route(
            TransitGatewayRouteTableId=table,
            DestinationCidrBlock=f"10.{210 + n}.0.0/16",
            Blackhole=True,
        )
    answer = ec2.search_transit_gateway_routes(
        TransitGatewayRouteTableId=table,
        Filters=[{"Name": "type", "Values": ["static"]}],
        MaxResults=5,
    )
    assert len(answer["Routes"]) == 5
    assert answer["AdditionalRoutesAvailable"] is True


def test_aws_vpc_attachment_keeps_its_tags(aws: Clients) -> None:
    ec2 = aws().client("ec2")
    tgw_id = _tgw(ec2)["TransitGatewayId"]
    vpc_id = ec2.create_vpc(CidrBlock="10.80.0.0/24")["Vpc"]["VpcId"]
    subnet = ec2.create_subnet(VpcId=vpc_id, CidrBlock="10.80.0.0/24")["Subnet"]["SubnetId"]
    created = ec2.create_transit_gateway_vpc_attachment(
        TransitGatewayId=tgw_id,
        VpcId=vpc_id,
        SubnetIds=[subnet],
        TagSpecifications=[
            {"ResourceType": "transit-gateway-attachment", "Tags": [{"Key": "Name", "Value": "x"}]}
        ],
    )["TransitGatewayVpcAttachment"]
    (listed,) = ec2.describe_transit_gateway_vpc_attachments(
        TransitGatewayAttachmentIds=[created["TransitGatewayAttachmentId"]]
    )["TransitGatewayVpcAttachments"]
    assert listed["Tags"] == [{"Key": "Name", "Value": "x"}]


def test_aws_each_describe_lists_its_own_attachment_kind(aws: Clients) -> None:
    ec2 = aws().client("ec2")
    east, west = _tgw(ec2), _tgw(aws(region="us-west-2").client("ec2"))
    vpc_attachment, _ = _attach(ec2, east["TransitGatewayId"], "10.81.0.0/24")
    peering = ec2.create_transit_gateway_peering_attachment(
        TransitGatewayId=east["TransitGatewayId"],
        PeerTransitGatewayId=west["TransitGatewayId"],
        PeerAccountId=east["OwnerId"],
        PeerRegion="us-west-2",
    )["TransitGatewayPeeringAttachment"]["TransitGatewayAttachmentId"]
    on_east = [{"Name": "transit-gateway-id", "Values": [east["TransitGatewayId"]]}]
    vpcs = ec2.describe_transit_gateway_vpc_attachments(Filters=on_east)
    assert [a["TransitGatewayAttachmentId"] for a in vpcs["TransitGatewayVpcAttachments"]] == [
        vpc_attachment
    ]
    peerings = ec2.describe_transit_gateway_peering_attachments(
        TransitGatewayAttachmentIds=[peering, vpc_attachment]
    )["TransitGatewayPeeringAttachments"]
    assert [a["TransitGatewayAttachmentId"] for a in peerings] == [peering]


# --------------------------------------------------------------------------- RAM


def _share(aws: Clients, **extra: Any) -> str:
    arn: str = (
        aws()
        .client("ram")
        .create_resource_share(name="hub", **extra)["resourceShare"]["resourceShareArn"]
    )
    return arn


def test_aws_share_principals_and_resources_come_and_go(aws: Clients) -> None:
    ram, ec2 = aws().client("ram"), aws().client("ec2")
    tgw = _tgw(ec2)
    arn = _share(aws, tags=[{"key": "Name", "value": "hub"}])
    _share(aws)  # another share, which the filter leaves out
    ram.associate_resource_share(
        resourceShareArn=arn, principals=[ACCOUNT_B], resourceArns=[tgw["TransitGatewayArn"]]
    )

    def entities(kind: str) -> list[str]:
        found = ram.get_resource_share_associations(associationType=kind, resourceShareArns=[arn])[
            "resourceShareAssociations"
        ]
        return [a["associatedEntity"] for a in found]

    assert entities("PRINCIPAL") == [ACCOUNT_B]
    assert entities("RESOURCE") == [tgw["TransitGatewayArn"]]
    (listed,) = ram.get_resource_shares(resourceOwner="SELF", resourceShareArns=[arn])[
        "resourceShares"
    ]
    assert listed["tags"] == [{"key": "Name", "value": "hub"}]
    ram.disassociate_resource_share(resourceShareArn=arn, principals=[ACCOUNT_B])
    assert entities("PRINCIPAL") == []
    assert entities("RESOURCE") == [tgw["TransitGatewayArn"]]


def test_aws_invited_account_accepts_and_sees_the_share(aws: Clients) -> None:
    arn = _share(aws, principals=[ACCOUNT_B])
    ram_b = aws(ACCOUNT_B).client("ram")
    (invitation,) = ram_b.get_resource_share_invitations(resourceShareArns=[arn])[
        "resourceShareInvitations"
    ]
    assert invitation["status"] == "PENDING"
    assert (
        ram_b.get_resource_shares(resourceOwner="OTHER-ACCOUNTS", resourceShareArns=[arn])[
            "resourceShares"
        ]
        == []
    )
    ram_b.accept_resource_share_invitation(
        resourceShareInvitationArn=invitation["resourceShareInvitationArn"]
    )
    (seen,) = ram_b.get_resource_shares(resourceOwner="OTHER-ACCOUNTS", resourceShareArns=[arn])[
        "resourceShares"
    ]
    assert seen["owningAccountId"] == aws().client("sts").get_caller_identity()["Account"]


def test_aws_shared_tgw_is_attached_from_another_account(aws: Clients) -> None:
    ec2, ram = aws().client("ec2"), aws().client("ram")
    tgw = _tgw(ec2)
    tgw_id, default = tgw["TransitGatewayId"], tgw["Options"]["AssociationDefaultRouteTableId"]
    arn = ram.create_resource_share(
        name="hub", principals=[ACCOUNT_B], resourceArns=[tgw["TransitGatewayArn"]]
    )["resourceShare"]["resourceShareArn"]
    b = aws(ACCOUNT_B)
    ram_b, ec2_b = b.client("ram"), b.client("ec2")
    for invitation in ram_b.get_resource_share_invitations(resourceShareArns=[arn])[
        "resourceShareInvitations"
    ]:
        ram_b.accept_resource_share_invitation(
            resourceShareInvitationArn=invitation["resourceShareInvitationArn"]
        )
    (seen,) = ec2_b.describe_transit_gateways(TransitGatewayIds=[tgw_id])["TransitGateways"]
    assert seen["OwnerId"] == tgw["OwnerId"]
    attachment, vpc_id = _attach(ec2_b, tgw_id, "10.82.0.0/24")
    (mine,) = ec2_b.describe_transit_gateway_vpc_attachments(
        TransitGatewayAttachmentIds=[attachment]
    )["TransitGatewayVpcAttachments"]
    assert (mine["State"], mine["VpcOwnerId"]) == ("pendingAcceptance", ACCOUNT_B)
    assert _associations(ec2, default) == []  # nothing before the owner accepts
    ec2.accept_transit_gateway_vpc_attachment(TransitGatewayAttachmentId=attachment)
    (theirs,) = ec2.describe_transit_gateway_vpc_attachments(
        TransitGatewayAttachmentIds=[attachment]
    )["TransitGatewayVpcAttachments"]
    assert (theirs["State"], theirs["VpcId"]) == ("available", vpc_id)
    assert _associations(ec2, default) == [attachment]
    assert _propagations(ec2, default) == [attachment]
