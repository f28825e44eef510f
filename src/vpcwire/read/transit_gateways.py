"""Transit Gateways and RAM resource shares: what routes between VPCs through a TGW.

Read in the first round, for every (account, region), whatever VPCs are selected: a hub
account often owns a TGW and no workload VPC, and its route tables decide where the
spokes' traffic goes. AWS → model:

* TGW (DescribeTransitGateways): OwnerId → account, the reading region, AmazonSideAsn, the
  default association/propagation options and tables, AutoAcceptSharedAttachments. A TGW
  shared through RAM is listed in the participant's account too: the owner's view is kept.
* VPC attachment (DescribeTransitGatewayVpcAttachments): VPC, VpcOwnerId → account, subnet
  ids (sorted), ApplianceModeSupport, DnsSupport, state.
* Peering attachment (DescribeTransitGatewayPeeringAttachments): listed on both sides with
  one id; read once. RequesterTgwInfo → ``transit_gateway``/``account``, AccepterTgwInfo →
  ``peer_*``.
* Route table (DescribeTransitGatewayRouteTables, the TGW owner's only): associations and
  propagations (one Get… call each per table; a snapshot without the associations, as
  Batfish saves them, takes them from DescribeTransitGatewayAttachments' Association), and its **static** routes
  (SearchTransitGatewayRoutes, filter ``type=static``): a route with no attachment is a
  blackhole. Propagated routes are not read: :meth:`Network.tgw_routes` derives them from
  the propagations, so a read from AWS (which lists them) and one from moto (which does
  not) give the same network.
* Resource share (RAM GetResourceShares, owner SELF): its resources (TGW ARNs → ids) and
  principals from GetResourceShareAssociations, with each principal's status.

Deleted things, which AWS keeps listing for a while, are left out (also failed and rejected
attachments, which never carry traffic).
"""

from __future__ import annotations

import functools
from collections.abc import Callable, Iterable, Mapping, Sequence
from typing import Any

from vpcwire.network import (
    NetworkBuilder,
    ResourceShare,
    TgwAttachment,
    TgwRoute,
    TgwRouteTable,
    TransitGateway,
)
from vpcwire.read import tasks
from vpcwire.read.convert import Raw, add_new, name_of, network, tags_of
from vpcwire.read.snapshot import Snapshot, Unit
from vpcwire.read.tasks import Scheduler, paginate, store_at

__all__ = ["discover", "map_transit_gateways"]

_GONE = {"deleted", "deleting", "failed", "rejected"}
_SHARE_GONE = {"DELETED", "DELETING", "FAILED"}
_ASSOCIATION_GONE = {"DISASSOCIATED", "DISASSOCIATING", "FAILED"}


def discover(sched: Scheduler, unit: Unit) -> None:
    """First round: TGWs, attachments, route tables (then their details) and RAM shares."""
    snap, ec2 = unit.snap, unit.ec2
    for key, operation, store, what in (
        (
            "transit_gateways",
            "describe_transit_gateways",
            snap.transit_gateways,
            "transit gateways",
        ),
        (
            "tgw_vpc_attachments",
            "describe_transit_gateway_vpc_attachments",
            snap.tgw_vpc_attachments,
            "transit gateway VPC attachments",
        ),
        (
            "tgw_attachments",
            "describe_transit_gateway_attachments",
            snap.tgw_attachments,
            "transit gateway attachments",
        ),
        (
            "tgw_peering_attachments",
            "describe_transit_gateway_peering_attachments",
            snap.tgw_peering_attachments,
            "transit gateway peering attachments",
        ),
    ):
        sched.list_all(
            unit,
            key,
            ec2,
            operation,
            store.extend,
            f"{what} of {unit.where} are not in the network",
        )
    sched.list_all(
        unit,
        "tgw_route_tables",
        ec2,
        "describe_transit_gateway_route_tables",
        lambda tables: _tables_read(sched, unit, tables),
        f"transit gateway route tables of {unit.where} are not in the network",
    )
    if unit.ram is not None:
        _discover_shares(sched, unit)


