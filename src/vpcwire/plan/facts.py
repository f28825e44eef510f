"""Facts about a spec that several rules and passes need, computed the same way for all.

AWS limits that more than one module relies on live here too, each with the page that
states it, so that a rule, the decision guide and the cost model never disagree about a
number.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from ipaddress import IPv4Address, IPv4Network
from typing import TypeVar

from vpcwire.plan.addressing import lay_out_subnets
from vpcwire.spec.models import PeerConnection, ServiceConnection, Spec

_T = TypeVar("_T")

__all__ = [
    "MAX_PRIVATELINK_LISTENERS",
    "NATIVE_UNSUPPORTED_AZ_IDS",
    "PEERINGS_PER_VPC_DEFAULT",
    "PEERINGS_PER_VPC_MAX",
    "REGIONS_WITH_UNSUPPORTED_AZS",
    "ROUTES_PER_TABLE_DEFAULT",
    "ROUTES_PER_TABLE_MAX",
    "TGW_ADVICE_DENSITY",
    "TGW_ADVICE_VPCS",
    "URL_NATIVE_LIMITS",
    "URL_QUOTAS",
    "az_id_of",
    "az_in_region",
    "blocks_overlap",
    "is_private_target_address",
    "mesh_components",
    "native_blockers",
    "peer_pairs",
    "peering_links",
    "private_azs",
    "service_links",
    "shortest_peering_path",
    "transit_connections",
    "vpc_blocks",
]

URL_QUOTAS = "https://docs.aws.amazon.com/vpc/latest/userguide/amazon-vpc-limits.html"
URL_NATIVE_LIMITS = (
    "https://docs.aws.amazon.com/vpc/latest/privatelink/privatelink-share-your-services.html"
    "#endpoint-service-cross-region"
)

# Amazon VPC quotas (URL_QUOTAS): active peerings per VPC, and routes per route table.
PEERINGS_PER_VPC_DEFAULT = 50
PEERINGS_PER_VPC_MAX = 125
ROUTES_PER_TABLE_DEFAULT = 50
ROUTES_PER_TABLE_MAX = 1000

# Transit Gateway advice: a connected group of at least this many VPCs in which at least
# this share of all pairs are peered. Why these numbers (see rule VW-I505): a full mesh of
# n VPCs needs n(n-1)/2 peerings and n-1 routes per CIDR in every route table; six VPCs are
# 15 peerings to request and accept and every new VPC touches every other VPC's tables.
# A Transit Gateway never saves money ($0.05 per attachment-hour, $0.02/GB, where peering
# is free but for cross-AZ bytes), so advice starts where operations, not cost, hurt.
TGW_ADVICE_VPCS = 6
TGW_ADVICE_DENSITY = 0.5

# "AWS PrivateLink doesn't support Network Load Balancers with more than 50 listeners"
# (and 50 is an NLB's default listener quota): one listener per service port.
MAX_PRIVATELINK_LISTENERS = 50

# Native cross-region PrivateLink is not supported in these AZs (URL_NATIVE_LIMITS).
NATIVE_UNSUPPORTED_AZ_IDS = frozenset(
    {"use1-az3", "usw1-az2", "apne1-az3", "apne2-az2", "apne2-az4"}
)
_AZ_ID_REGION = {
    "use1": "us-east-1",
    "usw1": "us-west-1",
    "apne1": "ap-northeast-1",
    "apne2": "ap-northeast-2",
}
REGIONS_WITH_UNSUPPORTED_AZS = frozenset(
    _AZ_ID_REGION[i.split("-")[0]] for i in NATIVE_UNSUPPORTED_AZ_IDS
)

# Where an NLB may send to an IP target outside its own VPC (API_TargetDescription).
_PRIVATE_TARGET_RANGES = tuple(
    IPv4Network(c) for c in ("10.0.0.0/8", "172.16.0.0/12", "192.168.0.0/16", "100.64.0.0/10")
)


def vpc_blocks(spec: Spec, vpc: str) -> list[IPv4Network]:
    """Every IPv4 block of a VPC, primary first."""
    v = spec.vpcs[vpc]
    return [v.cidr, *v.secondary_cidrs]


def blocks_overlap(spec: Spec, a: str, b: str) -> tuple[IPv4Network, IPv4Network] | None:
    """The first pair of overlapping blocks of two VPCs (any primary or secondary), if any."""
    for x in vpc_blocks(spec, a):
        for y in vpc_blocks(spec, b):
            if x.overlaps(y):
                return x, y
    return None


def is_private_target_address(ip: IPv4Address) -> bool:
    """May an NLB register this address as an IP target outside its VPC (RFC 1918 or
    100.64.0.0/10)?"""
    return any(ip in net for net in _PRIVATE_TARGET_RANGES)


def private_azs(spec: Spec, vpc: str) -> list[str]:
    """AZ names of a VPC's private subnets, in layout order, without repeats."""
    subnets = lay_out_subnets(vpc, spec.vpcs[vpc])
    return list(dict.fromkeys(s.az for s in subnets if s.tier == "private"))


