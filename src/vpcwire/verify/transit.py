"""Transit Gateways: where a packet goes once a VPC route hands it to a TGW.

AWS semantics encoded here, each with its source:

* A VPC's traffic reaches the TGW through the VPC's attachment, and only from an AZ where
  the attachment has a subnet (one ENI per chosen subnet, at most one per AZ); only an
  ``available`` attachment (and TGW) carries traffic.
  https://docs.aws.amazon.com/vpc/latest/tgw/tgw-vpc-attachments.html
* The packet is routed by the TGW route table *associated with the attachment it came in
  through* (exactly one per attachment): longest prefix first, a static route over a
  propagated one of the same prefix; a blackhole route drops. A VPC attachment's
  propagation gives a route to each of its VPC's CIDR blocks.
  https://docs.aws.amazon.com/vpc/latest/tgw/tgw-route-tables.html
  https://docs.aws.amazon.com/vpc/latest/tgw/how-transit-gateways-work.html
* It leaves through the egress attachment's subnet in the AZ it entered in, when there is
  one (AZ affinity); else through another AZ's. Appliance mode pins a flow to one AZ of the
  appliance VPC for both directions: vpcwire notes it, and traces each direction by its own
  entry AZ (which is what AWS does without it).
  https://docs.aws.amazon.com/vpc/latest/tgw/transit-gateway-appliance-scenario.html
* A peering attachment joins two TGWs (any regions); the peer routes the packet by the table
  associated with the peering attachment *on the peer*. Only static routes point at a peering
  (AWS never propagates over one). https://docs.aws.amazon.com/vpc/latest/tgw/tgw-peering.html
* Network ACLs: traffic from a subnet to the TGW meets the source subnet's outbound rules and
  the attachment subnet's inbound rules; traffic from the TGW to a subnet meets the
  attachment subnet's outbound rules and the destination subnet's inbound rules, except that
  neither is evaluated when the destination is in the attachment subnet itself. The checks
  need the packet, so :mod:`vpcwire.verify.legs` makes them from the subnets named here.
  https://docs.aws.amazon.com/vpc/latest/tgw/tgw-nacls.html

A walk that comes back to a TGW attachment it already left through is a routing loop: AWS
drops the packet when its TTL runs out, and so does the walk (``TGW_NO_ROUTE``).
"""

from __future__ import annotations

from dataclasses import dataclass, field

from vpcwire.network import Network, TgwAttachment, TgwRoute, TgwRouteTable
from vpcwire.verify.addresses import Cidr, Where
from vpcwire.verify.index import NetworkIndex
from vpcwire.verify.reasons import Reason
from vpcwire.verify.trace import Block, Hop, Step

__all__ = ["Transit", "entry_attachment", "follow", "leg_in_az", "tgw_lookup"]

# A walk through more TGWs than this is a loop however it is built (each visit is a distinct
# (TGW, attachment) pair, so this only bounds pathological networks).
_MAX_VISITS = 32


@dataclass(frozen=True, slots=True)
class Transit:
    """What the TGWs did with a packet.

    ``entry_subnet`` is the attachment subnet the packet enters the first TGW through (in the
    sender's VPC), ``exit_subnet`` the one it leaves the last TGW through (in ``reached``);
    their network ACLs are checked by the caller, which knows the packet.
    """

    hops: tuple[Hop, ...]
    blocks: tuple[Block, ...]
    reached: str | None
    entry_subnet: str | None = None
    exit_subnet: str | None = None
    # attachment subnets crossed between two TGWs (a VPC that sends the packet on to a TGW
    # again): (subnet, "egress" | "ingress"), in order
    crossings: tuple[tuple[str, str], ...] = field(default=())


