"""A leg: one packet from one ENI to another over the VPC fabric, and its reply.

Traffic in a VPC starts and ends on ENIs; everything between two ENIs is a leg: the
sender's security group egress, its subnet's ACL egress, its route table (and any peering),
the receiver's subnet ACL ingress and security group ingress. The reply comes back along the
receiver's own route table through both ACLs again (stateless), while the security groups
let it pass without a rule (stateful). A network ACL filters traffic entering and leaving
its subnet, so traffic within one subnet never crosses it.
https://docs.aws.amazon.com/vpc/latest/userguide/vpc-network-acls.html
https://docs.aws.amazon.com/vpc/latest/userguide/vpc-security-groups.html

Every check is made even after one fails, so that a trace lists every block at once.
"""

from __future__ import annotations

from dataclasses import replace
from functools import lru_cache
from typing import Any

from vpcwire.verify.addresses import Where
from vpcwire.verify.flow import EPHEMERAL_PORT, ICMP_REPLY
from vpcwire.verify.index import NetworkIndex
from vpcwire.verify.nodes import Node
from vpcwire.verify.reasons import Reason
from vpcwire.verify.routing import RouteResult, route
from vpcwire.verify.security import Check, Packet, nacl_check, sg_check, stateful_step
from vpcwire.verify.trace import Block, Direction, Hop, Step

__all__ = ["Path", "instance_step", "leg", "reply_packet"]


class Path:
    """Hops out, hops back and blocks of a stretch of a flow; stretches chain with ``then``.

    A flow through an NLB is leg 1 (client → NLB node), the load balancer's own hops, and
    leg 2 (node → target). Its return path is leg 2's return followed by leg 1's return,
    which is what ``then`` builds.

    ``then`` keeps its two stretches and joins their hops only when ``forward`` or ``back``
    is first read: a flow that fans out over 27 targets made 27 joined copies of hops that
    only a printed trace ever reads (the second stretch is usually memoised and shared by
    every flow through that target). Immutable once made; the join is a cache.
    """

    __slots__ = ("_back", "_first", "_forward", "_label", "_recipe", "_second", "blocks")

    def __init__(
        self,
        forward: tuple[Hop, ...] = (),
        back: tuple[Hop, ...] = (),
        blocks: tuple[Block, ...] = (),
        label: str = "",
    ) -> None:
        self._forward = forward
        self._back = back
        self.blocks = blocks
        self._label: str | None = label
        # the two stretches ``then`` chained, until joined (two slots, not a tuple: one
        # object less per branch of every flow)
        self._first: Path | None = None
        self._second: Path | None = None
        # ``(function, *arguments)`` that makes this stretch again, hops and all, until its
        # hops are first read (see ``_kept``)
        self._recipe: tuple[Any, ...] | None = None

    @classmethod
    def redone(cls, blocks: tuple[Block, ...], recipe: tuple[Any, ...]) -> Path:
        """A stretch that keeps its blocks and makes its hops again when they are read."""
        path = cls((), (), blocks, "")
        path._recipe = recipe
        return path

    def then(self, other: Path) -> Path:
        joined = Path((), (), self.blocks + other.blocks, "")
        joined._first, joined._second = self, other
        joined._label = None  # from the parts, when read
        return joined

    def _join(self) -> None:
        recipe = self._recipe
        if recipe is not None:
            made: Path = recipe[0](*recipe[1:])
            self._forward, self._back = made.forward, made.back
            self._recipe = None
            return
        first, second = self._first, self._second
        if first is not None and second is not None:
            if self._label is None:
                self._label = _chain_label(first.label, second.label)
            self._forward = _join(first.forward, second.forward)
            self._back = _join(second.back, first.back)
            self._first = self._second = None

    @property
    def forward(self) -> tuple[Hop, ...]:
        if self._first is not None or self._recipe is not None:
            self._join()
        return self._forward

    @property
    def back(self) -> tuple[Hop, ...]:
        if self._first is not None or self._recipe is not None:
            self._join()
        return self._back

    @property
    def label(self) -> str:
        label = self._label
        if label is None:
            # _join sets the label before it drops the parts
            assert self._first is not None and self._second is not None
            label = self._label = _chain_label(self._first.label, self._second.label)
        return label

    def _value(self) -> tuple[object, ...]:
        return (self.forward, self.back, self.blocks, self.label)

    def __eq__(self, other: object) -> bool:
        if other is self:
            return True
        if not isinstance(other, Path):
            return NotImplemented
        return self._value() == other._value()

    def __hash__(self) -> int:
        return hash(self._value())

    def __repr__(self) -> str:
        return (
            f"Path(forward={self.forward!r}, back={self.back!r}, blocks={self.blocks!r}, "
            f"label={self.label!r})"
        )

    def labelled(self, label: str) -> Path:
        """The same stretch under another label."""
        out = Path(self._forward, self._back, self.blocks, label)
        out._first, out._second, out._recipe = self._first, self._second, self._recipe
        return out

    @classmethod
    def hop(cls, hop: Hop, blocks: tuple[Block, ...] | list[Block] = (), label: str = "") -> Path:
        return cls((hop,), (), tuple(blocks), label)


