from __future__ import annotations

from collections.abc import Iterator

from vpcwire.rules.base import Finding, NetworkView, Rule


class CrossRegionSecurityGroupReference(Rule):
    id = "VW-E604"
    title = "Security group rule referencing a group in another region"
    description = (
        "A security group rule may name a peer VPC's group only across a same-region peering "
        "(cross-account as account/sg-id). Across regions a reference cannot be created: rules "
        "must use the peer's CIDR blocks instead."
    )
    url = "https://docs.aws.amazon.com/vpc/latest/peering/vpc-peering-security-groups.html"
    fix = "replace the group reference with the remote VPC's CIDR blocks"
    stage = "network"

    judges_networks = True

    def judge(self, view: NetworkView) -> Iterator[Finding]:
        net = view.network
        for sg in net.security_groups.values():
            here = net.vpcs.get(sg.vpc)
            if here is None:
                continue
            for direction, rules in (("inbound", sg.ingress), ("outbound", sg.egress)):
                for rule in rules:
                    if rule.group is None:
                        continue
                    other = net.security_groups.get(rule.group.split("/")[-1])
                    there = net.vpcs.get(other.vpc) if other is not None else None
                    if other is None or there is None or there.region == here.region:
                        continue
                    yield self.finding_on(
                        view,
                        sg,
                        f"security group {view.name(sg)} ({here.region}) has an {direction} rule naming "
                        f"group {other.name} in {there.region}: references cannot cross regions",
                        f"use {there.name}'s CIDR blocks ({', '.join(map(str, there.cidrs))}) "
                        "instead of the group",
                        anchor=here,
                    )
