"""The reader against the sandbox, for Transit Gateways: build a hub-and-spoke estate with
boto3 (two accounts, two regions, a segmented TGW peered with a default-table TGW, a RAM
share), read it back, and compare with what was created — written down before reading.
Then a snapshot directory of the same read loads back into the same network, and one
missing TGW file makes the region a gap. Needs the patched sandbox (unlike the older read
tests, not plain moto): moto alone reads static routes back as blackholes and lists
peerings among VPC attachments (tests/sandbox/test_transit_gateway_patches.py)."""

from __future__ import annotations

from dataclasses import dataclass
from ipaddress import IPv4Network
from pathlib import Path

import pytest

from tests.read.helpers import Aws, caller_session
from vpcwire.network import (
    Network,
    ResourceShare,
    Route,
    TgwAttachment,
    TgwRoute,
    TgwRouteTable,
    TransitGateway,
)
from vpcwire.read.reader import RawRead, read_snapshots
from vpcwire.read.snapshot_dir import load_snapshot, snapshot_network, write_snapshot

REGIONS = ["us-east-1", "us-west-2"]


def net(text: str) -> IPv4Network:
    return IPv4Network(text)


@dataclass(frozen=True)
class Estate:
    a: Aws
    b: Aws
    hub: str
    west: str
    west_default: str
    prod_table: str
    shared_table: str
    prod: str  # attachments
    shared: str
    west_vpc_attachment: str
    peering: str
    prod_vpc: str
    shared_vpc: str
    west_vpc: str
    prod_subnets: tuple[str, ...]
    shared_subnet: str
    west_subnet: str
    prod_main_table: str
    share_arn: str


def _vpc(ec2: object, cidr: str, zones: dict[str, str], name: str) -> tuple[str, list[str]]:
    vpc_id = ec2.create_vpc(  # type: ignore[attr-defined]
        CidrBlock=cidr, TagSpecifications=[_name("vpc", name)]
    )["Vpc"]["VpcId"]
    subnets = [
        ec2.create_subnet(VpcId=vpc_id, CidrBlock=block, AvailabilityZone=zone)[  # type: ignore[attr-defined]
            "Subnet"
        ]["SubnetId"]
        for block, zone in zones.items()
    ]
    return vpc_id, subnets


def _name(kind: str, name: str) -> dict[str, object]:
    return {"ResourceType": kind, "Tags": [{"Key": "Name", "Value": name}]}


