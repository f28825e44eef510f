"""Reaching an interface's public address from outside its VPC.

From the internet, only an interface's public IPv4 address or Elastic IP is reachable,
through the internet gateway of its VPC, which translates it to the private address; the
reply leaves through that gateway only if the interface's subnet route table sends the
(public) source address to it. The source the interface sees is the sender's public
address: its own, or its NAT gateway's.
https://docs.aws.amazon.com/vpc/latest/userguide/VPC_Internet_Gateway.html
"""

from __future__ import annotations

from vpcwire.network import Route
from vpcwire.verify.addresses import Where, ip_text
from vpcwire.verify.index import NetworkIndex
from vpcwire.verify.legs import instance_step, reply_packet
from vpcwire.verify.nodes import Node
from vpcwire.verify.outside import Outside, Steps, node_hop, outside_node
from vpcwire.verify.reasons import Reason
from vpcwire.verify.security import Packet, nacl_check, sg_check, stateful_step
from vpcwire.verify.trace import Block, Hop, Step

__all__ = ["inbound", "public_source"]


def public_source(ix: NetworkIndex, client: Node, found: Route) -> Where | None:
    """The public address a flow out along ``found`` carries as its source, if known."""
    if found.kind == "internet_gateway" and client.public_ip is not None:
        return Where(client.public_ip)
    nat = ix.network.nat_gateways.get(found.target) if found.kind == "nat_gateway" else None
    if nat is not None and nat.public_ip is not None:
        return Where.ip(nat.public_ip)
    return None


def inbound(
    ix: NetworkIndex, dst: Node, source: Where, packet: Packet
) -> tuple[tuple[Hop, ...], tuple[Hop, ...], tuple[Block, ...]]:
    """From the internet to ``dst``'s public address: through the internet gateway of its
    VPC, its subnet's ACL and its security groups; the reply must be routed back to that
    internet gateway by ``dst``'s own subnet route table (forward hops, return hops, blocks).
    """
    far = outside_node(Outside(source, str(source), "address"))
    blocks: list[Block] = []
    lookup = ix.lookup_of_subnet(dst.subnet)
    table = ix.label(lookup.table.id) if lookup is not None else f"the route table of {dst.subnet}"
    igw = next((g for g in ix.network.internet_gateways.values() if g.vpc == dst.vpc), None)
    gate = Steps(blocks)
    public = ip_text(dst.public_ip) if dst.public_ip is not None else "?"
    if igw is None:
        detail = f"no internet gateway is attached to {dst.vpc}: nothing reaches {public}"
        fix = f"attach an internet gateway to {dst.vpc} and route 0.0.0.0/0 via it in {table}"
        gate.fail("internet gateway", dst.vpc, Reason.GATEWAY_NOT_AVAILABLE, detail, fix)
        igw_id, igw_name = f"internet gateway of {dst.vpc}", ""
    else:
        igw_id, igw_name = igw.id, igw.name
        gate.ok(
            "internet gateway",
            f"{ix.label(igw.id)} translates {public} to {dst.label}'s private address",
            igw.id,
        )
    into = Steps(blocks)
    into.add(instance_step(dst))
    into.add(nacl_check(ix, dst.subnet, "ingress", far, packet))
    into.add(sg_check(ix, dst, "ingress", far, packet))
    forward = (
        Hop(igw_id, igw_name, "internet gateway", tuple(gate.steps), "forward"),
        node_hop(dst, into.steps, "forward"),
    )
    reply = reply_packet(packet)
    if reply is None:
        return forward, (), tuple(blocks)
    answer = Steps(blocks)
    answer.steps.append(stateful_step(dst))
    answer.add(nacl_check(ix, dst.subnet, "egress", far, reply))
    best = lookup.best(source) if lookup is not None and not lookup.is_local(source) else None
    if (
        igw is not None
        and best is not None
        and best[0].target == igw.id
        and best[0].state == "active"
    ):
        answer.ok(
            "route",
            f"{table}: {best[1]} via {igw.id} (internet gateway) (return path)",
            lookup.table.id if lookup is not None else None,
        )
    else:
        via = "no route" if best is None else f"its best route is via {best[0].target}"
        detail = (
            f"{table} does not send the reply to {source} to the internet gateway ({via}): an "
            f"internet gateway carries {dst.label}'s traffic only where the route table sends "
            "it there (return path)"
        )
        fix = (
            f"add a route to 0.0.0.0/0 via {ix.label(igw.id)} in {table}"
            if igw is not None
            else f"attach an internet gateway to {dst.vpc} and route 0.0.0.0/0 via it in {table}"
        )
        resource = lookup.table.id if lookup is not None else dst.subnet
        answer.fail("route", resource, Reason.NO_RETURN_ROUTE, detail, fix)
    back = (
        node_hop(dst, answer.steps, "return"),
        Hop(
            igw_id,
            igw_name,
            "internet gateway",
            (Step("translation", f"the reply's source becomes {public}", True),),
            "return",
        ),
    )
    return forward, back, tuple(blocks)
