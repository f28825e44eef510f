"""DescribeVpcAttribute has no batch form (one attribute of one VPC per call), so the reader
asks only for the VPCs whose DNS settings decide an answer: both sides of a peering that
allows DNS resolution from the remote VPC, and VPCs with a private-DNS interface endpoint."""

from __future__ import annotations

from typing import Any

from tests.read.helpers import Aws, caller_session, read


def test_attributes_are_read_only_for_dns_relevant_vpcs(fresh: Aws) -> None:
    ec2 = fresh.client("ec2")

    def vpc(cidr: str) -> str:
        vpc_id: str = ec2.create_vpc(CidrBlock=cidr)["Vpc"]["VpcId"]
        ec2.modify_vpc_attribute(VpcId=vpc_id, EnableDnsHostnames={"Value": True})
        return vpc_id

    a, b, lonely, plain_a, plain_b = (vpc(f"10.{i}.0.0/16") for i in range(5))
    dns_pcx = ec2.create_vpc_peering_connection(VpcId=a, PeerVpcId=b)["VpcPeeringConnection"]
    ec2.accept_vpc_peering_connection(VpcPeeringConnectionId=dns_pcx["VpcPeeringConnectionId"])
    ec2.modify_vpc_peering_connection_options(
        VpcPeeringConnectionId=dns_pcx["VpcPeeringConnectionId"],
        AccepterPeeringConnectionOptions={"AllowDnsResolutionFromRemoteVpc": True},
    )
    plain = ec2.create_vpc_peering_connection(VpcId=plain_a, PeerVpcId=plain_b)
    ec2.accept_vpc_peering_connection(
        VpcPeeringConnectionId=plain["VpcPeeringConnection"]["VpcPeeringConnectionId"]
    )

    session = caller_session()
    asked: list[str] = []

    def count(params: dict[str, Any], **_: Any) -> None:
        asked.append(params["VpcId"])

    session.events.register("provide-client-params.ec2.DescribeVpcAttribute", count)
    net = read([fresh], ["us-east-1"], session=session).network

    assert sorted(asked) == sorted([a, a, b, b])  # support and hostnames, of a and b only
    assert (net.vpcs[a].dns_hostnames, net.vpcs[b].dns_hostnames) == (True, True)
    # the others keep AWS's defaults for a VPC made through the API
    for other in (lonely, plain_a, plain_b):
        assert (net.vpcs[other].dns_support, net.vpcs[other].dns_hostnames) == (True, False)