def _chain_label(first: str, second: str) -> str:
    return f"{first} → {second}" if first and second else first or second


def _join(first: tuple[Hop, ...], second: tuple[Hop, ...]) -> tuple[Hop, ...]:
    """Concatenate, merging a hop that ends one stretch and starts the next (an NLB node
    answering its target and then its client is one hop, not two)."""
    if first and second and first[-1].resource == second[0].resource:
        last, head = first[-1], second[0]
        had = last.steps
        steps = had + tuple(s for s in head.steps if not any(s is h for h in had) and s not in had)
        merged = Hop(last.resource, last.name, last.kind, steps, last.direction, last.detail)
        return (*first[:-1], merged, *second[1:])
    return first + second


@lru_cache(maxsize=1024)
def reply_packet(packet: Packet) -> Packet | None:
    """The reply's packet: to an ephemeral port, or the ICMP reply type; None if none.
    Cached: one shared value per service instead of one per leg of every trace."""
    if packet.protocol == "icmp":
        reply = ICMP_REPLY.get(packet.port)
        return None if reply is None else Packet("icmp", reply, packet.service)
    if packet.protocol not in ("tcp", "udp"):
        return Packet(packet.protocol, 0, packet.service)  # a protocol without ports
    return Packet(packet.protocol, EPHEMERAL_PORT, packet.service)


def instance_step(node: Node) -> Check | None:
    """A stopped (or stopping, pending, terminated) instance neither sends nor answers.
    https://docs.aws.amazon.com/AWSEC2/latest/UserGuide/ec2-instance-lifecycle.html
    """
    if node.state is None or node.state == "running":
        return None
    detail = f"{node.label} is {node.state}, not running"
    fix = f"start {node.label}"
    return (
        Step("instance state", detail, False, Reason.INSTANCE_NOT_RUNNING, fix, node.resource),
        Block(node.resource, Reason.INSTANCE_NOT_RUNNING, detail, fix),
    )


def leg(
    ix: NetworkIndex,
    src: Node,
    dst: Node,
    packet: Packet,
    *,
    seen_src: Node | None = None,
    privatelink: bool = False,
    health_checks_from: Node | None = None,
) -> Path:
    """``src`` sends ``packet`` to ``dst``.

    ``seen_src`` is the source the receiver sees when it is not ``src`` (an NLB that
    preserves the client's IP); then ``health_checks_from`` names the NLB node, whose own
    address the target must also admit, because health checks come from it.
    """
    key = (
        "leg",
        src.id,
        dst.id,
        packet,
        privatelink,
        None if seen_src is None else (seen_src.id, seen_src.groups),
        None if health_checks_from is None else health_checks_from.id,
    )
    return ix.memo(
        key, lambda: _kept(ix, src, dst, packet, seen_src, privatelink, health_checks_from)
    )


