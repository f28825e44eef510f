"""Each sandbox patch makes moto answer like AWS; each `test_aws_*` test fails on plain moto.

The `test_aws_*` tests assert AWS's behaviour through boto3 against the session sandbox.
`test_every_aws_test_fails_on_plain_moto` reruns them against unpatched moto in a
subprocess and requires every one to fail, so none of them can pass vacuously.
"""

from __future__ import annotations

import inspect
import ipaddress
import itertools
import re
import subprocess
import sys
import xml.etree.ElementTree as ET
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

import pytest
from botocore.exceptions import ClientError

from tests.sandbox import test_transit_gateway_patches
from vpcwire.errors import SandboxError
from vpcwire.sandbox import patches as sandbox_patches
from vpcwire.sandbox.clients import SandboxSession
from vpcwire.sandbox.patches import (
    PATCHES,
    PEERING_FAILED_MESSAGE,
    PINNED_MOTO_VERSION,
    apply_patches,
    check_moto_version,
)
from vpcwire.sandbox.server import Sandbox

Clients = Callable[..., SandboxSession]  # the `aws` fixture: aws(account=None, region=...)

ROOT = Path(__file__).resolve().parents[2]
AMI = "ami-12c6146b"  # one of moto's built-in images
ACCOUNT_B = "222222222222"
_names = itertools.count()

# Which tests cover which patch (docs/sandbox.md carries the same table).
PATCH_TESTS = {
    "security_group_rule_descriptions": [
        "test_aws_rule_descriptions_survive_for_group_and_prefix_list_peers"
    ],
    "instance_security_groups": ["test_aws_instance_reports_its_network_interface_groups"],
    "instance_addresses_released_on_termination": [
        "test_aws_terminated_instance_frees_its_fixed_address"
    ],
    "instance_user_data_update": ["test_aws_user_data_can_be_modified"],
    "endpoint_network_interfaces": [
        "test_aws_endpoint_enis_sit_in_their_subnets_with_the_endpoint_groups",
        "test_aws_endpoint_without_groups_uses_the_vpc_default_group",
        "test_aws_endpoint_subnet_changes_add_and_remove_enis",
    ],
    "nat_gateway_network_interfaces": [
        "test_aws_nat_gateway_eni_is_in_its_subnet",
        "test_aws_nat_gateway_deletion_removes_its_eni_and_frees_the_eip",
    ],
    "network_load_balancers": [
        "test_aws_nlb_arn_says_net",
        "test_aws_nlb_has_a_node_eni_per_subnet",
        "test_aws_nlb_mapping_outside_its_subnet_is_refused",
        "test_aws_nlb_deletion_removes_its_enis",
    ],
    "load_balancer_ip_targets": [
        "test_aws_ip_target_outside_the_vpc_needs_zone_all",
        "test_aws_ip_target_inside_the_vpc_cannot_use_zone_all",
    ],
    "network_acl_implicit_deny": ["test_aws_custom_network_acl_ends_with_implicit_deny"],
    "peering_overlap_fails": [
        "test_aws_peering_between_overlapping_vpcs_fails",
        "test_aws_peering_overlapping_a_secondary_block_fails",
    ],
    "endpoint_service_permission_ids": ["test_aws_allowed_principals_carry_permission_ids"],
    "endpoint_service_region": ["test_aws_cross_region_endpoint_keeps_its_service_region"],
    "endpoint_service_access": [
        "test_aws_endpoint_to_an_unknown_service_is_refused",
        "test_aws_endpoint_needs_an_allowed_principal",
        "test_aws_cross_region_endpoint_needs_a_supported_region",
        "test_aws_endpoint_waits_for_acceptance",
    ],
    "endpoint_connections_api": [
        "test_aws_owner_sees_accepts_and_rejects_endpoint_connections",
    ],
    "subnet_zone_in_region": [
        "test_aws_subnet_in_another_regions_zone_is_refused",
        "test_aws_subnet_in_another_regions_zone_id_is_refused",
    ],
    "endpoint_dns_names": ["test_aws_endpoint_dns_name_has_the_aws_shape"],
    "route_inside_vpc_refused": [
        "test_aws_route_inside_the_vpc_cannot_go_to_a_peering_or_gateway",
        "test_aws_replace_route_inside_the_vpc_cannot_go_to_a_peering_or_gateway",
    ],
    **test_transit_gateway_patches.TGW_PATCH_TESTS,  # their tests live in that module
}


# --------------------------------------------------------------------------- builders


def make_vpc(ec2: Any, cidr: str, subnets: dict[str, str]) -> tuple[str, list[str]]:
    """A VPC with a subnet per {cidr: availability zone}; returns (vpc id, subnet ids)."""
    vpc_id: str = ec2.create_vpc(CidrBlock=cidr)["Vpc"]["VpcId"]
    subnet_ids = [
        ec2.create_subnet(VpcId=vpc_id, CidrBlock=block, AvailabilityZone=zone)["Subnet"][
            "SubnetId"
        ]
        for block, zone in subnets.items()
    ]
    return vpc_id, subnet_ids


def make_group(ec2: Any, vpc_id: str, name: str) -> str:
    group_id: str = ec2.create_security_group(GroupName=name, Description=name, VpcId=vpc_id)[
        "GroupId"
    ]
    return group_id


def eni(ec2: Any, eni_id: str) -> dict[str, Any]:
    found: dict[str, Any] = ec2.describe_network_interfaces(NetworkInterfaceIds=[eni_id])[
        "NetworkInterfaces"
    ][0]
    return found


def subnet_cidr(ec2: Any, subnet_id: str) -> ipaddress.IPv4Network:
    cidr = ec2.describe_subnets(SubnetIds=[subnet_id])["Subnets"][0]["CidrBlock"]
    return ipaddress.IPv4Network(cidr)


def make_nlb(elbv2: Any, name: str, subnet_ids: list[str], **extra: Any) -> dict[str, Any]:
    balancer: dict[str, Any] = elbv2.create_load_balancer(
        Name=name, Type="network", Scheme="internal", Subnets=subnet_ids, **extra
    )["LoadBalancers"][0]
    return balancer


