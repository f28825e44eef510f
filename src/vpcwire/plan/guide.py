"""The decision guide, as code: which mechanism fits a connection, and why.

Each ``_fact`` function looks at one aspect of a connection and returns the reason it
contributes (or nothing). ``choose`` combines them in a fixed, documented order:

1. ``peers`` need two-way network access: VPC peering (a full mesh of the group) or Transit
   Gateways give it (and only they carry ICMP or every port). Transit Gateways when asked
   (via: transit-gateway) or, for via: auto, when the group is large, its mesh would pass
   the peering quota, or all its VPCs are attached anyway (``facts.transit_connections``);
   the reasons then price the attachments against the mesh. Where many VPCs peer any-to-any
   over separate entries, the decision says a Transit Gateway would be the tidier design
   (``transit-gateway-advice``).
2. A consumer -> service need is one-way: PrivateLink fits it exactly (the provider exposes
   only its listener ports, the consumer cannot reach anything else, CIDRs may overlap,
   accounts stay separate, one service serves many consumers), unless the service has more
   ports than an NLB behind PrivateLink may have listeners (50): then peering (``many-ports``).
3. Across regions, native cross-region PrivateLink is the default; the outpost pattern
   (an NLB in the consumer's region whose IP targets sit in the provider VPC, reached over an
   inter-region peering) takes over where native's known limits apply (custom idle timeout,
   unsupported AZ ids, fewer than two provider AZs: ``facts.native_blockers``).
4. An explicit ``via`` wins when it is possible at all (impossible ones are rule VW-E301 /
   VW-E201 errors before we get here); the reasons still say what the guide would have done.

Every alternative that was not chosen is listed with why not, so ``vpcwire plan`` can show
the whole argument and not only its conclusion.
"""

from __future__ import annotations

from dataclasses import dataclass

from vpcwire.plan.facts import (
    MAX_PRIVATELINK_LISTENERS,
    PEERINGS_PER_VPC_DEFAULT,
    PEERINGS_PER_VPC_MAX,
    TGW_ADVICE_VPCS,
    URL_NATIVE_LIMITS,
    mesh_components,
    native_blockers,
    transit_connections,
    vpc_blocks,
)
from vpcwire.plan.plan import Alternative, Mechanism, Reason
from vpcwire.spec.models import PeerConnection, ServiceConnection, Spec

__all__ = ["Choice", "choose"]

URL_PEERING = "https://docs.aws.amazon.com/vpc/latest/peering/vpc-peering-basics.html"
URL_PRIVATELINK = (
    "https://docs.aws.amazon.com/vpc/latest/privatelink/privatelink-share-your-services.html"
)
URL_PRINCIPALS = (
    "https://docs.aws.amazon.com/vpc/latest/privatelink/configure-endpoint-service.html"
)
URL_NATIVE = (
    "https://aws.amazon.com/blogs/networking-and-content-delivery/"
    "introducing-cross-region-connectivity-for-aws-privatelink/"
)
URL_NLB_IP_TARGETS = "https://docs.aws.amazon.com/elasticloadbalancing/latest/APIReference/API_TargetDescription.html"
URL_TGW = "https://docs.aws.amazon.com/vpc/latest/tgw/what-is-transit-gateway.html"
URL_TGW_PEERING = "https://docs.aws.amazon.com/vpc/latest/tgw/tgw-peering.html"
URL_TGW_SHARE = "https://docs.aws.amazon.com/vpc/latest/tgw/tgw-transit-gateways.html#tgw-sharing"
URL_TGW_ISOLATED = "https://docs.aws.amazon.com/vpc/latest/tgw/transit-gateway-isolated-shared.html"
URL_TGW_PRICING = "https://aws.amazon.com/transit-gateway/pricing/"
URL_NLB_LISTENERS = "https://docs.aws.amazon.com/elasticloadbalancing/latest/userguide/load-balancer-vpc-endpoints.html"
URL_WHITEPAPER = (
    "https://docs.aws.amazon.com/whitepapers/latest/building-scalable-secure-multi-vpc-network-"
    "infrastructure/vpc-to-vpc-connectivity.html"
)