def _tables_read(sched: Scheduler, unit: Unit, tables: list[Raw]) -> None:
    unit.snap.tgw_route_tables.extend(tables)
    for table in tables:
        if table.get("State") in _GONE:
            continue
        table_id = table["TransitGatewayRouteTableId"]
        where = f"transit gateway route table {table_id} ({unit.where})"
        sched.call(
            unit,
            "tgw_associations",
            "ec2:GetTransitGatewayRouteTableAssociations",
            paginate(
                unit.ec2,
                "get_transit_gateway_route_table_associations",
                TransitGatewayRouteTableId=table_id,
            ),
            store_at(unit.snap.tgw_associations, table_id),
            f"the associations of {where} are unknown",
        )
        sched.call(
            unit,
            "tgw_propagations",
            "ec2:GetTransitGatewayRouteTablePropagations",
            paginate(
                unit.ec2,
                "get_transit_gateway_route_table_propagations",
                TransitGatewayRouteTableId=table_id,
            ),
            store_at(unit.snap.tgw_propagations, table_id),
            f"the propagations of {where} are unknown",
        )
        sched.call(
            unit,
            "tgw_routes",
            "ec2:SearchTransitGatewayRoutes",
            _static_routes(unit.ec2, table_id),
            functools.partial(_routes_read, sched, unit, table_id, where),
            f"the static routes of {where} are unknown",
        )


def _static_routes(ec2: Any, table_id: str) -> Callable[[], tuple[list[Raw], bool]]:
    """The table's static routes, and whether AWS said more were available than it gave
    (SearchTransitGatewayRoutes may answer AdditionalRoutesAvailable without a NextToken:
    the paginator then stops, silently short)."""
    paginator = ec2.get_paginator("search_transit_gateway_routes")
    cap = tasks.PAGE_SIZE_CAP  # read at call time: tests lower it
    config = {"PageSize": min(1000, cap) if cap else 1000}

    def run() -> tuple[list[Raw], bool]:
        routes: list[Raw] = []
        more = False
        for page in paginator.paginate(
            TransitGatewayRouteTableId=table_id,
            Filters=[{"Name": "type", "Values": ["static"]}],
            PaginationConfig=config,
        ):
            routes.extend(page.get("Routes") or ())
            more = bool(page.get("AdditionalRoutesAvailable")) and not page.get("NextToken")
        return routes, more

    return run


def _routes_read(
    sched: Scheduler, unit: Unit, table_id: str, where: str, answer: tuple[list[Raw], bool]
) -> None:
    routes, truncated = answer
    unit.snap.tgw_routes[table_id] = routes
    if truncated:
        sched.warnings.append(
            f"ec2:SearchTransitGatewayRoutes gave only {len(routes)} static routes of {where} "
            "and said more exist: the routes beyond them are not in the network"
        )


def _discover_shares(sched: Scheduler, unit: Unit) -> None:
    missing = f"RAM resource shares of {unit.where} are not in the network"
    sched.list_all(
        unit,
        "resource_shares",
        unit.ram,
        "get_resource_shares",
        unit.snap.resource_shares.extend,
        missing,
        resourceOwner="SELF",
    )
    for kind in ("PRINCIPAL", "RESOURCE"):
        sched.list_all(
            unit,
            "resource_share_associations",
            unit.ram,
            "get_resource_share_associations",
            unit.snap.resource_share_associations.extend,
            missing,
            associationType=kind,
        )


# -- mapping ---------------------------------------------------------------------------------