def make_service(
    aws: Clients,
    *,
    acceptance: bool = False,
    principals: Sequence[str] = (),
    regions: Sequence[str] = (),
) -> dict[str, Any]:
    """A PrivateLink service in moto's default account, us-east-1, behind a fresh NLB."""
    a = aws()
    ec2, elbv2 = a.client("ec2"), a.client("elbv2")
    _, subnets = make_vpc(ec2, "10.50.0.0/16", {"10.50.1.0/24": "us-east-1a"})
    balancer = make_nlb(elbv2, f"svc-{next(_names)}", subnets)
    service: dict[str, Any] = ec2.create_vpc_endpoint_service_configuration(
        NetworkLoadBalancerArns=[balancer["LoadBalancerArn"]],
        AcceptanceRequired=acceptance,
        SupportedRegions=list(regions),
    )["ServiceConfiguration"]
    if principals:
        ec2.modify_vpc_endpoint_service_permissions(
            ServiceId=service["ServiceId"], AddAllowedPrincipals=list(principals)
        )
    return service


def consumer(
    aws: Clients, account: str | None = None, region: str = "us-east-1"
) -> tuple[Any, str, str]:
    """(ec2 client, vpc id, subnet id) of a consumer VPC in that account and region."""
    ec2 = aws(account, region).client("ec2")
    vpc_id, subnets = make_vpc(ec2, "10.60.0.0/16", {"10.60.1.0/24": f"{region}a"})
    return ec2, vpc_id, subnets[0]


def interface_endpoint(
    ec2: Any, vpc_id: str, subnet_id: str, service: dict[str, Any], **extra: Any
) -> dict[str, Any]:
    endpoint: dict[str, Any] = ec2.create_vpc_endpoint(
        VpcId=vpc_id,
        VpcEndpointType="Interface",
        ServiceName=service["ServiceName"],
        SubnetIds=[subnet_id],
        **extra,
    )["VpcEndpoint"]
    return endpoint


# --------------------------------------------------------------------------- a. instances


def test_aws_instance_reports_its_network_interface_groups(aws: Clients) -> None:
    ec2 = aws().client("ec2")
    vpc_id, (subnet,) = make_vpc(ec2, "10.1.0.0/16", {"10.1.1.0/24": "us-east-1a"})
    app, other = make_group(ec2, vpc_id, "app"), make_group(ec2, vpc_id, "other")
    # The provider's request for aws_instance with private_ip and vpc_security_group_ids:
    launched = ec2.run_instances(
        ImageId=AMI,
        MinCount=1,
        MaxCount=1,
        NetworkInterfaces=[
            {"DeviceIndex": 0, "SubnetId": subnet, "PrivateIpAddress": "10.1.1.10", "Groups": [app]}
        ],
    )["Instances"][0]

    def instance_groups() -> list[str]:
        found = ec2.describe_instances(InstanceIds=[launched["InstanceId"]])["Reservations"][0][
            "Instances"
        ][0]
        return [group["GroupId"] for group in found["SecurityGroups"]]

    assert instance_groups() == [app]
    primary = launched["NetworkInterfaces"][0]["NetworkInterfaceId"]
    ec2.modify_network_interface_attribute(NetworkInterfaceId=primary, Groups=[other])
    assert instance_groups() == [other]


def test_aws_terminated_instance_frees_its_fixed_address(aws: Clients) -> None:
    ec2 = aws().client("ec2")
    _, (subnet,) = make_vpc(ec2, "10.2.0.0/16", {"10.2.1.0/24": "us-east-1a"})
    first = ec2.run_instances(
        ImageId=AMI, MinCount=1, MaxCount=1, SubnetId=subnet, PrivateIpAddress="10.2.1.10"
    )
    first_eni = first["Instances"][0]["NetworkInterfaces"][0]["NetworkInterfaceId"]
    ec2.terminate_instances(InstanceIds=[first["Instances"][0]["InstanceId"]])

    # Replacing an instance with a fixed private_ip (what terraform does) must work.
    second = ec2.run_instances(
        ImageId=AMI, MinCount=1, MaxCount=1, SubnetId=subnet, PrivateIpAddress="10.2.1.10"
    )
    assert second["Instances"][0]["PrivateIpAddress"] == "10.2.1.10"
    remaining = ec2.describe_network_interfaces(Filters=[{"Name": "subnet-id", "Values": [subnet]}])
    assert first_eni not in [e["NetworkInterfaceId"] for e in remaining["NetworkInterfaces"]]


def test_aws_user_data_can_be_modified(aws: Clients) -> None:
    ec2 = aws().client("ec2")
    instance = ec2.run_instances(
        ImageId=AMI, MinCount=1, MaxCount=1, UserData="#!/bin/sh\necho one\n"
    )
    instance_id = instance["Instances"][0]["InstanceId"]
    ec2.stop_instances(InstanceIds=[instance_id])
    ec2.modify_instance_attribute(
        InstanceId=instance_id, UserData={"Value": b"#!/bin/sh\necho two\n"}
    )
    stored = ec2.describe_instance_attribute(InstanceId=instance_id, Attribute="userData")
    assert (
        stored["UserData"]["Value"] == "IyEvYmluL3NoCmVjaG8gdHdvCg=="
    )  # base64 of the script, once


# --------------------------------------------------------------------------- c. managed ENIs


