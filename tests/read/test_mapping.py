"""Mapping hand-written AWS responses: shapes the sandbox never produces, one case each."""

from __future__ import annotations

from ipaddress import IPv4Address, IPv4Network
from typing import Any

import pytest

from vpcwire.network import Network, PortRange, Route, SecurityGroupRule
from vpcwire.read.reader import assemble
from vpcwire.read.security import referenced_prefix_lists, split_permission
from vpcwire.read.snapshot import Snapshot

A, B = "111111111111", "222222222222"
NLB = "arn:aws:elasticloadbalancing:us-east-1:111111111111:loadbalancer/net/svc/50dc6c495c0c9188"
TG = "arn:aws:elasticloadbalancing:us-east-1:111111111111:targetgroup/svc/73e2d6bc24d8a067"


def vpc(vpc_id: str = "vpc-1", cidr: str = "10.0.0.0/16", **extra: Any) -> dict[str, Any]:
    return {
        "VpcId": vpc_id,
        "OwnerId": A,
        "CidrBlock": cidr,
        "IsDefault": False,
        "CidrBlockAssociationSet": [{"CidrBlock": cidr, "CidrBlockState": {"State": "associated"}}],
        **extra,
    }


def subnet(subnet_id: str = "subnet-1", cidr: str = "10.0.1.0/24") -> dict[str, Any]:
    return {
        "SubnetId": subnet_id,
        "VpcId": "vpc-1",
        "CidrBlock": cidr,
        "AvailabilityZone": "us-east-1a",
        "AvailabilityZoneId": "use1-az4",
    }


def read(account: str = A, region: str = "us-east-1", **fields: Any) -> tuple[Network, list[str]]:
    snap = Snapshot(account, region, vpcs=fields.pop("vpcs", [vpc()]), **fields)
    snap.selected = {v["VpcId"] for v in snap.vpcs}
    return assemble([snap])


# -- VPCs and routing ----------------------------------------------------------------------


def test_vpc_keeps_associated_blocks_only_primary_first() -> None:
    raw = vpc(cidr="10.0.0.0/16")
    raw["CidrBlockAssociationSet"] = [
        {"CidrBlock": "10.9.0.0/16", "CidrBlockState": {"State": "associated"}},
        {"CidrBlock": "10.0.0.0/16", "CidrBlockState": {"State": "associated"}},
        {"CidrBlock": "10.8.0.0/16", "CidrBlockState": {"State": "disassociated"}},
    ]
    net, _ = read(vpcs=[raw], vpc_attributes={"vpc-1": {"enableDnsHostnames": True}})
    v = net.vpcs["vpc-1"]
    assert v.cidrs == (IPv4Network("10.0.0.0/16"), IPv4Network("10.9.0.0/16"))
    assert (v.dns_support, v.dns_hostnames) == (True, True)


def test_default_vpc_without_attribute_calls_gets_aws_defaults() -> None:
    net, _ = read(vpcs=[vpc(IsDefault=True)])
    assert (net.vpcs["vpc-1"].dns_support, net.vpcs["vpc-1"].dns_hostnames) == (True, True)


@pytest.mark.parametrize(
    ("route", "expected"),
    [
        ({"GatewayId": "local"}, ("local", "local")),
        ({"GatewayId": "igw-1"}, ("igw-1", "internet_gateway")),
        ({"GatewayId": "vgw-1"}, ("vgw-1", "vpn_gateway")),
        ({"GatewayId": "vpce-1"}, ("vpce-1", "gateway_endpoint")),
        ({"NatGatewayId": "nat-1"}, ("nat-1", "nat_gateway")),
        ({"TransitGatewayId": "tgw-1"}, ("tgw-1", "transit_gateway")),
        ({"VpcPeeringConnectionId": "pcx-1"}, ("pcx-1", "peering")),
        (
            {"InstanceId": "i-1", "InstanceOwnerId": A, "NetworkInterfaceId": "eni-1"},
            ("eni-1", "network_interface"),
        ),
        ({"CarrierGatewayId": "cagw-1"}, ("cagw-1", "other")),
    ],
    ids=["local", "igw", "vgw", "gateway-endpoint", "nat", "tgw", "pcx", "instance", "carrier"],
)
def test_route_target_kinds(route: dict[str, str], expected: tuple[str, str]) -> None:
    table = {
        "RouteTableId": "rtb-1",
        "VpcId": "vpc-1",
        "Associations": [],
        "Routes": [{"DestinationCidrBlock": "10.1.0.0/16", "State": "active", **route}],
    }
    net, _ = read(route_tables=[table])
    only = net.route_tables["rtb-1"].routes[0]
    assert (only.target, only.kind) == expected


