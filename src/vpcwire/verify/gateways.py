"""Flows that leave the VPC: through an internet gateway, a NAT gateway or a gateway endpoint.

AWS semantics encoded here, each with its source:

* An internet gateway carries a flow to or from a public address only for an interface that
  has a public IPv4 address or an Elastic IP, in a subnet whose route table sends the
  destination to that gateway; the gateway translates between the public and the private
  address. https://docs.aws.amazon.com/vpc/latest/userguide/VPC_Internet_Gateway.html
* A NAT gateway carries outbound flows of the subnets whose route tables send the
  destination to it; the destination sees the NAT gateway's address as the source. A
  public NAT gateway reaches the internet only through its own subnet's route to an
  internet gateway; a private NAT gateway never reaches the internet (its traffic to an
  internet gateway is dropped). Replies come back through the NAT gateway; nothing outside
  can start a connection through it. Its subnet's network ACL filters the traffic both ways
  (a NAT gateway has no security group).
  https://docs.aws.amazon.com/vpc/latest/userguide/vpc-nat-gateway.html
  https://docs.aws.amazon.com/vpc/latest/userguide/nat-gateway-basics.html
* A gateway endpoint (S3, DynamoDB) carries flows to its service's prefix list only from
  subnets whose route tables are associated with it (the association adds the prefix-list
  route), only inside its own VPC (never across a peering: no edge-to-edge routing). Its
  endpoint policy is not evaluated here.
  https://docs.aws.amazon.com/vpc/latest/privatelink/gateway-endpoints.html
  https://docs.aws.amazon.com/vpc/latest/privatelink/vpc-endpoints-s3.html
* From the internet, only an interface's public address is reachable (see
  :mod:`vpcwire.verify.public`).
* A packet arriving over a peering never leaves through the peer's gateways (see
  :mod:`vpcwire.verify.routing`, EDGE_TO_EDGE).

Beyond the internet gateway (or the service behind a gateway endpoint) nothing is checked:
vpcwire proves that AWS lets the packet out and the reply back in, not that a host on the
internet answers.
"""

from __future__ import annotations

from dataclasses import replace

from vpcwire.network import NatGateway, Route
from vpcwire.verify.addresses import Cidr, Where, ip_text
from vpcwire.verify.index import NetworkIndex, RouteLookup
from vpcwire.verify.legs import Path, instance_step, reply_packet
from vpcwire.verify.nodes import Node
from vpcwire.verify.outside import Outside, Steps, node_hop, outside_node
from vpcwire.verify.reasons import Reason
from vpcwire.verify.security import Check, Packet, nacl_check, sg_check, stateful_step
from vpcwire.verify.trace import Block, Hop, Step

__all__ = ["GATEWAY_KINDS", "leaves_through", "outbound"]

GATEWAY_KINDS = frozenset({"internet_gateway", "nat_gateway", "gateway_endpoint"})
_KIND_TEXT = {
    "internet_gateway": "internet gateway",
    "nat_gateway": "NAT gateway",
    "gateway_endpoint": "gateway endpoint",
}
_NOT_FOLLOWED = frozenset({"transit_gateway", "vpn_gateway", "network_interface", "other"})


def leaves_through(
    ix: NetworkIndex, client: Node, where: Where
) -> tuple[RouteLookup, Route, Cidr] | None:
    """The client subnet's route for ``where`` when it is an active gateway route, else None."""
    vpc = ix.vpcs.get(client.vpc)
    if vpc is not None and vpc.block_of(where) is not None:
        return None
    lookup = ix.lookup_of_subnet(client.subnet)
    if lookup is None or lookup.is_local(where):
        return None
    best = lookup.best(where)
    if best is None or best[0].kind not in GATEWAY_KINDS or best[0].state != "active":
        return None
    return lookup, best[0], best[1]