@dataclass(slots=True)
class _Walk:
    ix: NetworkIndex
    dst: Where
    dst_vpc: str | None
    no_route: Reason
    hops: list[Hop] = field(default_factory=list)
    blocks: list[Block] = field(default_factory=list)
    seen: set[tuple[str, str]] = field(default_factory=set)
    entry: str | None = None  # the first attachment subnet the packet entered a TGW through
    crossings: list[tuple[str, str]] = field(default_factory=list)

    def fail(
        self,
        steps: list[Step],
        action: str,
        resource: str,
        reason: Reason,
        detail: str,
        fix: str,
        *,
        unknown: bool = False,
    ) -> None:
        steps.append(Step(action, detail, False, reason, fix, resource))
        self.blocks.append(Block(resource, reason, detail, fix, unknown))


def tgw_lookup(ix: NetworkIndex, table: TgwRouteTable, dst: Where) -> tuple[TgwRoute, Cidr] | None:
    """The route of ``table`` that wins for ``dst``: longest prefix, then static over
    propagated. A prefix-list route counts with each block of its list."""
    best: tuple[TgwRoute, Cidr] | None = None
    for r, blocks in _table_routes(ix, table):
        for block in blocks:
            if not block.contains(dst):
                continue
            if (
                best is None
                or block.plen > best[1].plen
                or (
                    block.plen == best[1].plen
                    and best[0].kind == "propagated"
                    and r.kind == "static"
                )
            ):
                best = (r, block)
    return best


def _table_routes(
    ix: NetworkIndex, table: TgwRouteTable
) -> tuple[tuple[TgwRoute, tuple[Cidr, ...]], ...]:
    """The table's routes (propagations counted) with their blocks, made once per engine."""
    return ix.memo(
        ("tgw-routes", table.id),
        lambda: tuple((r, _blocks(ix, r)) for r in ix.network.tgw_routes(table)),
    )


def _blocks(ix: NetworkIndex, r: TgwRoute) -> tuple[Cidr, ...]:
    if r.destination is not None:
        return (Cidr.of(r.destination),)
    pl = ix.network.prefix_lists.get(r.prefix_list or "")
    return tuple(Cidr.of(c) for c in pl.cidrs) if pl is not None else ()


def _same_az(ix: NetworkIndex, subnet: str, az: str, az_id: str | None) -> bool:
    return _same_az_in(ix.network, subnet, az, az_id)


def _same_az_in(network: Network, subnet: str, az: str, az_id: str | None) -> bool:
    info = network.subnets.get(subnet)
    if info is None:
        return False
    if info.az_id and az_id:
        return info.az_id == az_id
    return info.az == az


def _az_of(ix: NetworkIndex, subnet: str) -> tuple[str, str | None]:
    info = ix.network.subnets.get(subnet)
    return (info.az, info.az_id) if info is not None else ("?", None)


def entry_attachment(network: Network, vpc: str, tgw_id: str) -> TgwAttachment | None:
    """The attachment ``vpc``'s traffic to ``tgw_id`` uses: an available one first."""
    atts = [a for a in network.tgw_attachments_of_vpc.get(vpc, ()) if a.transit_gateway == tgw_id]
    return next((a for a in atts if a.state == "available"), atts[0] if atts else None)


def leg_in_az(network: Network, att: TgwAttachment, subnet: str | None) -> str | None:
    """The subnet of ``att`` in ``subnet``'s AZ (None: none there, or ``subnet`` is None)."""
    info = network.subnets.get(subnet) if subnet is not None else None
    if info is None:
        return None
    return next((s for s in att.subnets if _same_az_in(network, s, info.az, info.az_id)), None)


def follow(
    ix: NetworkIndex,
    src_vpc: str,
    src_subnet: str,
    tgw_id: str,
    dst: Where,
    dst_vpc: str | None,
    *,
    reply: bool,
) -> Transit:
    """Walk ``dst`` from ``src_subnet`` (in ``src_vpc``) through the TGW ``tgw_id``."""
    walk = _Walk(ix, dst, dst_vpc, Reason.NO_RETURN_ROUTE if reply else Reason.NO_ROUTE)
    return _enter(walk, src_vpc, src_subnet, tgw_id)