def test_blackhole_prefix_list_and_ipv6_routes_and_associations() -> None:
    table = {
        "RouteTableId": "rtb-1",
        "VpcId": "vpc-1",
        "Routes": [
            {
                "DestinationCidrBlock": "10.2.0.0/16",
                "VpcPeeringConnectionId": "pcx-1",
                "State": "blackhole",
            },
            {"DestinationPrefixListId": "pl-1", "GatewayId": "vpce-1", "State": "active"},
            {"DestinationIpv6CidrBlock": "::/0", "GatewayId": "igw-1", "State": "active"},
        ],
        "Associations": [
            {"Main": True, "AssociationState": {"State": "associated"}},
            {"Main": False, "SubnetId": "subnet-1", "AssociationState": {"State": "associated"}},
            {"Main": False, "SubnetId": "subnet-2", "AssociationState": {"State": "disassociated"}},
            {"Main": False, "GatewayId": "igw-1", "AssociationState": {"State": "associated"}},
        ],
    }
    net, _ = read(route_tables=[table])
    rt = net.route_tables["rtb-1"]
    assert rt.routes == (
        Route(IPv4Network("10.2.0.0/16"), "pcx-1", "peering", state="blackhole"),
        Route(None, "vpce-1", "gateway_endpoint", prefix_list="pl-1"),
    )
    assert rt.main and rt.subnets == ("subnet-1",)


def test_nacl_ports_icmp_unknown_protocols_and_implicit_deny() -> None:
    acl = {
        "NetworkAclId": "acl-1",
        "VpcId": "vpc-1",
        "IsDefault": False,
        "Associations": [],
        "Entries": [
            {
                "RuleNumber": 100,
                "Egress": False,
                "RuleAction": "allow",
                "Protocol": "6",
                "CidrBlock": "10.0.0.0/8",
                "PortRange": {"From": 0, "To": 65535},
            },
            {
                "RuleNumber": 110,
                "Egress": False,
                "RuleAction": "allow",
                "Protocol": "1",
                "CidrBlock": "10.0.0.0/8",
                "IcmpTypeCode": {"Type": 0, "Code": -1},
            },
            {
                "RuleNumber": 120,
                "Egress": False,
                "RuleAction": "deny",
                "Protocol": "47",
                "CidrBlock": "10.0.0.0/8",
            },
            {
                "RuleNumber": 130,
                "Egress": False,
                "RuleAction": "allow",
                "Protocol": "-1",
                "Ipv6CidrBlock": "::/0",
            },
            {
                "RuleNumber": 32767,
                "Egress": True,
                "RuleAction": "deny",
                "Protocol": "-1",
                "CidrBlock": "0.0.0.0/0",
            },
        ],
    }
    net, _ = read(network_acls=[acl])
    entries = net.network_acls["acl-1"].entries
    assert [(e.number, e.egress, e.protocol, e.ports) for e in entries] == [
        (100, False, "tcp", None),
        (110, False, "icmp", PortRange.one(0)),
        (120, False, "47", None),  # GRE, by its number: `check --protocol 47` matches it
        (32767, False, "all", None),
        (32767, True, "all", None),
    ]


# -- security groups -----------------------------------------------------------------------


def test_permission_split_cross_account_group_numbers_and_ipv6() -> None:
    perm = {
        "IpProtocol": "6",
        "FromPort": 0,
        "ToPort": 65535,
        "IpRanges": [{"CidrIp": "10.0.0.0/8"}],
        "Ipv6Ranges": [{"CidrIpv6": "::/0"}],
        "UserIdGroupPairs": [
            {"GroupId": "sg-mine", "UserId": A},
            {"GroupId": "sg-theirs", "UserId": B, "Description": "x"},
        ],
        "PrefixListIds": [{"PrefixListId": "pl-1", "Description": "corp"}],
    }
    assert list(split_permission(perm, A)) == [
        SecurityGroupRule("tcp", None, cidr=IPv4Network("10.0.0.0/8")),
        SecurityGroupRule("tcp", None, group="sg-mine"),
        SecurityGroupRule("tcp", None, group=f"{B}/sg-theirs", description="x"),
        SecurityGroupRule("tcp", None, prefix_list="pl-1", description="corp"),
    ]


