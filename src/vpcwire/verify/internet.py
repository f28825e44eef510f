"""The exhaustive proof's flows to and from the outside: instance → every public block, and
the internet → every instance with a public address (through its VPC's internet gateway).

Outbound flows are ordinary engine flows to a block's first address. Inbound flows have no
instance to start from, so they take the engine's own inbound leg
(:func:`vpcwire.verify.public.inbound`) — the same code a flow to a public address from
another VPC takes — from a block's first address to the class's representative.
"""

from __future__ import annotations

from collections.abc import Callable, Hashable, Iterable, Mapping, Sequence
from dataclasses import replace

from vpcwire.network import PortRange
from vpcwire.verify.addresses import Where
from vpcwire.verify.cases import PROTOCOLS, Side
from vpcwire.verify.classes import HostClass, port_classes
from vpcwire.verify.engine import Engine
from vpcwire.verify.flow import Flow
from vpcwire.verify.flow_class import (
    INTERNET,
    FlowClass,
    UnknownIn,
    covered,
    hops_of,
    resources_of,
    status_of,
)
from vpcwire.verify.icmp_types import needs_split, pieces, representative
from vpcwire.verify.outside_space import AddressBlock
from vpcwire.verify.pair_cuts import PairCuts
from vpcwire.verify.pair_probe import trace_by_pair
from vpcwire.verify.public import inbound
from vpcwire.verify.security import Packet
from vpcwire.verify.trace import Disposition, Hop, Trace

__all__ = ["internet_classes"]

_Meta = tuple[HostClass, AddressBlock, str, "PortRange | None", "tuple[str, ...] | None"]


def internet_classes(
    engine: Engine,
    side: Side,
    hosts: Sequence[HostClass],
    blocks: Sequence[AddressBlock],
    pairs: PairCuts,
    others: Sequence[tuple[str, tuple[str, ...] | None]],
    asked: Mapping[tuple[str, str], Iterable[tuple[str, PortRange | None]]],
    unknown_in: UnknownIn | None,
) -> list[FlowClass]:
    network = side.network
    out: list[FlowClass] = []
    outside = [b for b in blocks if not b.owner]
    names = {i.id: i.name or i.id for i in network.instances.values()}
    flows: list[Flow] = []
    meta: list[_Meta] = []
    for src in hosts:
        s = side.instance.get(src.representative)
        if s is None:
            continue
        base = pairs(src.representative, INTERNET)
        for block in blocks:
            cuts = base
            if block.owner:  # an instance's public address: its ingress rules cut too
                there = pairs(INTERNET, names.get(block.owner, block.owner))
                cuts = {p: base[p] | there[p] for p in base}
            services = _services(cuts, src.members, INTERNET, asked, others, replies=False)
            for proto, ports, rest in services:
                port = (
                    0 if ports is None else representative(ports) if proto == "icmp" else ports.low
                )
                flows.append(Flow(s, block.representative, proto, port))
                meta.append((src, block, proto, ports, rest))
    texts = {b: str(b) for b in blocks}  # summarising a range is slow: once per block

    def build(item: _Meta, ports: PortRange | None, trace: Trace) -> FlowClass:
        src, block, proto, _, rest = item
        status, note = status_of(trace.disposition, hops_of(trace), trace.blocks, unknown_in)
        return FlowClass(
            src.members,
            src.vpc,
            f"public address of {block.owner}" if block.owner else INTERNET,
            (texts[block],),
            INTERNET,
            proto,
            ports,
            status,
            _via(trace.hops) if status != "closed" else "",
            resources_of(trace.hops) if status != "closed" else (),
            status == "open" and covered(asked, src.members, (INTERNET,), proto, ports),
            block,
            note,
            rest,
        )

    again: list[tuple[_Meta, PortRange, Flow]] = []
    ways: dict[tuple[str, AddressBlock], Hashable] = {}
    for src, block, *_ in meta:
        if (src.representative, block) not in ways:
            ways[(src.representative, block)] = _way_out(engine, side, src, block)
    keys = [(src.members, ways[(src.representative, block)]) for src, block, *_ in meta]
    traces = trace_by_pair(engine, flows, keys)
    for item, flow, trace in zip(meta, flows, traces, strict=True):
        first = build(item, item[3], trace)
        ports = item[3]
        if (
            first.status == "closed"
            or ports is None
            or not (item[2] == "icmp" and needs_split(ports))
        ):
            out.append(first)
            continue
        for piece, request in pieces(ports):  # icmp_types says why only now
            if request:
                again.append((item, piece, replace(flow, port=piece.low)))
            else:
                out.append(build(item, piece, trace))
    for (item, piece, _), trace in zip(
        again, engine.trace_many(f for _, _, f in again), strict=True
    ):
        out.append(build(item, piece, trace))
    ix = engine.index
    for dst in hosts:
        inst = network.instances.get(side.instance.get(dst.representative, ""))
        eni = network.interfaces.get(inst.interface) if inst else None
        if eni is None or eni.public_ip is None:
            continue
        node = ix.node(eni.id)
        if node is None:
            continue
        for proto, ports, rest in _services(
            pairs(INTERNET, dst.representative), (INTERNET,), dst.members[0], asked, others
        ):
            packet = Packet(proto, ports.low if ports else 0)
            for block in outside:
                forward, _, found = inbound(ix, node, Where.ip(block.low), packet)
                if any(b.unknown for b in found):
                    disposition = Disposition.UNKNOWN
                else:
                    disposition = Disposition.UNREACHABLE if found else Disposition.REACHABLE
                status, note = status_of(disposition, _forward(forward), found, unknown_in)
                out.append(
                    FlowClass(
                        (INTERNET,),
                        INTERNET,
                        dst.vpc,
                        dst.members,
                        dst.vpc,
                        proto,
                        ports,
                        status,
                        _via(forward) if status != "closed" else "",
                        resources_of(forward) if status != "closed" else (),
                        status == "open" and covered(asked, (INTERNET,), dst.members, proto, ports),
                        block,
                        note,
                        rest,
                    )
                )
    return out