def _enter(walk: _Walk, src_vpc: str, src_subnet: str, tgw_id: str) -> Transit:
    """From ``src_subnet`` into ``tgw_id`` through ``src_vpc``'s attachment in its AZ."""
    ix, dst = walk.ix, walk.dst
    az, az_id = _az_of(ix, src_subnet)
    steps: list[Step] = []
    net = ix.network
    tgw = net.transit_gateways.get(tgw_id)
    if tgw is None:
        detail = (
            f"{tgw_id} is not in the network (another account?), so where {dst} goes is unknown"
        )
        walk.fail(steps, "transit gateway", tgw_id, Reason.NOT_IN_NETWORK, detail,
                  f"read the account that owns {tgw_id} too", unknown=True)  # fmt: skip
        return _done(walk, tgw_id, "", steps, None, None)
    att = entry_attachment(net, src_vpc, tgw_id)
    if att is None:
        detail = (
            f"{src_vpc} has no attachment to {ix.label(tgw_id)}: AWS shows the route as blackhole"
        )
        fix = f"attach {src_vpc} to {ix.label(tgw_id)} with a subnet in each AZ it uses"
        walk.fail(steps, "TGW attachment", tgw_id, Reason.BLACKHOLE_ROUTE, detail, fix)
        return _done(walk, tgw_id, tgw.name, steps, None, None)
    entry = next((s for s in att.subnets if _same_az(ix, s, az, az_id)), None)
    if walk.entry is None:
        walk.entry = entry
    elif entry is not None:
        walk.crossings.append((entry, "ingress"))
    if not _available(walk, steps, tgw_id, att):
        return _done(walk, tgw_id, tgw.name, steps, None, None)
    if entry is None:
        detail = (
            f"{ix.label(att.id)} has no subnet in {az}, where {src_subnet} is: traffic from "
            f"{src_subnet} cannot reach {ix.label(tgw_id)}"
        )
        fix = f"add a subnet of {src_vpc} in {az} to {ix.label(att.id)}"
        walk.fail(steps, "TGW attachment", att.id, Reason.TGW_NO_SUBNET_IN_AZ, detail, fix)
        return _done(walk, tgw_id, tgw.name, steps, None, None)
    steps.append(
        Step(
            "TGW attachment",
            f"enters {ix.label(tgw_id)} through {ix.label(att.id)} in {entry} ({az})",
            True,
            resource=att.id,
        )
    )
    return _route_at(walk, tgw_id, att, steps, az, az_id)


def _available(walk: _Walk, steps: list[Step], tgw_id: str, att: TgwAttachment) -> bool:
    ix = walk.ix
    tgw = ix.network.transit_gateways.get(tgw_id)
    if tgw is not None and tgw.state != "available":
        detail = f"{ix.label(tgw_id)} is {tgw.state}, not available: it forwards nothing"
        fix = f"wait for {ix.label(tgw_id)} to become available, or re-create it"
        walk.fail(steps, "transit gateway", tgw_id, Reason.GATEWAY_NOT_AVAILABLE, detail, fix)
        return False
    if att.state != "available":
        detail = f"{ix.label(att.id)} is {att.state}, not available: it carries no traffic"
        owner = tgw.account if tgw is not None else "the TGW's owner"
        fix = (
            f"accept {ix.label(att.id)} in account {owner}"
            if att.state.lower().startswith("pending")
            else f"re-create {ix.label(att.id)}"
        )
        walk.fail(steps, "TGW attachment", att.id, Reason.GATEWAY_NOT_AVAILABLE, detail, fix)
        return False
    return True