def map_transit_gateways(snapshots: Sequence[Snapshot], b: NetworkBuilder) -> None:
    # the owner's view first: a participant of a RAM share may be shown less of the options
    for own in (True, False):
        for snap in snapshots:
            for raw in snap.transit_gateways:
                if raw.get("State") not in _GONE and (raw.get("OwnerId") == snap.account) == own:
                    add_new(b, _gateway(raw, snap))
    for snap in snapshots:
        # the kind's own fields, checked: moto once listed every kind in both calls
        for raw in snap.tgw_vpc_attachments:
            if raw.get("State") not in _GONE and raw.get("VpcId"):
                add_new(b, _vpc_attachment(raw))
        for raw in snap.tgw_peering_attachments:
            if raw.get("State") not in _GONE and raw.get("AccepterTgwInfo"):
                add_new(b, _peering_attachment(raw))
    for snap in snapshots:
        for raw in snap.tgw_route_tables:
            if raw.get("State") not in _GONE:
                add_new(b, _route_table(raw, snap))
        _map_shares(snap, b)


def _enabled(options: Mapping[str, Any], key: str, default: bool = False) -> bool:
    value = options.get(key)
    return default if value is None else value == "enable"


def _gateway(raw: Raw, snap: Snapshot) -> TransitGateway:
    options: Mapping[str, Any] = raw.get("Options") or {}
    asn = options.get("AmazonSideAsn")
    tags = tags_of(raw)
    return TransitGateway(
        raw["TransitGatewayId"],
        name_of(tags),
        account=str(raw.get("OwnerId") or snap.account),
        region=_region_of(raw.get("TransitGatewayArn"), snap.region),
        asn=int(asn) if asn is not None else None,
        default_association=_enabled(options, "DefaultRouteTableAssociation", True),
        default_propagation=_enabled(options, "DefaultRouteTablePropagation", True),
        association_default_route_table=options.get("AssociationDefaultRouteTableId") or None,
        propagation_default_route_table=options.get("PropagationDefaultRouteTableId") or None,
        auto_accept_shared_attachments=_enabled(options, "AutoAcceptSharedAttachments"),
        state=str(raw.get("State", "available")),
        tags=tags,
    )


def _region_of(arn: str | None, fallback: str) -> str:
    parts = (arn or "").split(":")
    return parts[3] if len(parts) > 3 and parts[3] else fallback


def _vpc_attachment(raw: Raw) -> TgwAttachment:
    options: Mapping[str, Any] = raw.get("Options") or {}
    tags = tags_of(raw)
    return TgwAttachment(
        raw["TransitGatewayAttachmentId"],
        name_of(tags),
        transit_gateway=raw.get("TransitGatewayId", ""),
        kind="vpc",
        account=str(raw.get("VpcOwnerId", "")),
        vpc=raw.get("VpcId"),
        subnets=tuple(sorted(raw.get("SubnetIds") or ())),
        appliance_mode=_enabled(options, "ApplianceModeSupport"),
        dns_support=_enabled(options, "DnsSupport", True),
        state=str(raw.get("State", "available")),
        tags=tags,
    )


def _peering_attachment(raw: Raw) -> TgwAttachment:
    requester: Mapping[str, Any] = raw.get("RequesterTgwInfo") or {}
    accepter: Mapping[str, Any] = raw.get("AccepterTgwInfo") or {}
    tags = tags_of(raw)
    return TgwAttachment(
        raw["TransitGatewayAttachmentId"],
        name_of(tags),
        transit_gateway=requester.get("TransitGatewayId", ""),
        kind="peering",
        account=str(requester.get("OwnerId", "")),
        state=str(raw.get("State", "available")),
        peer_transit_gateway=accepter.get("TransitGatewayId"),
        peer_account=accepter.get("OwnerId"),
        peer_region=accepter.get("Region"),
        tags=tags,
    )


