"""Routing: where the sender's subnet sends a packet, and what a peering does with it.

* The subnet's route table is its explicit association, else the VPC's main table.
  https://docs.aws.amazon.com/vpc/latest/userguide/VPC_Route_Tables.html
* VPC-internal destinations take the ``local`` route, which nothing overrides; otherwise the
  longest prefix wins. https://docs.aws.amazon.com/vpc/latest/userguide/route-tables-priority.html
* A peering carries traffic only while active, never between overlapping CIDRs, and only to
  addresses inside the peer VPC: it is not transitive and never leads on to the peer's
  gateways (no edge-to-edge routing).
  https://docs.aws.amazon.com/vpc/latest/peering/vpc-peering-basics.html
  https://docs.aws.amazon.com/vpc/latest/peering/invalid-peering-configurations.html
* The reply follows the responder's own route table (there is no reverse-path check), so
  both sides need routes. https://docs.aws.amazon.com/vpc/latest/peering/vpc-peering-routing.html
"""

from __future__ import annotations

from dataclasses import dataclass

from vpcwire.network import PeeringConnection, Route
from vpcwire.verify.addresses import Cidr, Where, is_private_target
from vpcwire.verify.index import NetworkIndex, RouteLookup
from vpcwire.verify.nodes import Node
from vpcwire.verify.reasons import Reason
from vpcwire.verify.trace import Block, Step
from vpcwire.verify.transit import Transit, follow

__all__ = ["RouteResult", "locate", "route"]

# Route targets a packet arriving over a peering can never use (edge-to-edge routing).
_EDGE_KINDS = {
    "internet_gateway",
    "nat_gateway",
    "vpn_gateway",
    "gateway_endpoint",
    "transit_gateway",
}
# Route targets the verifier does not follow: reachability beyond them is unknown.
_UNMODELLED = {"vpn_gateway", "network_interface", "other"}


@dataclass(frozen=True, slots=True)
class RouteResult:
    step: Step
    peering: PeeringConnection | None  # the peering the route sends the packet over
    peering_steps: tuple[Step, ...]
    blocks: tuple[Block, ...]
    reached: str | None  # the VPC the packet arrives in; None when it is dropped or unknown
    transit: Transit | None = None  # what the transit gateways did, when the route names one


def locate(ix: NetworkIndex, src: Node, dst: Where) -> str | None:
    """The VPC a packet from ``src`` to ``dst`` arrives in, without explaining anything."""
    lookup = ix.lookup_of_subnet(src.subnet)
    vpc = ix.vpcs.get(src.vpc)
    if vpc is not None and vpc.block_of(dst) is not None:
        return src.vpc
    if lookup is None:
        return None
    if lookup.is_local(dst):
        return src.vpc
    best = lookup.best(dst)
    if best is not None and best[0].kind == "transit_gateway" and best[0].state == "active":
        return follow(ix, src.vpc, src.subnet, best[0].target, dst, None, reply=False).reached
    if best is None or best[0].kind != "peering" or best[0].state != "active":
        return None
    pcx = ix.network.peerings.get(best[0].target)
    other = pcx.other_side(src.vpc) if pcx else None
    info = ix.vpcs.get(other) if other else None
    return other if info is not None and info.block_of(dst) is not None else None


def route(
    ix: NetworkIndex, src: Node, dst: Where, dst_vpc: str | None, *, reply: bool
) -> RouteResult:
    """Route ``dst`` from ``src``'s subnet; ``dst_vpc`` is where it has to arrive, if known."""
    no_route = Reason.NO_RETURN_ROUTE if reply else Reason.NO_ROUTE
    lookup = ix.lookup_of_subnet(src.subnet)
    vpc = ix.vpcs.get(src.vpc)
    if (vpc is not None and vpc.block_of(dst) is not None) or (lookup and lookup.is_local(dst)):
        return _local(ix, src, dst, dst_vpc, no_route)
    if lookup is None:
        detail = f"{src.subnet} has no route table (no association and no main table)"
        fix = f"associate {src.subnet} with a route table that routes {dst} {_towards(dst_vpc)}"
        return _fail(
            Step("route", detail, False, no_route, fix, resource=src.subnet),
            Block(src.subnet, no_route, detail, fix),
        )
    table = lookup.table.id
    best = lookup.best(dst)
    if best is None:
        detail = f"{ix.label(table)} has no route to {dst}" + (" (return path)" if reply else "")
        fix = _route_fix(ix, lookup, src.vpc, dst, dst_vpc)
        return _fail(
            Step("route", detail, False, no_route, fix, resource=table),
            Block(table, no_route, detail, fix),
        )
    found, block = best
    text = f"{block} via {found.target}"
    if found.state == "blackhole":
        detail = f"{ix.label(table)}: {text} is a blackhole (its target no longer exists)"
        fix = "replace it: " + _route_fix(ix, lookup, src.vpc, dst, dst_vpc)
        return _fail(
            Step("route", detail, False, Reason.BLACKHOLE_ROUTE, fix, table, text),
            Block(table, Reason.BLACKHOLE_ROUTE, detail, fix),
        )
    if found.kind == "peering":
        return _via_peering(ix, src, dst, dst_vpc, lookup, found, block, no_route)
    if found.kind == "transit_gateway":
        return _via_tgw(ix, src, dst, dst_vpc, lookup, found, block, no_route, reply)
    return _other_target(ix, src, dst, dst_vpc, lookup, found, block, no_route)


