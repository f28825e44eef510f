from __future__ import annotations

from collections.abc import Iterator

from vpcwire.plan.rules.base import Finding, NetworkView, Rule


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