def _route_table(raw: Raw, snap: Snapshot) -> TgwRouteTable:
    table_id = raw["TransitGatewayRouteTableId"]
    tags = tags_of(raw)
    if table_id in snap.tgw_associations:
        associations: Iterable[Raw] = snap.tgw_associations[table_id]
    else:  # a Batfish snapshot: each attachment's Association (DescribeTransitGatewayAttachments)
        associations = [
            {"TransitGatewayAttachmentId": a.get("TransitGatewayAttachmentId"), **association}
            for a in snap.tgw_attachments
            if (association := a.get("Association") or {}).get("TransitGatewayRouteTableId")
            == table_id
        ]
    propagations = snap.tgw_propagations.get(table_id) or ()
    return TgwRouteTable(
        table_id,
        name_of(tags),
        transit_gateway=raw.get("TransitGatewayId", ""),
        routes=tuple(sorted(_routes(snap.tgw_routes.get(table_id) or ()), key=_route_order)),
        associations=_ids(a for a in associations if a.get("State", "associated") == "associated"),
        propagations=_ids(p for p in propagations if p.get("State", "enabled") == "enabled"),
        default_association=bool(raw.get("DefaultAssociationRouteTable")),
        default_propagation=bool(raw.get("DefaultPropagationRouteTable")),
        tags=tags,
    )


def _ids(items: Iterable[Raw]) -> tuple[str, ...]:
    return tuple(
        sorted(
            {i["TransitGatewayAttachmentId"] for i in items if i.get("TransitGatewayAttachmentId")}
        )
    )


def _route_order(route: TgwRoute) -> tuple[int, int, str]:
    """Most specific first, then by address, prefix-list routes last: AWS's answer has no
    documented order."""
    if route.destination is None:
        return (-1, 0, route.prefix_list or "")
    return (-route.destination.prefixlen, int(route.destination.network_address), "")


def _routes(items: Iterable[Raw]) -> Iterable[TgwRoute]:
    for raw in items:
        state = raw.get("State")
        if state not in ("active", "blackhole"):
            continue  # pending, deleting, deleted
        destination = network(raw.get("DestinationCidrBlock"))
        prefix_list = raw.get("PrefixListId")
        if destination is None and not prefix_list:
            continue  # an IPv6 route: no IPv4 flow takes it
        targets = [
            t["TransitGatewayAttachmentId"]
            for t in raw.get("TransitGatewayAttachments") or ()
            if t.get("TransitGatewayAttachmentId")
        ]
        blackhole = state == "blackhole" or not targets
        yield TgwRoute(
            destination,
            None if blackhole else targets[0],
            kind="propagated" if raw.get("Type") == "propagated" else "static",
            state="blackhole" if blackhole else "active",
            prefix_list=prefix_list,
        )


def _map_shares(snap: Snapshot, b: NetworkBuilder) -> None:
    resources: dict[str, list[str]] = {}
    principals: dict[str, dict[str, str]] = {}
    for item in snap.resource_share_associations:
        arn, entity = item.get("resourceShareArn"), item.get("associatedEntity")
        status = str(item.get("status", "ASSOCIATED"))
        if not arn or not entity or status in _ASSOCIATION_GONE:
            continue
        if item.get("associationType") == "RESOURCE":
            resources.setdefault(arn, []).append(_resource_id(entity))
        else:
            principals.setdefault(arn, {})[entity] = status
    for raw in snap.resource_shares:
        arn = raw.get("resourceShareArn")
        if not arn or raw.get("status") in _SHARE_GONE:
            continue
        shared_with = principals.get(arn, {})
        add_new(
            b,
            ResourceShare(
                arn,
                str(raw.get("name", "")),
                account=str(raw.get("owningAccountId") or snap.account),
                region=snap.region,
                resources=tuple(sorted(set(resources.get(arn, ())))),
                principals=tuple(sorted(shared_with)),
                allow_external_principals=bool(raw.get("allowExternalPrincipals", True)),
                status=dict(sorted(shared_with.items())),
            ),
        )


def _resource_id(arn: str) -> str:
    """``arn:aws:ec2:…:transit-gateway/tgw-…`` → ``tgw-…``; anything else stays an ARN."""
    tail = arn.rsplit(":", 1)[-1]
    return tail.split("/", 1)[1] if "/" in tail else arn