def test_aws_endpoint_enis_sit_in_their_subnets_with_the_endpoint_groups(aws: Clients) -> None:
    service = make_service(aws)
    ec2, vpc_id, first = consumer(aws)
    second = ec2.create_subnet(
        VpcId=vpc_id, CidrBlock="10.60.2.0/24", AvailabilityZone="us-east-1b"
    )["Subnet"]["SubnetId"]
    group = make_group(ec2, vpc_id, "endpoint")
    endpoint = ec2.create_vpc_endpoint(
        VpcId=vpc_id,
        VpcEndpointType="Interface",
        ServiceName=service["ServiceName"],
        SubnetIds=[first, second],
        SecurityGroupIds=[group],
    )["VpcEndpoint"]

    enis = [eni(ec2, eni_id) for eni_id in endpoint["NetworkInterfaceIds"]]
    assert sorted(e["SubnetId"] for e in enis) == sorted([first, second])
    for found in enis:
        address = ipaddress.IPv4Address(found["PrivateIpAddress"])
        assert address in subnet_cidr(ec2, found["SubnetId"])
        assert [g["GroupId"] for g in found["Groups"]] == [group]
        assert found["InterfaceType"] == "vpc_endpoint"
        assert found["Description"] == f"VPC Endpoint Interface {endpoint['VpcEndpointId']}"
        assert found["RequesterManaged"] is True
        assert found["Status"] == "in-use"


def test_aws_endpoint_without_groups_uses_the_vpc_default_group(aws: Clients) -> None:
    service = make_service(aws)
    ec2, vpc_id, subnet = consumer(aws)
    default = ec2.describe_security_groups(
        Filters=[
            {"Name": "vpc-id", "Values": [vpc_id]},
            {"Name": "group-name", "Values": ["default"]},
        ]
    )["SecurityGroups"][0]["GroupId"]
    endpoint = interface_endpoint(ec2, vpc_id, subnet, service)
    assert [g["GroupId"] for g in endpoint["Groups"]] == [default]
    assert [g["GroupId"] for g in eni(ec2, endpoint["NetworkInterfaceIds"][0])["Groups"]] == [
        default
    ]


def test_aws_endpoint_subnet_changes_add_and_remove_enis(aws: Clients) -> None:
    service = make_service(aws)
    ec2, vpc_id, first = consumer(aws)
    second = ec2.create_subnet(
        VpcId=vpc_id, CidrBlock="10.60.2.0/24", AvailabilityZone="us-east-1b"
    )["Subnet"]["SubnetId"]
    endpoint_id = interface_endpoint(ec2, vpc_id, first, service)["VpcEndpointId"]

    def endpoint_enis() -> list[dict[str, Any]]:
        described = ec2.describe_vpc_endpoints(VpcEndpointIds=[endpoint_id])["VpcEndpoints"][0]
        return [eni(ec2, eni_id) for eni_id in described["NetworkInterfaceIds"]]

    ec2.modify_vpc_endpoint(VpcEndpointId=endpoint_id, AddSubnetIds=[second])
    assert sorted(e["SubnetId"] for e in endpoint_enis()) == sorted([first, second])
    ec2.modify_vpc_endpoint(VpcEndpointId=endpoint_id, RemoveSubnetIds=[first])
    assert [e["SubnetId"] for e in endpoint_enis()] == [second]

    ec2.delete_vpc_endpoints(VpcEndpointIds=[endpoint_id])
    left = ec2.describe_network_interfaces(Filters=[{"Name": "vpc-id", "Values": [vpc_id]}])
    assert left["NetworkInterfaces"] == []


def test_aws_nat_gateway_eni_is_in_its_subnet(aws: Clients) -> None:
    ec2 = aws().client("ec2")
    _, (subnet,) = make_vpc(ec2, "10.3.0.0/16", {"10.3.0.0/24": "us-east-1a"})
    allocation = ec2.allocate_address(Domain="vpc")["AllocationId"]
    gateway = ec2.create_nat_gateway(SubnetId=subnet, AllocationId=allocation)["NatGateway"]
    address = gateway["NatGatewayAddresses"][0]
    found = eni(ec2, address["NetworkInterfaceId"])
    assert ipaddress.IPv4Address(found["PrivateIpAddress"]) in subnet_cidr(ec2, subnet)
    assert address["PrivateIp"] == found["PrivateIpAddress"]
    assert found["InterfaceType"] == "nat_gateway"
    assert found["Description"] == f"Interface for NAT Gateway {gateway['NatGatewayId']}"
    assert found["Groups"] == []
    assert found["RequesterManaged"] is True


def test_aws_nat_gateway_deletion_removes_its_eni_and_frees_the_eip(aws: Clients) -> None:
    ec2 = aws().client("ec2")
    _, (subnet,) = make_vpc(ec2, "10.4.0.0/16", {"10.4.0.0/24": "us-east-1a"})
    allocation = ec2.allocate_address(Domain="vpc")["AllocationId"]
    gateway = ec2.create_nat_gateway(SubnetId=subnet, AllocationId=allocation)["NatGateway"]
    ec2.delete_nat_gateway(NatGatewayId=gateway["NatGatewayId"])
    left = ec2.describe_network_interfaces(Filters=[{"Name": "subnet-id", "Values": [subnet]}])
    assert left["NetworkInterfaces"] == []
    eip = ec2.describe_addresses(AllocationIds=[allocation])["Addresses"][0]
    assert not eip.get("AssociationId") and not eip.get("NetworkInterfaceId")


# --------------------------------------------------------------------------- d. NLBs


def test_aws_nlb_arn_says_net(aws: Clients) -> None:
    a = aws()
    _, subnets = make_vpc(a.client("ec2"), "10.5.0.0/16", {"10.5.1.0/24": "us-east-1a"})
    elbv2 = a.client("elbv2")
    balancer = make_nlb(elbv2, "arn-check", subnets, Tags=[{"Key": "Name", "Value": "arn-check"}])
    arn = balancer["LoadBalancerArn"]
    assert ":loadbalancer/net/arn-check/" in arn
    assert (
        elbv2.describe_load_balancers(LoadBalancerArns=[arn])["LoadBalancers"][0]["Type"]
        == "network"
    )
    tags = elbv2.describe_tags(ResourceArns=[arn])["TagDescriptions"][0]["Tags"]
    assert tags == [{"Key": "Name", "Value": "arn-check"}]
    listener = elbv2.create_listener(
        LoadBalancerArn=arn, Protocol="TCP", Port=80, DefaultActions=[]
    )
    assert ":listener/net/arn-check/" in listener["Listeners"][0]["ListenerArn"]