def outbound(
    ix: NetworkIndex,
    client: Node,
    dest: Outside,
    packet: Packet,
    lookup: RouteLookup,
    found: Route,
    block: Cidr,
) -> Path:
    """``client`` sends ``packet`` to ``dest`` along its gateway route ``found``."""
    far = outside_node(dest)
    blocks: list[Block] = []
    out = Steps(blocks)
    out.add(instance_step(client))
    out.add(_by_prefix_list(ix, sg_check(ix, client, "egress", far, packet), dest))
    out.add(nacl_check(ix, client.subnet, "egress", far, packet))
    text = f"{block} via {found.target}"
    out.ok(
        "route",
        f"{ix.label(lookup.table.id)}: {text} ({_KIND_TEXT[found.kind]})",
        lookup.table.id,
    )
    forward = [node_hop(client, out.steps, "forward")]
    back_middle: list[Hop] = []

    if found.kind == "internet_gateway":
        hop, ret = _internet_gateway(ix, found.target, client, None, lookup, block, blocks)
        forward.append(hop)
        back_middle.append(ret)
    elif found.kind == "nat_gateway":
        hops, rets = _nat(ix, found.target, client, dest, far, packet, lookup, blocks)
        forward.extend(hops)
        back_middle.extend(rets)
    else:
        hop, ret = _gateway_endpoint(ix, found.target, client, dest, lookup, blocks)
        forward.append(hop)
        back_middle.append(ret)

    beyond = (
        f"{dest.label} is on the internet: vpcwire checks nothing past AWS's edge"
        if found.kind != "gateway_endpoint"
        else f"delivered to the service at {dest.label} (the endpoint policy is not evaluated)"
    )
    forward.append(Hop(dest.label, "", dest.kind, (Step("outside", beyond, True),)))

    reply = reply_packet(packet)
    if reply is None:
        return Path(tuple(forward), (), tuple(blocks))
    home = Steps(blocks)
    home.add(nacl_check(ix, client.subnet, "ingress", far, reply))
    home.steps.append(stateful_step(client))
    back = (
        Hop(dest.label, "", dest.kind, (Step("reply", f"{dest.label} answers", True),), "return"),
        *reversed(back_middle),
        node_hop(client, home.steps, "return"),
    )
    return Path(tuple(forward), back, tuple(blocks))


def _by_prefix_list(ix: NetworkIndex, check: Check, dest: Outside) -> Check:
    """A rule for a service should name its prefix list (AWS keeps it current), not a block."""
    step, block = check
    if block is None or dest.prefix_list is None:
        return check
    fix = block.fix.replace(f"to {dest.where.cidr} ", f"to {ix.label(dest.prefix_list)} ", 1)
    return replace(step, fix=fix), replace(block, fix=fix)


def _internet_gateway(
    ix: NetworkIndex,
    igw_id: str,
    client: Node,
    nat: NatGateway | None,
    lookup: RouteLookup,
    block: Cidr,
    blocks: list[Block],
) -> tuple[Hop, Hop]:
    """The internet gateway hop: attached to the VPC, and a public address to translate to."""
    vpc = nat.vpc if nat is not None else client.vpc
    table = ix.label(lookup.table.id)
    s = Steps(blocks)
    igw = ix.network.internet_gateways.get(igw_id)
    if igw is None or igw.vpc != vpc:
        where = "is not in the network" if igw is None else f"is attached to {igw.vpc or 'no VPC'}"
        detail = f"{igw_id} {where}, not to {vpc}: AWS shows the route as blackhole"
        fix = f"attach an internet gateway to {vpc} and route {block} via it in {table}"
        s.fail("internet gateway", igw_id, Reason.GATEWAY_NOT_AVAILABLE, detail, fix)
    else:
        s.ok("internet gateway", f"{ix.label(igw_id)} is attached to {vpc}", igw_id)
    if nat is not None:
        public = ip_text(int(nat.public_ip)) if nat.public_ip is not None else "its Elastic IP"
        s.ok(
            "public address",
            f"the source becomes {ix.label(nat.id)}'s public address ({public})",
            nat.id,
        )
    elif client.public_ip is not None:
        s.ok(
            "public address",
            f"{client.label} has the public address {ip_text(client.public_ip)}: the source "
            "becomes it",
            client.id,
        )
    else:
        detail = (
            f"{client.label} has no public IPv4 address or Elastic IP, so {igw_id} does not "
            "carry its traffic"
        )
        fix = (
            f"associate an Elastic IP with {client.id}, or route {block} via a NAT gateway "
            f"(in a public subnet) in {table} instead of {igw_id}"
        )
        s.fail("public address", client.id, Reason.NO_PUBLIC_IP, detail, fix)
    name = igw.name if igw is not None else ""
    where = f"attached to {igw.vpc}" if igw is not None and igw.vpc else ""
    forward = Hop(igw_id, name, "internet gateway", tuple(s.steps), "forward", where)
    back = Hop(
        igw_id,
        name,
        "internet gateway",
        (Step("translation", "the reply's destination is translated back", True),),
        "return",
    )
    return forward, back


