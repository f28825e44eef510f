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

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Literal

from vpcwire.diff.classes import HostClass, host_classes, host_port_cuts
from vpcwire.diff.resources import vpc_fingerprints
from vpcwire.network import Network, PortRange
from vpcwire.verify.cases import (
    PROTOCOLS,
    Dest,
    Side,
    class_cases,
    destinations,
    key_of,
    merge_ranges,
    via_of,
)
from vpcwire.verify.engine import Engine
from vpcwire.verify.flow import Flow
from vpcwire.verify.intents import Intent
from vpcwire.verify.trace import Trace

__all__ = ["FlowChange", "FlowDiff", "flow_changes"]

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


def flow_changes(old: Network, new: Network, intents: Iterable[Intent] = ()) -> FlowDiff:
    """Trace every class on both networks; group the classes whose verdict differs."""
    sides = (Side(old), Side(new))
    hosts = host_classes(old, new)
    dests = destinations(*sides, hosts)
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
            ends = (key_of(new, f.source), key_of(new, f.destination))
            asked.setdefault(ends, set()).add((f.protocol, f.port))

    def keep(src: HostClass, dst: Dest) -> bool:
        # nothing the engine reads for this pair differs: same verdicts on both sides
        return bool(changed & {src.vpc, dst.vpc, *dst.behind})

    wanted = {k: [(p, PortRange.one(n)) for p, n in v] for k, v in asked.items()}
    cases = class_cases(sides, hosts, dests, wanted, host_cuts, keep, peered)

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
        key = (change, src.vpc, dst.key, via_of(trace, sides[1] if now else sides[0], dst))
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
                tuple((p, merge_ranges(by_proto[p])) for p in PROTOCOLS if p in by_proto),
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
