"""The exhaustive proof: every open flow of a network, as equivalence classes.

``prove(network, asked)`` traces one representative of every class of flows — between any two
instances, from an instance to every interface endpoint and load balancer it can reach, from
an instance to every block of public addresses, and from the internet to every instance with a
public address — and says of each class: open, closed or unknown. What it covers:

* protocols tcp, udp (ports 0-65535) and icmp (types 0-255), each split into port classes at
  the bounds of every rule, entry and listener on the way; every other IP protocol (ESP "50",
  GRE "47" …) as one class per protocol that a rule or entry names, plus one class for all the
  protocols none names (AWS's ``-1`` rules admit them alike). ``all`` is not a protocol of its
  own: its flows are the union of these classes;
* addresses: instances by host class (:mod:`vpcwire.verify.classes`); outside every VPC, the
  public address space cut at every CIDR any rule, entry or route names and at every public
  address of an interface. Private ranges outside every VPC (RFC 1918, 100.64.0.0/10) and
  addresses never routed are not covered: they lead to on-premises networks vpcwire does not
  model, or nowhere.

What is not traced is closed, and the :class:`Proof` can say why for any flow
(:meth:`Proof.classify`): two VPCs nothing links (no peering, no transit gateway, VPN or
appliance route) have no path between them; a load balancer carries only its listener ports.
A class whose trace is UNKNOWN, or passes a resource the caller cannot vouch for (``unknown_in``:
a snapshot's gaps), is *unknown*, never closed.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field, replace
from typing import TYPE_CHECKING

from vpcwire.network import LoadBalancer, Network, PortRange, VpcEndpoint
from vpcwire.verify.cases import (
    PROTOCOLS,
    Dest,
    Side,
    class_cases,
    destinations,
    key_of,
    near_dests,
    via_of,
)
from vpcwire.verify.classes import HostClass, host_classes
from vpcwire.verify.coverage import not_covered
from vpcwire.verify.engine import Engine
from vpcwire.verify.filter_probe import closed_by_filters
from vpcwire.verify.flow import Flow
from vpcwire.verify.icmp_types import needs_split, pieces, representative
from vpcwire.verify.intents import Intent

if TYPE_CHECKING:
    from vpcwire.plan.plan import Plan
from vpcwire.verify.flow_class import (
    INTERNET,
    Ask,
    Asked,
    AskKey,
    FlowClass,
    Status,
    UnknownIn,
    covered,
    hops_of,
    resources_of,
    status_of,
)
from vpcwire.verify.outside_space import outside_blocks
from vpcwire.verify.pair_cuts import pair_port_cuts
from vpcwire.verify.pair_probe import trace_by_pair
from vpcwire.verify.protocols import other_protocols
from vpcwire.verify.trace import Trace

__all__ = [
    "INTERNET",
    "FlowClass",
    "Proof",
    "Status",
    "asked_by_intents",
    "asked_by_spec",
    "covered",
    "hops_of",
    "prove",
    "resources_of",
    "status_of",
]

_Meta = tuple[HostClass, Dest, str, "PortRange | None", "tuple[str, ...] | None"]
_LINKING_ROUTES = ("transit_gateway", "vpn_gateway", "network_interface", "other")


@dataclass(frozen=True, slots=True)
class Proof:
    classes: tuple[FlowClass, ...]  # every class traced, closed ones too
    linked: frozenset[frozenset[str]] = field(default_factory=frozenset)
    protocols_covered: str = ""
    judged: bool = True  # False: nothing was said to be intended (an audit without --expect)
    # parts of the network no class covers, one line per kind (verify/coverage.py)
    not_covered: tuple[str, ...] = ()

    @property
    def open(self) -> tuple[FlowClass, ...]:
        return tuple(c for c in self.classes if c.status == "open")

    @property
    def unintended(self) -> tuple[FlowClass, ...]:
        if not self.judged:
            return ()
        return tuple(c for c in self.open if not c.intended)

    @property
    def unknown(self) -> tuple[FlowClass, ...]:
        return tuple(c for c in self.classes if c.status == "unknown")

    def classify(self, network: Network, flow: Flow) -> list[FlowClass]:
        """The classes ``flow`` falls in (exactly one, when the proof is right): a traced one,
        or the closed class the proof stands for without tracing (no link, no listener)."""
        source = key_of(network, flow.source)
        destination = key_of(network, flow.destination)
        found = [c for c in self.classes if c.contains(flow, source, destination)]
        if found:
            return found
        return [_untraced(network, flow, source, destination, self.linked)]


def _untraced(
    network: Network, flow: Flow, source: str, destination: str, linked: frozenset[frozenset[str]]
) -> FlowClass:
    side = Side(network)
    src = network.find(flow.source, kinds=("instance",))
    dst = network.find(flow.destination, kinds=("instance", "vpc_endpoint", "load_balancer"))
    svpc = side.vpc_name.get(getattr(src[0], "vpc", ""), "?") if src else "?"
    dvpc = side.vpc_name.get(getattr(dst[0], "vpc", ""), "?") if dst else "?"
    why = "not traced"
    if svpc != dvpc and frozenset((svpc, dvpc)) not in linked:
        why = "no peering, transit gateway or other route links the two VPCs"
    elif dst and isinstance(dst[0], (VpcEndpoint, LoadBalancer)):
        why = "no listener of the load balancer serves it"
    ports = PortRange.one(flow.port) if flow.protocol in PROTOCOLS else None
    return FlowClass(
        (source,), svpc, destination, (destination,), dvpc, flow.protocol, ports, "closed", note=why
    )


def prove(
    network: Network, asked: Asked | None = None, *, unknown_in: UnknownIn | None = None
) -> Proof:
    """Trace every class of ``network``; mark open classes that ``asked`` covers as intended.

    ``asked`` maps (source, destination) — instance, endpoint or balancer names as
    :func:`key_of` gives them, or ``internet`` — to (protocol, ports) pairs; a class is
    intended only when every flow in it is asked for (every member pair, every port).
    """
    given = asked is not None
    asked = asked or {}
    side = Side(network)
    hosts = _split_public(network, host_classes(network))
    dests = destinations(side, side, hosts)
    linked = set(side.peered) | _route_links(network, side)
    port_asked = {k: [(p, r) for p, r in v if r is not None] for k, v in asked.items()}
    pairs = pair_port_cuts(network)
    cases = class_cases(
        [side], hosts, dests, port_asked, [], lambda s, d: True, linked, pair_cuts=pairs
    )
    others = other_protocols(network)
    engine = Engine(network)
    flows: list[Flow] = []
    meta: list[_Meta] = []
    for src, dst, proto, rng in cases:
        d = side.resolve(dst)
        s = side.instance.get(src.representative)
        if s is None or d is None:
            continue
        port = representative(rng) if proto == "icmp" else rng.low
        flows.append(Flow(s, d, proto, port))
        meta.append((src, dst, proto, rng, None))
    for src, dst in _host_pairs(hosts, dests, linked):
        d = side.resolve(dst)
        s = side.instance.get(src.representative)
        if s is None or d is None:
            continue
        for proto, rest in others:
            flows.append(Flow(s, d, proto, 0))
            meta.append((src, dst, proto, None, rest))

    def build(item: _Meta, ports: PortRange | None, trace: Trace) -> FlowClass:
        src, dst, proto, _, rest = item
        status, note = status_of(trace.disposition, hops_of(trace), trace.blocks, unknown_in)
        return FlowClass(
            src.members,
            src.vpc,
            dst.key,
            dst.members,
            dst.vpc,
            proto,
            ports,
            status,
            via_of(trace, side, dst) if status != "closed" else "",
            resources_of(trace.hops) if status != "closed" else (),
            status == "open" and covered(asked, src.members, dst.members, proto, ports),
            note=note,
            rest_except=rest,
        )

    out: list[FlowClass] = []
    again: list[tuple[_Meta, PortRange, Flow]] = []
    pairs_of = [(src.members, dst.key, dst.members) for src, dst, *_ in meta]
    early = closed_by_filters(engine) if unknown_in is None else None  # filter_probe: why
    traces = trace_by_pair(engine, flows, pairs_of, early)
    for item, flow, trace in zip(meta, flows, traces, strict=True):
        ports = item[3]
        first = build(item, ports, trace)
        if (
            first.status == "closed"
            or ports is None
            or not (item[2] == "icmp" and needs_split(ports))
        ):
            out.append(first)
            continue
        for piece, request in pieces(ports):
            if request:
                again.append((item, piece, replace(flow, port=piece.low)))
            else:
                out.append(build(item, piece, trace))
    for (item, piece, _), trace in zip(
        again, engine.trace_many(f for _, _, f in again), strict=True
    ):
        out.append(build(item, piece, trace))
    from vpcwire.verify.internet import internet_classes

    blocks = outside_blocks(network)
    out += internet_classes(engine, side, hosts, blocks, pairs, others, asked, unknown_in)
    scope = (
        "tcp and udp ports 0-65535, icmp types 0-255, and every other IP protocol"
        f", in {len(others)} class{'es' if len(others) > 1 else ''}; addresses of every"
        " instance, endpoint and load balancer, and every public address"
    )
    return Proof(
        tuple(out), frozenset(linked), scope, judged=given, not_covered=not_covered(network)
    )


def asked_by_intents(network: Network, intents: Iterable[Intent]) -> dict[AskKey, list[Ask]]:
    """What the reachable intents ask for, keyed as :func:`prove` takes it (each intent one
    port: :func:`asked_by_spec` adds what a connection allows as a whole)."""
    out: dict[AskKey, list[Ask]] = {}
    for intent in intents:
        if intent.expect != "reachable":
            continue
        f = intent.flow
        ports = PortRange.one(f.port) if f.protocol in PROTOCOLS else None
        ends = (key_of(network, f.source), key_of(network, f.destination))
        out.setdefault(ends, []).append((f.protocol, ports))
    return out


def asked_by_spec(plan: Plan, network: Network) -> dict[AskKey, list[Ask]]:
    """What a spec asks for: its intents, and every flow a peering connection's ``allow``
    admits between the instances of its two VPCs (``all``: every protocol and port) — the
    intents only sample those (tcp/22, udp/53, icmp/8 for ``all``)."""
    from vpcwire.spec.models import PeerConnection
    from vpcwire.verify.intents import derive_intents

    out = asked_by_intents(network, derive_intents(plan))
    vpc_name = {v.id: v.name or v.id for v in network.vpcs.values()}
    hosts: dict[str, list[str]] = {}
    for inst in network.instances.values():
        hosts.setdefault(vpc_name.get(inst.vpc, inst.vpc), []).append(inst.name or inst.id)
    for conn in plan.spec.connections:
        if not isinstance(conn, PeerConnection):
            continue
        asks: list[Ask] = []
        for rule in conn.allow:
            if rule.protocol in ("tcp", "udp") and rule.ports:
                asks += [(rule.protocol, PortRange.one(p)) for p in rule.ports]
            else:
                asks.append((rule.protocol, None))
        for a, b in conn.pairs:
            for here, there in ((a, b), (b, a)):
                for s in hosts.get(here, []):
                    for d in hosts.get(there, []):
                        out.setdefault((s, d), []).extend(asks)
    return out


def _split_public(network: Network, hosts: list[HostClass]) -> list[HostClass]:
    """Host classes split by whether a member has a public address: only those are reachable
    from the internet and leave through an internet gateway themselves."""
    side_ip = {
        (i.name or i.id): network.interfaces[i.interface].public_ip is not None
        for i in network.instances.values()
        if i.interface in network.interfaces
    }
    out: list[HostClass] = []
    for c in hosts:
        for flag in (False, True):
            part = tuple(m for m in c.members if side_ip.get(m, False) is flag)
            if part:
                out.append(HostClass(part, c.vpc))
    return sorted(out, key=lambda c: c.members)


def _route_links(network: Network, side: Side) -> set[frozenset[str]]:
    """VPC pairs linked by something other than a peering: a VPC with a transit gateway, VPN
    or appliance route is linked to every VPC (the engine then says what it knows)."""
    names = set(side.vpc_name.values())
    out: set[frozenset[str]] = set()
    for table in network.route_tables.values():
        if any(r.kind in _LINKING_ROUTES for r in table.routes):
            vpc = side.vpc_name.get(table.vpc, table.vpc)
            out |= {frozenset((vpc, other)) for other in names if other != vpc}
    return out


def _host_pairs(
    hosts: list[HostClass], dests: list[Dest], linked: set[frozenset[str]]
) -> Iterable[tuple[HostClass, Dest]]:
    near = near_dests([d for d in dests if d.kind == "host"], linked)
    for src in hosts:
        for dst in near(src.vpc):
            if dst.members == src.members:
                if len(dst.members) < 2:
                    continue
                dst = Dest(dst.key, dst.vpc, (*dst.members[1:], dst.members[0]), "host")
            yield src, dst
