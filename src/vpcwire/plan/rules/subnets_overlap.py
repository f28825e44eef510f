from __future__ import annotations

from collections.abc import Iterator

from vpcwire.plan.addressing import lay_out_subnets
from vpcwire.plan.rules.base import Finding, Rule, RuleContext


class SubnetsOverlap(Rule):
    id = "VW-E102"
    title = "Two subnets of one VPC overlap"
    description = (
        "Subnets of a VPC must not share addresses; AWS rejects the second CreateSubnet "
        "with InvalidSubnet.Conflict."
    )
    url = "https://docs.aws.amazon.com/vpc/latest/userguide/subnet-sizing.html"
    fix = "give each subnet its own block"

    def check(self, ctx: RuleContext) -> Iterator[Finding]:
        for name, vpc in ctx.spec.vpcs.items():
            if vpc.subnets is None:
                continue
            subnets = lay_out_subnets(name, vpc)
            for j, later in enumerate(subnets):
                for earlier in subnets[:j]:
                    if later.cidr.overlaps(earlier.cidr):
                        yield self.finding(
                            ctx,
                            (*later.spec_path, "cidr"),
                            f"subnet {later.cidr} overlaps {earlier.cidr} "
                            f"({'.'.join(map(str, earlier.spec_path[2:]))})",
                            f"pick a block of VPC {name} that no other subnet uses",
                        )
                        break
