from __future__ import annotations

from collections.abc import Iterator

from vpcwire.plan.facts import TGW_ADVICE_DENSITY, TGW_ADVICE_VPCS, mesh_components
from vpcwire.rules.base import Finding, Rule, RuleContext


class TransitGatewayAdvice(Rule):
    id = "VW-I505"
    title = f"{TGW_ADVICE_VPCS} or more VPCs peered any-to-any: consider a Transit Gateway"
    description = (
        "A full mesh of n VPCs needs n(n-1)/2 peerings (6 VPCs: 15, 10: 45, 20: 190), n-1 per "
        "VPC, and in every route table one route per peer CIDR block; each new VPC touches "
        "every other VPC's tables. Quotas end it outright at 51 peers per VPC by default (125 "
        "max) and 50 routes per table (26 VPCs with two blocks each). A Transit Gateway replaces "
        "the mesh with one attachment per VPC, at $0.05 per attachment-hour (about $36.50 a "
        "month each) plus $0.02/GB, where peering has no hourly fee and charges only for "
        f"cross-AZ bytes: it never saves money. So the advice starts at {TGW_ADVICE_VPCS} VPCs "
        f"with at least {TGW_ADVICE_DENSITY:.0%} of all pairs peered, where the work of "
        "requesting, accepting and routing 15 or more peerings begins to outweigh about $220 a "
        "month of attachments; the quota rules (VW-W502, VW-W503) say when it becomes a must."
    )
    url = (
        "https://docs.aws.amazon.com/whitepapers/latest/building-scalable-secure-multi-vpc-"
        "network-infrastructure/vpc-peering.html"
    )
    fix = (
        "keep the peerings if the mesh stays small; otherwise attach these VPCs to a "
        "Transit Gateway"
    )

    def check(self, ctx: RuleContext) -> Iterator[Finding]:
        for vpcs, pairs, indexes in mesh_components(ctx.spec):
            n = len(vpcs)
            yield self.finding(
                ctx,
                ("connections", indexes[0]),
                f"{n} VPCs ({', '.join(vpcs)}) are peered any-to-any: {pairs} peerings of "
                f"{n * (n - 1) // 2} possible; a Transit Gateway would need {n} attachments "
                f"(about ${n * 36.5:,.2f}/month plus $0.02/GB)",
            )
