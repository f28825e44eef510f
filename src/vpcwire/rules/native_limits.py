from __future__ import annotations

from collections.abc import Iterator

from vpcwire.plan.facts import URL_NATIVE_LIMITS, native_blockers, service_links
from vpcwire.rules.base import Finding, Rule, RuleContext


class NativeCrossRegionLimits(Rule):
    id = "VW-E601"
    title = "Native cross-region PrivateLink requested where its known limits apply"
    description = (
        "Cross-region access to an endpoint service is not supported for NLBs with a custom TCP "
        "idle timeout, nor in the AZs use1-az3, usw1-az2, apne1-az3, apne2-az2 and apne2-az4, "
        "and the provider must use at least two AZs. The outpost pattern (an NLB in the "
        "consumer's region with the provider's addresses as IP targets over an inter-region "
        "peering) has none of these limits; via: auto picks it by itself."
    )
    url = URL_NATIVE_LIMITS
    fix = "use via: outpost (or via: auto, which chooses it where native does not fit)"

    def check(self, ctx: RuleContext) -> Iterator[Finding]:
        spec = ctx.spec
        for i, conn in service_links(spec):
            svc = spec.services.get(conn.service)
            if conn.via != "native" or svc is None or conn.consumer not in spec.vpcs:
                continue
            if spec.vpcs[conn.consumer].region == spec.vpcs[svc.vpc].region:
                continue  # VW-E301's case
            blockers = native_blockers(spec, conn)
            if blockers:
                yield self.finding(
                    ctx,
                    ("connections", i, "via"),
                    "native cross-region PrivateLink does not fit: " + "; ".join(blockers),
                )