def _route_at(
    walk: _Walk,
    tgw_id: str,
    came_in: TgwAttachment,
    steps: list[Step],
    az: str | None,
    az_id: str | None,
) -> Transit:
    """At ``tgw_id``, having come in through ``came_in``: its table, its route, the way out."""
    ix, net, dst = walk.ix, walk.ix.network, walk.dst
    tgw = net.transit_gateways.get(tgw_id)
    name = tgw.name if tgw is not None else ""
    table = net.tgw_route_table_of.get((tgw_id, came_in.id))
    if table is None:
        detail = (
            f"{ix.label(came_in.id)} is associated with no route table of {ix.label(tgw_id)}, "
            "so the TGW routes nothing that comes in through it"
        )
        fix = f"associate {ix.label(came_in.id)} with a route table of {ix.label(tgw_id)}"
        walk.fail(steps, "TGW route table", came_in.id, Reason.TGW_ATTACHMENT_NOT_ASSOCIATED,
                  detail, fix)  # fmt: skip
        return _done(walk, tgw_id, name, steps, None, None)
    best = tgw_lookup(ix, table, dst)
    if best is None:
        _no_route(walk, steps, tgw_id, came_in, table)
        return _done(walk, tgw_id, name, steps, None, None)
    found, block = best
    text = f"{block} via {found.attachment or 'blackhole'} ({found.kind})"
    if found.attachment is None or found.state == "blackhole":
        detail = f"{ix.label(table.id)}: {block} is a blackhole route: {dst} is dropped"
        fix = f"remove the blackhole route {block} from {ix.label(table.id)}" + (
            f", or route it to {walk.dst_vpc}'s attachment" if walk.dst_vpc else ""
        )
        steps.append(Step("TGW route", detail, False, Reason.TGW_BLACKHOLE, fix, table.id, text))
        walk.blocks.append(Block(table.id, Reason.TGW_BLACKHOLE, detail, fix))
        return _done(walk, tgw_id, name, steps, None, None)
    steps.append(
        Step("TGW route", f"{ix.label(table.id)}: {text}", True, resource=table.id, matched=text)
    )
    out = net.tgw_attachments.get(found.attachment)
    if out is None:
        detail = f"{ix.label(table.id)}: {text}, but {found.attachment} is not in the network"
        fix = f"read the account that owns {found.attachment} too"
        walk.fail(steps, "TGW egress", found.attachment, Reason.NOT_IN_NETWORK, detail, fix,
                  unknown=True)  # fmt: skip
        return _done(walk, tgw_id, name, steps, None, None)
    if (tgw_id, out.id) in walk.seen or len(walk.seen) >= _MAX_VISITS:
        detail = (
            f"{ix.label(table.id)} sends {dst} back out through {ix.label(out.id)}, which it "
            "already left through: a routing loop, dropped when the TTL runs out"
        )
        fix = f"route {dst} in {ix.label(table.id)} towards the attachment that holds it"
        walk.fail(steps, "TGW route", table.id, Reason.TGW_NO_ROUTE, detail, fix)
        return _done(walk, tgw_id, name, steps, None, None)
    walk.seen.add((tgw_id, out.id))
    if not _available(walk, steps, tgw_id, out):
        return _done(walk, tgw_id, name, steps, None, None)
    if out.kind == "peering":
        return _over_peering(walk, tgw_id, name, out, steps)
    if out.kind != "vpc" or out.vpc is None:
        detail = (
            f"{ix.label(table.id)} sends {dst} to the {out.kind} attachment {ix.label(out.id)}, "
            "which the verifier does not follow, so whether it arrives is unknown"
        )
        fix = f"check what {out.id} does with {dst}"
        walk.fail(steps, "TGW egress", out.id, Reason.ROUTE_TARGET_NOT_MODELLED, detail, fix,
                  unknown=True)  # fmt: skip
        return _done(walk, tgw_id, name, steps, None, None)
    return _into_vpc(walk, tgw_id, name, out, steps, az, az_id)


