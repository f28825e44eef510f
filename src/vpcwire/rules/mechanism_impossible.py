from __future__ import annotations

from collections.abc import Iterator

from vpcwire.plan.facts import MAX_PRIVATELINK_LISTENERS, blocks_overlap
from vpcwire.rules.base import Finding, Rule, RuleContext
from vpcwire.spec.models import PeerConnection


class MechanismImpossible(Rule):
    id = "VW-E301"
    title = "The requested mechanism cannot provide this connection"
    description = (
        "PrivateLink is one-way (consumer to service) and cannot give two VPCs full network "
        "access; the outpost pattern and native cross-region PrivateLink exist only to cross "
        "regions; same-region PrivateLink cannot reach a service in another region; and "
        f"PrivateLink supports NLBs with at most {MAX_PRIVATELINK_LISTENERS} listeners, one per "
        "service port, so a service with more ports can only be reached over peering (which "
        "overlapping CIDRs rule out)."
    )
    url = "https://docs.aws.amazon.com/vpc/latest/privatelink/privatelink-share-your-services.html"
    fix = "use via: auto, or the mechanism the message suggests"

    def check(self, ctx: RuleContext) -> Iterator[Finding]:
        spec = ctx.spec
        for i, conn in enumerate(spec.connections):
            path = ("connections", i, "via")
            if isinstance(conn, PeerConnection):
                if conn.via not in ("auto", "peering", "transit-gateway"):
                    yield self.finding(
                        ctx,
                        path,
                        f"peers need two-way network access, which {conn.via} cannot give "
                        "(PrivateLink only lets a consumer open connections to a service)",
                        "use via: peering, transit-gateway (or auto); for one-way access declare a service and "
                        "a consumer -> service connection",
                    )
                continue
            svc = spec.services.get(conn.service)
            if svc is None or conn.consumer not in spec.vpcs:
                continue
            same_region = spec.vpcs[conn.consumer].region == spec.vpcs[svc.vpc].region
            ports = len(svc.port_list)
            if ports > MAX_PRIVATELINK_LISTENERS and conn.via != "peering":
                overlap = blocks_overlap(spec, conn.consumer, svc.vpc)
                if conn.via != "auto" or overlap:
                    why = (
                        f"and peering is ruled out: {overlap[0]} overlaps {overlap[1]}"
                        if overlap
                        else "only peering can carry them"
                    )
                    yield self.finding(
                        ctx,
                        path,
                        f"service {conn.service} has {ports} ports; PrivateLink supports at most "
                        f"{MAX_PRIVATELINK_LISTENERS} NLB listeners, {why}",
                        "use via: peering (or auto) with non-overlapping CIDRs, or split the "
                        f"service into services of at most {MAX_PRIVATELINK_LISTENERS} ports",
                    )
                    continue
            if conn.via in ("outpost", "native") and same_region:
                yield self.finding(
                    ctx,
                    path,
                    f"via: {conn.via} crosses regions, but {conn.consumer} and {svc.vpc} are both "
                    f"in {spec.vpcs[svc.vpc].region}",
                    "use via: privatelink (or auto)",
                )
            elif conn.via == "privatelink" and not same_region:
                yield self.finding(
                    ctx,
                    path,
                    f"an interface endpoint in {spec.vpcs[conn.consumer].region} cannot reach a "
                    f"service in {spec.vpcs[svc.vpc].region} without crossing regions",
                    "use via: native (cross-region PrivateLink) or via: outpost",
                )
