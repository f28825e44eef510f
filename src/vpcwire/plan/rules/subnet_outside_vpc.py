from __future__ import annotations

from collections.abc import Iterator

from vpcwire.plan.facts import vpc_blocks
from vpcwire.plan.rules.base import Finding, Rule, RuleContext


class SubnetOutsideVpc(Rule):
    id = "VW-E101"
    title = "Subnet CIDR outside its VPC's CIDR blocks"
    description = (
        "A subnet's block must lie inside one of its VPC's IPv4 blocks; AWS rejects "
        "CreateSubnet with InvalidSubnet.Range otherwise."
    )
    url = "https://docs.aws.amazon.com/vpc/latest/userguide/subnet-sizing.html"
    fix = "choose a subnet block inside the VPC's CIDR, or add a secondary CIDR that covers it"

    def check(self, ctx: RuleContext) -> Iterator[Finding]:
        for name, vpc in ctx.spec.vpcs.items():
            if vpc.subnets is None:
                continue
            blocks = vpc_blocks(ctx.spec, name)
            shown = ", ".join(map(str, blocks))
            for tier in ("private", "public"):
                for i, subnet in enumerate(getattr(vpc.subnets, tier)):
                    if not any(subnet.cidr.subnet_of(b) for b in blocks):
                        yield self.finding(
                            ctx,
                            ("vpcs", name, "subnets", tier, i, "cidr"),
                            f"subnet {subnet.cidr} is outside VPC {name}'s CIDR {shown}",
                            f"choose a block inside {shown}, or add a secondary_cidrs entry "
                            f"covering {subnet.cidr}",
                        )