@pytest.mark.parametrize(
    ("perm", "expected"),
    [
        ({"IpProtocol": "-1"}, ("all", None)),
        ({"IpProtocol": "17", "FromPort": 53, "ToPort": 53}, ("udp", PortRange.one(53))),
        ({"IpProtocol": "icmp", "FromPort": -1, "ToPort": -1}, ("icmp", None)),
        ({"IpProtocol": "1", "FromPort": 3, "ToPort": 4}, ("icmp", PortRange.one(3))),
        ({"IpProtocol": "tcp", "FromPort": 1024, "ToPort": 65535}, ("tcp", PortRange(1024, 65535))),
    ],
    ids=["all", "udp-number", "icmp-any", "icmp-type-code", "tcp-range"],
)
def test_protocols_and_ports(perm: dict[str, Any], expected: tuple[str, Any]) -> None:
    (rule,) = split_permission({**perm, "IpRanges": [{"CidrIp": "0.0.0.0/0"}]}, A)
    assert (rule.protocol, rule.ports) == expected


def test_other_ip_protocols_are_kept_by_number_and_non_protocols_dropped() -> None:
    gre = {"IpProtocol": "47", "IpRanges": [{"CidrIp": "0.0.0.0/0"}]}
    assert list(split_permission(gre, A)) == [
        SecurityGroupRule("47", None, cidr=IPv4Network("0.0.0.0/0"))
    ]
    odd = {"IpProtocol": "sctp-ish", "IpRanges": [{"CidrIp": "0.0.0.0/0"}]}
    assert list(split_permission(odd, A)) == []


def test_prefix_list_in_the_network_only_when_referenced_and_fetched() -> None:
    sg = {
        "GroupId": "sg-1",
        "GroupName": "x",
        "VpcId": "vpc-1",
        "OwnerId": A,
        "IpPermissions": [{"IpProtocol": "-1", "PrefixListIds": [{"PrefixListId": "pl-1"}]}],
    }
    lists = [
        {"PrefixListId": "pl-1", "PrefixListName": "corp"},
        {"PrefixListId": "pl-2", "PrefixListName": "com.amazonaws.us-east-1.s3"},
    ]
    net, _ = read(
        security_groups=[sg],
        prefix_lists=lists,
        prefix_list_entries={"pl-1": [{"Cidr": "192.168.0.0/24"}]},
    )
    assert list(net.prefix_lists) == ["pl-1"]
    assert net.prefix_lists["pl-1"].cidrs == (IPv4Network("192.168.0.0/24"),)
    assert net.security_groups["sg-1"].name == "x"


# -- peerings ------------------------------------------------------------------------------


def _view(
    status: str,
    *,
    req_dns: bool = False,
    acc_dns: bool = False,
    name: str = "",
    cidr_sets: bool = True,
) -> dict[str, Any]:
    def info(vpc_id: str, owner: str, region: str, cidr: str, dns: bool) -> dict[str, Any]:
        out: dict[str, Any] = {
            "VpcId": vpc_id,
            "OwnerId": owner,
            "Region": region,
            "CidrBlock": cidr,
            "PeeringOptions": {"AllowDnsResolutionFromRemoteVpc": dns},
        }
        if cidr_sets:
            out["CidrBlockSet"] = [{"CidrBlock": cidr}]
        return out

    return {
        "VpcPeeringConnectionId": "pcx-1",
        "Status": {"Code": status},
        "Tags": [{"Key": "Name", "Value": name}] if name else [],
        "RequesterVpcInfo": info("vpc-1", A, "us-east-1", "10.0.0.0/16", req_dns),
        "AccepterVpcInfo": info("vpc-2", B, "us-west-2", "10.2.0.0/16", acc_dns),
    }