@dataclass(frozen=True, slots=True)
class Choice:
    mechanism: Mechanism
    reasons: tuple[Reason, ...]
    rejected: tuple[Alternative, ...]


def choose(spec: Spec, conn: ServiceConnection | PeerConnection) -> Choice:
    if isinstance(conn, PeerConnection):
        return _choose_for_peers(spec, conn)
    return _choose_for_service(spec, conn)


# -- peers ---------------------------------------------------------------------------------


def _names(vpcs: list[str]) -> str:
    return vpcs[0] if len(vpcs) == 1 else f"{', '.join(vpcs[:-1])} and {vpcs[-1]}"


def _choose_for_peers(spec: Spec, conn: PeerConnection) -> Choice:
    index = next(i for i, c in enumerate(spec.connections) if c is conn)
    transit = transit_connections(spec).get(index)
    if transit is not None:
        return _choose_transit(spec, conn, index, transit)
    peers = list(dict.fromkeys(conn.peers))
    reasons = [
        Reason(
            "two-way",
            f"{_names(peers)} need full network access in both directions; only VPC peering "
            "routes whole CIDRs both ways (PrivateLink lets a consumer open connections to "
            "one service, never the reverse)"
            if len(peers) <= 2
            else f"{_names(peers)} need full network access any-to-any: a full mesh of "
            f"{len(conn.pairs)} VPC peerings, which need no hourly fee (a Transit Gateway "
            "would; see the rejected alternatives)",
            URL_PEERING,
        )
    ]
    reasons += _traffic_reasons(conn)
    regions = list(dict.fromkeys(spec.vpcs[v].region for v in peers))
    if len(regions) > 1:
        reasons.append(
            Reason(
                "inter-region-peering",
                f"{' to '.join(regions)}: an inter-region peering, "
                "requested in the requester's region and accepted in the accepter's",
                URL_PEERING,
            )
        )
    if len({spec.account_of(v) for v in peers}) > 1:
        reasons.append(
            Reason(
                "cross-account-peering",
                "the VPCs are in different accounts: the accepter's account accepts the "
                "request with its own credentials",
                URL_PEERING,
            )
        )
    mesh = _mesh_of(spec, conn)
    if mesh is not None:
        vpcs, pairs = mesh
        n = len(vpcs)
        reasons.append(
            Reason(
                "transit-gateway-advice",
                f"{n} VPCs ({', '.join(vpcs)}) are peered any-to-any ({pairs} of "
                f"{n * (n - 1) // 2} possible pairs): each VPC carries up to {n - 1} peerings and "
                "a route per peer CIDR in every table. A Transit Gateway would need one "
                "attachment per VPC instead; vpcwire still plans peerings, which cost less "
                "(no hourly fee)",
                URL_TGW,
            )
        )
        tgw = Alternative(
            "transit gateway",
            f"worth considering for these {n} VPCs (from {TGW_ADVICE_VPCS} any-to-any VPCs on, "
            f"peerings grow as n(n-1)/2); it costs {n} x $0.05/attachment-hour and $0.02/GB "
            "that peering does not: list them in one peers entry with via: transit-gateway",
        )
    elif len(peers) > 2:
        tgw = Alternative("transit gateway", _transit_cost(spec, conn, peers))
    else:
        tgw = Alternative(
            "transit gateway",
            "worth it for many VPCs any-to-any; for one pair it costs $0.05/attachment-hour "
            "and $0.02/GB for nothing peering lacks",
        )
    rejected = (
        Alternative(
            "privatelink", "one-way only: the second VPC could never open a connection back"
        ),
        tgw,
    )
    return Choice("peering", tuple(reasons), rejected)