def test_aws_nlb_has_a_node_eni_per_subnet(aws: Clients) -> None:
    a = aws()
    ec2 = a.client("ec2")
    vpc_id, (first, second) = make_vpc(
        ec2, "10.6.0.0/16", {"10.6.1.0/24": "us-east-1a", "10.6.2.0/24": "us-east-1b"}
    )
    balancer = a.client("elbv2").create_load_balancer(
        Name="nodes",
        Type="network",
        Scheme="internal",
        SubnetMappings=[
            {"SubnetId": first, "PrivateIPv4Address": "10.6.1.100"},
            {"SubnetId": second},
        ],
    )["LoadBalancers"][0]
    suffix = balancer["LoadBalancerArn"].split(":loadbalancer/")[1]
    nodes = ec2.describe_network_interfaces(
        Filters=[{"Name": "description", "Values": [f"ELB {suffix}"]}]
    )["NetworkInterfaces"]
    by_subnet = {node["SubnetId"]: node for node in nodes}
    assert sorted(by_subnet) == sorted([first, second])
    assert by_subnet[first]["PrivateIpAddress"] == "10.6.1.100"
    assert ipaddress.IPv4Address(by_subnet[second]["PrivateIpAddress"]) in ipaddress.IPv4Network(
        "10.6.2.0/24"
    )
    assert {node["InterfaceType"] for node in nodes} == {"network_load_balancer"}
    assert all(node["RequesterManaged"] and node["VpcId"] == vpc_id for node in nodes)
    zones = {zone["SubnetId"]: zone for zone in balancer["AvailabilityZones"]}
    assert zones[first]["LoadBalancerAddresses"] == [{"PrivateIPv4Address": "10.6.1.100"}]


def test_aws_nlb_mapping_outside_its_subnet_is_refused(aws: Clients) -> None:
    a = aws()
    _, (subnet,) = make_vpc(a.client("ec2"), "10.7.0.0/16", {"10.7.1.0/24": "us-east-1a"})
    with pytest.raises(ClientError) as raised:
        a.client("elbv2").create_load_balancer(
            Name="outside",
            Type="network",
            Scheme="internal",
            SubnetMappings=[{"SubnetId": subnet, "PrivateIPv4Address": "10.7.9.9"}],
        )
    assert raised.value.response["Error"]["Code"] == "InvalidConfigurationRequest"


def test_aws_nlb_deletion_removes_its_enis(aws: Clients) -> None:
    a = aws()
    ec2, elbv2 = a.client("ec2"), a.client("elbv2")
    vpc_id, subnets = make_vpc(ec2, "10.8.0.0/16", {"10.8.1.0/24": "us-east-1a"})
    balancer = make_nlb(elbv2, "gone", subnets)
    in_vpc = [{"Name": "vpc-id", "Values": [vpc_id]}]
    assert len(ec2.describe_network_interfaces(Filters=in_vpc)["NetworkInterfaces"]) == 1
    elbv2.delete_load_balancer(LoadBalancerArn=balancer["LoadBalancerArn"])
    assert ec2.describe_network_interfaces(Filters=in_vpc)["NetworkInterfaces"] == []


def test_application_load_balancer_is_left_alone(aws: Clients) -> None:
    a = aws()
    ec2 = a.client("ec2")
    _, subnets = make_vpc(
        ec2, "10.9.0.0/16", {"10.9.1.0/24": "us-east-1a", "10.9.2.0/24": "us-east-1b"}
    )
    balancer = a.client("elbv2").create_load_balancer(
        Name="web", Type="application", Subnets=subnets
    )
    assert ":loadbalancer/app/web/" in balancer["LoadBalancers"][0]["LoadBalancerArn"]


def ip_target_group(aws: Clients, cidr: str) -> tuple[Any, str]:
    """(elbv2 client, target group ARN) of an `ip` target group in a VPC with one subnet."""
    a = aws()
    vpc_id, _ = make_vpc(a.client("ec2"), cidr, {cidr.replace("0.0/16", "1.0/24"): "us-east-1a"})
    elbv2 = a.client("elbv2")
    arn: str = elbv2.create_target_group(
        Name=f"ip-{next(_names)}", Protocol="TCP", Port=8080, VpcId=vpc_id, TargetType="ip"
    )["TargetGroups"][0]["TargetGroupArn"]
    return elbv2, arn


def registration_error(elbv2: Any, arn: str, target: dict[str, Any]) -> str:
    with pytest.raises(ClientError) as raised:
        elbv2.register_targets(TargetGroupArn=arn, Targets=[target])
    return str(raised.value.response["Error"]["Code"])


def test_aws_ip_target_outside_the_vpc_needs_zone_all(aws: Clients) -> None:
    elbv2, arn = ip_target_group(aws, "10.16.0.0/16")
    peer = "10.17.1.10"  # e.g. an instance in a peered VPC, as in the outpost pattern
    assert registration_error(elbv2, arn, {"Id": peer, "Port": 8080}) == "ValidationError"
    assert (
        registration_error(elbv2, arn, {"Id": "8.8.8.8", "AvailabilityZone": "all"})
        == "ValidationError"
    )
    elbv2.register_targets(
        TargetGroupArn=arn, Targets=[{"Id": peer, "Port": 8080, "AvailabilityZone": "all"}]
    )
    (health,) = elbv2.describe_target_health(TargetGroupArn=arn)["TargetHealthDescriptions"]
    assert health["Target"] == {"Id": peer, "Port": 8080, "AvailabilityZone": "all"}


def test_aws_ip_target_inside_the_vpc_cannot_use_zone_all(aws: Clients) -> None:
    elbv2, arn = ip_target_group(aws, "10.18.0.0/16")
    assert (
        registration_error(elbv2, arn, {"Id": "10.18.1.10", "AvailabilityZone": "all"})
        == "ValidationError"
    )
    elbv2.register_targets(TargetGroupArn=arn, Targets=[{"Id": "10.18.1.10"}])