def test_peering_views_merge_each_side_from_its_own_view() -> None:
    requester_view = Snapshot(
        A,
        "us-east-1",
        vpcs=[vpc()],
        selected={"vpc-1"},
        peerings=[_view("initiating-request", req_dns=True, name="ab")],
    )
    accepter_view = Snapshot(
        B, "us-west-2", peerings=[_view("pending-acceptance", acc_dns=True, name="ba")]
    )
    net, _ = assemble([accepter_view, requester_view])
    pcx = net.peerings["pcx-1"]
    assert (pcx.status, pcx.name) == ("pending-acceptance", "ab")
    assert (pcx.requester_allows_remote_dns, pcx.accepter_allows_remote_dns) == (True, True)
    assert (pcx.requester_region, pcx.accepter_region) == ("us-east-1", "us-west-2")
    assert (pcx.requester_account, pcx.accepter_account) == (A, B)


def test_peering_cidrs_fall_back_to_the_vpc_and_deleted_ones_are_dropped() -> None:
    raw = vpc()
    raw["CidrBlockAssociationSet"].append(
        {"CidrBlock": "10.1.0.0/16", "CidrBlockState": {"State": "associated"}}
    )
    net, _ = read(vpcs=[raw], peerings=[_view("active", cidr_sets=False)])
    pcx = net.peerings["pcx-1"]
    assert pcx.requester_cidrs == (IPv4Network("10.0.0.0/16"), IPv4Network("10.1.0.0/16"))
    assert pcx.accepter_cidrs == (IPv4Network("10.2.0.0/16"),)  # the peer VPC was not read
    net, _ = read(peerings=[_view("deleted")])
    assert not net.peerings


# -- interfaces ----------------------------------------------------------------------------


def _eni(eni_id: str, **extra: Any) -> dict[str, Any]:
    return {
        "NetworkInterfaceId": eni_id,
        "VpcId": "vpc-1",
        "SubnetId": "subnet-1",
        "PrivateIpAddress": "10.0.1.20",
        "Groups": [{"GroupId": "sg-1"}],
        "InterfaceType": "interface",
        **extra,
    }


def test_interfaces_are_classified_by_owner_type_and_description() -> None:
    enis = [
        _eni("eni-ep"),  # listed by its endpoint, labelled "interface" as moto does
        _eni("eni-ep2", InterfaceType="vpc_endpoint", Description="VPC Endpoint Interface vpce-2"),
        _eni("eni-nat", InterfaceType="nat_gateway", Description="Interface for NAT Gateway nat-1"),
        _eni(
            "eni-nlb",
            InterfaceType="network_load_balancer",
            Description="ELB net/svc/50dc6c495c0c9188",
        ),
        _eni("eni-i", Attachment={"InstanceId": "i-1", "DeviceIndex": 0}),
        _eni("eni-x", PrivateIpAddress="10.77.0.1"),
    ]
    endpoint = {
        "VpcEndpointId": "vpce-1",
        "VpcId": "vpc-1",
        "VpcEndpointType": "Interface",
        "ServiceName": "s",
        "State": "available",
        "NetworkInterfaceIds": ["eni-ep"],
    }
    lb = {
        "LoadBalancerArn": NLB,
        "VpcId": "vpc-1",
        "Type": "network",
        "Scheme": "internal",
        "AvailabilityZones": [{"SubnetId": "subnet-1"}],
    }
    instance = {
        "InstanceId": "i-1",
        "VpcId": "vpc-1",
        "SubnetId": "subnet-1",
        "State": {"Name": "stopped"},
        "Tags": [{"Key": "Name", "Value": "web"}],
        "NetworkInterfaces": [{"NetworkInterfaceId": "eni-i", "Attachment": {"DeviceIndex": 0}}],
    }
    gone = {**instance, "InstanceId": "i-2", "State": {"Name": "terminated"}}
    net, warnings = read(
        subnets=[subnet()],
        interfaces=enis,
        endpoints=[endpoint],
        load_balancers=[lb],
        instances=[instance, gone],
    )
    kinds = {e.id: (e.kind, e.owner) for e in net.interfaces.values()}
    assert kinds == {
        "eni-ep": ("vpc_endpoint", "vpce-1"),
        "eni-ep2": ("vpc_endpoint", "vpce-2"),
        "eni-nat": ("nat_gateway", "nat-1"),
        "eni-nlb": ("load_balancer", NLB),
        "eni-i": ("instance", "i-1"),
        "eni-x": ("other", None),
    }
    assert net.interfaces["eni-i"].name == "web"
    assert net.load_balancers[NLB].interfaces == ("eni-nlb",)
    assert list(net.instances) == ["i-1"] and net.instances["i-1"].state == "stopped"
    assert net.interfaces["eni-x"].private_ip is None
    assert warnings == [
        "eni-x: AWS reports address 10.77.0.1, outside its subnet subnet-1 "
        "(10.0.1.0/24); the address is treated as unknown"
    ]


