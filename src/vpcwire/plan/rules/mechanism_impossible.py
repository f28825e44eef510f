from __future__ import annotations

from collections.abc import Iterator

from vpcwire.plan.rules.base import Finding, Rule, RuleContext
from vpcwire.spec.models import PeerConnection, ServiceConnection


class MechanismImpossible(Rule):
    id = "VW-E301"
    title = "The requested mechanism cannot provide this connection"
    description = (
        "PrivateLink is one-way (consumer to service) and cannot give two VPCs full network "
        "access; the outpost pattern and native cross-region PrivateLink exist only to cross "
        "regions; same-region PrivateLink cannot reach a service in another region."
    )
    url = "https://docs.aws.amazon.com/vpc/latest/privatelink/privatelink-share-your-services.html"
    fix = "use via: auto, or the mechanism the message suggests"

    def check(self, ctx: RuleContext) -> Iterator[Finding]:
        spec = ctx.spec
        for i, conn in enumerate(spec.connections):
            path = ("connections", i, "via")
            if isinstance(conn, PeerConnection):
                if conn.via not in ("auto", "peering"):
                    yield self.finding(
                        ctx, path,
                        f"peers need two-way network access, which {conn.via} cannot give "
                        "(PrivateLink only lets a consumer open connections to a service)",
                        "use via: peering (or auto); for one-way access declare a service and "
                        "a consumer -> service connection",
                    )
                continue
            svc = spec.services.get(conn.service)
            if svc is None or conn.consumer not in spec.vpcs:
                continue
            same_region = spec.vpcs[conn.consumer].region == spec.vpcs[svc.vpc].region
            if conn.via in ("outpost", "native") and same_region:
                yield self.finding(
                    ctx, path,
                    f"via: {conn.via} crosses regions, but {conn.consumer} and {svc.vpc} are both "
                    f"in {spec.vpcs[svc.vpc].region}",
                    "use via: privatelink (or auto)",
                )
            elif conn.via == "privatelink" and not same_region:
                yield self.finding(
                    ctx, path,
                    f"an interface endpoint in {spec.vpcs[conn.consumer].region} cannot reach a "
                    f"service in {spec.vpcs[svc.vpc].region} without crossing regions",
                    "use via: native (cross-region PrivateLink) or via: outpost",
                )