# --------------------------------------------------------------------------- f. network ACLs


def test_aws_custom_network_acl_ends_with_implicit_deny(aws: Clients) -> None:
    ec2 = aws().client("ec2")
    vpc_id, _ = make_vpc(ec2, "10.10.0.0/16", {})
    acl = ec2.create_network_acl(VpcId=vpc_id)["NetworkAcl"]
    entries = ec2.describe_network_acls(NetworkAclIds=[acl["NetworkAclId"]])["NetworkAcls"][0][
        "Entries"
    ]
    assert sorted(
        (e["RuleNumber"], e["Egress"], e["RuleAction"], e["CidrBlock"]) for e in entries
    ) == [
        (32767, False, "deny", "0.0.0.0/0"),
        (32767, True, "deny", "0.0.0.0/0"),
    ]


def test_default_network_acl_keeps_one_deny_per_direction(aws: Clients) -> None:
    ec2 = aws().client("ec2")
    vpc_id, _ = make_vpc(ec2, "10.11.0.0/16", {})
    acls = ec2.describe_network_acls(Filters=[{"Name": "vpc-id", "Values": [vpc_id]}])[
        "NetworkAcls"
    ]
    (default,) = [acl for acl in acls if acl["IsDefault"]]
    denies = [e for e in default["Entries"] if e["RuleNumber"] == 32767]
    assert sorted(e["Egress"] for e in denies) == [False, True]


# --------------------------------------------------------------------------- h. peering


def peering_status(ec2: Any, peering_id: str) -> dict[str, str]:
    found = ec2.describe_vpc_peering_connections(VpcPeeringConnectionIds=[peering_id])
    status: dict[str, str] = found["VpcPeeringConnections"][0]["Status"]
    return status


def test_aws_peering_between_overlapping_vpcs_fails(aws: Clients) -> None:
    east, west = aws().client("ec2"), aws(ACCOUNT_B, "us-west-2").client("ec2")
    mine = east.create_vpc(CidrBlock="10.12.0.0/16")["Vpc"]["VpcId"]
    theirs = west.create_vpc(CidrBlock="10.12.128.0/17")["Vpc"]["VpcId"]
    peering = east.create_vpc_peering_connection(
        VpcId=mine, PeerVpcId=theirs, PeerOwnerId=ACCOUNT_B, PeerRegion="us-west-2"
    )["VpcPeeringConnection"]["VpcPeeringConnectionId"]
    assert peering_status(east, peering) == {"Code": "failed", "Message": PEERING_FAILED_MESSAGE}
    with pytest.raises(ClientError):
        west.accept_vpc_peering_connection(VpcPeeringConnectionId=peering)


def test_aws_route_inside_the_vpc_cannot_go_to_a_peering_or_gateway(aws: Clients) -> None:
    ec2 = aws().client("ec2")
    mine, (subnet,) = make_vpc(ec2, "10.16.0.0/16", {"10.16.1.0/24": "us-east-1a"})
    ec2.associate_vpc_cidr_block(VpcId=mine, CidrBlock="10.26.0.0/16")
    theirs, _ = make_vpc(ec2, "10.17.0.0/16", {})
    peering = ec2.create_vpc_peering_connection(VpcId=mine, PeerVpcId=theirs)[
        "VpcPeeringConnection"
    ]["VpcPeeringConnectionId"]
    ec2.accept_vpc_peering_connection(VpcPeeringConnectionId=peering)
    gateway = ec2.create_internet_gateway()["InternetGateway"]["InternetGatewayId"]
    ec2.attach_internet_gateway(InternetGatewayId=gateway, VpcId=mine)
    table = ec2.create_route_table(VpcId=mine)["RouteTable"]["RouteTableId"]

    refused = [
        ("10.16.0.0/16", {"VpcPeeringConnectionId": peering}),  # would replace `local`
        ("10.16.5.0/24", {"GatewayId": gateway}),  # inside the primary block
        ("10.26.0.0/17", {"VpcPeeringConnectionId": peering}),  # inside a secondary block
    ]
    for cidr, target in refused:
        with pytest.raises(ClientError) as raised:
            ec2.create_route(RouteTableId=table, DestinationCidrBlock=cidr, **target)
        assert raised.value.response["Error"]["Code"] == "InvalidParameterValue"
        assert "equal to or more specific than one of this VPC's CIDR blocks" in str(raised.value)

    # the peer's block, and a middlebox route to an interface inside the VPC, are accepted
    ec2.create_route(
        RouteTableId=table, DestinationCidrBlock="10.17.0.0/16", VpcPeeringConnectionId=peering
    )
    interface = ec2.create_network_interface(SubnetId=subnet)["NetworkInterface"]
    ec2.create_route(
        RouteTableId=table,
        DestinationCidrBlock="10.16.7.0/24",
        NetworkInterfaceId=interface["NetworkInterfaceId"],
    )
    routes = ec2.describe_route_tables(RouteTableIds=[table])["RouteTables"][0]["Routes"]
    by_cidr = {r["DestinationCidrBlock"]: r for r in routes}
    assert by_cidr["10.16.0.0/16"]["GatewayId"] == "local"
    assert by_cidr["10.17.0.0/16"]["VpcPeeringConnectionId"] == peering
    assert "10.16.5.0/24" not in by_cidr