def az_id_of(spec: Spec, vpc: str, az: str) -> str | None:
    """The AZ id behind an AZ name in the VPC's account, when the spec says (az_ids)."""
    return spec.accounts[spec.account_of(vpc)].az_ids.get(az)


def native_blockers(spec: Spec, conn: ServiceConnection) -> list[str]:
    """Known limits of native cross-region PrivateLink that apply to this connection.

    From the endpoint service docs' cross-Region considerations: not with an NLB that has a
    custom TCP idle timeout; not in some AZs (by id: use1-az3, usw1-az2, apne1-az3,
    apne2-az2, apne2-az4); the provider must use at least two AZs. AZ ids are only known
    where the spec maps names to ids (accounts.*.az_ids).
    """
    svc = spec.services[conn.service]
    blockers = []
    if svc.idle_timeout is not None:
        blockers.append(
            f"service {conn.service} sets a custom NLB TCP idle timeout ({svc.idle_timeout}s), "
            "which cross-region endpoint services do not support"
        )
    eligible = 0
    for role, vpc in (("provider", svc.vpc), ("consumer", conn.consumer)):
        for az in private_azs(spec, vpc):
            az_id = az_id_of(spec, vpc, az)
            if az_id in NATIVE_UNSUPPORTED_AZ_IDS:
                blockers.append(
                    f"{role} AZ {az} is {az_id}, where cross-region PrivateLink is not supported"
                )
            elif role == "provider":
                eligible += 1
    if eligible < 2:
        blockers.append(
            f"the provider VPC {svc.vpc} has {eligible} eligible AZ(s); a cross-region endpoint "
            "service needs at least two"
        )
    return blockers


def az_in_region(az: str, region: str) -> bool:
    """us-east-1a, or a Local Zone such as us-east-1-bos-1a, belongs to us-east-1."""
    return re.fullmatch(re.escape(region) + r"([a-z]|-[a-z]+-\d+[a-z])", az) is not None


def peer_pairs(spec: Spec) -> list[tuple[int, PeerConnection]]:
    return [(i, c) for i, c in enumerate(spec.connections) if isinstance(c, PeerConnection)]


def service_links(spec: Spec) -> list[tuple[int, ServiceConnection]]:
    return [(i, c) for i, c in enumerate(spec.connections) if isinstance(c, ServiceConnection)]


# The last few specs' derived facts, by identity: a Spec is frozen, and the guide and the
# rules ask for the same facts once per connection (a 500-VPC plan asked 155 times).
_FACTS: list[tuple[Spec, str, object]] = []


def _remembered(spec: Spec, key: str, compute: Callable[[Spec], _T]) -> _T:
    for known, k, value in _FACTS:
        if known is spec and k == key:
            return value  # type: ignore[return-value]
    value = compute(spec)
    _FACTS.insert(0, (spec, key, value))
    del _FACTS[8:]
    return value


def peering_links(spec: Spec) -> list[tuple[str, str, int]]:
    """(a, b, connection index) for every pair that the spec asks to be a peering:
    each pair of a ``peers`` entry via peering, or via auto where the guide does not choose
    Transit Gateways (:func:`transit_connections`), and consumer -> service via peering."""
    return list(_remembered(spec, "peering_links", _peering_links))


def _peering_links(spec: Spec) -> list[tuple[str, str, int]]:
    transit = transit_connections(spec)
    return [link for link in _mesh_links(spec) if link[2] not in transit]


def _mesh_links(spec: Spec) -> list[tuple[str, str, int]]:
    """peering_links as if every ``peers`` entry via auto were a peering mesh."""
    links: list[tuple[str, str, int]] = []
    for i, conn in enumerate(spec.connections):
        if isinstance(conn, PeerConnection) and conn.via in ("auto", "peering"):
            links.extend((a, b, i) for a, b in conn.pairs)
        elif isinstance(conn, ServiceConnection) and conn.via == "peering":
            svc = spec.services.get(conn.service)
            if svc is not None:
                links.append((conn.consumer, svc.vpc, i))
    return [link for link in links if link[0] != link[1]]


