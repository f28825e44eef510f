"""VPC peerings, and a route to the peer's every CIDR block in every route table of both VPCs.

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
            for rt in tables_of.get(tf_id("aws_vpc", here), []):
                current = ctx.builder.get("route_table", rt.id)
                extra = tuple(Route(c, pcx.id, "peering") for c in peer_cidrs)
                ctx.builder.update(current, routes=current.routes + extra)
    return ctx


def _peering(ctx: PlanContext, link: _Link) -> PeeringConnection:
    req, acc = ctx.vpcs[link.requester], ctx.vpcs[link.accepter]
    name = link.name
    return ctx.builder.add(
        PeeringConnection(
            tf_id("aws_vpc_peering_connection", name),
            name,
            requester_vpc=tf_id("aws_vpc", req.name),
            accepter_vpc=tf_id("aws_vpc", acc.name),
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
