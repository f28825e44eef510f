"""VPC peerings, and a route to the peer's every CIDR block in every route table of both VPCs.

An existing VPC's routes go into every table that serves its subnets (passes/adopt_existing):
separate route resources in tables vpcwire does not own.

One peering per pair of VPCs (AWS allows no second one), shared by every connection that
needs that pair: a ``peers`` entry, a consumer -> service connection via peering, and the
link between a provider VPC and its outpost. Routes go into *every* table of both sides,
the main table included: a subnet added later without an association still reaches the peer,
and the reply path (which follows the responder's table) always exists.
"""

from __future__ import annotations

from dataclasses import dataclass

from vpcwire.network import PeeringConnection, Route, RouteTable
from vpcwire.plan.naming import tf_id
from vpcwire.plan.plan import PlanContext
from vpcwire.spec.models import PeerConnection, ServiceConnection


@dataclass
class _Link:
    requester: str
    accepter: str
    dns: bool
    connections: list[int]
    name: str


def run(ctx: PlanContext) -> PlanContext:
    links: dict[frozenset[str], _Link] = {}

    def need(a: str, b: str, dns: bool, index: int, name: str | None = None) -> None:
        key = frozenset((a, b))
        link = links.setdefault(key, _Link(a, b, False, [], name or f"{a}_{b}"))
        link.dns = link.dns or dns
        link.connections.append(index)

    for decision in ctx.decisions:
        conn = ctx.spec.connections[decision.index]
        if isinstance(conn, PeerConnection):
            if decision.mechanism == "peering":  # else Transit Gateways (connect_transit)
                for a, b in conn.pairs:
                    need(a, b, conn.dns_resolution, decision.index)
        elif decision.mechanism == "peering":
            assert isinstance(conn, ServiceConnection)
            need(
                conn.consumer, ctx.spec.services[conn.service].vpc, conn.private_dns, decision.index
            )
        elif decision.mechanism == "outpost":
            assert isinstance(conn, ServiceConnection)
            provider = ctx.spec.services[conn.service].vpc
            outpost = ctx.outposts[(provider, ctx.spec.vpcs[conn.consumer].region)]
            need(provider, outpost, False, decision.index, name=outpost)

    tables_of: dict[str, list[RouteTable]] = {}
    for rt in ctx.builder.all("route_table"):
        tables_of.setdefault(rt.vpc, []).append(rt)
    for link in links.values():
        pcx = _peering(ctx, link)
        for index in link.connections:
            ctx.record(index, pcx.id)
        for here, there in ((link.requester, link.accepter), (link.accepter, link.requester)):
            peer_cidrs = ctx.vpcs[there].cidrs
            for rt in _serving(ctx, tables_of.get(ctx.vpc_id(here), []), here):
                current = ctx.builder.get("route_table", rt.id)
                extra = tuple(Route(c, pcx.id, "peering") for c in peer_cidrs)
                ctx.builder.update(current, routes=current.routes + extra)
    return ctx


def _serving(ctx: PlanContext, tables: list[RouteTable], vpc: str) -> list[RouteTable]:
    """The tables that get the peer's routes: all of a VPC of ours; of an existing VPC, every
    table that serves one of its subnets (the main table when a subnet has no association
    of its own). A table no subnet uses is the estate's business, and stays untouched."""
    if vpc not in ctx.vpc_ids:
        return tables
    subnets = {s.id for tier in ctx.subnets[vpc].values() for s in tier}
    associated = {sid for rt in tables for sid in rt.subnets}
    return [rt for rt in tables if set(rt.subnets) & subnets or (rt.main and subnets - associated)]


def _peering(ctx: PlanContext, link: _Link) -> PeeringConnection:
    req, acc = ctx.vpcs[link.requester], ctx.vpcs[link.accepter]
    name = link.name
    return ctx.builder.add(
        PeeringConnection(
            tf_id("aws_vpc_peering_connection", name),
            name,
            requester_vpc=ctx.vpc_id(req.name),
            accepter_vpc=ctx.vpc_id(acc.name),
            requester_account=ctx.account_id(req.account),
            accepter_account=ctx.account_id(acc.account),
            requester_region=req.region,
            accepter_region=acc.region,
            status="active",
            requester_cidrs=req.cidrs,
            accepter_cidrs=acc.cidrs,
            requester_allows_remote_dns=link.dns,
            accepter_allows_remote_dns=link.dns,
        )
    )
