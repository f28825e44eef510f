"""`vpcwire check` through internet gateways, NAT gateways and gateway endpoints, end to end.

Networks are built with boto3 in the sandbox, the way terraform-aws-modules/vpc lays them
out: a public subnet routed to an internet gateway, a private subnet whose default route
goes to a NAT gateway (with an Elastic IP) in the public subnet, an S3 gateway endpoint
associated with the private route table. The sandbox, the caller and the `check` helpers
are those of test_check_sandbox.py.
"""

from __future__ import annotations

from dataclasses import dataclass

import pytest

from tests.integration.check_world import Region, Vpc, permission
from tests.integration.test_check_sandbox import (  # noqa: F401  (fixtures)
    Estate,
    _caller,
    assert_blocked,
    assert_reachable,
    models,
    nobody,
    url,
)
from tests.read.helpers import Aws

# one worker builds the module's sandbox and worlds once (README: Development)
pytestmark = [pytest.mark.integration, pytest.mark.xdist_group("check_gateways")]


@dataclass(frozen=True)
class Edge:
    """VPC ``edge``: ``web`` (Elastic IP) and ``noip`` in the public subnet, ``worker`` in
    the private one; VPC ``far`` (``db``) is connected to nothing; VPC ``peer`` (``visitor``)
    is peered with edge and sends everything over the peering."""

    edge: Vpc
    igw: str
    nat: str
    private_rt: str
    public_rt: str
    s3_endpoint: str
    pcx: str
    no_ip_eni: str
    out_sg: str
    web_public: str
    nat_public: str


def _nat_gateway(r: Region, subnet: str) -> str:
    eip = r.ec2.allocate_address(Domain="vpc")["AllocationId"]
    made = r.ec2.create_nat_gateway(SubnetId=subnet, AllocationId=eip)
    return str(made["NatGateway"]["NatGatewayId"])


def _eni_of(r: Region, instance: str) -> str:
    found = r.ec2.describe_instances(InstanceIds=[instance])["Reservations"][0]["Instances"][0]
    return str(found["NetworkInterfaces"][0]["NetworkInterfaceId"])


def edge_world(r: Region) -> Edge:
    edge = r.vpc("edge", "10.50.0.0/16")
    pub = r.subnet(edge, "10.50.0.0/24", "edge-public")
    priv = r.subnet(edge, "10.50.1.0/24", "edge-private")
    igw = r.internet_gateway(edge, "edge-igw")
    public_rt = r.route_table(edge, "edge-public", pub)
    r.route(public_rt, "0.0.0.0/0", gateway=igw)
    nat = _nat_gateway(r, pub)
    private_rt = r.route_table(edge, "edge-private", priv)
    r.ec2.create_route(RouteTableId=private_rt, DestinationCidrBlock="0.0.0.0/0", NatGatewayId=nat)
    s3 = r.ec2.create_vpc_endpoint(
        VpcId=edge.id,
        ServiceName=f"com.amazonaws.{r.region}.s3",
        VpcEndpointType="Gateway",
        RouteTableIds=[private_rt],
    )["VpcEndpoint"]["VpcEndpointId"]
    out = r.security_group(edge, "edge-out")
    web = r.instance(pub, "web", "10.50.0.10", out)
    eip = r.ec2.allocate_address(Domain="vpc")["AllocationId"]
    r.ec2.associate_address(AllocationId=eip, InstanceId=web)
    noip = r.instance(pub, "noip", "10.50.0.11", out)
    r.instance(priv, "worker", "10.50.1.10", out)

    far = r.vpc("far", "10.60.0.0/16")
    db = r.security_group(far, "db", [permission(5432, cidr="10.0.0.0/8")])
    r.instance(r.subnet(far, "10.60.1.0/24", "far1"), "db", "10.60.1.10", db)

    peer = r.vpc("peer", "10.70.0.0/16")
    visitor = r.security_group(peer, "visitor")
    r.instance(r.subnet(peer, "10.70.1.0/24", "peer1"), "visitor", "10.70.1.10", visitor)
    pcx = r.peer(peer, edge, "peer-edge")
    r.route(peer.main_rt, "0.0.0.0/0", pcx=pcx)
    r.route(private_rt, "10.70.0.0/16", pcx=pcx)
    r.route(public_rt, "10.70.0.0/16", pcx=pcx)
    web_public = r.ec2.describe_addresses(AllocationIds=[eip])["Addresses"][0]["PublicIp"]
    nat_public = r.ec2.describe_nat_gateways(NatGatewayIds=[nat])["NatGateways"][0][
        "NatGatewayAddresses"
    ][0]["PublicIp"]
    return Edge(
        edge,
        igw,
        nat,
        private_rt,
        public_rt,
        s3,
        pcx,
        _eni_of(r, noip),
        out,
        str(web_public),
        str(nat_public),
    )


