"""The cases an exhaustive comparison traces: one per (source class, destination, protocol,
port class), shared by ``vpcwire diff`` and the exhaustive proof (:mod:`vpcwire.verify.exhaustive`).

Sources are host classes (:mod:`vpcwire.verify.classes`); destinations are host classes,
interface endpoints and load balancers. Port classes between two hosts come from their
security groups and their subnets' network ACLs (the only port checks on that path) and from
the ports asked for (intents, an expect file). A load balancer, called directly or behind an
endpoint, carries only its listener ports over TCP and UDP: one case per listener port, every
other class is closed by the balancer itself. Pairs in two VPCs that nothing connects are left
to the caller's ``linked`` set (peerings; the proof adds transit gateway routes).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, replace
from typing import Literal

from vpcwire.network import Network, PortRange
from vpcwire.verify.classes import HostClass, port_classes
from vpcwire.verify.trace import Trace

__all__ = [
    "PROTOCOLS",
    "Case",
    "Dest",
    "Side",
    "class_cases",
    "destinations",
    "key_of",
    "merge_ranges",
    "near_dests",
    "via_of",
]

PROTOCOLS = ("tcp", "udp", "icmp")

Case = tuple[HostClass, "Dest", str, PortRange]
Asked = Mapping[tuple[str, str], Iterable[tuple[str, PortRange]]]
PortCuts = Mapping[str, Mapping[str, set[int]]]


@dataclass(frozen=True, slots=True)
class Dest:
    key: str  # label used for grouping
    vpc: str
    members: tuple[str, ...]
    kind: Literal["host", "endpoint", "load_balancer"]
    fronts: tuple[str, ...] = ()  # VPC names whose listeners decide (endpoint/LB chains)
    behind: tuple[str, ...] = ()  # every VPC the chain can pass: fronts and their peers
    listeners: frozenset[tuple[str, int]] = frozenset()  # (protocol, port) in either network


class Side:
    """Name lookups on one network."""

    def __init__(self, network: Network) -> None:
        self.network = network
        self.vpc_name = {v.id: v.name or v.id for v in network.vpcs.values()}
        self.instance = {i.name or i.id: i.id for i in network.instances.values()}
        self.endpoint = {
            e.name or e.id: e.id for e in network.endpoints.values() if e.type == "Interface"
        }
        self.balancer = {lb.name or lb.id: lb.id for lb in network.load_balancers.values()}
        self.peered = {
            frozenset(
                (
                    self.vpc_name.get(p.requester_vpc, p.requester_vpc),
                    self.vpc_name.get(p.accepter_vpc, p.accepter_vpc),
                )
            )
            for p in network.peerings.values()
        }

    def resolve(self, dest: Dest) -> str | None:
        table = {"host": self.instance, "endpoint": self.endpoint, "load_balancer": self.balancer}
        return table[dest.kind].get(dest.members[0])

    def fronted_vpcs(self, kind: str, name: str) -> set[str]:
        """VPCs of the load balancers behind an endpoint or load balancer (their listeners)."""
        net = self.network
        lbs: list[str] = []
        if kind == "load_balancer" and name in self.balancer:
            lbs = [self.balancer[name]]
        elif kind == "endpoint" and name in self.endpoint:
            svc = net.endpoint_service_by_name.get(net.endpoints[self.endpoint[name]].service_name)
            lbs = list(svc.load_balancers) if svc else []
        return {
            self.vpc_name.get(net.load_balancers[i].vpc, "") for i in lbs if i in net.load_balancers
        }

    def listener_ports(self, kind: str, name: str) -> set[tuple[str, int]]:
        net = self.network
        lbs: list[str] = []
        if kind == "load_balancer" and name in self.balancer:
            lbs = [self.balancer[name]]
        elif kind == "endpoint" and name in self.endpoint:
            svc = net.endpoint_service_by_name.get(net.endpoints[self.endpoint[name]].service_name)
            lbs = list(svc.load_balancers) if svc else []
        out: set[tuple[str, int]] = set()
        for lb in lbs:
            for lst in net.listeners_of_lb.get(lb, []):
                protos = {"UDP": ("udp",), "TCP_UDP": ("tcp", "udp")}.get(lst.protocol, ("tcp",))
                out.update((p, lst.port) for p in protos)
        return out

    def peers_of(self, vpcs: set[str]) -> set[str]:
        return {v for pair in self.peered if pair & vpcs for v in pair}


def destinations(old: Side, new: Side, hosts: Sequence[HostClass]) -> list[Dest]:
    out = [Dest(c.vpc, c.vpc, c.members, "host") for c in hosts]
    for kind in ("endpoint", "load_balancer"):
        names: set[str] = set()
        for side in (old, new):
            names |= set(side.endpoint if kind == "endpoint" else side.balancer)
        for name in sorted(names):
            vpc = ""
            for side in (new, old):
                table = (
                    side.network.endpoints if kind == "endpoint" else side.network.load_balancers
                )
                ids = side.endpoint if kind == "endpoint" else side.balancer
                if name in ids:
                    vpc = side.vpc_name.get(table[ids[name]].vpc, "")
                    break
            fronts = old.fronted_vpcs(kind, name) | new.fronted_vpcs(kind, name)
            behind = fronts | old.peers_of(fronts) | new.peers_of(fronts)
            label = f"endpoint {name}" if kind == "endpoint" else f"load balancer {name}"
            ports = old.listener_ports(kind, name) | new.listener_ports(kind, name)
            out.append(
                Dest(
                    label,
                    vpc,
                    (name,),
                    kind,
                    tuple(sorted(fronts)),
                    tuple(sorted(behind)),
                    frozenset(ports),
                )
            )
    return out


def class_cases(
    sides: Sequence[Side],
    hosts: Sequence[HostClass],
    dests: Sequence[Dest],
    asked: Asked,
    host_cuts: Sequence[PortCuts],
    keep: Callable[[HostClass, Dest], bool],
    linked: set[frozenset[str]],
    pair_cuts: Callable[[str, str], Mapping[str, set[int]]] | None = None,
) -> list[Case]:
    """Every (source class, destination, protocol, port class) worth tracing.

    ``asked`` maps (source host, destination name) to the (protocol, ports) asked for, whose
    bounds become cuts; ``keep`` drops pairs the caller knows the verdict of; ``linked`` holds
    the pairs of VPC names that something connects (others have no path between them).
    ``pair_cuts``, when given, gives the cuts of one pair of hosts in place of ``host_cuts``
    (every rule of both hosts: :mod:`vpcwire.verify.pair_cuts` keeps the ones that decide);
    then ICMP request types are left in their ranges, for the caller to split
    (:mod:`vpcwire.verify.icmp_types`).
    """
    cases: list[Case] = []
    near = near_dests(dests, linked)
    asking = {s for s, _ in asked}  # most hosts ask for nothing: skip their pairs' look-ups
    for src in hosts:
        for dst in near(src.vpc):
            if dst.kind == "host" and dst.members == src.members:
                if len(dst.members) < 2:
                    continue  # a host alone in its class: no flow to another host like it
                # two hosts of one class: trace from the first to the second
                dst = replace(dst, members=(*dst.members[1:], dst.members[0]))
            if not keep(src, dst):
                continue
            if dst.kind != "host":
                # A load balancer (behind an endpoint or called directly) carries only its
                # listener ports, TCP and UDP: every other class is closed by it.
                for proto, port in sorted(dst.listeners):
                    cases.append((src, dst, proto, PortRange.one(port)))
                continue
            wanted = {
                p
                for s in src.members
                if s in asking
                for d in dst.members
                for p in asked.get((s, d), ())
            }
            for proto in PROTOCOLS:
                cuts: set[int] = set()
                if pair_cuts is not None:
                    cuts |= pair_cuts(src.representative, dst.members[0])[proto]
                else:
                    for side_cuts in host_cuts:
                        for host in (src.representative, dst.members[0]):
                            cuts |= side_cuts.get(host, {}).get(proto, set())
                for p_proto, ports in wanted:
                    if p_proto == proto:
                        cuts |= {ports.low, ports.high + 1}
                split = port_classes(proto, cuts, replies=pair_cuts is None)
                cases.extend((src, dst, proto, ports) for ports in split)
    return cases


def near_dests(dests: Sequence[Dest], linked: set[frozenset[str]]) -> Callable[[str], list[Dest]]:
    """Per source VPC: the destinations in it or in a VPC ``linked`` to it, in their order.
    Pairs of VPCs that nothing links have no flow to trace; looking only where the links lead
    spares a thousand VPCs millions of comparisons (their classes squared)."""
    by_vpc: dict[str, list[int]] = {}
    for n, dst in enumerate(dests):
        by_vpc.setdefault(dst.vpc, []).append(n)
    others: dict[str, set[str]] = {}
    for pair in linked:
        for vpc in pair:
            others.setdefault(vpc, set()).update(pair - {vpc})
    memo: dict[str, list[Dest]] = {}

    def near(vpc: str) -> list[Dest]:
        found = memo.get(vpc)
        if found is None:
            at = list(by_vpc.get(vpc, ()))
            for other in others.get(vpc, ()):
                at += by_vpc.get(other, ())
            found = memo[vpc] = [dests[n] for n in sorted(at)]
        return found

    return near


def key_of(network: Network, name_or_id: str) -> str:
    """How classes name a host or front (Name, else id), for an intent that may use either."""
    found = network.find(name_or_id, kinds=("instance", "vpc_endpoint", "load_balancer"))
    return (found[0].name or found[0].id) if found else name_or_id


def merge_ranges(ranges: list[PortRange]) -> tuple[PortRange, ...]:
    out: list[PortRange] = []
    for r in sorted(ranges):
        if out and out[-1].high + 1 >= r.low:
            out[-1] = PortRange(out[-1].low, max(out[-1].high, r.high))
        else:
            out.append(r)
    return tuple(out)


def via_of(trace: Trace, side: Side, dst: Dest) -> str:
    """The mechanism a flow takes, named by the first connecting resource on its path."""
    net = side.network
    for hop in trace.hops:
        if hop.kind == "interface endpoint":
            return f"via PrivateLink ({hop.name or hop.resource})"
        if hop.kind == "peering connection":
            pcx = net.peerings.get(hop.resource)
            return f"via peering {pcx.name if pcx and pcx.name else hop.resource}"
        if hop.kind == "network load balancer":
            return f"via load balancer {hop.name or hop.resource}"
        if hop.kind == "transit gateway":
            return f"via transit gateway {hop.name or hop.resource}"
    return "within the VPC"  # no peering, endpoint, balancer or TGW on the way