def _fail(step: Step, block: Block) -> RouteResult:
    return RouteResult(step, None, (), (block,), None)


# Deferred text (trace.Deferred): module functions, not bound ``str.format`` methods, which
# would be one more object kept per step.
def _local_text(dst: Where, vpc: str) -> str:
    return f"local: {dst} is inside {vpc}"


def _via_text(ix: NetworkIndex, table: str, route: str) -> str:
    return f"{ix.label(table)}: {route}"


def _active(label: str, pcx: str) -> Step:
    return Step("peering status", f"{label} is active", True, resource=pcx)


def _towards(dst_vpc: str | None) -> str:
    return f"towards {dst_vpc}" if dst_vpc else "towards the VPC that holds it"


def _local(
    ix: NetworkIndex, src: Node, dst: Where, dst_vpc: str | None, no_route: Reason
) -> RouteResult:
    step = Step(
        "route",
        (_local_text, dst, src.vpc),
        True,
        resource=src.vpc,
        matched="local",
    )
    if dst_vpc is None or dst_vpc == src.vpc:
        return RouteResult(step, None, (), (), src.vpc)
    # The destination lives in another VPC but its address is one of ours: the local route
    # keeps the packet here. Only overlapping CIDRs make this happen.
    pcx = ix.peering_between(src.vpc, dst_vpc)
    resource = pcx.id if pcx else src.vpc
    detail = (
        f"{dst} is inside {src.vpc}'s own CIDR, so the local route keeps it in {src.vpc} "
        f"and it never reaches {dst_vpc} (overlapping CIDRs)"
    )
    fix = (
        f"re-address {dst_vpc} or {src.vpc} so that their CIDRs do not overlap, or connect "
        "them with PrivateLink, which tolerates overlap"
    )
    reason = Reason.PEERING_OVERLAP if pcx else no_route
    return RouteResult(
        Step("route", detail, False, reason, fix, resource, "local"),
        None,
        (),
        (Block(resource, reason, detail, fix),),
        None,
    )


def _route_fix(
    ix: NetworkIndex, lookup: RouteLookup, src_vpc: str, dst: Where, dst_vpc: str | None
) -> str:
    table = ix.label(lookup.table.id)
    if dst_vpc is None and not is_private_target(dst.net):
        return (
            f"add a route to 0.0.0.0/0 in {table} via a NAT gateway (in a public subnet), or via "
            "an internet gateway for interfaces with a public IP or Elastic IP"
        )
    if dst_vpc is None:
        return f"add a route to {dst} in {table} towards the VPC that holds it"
    info = ix.vpcs.get(dst_vpc)
    block = (info.block_of(dst) if info else None) or dst.cidr
    pcx = ix.peering_between(src_vpc, dst_vpc)
    if pcx is not None:
        return f"add a route to {block} via {ix.label(pcx.id)} in {table}"
    return (
        f"peer {src_vpc} with {dst_vpc} (or use PrivateLink), then add a route to {block} "
        f"via that peering in {table}"
    )