def _into_vpc(
    walk: _Walk,
    tgw_id: str,
    name: str,
    out: TgwAttachment,
    steps: list[Step],
    az: str | None,
    az_id: str | None,
) -> Transit:
    ix, dst = walk.ix, walk.dst
    vpc = out.vpc or ""
    if not out.subnets:
        detail = f"{ix.label(out.id)} has no subnets: nothing leaves {ix.label(tgw_id)} through it"
        fix = f"add a subnet of {vpc} in each AZ it uses to {ix.label(out.id)}"
        walk.fail(steps, "TGW egress", out.id, Reason.TGW_NO_SUBNET_IN_AZ, detail, fix)
        return _done(walk, tgw_id, name, steps, None, None)
    same = (
        next((s for s in out.subnets if _same_az(ix, s, az, az_id)), None)
        if az is not None
        else None
    )
    exit_subnet = same or out.subnets[0]
    out_az = _az_of(ix, exit_subnet)[0]
    how = (
        "the same AZ it entered in"
        if same is not None
        else (f"no subnet of it in {az}: another AZ" if az is not None else "after a peering")
    )
    text = f"leaves through {ix.label(out.id)} into {vpc} at {exit_subnet} ({out_az}; {how})"
    if out.appliance_mode:
        text += "; appliance mode is on: AWS keeps both directions of a flow in one AZ"
    steps.append(Step("TGW egress", text, True, resource=out.id))
    walk.hops.append(_hop(ix, tgw_id, name, steps))
    info = ix.vpcs.get(vpc)
    if info is None:
        detail = f"{vpc} is not in the network, so where {dst} goes there is unknown"
        walk.blocks.append(Block(vpc, Reason.NOT_IN_NETWORK, detail, f"read {vpc} too", True))
        return _result(walk, exit_subnet, None)
    if info.block_of(dst) is not None:
        return _result(walk, exit_subnet, vpc)
    return _onward(walk, vpc, exit_subnet)


def _onward(walk: _Walk, vpc: str, at: str) -> Transit:
    """The packet is in ``vpc`` (at the attachment subnet ``at``) but not for it: that
    subnet's route table sends it on. Through another (or the same) TGW the walk goes on;
    anything else (an appliance ENI, a NAT gateway) it does not follow."""
    ix, dst = walk.ix, walk.dst
    lookup = ix.lookup_of_subnet(at)
    best = lookup.best(dst) if lookup is not None and not lookup.is_local(dst) else None
    if best is not None and best[0].kind == "transit_gateway" and best[0].state == "active":
        walk.crossings.append((at, "egress"))
        return _enter(walk, vpc, at, best[0].target)
    where = ix.label(lookup.table.id) if lookup is not None else f"{at} (no route table)"
    if best is not None and best[0].state == "blackhole":
        detail = f"{dst} is not in {vpc}, and {where} sends it to a blackhole ({best[0].target})"
        fix = f"route {dst} towards the VPC that holds it in {ix.label(walk.hops[-1].resource)}"
        walk.blocks.append(Block(lookup.table.id if lookup else at, Reason.BLACKHOLE_ROUTE,
                                 detail, fix))  # fmt: skip
        return _result(walk, None, None)
    if best is None:
        detail = f"{dst} is not in {vpc}, and {where} has no route that sends it on"
        fix = f"route {dst} towards the VPC that holds it in {ix.label(walk.hops[-1].resource)}"
        walk.blocks.append(Block(lookup.table.id if lookup else at, walk.no_route, detail, fix))
        return _result(walk, None, None)
    detail = (
        f"{dst} is not in {vpc}; {where} sends it on via {best[0].target} "
        f"({best[0].kind.replace('_', ' ')}), which the verifier does not follow from a TGW"
    )
    fix = f"check what {best[0].target} does with {dst}"
    reason = Reason.ROUTE_TARGET_NOT_MODELLED
    walk.blocks.append(Block(best[0].target, reason, detail, fix, True))
    return _result(walk, None, None)


