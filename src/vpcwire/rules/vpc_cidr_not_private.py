from __future__ import annotations

from collections.abc import Iterator
from ipaddress import IPv4Network

from vpcwire.rules.base import Finding, NetworkView, Rule

# RFC 1918 and the shared address space (RFC 6598) AWS documents for VPCs.
PRIVATE = tuple(
    IPv4Network(c) for c in ("10.0.0.0/8", "172.16.0.0/12", "192.168.0.0/16", "100.64.0.0/10")
)


class VpcCidrNotPrivate(Rule):
    id = "VW-W110"
    title = "VPC CIDR block outside the private ranges (RFC 1918, 100.64.0.0/10)"
    description = (
        "AWS lets a VPC use any block, but one outside 10.0.0.0/8, 172.16.0.0/12, "
        "192.168.0.0/16 and 100.64.0.0/10 overlaps addresses of the internet: hosts in the "
        "VPC can no longer reach the public servers that own them (the VPC's local route "
        "wins), and a typo like 172.0.0.0/16 for 172.16.0.0/16 is exactly such a block."
    )
    url = "https://docs.aws.amazon.com/vpc/latest/userguide/vpc-cidr-blocks.html"
    fix = "use a block inside 10.0.0.0/8, 172.16.0.0/12, 192.168.0.0/16 or 100.64.0.0/10"
    stage = "network"
    judges_networks = True

    def judge(self, view: NetworkView) -> Iterator[Finding]:
        for vpc in view.network.vpcs.values():
            if vpc.is_default:
                continue  # AWS made it (172.31.0.0/16)
            for cidr in vpc.cidrs:
                if any(cidr.subnet_of(p) for p in PRIVATE):
                    continue
                hint = (
                    " (the private 172 block is 172.16.0.0/12)"
                    if cidr.subnet_of(IPv4Network("172.0.0.0/8"))
                    else ""
                )
                yield self.finding_on(
                    view,
                    vpc,
                    f"VPC {view.name(vpc)} uses {cidr}, which is not a private block: its "
                    f"hosts cannot reach the internet addresses it covers{hint}",
                    f"replace {cidr} with a block inside 10.0.0.0/8, 172.16.0.0/12, "
                    "192.168.0.0/16 or 100.64.0.0/10",
                    field="cidr",
                )