def _via_peering(
    ix: NetworkIndex,
    src: Node,
    dst: Where,
    dst_vpc: str | None,
    lookup: RouteLookup,
    found: Route,
    block: Cidr,
    no_route: Reason,
) -> RouteResult:
    table = lookup.table.id
    text = f"{block} via {found.target}"
    pcx = ix.network.peerings.get(found.target)
    other = pcx.other_side(src.vpc) if pcx else None
    if pcx is None or other is None:
        why = "is not in the network" if pcx is None else f"does not connect {src.vpc}"
        detail = f"{ix.label(table)}: {text}, but {found.target} {why} (AWS shows it as blackhole)"
        fix = "replace it: " + _route_fix(ix, lookup, src.vpc, dst, dst_vpc)
        return _fail(
            Step("route", detail, False, Reason.BLACKHOLE_ROUTE, fix, table, text),
            Block(table, Reason.BLACKHOLE_ROUTE, detail, fix),
        )
    step = Step("route", (_via_text, ix, table, text), True, resource=table, matched=text)
    steps, blocks, reached = _peering_checks(ix, pcx, src.vpc, other, dst, dst_vpc, lookup)
    if reached is not None and dst_vpc is not None and reached != dst_vpc:
        detail = (
            f"{ix.label(table)} sends {dst} over {ix.label(pcx.id)} to {reached}, but the "
            f"destination is in {dst_vpc}"
        )
        fix = _route_fix(ix, lookup, src.vpc, dst, dst_vpc)
        step = Step("route", detail, False, no_route, fix, table, text)
        blocks = (*blocks, Block(table, no_route, detail, fix))
        reached = None
    return RouteResult(step, pcx, steps, blocks, reached)


def _via_tgw(
    ix: NetworkIndex,
    src: Node,
    dst: Where,
    dst_vpc: str | None,
    lookup: RouteLookup,
    found: Route,
    block: Cidr,
    no_route: Reason,
    reply: bool,
) -> RouteResult:
    """The route names a transit gateway: :mod:`vpcwire.verify.transit` walks it."""
    table = lookup.table.id
    text = f"{block} via {found.target}"
    transit = follow(ix, src.vpc, src.subnet, found.target, dst, dst_vpc, reply=reply)
    blocks = transit.blocks
    step = Step("route", (_via_text, ix, table, text), True, resource=table, matched=text)
    reached = transit.reached
    if reached is not None and dst_vpc is not None and reached != dst_vpc:
        detail = (
            f"{ix.label(table)} sends {dst} through {found.target} to {reached}, but the "
            f"destination is in {dst_vpc}"
        )
        fix = f"route {dst} towards {dst_vpc}'s attachment in the transit gateway route table"
        step = Step("route", detail, False, no_route, fix, table, text)
        blocks = (*blocks, Block(table, no_route, detail, fix))
        reached = None
    return RouteResult(step, None, (), blocks, reached, transit)


def _peering_checks(
    ix: NetworkIndex,
    pcx: PeeringConnection,
    here: str,
    other: str,
    dst: Where,
    dst_vpc: str | None,
    lookup: RouteLookup,
) -> tuple[tuple[Step, ...], tuple[Block, ...], str | None]:
    steps: list[Step] = []
    blocks: list[Block] = []
    label = ix.label(pcx.id)
    if pcx.status == "active":
        steps.append(ix.memo(("active", pcx.id), lambda: _active(label, pcx.id)))
    else:
        detail = f"{label} is {pcx.status}, not active: it carries no traffic"
        if pcx.status in ("pending-acceptance", "provisioning"):
            fix = f"accept {label} in account {pcx.accepter_account} ({pcx.accepter_region})"
        else:
            fix = f"re-create the peering between {pcx.requester_vpc} and {pcx.accepter_vpc}"
        steps.append(Step("peering status", detail, False, Reason.PEERING_NOT_ACTIVE, fix, pcx.id))
        blocks.append(Block(pcx.id, Reason.PEERING_NOT_ACTIVE, detail, fix))
    overlap = _overlap(ix, pcx, here, other)
    if overlap:
        # moto lets such a peering go active; AWS fails it.
        detail = f"{here} and {other} overlap ({overlap}): AWS cannot peer them"
        fix = f"re-address {other} or {here} so that their CIDRs do not overlap, or use PrivateLink"
        steps.append(Step("peering CIDRs", detail, False, Reason.PEERING_OVERLAP, fix, pcx.id))
        blocks.append(Block(pcx.id, Reason.PEERING_OVERLAP, detail, fix))
    info = ix.vpcs.get(other)
    if info is None:
        detail = (
            f"the peer {other} is not in the network (another account?), so where {dst} "
            "goes is unknown"
        )
        fix = f"read the account that owns {other} too"
        steps.append(Step("peer VPC", detail, False, Reason.NOT_IN_NETWORK, fix, other))
        blocks.append(Block(other, Reason.NOT_IN_NETWORK, detail, fix, unknown=True))
        return tuple(steps), tuple(blocks), None
    if info.block_of(dst) is not None:
        steps.append(Step("peer VPC", f"{dst} is inside {other}", True, resource=other))
        return tuple(steps), tuple(blocks), other
    step, block = _dropped_by_peer(ix, pcx, here, other, dst, dst_vpc, lookup)
    return (*steps, step), (*blocks, block), None