def test_aws_replace_route_inside_the_vpc_cannot_go_to_a_peering_or_gateway(aws: Clients) -> None:
    """ReplaceRoute is held to the same rule as CreateRoute: neither the `local` route nor a
    middlebox route inside the VPC can be turned toward a peering or a gateway."""
    ec2 = aws().client("ec2")
    mine, (subnet,) = make_vpc(ec2, "10.18.0.0/16", {"10.18.1.0/24": "us-east-1a"})
    theirs, _ = make_vpc(ec2, "10.19.0.0/16", {})
    peering = ec2.create_vpc_peering_connection(VpcId=mine, PeerVpcId=theirs)[
        "VpcPeeringConnection"
    ]["VpcPeeringConnectionId"]
    ec2.accept_vpc_peering_connection(VpcPeeringConnectionId=peering)
    gateway = ec2.create_internet_gateway()["InternetGateway"]["InternetGatewayId"]
    ec2.attach_internet_gateway(InternetGatewayId=gateway, VpcId=mine)
    table = ec2.create_route_table(VpcId=mine)["RouteTable"]["RouteTableId"]
    interface = ec2.create_network_interface(SubnetId=subnet)["NetworkInterface"]
    middlebox = interface["NetworkInterfaceId"]
    ec2.create_route(
        RouteTableId=table, DestinationCidrBlock="10.18.7.0/24", NetworkInterfaceId=middlebox
    )
    ec2.create_route(RouteTableId=table, DestinationCidrBlock="10.19.0.0/16", GatewayId=gateway)

    refused = [
        ("10.18.0.0/16", {"VpcPeeringConnectionId": peering}),  # `local` toward the peer
        ("10.18.7.0/24", {"GatewayId": gateway}),  # a middlebox route toward a gateway
    ]
    for cidr, target in refused:
        with pytest.raises(ClientError) as raised:
            ec2.replace_route(RouteTableId=table, DestinationCidrBlock=cidr, **target)
        assert raised.value.response["Error"]["Code"] == "InvalidParameterValue"
        assert "equal to or more specific than one of this VPC's CIDR blocks" in str(raised.value)

    # a route outside the VPC's blocks may change target, and one inside to another interface
    ec2.replace_route(
        RouteTableId=table, DestinationCidrBlock="10.19.0.0/16", VpcPeeringConnectionId=peering
    )
    other = ec2.create_network_interface(SubnetId=subnet)["NetworkInterface"]
    ec2.replace_route(
        RouteTableId=table,
        DestinationCidrBlock="10.18.7.0/24",
        NetworkInterfaceId=other["NetworkInterfaceId"],
    )
    routes = ec2.describe_route_tables(RouteTableIds=[table])["RouteTables"][0]["Routes"]
    by_cidr = {r["DestinationCidrBlock"]: r for r in routes}
    assert by_cidr["10.18.0.0/16"]["GatewayId"] == "local"
    assert by_cidr["10.19.0.0/16"]["VpcPeeringConnectionId"] == peering
    assert by_cidr["10.18.7.0/24"]["NetworkInterfaceId"] == other["NetworkInterfaceId"]


def test_aws_peering_overlapping_a_secondary_block_fails(aws: Clients) -> None:
    ec2 = aws().client("ec2")
    mine = ec2.create_vpc(CidrBlock="10.13.0.0/16")["Vpc"]["VpcId"]
    ec2.associate_vpc_cidr_block(VpcId=mine, CidrBlock="10.99.0.0/16")
    theirs = ec2.create_vpc(CidrBlock="10.99.4.0/24")["Vpc"]["VpcId"]
    peering = ec2.create_vpc_peering_connection(VpcId=mine, PeerVpcId=theirs)[
        "VpcPeeringConnection"
    ]
    assert peering_status(ec2, peering["VpcPeeringConnectionId"])["Code"] == "failed"


def test_disjoint_peering_waits_for_acceptance(aws: Clients) -> None:
    ec2 = aws().client("ec2")
    mine = ec2.create_vpc(CidrBlock="10.14.0.0/16")["Vpc"]["VpcId"]
    theirs = ec2.create_vpc(CidrBlock="10.15.0.0/16")["Vpc"]["VpcId"]
    peering = ec2.create_vpc_peering_connection(VpcId=mine, PeerVpcId=theirs)[
        "VpcPeeringConnection"
    ]
    assert peering_status(ec2, peering["VpcPeeringConnectionId"])["Code"] == "pending-acceptance"


# --------------------------------------------------------------------------- PrivateLink


def test_aws_allowed_principals_carry_permission_ids(aws: Clients) -> None:
    ec2 = aws().client("ec2")
    service_id = make_service(aws)["ServiceId"]
    role = f"arn:aws:iam::{ACCOUNT_B}:role/client"
    account = f"arn:aws:iam::{ACCOUNT_B}:root"
    added = ec2.modify_vpc_endpoint_service_permissions(
        ServiceId=service_id, AddAllowedPrincipals=[role, account]
    )
    by_principal = {item["Principal"]: item for item in added["AddedPrincipals"]}
    assert by_principal[role]["PrincipalType"] == "Role"
    assert by_principal[account]["PrincipalType"] == "Account"
    assert all(
        item["ServicePermissionId"].startswith("vpce-spn-") for item in by_principal.values()
    )
    assert all(item["ServiceId"] == service_id for item in by_principal.values())

    described = ec2.describe_vpc_endpoint_service_permissions(ServiceId=service_id)[
        "AllowedPrincipals"
    ]
    assert {(p["Principal"], p["ServicePermissionId"]) for p in described} == {
        (p, by_principal[p]["ServicePermissionId"]) for p in (role, account)
    }
    only_role = ec2.describe_vpc_endpoint_service_permissions(
        ServiceId=service_id, Filters=[{"Name": "principal", "Values": [role]}]
    )["AllowedPrincipals"]
    assert [p["Principal"] for p in only_role] == [role]


def test_aws_cross_region_endpoint_keeps_its_service_region(aws: Clients) -> None:
    service = make_service(
        aws, principals=[f"arn:aws:iam::{ACCOUNT_B}:root"], regions=["us-east-1", "us-west-2"]
    )
    ec2, vpc_id, subnet = consumer(aws, ACCOUNT_B, "us-west-2")
    endpoint = interface_endpoint(ec2, vpc_id, subnet, service, ServiceRegion="us-east-1")
    described = ec2.describe_vpc_endpoints(VpcEndpointIds=[endpoint["VpcEndpointId"]])[
        "VpcEndpoints"
    ][0]
    assert described["ServiceRegion"] == "us-east-1"