def _nat(
    ix: NetworkIndex,
    nat_id: str,
    client: Node,
    dest: Outside,
    far: Node,
    packet: Packet,
    lookup: RouteLookup,
    blocks: list[Block],
) -> tuple[list[Hop], list[Hop]]:
    """The NAT gateway hop, then the internet gateway its own subnet routes to."""
    table = ix.label(lookup.table.id)
    nat = ix.network.nat_gateways.get(nat_id)
    s = Steps(blocks)
    if nat is None:
        detail = f"{nat_id} is not in the network: AWS shows the route as blackhole"
        fix = f"create a NAT gateway in a public subnet of {client.vpc} and route via it in {table}"
        s.fail("NAT gateway", nat_id, Reason.GATEWAY_NOT_AVAILABLE, detail, fix)
        return [Hop(nat_id, "", "NAT gateway", tuple(s.steps))], []
    label = ix.label(nat.id)
    if nat.state == "available":
        s.ok("NAT gateway", f"{label} is available", nat.id)
    else:
        detail = f"{label} is {nat.state}, not available: it forwards nothing"
        fix = f"wait for {label} to become available, or re-create it"
        s.fail("NAT gateway", nat.id, Reason.GATEWAY_NOT_AVAILABLE, detail, fix)
    crossed = nat.subnet != client.subnet
    if crossed:
        s.add(nacl_check(ix, nat.subnet, "ingress", client, packet))
    address = ip_text(int(nat.private_ip)) if nat.private_ip is not None else "its address"
    s.ok("translation", f"the source becomes {label}'s address ({address})", nat.id)
    onward: list[Hop] = []
    back: list[Hop] = []
    if nat.connectivity == "private":
        detail = (
            f"{label} is a private NAT gateway: it never reaches the internet (traffic it "
            "sends to an internet gateway is dropped)"
        )
        fix = (
            f"route internet-bound traffic via a public NAT gateway (in a subnet routed to an "
            f"internet gateway) in {table}, not via {label}"
        )
        s.fail("NAT connectivity", nat.id, Reason.NAT_NO_INTERNET, detail, fix)
    else:
        _nat_route(ix, nat, dest, client, onward, back, blocks, s)
    if crossed:
        s.add(nacl_check(ix, nat.subnet, "egress", far, packet))
    where = f"{address} in {nat.subnet} ({nat.connectivity})"
    hops = [Hop(nat.id, nat.name, "NAT gateway", tuple(s.steps), "forward", where), *onward]
    reply = reply_packet(packet)
    ret = Steps(blocks)
    if reply is not None and crossed:
        ret.add(nacl_check(ix, nat.subnet, "ingress", far, reply))
    ret.ok("translation", f"{label} translates the reply back to {client.label}", nat.id)
    if reply is not None and crossed:
        ret.add(nacl_check(ix, nat.subnet, "egress", client, reply))
    returns = [Hop(nat.id, nat.name, "NAT gateway", tuple(ret.steps), "return", where), *back]
    return hops, returns


