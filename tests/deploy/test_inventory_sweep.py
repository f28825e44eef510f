"""Inventory by tag and the sweep, on the in-process sandbox: every kind vpcwire creates,
tangled as a real stack is, is found in each account and region and removed in order."""

from __future__ import annotations

from tests.deploy.conftest import ACCOUNT_B, Clients
from vpcwire.deploy.inventory import KINDS, Place, read_tagged
from vpcwire.deploy.sweep import sweep

STACK = "swept"


def _tags(kind: str, name: str, stack: str = STACK) -> list[dict[str, object]]:
    return [
        {
            "ResourceType": kind,
            "Tags": [{"Key": "vpcwire:stack", "Value": stack}, {"Key": "Name", "Value": name}],
        }
    ]


def _build(aws: Clients, account: str | None, region: str, prefix: str) -> set[str]:
    """A VPC with what vpcwire puts in one, all tagged; returns the kinds made."""
    session = aws(account, region)
    ec2, elb = session.client("ec2"), session.client("elbv2")
    vpc = ec2.create_vpc(CidrBlock="10.7.0.0/16", TagSpecifications=_tags("vpc", prefix))["Vpc"]
    v = vpc["VpcId"]
    subnet = ec2.create_subnet(
        VpcId=v, CidrBlock="10.7.1.0/24", TagSpecifications=_tags("subnet", f"{prefix}_s")
    )["Subnet"]["SubnetId"]
    table = ec2.create_route_table(VpcId=v, TagSpecifications=_tags("route-table", f"{prefix}_rt"))
    ec2.associate_route_table(RouteTableId=table["RouteTable"]["RouteTableId"], SubnetId=subnet)
    acl = ec2.create_network_acl(VpcId=v, TagSpecifications=_tags("network-acl", f"{prefix}_acl"))
    assert acl["NetworkAcl"]["NetworkAclId"]
    igw = ec2.create_internet_gateway(TagSpecifications=_tags("internet-gateway", f"{prefix}_igw"))[
        "InternetGateway"
    ]["InternetGatewayId"]
    ec2.attach_internet_gateway(InternetGatewayId=igw, VpcId=v)
    ec2.create_route(  # untaggable: found as a route of the stack's VPC
        RouteTableId=table["RouteTable"]["RouteTableId"],
        DestinationCidrBlock="0.0.0.0/0",
        GatewayId=igw,
    )
    one = ec2.create_security_group(
        VpcId=v, GroupName="one", Description="x", TagSpecifications=_tags("security-group", "one")
    )["GroupId"]
    two = ec2.create_security_group(
        VpcId=v, GroupName="two", Description="x", TagSpecifications=_tags("security-group", "two")
    )["GroupId"]
    for group, other in ((one, two), (two, one)):  # each references the other
        ec2.authorize_security_group_ingress(
            GroupId=group,
            IpPermissions=[
                {
                    "IpProtocol": "tcp",
                    "FromPort": 22,
                    "ToPort": 22,
                    "UserIdGroupPairs": [{"GroupId": other}],
                }
            ],
            TagSpecifications=_tags("security-group-rule", f"{prefix}_rule"),
        )
    ec2.run_instances(
        ImageId="ami-12c6146b",
        MinCount=1,
        MaxCount=1,
        SubnetId=subnet,
        SecurityGroupIds=[one],
        TagSpecifications=_tags("instance", f"{prefix}_i"),
    )
    lb = elb.create_load_balancer(
        Name=f"{prefix}-nlb",
        Subnets=[subnet],
        Type="network",
        Scheme="internal",
        Tags=[{"Key": "vpcwire:stack", "Value": STACK}],
    )["LoadBalancers"][0]["LoadBalancerArn"]
    elb.create_target_group(
        Name=f"{prefix}-tg",
        Protocol="TCP",
        Port=80,
        VpcId=v,
        TargetType="ip",
        Tags=[{"Key": "vpcwire:stack", "Value": STACK}],
    )
    ec2.create_vpc_endpoint_service_configuration(
        NetworkLoadBalancerArns=[lb],
        AcceptanceRequired=False,
        TagSpecifications=_tags("vpc-endpoint-service", f"{prefix}_svc"),
    )
    # an untagged VPC of someone else, and one of another stack: never touched
    ec2.create_vpc(CidrBlock="10.8.0.0/16")
    ec2.create_vpc(CidrBlock="10.9.0.0/16", TagSpecifications=_tags("vpc", "x", stack="other"))
    return {
        "vpc",
        "route",
        "subnet",
        "route_table",
        "network_acl",
        "internet_gateway",
        "security_group",
        "ingress_rule",
        "instance",
        "load_balancer",
        "target_group",
        "endpoint_service",
    }


def test_every_kind_is_found_in_each_account_and_region_and_swept_in_order(aws: Clients) -> None:
    kinds = _build(aws, None, "us-east-1", "a") | _build(aws, ACCOUNT_B, "eu-west-1", "b")
    places = [
        Place(s.account_id, s.region, s.client)
        for s in (aws(None, "us-east-1"), aws(ACCOUNT_B, "eu-west-1"))
    ]
    found = read_tagged(places, STACK)
    assert {t.kind for t in found} == kinds
    assert {t.account for t in found} == {places[0].account, ACCOUNT_B}
    assert KINDS[found[0].kind] == "aws_instance"  # dependents first
    assert found[-1].kind == "vpc"
    assert all(t.id for t in found) and "a" in {t.name for t in found}

    failures = sweep(found, places)
    assert failures == []
    assert read_tagged(places, STACK) == []
    assert read_tagged(places, "other") != []  # another stack's resources are untouched