def build(a: Aws, b: Aws) -> Estate:
    east, west_ec2 = a.client("ec2", "us-east-1"), a.client("ec2", "us-west-2")
    hub = east.create_transit_gateway(
        Description="hub",
        Options={
            "AmazonSideAsn": 64700,
            "DefaultRouteTableAssociation": "disable",
            "DefaultRouteTablePropagation": "disable",
            "AutoAcceptSharedAttachments": "enable",
        },
        TagSpecifications=[_name("transit-gateway", "hub")],
    )["TransitGateway"]
    west = west_ec2.create_transit_gateway(
        Description="west",
        Options={"AmazonSideAsn": 64701},
        TagSpecifications=[_name("transit-gateway", "west")],
    )["TransitGateway"]
    prod_vpc, prod_subnets = _vpc(
        east, "10.31.0.0/16", {"10.31.1.0/24": "us-east-1a", "10.31.2.0/24": "us-east-1b"}, "prod"
    )
    shared_vpc, (shared_subnet,) = _vpc(
        east, "10.32.0.0/16", {"10.32.1.0/24": "us-east-1a"}, "shared"
    )
    west_vpc, (west_subnet,) = _vpc(
        west_ec2, "10.33.0.0/16", {"10.33.1.0/24": "us-west-2a"}, "west"
    )

    def attach(
        ec2: object, tgw: str, vpc: str, subnets: list[str], name: str, **options: str
    ) -> str:
        return str(
            ec2.create_transit_gateway_vpc_attachment(  # type: ignore[attr-defined]
                TransitGatewayId=tgw,
                VpcId=vpc,
                SubnetIds=subnets,
                Options=options,
                TagSpecifications=[_name("transit-gateway-attachment", name)],
            )["TransitGatewayVpcAttachment"]["TransitGatewayAttachmentId"]
        )

    hub_id, west_id = hub["TransitGatewayId"], west["TransitGatewayId"]
    prod = attach(east, hub_id, prod_vpc, prod_subnets, "prod")
    shared = attach(
        east, hub_id, shared_vpc, [shared_subnet], "shared", ApplianceModeSupport="enable"
    )
    west_attachment = attach(west_ec2, west_id, west_vpc, [west_subnet], "west")
    peering = east.create_transit_gateway_peering_attachment(
        TransitGatewayId=hub_id,
        PeerTransitGatewayId=west_id,
        PeerAccountId=a.account,
        PeerRegion="us-west-2",
        TagSpecifications=[_name("transit-gateway-attachment", "hub-west")],
    )["TransitGatewayPeeringAttachment"]["TransitGatewayAttachmentId"]
    west_ec2.accept_transit_gateway_peering_attachment(TransitGatewayAttachmentId=peering)

    tables = {}
    for name in ("prod", "shared"):
        tables[name] = east.create_transit_gateway_route_table(
            TransitGatewayId=hub_id, TagSpecifications=[_name("transit-gateway-route-table", name)]
        )["TransitGatewayRouteTable"]["TransitGatewayRouteTableId"]
    for table, attachment in (("prod", prod), ("shared", shared), ("shared", peering)):
        east.associate_transit_gateway_route_table(
            TransitGatewayRouteTableId=tables[table], TransitGatewayAttachmentId=attachment
        )
    for table, attachment in (("prod", shared), ("shared", prod)):
        east.enable_transit_gateway_route_table_propagation(
            TransitGatewayRouteTableId=tables[table], TransitGatewayAttachmentId=attachment
        )
    for cidr, attachment in (("0.0.0.0/0", shared), ("10.33.0.0/16", peering)):
        east.create_transit_gateway_route(
            TransitGatewayRouteTableId=tables["prod"],
            DestinationCidrBlock=cidr,
            TransitGatewayAttachmentId=attachment,
        )
    east.create_transit_gateway_route(
        TransitGatewayRouteTableId=tables["prod"],
        DestinationCidrBlock="10.99.0.0/16",
        Blackhole=True,
    )
    west_default = west["Options"]["AssociationDefaultRouteTableId"]
    west_ec2.create_transit_gateway_route(
        TransitGatewayRouteTableId=west_default,
        DestinationCidrBlock="10.31.0.0/16",
        TransitGatewayAttachmentId=peering,
    )
    main = east.describe_route_tables(
        Filters=[
            {"Name": "vpc-id", "Values": [prod_vpc]},
            {"Name": "association.main", "Values": ["true"]},
        ]
    )["RouteTables"][0]["RouteTableId"]
    east.create_route(RouteTableId=main, DestinationCidrBlock="10.0.0.0/8", TransitGatewayId=hub_id)
    share = a.client("ram").create_resource_share(
        name="hub-share", resourceArns=[hub["TransitGatewayArn"]], principals=[b.account]
    )["resourceShare"]["resourceShareArn"]
    return Estate(
        a, b, hub_id, west_id, west_default, tables["prod"], tables["shared"], prod, shared,
        west_attachment, peering, prod_vpc, shared_vpc, west_vpc, tuple(prod_subnets),
        shared_subnet, west_subnet, main, share,
    )  # fmt: skip


@pytest.fixture(scope="module")
def estate(moto_url: str) -> Estate:
    return build(Aws.new(moto_url), Aws.new(moto_url))


@pytest.fixture(scope="module")
def raw(estate: Estate) -> RawRead:
    return read_snapshots(
        REGIONS,
        endpoint_url=estate.a.url,
        include_caller=False,
        role_arns=[estate.a.role, estate.b.role],
        session=caller_session(),
    )


