"""Intents: what the spec promises, as flows that must (or must not) get through.

From each connection we derive the *positive* flows (every client instance of a consumer
reaches the service's ports through its endpoint, or the targets over a peering; peers
reach each other on every allowed protocol, both ways) and the *negative* ones that prove
nothing else is open:

* PrivateLink is one-way: the service's targets cannot open a connection to the consumer;
* a consumer reaches only the service's ports on the endpoint, and no host of the provider
  VPC directly;
* a consumer of a service reached over a peering reaches only the service's ports;
* every instance of a VPC with ``nat: true`` reaches the internet on tcp/443 through its
  NAT gateway (what the NAT gateway is there for);
* VPCs with no connection between them stay isolated (checked on at most
  ``MAX_ISOLATION_PAIRS`` pairs, chosen deterministically, so huge specs stay fast).

Flows name instances and endpoints by their Name tag, which vpcwire sets to the logical
name, so the same intents run on the planned Network and on the one read back from AWS.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Literal

from vpcwire.network import Network
from vpcwire.plan.plan import Plan
from vpcwire.spec.models import AllowRule, PeerConnection, ServiceConnection
from vpcwire.verify.engine import Engine
from vpcwire.verify.flow import Flow
from vpcwire.verify.trace import Disposition, Trace

__all__ = ["MAX_ISOLATION_PAIRS", "Intent", "Verdict", "derive_intents", "evaluate"]

MAX_ISOLATION_PAIRS = 2000
Expect = Literal["reachable", "unreachable"]
Protocol = Literal["tcp", "udp", "icmp"]


@dataclass(frozen=True, slots=True)
class Intent:
    key: str  # stable and readable: "connections[0]: consumer_client_1 -> consumer_api tcp/8080"
    connection: int | None  # spec connection index; None for isolation between VPCs
    expect: Expect
    flow: Flow
    why: str

    def to_dict(self) -> dict[str, object]:
        f = self.flow
        return {
            "key": self.key,
            "connection": self.connection,
            "expect": self.expect,
            "why": self.why,
            "flow": {
                "source": f.source,
                "destination": f.destination,
                "protocol": f.protocol,
                "port": f.port,
            },
        }


@dataclass(frozen=True, slots=True)
class Verdict:
    intent: Intent
    trace: Trace

    @property
    def ok(self) -> bool:
        want = (
            Disposition.REACHABLE if self.intent.expect == "reachable" else Disposition.UNREACHABLE
        )
        return self.trace.disposition == want

    @property
    def undecided(self) -> bool:
        """Neither passed nor failed: the network lacks what it takes to decide."""
        return self.trace.disposition is Disposition.UNKNOWN

    def to_dict(self) -> dict[str, object]:
        return {
            **self.intent.to_dict(),
            "ok": self.ok,
            "undecided": self.undecided,
            "disposition": str(self.trace.disposition),
            "reasons": [str(r) for r in self.trace.reasons],
            "trace": self.trace.to_dict(),
        }


def evaluate(network: Network, intents: Sequence[Intent]) -> list[Verdict]:
    """Each intent's verdict; one that rests on an unknown part of a scanned network is
    UNKNOWN, neither a pass nor a failure (see verify/undecided.py)."""
    traces = Engine(network).trace_many([i.flow for i in intents])
    if any(r.unknowns for r in network.resources()):
        from vpcwire.verify.undecided import undecided_traces

        traces = undecided_traces(network, list(traces))
    return [Verdict(i, t) for i, t in zip(intents, traces, strict=True)]


# -- deriving intents ------------------------------------------------------------------------


class _Names:
    """Instance names per VPC name and role, from the planned Network."""

    def __init__(self, plan: Plan) -> None:
        net = plan.network
        self.clients: dict[str, list[str]] = {}
        self.all: dict[str, list[str]] = {}
        self.targets: dict[str, list[str]] = {}
        # an existing VPC keeps its own Name tag: its spec name comes from the plan
        spec_name = {planned: name for name, planned in plan.vpc_ids.items()}
        for inst in net.instances.values():
            vpc = spec_name.get(inst.vpc) or net.vpcs[inst.vpc].name
            self.all.setdefault(vpc, []).append(inst.name)
            if inst.role == "client":
                self.clients.setdefault(vpc, []).append(inst.name)
            elif inst.role.startswith("target:"):
                self.targets.setdefault(inst.role.removeprefix("target:"), []).append(inst.name)


def derive_intents(plan: Plan) -> list[Intent]:
    names = _Names(plan)
    out: list[Intent] = []
    for decision in plan.decisions:
        conn = plan.spec.connections[decision.index]
        if isinstance(conn, PeerConnection):
            out += _peer_intents(decision.index, conn, names)
        else:
            out += _service_intents(plan, decision.index, conn, decision.mechanism, names)
    out += _egress_intents(plan, names)
    out += _isolation_intents(plan, names)
    return _unique(out)


def _egress_intents(plan: Plan, names: _Names) -> list[Intent]:
    out = []
    for name, vpc in plan.spec.vpcs.items():
        if not vpc.nat:
            continue
        for src in names.all.get(name, []):
            why = f"{name} has nat: true: its instances reach the internet through the NAT gateway"
            out.append(_intent("egress", None, "reachable", src, "internet", "tcp", 443, why))
    return out


def _protocols(protocol: str) -> list[Protocol]:
    return ["tcp", "udp"] if protocol == "tcp_udp" else [protocol]  # type: ignore[list-item]


def _service_intents(
    plan: Plan, index: int, conn: ServiceConnection, mechanism: str, names: _Names
) -> list[Intent]:
    svc = plan.spec.services[conn.service]
    clients = names.clients.get(conn.consumer, [])
    targets = names.targets.get(conn.service, [])
    ports = svc.port_list
    protocols = _protocols(svc.protocol)
    other = next(p for p in (22, 3389, 65000) if p not in ports)
    out: list[Intent] = []

    def add(expect: Expect, src: str, dst: str, proto: Protocol, port: int, why: str) -> None:
        out.append(_intent(f"connections[{index}]", index, expect, src, dst, proto, port, why))

    if mechanism == "peering":
        for c in clients:
            for t in targets:
                for proto in protocols:
                    for port in ports:
                        add(
                            "reachable",
                            c,
                            t,
                            proto,
                            port,
                            f"{conn.consumer} calls {conn.service} over the peering",
                        )
                add(
                    "unreachable",
                    c,
                    t,
                    "tcp",
                    other,
                    f"{conn.consumer} reaches {conn.service} only on its port(s)",
                )
                add(
                    "unreachable",
                    t,
                    c,
                    "tcp",
                    other,
                    f"{conn.service} does not open connections to its consumer",
                )
        return out
    endpoint = f"{conn.consumer}_{conn.service}"
    for c in clients:
        for proto in protocols:
            for port in ports:
                add(
                    "reachable",
                    c,
                    endpoint,
                    proto,
                    port,
                    f"{conn.consumer} calls {conn.service} through its endpoint ({mechanism})",
                )
        add(
            "unreachable",
            c,
            endpoint,
            "tcp",
            other,
            "the endpoint carries only the service's port(s)",
        )
        for t in targets:
            add(
                "unreachable",
                c,
                t,
                protocols[0],
                ports[0],
                f"{conn.consumer} reaches {conn.service} only through the endpoint, no host of {svc.vpc} directly",
            )
            add(
                "unreachable",
                t,
                c,
                protocols[0],
                ports[0],
                "PrivateLink is one-way: the provider cannot reach back",
            )
    return out


def _peer_intents(index: int, conn: PeerConnection, names: _Names) -> list[Intent]:
    """Every pair of the entry, both ways (a group of peers is any-to-any)."""
    out: list[Intent] = []
    for a, b in conn.pairs:
        for here, there in ((a, b), (b, a)):
            for src in names.all.get(here, []):
                for dst in names.all.get(there, []):
                    for proto, port in _probes(conn.allow):
                        why = f"peers {a} and {b} reach each other"
                        out.append(
                            _intent(
                                f"connections[{index}]",
                                index,
                                "reachable",
                                src,
                                dst,
                                proto,
                                port,
                                why,
                            )
                        )
    return out


def _probes(allow: Iterable[AllowRule]) -> list[tuple[Protocol, int]]:
    """One flow per allowed port; a representative one where a rule allows a whole range."""
    out: list[tuple[Protocol, int]] = []
    for rule in allow:
        if rule.protocol == "all":
            out += [("tcp", 22), ("udp", 53), ("icmp", 8)]
        elif rule.protocol == "icmp":
            out.append(("icmp", 8))
        else:
            out += [
                (rule.protocol, p) for p in (rule.ports or [22 if rule.protocol == "tcp" else 53])
            ]
    return out


def _isolation_intents(plan: Plan, names: _Names) -> list[Intent]:
    linked: set[frozenset[str]] = set()
    for conn in plan.spec.connections:
        if isinstance(conn, PeerConnection):
            # a group links its pairs only: two segments sharing a VPC stay apart
            linked.update(frozenset(pair) for pair in conn.pairs)
        else:
            linked.add(frozenset((conn.consumer, plan.spec.services[conn.service].vpc)))
    vpcs = [v for v in plan.spec.vpcs if names.all.get(v)]
    pairs = [(x, y) for x in vpcs for y in vpcs if x != y and frozenset((x, y)) not in linked]
    out = []
    for x, y in pairs[:MAX_ISOLATION_PAIRS]:
        out.append(
            _intent(
                "isolation",
                None,
                "unreachable",
                names.all[x][0],
                names.all[y][0],
                "tcp",
                22,
                f"{x} and {y} have no connection: they stay isolated",
            )
        )
    return out


def _intent(
    tag: str,
    index: int | None,
    expect: Expect,
    src: str,
    dst: str,
    proto: Protocol,
    port: int,
    why: str,
) -> Intent:
    arrow = "->" if expect == "reachable" else "-/->"
    return Intent(
        f"{tag}: {src} {arrow} {dst} {proto}/{port}",
        index,
        expect,
        Flow(src, dst, proto, port),
        why,
    )


def _unique(intents: list[Intent]) -> list[Intent]:
    seen: dict[str, Intent] = {}
    for i in intents:
        seen.setdefault(i.key, i)
    return list(seen.values())