def _overlap(ix: NetworkIndex, pcx: PeeringConnection, here: str, other: str) -> str:
    def blocks(vpc: str) -> tuple[Cidr, ...]:
        info = ix.vpcs.get(vpc)
        if info is not None:
            return info.cidrs
        cidrs = pcx.requester_cidrs if vpc == pcx.requester_vpc else pcx.accepter_cidrs
        return tuple(Cidr.of(c) for c in cidrs)

    for a in blocks(here):
        for b in blocks(other):
            if a.overlaps_cidr(b):
                return f"{a} and {b}"
    return ""


def _dropped_by_peer(
    ix: NetworkIndex,
    pcx: PeeringConnection,
    here: str,
    other: str,
    dst: Where,
    dst_vpc: str | None,
    lookup: RouteLookup,
) -> tuple[Step, Block]:
    """The packet reached the peer but is not for it: say why that never works."""
    table = ix.label(lookup.table.id)
    label = ix.label(pcx.id)
    third = _third_vpc(ix, pcx, other, dst, dst_vpc)
    if third is not None:
        detail = (
            f"{dst} is in {third}, which is peered with {other}, not with {here}: "
            f"{label} delivers only to {other} (VPC peering is not transitive)"
        )
        direct = ix.peering_between(here, third)
        info = ix.vpcs.get(third)
        block = (info.block_of(dst) if info else None) or dst.cidr
        if direct is not None:
            fix = f"route {block} via {ix.label(direct.id)} in {table} instead of {pcx.id}"
        else:
            fix = f"peer {here} with {third} directly and route {block} via that peering in {table}"
        reason = Reason.NOT_TRANSITIVE
    elif (edge := _edge_route(ix, other, dst)) is not None:
        detail = (
            f"{other} would send {dst} on via its {edge.kind.replace('_', ' ')} "
            f"{edge.target}: a peering cannot use the peer's internet gateway, NAT, VPN, "
            "Direct Connect or gateway endpoint"
        )
        fix = f"give {here} its own way to {dst} (its own {edge.kind.replace('_', ' ')})"
        reason = Reason.EDGE_TO_EDGE
    else:
        detail = (
            f"{label} delivers only to {other}'s CIDRs; {dst} is outside them, so it is dropped"
        )
        fix = (
            _route_fix(ix, lookup, here, dst, dst_vpc)
            if dst_vpc
            else f"remove the route to {dst} via {pcx.id} from {table}"
        )
        reason = Reason.NOT_IN_PEER_VPC
    return Step("peer VPC", detail, False, reason, fix, pcx.id), Block(pcx.id, reason, detail, fix)


def _third_vpc(
    ix: NetworkIndex, pcx: PeeringConnection, other: str, dst: Where, dst_vpc: str | None
) -> str | None:
    for pcx2, third in ix.vpcs_peered_with(other):
        if pcx2.id == pcx.id:
            continue
        info = ix.vpcs.get(third)
        if third == dst_vpc or (info is not None and info.block_of(dst) is not None):
            return third
    return None


def _edge_route(ix: NetworkIndex, vpc: str, dst: Where) -> Route | None:
    for lookup in ix.tables_of_vpc.get(vpc, ()):
        best = lookup.best(dst)
        if best is not None and best[0].kind in _EDGE_KINDS:
            return best[0]
    return None


def _other_target(
    ix: NetworkIndex,
    src: Node,
    dst: Where,
    dst_vpc: str | None,
    lookup: RouteLookup,
    found: Route,
    block: Cidr,
    no_route: Reason,
) -> RouteResult:
    table = lookup.table.id
    text = f"{block} via {found.target}"
    kind = found.kind.replace("_", " ")
    if found.kind in _UNMODELLED:
        return _unknown(ix, lookup, src, dst, dst_vpc, text, kind, found.target)
    private = dst_vpc is not None or is_private_target(dst.net)
    if found.kind in ("internet_gateway", "nat_gateway") and private:
        return _private_via_gateway(ix, src, dst, dst_vpc, lookup, found, text)
    if found.kind in ("internet_gateway", "nat_gateway"):
        # A public address: the engine traces such flows itself (verify/gateways.py); a
        # caller that asks only for the route gets "leaves the VPC", which is all it is.
        detail = f"{ix.label(table)}: {text} ({kind}) takes {dst} out of {src.vpc} to the internet"
        fix = "trace the address itself (vpcwire check --to ADDRESS) to see the whole path"
        reason = Reason.ROUTE_TARGET_NOT_MODELLED
        return RouteResult(
            Step("route", detail, False, reason, fix, table, text),
            None,
            (),
            (Block(table, reason, detail, fix, unknown=True),),
            None,
        )
    detail = (
        f"{ix.label(table)}: the best route is {text} ({kind}), which never leads to "
        f"{dst_vpc or 'a private address in another VPC'}"
    )
    fix = _route_fix(ix, lookup, src.vpc, dst, dst_vpc)
    return _fail(
        Step("route", detail, False, no_route, fix, table, text),
        Block(table, no_route, detail, fix),
    )