@pytest.fixture(scope="module")
def network(raw: RawRead) -> Network:
    result = raw.mapped()
    assert result.warnings == ()
    return result.network


def test_transit_gateways_are_read_with_their_options(estate: Estate, network: Network) -> None:
    assert network.transit_gateways == {
        estate.hub: TransitGateway(
            estate.hub,
            "hub",
            account=estate.a.account,
            region="us-east-1",
            asn=64700,
            default_association=False,
            default_propagation=False,
            auto_accept_shared_attachments=True,
        ),
        estate.west: TransitGateway(
            estate.west,
            "west",
            account=estate.a.account,
            region="us-west-2",
            asn=64701,
            association_default_route_table=estate.west_default,
            propagation_default_route_table=estate.west_default,
        ),
    }


def test_attachments_are_read_and_the_peering_once(estate: Estate, network: Network) -> None:
    assert network.tgw_attachments == {
        estate.prod: TgwAttachment(
            estate.prod,
            "prod",
            transit_gateway=estate.hub,
            account=estate.a.account,
            vpc=estate.prod_vpc,
            subnets=tuple(sorted(estate.prod_subnets)),
        ),
        estate.shared: TgwAttachment(
            estate.shared,
            "shared",
            transit_gateway=estate.hub,
            account=estate.a.account,
            vpc=estate.shared_vpc,
            subnets=(estate.shared_subnet,),
            appliance_mode=True,
        ),
        estate.west_vpc_attachment: TgwAttachment(
            estate.west_vpc_attachment,
            "west",
            transit_gateway=estate.west,
            account=estate.a.account,
            vpc=estate.west_vpc,
            subnets=(estate.west_subnet,),
        ),
        estate.peering: TgwAttachment(
            estate.peering,
            "hub-west",
            transit_gateway=estate.hub,
            kind="peering",
            account=estate.a.account,
            peer_transit_gateway=estate.west,
            peer_account=estate.a.account,
            peer_region="us-west-2",
        ),
    }


def test_route_tables_have_their_associations_propagations_and_static_routes(
    estate: Estate, network: Network
) -> None:
    assert network.tgw_route_tables == {
        estate.prod_table: TgwRouteTable(
            estate.prod_table,
            "prod",
            transit_gateway=estate.hub,
            routes=(
                TgwRoute(net("10.33.0.0/16"), estate.peering),
                TgwRoute(net("10.99.0.0/16"), None, state="blackhole"),
                TgwRoute(net("0.0.0.0/0"), estate.shared),
            ),
            associations=(estate.prod,),
            propagations=(estate.shared,),
        ),
        estate.shared_table: TgwRouteTable(
            estate.shared_table,
            "shared",
            transit_gateway=estate.hub,
            associations=tuple(sorted([estate.shared, estate.peering])),
            propagations=(estate.prod,),
        ),
        estate.west_default: TgwRouteTable(
            estate.west_default,
            "",
            transit_gateway=estate.west,
            routes=(TgwRoute(net("10.31.0.0/16"), estate.peering),),
            associations=tuple(sorted([estate.west_vpc_attachment, estate.peering])),
            propagations=(estate.west_vpc_attachment,),
            default_association=True,
            default_propagation=True,
        ),
    }
    # the model adds the propagated routes itself
    prod_routes = network.tgw_routes(network.tgw_route_tables[estate.prod_table])
    assert TgwRoute(net("10.32.0.0/16"), estate.shared, kind="propagated") in prod_routes
    assert network.tgw_route_table_of[(estate.west, estate.peering)].id == estate.west_default
    assert network.tgw_route_table_of[(estate.hub, estate.peering)].id == estate.shared_table


def test_the_vpc_route_names_the_transit_gateway(estate: Estate, network: Network) -> None:
    routes = network.route_tables[estate.prod_main_table].routes
    assert Route(net("10.0.0.0/8"), estate.hub, "transit_gateway") in routes


