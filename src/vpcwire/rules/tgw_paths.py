"""What the Transit Gateway rules ask of a Network: which TGW route decides a destination,
and whether a VPC sends a block to a TGW. Shared by the VW-E8xx rules; no rule here.

Every answer is kept (:class:`TgwPaths` lives for one rule's judgement): the pair rules ask
them for every pair of attachments, n² of them on one TGW, and a TGW route table's
propagated routes are computed anew by each ``Network.tgw_routes`` call.

Route choice follows AWS: the longest prefix wins, a static route over a propagated one for
the same prefix, a blackhole drops.
https://docs.aws.amazon.com/vpc/latest/tgw/how-transit-gateways-work.html#tgw-route-evaluation-overview
"""

from __future__ import annotations

from collections.abc import Iterator
from ipaddress import IPv4Network

from vpcwire.network import Network
from vpcwire.network.model import RouteTable, TgwAttachment, TgwRoute, TgwRouteTable, Vpc

__all__ = ["GONE_STATES", "TGW_QUOTAS_URL", "TgwPaths", "attachments_of_vpc"]

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


class TgwPaths:
    """The TGW questions the pair rules ask of one Network, each answered once."""

    def __init__(self, net: Network) -> None:
        self.net = net
        self._routes: dict[str, tuple[TgwRoute, ...]] = {}
        self._best: dict[tuple[str, IPv4Network], TgwRoute | None] = {}
        self._any: dict[tuple[str, IPv4Network], bool] = {}
        self._sends: dict[tuple[str, str, IPv4Network], bool] = {}
        self._other: dict[tuple[str, str, IPv4Network], bool] = {}
        self._tables: dict[str, list[RouteTable]] = {}
        for rt in net.route_tables.values():
            self._tables.setdefault(rt.vpc, []).append(rt)

    def routes(self, table: TgwRouteTable) -> tuple[TgwRoute, ...]:
        """The table's routes, propagated ones computed (``Network.tgw_routes``)."""
        if table.id not in self._routes:
            self._routes[table.id] = self.net.tgw_routes(table)
        return self._routes[table.id]

    def tables_of(self, vpc: str) -> list[RouteTable]:
        return self._tables.get(vpc, [])

    def best(self, table: TgwRouteTable, cidr: IPv4Network) -> TgwRoute | None:
        """The route of ``table`` that takes the whole block ``cidr``: the longest prefix
        that contains it, static before propagated; None when no route contains it."""
        key = (table.id, cidr)
        if key not in self._best:
            best: TgwRoute | None = None
            for route in self.routes(table):
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
            self._best[key] = best
        return self._best[key]

    def any_route(self, table: TgwRouteTable, cidr: IPv4Network) -> bool:
        """Does any route of ``table`` (a blackhole too) overlap ``cidr``?"""
        key = (table.id, cidr)
        if key not in self._any:
            self._any[key] = any(
                r.destination is not None and r.destination.overlaps(cidr)
                for r in self.routes(table)
            )
        return self._any[key]

    def sends(self, vpc: str, tgw: str, cidr: IPv4Network) -> bool:
        """Does any route table of ``vpc`` send (part of) ``cidr`` to ``tgw``: a route to the
        TGW that overlaps the block and that no more specific route of that table takes over
        (a peering route for the peer's CIDR under a 10.0.0.0/8 to the TGW wins)?"""
        key = (vpc, tgw, cidr)
        if key not in self._sends:
            self._sends[key] = any(self._table_sends(rt, tgw, cidr) for rt in self.tables_of(vpc))
        return self._sends[key]

    @staticmethod
    def _table_sends(rt: RouteTable, tgw: str, cidr: IPv4Network) -> bool:
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

    def other_way_back(self, vpc: str, tgw: str, cidr: IPv4Network) -> bool:
        """Does ``vpc`` route (part of) ``cidr`` some other way than ``tgw`` that might carry
        a reply (a peering, another TGW, an appliance)? Then a missing TGW route proves
        nothing."""
        key = (vpc, tgw, cidr)
        if key not in self._other:
            self._other[key] = any(
                r.kind in _OTHER_WAYS
                and not (r.kind == "transit_gateway" and r.target == tgw)
                and r.destination is not None
                and r.destination.overlaps(cidr)
                for rt in self.tables_of(vpc)
                for r in rt.routes
            )
        return self._other[key]

    def pairs(
        self,
    ) -> Iterator[tuple[TgwAttachment, Vpc, TgwRouteTable, TgwAttachment, Vpc, TgwRouteTable]]:
        """Every ordered pair of two available VPC attachments of one TGW, of two VPCs, each
        associated with a route table: (x, its VPC, its table, y, its VPC, its table)."""
        net = self.net
        by_tgw: dict[str, list[tuple[TgwAttachment, Vpc, TgwRouteTable]]] = {}
        for att in net.tgw_attachments.values():
            if att.kind != "vpc" or att.state != "available" or att.vpc not in net.vpcs:
                continue
            table = net.tgw_route_table_of.get((att.transit_gateway, att.id))
            if table is not None:
                vpc = net.vpcs[str(att.vpc)]
                by_tgw.setdefault(att.transit_gateway, []).append((att, vpc, table))
        for members in by_tgw.values():
            for x, a, tx in members:
                for y, b, ty in members:
                    if a.id != b.id:
                        yield x, a, tx, y, b, ty
