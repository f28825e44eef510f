"""Network → Layout: which namespaces, links, addresses, routes and rules make it real.

Pure: nothing here touches the kernel, so the whole shape is testable anywhere. The shape
(see docs/sandbox.md):

* one *router* namespace per VPC — its routing domain, so overlapping CIDRs of different
  VPCs never meet. Every ENI is a point-to-point veth into it; the router holds the
  subnet's ``.1`` on each. Route tables are policy routing: packets from an ENI look up
  their subnet's table (``throw`` for the VPC's ``local`` blocks, peering routes over the
  peering link, ``blackhole`` for the rest), then the table of the VPC's own ENIs; packets
  arriving over a peering look up only the VPC's own ENIs (peering is never transitive).
  Network ACLs are a stateless nft forward chain per subnet (intra-subnet traffic skips it);
* one namespace per ENI: instances (security groups as a stateful nft filter, an IMDS
  address on ``lo``), NLB nodes (DNAT to the targets, SNAT to the node: the client address
  is not preserved) and endpoint ENIs (the endpoint's groups, then DNAT over a private
  link straight to an NLB node of the service — one-way, TCP/UDP only, across accounts,
  regions and overlapping CIDRs, created only when the control plane lets it carry);
* one namespace per Transit Gateway, a leg per attachment subnet into each VPC router and a
  link between peered TGWs (:mod:`vpcwire.sandbox.dataplane.transit`).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from ipaddress import IPv4Address, IPv4Network

from vpcwire.network import Network, Route, SecurityGroupRule, VpcEndpoint
from vpcwire.sandbox.dataplane.filters import iface_set, nacl_chain, protocol_match, sg_lines
from vpcwire.sandbox.dataplane.services import ServiceRules, link_pair
from vpcwire.sandbox.dataplane.slots import Slot, collect_slots
from vpcwire.sandbox.dataplane.transit import TransitWiring

__all__ = ["IMDS_ADDRESS", "Box", "Layout", "build_layout"]

IMDS_ADDRESS = "169.254.169.254"
ENIS_TABLE = 250
_SYSCTL_ENI = {
    "net.ipv4.ip_local_port_range": "49152 65535",  # the ephemeral range the engine assumes
    "net.ipv4.conf.all.rp_filter": "0",
    "net.ipv4.conf.default.rp_filter": "0",
}
_SYSCTL_FORWARD = {**_SYSCTL_ENI, "net.ipv4.ip_forward": "1"}


@dataclass(frozen=True, slots=True)
class Box:
    """One namespace and everything configured inside it."""

    name: str
    role: str  # "vpc", "tgw", "instance", "endpoint", "node", "interface"
    resource: str  # VPC id or slot id
    label: str
    ip_lines: tuple[str, ...]
    nft: str
    sysctls: Mapping[str, str]
    address: str = ""
    hosts: str = ""


@dataclass(frozen=True, slots=True)
class Layout:
    sid: str
    boxes: tuple[Box, ...]
    host_lines: tuple[str, ...]  # netns add + veth pairs born inside our namespaces
    slots: Mapping[str, Slot]
    namespace_of: Mapping[str, str]  # slot id -> namespace
    endpoint_slots: Mapping[str, tuple[str, ...]]  # endpoint id -> slot ids
    node_slots: Mapping[str, tuple[str, ...]]  # load balancer id -> slot ids
    privatelinks: tuple[tuple[str, str], ...] = field(default=())  # (endpoint slot, node slot)
    # (node slot, target address, port): what the nodes of preserving groups health-check
    health_checks: tuple[tuple[str, str, int], ...] = field(default=())

    @property
    def prefix(self) -> str:
        return f"vw{self.sid}-"


def _gateway(network: Network, slot: Slot) -> str:
    return str(network.subnets[slot.subnet].cidr.network_address + 1)


class _Builder(ServiceRules):
    def __init__(
        self, network: Network, sid: str, unhealthy: frozenset[tuple[str, str, int]]
    ) -> None:
        self.net = network
        self.unhealthy = unhealthy
        self.sid = sid
        self.slots = collect_slots(network)
        self.by_id = {s.id: s for s in self.slots}
        self.vpc_ns = {vid: f"vw{sid}-v{i}" for i, vid in enumerate(sorted(network.vpcs))}
        self.slot_ns = {s.id: f"vw{sid}-n{i}" for i, s in enumerate(self.slots)}
        self.slot_if = {s.id: f"e{i}" for i, s in enumerate(self.slots)}
        self.host: list[str] = [
            f"netns add {n}" for n in [*self.vpc_ns.values(), *self.slot_ns.values()]
        ]
        self.ip: dict[str, list[str]] = {n: ["link set lo up"] for n in self.host_names()}
        self.nft: dict[str, list[str]] = {}
        self._members: dict[str, dict[str, list[IPv4Address]]] = {}
        self.peer_links: dict[str, tuple[str, str, str, str]] = {}  # pcx -> ifname/addresses
        self.links = 0
        self.pl: list[tuple[str, str]] = []
        self.transit = TransitWiring(network, sid, self.vpc_ns, 0, self.table_of)

    def members(self, vpc: str) -> dict[str, list[IPv4Address]]:
        """Group id -> the addresses a rule referencing it matches, seen from ``vpc``.

        Members in the same VPC, and in VPCs peered with it in the same region: AWS
        resolves group references across a peering only within one region.
        https://docs.aws.amazon.com/vpc/latest/peering/vpc-peering-security-groups.html
        """
        if vpc not in self._members:
            here = self.net.vpcs[vpc]
            seen = {vpc}
            for pcx in self.net.peerings_of_vpc.get(vpc, []):
                other = pcx.other_side(vpc) or ""
                peer = self.net.vpcs.get(other)
                if pcx.status == "active" and peer is not None and peer.region == here.region:
                    seen.add(other)
            out: dict[str, list[IPv4Address]] = {}
            for s in self.slots:
                if s.vpc in seen:
                    for g in s.groups:
                        out.setdefault(g, []).append(s.address)
            self._members[vpc] = out
        return self._members[vpc]

    def host_names(self) -> list[str]:
        return [*self.vpc_ns.values(), *self.slot_ns.values()]

    # -- ENIs and routers ----------------------------------------------------------------

    def wire_slots(self) -> None:
        for s in self.slots:
            router, ns, eif = self.vpc_ns[s.vpc], self.slot_ns[s.id], self.slot_if[s.id]
            gw = _gateway(self.net, s)
            self.host.append(f"link add {eif} netns {router} type veth peer name eth0 netns {ns}")
            self.ip[ns] += [
                "link set eth0 up",
                f"addr add {s.address}/32 dev eth0",
                f"route add {gw}/32 dev eth0",
                f"route add default via {gw} dev eth0",
            ]
            self.ip[router] += [
                f"link set {eif} up",
                f"addr add {gw}/32 dev {eif}",
                f"route add {s.address}/32 dev {eif} table {ENIS_TABLE}",
                f"rule add pref 1000 iif {eif} lookup {self.table_of(s.subnet)}",
            ]

    def table_of(self, subnet_id: str) -> int:
        return 1000 + sorted(self.net.subnets).index(subnet_id)

    def wire_peerings(self) -> None:
        for pcx in sorted(self.net.peerings.values(), key=lambda p: p.id):
            a, b = pcx.requester_vpc, pcx.accepter_vpc
            if pcx.status != "active" or a not in self.vpc_ns or b not in self.vpc_ns or a == b:
                continue
            name = f"p{self.links}"
            left, right = link_pair(self.links)
            self.links += 1
            self.host.append(
                f"link add {name} netns {self.vpc_ns[a]} type veth peer name {name} "
                f"netns {self.vpc_ns[b]}"
            )
            self.ip[self.vpc_ns[a]] += [f"link set {name} up", f"addr add {left}/30 dev {name}"]
            self.ip[self.vpc_ns[b]] += [f"link set {name} up", f"addr add {right}/30 dev {name}"]
            self.peer_links[pcx.id] = (name, left, right, a)

    def wire_transit(self) -> None:
        """Transit Gateways (dataplane/transit.py): their namespaces, legs and tables."""
        self.transit.links = self.links
        self.transit.wire()
        self.links = self.transit.links
        self.host += self.transit.host
        for ns, lines in self.transit.ip.items():
            self.ip.setdefault(ns, ["link set lo up"] if ns in self.transit.tgw_ns.values() else [])
            self.ip[ns] += [x for x in lines if x != "link set lo up"]

    def route_tables(self) -> None:
        for router in self.vpc_ns.values():
            self.ip[router] += [
                f"rule add pref 30000 lookup {ENIS_TABLE}",
                "rule add pref 30001 blackhole",
            ]
        tables = self.net.route_table_of_subnet
        for sid, subnet in sorted(self.net.subnets.items()):
            if subnet.vpc not in self.vpc_ns:
                continue
            table = self.table_of(sid)
            rt = tables.get(sid)
            # Every VPC block is local, whatever the table lists: AWS never lets a route
            # replace or precede it (it refuses a route to a VPC block), while the sandbox
            # replaces the local route with such a route (found by the agreement benchmark).
            lines: dict[str, str] = {str(c): f"throw {c}" for c in self.net.vpcs[subnet.vpc].cidrs}
            ordered = sorted(rt.routes if rt else (), key=lambda r: r.kind != "local")
            for route in ordered:
                for dest in self._destinations(route):
                    lines.setdefault(str(dest), self._route(route, dest, subnet.vpc, sid))
            lines.setdefault("0.0.0.0/0", "blackhole 0.0.0.0/0")
            self.ip[self.vpc_ns[subnet.vpc]] += [
                f"route add {r} table {table}" for r in lines.values()
            ]

    def _destinations(self, route: Route) -> list[IPv4Network]:
        if route.destination is not None:
            return [route.destination]
        pl = self.net.prefix_lists.get(route.prefix_list or "")
        return list(pl.cidrs) if pl else []

    def _route(self, route: Route, dest: IPv4Network, vpc: str, subnet: str = "") -> str:
        if route.state == "blackhole":
            return f"blackhole {dest}"
        if route.kind == "transit_gateway":
            return self.transit.vpc_route(dest, vpc, subnet, route.target)
        if route.kind == "local":
            return f"throw {dest}"
        if route.kind == "peering" and route.target in self.peer_links:
            name, left, right, a_side = self.peer_links[route.target]
            pcx = self.net.peerings[route.target]
            if vpc not in (pcx.requester_vpc, pcx.accepter_vpc):
                return f"blackhole {dest}"
            remote = right if vpc == a_side else left
            return f"{dest} via {remote} dev {name} onlink"
        # Gateways, NAT, transit gateways…: sinks. Nothing leaves the namespaces we made.
        return f"blackhole {dest}"

    def nacls(self) -> None:
        by_vpc: dict[str, list[str]] = {}
        ifaces: dict[str, list[str]] = {}
        for s in self.slots:
            ifaces.setdefault(s.subnet, []).append(self.slot_if[s.id])
        chains: dict[str, list[str]] = {}
        acls = self.net.nacl_of_subnet
        legs = self.transit.legs_of_subnet()
        for sid in sorted(set(ifaces) | set(legs)):
            vpc = self.net.subnets[sid].vpc
            rules = by_vpc.setdefault(vpc, [])
            members = iface_set(ifaces[sid]) if sid in ifaces else ""
            # a TGW attachment's legs in this subnet (dataplane/transit.py)
            tgw = iface_set(legs[sid]) if sid in legs else ""
            if members:
                rules.append(f"iifname {members} oifname {members} accept")
            if members and tgw:
                rules.append(f"iifname {tgw} oifname {members} accept")
            acl = acls.get(sid)
            if acl is None:
                continue  # no ACL recorded: the default ACL allows everything
            key = sid.replace("-", "_")
            for links in (x for x in (members, tgw) if x):
                rules.append(f"iifname {links} jump out_{key}")
                rules.append(f"oifname {links} jump in_{key}")
            chains[f"out_{key}"] = nacl_chain(acl.entries, egress=True)
            chains[f"in_{key}"] = nacl_chain(acl.entries, egress=False)
        for vpc, rules in by_vpc.items():
            body = [
                "table ip vw {",
                *(
                    self._chain(name, lines)
                    for name, lines in chains.items()
                    if self._in_vpc(name, vpc)
                ),
                "  chain forward {",
                "    type filter hook forward priority 0; policy accept;",
                *(f"    {r}" for r in rules),
                "  }",
                "}",
            ]
            self.nft[self.vpc_ns[vpc]] = ["\n".join(body)]

    def _in_vpc(self, chain: str, vpc: str) -> bool:
        sid = next(s for s in self.net.subnets if s.replace("-", "_") == chain.split("_", 1)[1])
        return self.net.subnets[sid].vpc == vpc

    @staticmethod
    def _chain(name: str, lines: list[str]) -> str:
        return "\n".join([f"  chain {name} {{", *(f"    {x}" for x in lines), "  }"])

    # -- security groups -------------------------------------------------------------------

    def rules_of(self, groups: tuple[str, ...], egress: bool) -> list[SecurityGroupRule]:
        out: list[SecurityGroupRule] = []
        for gid in groups:
            sg = self.net.security_groups.get(gid)
            if sg is not None:
                out += sg.egress if egress else sg.ingress
        return out

    def sg_table(self, s: Slot) -> list[str]:
        rules = self.rules_of(s.groups, False)
        ingress = sg_lines(self.net, rules, "ingress", self.members(s.vpc))
        for r in rules:
            tags = self.tags_for_group(r.group.rsplit("/", 1)[-1]) if r.group else []
            if tags:
                # preserved traffic of an NLB carrying the referenced group (services.py)
                values = ", ".join(str(t) for t in tags)
                match = protocol_match(r.protocol, r.ports)
                ingress.append(
                    " ".join(p for p in (f"ip dscp {{ {values} }}", match, "accept") if p)
                )
        egress = sg_lines(self.net, self.rules_of(s.groups, True), "egress", self.members(s.vpc))
        return [
            "table ip vw {",
            "  chain input {",
            "    type filter hook input priority 0; policy drop;",
            '    iif "lo" accept',
            "    ct state established,related accept",
            *(f"    {r}" for r in ingress),
            "  }",
            "  chain output {",
            "    type filter hook output priority 0; policy drop;",
            '    oif "lo" accept',
            "    ct state established,related accept",
            *(f"    {r}" for r in egress),
            "  }",
            "}",
        ]

    def instances(self) -> None:
        for s in self.slots:
            if s.role not in ("instance", "interface"):
                continue
            ns = self.slot_ns[s.id]
            if s.role == "instance":
                self.ip[ns].append(f"addr add {IMDS_ADDRESS}/32 dev lo")
            if s.filtered:
                self.nft[ns] = ["\n".join(self.sg_table(s))]

    # -- DNS --------------------------------------------------------------------------------

    def hosts_for(self, s: Slot) -> str:
        """The names the Amazon DNS server of ``s``'s VPC answers with endpoint ENIs.

        Regional names go to the ENI in the asker's AZ when there is one (AWS answers with
        every ENI; any of them carries the flow), zonal names to their AZ's ENI. The
        service's private DNS name is added only where AWS associates the private hosted
        zone: the endpoint enables private DNS and the VPC has both DNS support and DNS
        hostnames on. Without DNS support the VPC has no Amazon DNS server: nothing resolves.
        https://docs.aws.amazon.com/vpc/latest/privatelink/manage-dns-names.html
        https://docs.aws.amazon.com/AWSEC2/latest/APIReference/API_CreateVpcEndpoint.html
        """
        lines = ["127.0.0.1 localhost", f"{s.address} {s.label}"]
        mine = self.net.subnets[s.subnet]
        vpc = self.net.vpcs[s.vpc]
        if not vpc.dns_support:
            return "\n".join(lines) + "\n"
        for ep in sorted(self.net.endpoints.values(), key=lambda e: e.id):
            if ep.vpc != s.vpc:
                continue
            eps = [self.by_id[x] for x in self._endpoint_slot_ids(ep.id)]
            if not eps:
                continue
            eps.sort(key=lambda e: self.net.subnets[e.subnet].az != mine.az)
            for dns in ep.dns_names:
                zonal = next((e for e in eps if f"-{self.net.subnets[e.subnet].az}." in dns), None)
                lines.append(f"{(zonal or eps[0]).address} {dns}")
            private = self.private_dns_name(ep)
            if private and vpc.dns_hostnames:
                lines.append(f"{eps[0].address} {private}")
        return "\n".join(lines) + "\n"

    def private_dns_name(self, ep: VpcEndpoint) -> str | None:
        """The service's private DNS name, when ``ep`` enables private DNS for it."""
        if not ep.private_dns or ep.type != "Interface":
            return None
        service = self.net.endpoint_service_by_name.get(ep.service_name)
        return service.private_dns_name if service else None

    def _endpoint_slot_ids(self, ep_id: str) -> list[str]:
        return [x.id for x in self.slots if x.role == "endpoint" and x.owner == ep_id]

    # -- assembly --------------------------------------------------------------------------

    def build(self) -> Layout:
        self.wire_slots()
        self.wire_peerings()
        self.wire_transit()
        self.route_tables()
        self.nacls()
        self.instances()
        self.nodes()
        self.steering()
        self.endpoints()
        boxes = []
        for vid, ns in self.vpc_ns.items():
            vpc = self.net.vpcs[vid]
            boxes.append(
                Box(
                    ns,
                    "vpc",
                    vid,
                    vpc.name or vid,
                    tuple(self.ip[ns]),
                    "\n".join(self.nft.get(ns, [])),
                    _SYSCTL_FORWARD,
                )
            )
        for tid, ns in self.transit.tgw_ns.items():
            tgw = self.net.transit_gateways[tid]
            boxes.append(
                Box(ns, "tgw", tid, tgw.name or tid, tuple(self.ip[ns]), "", _SYSCTL_FORWARD)
            )
        for s in self.slots:
            ns = self.slot_ns[s.id]
            forwards = s.role in ("endpoint", "node")
            boxes.append(
                Box(
                    ns,
                    s.role,
                    s.id,
                    s.label,
                    tuple(self.ip[ns]),
                    "\n".join(self.nft.get(ns, [])),
                    _SYSCTL_FORWARD if forwards else _SYSCTL_ENI,
                    str(s.address),
                    self.hosts_for(s) if s.role in ("instance", "interface") else "",
                )
            )
        endpoint_slots: dict[str, tuple[str, ...]] = {}
        node_slots: dict[str, tuple[str, ...]] = {}
        for s in self.slots:
            if s.role == "endpoint":
                endpoint_slots[s.owner] = (*endpoint_slots.get(s.owner, ()), s.id)
            elif s.role == "node":
                node_slots[s.owner] = (*node_slots.get(s.owner, ()), s.id)
        return Layout(
            self.sid,
            tuple(boxes),
            tuple(self.host),
            self.by_id,
            dict(self.slot_ns),
            endpoint_slots,
            node_slots,
            tuple(self.pl),
            tuple(self.health_checks()),
        )


def build_layout(
    network: Network, sid: str, unhealthy: frozenset[tuple[str, str, int]] = frozenset()
) -> Layout:
    """The namespaces, links and rules that materialise ``network`` (nothing is applied).

    ``unhealthy``: (node slot, target address, port) whose health check failed; those
    nodes send nothing there (unless every target fails: the NLB then fails open)."""
    return _Builder(network, sid, unhealthy).build()
