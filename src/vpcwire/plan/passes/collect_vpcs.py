"""Decide which VPCs exist: the spec's, plus one outpost VPC per (provider VPC, region).

An outpost VPC lives in the provider's account, in the consumer's region. Its CIDR is the
connection's ``outpost_cidr`` or the first free /24 that overlaps no VPC of the spec (it is
peered with the provider VPC, and its NLB's addresses are what the provider's targets see,
so it must be distinct from both sides). It gets one private subnet in each AZ where one of
its consumers has a subnet, so every consumer endpoint AZ is covered by an NLB node.
"""

from __future__ import annotations

from ipaddress import IPv4Network

from vpcwire.errors import SpecError, SpecProblem
from vpcwire.plan.addressing import CidrIndex, lay_out_subnets
from vpcwire.plan.facts import vpc_blocks
from vpcwire.plan.plan import PlanContext, VpcPlan
from vpcwire.spec.models import PeerConnection, ServiceConnection, VpcSpec
from vpcwire.spec.source import format_path, spec_location


def run(ctx: PlanContext) -> PlanContext:
    spec = ctx.spec
    talkers = {p for c in spec.connections if isinstance(c, PeerConnection) for p in c.peers}
    talkers |= {c.consumer for c in spec.connections if isinstance(c, ServiceConnection)}
    hosts = {s.vpc for s in spec.services.values()}
    for name, vpc in spec.vpcs.items():
        clients = vpc.instances
        existing = ctx.estate.vpcs.get(name) if ctx.estate is not None else None
        if clients is None:
            clients = 1 if name in talkers and name not in hosts and not existing else 0
        ctx.vpcs[name] = VpcPlan(
            name=name,
            account=spec.account_of(name),
            region=vpc.region,
            cidrs=(vpc.cidr, *vpc.secondary_cidrs),
            subnets=tuple(lay_out_subnets(name, vpc)),
            nat=vpc.nat,
            clients=clients,
            spec_path=("vpcs", name),
            existing=existing,
        )
    _add_outposts(ctx)
    return ctx


def _add_outposts(ctx: PlanContext) -> None:
    spec = ctx.spec
    wanted: dict[tuple[str, str], list[int]] = {}
    for decision in ctx.decisions:
        if decision.mechanism != "outpost":
            continue
        conn = spec.connections[decision.index]
        assert isinstance(conn, ServiceConnection)
        key = (spec.services[conn.service].vpc, spec.vpcs[conn.consumer].region)
        wanted.setdefault(key, []).append(decision.index)
    if not wanted:
        return
    used = CidrIndex(block for name in spec.vpcs for block in vpc_blocks(spec, name))
    for (provider, region), indexes in wanted.items():
        conns = [spec.connections[i] for i in indexes]
        azs: list[str] = []
        for conn in conns:
            assert isinstance(conn, ServiceConnection)
            for subnet in ctx.vpcs[conn.consumer].subnets:
                if subnet.tier == "private" and subnet.az not in azs:
                    azs.append(subnet.az)
        given = next(
            (c.outpost_cidr for c in conns if isinstance(c, ServiceConnection) and c.outpost_cidr),
            None,
        )
        cidr = given or _free_block(ctx, used, indexes[0])
        used.add(cidr)
        name = _unique(f"{provider}_outpost_{region.replace('-', '_')}", ctx)
        layout = VpcSpec(region=region, cidr=cidr, azs=sorted(azs))
        ctx.vpcs[name] = VpcPlan(
            name=name,
            account=spec.account_of(provider),
            region=region,
            cidrs=(cidr,),
            subnets=tuple(lay_out_subnets(name, layout)),
            nat=False,
            clients=0,
            spec_path=("connections", indexes[0]),
            outpost_for=provider,
        )
        ctx.outposts[(provider, region)] = name


def _unique(name: str, ctx: PlanContext) -> str:
    candidate, n = name, 2
    while candidate in ctx.vpcs or candidate in ctx.spec.vpcs:
        candidate, n = f"{name}{n}", n + 1
    return candidate


def _free_block(ctx: PlanContext, used: CidrIndex, index: int) -> IPv4Network:
    """A free /24 for an outpost VPC, or a located error asking for outpost_cidr."""
    try:
        return used.free_block(24)
    except ValueError:
        path = ("connections", index)
        raise SpecError(
            [
                SpecProblem(
                    spec_location(ctx.spec, path),
                    format_path(path),
                    "no free /24 is left in the private address pools for the outpost VPC: "
                    "the spec's VPCs cover them",
                    hint="give outpost_cidr: a /16-/28 block that no VPC of the spec overlaps",
                    kind="aws",
                )
            ]
        ) from None