def _traffic_reasons(conn: PeerConnection) -> list[Reason]:
    reasons = []
    protocols = {rule.protocol for rule in conn.allow}
    if protocols & {"icmp", "all"}:
        reasons.append(
            Reason(
                "non-tcp-udp",
                "the allowed traffic includes ICMP (or all protocols); PrivateLink carries "
                "only TCP and UDP",
                URL_PRIVATELINK,
            )
        )
    ports = [p for rule in conn.allow for p in (rule.ports or [])]
    if len(ports) > 3 or any(rule.ports is None and rule.protocol != "icmp" for rule in conn.allow):
        reasons.append(
            Reason(
                "many-ports",
                "many or all ports are needed; PrivateLink needs a listener per port",
                URL_WHITEPAPER,
            )
        )
    return reasons


def _transit_cost(spec: Spec, conn: PeerConnection, peers: list[str]) -> str:
    """The attachments a Transit Gateway would bill for this group, against the mesh."""
    from vpcwire.report.pricing import load_prices

    prices = load_prices()
    regions = list(dict.fromkeys(spec.vpcs[v].region for v in peers))
    attachments = len(peers) + 2 * (len(regions) * (len(regions) - 1) // 2)
    hourly = prices.rate("tgw_attachment_hour", regions[0])
    monthly = attachments * hourly * prices.hours_per_month
    text = (
        f"{attachments} attachment(s) x ${hourly}/attachment-hour = ${monthly:,.2f}/month"
        + (
            f" (a VPC attachment each, and both ends of {len(regions) - 1} TGW peering(s))"
            if len(regions) > 1
            else " (one per VPC)"
        )
        + f", plus ${prices.rate('tgw_gb', regions[0])}/GB processed"
    )
    if conn.traffic_gb_month is not None:
        gb = conn.traffic_gb_month
        text += f" (${gb * prices.rate('tgw_gb', regions[0]):,.2f} at {gb:g} GB/month)"
    return (
        text + f"; a mesh of {len(conn.pairs)} peering(s) has no hourly fee and no processing "
        "fee (only cross-AZ and inter-region bytes, which cross a TGW alike)"
    )


def _choose_transit(spec: Spec, conn: PeerConnection, index: int, codes: tuple[str, ...]) -> Choice:
    peers = list(dict.fromkeys(conn.peers))
    n = len(peers)
    reasons = [
        Reason(
            "two-way",
            f"{_names(peers)} need full network access any-to-any: each VPC attaches to its "
            "region's Transit Gateway, which routes whole CIDRs between attachments",
            URL_TGW,
        )
    ]
    why = {
        "requested": "requested with via: transit-gateway",
        "many-vpcs": f"{n} VPCs any-to-any: a peering mesh would be {n * (n - 1) // 2} "
        f"peerings (from {TGW_ADVICE_VPCS} VPCs on, vpcwire prefers one attachment per VPC "
        "to n(n-1)/2 peerings, each needing routes in every table on both sides)",
        "peering-quota": "a peering mesh would give a VPC more than the default quota of "
        f"{PEERINGS_PER_VPC_DEFAULT} active peerings (at most {PEERINGS_PER_VPC_MAX} after an "
        "increase); a Transit Gateway needs one attachment per VPC",
        "all-attached": f"every VPC of this entry ({_names(peers)}) is attached to a Transit "
        "Gateway by another entry: no new attachment, only routes, and a peering beside the "
        "Transit Gateway would be a second path for the same CIDRs",
    }
    for code in codes:
        reason = Reason(code, why[code], URL_TGW)
        # as for the other mechanisms, an explicit request is said first
        if code == "requested":
            reasons.insert(0, reason)
        else:
            reasons.append(reason)
    reasons += _traffic_reasons(conn)
    others = [
        (i, c)
        for i, c in enumerate(spec.connections)
        if i != index and isinstance(c, PeerConnection) and i in transit_connections(spec)
    ]
    if others:
        shared = sorted(
            {v for _, c in others for v in c.peers if v in peers},
            key=peers.index,
        )
        text = (
            "this entry is a segment: its VPCs reach each other over the Transit Gateway, "
            "not the VPCs of other entries (each attachment's route table holds routes only "
            "to the VPCs it shares an entry with)"
        )
        if shared:
            one = len(shared) == 1
            text += (
                f"; {_names(shared)} also {'belongs' if one else 'belong'} to other entries and "
                f"{'reaches' if one else 'reach'} their VPCs too, which still do not reach the "
                "rest of this entry"
            )
        reasons.append(Reason("segment", text, URL_TGW_ISOLATED))
    regions = list(dict.fromkeys(spec.vpcs[v].region for v in peers))
    if len(regions) > 1:
        reasons.append(
            Reason(
                "inter-region-tgw",
                f"{' and '.join(regions)}: a Transit Gateway in each region, joined by a TGW "
                "peering attachment (requested in one region, accepted in the other) with a "
                "static route to each remote VPC on both sides: AWS propagates no routes over "
                "a TGW peering",
                URL_TGW_PEERING,
            )
        )
    if len({spec.account_of(v) for v in peers}) > 1:
        reasons.append(
            Reason(
                "cross-account-tgw",
                "the VPCs are in different accounts: each region's Transit Gateway is shared "
                "with the other accounts through AWS RAM, they attach their VPCs, and the "
                "gateway's owner accepts each attachment",
                URL_TGW_SHARE,
            )
        )
    reasons.append(Reason("cost", _transit_cost(spec, conn, peers), URL_TGW_PRICING))
    mesh_why = (
        f"a full mesh of {len(conn.pairs)} peerings; cheaper (no hourly or processing fee) "
        "but never transitive, so every pair needs its own peering and routes"
    )
    if "peering-quota" in codes:
        mesh_why = f"the mesh would pass the peering quota ({PEERINGS_PER_VPC_DEFAULT} per VPC)"
    elif conn.via == "transit-gateway":
        mesh_why += "; set aside because via: transit-gateway was requested"
    rejected = (
        Alternative("peering", mesh_why),
        Alternative(
            "privatelink", "one-way only: the other VPCs could never open a connection back"
        ),
    )
    return Choice("transit-gateway", tuple(reasons), rejected)


def _mesh_of(spec: Spec, conn: PeerConnection) -> tuple[list[str], int] | None:
    index = next(i for i, c in enumerate(spec.connections) if c is conn)
    for vpcs, pairs, indexes in mesh_components(spec):
        if index in indexes:
            return vpcs, pairs
    return None


# -- consumer -> service ---------------------------------------------------------------------


def _choose_for_service(spec: Spec, conn: ServiceConnection) -> Choice:
    svc = spec.services[conn.service]
    consumer, provider = spec.vpcs[conn.consumer], spec.vpcs[svc.vpc]
    same_region = consumer.region == provider.region
    overlap = _overlap(spec, conn.consumer, svc.vpc)
    cross_account = spec.account_of(conn.consumer) != spec.account_of(svc.vpc)
    consumers = sum(
        1
        for c in spec.connections
        if isinstance(c, ServiceConnection) and c.service == conn.service
    )

    too_many_ports = len(svc.port_list) > MAX_PRIVATELINK_LISTENERS
    if too_many_ports:
        reasons = [
            Reason(
                "many-ports",
                f"{conn.service} listens on {len(svc.port_list)} ports; PrivateLink needs an NLB "
                f"listener per port and supports at most {MAX_PRIVATELINK_LISTENERS}: only "
                "peering can carry them",
                URL_NLB_LISTENERS,
            )
        ]
    else:
        reasons = [
            Reason(
                "one-way",
                f"{conn.consumer} only calls {conn.service} on port(s) "
                f"{', '.join(map(str, svc.port_list))}: PrivateLink exposes exactly those listener "
                "ports, one-way, and nothing else of either VPC",
                URL_PRIVATELINK,
            )
        ]
    if overlap:
        reasons.append(
            Reason(
                "cidr-overlap",
                f"{conn.consumer} and {svc.vpc} have overlapping CIDRs ({overlap}): peering is "
                "impossible, PrivateLink does not exchange routes",
                URL_PEERING,
            )
        )
    if cross_account:
        reasons.append(
            Reason(
                "cross-account",
                f"the consumer's account ({spec.account_of(conn.consumer)}) differs from the "
                f"provider's ({spec.account_of(svc.vpc)}): PrivateLink needs only an allowed "
                "principal, no routes or security-group references across accounts",
                URL_PRINCIPALS,
            )
        )
    if consumers > 1:
        reasons.append(
            Reason(
                "many-consumers",
                f"{consumers} consumers use {conn.service}: one endpoint service serves them all, "
                "where peering would need a link (and routes) per consumer",
                URL_WHITEPAPER,
            )
        )

    blockers = native_blockers(spec, conn)
    auto_reason: Reason | None = None
    if too_many_ports:
        auto: Mechanism = "peering"
    elif same_region:
        auto = "privatelink"
    elif blockers:
        auto = "outpost"
        auto_reason = Reason(
            "native-limits",
            f"{consumer.region} is not {provider.region}, and native cross-region "
            f"PrivateLink does not fit: {'; '.join(blockers)}. The outpost pattern "
            f"puts an NLB in {consumer.region} whose IP targets are the provider's "
            "addresses, reached over an inter-region peering",
            URL_NATIVE_LIMITS,
        )
    else:
        auto = "native"
        auto_reason = Reason(
            "cross-region",
            f"{conn.consumer} is in {consumer.region}, {conn.service} in {provider.region}: "
            "native cross-region PrivateLink (the provider lists the consumer's region in "
            "supported_regions) needs no extra VPC, peering or load balancer",
            URL_NATIVE,
        )

    chosen: Mechanism = auto if conn.via == "auto" else conn.via
    if chosen == auto:
        if auto_reason is not None:
            reasons.append(auto_reason)
    else:
        reasons.insert(0, Reason("requested", f"requested with via: {conn.via}"))
    if chosen == "outpost" and auto != "outpost":
        reasons.append(
            Reason(
                "outpost",
                f"outpost pattern: a VPC in {consumer.region} peered with {svc.vpc}, an internal "
                "NLB there with IP targets in the provider VPC (availability_zone = all), an "
                "endpoint service on it, and the consumer's endpoint in its own region",
                URL_NLB_IP_TARGETS,
            )
        )
    rejected = _rejections(chosen, auto, same_region, overlap, blockers, conn, too_many_ports)
    return Choice(chosen, tuple(reasons), rejected)


def _rejections(
    chosen: Mechanism,
    auto: Mechanism,
    same_region: bool,
    overlap: str,
    blockers: list[str],
    conn: ServiceConnection,
    too_many_ports: bool = False,
) -> tuple[Alternative, ...]:
    why: dict[str, str] = {
        "peering": (
            "impossible: the CIDRs overlap"
            if overlap
            else "gives both VPCs full network reach in both directions, far more than a call to "
            "one service; every route table on both sides needs a route"
        ),
    }
    if same_region:
        why["outpost"] = why["native"] = "only for crossing regions; both ends are in one region"
    else:
        why["privatelink"] = (
            "a same-region interface endpoint cannot reach a service in another region"
        )
        why["native"] = (
            f"native cross-region PrivateLink does not fit: {'; '.join(blockers)}"
            if blockers
            else "fits, and needs fewer parts than the outpost pattern"
        )
        why["outpost"] = (
            "needs an extra VPC, an inter-region peering and a second NLB; use it where native "
            "cross-region PrivateLink's limits apply (custom NLB idle timeout, unsupported AZs)"
        )
    if too_many_ports:
        for family in ("privatelink",) if same_region else ("native", "outpost"):
            why[family] = (
                f"impossible: more than {MAX_PRIVATELINK_LISTENERS} ports, and PrivateLink "
                f"supports NLBs with at most {MAX_PRIVATELINK_LISTENERS} listeners"
            )
    if chosen != auto and conn.via != "auto":
        why[auto] = f"the guide's own choice, set aside because via: {conn.via} was requested"
    return tuple(Alternative(m, text) for m, text in why.items() if m != chosen)


def _overlap(spec: Spec, a: str, b: str) -> str:
    for x in vpc_blocks(spec, a):
        for y in vpc_blocks(spec, b):
            if x.overlaps(y):
                return f"{x} and {y}"
    return ""