def transit_connections(spec: Spec) -> dict[int, tuple[str, ...]]:
    """Connection index -> why it goes over Transit Gateways (reason codes), for every
    ``peers`` entry that does; the decision guide explains each code.

    ``requested``: via: transit-gateway. For via: auto, a group of three or more goes over
    Transit Gateways when it is large (``many-vpcs``: at least TGW_ADVICE_VPCS VPCs, whose
    mesh would be n(n-1)/2 peerings), when its mesh would take a VPC past the default
    peering quota (``peering-quota``), or when every one of its VPCs is attached to a Transit Gateway by
    another entry anyway (``all-attached``, pairs too: no new attachment, and a peering beside
    the TGW would be a second path for the same routes). Otherwise peering, which has no
    hourly fee.
    """
    return dict(_remembered(spec, "transit_connections", _transit_connections))


def _transit_connections(spec: Spec) -> dict[int, tuple[str, ...]]:
    out: dict[int, tuple[str, ...]] = {}
    autos: list[tuple[int, PeerConnection]] = []
    for i, conn in peer_pairs(spec):
        if conn.via == "transit-gateway":
            out[i] = ("requested",)
        elif conn.via == "auto":
            autos.append((i, conn))
    if not autos:
        return out
    peers_of: dict[str, set[str]] = {}
    for a, b, _ in _mesh_links(spec):
        peers_of.setdefault(a, set()).add(b)
        peers_of.setdefault(b, set()).add(a)
    for i, conn in autos:
        if len(conn.peers) < 3:
            # a pair entry stays a peering, as it always was (VW-E501/W502 and the
            # advice VW-I505 say when many pairs should move to a Transit Gateway)
            continue
        codes = []
        if len(set(conn.peers)) >= TGW_ADVICE_VPCS:
            codes.append("many-vpcs")
        if any(len(peers_of.get(v, ())) > PEERINGS_PER_VPC_DEFAULT for v in conn.peers):
            codes.append("peering-quota")
        if codes:
            out[i] = tuple(codes)
    # One pass: joining attaches no new VPC, so it cannot make another entry join.
    groups = dict(peer_pairs(spec))
    attached = {v for j in out for v in groups[j].peers}
    for i, conn in autos:
        if i not in out and set(conn.peers) <= attached:
            out[i] = ("all-attached",)
    return out


def mesh_components(spec: Spec) -> list[tuple[list[str], int, list[int]]]:
    """Groups of VPCs peered any-to-any enough that a Transit Gateway deserves a mention:
    (VPCs, distinct peerings, connection indexes) for each connected group of at least
    TGW_ADVICE_VPCS VPCs with at least TGW_ADVICE_DENSITY of all pairs peered."""
    links = peering_links(spec)
    parent: dict[str, str] = {}

    def find(x: str) -> str:
        parent.setdefault(x, x)
        while parent[x] != x:
            parent[x] = parent[parent[x]]
            x = parent[x]
        return x

    for a, b, _ in links:
        parent[find(a)] = find(b)
    groups: dict[str, tuple[set[str], set[frozenset[str]], list[int]]] = {}
    for a, b, i in links:
        vpcs, pairs, indexes = groups.setdefault(find(a), (set(), set(), []))
        vpcs.update((a, b))
        pairs.add(frozenset((a, b)))
        indexes.append(i)
    out = []
    for vpcs, pairs, indexes in groups.values():
        n = len(vpcs)
        if n >= TGW_ADVICE_VPCS and len(pairs) >= TGW_ADVICE_DENSITY * n * (n - 1) / 2:
            out.append((sorted(vpcs), len(pairs), sorted(indexes)))
    return out


def shortest_peering_path(links: Iterable[tuple[str, str]], start: str, goal: str) -> list[str]:
    """VPCs on the shortest chain of peerings from start to goal, or [] if there is none."""
    graph: dict[str, set[str]] = {}
    for a, b in links:
        graph.setdefault(a, set()).add(b)
        graph.setdefault(b, set()).add(a)
    previous: dict[str, str | None] = {start: None}
    frontier = [start]
    while frontier:
        nxt = []
        for node in frontier:
            for peer in sorted(graph.get(node, ())):
                if peer not in previous:
                    previous[peer] = node
                    nxt.append(peer)
        frontier = nxt
    if goal not in previous:
        return []
    path: list[str] = []
    step: str | None = goal
    while step is not None:
        path.append(step)
        step = previous[step]
    return path[::-1]
