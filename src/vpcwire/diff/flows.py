"""Which flows a change opens and closes: every equivalence class traced on both networks.

Sources are host classes (``diff.classes``); destinations are host classes, interface
endpoints and load balancers. For every (source, destination) pair and every port class of
every protocol, one representative flow is traced on OLD and on NEW. What is not traced is
provably the same on both sides, so nothing is lost:

* pairs in two VPCs with no peering between them in either network: the engine has no path
  between unpeered VPCs (PrivateLink ends at an endpoint in the consumer's own VPC);
* pairs for which nothing the engine reads differs — the VPCs of both ends and, for an
  endpoint or load balancer, every VPC its chain can pass — compared by fingerprint (every
  field of every resource in or attached to them, ``vpc_fingerprints``): the engine is a
  pure function of those resources, so equal inputs give equal verdicts;
* for an endpoint or load balancer, ports that no listener of either network serves and
  ICMP: a Network Load Balancer drops them in both.

Port classes between two hosts come from their security groups and their subnets' network
ACLs (the only port checks on that path) and from the intents' ports. Flows between two
hosts of one VPC are compared too (from one host of a class to another of the same class).
Classes whose verdict differs are grouped per (source VPC, destination, mechanism) into a
few readable lines.

An opened class is *intended* only when it is a single port that a positive intent of NEW
asks for (source and destination among the class's hosts): a peering that opens every port
where the intents ask for tcp/22 opens more than was asked, and the CI gate says so.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, replace
from typing import Literal

from vpcwire.diff.classes import HostClass, host_classes, host_port_cuts, port_classes
from vpcwire.diff.resources import vpc_fingerprints
from vpcwire.network import Network, PortRange
from vpcwire.verify.engine import Engine
from vpcwire.verify.flow import Flow
from vpcwire.verify.intents import Intent
from vpcwire.verify.trace import Trace

__all__ = ["FlowChange", "FlowDiff", "flow_changes"]

PROTOCOLS = ("tcp", "udp", "icmp")
_FULL = {"tcp": PortRange(0, 65535), "udp": PortRange(0, 65535), "icmp": PortRange(0, 255)}


@dataclass(frozen=True, slots=True)
class FlowChange:
    """One readable line: flows from a VPC to a destination that opened or closed."""

    change: Literal["opened", "closed"]
    source_vpc: str
    destination: str  # a VPC name, "endpoint <name>" or "load balancer <name>"
    destination_vpc: str
    ports: tuple[tuple[str, tuple[PortRange, ...]], ...]  # per protocol, merged ranges
    via: str  # "via peering x", "via PrivateLink (endpoint)", "within the VPC"
    intended: bool  # opened, and every opened class is a port an intent asks for
    asked: tuple[str, ...]  # the opened ports that intents ask for ("tcp/22")
    sources: tuple[str, ...]  # host names
    destinations: tuple[str, ...]
    source_cidrs: tuple[str, ...] = ()  # the VPCs' CIDR blocks, for the reader
    destination_cidrs: tuple[str, ...] = ()

    @property
    def source_text(self) -> str:
        return _with_cidrs(self.source_vpc, self.source_cidrs)

    @property
    def destination_text(self) -> str:
        if self.destination != self.destination_vpc:  # an endpoint or load balancer
            return self.destination
        return _with_cidrs(self.destination, self.destination_cidrs)

    @property
    def traffic(self) -> str:
        if len(self.ports) == 3 and all(r == (_FULL[p],) for p, r in self.ports):
            return "all traffic"
        parts = []
        for proto, ranges in self.ports:
            if ranges == (_FULL[proto],):
                parts.append(f"{proto} all")
            else:
                parts.append(f"{proto}/" + ",".join(_range(proto, r) for r in ranges))
        return ", ".join(parts)

    def __str__(self) -> str:
        tail = ""
        if self.change == "opened" and not self.intended:
            tail = "  [UNINTENDED: " + (
                f"more than the intents ask ({', '.join(self.asked)})]"
                if self.asked
                else "no intent asks for it]"
            )
        ends = f"{self.source_text} -> {self.destination_text}"
        return f"{ends}: {self.traffic} {self.change} {self.via}{tail}"

    def to_dict(self) -> dict[str, object]:
        return {
            "change": self.change,
            "source_vpc": self.source_vpc,
            "destination": self.destination,
            "destination_vpc": self.destination_vpc,
            "source_cidrs": list(self.source_cidrs),
            "destination_cidrs": list(self.destination_cidrs),
            "traffic": self.traffic,
            "ports": {p: [[r.low, r.high] for r in rs] for p, rs in self.ports},
            "via": self.via,
            "intended": self.intended,
            "asked": list(self.asked),
            "sources": list(self.sources),
            "destinations": list(self.destinations),
        }


@dataclass(frozen=True, slots=True)
class FlowDiff:
    changes: tuple[FlowChange, ...]
    classes_traced: int  # representative flows traced on each network

    @property
    def unintended(self) -> tuple[FlowChange, ...]:
        return tuple(c for c in self.changes if c.change == "opened" and not c.intended)


def _with_cidrs(name: str, cidrs: tuple[str, ...]) -> str:
    return f"{name} ({', '.join(cidrs)})" if cidrs else name


def _range(proto: str, r: PortRange) -> str:
    return str(r.low) if r.low == r.high else f"{r.low}-{r.high}"


@dataclass(frozen=True, slots=True)
class _Dest:
    key: str  # label used for grouping
    vpc: str
    members: tuple[str, ...]
    kind: Literal["host", "endpoint", "load_balancer"]
    fronts: tuple[str, ...] = ()  # VPC names whose listeners decide (endpoint/LB chains)
    behind: tuple[str, ...] = ()  # every VPC the chain can pass: fronts and their peers
    listeners: frozenset[tuple[str, int]] = frozenset()  # (protocol, port) in either network


class _Side:
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

    def resolve(self, dest: _Dest) -> str | None:
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


def _destinations(old: _Side, new: _Side, hosts: Sequence[HostClass]) -> list[_Dest]:
    out = [_Dest(c.vpc, c.vpc, c.members, "host") for c in hosts]
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
                _Dest(
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


def flow_changes(old: Network, new: Network, intents: Iterable[Intent] = ()) -> FlowDiff:
    """Trace every class on both networks; group the classes whose verdict differs."""
    sides = (_Side(old), _Side(new))
    hosts = host_classes(old, new)
    dests = _destinations(*sides, hosts)
    peered = sides[0].peered | sides[1].peered
    host_cuts = (host_port_cuts(old), host_port_cuts(new))
    prints = (vpc_fingerprints(old), vpc_fingerprints(new))
    changed = {
        v for v in prints[0].keys() | prints[1].keys() if prints[0].get(v) != prints[1].get(v)
    }
    asked: dict[tuple[str, str], set[tuple[str, int]]] = {}
    for intent in intents:
        if intent.expect == "reachable":
            f = intent.flow
            ends = (_key(new, f.source), _key(new, f.destination))
            asked.setdefault(ends, set()).add((f.protocol, f.port))

    cases: list[tuple[HostClass, _Dest, str, PortRange]] = []
    for src in hosts:
        for dst in dests:
            if dst.kind == "host" and dst.members == src.members:
                if len(dst.members) < 2:
                    continue  # a host alone in its class: no flow to another host like it
                # two hosts of one class: trace from the first to the second
                dst = replace(dst, members=(*dst.members[1:], dst.members[0]))
            if dst.vpc != src.vpc and frozenset((src.vpc, dst.vpc)) not in peered:
                continue
            if not changed & {src.vpc, dst.vpc, *dst.behind}:
                continue  # nothing the engine reads for this pair differs: same verdicts
            wanted = {p for s in src.members for d in dst.members for p in asked.get((s, d), ())}
            if dst.kind != "host":
                # A load balancer (behind an endpoint or called directly) carries only its
                # listener ports, TCP and UDP: every other class is closed on both sides.
                for proto, port in sorted(dst.listeners):
                    cases.append((src, dst, proto, PortRange.one(port)))
                continue
            for proto in PROTOCOLS:
                cuts: set[int] = set()
                for side_cuts in host_cuts:
                    for host in (src.representative, dst.members[0]):
                        cuts |= side_cuts.get(host, {}).get(proto, set())
                for p_proto, port in wanted:
                    if p_proto == proto:
                        cuts |= {port, port + 1}
                for ports in port_classes(proto, cuts):
                    cases.append((src, dst, proto, ports))

    verdicts: list[list[Trace | None]] = []
    for side in sides:
        flows: list[Flow] = []
        where: list[int] = []
        for n, (src, dst, proto, ports) in enumerate(cases):
            s, d = side.instance.get(src.representative), side.resolve(dst)
            if s is not None and d is not None:
                flows.append(Flow(s, d, proto, ports.low))
                where.append(n)
        traces = Engine(side.network).trace_many(flows)
        out: list[Trace | None] = [None] * len(cases)
        for n, t in zip(where, traces, strict=True):
            out[n] = t
        verdicts.append(out)

    groups: dict[tuple[str, str, str, str], dict[str, list[PortRange]]] = {}
    asked_ports: dict[tuple[str, str, str, str], list[str]] = {}
    members: dict[tuple[str, str, str, str], tuple[set[str], set[str], str]] = {}
    unasked: set[tuple[str, str, str, str]] = set()
    for n, (src, dst, proto, ports) in enumerate(cases):
        before, after = verdicts[0][n], verdicts[1][n]
        was = before is not None and before.reachable
        now = after is not None and after.reachable
        if was == now:
            continue
        change = "opened" if now else "closed"
        trace = after if now else before
        assert trace is not None
        key = (change, src.vpc, dst.key, _via(trace, sides[1] if now else sides[0], dst))
        groups.setdefault(key, {}).setdefault(proto, []).append(ports)
        intended = ports.low == ports.high and any(
            (proto, ports.low) in asked.get((s, d), ()) for s in src.members for d in dst.members
        )
        if intended:
            asked_ports.setdefault(key, []).append(f"{proto}/{ports.low}")
        elif change == "opened":
            unasked.add(key)
        srcs, dsts, _ = members.setdefault(key, (set(), set(), dst.vpc))
        srcs.update(src.members)
        dsts.update(dst.members)

    cidrs = {v.name or v.id: tuple(str(c) for c in v.cidrs) for v in old.vpcs.values()}
    cidrs.update({v.name or v.id: tuple(str(c) for c in v.cidrs) for v in new.vpcs.values()})
    changes = []
    for key, by_proto in groups.items():
        change, svpc, dlabel, via = key
        srcs, dsts, dvpc = members[key]
        changes.append(
            FlowChange(
                change,  # type: ignore[arg-type]
                svpc,
                dlabel,
                dvpc,
                tuple((p, _merge(by_proto[p])) for p in PROTOCOLS if p in by_proto),
                via,
                change == "opened" and key not in unasked,
                tuple(sorted(set(asked_ports.get(key, ())))),
                tuple(sorted(srcs)),
                tuple(sorted(dsts)),
                cidrs.get(svpc, ()),
                cidrs.get(dvpc, ()),
            )
        )
    changes.sort(key=lambda c: (c.change != "opened", c.intended, c.source_vpc, c.destination))
    return FlowDiff(tuple(changes), len(cases))


def _key(network: Network, name_or_id: str) -> str:
    """How classes name a host or front (Name, else id), for an intent that may use either."""
    found = network.find(name_or_id, kinds=("instance", "vpc_endpoint", "load_balancer"))
    return (found[0].name or found[0].id) if found else name_or_id


def _merge(ranges: list[PortRange]) -> tuple[PortRange, ...]:
    out: list[PortRange] = []
    for r in sorted(ranges):
        if out and out[-1].high + 1 >= r.low:
            out[-1] = PortRange(out[-1].low, max(out[-1].high, r.high))
        else:
            out.append(r)
    return tuple(out)


def _via(trace: Trace, side: _Side, dst: _Dest) -> str:
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
    return "within the VPC"  # no peering, endpoint or balancer on the way