def test_public_addresses_of_interfaces_and_nat_gateways() -> None:
    enis = [
        _eni("eni-pub", Association={"PublicIp": "198.51.100.7", "IpOwnerId": "amazon"}),
        _eni("eni-priv", PrivateIpAddress="10.0.1.21"),
    ]
    nats = [
        {
            "NatGatewayId": "nat-1",
            "VpcId": "vpc-1",
            "SubnetId": "subnet-1",
            "State": "available",
            "NatGatewayAddresses": [
                {"PrivateIp": "10.0.1.5", "PublicIp": "203.0.113.5", "IsPrimary": True}
            ],
        },
        {
            "NatGatewayId": "nat-2",
            "VpcId": "vpc-1",
            "SubnetId": "subnet-1",
            "State": "pending",
            "ConnectivityType": "private",
            "NatGatewayAddresses": [{"PrivateIp": "10.0.1.6"}],
        },
    ]
    net, _ = read(subnets=[subnet()], interfaces=enis, nat_gateways=nats)
    assert str(net.interfaces["eni-pub"].public_ip) == "198.51.100.7"
    assert net.interfaces["eni-priv"].public_ip is None
    one, two = net.nat_gateways["nat-1"], net.nat_gateways["nat-2"]
    assert (one.connectivity, str(one.public_ip), str(one.private_ip)) == (
        "public",
        "203.0.113.5",
        "10.0.1.5",
    )
    assert (two.connectivity, two.public_ip, two.state) == ("private", None, "pending")


def test_gateway_service_prefix_lists_are_always_wanted() -> None:
    snap = Snapshot(A, "eu-west-1")
    snap.prefix_lists = [
        {"PrefixListId": "pl-s3", "PrefixListName": "com.amazonaws.eu-west-1.s3"},
        {"PrefixListId": "pl-ddb", "PrefixListName": "com.amazonaws.eu-west-1.dynamodb"},
        {
            "PrefixListId": "pl-cf",
            "PrefixListName": "com.amazonaws.global.cloudfront.origin-facing",
        },
        {"PrefixListId": "pl-other", "PrefixListName": "com.amazonaws.us-east-1.s3"},
    ]
    assert referenced_prefix_lists(snap) == {"pl-s3", "pl-ddb"}


# -- load balancing ------------------------------------------------------------------------