def test_the_resource_share_is_read(estate: Estate, network: Network) -> None:
    assert network.resource_shares == {
        estate.share_arn: ResourceShare(
            estate.share_arn,
            "hub-share",
            account=estate.a.account,
            region="us-east-1",
            resources=(estate.hub,),
            principals=(estate.b.account,),
            status={estate.b.account: "ASSOCIATED"},
        )
    }


def test_a_snapshot_round_trips_the_transit_gateways(
    raw: RawRead, network: Network, tmp_path: Path
) -> None:
    write_snapshot(tmp_path, raw, source="sandbox", version="test")
    loaded = load_snapshot(tmp_path)
    assert loaded.incomplete() == {}
    again = snapshot_network(loaded).network
    for kind in ("transit_gateways", "tgw_attachments", "tgw_route_tables", "resource_shares"):
        assert getattr(again, kind) == getattr(network, kind), kind


def test_a_missing_tgw_file_is_a_gap_not_an_empty_table(
    estate: Estate, raw: RawRead, tmp_path: Path
) -> None:
    write_snapshot(tmp_path, raw, source="sandbox", version="test")
    place = tmp_path / "aws_configs" / "accounts" / estate.a.account / "us-east-1"
    (place / "TransitGatewayStaticRoutes.json").unlink()
    loaded = load_snapshot(tmp_path)
    assert loaded.incomplete() == {
        (estate.a.account, "us-east-1"): ("TransitGatewayStaticRoutes.json",)
    }


def test_a_batfish_snapshot_takes_associations_from_the_attachments(
    estate: Estate, raw: RawRead, network: Network, tmp_path: Path
) -> None:
    """Batfish saves DescribeTransitGatewayAttachments (each attachment's Association), not
    the per-table associations: without that file the associations come from there."""
    write_snapshot(tmp_path, raw, source="sandbox", version="test")
    for place in (tmp_path / "aws_configs" / "accounts").glob("*/*"):
        (place / "TransitGatewayRouteTableAssociations.json").unlink()
    loaded = load_snapshot(tmp_path)
    assert loaded.incomplete() == {}
    again = snapshot_network(loaded).network
    # the requester's side; moto describes a peering with the requester's association on
    # both sides, so the accepter's table is not compared
    for table in (estate.prod_table, estate.shared_table):
        assert again.tgw_route_tables[table] == network.tgw_route_tables[table]


def test_a_route_search_cut_short_is_a_warning(fresh: Aws, monkeypatch: pytest.MonkeyPatch) -> None:
    """SearchTransitGatewayRoutes may say AdditionalRoutesAvailable without a NextToken (the
    patched sandbox does, past MaxResults): the reader must say routes are missing."""
    from vpcwire.read import tasks

    ec2 = fresh.client("ec2")
    tgw = ec2.create_transit_gateway(Options={"DefaultRouteTablePropagation": "disable"})[
        "TransitGateway"
    ]
    table = tgw["Options"]["AssociationDefaultRouteTableId"]
    for n in range(7):
        ec2.create_transit_gateway_route(
            TransitGatewayRouteTableId=table, DestinationCidrBlock=f"10.{n}.0.0/16", Blackhole=True
        )
    monkeypatch.setattr(tasks, "PAGE_SIZE_CAP", 5)
    result = read_snapshots(
        ["us-east-1"],
        endpoint_url=fresh.url,
        include_caller=False,
        role_arns=[fresh.role],
        session=caller_session(),
    ).mapped()
    assert len(result.network.tgw_route_tables[table].routes) == 5
    assert [w for w in result.warnings if "SearchTransitGatewayRoutes" in w] == [
        f"ec2:SearchTransitGatewayRoutes gave only 5 static routes of transit gateway route "
        f"table {table} (account {fresh.account}, us-east-1) and said more exist: the routes "
        "beyond them are not in the network"
    ]