def _over_peering(
    walk: _Walk, tgw_id: str, name: str, out: TgwAttachment, steps: list[Step]
) -> Transit:
    ix = walk.ix
    peer = out.other_gateway(tgw_id)
    steps.append(
        Step("TGW egress", f"over the peering {ix.label(out.id)} to {peer}", True, resource=out.id)
    )
    walk.hops.append(_hop(ix, tgw_id, name, steps))
    if peer is None or peer not in ix.network.transit_gateways:
        detail = (
            f"the peer TGW {peer or '?'} is not in the network, so where {walk.dst} goes is unknown"
        )
        walk.blocks.append(
            Block(peer or out.id, Reason.NOT_IN_NETWORK, detail, f"read {peer} too", True)
        )
        return _result(walk, None, None)
    walk.seen.add((peer, out.id))
    there = [Step("TGW attachment", f"arrives over {ix.label(out.id)}", True, resource=out.id)]
    return _route_at(walk, peer, out, there, None, None)


def _no_route(
    walk: _Walk, steps: list[Step], tgw_id: str, came_in: TgwAttachment, table: TgwRouteTable
) -> None:
    """No route for the destination: say which of the TGW's own mechanisms would give one."""
    ix, net, dst = walk.ix, walk.ix.network, walk.dst
    label = ix.label(table.id)
    info = ix.vpcs.get(walk.dst_vpc) if walk.dst_vpc else None
    block = (info.block_of(dst) if info else None) or dst.cidr
    dst_atts = [a for a in net.tgw_attachments_of_vpc.get(walk.dst_vpc or "", ())]
    here = next((a for a in dst_atts if a.transit_gateway == tgw_id), None)
    peering = _peering_towards(walk, tgw_id, dst_atts)
    detail = f"{label} has no route to {dst}"
    if here is not None:
        reason = Reason.TGW_NO_PROPAGATION
        detail += f": {ix.label(here.id)} ({walk.dst_vpc}) does not propagate into it"
        fix = (
            f"propagate {ix.label(here.id)} into {label} (or add a static route to {block} via it)"
        )
    elif peering is not None:
        reason = Reason.TGW_PEERING_NO_STATIC_ROUTE
        detail += (
            f": {walk.dst_vpc} is attached to {peering[1]}, peered through "
            f"{ix.label(peering[0].id)}, and a peering carries only static routes"
        )
        fix = f"add a static route to {block} via {ix.label(peering[0].id)} in {label}"
    else:
        reason = Reason.TGW_NO_ROUTE
        fix = (
            f"attach {walk.dst_vpc} to {ix.label(tgw_id)} and propagate it into {label}"
            if walk.dst_vpc
            else f"add a route to {dst} in {label} towards the attachment that holds it"
        )
    walk.fail(steps, "TGW route", table.id, reason, detail, fix)


def _peering_towards(
    walk: _Walk, tgw_id: str, dst_atts: list[TgwAttachment]
) -> tuple[TgwAttachment, str] | None:
    """A peering attachment of ``tgw_id`` whose other TGW has the destination VPC attached."""
    homes = {a.transit_gateway for a in dst_atts}
    for att in walk.ix.network.tgw_attachments.values():
        other = att.other_gateway(tgw_id)
        if other is not None and other in homes:
            return att, other
    return None


def _hop(ix: NetworkIndex, tgw_id: str, name: str, steps: list[Step]) -> Hop:
    tgw = ix.network.transit_gateways.get(tgw_id)
    where = f"{tgw.region}, account {tgw.account}" if tgw is not None else ""
    return Hop(tgw_id, name, "transit gateway", tuple(steps), "forward", where)


def _done(
    walk: _Walk,
    tgw_id: str,
    name: str,
    steps: list[Step],
    exit_subnet: str | None,
    reached: str | None,
) -> Transit:
    walk.hops.append(_hop(walk.ix, tgw_id, name, steps))
    return _result(walk, exit_subnet, reached)


def _result(walk: _Walk, exit_subnet: str | None, reached: str | None) -> Transit:
    return Transit(
        tuple(walk.hops),
        tuple(walk.blocks),
        reached,
        walk.entry,
        exit_subnet,
        tuple(walk.crossings),
    )
