"""The decision guide, as code: which mechanism fits a connection, and why.

Each ``_fact`` function looks at one aspect of a connection and returns the reason it
contributes (or nothing). ``choose`` combines them in a fixed, documented order:

1. ``peers`` need two-way network access: only VPC peering gives it (and only peering
   carries ICMP or every port). Where many VPCs peer any-to-any, the decision also says
   that a Transit Gateway would be the tidier design (``transit-gateway-advice``).
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
    TGW_ADVICE_VPCS,
    URL_NATIVE_LIMITS,
    mesh_components,
    native_blockers,
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


def _choose_for_peers(spec: Spec, conn: PeerConnection) -> Choice:
    a, b = conn.peers
    reasons = [
        Reason(
            "two-way",
            f"{a} and {b} need full network access in both directions; only VPC peering "
            "routes whole CIDRs both ways (PrivateLink lets a consumer open connections to "
            "one service, never the reverse)",
            URL_PEERING,
        )
    ]
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
    if spec.vpcs[a].region != spec.vpcs[b].region:
        reasons.append(
            Reason(
                "inter-region-peering",
                f"{spec.vpcs[a].region} to {spec.vpcs[b].region}: an inter-region peering, "
                "requested in the requester's region and accepted in the accepter's",
                URL_PEERING,
            )
        )
    if spec.account_of(a) != spec.account_of(b):
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
            "that peering does not, and vpcwire does not build it yet",
        )
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