def _kept(
    ix: NetworkIndex,
    src: Node,
    dst: Node,
    packet: Packet,
    seen_src: Node | None,
    privatelink: bool,
    health_checks_from: Node | None,
) -> Path:
    """The leg as a trace keeps it: its blocks (all a verdict needs) and how to redo it.

    A leg's hops and steps are only read to print or serialise a trace, and the leg is a
    pure function of the (immutable) network and these arguments, so the trace keeps the
    arguments and works the hops out again when they are read: ~2.5 KB less per leg kept
    (most of a trace). The result is the same, step for step (tests/verify/test_lazy_text.py).
    """
    args = (ix, src, dst, packet, seen_src, privatelink, health_checks_from)
    return Path.redone(_leg(*args, hops=False).blocks, (_leg, *args))


def _leg(
    ix: NetworkIndex,
    src: Node,
    dst: Node,
    packet: Packet,
    seen_src: Node | None,
    privatelink: bool,
    health_checks_from: Node | None,
    *,
    hops: bool = True,
) -> Path:
    """The leg, checked; ``hops=False``: only its blocks (the hops are not built)."""
    seen = seen_src or src
    blocks: list[Block] = []
    same_subnet = src.subnet == dst.subnet
    there = _route(ix, src, dst.where, dst.vpc, reply=False)
    out = _steps(
        blocks,
        instance_step(src),
        sg_check(ix, src, "egress", dst, packet),
        _acl(ix, src, "egress", dst, packet, same_subnet),
    )
    out.append(there.step)
    blocks.extend(there.blocks)
    fwd_tgw = _transit_hops(ix, there, seen, dst, packet, blocks, "forward", hops=hops)
    into = _steps(
        blocks,
        instance_step(dst),
        _acl(ix, dst, "ingress", seen, packet, same_subnet or _from_tgw(there, dst)),
        sg_check(ix, dst, "ingress", seen, packet, privatelink=privatelink),
        None
        if health_checks_from is None
        else sg_check(
            ix,
            dst,
            "ingress",
            health_checks_from,
            packet,
            action="security group ingress (health checks)",
        ),
    )
    forward: tuple[Hop, ...] = ()
    if hops:
        middle = fwd_tgw if there.peering is None else (_peering_hop(there, "forward"),)
        forward = (_hop(src, out, "forward"), *middle, _hop(dst, into, "forward"))

    reply = reply_packet(packet)
    if reply is None:
        return Path(forward, (), tuple(blocks))
    back_route = _route(ix, dst, src.where, src.vpc, reply=True)
    answer = _steps(
        blocks, (stateful_step(dst), None), _acl(ix, dst, "egress", seen, reply, same_subnet)
    )
    answer.append(back_route.step)
    blocks.extend(back_route.blocks)
    back_tgw = _transit_hops(ix, back_route, dst, seen, reply, blocks, "return", hops=hops)
    home = _steps(
        blocks,
        _acl(ix, src, "ingress", dst, reply, same_subnet or _from_tgw(back_route, src)),
        (stateful_step(src), None),
    )
    back: tuple[Hop, ...] = ()
    if hops:
        middle = back_tgw if back_route.peering is None else (_peering_hop(back_route, "return"),)
        back = (_hop(dst, answer, "return"), *middle, _hop(src, home, "return"))
    return Path(forward, back, tuple(blocks))


def _from_tgw(result: RouteResult, node: Node) -> bool:
    """True when the packet comes out of a TGW inside ``node``'s own subnet: AWS then
    evaluates neither direction of that subnet's network ACL for it
    (https://docs.aws.amazon.com/vpc/latest/tgw/tgw-nacls.html)."""
    return result.transit is not None and result.transit.exit_subnet == node.subnet


