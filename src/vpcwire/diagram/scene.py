"""The Scene: what a diagram shows, independent of how it is drawn.

Built from a Network (planned or live), the verdicts on its intents, the plan's decisions
(to name each connection's mechanism) and, with ``--live``, the drift from the plan. Every
drawer (SVG, Mermaid) reads only the Scene, so the pictures agree.

Intents are drawn as *paths* between the VPC (or endpoint, or load balancer) where a flow
starts and the one where it ends, one path per (source, destination, expectation, verdict):
a consumer with three client instances gets one green path to its endpoint, not three.
Isolation intents (VPCs with no connection stay apart) are counted in the legend and drawn
only when one fails: on 50 VPCs they are 2,450 pairs, which would bury the picture.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from ipaddress import IPv4Address
from typing import Literal

from vpcwire.diagram.transit import Hub, account_label, transit_gateways
from vpcwire.network import Network
from vpcwire.plan.plan import Plan
from vpcwire.verify.intents import Verdict

__all__ = [
    "Component",
    "Hub",
    "Link",
    "PathEdge",
    "Scene",
    "VpcBox",
    "build_scene",
    "mechanisms_of",
    "slug",
]

OPEN_COLOUR = "#1a7f37"
CLOSED_COLOUR = "#cf222e"
DRIFT_COLOUR = "#bf8700"


def slug(text: str) -> str:
    """An identifier every drawer accepts (SVG and HTML ids, Mermaid)."""
    return re.sub(r"[^A-Za-z0-9_]", "_", text)


@dataclass(frozen=True, slots=True)
class VpcBox:
    id: str  # scene id, "vpc_<name>"
    name: str
    account: str  # label: "main (111111111111)"
    region: str
    cidrs: tuple[str, ...]
    subnets: tuple[tuple[str, str, bool], ...]  # (az, cidr, public)
    outpost: bool = False
    drift: tuple[str, ...] = ()
    instances: tuple[tuple[str, str], ...] = ()  # (subnet cidr, instance name)
    # per route table: its name, the AZs of its subnets (or "main"), its non-local routes
    route_tables: tuple[tuple[str, str, tuple[str, ...]], ...] = ()


@dataclass(frozen=True, slots=True)
class Component:
    id: str
    vpc: str  # scene id of the VPC box it sits in
    kind: Literal["endpoint", "endpoint_service", "load_balancer", "transit_gateway"]
    label: str


@dataclass(frozen=True, slots=True)
class Link:
    """A connection that exists in the network: peering, PrivateLink, NLB → targets."""

    source: str
    target: str
    kind: Literal["peering", "privatelink", "fronts", "targets", "tgw_attachment", "tgw_peering"]
    label: str
    both_ways: bool = False
    # a TGW attachment's route table, as its index among its TGW's tables (its colour)
    segment: int = 0


@dataclass(frozen=True, slots=True)
class PathEdge:
    """Intents with one source, destination, expectation and outcome, drawn as one path."""

    source: str
    target: str
    verdict: Literal["open", "closed"]
    ok: bool  # every intent in it holds
    label: str  # "tcp/8080"
    detail: tuple[str, ...]  # one line per intent, with the reason when closed

    @property
    def colour(self) -> str:
        return OPEN_COLOUR if self.verdict == "open" else CLOSED_COLOUR


@dataclass(frozen=True, slots=True)
class Scene:
    title: str
    vpcs: tuple[VpcBox, ...]
    components: tuple[Component, ...]
    links: tuple[Link, ...]
    paths: tuple[PathEdge, ...]
    isolation: tuple[int, int] = (0, 0)  # (isolation intents that hold, that fail)
    drift: tuple[str, ...] = ()  # every drift line, for the legend
    hubs: tuple[Hub, ...] = ()  # Transit Gateways (diagram/transit.py)

    def accounts(self) -> dict[str, dict[str, list[VpcBox]]]:
        """account label -> region -> VPC boxes, in a stable order."""
        out: dict[str, dict[str, list[VpcBox]]] = {}
        for box in sorted(self.vpcs, key=lambda b: (b.account, b.region, b.name)):
            out.setdefault(box.account, {}).setdefault(box.region, []).append(box)
        return out

    def components_of(self, vpc_id: str) -> list[Component]:
        return [c for c in self.components if c.vpc == vpc_id]


def mechanisms_of(plan: Plan) -> dict[str, str]:
    """Resource name -> the mechanism of the connection that added it (names, not ids, so
    the map also fits the live network read back from AWS)."""
    out: dict[str, str] = {}
    for decision in plan.decisions:
        for rid in decision.resources:
            resource = plan.network.get(rid)
            if resource is not None and resource.name:
                out[resource.name] = decision.mechanism
    return out


def build_scene(
    network: Network,
    verdicts: Sequence[Verdict] = (),
    *,
    title: str = "",
    mechanisms: dict[str, str] | None = None,
    drift: Iterable[object] = (),
) -> Scene:
    """Everything a drawer needs. ``mechanisms`` maps resource names to the plan's mechanism
    ("outpost", "native", …) so links say why they exist; ``drift`` holds
    ``vpcwire.diff.ResourceChange`` values (kind, name, change, fields)."""
    mechanisms = mechanisms or {}
    drift = list(drift)
    vpc_id = {v.id: f"vpc_{slug(v.name or v.id)}" for v in network.vpcs.values()}
    drift_by_vpc = _drift_by_vpc(network, drift)
    outposts = _outposts(network)
    boxes = []
    for v in network.vpcs.values():
        subnets = sorted(
            ((s.az, str(s.cidr), s.public) for s in network.subnets.values() if s.vpc == v.id),
        )
        label = account_label(network, v.account)
        boxes.append(
            VpcBox(
                vpc_id[v.id],
                v.name or v.id,
                label,
                v.region,
                tuple(str(c) for c in v.cidrs),
                tuple(subnets),
                v.id in outposts,
                tuple(drift_by_vpc.get(v.id, ())),
                _instances(network, v.id),
                _route_tables(network, v.id),
            )
        )
    components, links, where = _components(network, vpc_id, mechanisms)
    links += _peerings(network, vpc_id, mechanisms)
    hub_id = {t.id: f"tgw_{slug(t.name or t.id)}" for t in network.transit_gateways.values()}
    hubs, tgw_edges = transit_gateways(network, vpc_id, hub_id)
    links += [Link(e.source, e.target, e.kind, e.label, True, e.segment) for e in tgw_edges]
    paths, isolation = _paths(network, verdicts, vpc_id, where)
    return Scene(
        title,
        tuple(sorted(boxes, key=lambda b: b.id)),
        tuple(components),
        tuple(links),
        tuple(paths),
        isolation,
        tuple(str(d) for d in drift),
        tuple(hubs),
    )


def _instances(network: Network, vpc: str) -> tuple[tuple[str, str], ...]:
    cidr = {s.id: str(s.cidr) for s in network.subnets.values() if s.vpc == vpc}
    return tuple(
        sorted(
            (cidr.get(i.subnet, ""), i.name or i.id)
            for i in network.instances.values()
            if i.vpc == vpc
        )
    )


_ROUTE_KIND = {
    "peering": "peering",
    "internet_gateway": "igw",
    "nat_gateway": "nat",
    "gateway_endpoint": "gateway endpoint",
    "transit_gateway": "tgw",
    "network_interface": "eni",
    "vpn_gateway": "vgw",
}


def _route_tables(network: Network, vpc: str) -> tuple[tuple[str, str, tuple[str, ...]], ...]:
    """Each route table: which subnets use it and where its non-local routes go (every
    table's local route is implied, so a table with no other route shows none)."""
    az = {s.id: s.az for s in network.subnets.values()}
    lines = []
    for rt in sorted(
        (r for r in network.route_tables.values() if r.vpc == vpc), key=lambda r: r.name or r.id
    ):
        used = sorted({az.get(s, s) for s in rt.subnets})
        where = "main" if rt.main and not used else ", ".join(used) or "no subnet"
        routes = []
        for route in rt.routes:
            if route.kind == "local":
                continue
            dest = str(route.destination) if route.destination else route.prefix_list or "?"
            target = network.get(route.target)
            name = (target.name if target is not None else "") or route.target
            kind = _ROUTE_KIND.get(route.kind, route.kind)
            blackhole = " (blackhole)" if route.state == "blackhole" else ""
            routes.append(f"{dest} → {kind} {name}{blackhole}")
        lines.append((rt.name or rt.id, where, tuple(routes)))
    return tuple(lines)


def _outposts(network: Network) -> set[str]:
    """VPCs whose load balancer's IP targets live in another (peered) VPC."""
    out = set()
    for tg in network.target_groups.values():
        if tg.target_type != "ip":
            continue
        vpc = network.vpcs.get(tg.vpc)
        for t in tg.targets:
            try:
                ip = IPv4Address(t.id)
            except ValueError:
                continue
            if vpc is not None and not any(ip in c for c in vpc.cidrs):
                out.add(tg.vpc)
    return out


def _drift_by_vpc(network: Network, drift: list[object]) -> dict[str, list[str]]:
    out: dict[str, list[str]] = {}
    by_name = {r.name: r for r in network.resources() if r.name}
    for change in drift:
        resource = by_name.get(getattr(change, "name", ""))
        vpc = getattr(resource, "vpc", None) or getattr(resource, "requester_vpc", None)
        if resource is not None and getattr(change, "kind", "") == "vpc":
            vpc = resource.id
        if isinstance(vpc, str):
            out.setdefault(vpc, []).append(str(change))
    return out


def _components(
    network: Network, vpc_id: dict[str, str], mechanisms: dict[str, str]
) -> tuple[list[Component], list[Link], dict[str, str]]:
    """Endpoints, endpoint services and NLBs, their links, and resource id → scene id."""
    comps: list[Component] = []
    links: list[Link] = []
    where: dict[str, str] = {}
    for lb in network.load_balancers.values():
        cid = f"lb_{slug(lb.name or lb.id)}"
        ports = sorted({lst.port for lst in network.listeners_of_lb.get(lb.id, [])})
        label = f"NLB {lb.name or lb.id}" + (
            f"\nlisteners {', '.join(map(str, ports))}" if ports else ""
        )
        comps.append(Component(cid, vpc_id.get(lb.vpc, ""), "load_balancer", label))
        where[lb.id] = cid
        for tg in network.target_groups.values():
            if not any(lst.target_group == tg.id for lst in network.listeners_of_lb.get(lb.id, [])):
                continue
            for vpc in _target_vpcs(network, tg.targets, tg.vpc):
                if vpc in vpc_id:
                    text = f"{tg.target_type} targets :{tg.port}"
                    if vpc != lb.vpc:
                        text += " over the peering"
                    links.append(Link(cid, vpc_id[vpc], "targets", text))
    for svc in network.endpoint_services.values():
        cid = f"svc_{slug(svc.name or svc.id)}"
        lbs = [network.load_balancers[i] for i in svc.load_balancers if i in network.load_balancers]
        home = vpc_id.get(lbs[0].vpc, "") if lbs else ""
        label = f"endpoint service {svc.name or svc.id}"
        if svc.supported_regions:
            label += f"\nregions {', '.join(svc.supported_regions)}"
        comps.append(Component(cid, home, "endpoint_service", label))
        where[svc.id] = cid
        for lb in lbs:
            links.append(Link(cid, where[lb.id], "fronts", "fronts"))
    for ep in network.endpoints.values():
        if ep.type != "Interface":
            continue
        cid = f"ep_{slug(ep.name or ep.id)}"
        comps.append(
            Component(cid, vpc_id.get(ep.vpc, ""), "endpoint", f"endpoint {ep.name or ep.id}")
        )
        where[ep.id] = cid
        ep_svc = network.endpoint_service_by_name.get(ep.service_name)
        if ep_svc is not None:
            mech = mechanisms.get(ep.name, "native" if ep.service_region else "privatelink")
            label = {
                "native": "PrivateLink (native cross-region)",
                "outpost": "PrivateLink (outpost)",
            }.get(mech, "PrivateLink")
            links.append(Link(cid, where[ep_svc.id], "privatelink", label))
    return comps, links, where


def _target_vpcs(network: Network, targets: Iterable[object], home: str) -> list[str]:
    out: list[str] = []
    for t in targets:
        tid = getattr(t, "id", "")
        inst = network.instances.get(tid)
        vpc = inst.vpc if inst else None
        if vpc is None:
            try:
                ip = IPv4Address(tid)
            except ValueError:
                continue
            # The target VPC is the one holding the address: home first, then its peers.
            peers = [p.other_side(home) for p in network.peerings_of_vpc.get(home, [])]
            for candidate in (home, *[p for p in peers if p]):
                v = network.vpcs.get(candidate)
                if v is not None and any(ip in c for c in v.cidrs):
                    vpc = candidate
                    break
        if vpc is not None and vpc not in out:
            out.append(vpc)
    return out


def _peerings(network: Network, vpc_id: dict[str, str], mechanisms: dict[str, str]) -> list[Link]:
    out = []
    for pcx in network.peerings.values():
        a, b = vpc_id.get(pcx.requester_vpc), vpc_id.get(pcx.accepter_vpc)
        if a is None or b is None:
            continue
        label = "peering"
        if pcx.inter_region:
            label += " (inter-region)"
        if mechanisms.get(pcx.name) == "outpost":
            label += " for the outpost"
        if pcx.status != "active":
            label += f" [{pcx.status}]"
        out.append(Link(a, b, "peering", label, both_ways=True))
    return out


def _paths(
    network: Network, verdicts: Sequence[Verdict], vpc_id: dict[str, str], where: dict[str, str]
) -> tuple[list[PathEdge], tuple[int, int]]:
    groups: dict[tuple[str, str, str, bool], list[Verdict]] = {}
    iso_ok = iso_bad = 0
    for v in verdicts:
        if v.intent.connection is None:
            if v.ok:
                iso_ok += 1
                continue
            iso_bad += 1
        src = _place(network, v.intent.flow.source, vpc_id, where)
        dst = _place(network, v.intent.flow.destination, vpc_id, where)
        if src is None or dst is None:
            continue
        verdict = "open" if v.trace.reachable else "closed"
        groups.setdefault((src, dst, verdict, v.ok), []).append(v)
    out = []
    for (src, dst, verdict, ok), members in groups.items():
        services = sorted({m.intent.flow.service for m in members})
        label = ", ".join(services[:3]) + (f" +{len(services) - 3}" if len(services) > 3 else "")
        detail = []
        for m in members:
            line = f"{'✓' if m.ok else '✗'} {m.intent.key}: {m.intent.why}"
            if not m.trace.reachable and m.trace.reasons:
                line += f" — {', '.join(str(r) for r in m.trace.reasons[:2])}"
            detail.append(line)
        out.append(PathEdge(src, dst, verdict, ok, label, tuple(detail)))  # type: ignore[arg-type]
    out.sort(key=lambda p: (p.source, p.target, p.verdict, p.ok))
    return out, (iso_ok, iso_bad)


def _place(
    network: Network, name: str, vpc_id: dict[str, str], where: dict[str, str]
) -> str | None:
    """Where a flow's end is drawn: its endpoint or load balancer, else its VPC."""
    for r in network.find(name):
        if r.id in where:
            return where[r.id]
        vpc = getattr(r, "vpc", None)
        if isinstance(vpc, str) and vpc in vpc_id:
            return vpc_id[vpc]
    return None