def test_aws_endpoint_to_an_unknown_service_is_refused(aws: Clients) -> None:
    ec2, vpc_id, subnet = consumer(aws)
    missing = {"ServiceName": "com.amazonaws.vpce.us-east-1.vpce-svc-0123456789abcdef0"}
    with pytest.raises(ClientError) as raised:
        interface_endpoint(ec2, vpc_id, subnet, missing)
    assert raised.value.response["Error"]["Code"] == "InvalidServiceName"


def test_aws_endpoint_needs_an_allowed_principal(aws: Clients) -> None:
    closed = make_service(aws, principals=["arn:aws:iam::333333333333:root"])
    ec2, vpc_id, subnet = consumer(aws, ACCOUNT_B)
    with pytest.raises(ClientError) as raised:
        interface_endpoint(ec2, vpc_id, subnet, closed)
    assert raised.value.response["Error"]["Code"] == "InvalidServiceName"
    assert (
        ec2.describe_network_interfaces(Filters=[{"Name": "vpc-id", "Values": [vpc_id]}])[
            "NetworkInterfaces"
        ]
        == []
    )

    for principal in ("*", f"arn:aws:iam::{ACCOUNT_B}:role/anything"):
        open_ = make_service(aws, principals=[principal])
        assert interface_endpoint(ec2, vpc_id, subnet, open_)["State"] == "available"


def test_aws_cross_region_endpoint_needs_a_supported_region(aws: Clients) -> None:
    service = make_service(aws, principals=["*"], regions=["us-east-1"])
    ec2, vpc_id, subnet = consumer(aws, ACCOUNT_B, "us-west-2")
    with pytest.raises(ClientError) as raised:
        interface_endpoint(ec2, vpc_id, subnet, service, ServiceRegion="us-east-1")
    assert raised.value.response["Error"]["Code"] == "InvalidServiceName"


def test_aws_endpoint_waits_for_acceptance(aws: Clients) -> None:
    service = make_service(aws, acceptance=True, principals=[f"arn:aws:iam::{ACCOUNT_B}:root"])
    ec2, vpc_id, subnet = consumer(aws, ACCOUNT_B)
    assert interface_endpoint(ec2, vpc_id, subnet, service)["State"] == "pendingAcceptance"


def test_aws_owner_sees_accepts_and_rejects_endpoint_connections(aws: Clients) -> None:
    owner = aws().client("ec2")
    service = make_service(
        aws, acceptance=True, principals=[f"arn:aws:iam::{ACCOUNT_B}:root"], regions=["us-west-2"]
    )
    ec2, vpc_id, subnet = consumer(aws, ACCOUNT_B, "us-west-2")
    kept = interface_endpoint(ec2, vpc_id, subnet, service, ServiceRegion="us-east-1")[
        "VpcEndpointId"
    ]
    _, other_vpc, other_subnet = consumer(aws, ACCOUNT_B, "us-west-2")
    refused = interface_endpoint(ec2, other_vpc, other_subnet, service, ServiceRegion="us-east-1")[
        "VpcEndpointId"
    ]
    of_service = [{"Name": "service-id", "Values": [service["ServiceId"]]}]

    listed = owner.describe_vpc_endpoint_connections(Filters=of_service)["VpcEndpointConnections"]
    assert {
        (c["VpcEndpointId"], c["VpcEndpointOwner"], c["VpcEndpointState"], c["VpcEndpointRegion"])
        for c in listed
    } == {
        (kept, ACCOUNT_B, "pendingAcceptance", "us-west-2"),
        (refused, ACCOUNT_B, "pendingAcceptance", "us-west-2"),
    }

    assert (
        owner.accept_vpc_endpoint_connections(
            ServiceId=service["ServiceId"], VpcEndpointIds=[kept]
        )["Unsuccessful"]
        == []
    )
    assert (
        owner.reject_vpc_endpoint_connections(
            ServiceId=service["ServiceId"], VpcEndpointIds=[refused]
        )["Unsuccessful"]
        == []
    )
    states = {
        c["VpcEndpointId"]: c["VpcEndpointState"]
        for c in owner.describe_vpc_endpoint_connections(Filters=of_service)[
            "VpcEndpointConnections"
        ]
    }
    assert states == {kept: "available", refused: "rejected"}
    consumer_view = ec2.describe_vpc_endpoints(VpcEndpointIds=[kept])["VpcEndpoints"][0]
    assert consumer_view["State"] == "available"

    again = owner.accept_vpc_endpoint_connections(
        ServiceId=service["ServiceId"], VpcEndpointIds=[refused, "vpce-0nope"]
    )
    assert sorted(u["Error"]["Code"] for u in again["Unsuccessful"]) == [
        "InvalidState",
        "InvalidVpcEndpointId.NotFound",
    ]


# --------------------------------------------------------------------------- the patch set itself


def test_apply_patches_is_idempotent(sandbox: Sandbox) -> None:
    from moto.ec2.models.vpcs import VPCBackend

    before = VPCBackend.create_vpc_endpoint
    apply_patches()
    assert VPCBackend.create_vpc_endpoint is before


def test_another_moto_version_is_refused() -> None:
    check_moto_version(PINNED_MOTO_VERSION)
    with pytest.raises(SandboxError) as raised:
        check_moto_version("5.2.2")
    assert f"moto[server]=={PINNED_MOTO_VERSION}" in str(raised.value)


def test_every_patch_is_documented_and_tested() -> None:
    docs = (ROOT / "docs" / "sandbox.md").read_text(encoding="utf-8")
    tests = {
        name
        for module in (sys.modules[__name__], test_transit_gateway_patches)
        for name, _ in inspect.getmembers(module, inspect.isfunction)
    }
    assert set(PATCH_TESTS) == {patch.name for patch in PATCHES}
    for patch in PATCHES:
        doc = inspect.getdoc(patch.install) or ""
        assert all(part in doc for part in ("AWS:", "moto:", "patch:")), patch.name
        assert f"`{patch.name}`" in docs, f"docs/sandbox.md does not list {patch.name}"
        for test in PATCH_TESTS[patch.name]:
            assert test in tests and test.startswith("test_aws_"), test
            assert test in docs, f"docs/sandbox.md does not name {test}"
    assert sandbox_patches.PATCHES is PATCHES