def _services(
    host_cuts: Mapping[str, set[int]],
    sources: Iterable[str],
    destination: str,
    asked: Mapping[tuple[str, str], Iterable[tuple[str, PortRange | None]]],
    others: Sequence[tuple[str, tuple[str, ...] | None]],
    *,
    replies: bool = True,
) -> list[tuple[str, PortRange | None, tuple[str, ...] | None]]:
    """The (protocol, port class) pairs of flows to or from ``host``'s outside."""
    wanted = [(p, r) for s in sources for p, r in asked.get((s, destination), ()) if r is not None]
    out: list[tuple[str, PortRange | None, tuple[str, ...] | None]] = []
    for proto in PROTOCOLS:
        cuts = set(host_cuts[proto])
        for p, r in wanted:
            if p == proto:
                cuts |= {r.low, r.high + 1}
        out += [(proto, ports, None) for ports in port_classes(proto, cuts, replies=replies)]
    out += [(proto, None, rest) for proto, rest in others]
    return out


def _way_out(engine: Engine, side: Side, src: HostClass, block: AddressBlock) -> Hashable:
    """What a probe of the host's flows to ``block`` stands for (:mod:`verify.pair_probe`).

    Whether a flow leaves the host's subnet at all is decided by the route its table picks
    for the block (blocks are cut at every route's bounds: one route, or none, for all of a
    block). Blocks that no route covers share one probe — a missing route closes each of them
    alike (``NO_ROUTE``) — and so do blocks routed to one internet gateway: a host without a
    public address is closed at that gateway whatever the address (``NO_PUBLIC_IP``). A probe
    that finds anything else stands for its own block only, and every other block a host
    sends elsewhere, or that is an interface's public address, is a pair of its own.
    """
    network = side.network
    inst = network.instances.get(side.instance.get(src.representative, ""))
    eni = network.interfaces.get(inst.interface) if inst is not None else None
    if block.owner or eni is None:
        return block
    lookup = engine.index.lookup_of_subnet(eni.subnet)
    best = lookup.best(Where.ip(block.low)) if lookup is not None else None
    if lookup is None or best is None:
        return "no route"
    if best[0].kind == "internet_gateway":
        return ("internet gateway", best[0].target)
    return block


def _forward(hops: tuple[Hop, ...]) -> Callable[[], tuple[Hop, ...]]:
    return lambda: hops


def _via(hops: Sequence[object]) -> str:
    for hop in hops:
        kind = getattr(hop, "kind", "")
        if kind == "internet gateway":
            return f"via internet gateway {getattr(hop, 'resource', '')}"
        if kind == "NAT gateway":
            return f"via NAT gateway {getattr(hop, 'resource', '')}"
        if kind == "peering connection":
            return f"via peering {getattr(hop, 'resource', '')}"
    return "to the outside"
