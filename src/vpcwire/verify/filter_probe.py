"""Classes closed by a filter, found with the filters alone instead of a trace.

Every class of one pair (a host to a host, an interface endpoint or a load balancer) takes
the same path: routes depend on neither protocol nor port. What tells the classes apart are
the filters every packet from one ENI to another meets, whatever the path between them: the
source's security group egress, its subnet's network ACL egress and the destination's
subnet ACL ingress (when the two are in different subnets), and the destination's security
group ingress (the source address is not translated between two ENIs). Those are the
forward checks of a leg (:func:`vpcwire.verify.legs.leg`), made here by the same functions
with the same arguments. When one of them blocks, and its block rests on known values, the
engine's trace of the flow holds that block too and is UNREACHABLE (a flow is open only if
every path is, and every path to an endpoint or a balancer starts with a leg to one of its
ENIs): the class is closed, at a fraction of a trace's cost (two thirds of the classes of
the synthetic estate are closed this way, mostly by a destination's security group).

Only for the proof's status: the trace this gives is a verdict — the block found (when no
rule of a group admits the protocol and port at all, a short one naming the group, made
without the engine's full text), no hops. A proof that judges paths through a snapshot's
gaps (``unknown_in``) reads every resource a trace passes, so it traces every class in full
instead.

One exception to "every path meets both subnets' ACLs": a Transit Gateway delivering into
its attachment subnet is evaluated by neither direction of that subnet's ACL
(https://docs.aws.amazon.com/vpc/latest/tgw/tgw-nacls.html). A destination in an attachment
subnet therefore has its ACL ingress left to the trace.
"""

from __future__ import annotations

from collections.abc import Callable

from vpcwire.verify.engine import Engine
from vpcwire.verify.flow import Flow
from vpcwire.verify.nodes import Node
from vpcwire.verify.reasons import Reason
from vpcwire.verify.resolve import resolve_destination, resolve_source
from vpcwire.verify.security import Check, Packet, nacl_check, sg_check
from vpcwire.verify.trace import Block, Disposition, Trace

__all__ = ["Early", "closed_by_filters"]

Early = Callable[[Flow], "Trace | None"]