def _unknown(
    ix: NetworkIndex,
    lookup: RouteLookup,
    src: Node,
    dst: Where,
    dst_vpc: str | None,
    text: str,
    kind: str,
    target: str,
) -> RouteResult:
    table = lookup.table.id
    detail = (
        f"{ix.label(table)}: {text} ({kind}); the verifier does not follow a {kind}, "
        "so whether it arrives is unknown"
    )
    fix = (
        _route_fix(ix, lookup, src.vpc, dst, dst_vpc)
        if dst_vpc
        else f"check what {target} does with {dst}"
    )
    reason = Reason.ROUTE_TARGET_NOT_MODELLED
    return RouteResult(
        Step("route", detail, False, reason, fix, table, text),
        None,
        (),
        (Block(table, reason, detail, fix, unknown=True),),
        None,
    )


def _private_via_gateway(
    ix: NetworkIndex,
    src: Node,
    dst: Where,
    dst_vpc: str | None,
    lookup: RouteLookup,
    found: Route,
    text: str,
) -> RouteResult:
    """An internet or NAT gateway never delivers to a private address in another VPC.

    An internet gateway only translates between an interface's public and private address
    and carries traffic to and from the internet; a private address of another VPC is not on
    the internet, so the packet is dropped. A NAT gateway sends what it translates on along
    its own subnet's route table: towards an internet gateway (dropped as above) or nowhere
    is a definite drop; towards a transit or virtual private gateway (the way AWS documents
    for reaching other networks through a NAT gateway, public or private) or a peering, the
    verifier does not follow it, so that stays unknown.
    https://docs.aws.amazon.com/vpc/latest/userguide/VPC_Internet_Gateway.html
    https://docs.aws.amazon.com/vpc/latest/userguide/vpc-nat-gateway.html
    https://docs.aws.amazon.com/vpc/latest/peering/vpc-peering-basics.html
    """
    table = lookup.table.id
    target = dst_vpc or "a private address in another VPC"
    if found.kind == "internet_gateway":
        detail = (
            f"{ix.label(table)}: the best route to {dst} is {text} (internet gateway); an "
            f"internet gateway never delivers to {target}, so the packet is dropped"
        )
    else:
        onward = _nat_onward(ix, found.target, dst)
        if isinstance(onward, Route) and onward.kind in _UNMODELLED | {
            "peering",
            "transit_gateway",
        }:
            return _unknown(
                ix,
                lookup,
                src,
                dst,
                dst_vpc,
                f"{text}, then {onward.target}",
                f"NAT gateway then {onward.kind.replace('_', ' ')}",
                onward.target,
            )
        after = (
            onward
            if isinstance(onward, str)
            else f"its subnet's route table sends {dst} on via the "
            f"{onward.kind.replace('_', ' ')} {onward.target}, which never delivers it"
        )
        detail = (
            f"{ix.label(table)}: the best route to {dst} is {text} (NAT gateway); a NAT gateway "
            f"never delivers to {target}: {after}, so the packet is dropped"
        )
    fix = _route_fix(ix, lookup, src.vpc, dst, dst_vpc)
    reason = Reason.PRIVATE_VIA_GATEWAY
    return _fail(
        Step("route", detail, False, reason, fix, table, text),
        Block(table, reason, detail, fix),
    )


def _nat_onward(ix: NetworkIndex, nat_id: str, dst: Where) -> Route | str:
    """Where the NAT gateway's own subnet sends ``dst``: the route, or why there is none."""
    nat = ix.network.nat_gateways.get(nat_id)
    if nat is None:
        return f"{nat_id} is not in the network"
    lookup = ix.lookup_of_subnet(nat.subnet)
    if lookup is None:
        return f"its subnet {nat.subnet} has no route table"
    best = lookup.best(dst)
    if best is None:
        return f"its subnet's route table {ix.label(lookup.table.id)} has no route to {dst}"
    return best[0]