def _transit_hops(
    ix: NetworkIndex,
    result: RouteResult,
    sender: Node,
    receiver: Node,
    packet: Packet,
    blocks: list[Block],
    direction: Direction,
    *,
    hops: bool,
) -> tuple[Hop, ...]:
    """The TGW hops of a route, with the network ACLs of the attachment subnets the packet
    crosses: inbound rules where it enters the TGW (its source address), outbound rules where
    it leaves it (its destination address) — unless it leaves into the receiver's own subnet."""
    transit = result.transit
    if transit is None:
        return ()
    # where it enters: the attachment subnet's inbound rules, even when the sender sits in it
    first = (
        _steps(blocks, _at(nacl_check(ix, transit.entry_subnet, "ingress", sender, packet),
                           transit.entry_subnet))
        if transit.entry_subnet is not None
        else []
    )  # fmt: skip
    middle = _steps(
        blocks,
        *(
            _at(nacl_check(ix, subnet, "egress", receiver, packet), subnet)
            if direction_ == "egress"
            else _at(nacl_check(ix, subnet, "ingress", sender, packet), subnet)
            for subnet, direction_ in transit.crossings
        ),
    )
    last = middle + (
        _steps(blocks, _at(nacl_check(ix, transit.exit_subnet, "egress", receiver, packet),
                           transit.exit_subnet))
        if transit.exit_subnet is not None and transit.exit_subnet != receiver.subnet
        else []
    )  # fmt: skip
    if not hops or not transit.hops:
        return ()
    out = [Hop(h.resource, h.name, h.kind, h.steps, direction, h.detail) for h in transit.hops]
    head = out[0]
    out[0] = Hop(head.resource, head.name, head.kind, (*first, *head.steps), direction, head.detail)
    tail = out[-1]
    out[-1] = Hop(tail.resource, tail.name, tail.kind, (*tail.steps, *last), direction, tail.detail)
    return tuple(out)


def _at(check: Check, subnet: str) -> Check:
    """A network ACL check named for the attachment subnet it is made at."""
    step, block = check
    return replace(step, action=f"{step.action} (attachment subnet {subnet})"), block


def _route(ix: NetworkIndex, src: Node, dst: Where, vpc: str | None, *, reply: bool) -> RouteResult:
    """``route``, memoised: it depends on neither protocol nor port, so every class of flows
    between two interfaces (the exhaustive proof traces dozens) shares one lookup each way."""
    return ix.memo(
        ("route", src.id, dst, vpc, reply), lambda: route(ix, src, dst, vpc, reply=reply)
    )


def _steps(blocks: list[Block], *checks: Check | None) -> list[Step]:
    """The steps of ``checks`` (None: not made), their blocks appended to ``blocks``."""
    steps = []
    for check in checks:
        if check is not None:
            steps.append(check[0])
            if check[1] is not None:
                blocks.append(check[1])
    return steps


def _acl(
    ix: NetworkIndex, node: Node, direction: str, remote: Node, packet: Packet, same_subnet: bool
) -> Check:
    if same_subnet:
        return _not_crossed(direction, node.subnet), None
    return nacl_check(
        ix, node.subnet, "ingress" if direction == "ingress" else "egress", remote, packet
    )


@lru_cache(maxsize=1 << 14)
def _not_crossed(direction: str, subnet: str) -> Step:
    """One shared step per subnet and direction."""
    return Step(f"network ACL {direction}", f"not crossed: both ends are in {subnet}", True)


def _hop(node: Node, steps: list[Step], direction: Direction) -> Hop:
    return Hop(node.resource, node.name, node.kind, tuple(steps), direction, node.detail)


def _peering_hop(result: RouteResult, direction: Direction) -> Hop:
    pcx = result.peering
    assert pcx is not None
    detail = (
        f"{pcx.requester_vpc} ({pcx.requester_region}) <-> "
        f"{pcx.accepter_vpc} ({pcx.accepter_region})"
    )
    return Hop(pcx.id, pcx.name, "peering connection", result.peering_steps, direction, detail)