@pytest.fixture(scope="module")
def gateways(url: str) -> tuple[Estate, Edge]:  # noqa: F811
    aws = Aws.new(url)
    return Estate(url, (aws,)), edge_world(Region(aws))


def test_an_instance_with_an_elastic_ip_reaches_the_internet_through_its_gateway(
    gateways: tuple[Estate, Edge],
) -> None:
    estate, _ = gateways
    verdict = estate.check("web", "8.8.8.8", 443)
    assert_reachable(verdict)
    assert "internet gateway" in verdict.hop_kinds
    assert "NAT gateway" not in verdict.hop_kinds


def test_an_instance_without_a_public_address_is_not_carried(
    gateways: tuple[Estate, Edge],
) -> None:
    estate, w = gateways
    assert_blocked(
        estate.check("noip", "internet", 443),
        ["NO_PUBLIC_IP"],
        at=w.no_ip_eni,
        fix=f"associate an Elastic IP with {w.no_ip_eni}",
    )


def test_a_private_instance_reaches_the_internet_through_the_nat_gateway(
    gateways: tuple[Estate, Edge],
) -> None:
    estate, _ = gateways
    for destination in ("8.8.8.8", "internet", "dynamodb"):
        verdict = estate.check("worker", destination, 443)
        assert_reachable(verdict)
        assert "NAT gateway" in verdict.hop_kinds and "internet gateway" in verdict.hop_kinds


def test_private_to_private_through_the_nat_default_route_is_dropped(
    gateways: tuple[Estate, Edge],
) -> None:
    """terraform-aws-modules' 0.0.0.0/0 -> NAT: a definite UNREACHABLE, not UNKNOWN."""
    estate, w = gateways
    for destination in ("db", "10.60.1.10"):
        verdict = estate.check("worker", destination, 5432)
        assert verdict.data["disposition"] == "UNREACHABLE", verdict
        assert "PRIVATE_VIA_GATEWAY" in verdict.reasons
        block = assert_blocked(
            verdict,
            verdict.reasons,
            at=w.private_rt,
            fix=f"peer {w.edge.id} with",
            reason="PRIVATE_VIA_GATEWAY",
        )
        assert w.nat in block.detail and w.igw in block.detail


def test_s3_goes_through_the_gateway_endpoint_only_from_associated_tables(
    gateways: tuple[Estate, Edge],
) -> None:
    estate, _ = gateways
    worker = estate.check("worker", "s3", 443)
    assert_reachable(worker)
    assert "gateway endpoint" in worker.hop_kinds and "NAT gateway" not in worker.hop_kinds
    web = estate.check("web", "s3", 443)
    assert_reachable(web)  # over the internet: its table is not associated
    assert "gateway endpoint" not in web.hop_kinds and "internet gateway" in web.hop_kinds


def test_a_peer_never_uses_the_gateway_endpoint_or_the_nat_gateway(
    gateways: tuple[Estate, Edge],
) -> None:
    estate, w = gateways
    for destination in ("s3", "8.8.8.8"):
        assert_blocked(
            estate.check("visitor", destination, 443),
            ["EDGE_TO_EDGE"],
            at=w.pcx,
            fix="give",
        )


def test_an_elastic_ip_is_reached_from_a_private_subnet_through_both_gateways(
    gateways: tuple[Estate, Edge],
) -> None:
    """worker -> web's Elastic IP: web's group admits nothing, and the fix names the NAT
    gateway's public address, which is what web sees as the source."""
    estate, w = gateways
    verdict = estate.check("worker", w.web_public, 443)
    assert_blocked(
        verdict,
        ["SG_INGRESS_DENIED"],
        at=w.out_sg,
        fix=f"allow tcp/443 from {w.nat_public}/32 in {w.out_sg}",
    )
    assert verdict.hop_kinds.count("internet gateway") >= 2


def test_an_address_no_route_carries_is_a_usage_error(gateways: tuple[Estate, Edge]) -> None:
    estate, _ = gateways
    answer = estate.run(*estate.args("worker", "169.254.169.254", 80))
    assert answer.exit_code == 2, answer.stdout + answer.stderr
    assert "link-local" in answer.stdout + answer.stderr