def _nat_route(
    ix: NetworkIndex,
    nat: NatGateway,
    dest: Outside,
    client: Node,
    onward: list[Hop],
    back: list[Hop],
    blocks: list[Block],
    s: Steps,
) -> None:
    """A public NAT gateway goes on along its own subnet's route: it must be an IGW's."""
    label = ix.label(nat.id)
    lookup = ix.lookup_of_subnet(nat.subnet)
    best = lookup.best(dest.where) if lookup is not None else None
    igw = next((g for g in ix.network.internet_gateways.values() if g.vpc == nat.vpc), None)
    if (
        lookup is not None
        and best is not None
        and best[0].kind == "internet_gateway"
        and best[0].state == "active"
    ):
        route, block = best
        s.ok(
            "NAT subnet route",
            f"{ix.label(lookup.table.id)}: {block} via {route.target} (internet gateway)",
            lookup.table.id,
        )
        hop, ret = _internet_gateway(ix, route.target, client, nat, lookup, block, blocks)
        onward.append(hop)
        back.append(ret)
        return
    if lookup is not None and best is not None and best[0].kind in _NOT_FOLLOWED:
        detail = (
            f"{ix.label(lookup.table.id)} sends {dest.label} from {label} on via "
            f"{best[0].target} ({best[0].kind.replace('_', ' ')}), which the verifier does not "
            "follow, so whether it arrives is unknown"
        )
        fix = f"check what {best[0].target} does with {dest.label}"
        resource = lookup.table.id
        s.fail(
            "NAT subnet route",
            resource,
            Reason.ROUTE_TARGET_NOT_MODELLED,
            detail,
            fix,
            unknown=True,
        )
        return
    where = (
        f"{nat.subnet} has no route table"
        if lookup is None
        else f"{ix.label(lookup.table.id)} has no route to {dest.label} via an internet gateway"
        + ("" if best is None else f" (its best route is via {best[0].target}, {best[0].state})")
    )
    detail = (
        f"{label} is in {nat.subnet}, where {where}: a NAT gateway reaches the internet only so"
    )
    table = ix.label(lookup.table.id) if lookup is not None else f"the route table of {nat.subnet}"
    if igw is not None:
        fix = f"add a route to 0.0.0.0/0 via {ix.label(igw.id)} in {table}"
    else:
        fix = f"attach an internet gateway to {nat.vpc} and route 0.0.0.0/0 via it in {table}"
    s.fail(
        "NAT subnet route",
        lookup.table.id if lookup else nat.subnet,
        Reason.NAT_NO_INTERNET,
        detail,
        fix,
    )


def _gateway_endpoint(
    ix: NetworkIndex,
    ep_id: str,
    client: Node,
    dest: Outside,
    lookup: RouteLookup,
    blocks: list[Block],
) -> tuple[Hop, Hop]:
    """The gateway endpoint hop: in this VPC, a Gateway endpoint, available, associated."""
    table = lookup.table.id
    s = Steps(blocks)
    ep = ix.network.endpoints.get(ep_id)
    reason = Reason.GATEWAY_ENDPOINT_NOT_ASSOCIATED
    if ep is None:
        detail = f"{ep_id} is not in the network: AWS shows the route as blackhole"
        fix = f"create a gateway endpoint for the service in {client.vpc}, associated with {table}"
        s.fail("gateway endpoint", ep_id, reason, detail, fix)
        return Hop(ep_id, "", "gateway endpoint", tuple(s.steps)), Hop(
            ep_id, "", "gateway endpoint", (), "return"
        )
    label = ix.label(ep.id)
    if ep.vpc != client.vpc:
        detail = (
            f"{label} is in {ep.vpc}, not {client.vpc}: a gateway endpoint serves only its own "
            "VPC (no edge-to-edge routing)"
        )
        fix = f"create a gateway endpoint for {ep.service_name} in {client.vpc}"
        s.fail("gateway endpoint", ep.id, Reason.EDGE_TO_EDGE, detail, fix)
    elif ep.type != "Gateway":
        detail = f"{label} is an {ep.type} endpoint: routes cannot point at it"
        fix = f"route {dest.label} via a gateway endpoint in {ix.label(table)}"
        s.fail("gateway endpoint", ep.id, reason, detail, fix)
    elif ep.state != "available":
        detail = f"{label} is {ep.state}, not available"
        fix = f"wait for {label} to become available, or re-create it"
        s.fail("gateway endpoint", ep.id, reason, detail, fix)
    elif table not in ep.route_tables:
        detail = f"{ix.label(table)} is not associated with {label}, so it carries nothing from it"
        fix = f"associate {ix.label(table)} with {label}"
        s.fail("gateway endpoint", ep.id, reason, detail, fix)
    else:
        s.ok(
            "gateway endpoint",
            f"{label} ({ep.service_name}) is associated with {ix.label(table)}",
            ep.id,
        )
    forward = Hop(
        ep.id,
        ep.name,
        "gateway endpoint",
        tuple(s.steps),
        "forward",
        f"in {ep.vpc}, to {ep.service_name}",
    )
    back = Hop(
        ep.id,
        ep.name,
        "gateway endpoint",
        (Step("gateway endpoint", "the reply comes back the same way", True),),
        "return",
    )
    return forward, back
