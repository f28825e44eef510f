from __future__ import annotations

from collections.abc import Iterator

from vpcwire.network.model import Subnet
from vpcwire.rules.base import Finding, NetworkView, Rule


class SubnetsOverlap(Rule):
    id = "VW-E102"
    title = "Two subnets of one VPC overlap"
    description = (
        "Subnets of a VPC must not share addresses; AWS rejects the second CreateSubnet "
        "with InvalidSubnet.Conflict."
    )
    url = "https://docs.aws.amazon.com/vpc/latest/userguide/subnet-sizing.html"
    fix = "give each subnet its own block"
    stage = "network"
    judges_networks = True

    def judge(self, view: NetworkView) -> Iterator[Finding]:
        by_vpc: dict[str, list[Subnet]] = {}
        for subnet in view.network.subnets.values():
            by_vpc.setdefault(subnet.vpc, []).append(subnet)
        for vpc_id, subnets in by_vpc.items():
            vpc = view.network.vpcs.get(vpc_id)
            shown = view.name(vpc) if vpc is not None else vpc_id
            for j, later in enumerate(subnets):
                for earlier in subnets[:j]:
                    if later.cidr.overlaps(earlier.cidr):
                        refusal = (
                            " (AWS refuses it: InvalidSubnet.Conflict)" if view.scanned else ""
                        )
                        yield self.finding_on(
                            view,
                            later,
                            f"subnet {later.cidr} overlaps {earlier.cidr} "
                            f"({view.locate(earlier, 'cidr')[0]}){refusal}",
                            f"pick a block of VPC {shown} that no other subnet uses",
                            field="cidr",
                        )
                        break
