"""Equivalence classes: the few flows that stand for every flow of one network or of several.

One class engine for ``vpcwire diff`` (two networks: OLD and NEW) and for the exhaustive proof
(``vpcwire verify --exhaustive``, ``vpcwire audit``: one network).

Two hosts behave alike, in every check the engine makes, when they sit in the same subnet
(same route table and network ACL), wear the same security groups and fall inside the same
set of CIDRs that any rule, entry or route names. Two ports behave alike when no rule,
entry or listener puts a boundary between them. Tracing one representative per class is
therefore exhaustive, not a sample. A class must hold in *every* network compared, so the
classes used are the common refinement of each network's classes (hosts are matched by name).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from functools import lru_cache
from ipaddress import IPv4Address, IPv4Network
from itertools import pairwise

from vpcwire.network import Instance, NaclEntry, Network, PortRange
from vpcwire.verify.addresses import MASKS
from vpcwire.verify.flow import ICMP_REPLY

__all__ = [
    "HostClass",
    "attachment_acl_entries",
    "cidrs_of",
    "host_classes",
    "host_port_cuts",
    "port_classes",
]

Proto = str  # "tcp" | "udp" | "icmp"
_TOP = {"tcp": 65535, "udp": 65535, "icmp": 255}


@dataclass(frozen=True, slots=True)
class HostClass:
    """Instances (by name; by id when unnamed) that no check of either network tells apart."""

    members: tuple[str, ...]  # sorted instance names; members[0] is the representative
    vpc: str  # the VPC's name (in NEW if present there, else OLD)

    @property
    def representative(self) -> str:
        return self.members[0]


def cidrs_of(network: Network) -> set[IPv4Network]:
    """Every CIDR a check can compare an address with."""
    out: set[IPv4Network] = set()
    for sg in network.security_groups.values():
        out.update(r.cidr for r in (*sg.ingress, *sg.egress) if r.cidr is not None)
    for acl in network.network_acls.values():
        out.update(e.cidr for e in acl.entries)
    for rt in network.route_tables.values():
        out.update(r.destination for r in rt.routes if r.destination is not None)
    for pl in network.prefix_lists.values():
        out.update(pl.cidrs)
    for tgw_table in network.tgw_route_tables.values():  # a TGW's longest prefix match too
        out.update(r.destination for r in network.tgw_routes(tgw_table) if r.destination)
    for tg in network.target_groups.values():
        for t in tg.targets:
            try:
                out.add(IPv4Network(f"{t.id}/32"))
            except ValueError:
                continue  # an instance id, not an address
    return out


def _signatures(network: Network, cidrs: set[IPv4Network]) -> dict[str, tuple[object, ...]]:
    # as integers (network address per prefix length): a thousand VPCs' hosts each test
    # every length, and building an IPv4Network per test was most of the classes' cost
    by_prefix: dict[int, set[int]] = {}
    for c in cidrs:
        by_prefix.setdefault(c.prefixlen, set()).add(int(c.network_address))
    lengths = sorted(by_prefix.items())
    out: dict[str, tuple[object, ...]] = {}
    for inst in network.instances.values():
        out[inst.name or inst.id] = _signature(network, inst, lengths)
    return out


def _signature(
    network: Network, inst: Instance, lengths: list[tuple[int, set[int]]]
) -> tuple[object, ...]:
    eni = network.interfaces.get(inst.interface)
    groups = tuple(sorted(eni.security_groups)) if eni else ()
    ip: IPv4Address | None = eni.private_ip if eni else None
    inside: tuple[object, ...] = ()
    if ip is not None:
        value = int(ip)
        inside = tuple(
            (length, net)  # the named CIDRs that hold the address
            for length, nets in lengths
            if (net := value & MASKS[length]) in nets
        )
    else:
        inside = (f"unknown:{inst.id}",)  # no address: only itself is known to behave alike
    vpc = network.vpcs.get(inst.vpc)
    # A subnet matters only through its route table and network ACL (an instance's AZ
    # decides nothing: load balancer nodes and endpoint ENIs have theirs), so hosts of
    # subnets sharing both behave alike; a subnet no table or ACL names stays its own.
    table = network.route_table_of_subnet.get(inst.subnet)
    acl = network.nacl_of_subnet.get(inst.subnet)
    place = (table.id, acl.id) if table is not None and acl is not None else inst.subnet
    if network.tgw_attachments_of_vpc.get(inst.vpc):
        # Through a TGW the subnet itself matters: its AZ picks the attachment subnet (AZ
        # affinity), and an attachment subnet's own ACL is skipped for what the TGW delivers
        # into it (verify/transit.py).
        place = inst.subnet
    return ((vpc.name or vpc.id) if vpc else inst.vpc, place, groups, inside, inst.state)


def host_classes(*networks: Network) -> list[HostClass]:
    """The common refinement of the networks' host classes (instances matched by name); a
    class's VPC is named as in the last network that has its hosts (NEW before OLD)."""
    cidrs: set[IPv4Network] = set()
    for network in networks:
        cidrs |= cidrs_of(network)
    sigs = [_signatures(network, cidrs) for network in networks]
    names: set[str] = set()
    for sig in sigs:
        names |= sig.keys()
    groups: dict[tuple[object, ...], list[str]] = {}
    for name in sorted(names):
        groups.setdefault(tuple(sig.get(name) for sig in sigs), []).append(name)
    out = []
    for key, members in groups.items():
        last = next(s for s in reversed(key) if s is not None)
        out.append(HostClass(tuple(members), str(last[0])))  # type: ignore[index]
    return sorted(out, key=lambda c: c.members)


