"""What the Transit Gateway rules ask of a Network: which TGW route decides a destination,
and whether a VPC sends a block to a TGW. Shared by the VW-E8xx rules; no rule here.

Route choice follows AWS: the longest prefix wins, a static route over a propagated one for
the same prefix, a blackhole drops.
https://docs.aws.amazon.com/vpc/latest/tgw/how-transit-gateways-work.html#tgw-route-evaluation-overview
"""

from __future__ import annotations

from collections.abc import Iterator
from ipaddress import IPv4Network

from vpcwire.network import Network
from vpcwire.network.model import RouteTable, TgwAttachment, TgwRoute, TgwRouteTable, Vpc

__all__ = [
    "GONE_STATES",
    "TGW_QUOTAS_URL",
    "attachments_of_vpc",
    "best_tgw_route",
    "other_way_back",
    "tables_of_vpc",
    "vpc_attachment_pairs",
    "vpc_routes_to_tgw",
]

TGW_QUOTAS_URL = "https://docs.aws.amazon.com/vpc/latest/tgw/transit-gateway-quotas.html"

# Route kinds that may carry a reply another way than the TGW in question (a peering, a
# VPN, an appliance, another TGW): where one covers the block, no rule claims it is lost.
_OTHER_WAYS = {"peering", "vpn_gateway", "network_interface", "other", "transit_gateway"}


# Attachment states that hold no attachment any more (a live read lists them for a while).
GONE_STATES = frozenset({"deleted", "deleting", "failed", "rejected"})


def attachments_of_vpc(net: Network) -> dict[str, list[TgwAttachment]]:
    """Each VPC's attachments that exist (pending ones included, gone ones not)."""
    out: dict[str, list[TgwAttachment]] = {}
    for vpc, atts in net.tgw_attachments_of_vpc.items():
        alive = [a for a in atts if a.state not in GONE_STATES]
        if alive:
            out[vpc] = alive
    return out


def best_tgw_route(net: Network, table: TgwRouteTable, cidr: IPv4Network) -> TgwRoute | None:
    """The route of ``table`` that takes the whole block ``cidr``: the longest prefix that
    contains it, static before propagated; None when no route contains it."""
    best: TgwRoute | None = None
    for route in net.tgw_routes(table):
        dest = route.destination
        if dest is None or not cidr.subnet_of(dest):
            continue
        if (
            best is None
            or best.destination is None
            or dest.prefixlen > best.destination.prefixlen
            or (dest.prefixlen == best.destination.prefixlen and route.kind == "static")
        ):
            best = route
    return best


def tables_of_vpc(net: Network, vpc: str) -> list[RouteTable]:
    return [rt for rt in net.route_tables.values() if rt.vpc == vpc]


def vpc_routes_to_tgw(net: Network, vpc: str, tgw: str, cidr: IPv4Network) -> bool:
    """Does any route table of ``vpc`` send (part of) ``cidr`` to ``tgw``: a route to the TGW
    that overlaps the block and that no more specific route of that table takes over (a
    peering route for the peer's CIDR under a 10.0.0.0/8 to the TGW wins, longest prefix)?"""
    for rt in tables_of_vpc(net, vpc):
        for r in rt.routes:
            dest = r.destination
            if r.kind != "transit_gateway" or r.target != tgw or dest is None:
                continue
            if not dest.overlaps(cidr):
                continue
            part = dest if dest.prefixlen >= cidr.prefixlen else cidr  # the overlap
            if not any(
                o is not r
                and o.destination is not None
                and o.destination.prefixlen > dest.prefixlen
                and part.subnet_of(o.destination)
                for o in rt.routes
            ):
                return True
    return False


def other_way_back(net: Network, vpc: str, tgw: str, cidr: IPv4Network) -> bool:
    """Does ``vpc`` route (part of) ``cidr`` some other way than ``tgw`` that might carry a
    reply (a peering, another TGW, an appliance)? Then a missing TGW route proves nothing."""
    return any(
        r.kind in _OTHER_WAYS
        and not (r.kind == "transit_gateway" and r.target == tgw)
        and r.destination is not None
        and r.destination.overlaps(cidr)
        for rt in tables_of_vpc(net, vpc)
        for r in rt.routes
    )


def vpc_attachment_pairs(
    net: Network,
) -> Iterator[tuple[TgwAttachment, Vpc, TgwRouteTable, TgwAttachment, Vpc, TgwRouteTable]]:
    """Every ordered pair of two available VPC attachments of one TGW, of two VPCs, each
    associated with a route table: (x, its VPC, its table, y, its VPC, its table)."""
    atts = [
        a
        for a in net.tgw_attachments.values()
        if a.kind == "vpc" and a.state == "available" and a.vpc in net.vpcs
    ]
    for x in atts:
        tx = net.tgw_route_table_of.get((x.transit_gateway, x.id))
        if tx is None:
            continue
        for y in atts:
            if y.transit_gateway != x.transit_gateway or y.vpc == x.vpc:
                continue
            ty = net.tgw_route_table_of.get((y.transit_gateway, y.id))
            if ty is None:
                continue
            assert x.vpc is not None and y.vpc is not None
            yield x, net.vpcs[x.vpc], tx, y, net.vpcs[y.vpc], ty
