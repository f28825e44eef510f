from __future__ import annotations

from collections.abc import Iterator

from vpcwire.plan.facts import vpc_blocks
from vpcwire.rules.base import Finding, NetworkView, Rule, RuleContext


class SubnetOutsideVpc(Rule):
    id = "VW-E101"
    title = "Subnet CIDR outside its VPC's CIDR blocks"
    description = (
        "A subnet's block must lie inside one of its VPC's IPv4 blocks; AWS rejects "
        "CreateSubnet with InvalidSubnet.Range otherwise."
    )
    url = "https://docs.aws.amazon.com/vpc/latest/userguide/subnet-sizing.html"
    fix = "choose a subnet block inside the VPC's CIDR, or add a secondary CIDR that covers it"
    stage = "network"
    judges_networks = True
    early_on_spec = True

    def check_spec_early(self, ctx: RuleContext) -> Iterator[Finding]:
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

    def judge(self, view: NetworkView) -> Iterator[Finding]:
        net = view.network
        for subnet in net.subnets.values():
            vpc = net.vpcs.get(subnet.vpc)
            if vpc is None or any(subnet.cidr.subnet_of(b) for b in vpc.cidrs):
                continue
            shown = ", ".join(map(str, vpc.cidrs))
            refusal = (
                f" (AWS refuses it: InvalidSubnet.Range: The CIDR '{subnet.cidr}' is invalid)"
                if view.scanned
                else ""
            )
            fix = (
                f"choose a block inside {shown}, or add a secondary CIDR covering {subnet.cidr}"
                + (
                    f" (aws_vpc_ipv4_cidr_block_association on {view.name(vpc)})"
                    if view.scanned
                    else " (secondary_cidrs)"
                )
            )
            yield self.finding_on(
                view,
                subnet,
                f"subnet {subnet.cidr} is outside VPC {view.name(vpc)}'s CIDR {shown}{refusal}",
                fix,
                field="cidr",
            )