def test_nlb_attributes_nodes_from_addresses_listener_and_targets() -> None:
    lb = {
        "LoadBalancerArn": NLB,
        "LoadBalancerName": "t-svc",
        "VpcId": "vpc-1",
        "Type": "network",
        "Scheme": "internet-facing",
        "SecurityGroups": ["sg-1"],
        "EnforceSecurityGroupInboundRulesOnPrivateLinkTraffic": "off",
        "AvailabilityZones": [
            {
                "SubnetId": "subnet-1",
                "LoadBalancerAddresses": [
                    {"IpAddress": "3.3.3.3", "PrivateIPv4Address": "10.0.1.7"}
                ],
            }
        ],
    }
    listener = {
        "ListenerArn": f"{NLB}/l1",
        "LoadBalancerArn": NLB,
        "Port": 443,
        "Protocol": "TCP",
        "DefaultActions": [
            {
                "Type": "forward",
                "ForwardConfig": {"TargetGroups": [{"TargetGroupArn": TG, "Weight": 1}]},
            }
        ],
    }
    tg = {
        "TargetGroupArn": TG,
        "TargetGroupName": "t-svc",
        "VpcId": "vpc-1",
        "Protocol": "TCP",
        "Port": 443,
        "TargetType": "ip",
    }
    health = [
        {"Target": {"Id": "10.0.1.10", "Port": 443, "AvailabilityZone": "us-east-1a"}},
        {"Target": {"Id": "10.9.0.10", "Port": 443}},  # outside the VPC, zone not echoed
        {"Target": {"Id": "10.0.1.11", "Port": 443}, "TargetHealth": {"State": "draining"}},
    ]
    net, _ = read(
        subnets=[subnet()],
        load_balancers=[lb],
        listeners=[listener],
        target_groups=[tg],
        lb_attributes={NLB: {"load_balancing.cross_zone.enabled": "true"}},
        listener_attributes={f"{NLB}/l1": {"tcp.idle_timeout.seconds": "600"}},
        tg_attributes={TG: {"preserve_client_ip.enabled": "true"}},
        target_health={TG: health},
        elb_tags={NLB: {"Name": "svc"}},
    )
    out = net.load_balancers[NLB]
    assert (out.name, out.internal, out.cross_zone, out.idle_timeout) == ("svc", False, True, 600)
    assert out.security_groups == ("sg-1",) and not out.enforce_sg_on_privatelink
    node = net.interfaces[out.interfaces[0]]
    assert (node.private_ip, node.kind, node.owner) == (
        IPv4Address("10.0.1.7"),
        "load_balancer",
        NLB,
    )
    assert net.listeners[f"{NLB}/l1"].target_group == TG
    group = net.target_groups[TG]
    assert group.name == "t-svc" and group.preserve_client_ip is True
    assert [(t.id, t.availability_zone) for t in group.targets] == [
        ("10.0.1.10", "us-east-1a"),
        ("10.9.0.10", "all"),
    ]


@pytest.mark.parametrize(
    ("kind", "protocol", "value", "expected"),
    [
        ("ip", "TCP", "false", None),
        ("ip", "UDP", "true", None),
        ("instance", "TCP", "true", None),
        ("instance", "TCP", "false", False),
        ("ip", "TCP", None, None),
    ],
)
def test_client_ip_preservation_at_its_default_reads_as_none(
    kind: str, protocol: str, value: str | None, expected: bool | None
) -> None:
    tg = {
        "TargetGroupArn": TG,
        "TargetGroupName": "x",
        "VpcId": "vpc-1",
        "Protocol": protocol,
        "Port": 53,
        "TargetType": kind,
    }
    attrs = {TG: {"preserve_client_ip.enabled": value}} if value else {}
    net, _ = read(target_groups=[tg], tg_attributes=attrs)
    assert net.target_groups[TG].preserve_client_ip is expected


# -- PrivateLink ---------------------------------------------------------------------------


def test_endpoint_service_regions_and_endpoint_state_spelling() -> None:
    lb = {"LoadBalancerArn": NLB, "VpcId": "vpc-1", "Type": "network", "AvailabilityZones": []}
    service = {
        "ServiceId": "vpce-svc-1",
        "ServiceName": "com.amazonaws.vpce.us-east-1.vpce-svc-1",
        "ServiceState": "Available",
        "AcceptanceRequired": True,
        "NetworkLoadBalancerArns": [NLB],
        "SupportedRegions": [{"Region": "us-east-1"}],
    }
    endpoint = {
        "VpcEndpointId": "vpce-1",
        "VpcId": "vpc-1",
        "VpcEndpointType": "Interface",
        "ServiceName": "com.amazonaws.vpce.eu-west-1.vpce-svc-9",
        "State": "PendingAcceptance",
        "ServiceRegion": "eu-west-1",
        "OwnerId": A,
    }
    resource = {"VpcEndpointId": "vpce-2", "VpcId": "vpc-1", "VpcEndpointType": "Resource"}
    net, warnings = read(
        load_balancers=[lb],
        endpoint_services=[service],
        endpoints=[endpoint, resource],
        service_permissions={"vpce-svc-1": ["arn:aws:iam::2:root", "*"]},
    )
    svc = net.endpoint_services["vpce-svc-1"]
    assert svc.supported_regions == () and svc.acceptance_required
    assert svc.allowed_principals == ("*", "arn:aws:iam::2:root")
    ep = net.endpoints["vpce-1"]
    assert (ep.state, ep.service_region, ep.account) == ("pendingAcceptance", "eu-west-1", A)
    assert "vpce-2" not in net.endpoints and "Resource" in warnings[0]