def host_port_cuts(network: Network) -> dict[str, dict[Proto, set[int]]]:
    """Per instance name: the port cuts of what a flow to or from it passes — its security
    groups and its subnet's network ACL (the only port checks between two hosts)."""
    out: dict[str, dict[Proto, set[int]]] = {}
    for inst in network.instances.values():
        cuts: dict[Proto, set[int]] = {"tcp": set(), "udp": set(), "icmp": set()}
        eni = network.interfaces.get(inst.interface)
        rules: list[tuple[str, PortRange | None]] = []
        for sg_id in eni.security_groups if eni else ():
            sg = network.security_groups.get(sg_id)
            if sg is not None:
                rules += [(r.protocol, r.ports) for r in (*sg.ingress, *sg.egress)]
        acl = network.nacl_of_subnet.get(inst.subnet)
        if acl is not None:
            rules += [(e.protocol, e.ports) for e in acl.entries]
        if network.tgw_attachments_of_vpc.get(inst.vpc):
            rules += [(e.protocol, e.ports) for e in attachment_acl_entries(network)]
        for protocol, ports in rules:
            if ports is None:
                continue
            for proto in ("tcp", "udp", "icmp") if protocol == "all" else (protocol,):
                if proto in cuts:
                    cuts[proto].update((ports.low, ports.high + 1))
        out[inst.name or inst.id] = cuts
    return out


def attachment_acl_entries(network: Network) -> list[NaclEntry]:
    """The entries of the network ACLs of every TGW attachment subnet: a flow through a TGW
    meets them (verify/transit.py), so their port bounds cut the flows of attached VPCs."""
    acls = {
        acl.id: acl
        for att in network.tgw_attachments.values()
        for subnet in att.subnets
        if (acl := network.nacl_of_subnet.get(subnet)) is not None
    }
    return [e for acl in acls.values() for e in acl.entries]


def port_classes(protocol: Proto, cuts: Iterable[int], *, replies: bool = True) -> list[PortRange]:
    """Split 0..top at the cuts into ranges that every check treats alike. ICMP types that
    expect a reply (echo, timestamp, …: ``ICMP_REPLY``) are classes of their own: the engine
    checks the way back for them only (a property test found echo sharing a class). With
    ``replies=False`` they are not cut: the caller splits them (:mod:`verify.icmp_types`)."""
    top = _TOP[protocol]
    if protocol == "icmp" and replies:
        cuts = [*cuts, *(t for q in ICMP_REPLY for t in (q, q + 1))]
    return list(_split(top, tuple(sorted({0, *(c for c in cuts if 0 < c <= top)}))))


@lru_cache(maxsize=1 << 12)
def _split(top: int, points: tuple[int, ...]) -> tuple[PortRange, ...]:
    """The ranges between the points; remembered, since a thousand VPCs' pairs are cut by the
    same few rules again and again (the ranges are immutable, so sharing them is safe)."""
    bounds = [*points, top + 1]
    return tuple(PortRange(lo, hi - 1) for lo, hi in pairwise(bounds))