@pytest.mark.slow  # the longest test of the run: 29 tests again in a child pytest
def test_every_aws_test_fails_on_plain_moto(tmp_path: Path) -> None:
    """Rerun the test_aws_* tests against unpatched moto: each must fail (none is vacuous)."""
    report = tmp_path / "unpatched.xml"
    completed = subprocess.run(
        [
            sys.executable,
            "-m",
            "pytest",
            __file__,
            test_transit_gateway_patches.__file__,
            "--sandbox-unpatched",
            "-k",
            "test_aws_",
            "-p",
            "no:cacheprovider",
            "-q",
            f"--junitxml={report}",
        ],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=600,
        check=False,
    )
    cases = ET.parse(report).getroot().iter("testcase")
    outcomes = {str(case.get("name")): [child.tag for child in case] for case in cases}
    expected = {test for tests in PATCH_TESTS.values() for test in tests}
    assert set(outcomes) == expected, completed.stdout[-2000:]
    passed = sorted(name for name, tags in outcomes.items() if not {"failure", "error"} & set(tags))
    assert passed == [], f"these pass on plain moto, so they test nothing: {passed}"


def test_aws_rule_descriptions_survive_for_group_and_prefix_list_peers(aws: Clients) -> None:
    ec2 = aws().client("ec2")
    vpc_id, _ = make_vpc(ec2, "10.40.0.0/16", {})
    app, other = make_group(ec2, vpc_id, "app"), make_group(ec2, vpc_id, "other")
    prefix = ec2.create_managed_prefix_list(
        PrefixListName="office",
        MaxEntries=2,
        AddressFamily="IPv4",
        Entries=[{"Cidr": "192.0.2.0/24"}],
    )["PrefixList"]["PrefixListId"]
    ec2.authorize_security_group_egress(
        GroupId=app,
        IpPermissions=[
            {
                "IpProtocol": "tcp",
                "FromPort": 8080,
                "ToPort": 8080,
                "UserIdGroupPairs": [{"GroupId": other, "Description": "to the endpoint"}],
            },
            {
                "IpProtocol": "tcp",
                "FromPort": 443,
                "ToPort": 443,
                "PrefixListIds": [{"PrefixListId": prefix, "Description": "to the office"}],
            },
        ],
    )
    rules = ec2.describe_security_group_rules(Filters=[{"Name": "group-id", "Values": [app]}])
    described = {
        (r.get("ReferencedGroupInfo", {}).get("GroupId") or r.get("PrefixListId")): r.get(
            "Description"
        )
        for r in rules["SecurityGroupRules"]
        if r["IsEgress"] and r.get("FromPort") in (8080, 443)
    }
    assert described == {other: "to the endpoint", prefix: "to the office"}


# --------------------------------------------------------------------------- placement


def test_aws_subnet_in_another_regions_zone_is_refused(aws: Clients) -> None:
    ec2 = aws().client("ec2")  # us-east-1
    vpc_id = ec2.create_vpc(CidrBlock="10.70.0.0/16")["Vpc"]["VpcId"]
    with pytest.raises(ClientError) as raised:
        ec2.create_subnet(VpcId=vpc_id, CidrBlock="10.70.1.0/24", AvailabilityZone="us-west-2a")
    error = raised.value.response["Error"]
    assert error["Code"] == "InvalidParameterValue"
    assert "us-west-2a" in error["Message"] and "us-east-1a" in error["Message"]
    assert ec2.describe_subnets(Filters=[{"Name": "vpc-id", "Values": [vpc_id]}])["Subnets"] == []


def test_aws_subnet_in_another_regions_zone_id_is_refused(aws: Clients) -> None:
    ec2 = aws().client("ec2")
    vpc_id = ec2.create_vpc(CidrBlock="10.71.0.0/16")["Vpc"]["VpcId"]
    west = aws(region="us-west-2").client("ec2")
    west_zone_id = west.describe_availability_zones()["AvailabilityZones"][0]["ZoneId"]
    with pytest.raises(ClientError) as raised:
        ec2.create_subnet(VpcId=vpc_id, CidrBlock="10.71.1.0/24", AvailabilityZoneId=west_zone_id)
    assert raised.value.response["Error"]["Code"] == "InvalidParameterValue"


def test_subnet_in_its_own_regions_zone_is_created(aws: Clients) -> None:
    ec2 = aws(region="us-west-2").client("ec2")
    vpc_id = ec2.create_vpc(CidrBlock="10.72.0.0/16")["Vpc"]["VpcId"]
    subnet = ec2.create_subnet(
        VpcId=vpc_id, CidrBlock="10.72.1.0/24", AvailabilityZone="us-west-2b"
    )
    assert subnet["Subnet"]["AvailabilityZone"] == "us-west-2b"
    zone_id = ec2.describe_availability_zones()["AvailabilityZones"][0]["ZoneId"]
    by_id = ec2.create_subnet(VpcId=vpc_id, CidrBlock="10.72.2.0/24", AvailabilityZoneId=zone_id)
    assert by_id["Subnet"]["AvailabilityZoneId"] == zone_id


def test_aws_endpoint_dns_name_has_the_aws_shape(aws: Clients) -> None:
    service = make_service(aws, principals=[f"arn:aws:iam::{ACCOUNT_B}:root"])
    ec2, vpc_id, subnet = consumer(aws, ACCOUNT_B)
    endpoint = interface_endpoint(ec2, vpc_id, subnet, service)
    described = ec2.describe_vpc_endpoints(VpcEndpointIds=[endpoint["VpcEndpointId"]])[
        "VpcEndpoints"
    ][0]
    name = described["DnsEntries"][0]["DnsName"]
    expected = (
        rf"{endpoint['VpcEndpointId']}-[0-9a-z]{{8}}\.{service['ServiceId']}"
        r"\.us-east-1\.vpce\.amazonaws\.com"
    )
    assert re.fullmatch(expected, name), name
