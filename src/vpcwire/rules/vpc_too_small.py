from __future__ import annotations

from collections.abc import Iterator

from vpcwire.plan.addressing import layout_prefix, max_laid_out_azs
from vpcwire.rules.base import Finding, Rule, RuleContext


class VpcTooSmallForLayout(Rule):
    id = "VW-E104"
    title = "VPC CIDR too small for one subnet per listed AZ"
    description = (
        "With azs, vpcwire cuts the VPC CIDR into equal blocks (a /24 per AZ in a /16, never "
        "smaller than AWS's /28 minimum): private subnets in the first half, public ones in "
        "the second. A small VPC cannot hold a subnet for every AZ listed."
    )
    url = "https://docs.aws.amazon.com/vpc/latest/userguide/subnet-sizing.html"
    fix = "list fewer AZs, widen the VPC CIDR, or give explicit subnets"

    def check(self, ctx: RuleContext) -> Iterator[Finding]:
        for name, vpc in ctx.spec.vpcs.items():
            if vpc.azs is None:
                continue
            room = max_laid_out_azs(vpc.cidr)
            if vpc.cidr.prefixlen > 28 or len(vpc.azs) > room:
                yield self.finding(
                    ctx,
                    ("vpcs", name, "azs"),
                    f"VPC {name} ({vpc.cidr}) holds /{layout_prefix(vpc.cidr)} subnets for at "
                    f"most {room} AZs, {len(vpc.azs)} listed",
                )
