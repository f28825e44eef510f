from __future__ import annotations

from collections.abc import Iterator

from vpcwire.network import Network
from vpcwire.plan.facts import PEERINGS_PER_VPC_DEFAULT, PEERINGS_PER_VPC_MAX, URL_QUOTAS
from vpcwire.plan.rules.base import Finding, Rule, RuleContext
from vpcwire.plan.rules.locate import vpc_path

_GONE = {"failed", "rejected", "expired", "deleted", "deleting"}


def peering_counts(net: Network) -> dict[str, int]:
    """Live or pending peerings per VPC id (failed, rejected or deleted ones hold no quota)."""
    return {
        vpc: sum(1 for p in pcxs if p.status not in _GONE)
        for vpc, pcxs in net.peerings_of_vpc.items()
    }


class PeeringQuotaExceeded(Rule):
    id = "VW-E501"
    title = f"More peerings on one VPC than AWS allows at all ({PEERINGS_PER_VPC_MAX})"
    description = (
        f"A VPC can have at most {PEERINGS_PER_VPC_DEFAULT} active peering connections by "
        f"default, raised on request to no more than {PEERINGS_PER_VPC_MAX}. A full mesh of n "
        "VPCs gives each n-1 peerings, so past 126 VPCs no quota increase helps: the VPCs must "
        "meet at a Transit Gateway (one attachment each) instead."
    )
    url = URL_QUOTAS
    fix = "connect these VPCs through a Transit Gateway instead of peering each pair"
    stage = "plan"

    def check(self, ctx: RuleContext) -> Iterator[Finding]:
        assert ctx.plan is not None
        net = ctx.plan.network
        for vpc, count in peering_counts(net).items():
            if count > PEERINGS_PER_VPC_MAX and vpc in net.vpcs:
                yield self.finding(
                    ctx,
                    vpc_path(ctx.plan, vpc),
                    f"VPC {net.vpcs[vpc].name} needs {count} peerings; AWS allows at most "
                    f"{PEERINGS_PER_VPC_MAX} even with a quota increase",
                )