def closed_by_filters(engine: Engine) -> Early:
    """A function: flow -> a verdict-only UNREACHABLE trace when a filter between its two
    interfaces blocks it, else None (trace it). Flows to anything but an instance's or
    ENI's own interface (endpoints, balancers, addresses) are always None."""
    ix, network = engine.index, engine.network
    sources: dict[str, Node] = {}
    firsts: dict[str, Node | None] = {}  # per destination name, resolved once

    def pair(flow: Flow) -> tuple[Node, Node] | None:
        src = sources.get(flow.source)
        if src is None:
            src = sources[flow.source] = ix.node_of(resolve_source(network, flow.source))
        if flow.destination not in firsts:
            firsts[flow.destination] = _first_node(engine, flow.destination)
        dst = firsts[flow.destination]
        # to the source's own interface: loopback, no filter
        return None if dst is None or dst.id == src.id else (src, dst)

    # subnets a TGW may deliver into without their ACL's inbound rules (see the docstring)
    tgw_subnets = frozenset(sid for att in network.tgw_attachments.values() for sid in att.subnets)
    admits: dict[tuple[tuple[str, ...], bool, str, int], bool] = {}
    said: dict[tuple[str, Reason], Block] = {}

    def any_rule(node: Node, ingress: bool, protocol: str, port: int) -> bool:
        """Whether some rule of the node's groups admits the protocol and port from or to
        anyone: when none does, ``sg_check`` blocks whatever the peer (its own loop never
        gets past the protocol and port test). Remembered: the classes of a thousand
        pairs ask the same few groups the same few services."""
        key = (node.groups, ingress, protocol, port)
        found = admits.get(key)
        if found is None:
            found = False
            for gid in node.groups:
                sg = ix.sgs.get(gid)
                for rule in (sg.ingress if ingress else sg.egress) if sg is not None else ():
                    if rule.protocol == "all" or (
                        rule.protocol == protocol and rule.low <= port <= rule.high
                    ):
                        found = True
                        break
                if found:
                    break
            admits[key] = found
        return found

    open_sg: dict[tuple[tuple[str, ...], bool], bool] = {}
    open_acl: dict[tuple[str, bool], bool] = {}

    def admits_anyone(node: Node, ingress: bool) -> bool:
        """A rule of every protocol from or to 0.0.0.0/0 (the usual egress rule): whichever
        rule ``sg_check`` meets first then matches, so it passes every flow (it never
        blocks; an unfiltered node neither)."""
        key = (node.groups, ingress)
        found = open_sg.get(key)
        if found is None:
            rules = [
                rule
                for gid in node.groups
                if (sg := ix.sgs.get(gid)) is not None
                for rule in (sg.ingress if ingress else sg.egress)
            ]
            found = open_sg[key] = not node.filtered or any(
                r.protocol == "all" and r.group is None and any(c.plen == 0 for c in r.cidrs)
                for r in rules
            )
        return found

    def acl_admits_anyone(subnet: str, ingress: bool) -> bool:
        """No ACL recorded, or its first entry allows every protocol from or to 0.0.0.0/0 (a
        default ACL): ``nacl_check``'s first match is then that allow, for every flow."""
        key = (subnet, ingress)
        found = open_acl.get(key)
        if found is None:
            info = ix.subnets.get(subnet)
            entries = () if info is None else info.acl_in if ingress else info.acl_out
            first = entries[0] if entries else None
            found = open_acl[key] = (
                info is None
                or info.acl_id is None
                or (
                    first is not None
                    and first.allow
                    and first.protocol == "all"
                    and first.cidr.plen == 0
                )
            )
        return found

    def denied(node: Node, ingress: bool) -> Block:
        reason = Reason.SG_INGRESS_DENIED if ingress else Reason.SG_EGRESS_DENIED
        resource = node.groups[0] if node.groups else node.id
        block = said.get((resource, reason))
        if block is None:
            detail = f"no rule of {ix.label(resource)} admits the class's protocol and port"
            block = said[(resource, reason)] = Block(resource, reason, detail, "")
        return block

    def early(flow: Flow) -> Trace | None:
        found = pair(flow)
        if found is None:
            return None
        src, dst = found
        protocol, port = flow.protocol, flow.port
        for node, ingress in ((dst, True), (src, False)):  # the likeliest to block first
            if node.filtered and not any_rule(node, ingress, protocol, port):
                return Trace(flow, Disposition.UNREACHABLE, (denied(node, ingress),))
        packet = Packet(protocol, port)
        checks: list[Callable[[], Check]] = []
        if not admits_anyone(dst, True):
            checks.append(lambda: sg_check(ix, dst, "ingress", src, packet))
        if not admits_anyone(src, False):
            checks.append(lambda: sg_check(ix, src, "egress", dst, packet))
        if src.subnet != dst.subnet:  # an ACL filters only what crosses its subnet's edge
            if dst.subnet not in tgw_subnets and not acl_admits_anyone(dst.subnet, True):
                checks.append(lambda: nacl_check(ix, dst.subnet, "ingress", src, packet))
            if not acl_admits_anyone(src.subnet, False):
                checks.append(lambda: nacl_check(ix, src.subnet, "egress", dst, packet))
        for check in checks:
            block = check()[1]
            if block is not None and not block.unknown:
                return Trace(flow, Disposition.UNREACHABLE, (block,))
        return None

    return early


def _first_node(engine: Engine, destination: str) -> Node | None:
    """The ENI every path of a flow to ``destination`` starts its first leg towards: an
    instance's or ENI's own; an interface endpoint's or a load balancer's first ENI (each of
    its ENIs is a path of the flow, and the flow is open only if every path is); None for
    anything else (an address, the internet, one ENI of an endpoint named alone)."""
    ix, network = engine.index, engine.network
    dest = resolve_destination(network, destination)
    if dest.only is not None:
        return None
    nodes: tuple[Node, ...] = ()
    if dest.kind == "interface":
        node = ix.node(dest.id)
        nodes = (node,) if node is not None else ()
    elif dest.kind == "endpoint" and dest.id in network.endpoints:
        nodes = ix.endpoint_nodes(network.endpoints[dest.id])
    elif dest.kind == "load_balancer" and dest.id in network.load_balancers:
        nodes = ix.lb_nodes(network.load_balancers[dest.id])
    return nodes[0] if nodes else None
