"""A small multi-account, multi-region network built on the sandbox with plain boto3.

    account A                                      account B
    us-east-1                                      us-west-2
      provider 10.0.0.0/16 + 10.1.0.0/16  ──pcx──    peer 10.2.0.0/16 (untagged)
        NLB svc → tg svc_443 (ip targets)          us-east-1
        endpoint service svc                         other 10.8.0.0/16 (untagged, unpeered)
      consumer 10.3.0.0/16
        interface endpoint → svc

``provider`` and ``consumer`` carry ``vpcwire:stack = t``; ``peer`` is read with them only
because it is peered with ``provider``. A and B are accounts of this world alone.
"""

from __future__ import annotations

from dataclasses import dataclass

from tests.read.helpers import Aws, tag

STACK = "t"


@dataclass(frozen=True)
class World:
    a: str
    b: str
    provider: str
    consumer: str
    peer: str
    other: str
    prov_a: str
    prov_b: str
    prov_public: str
    peer_a: str
    main_rt: str
    private_rt: str
    public_rt: str
    peer_main_rt: str
    igw: str
    pcx: str
    prefix_list: str
    targets_sg: str
    endpoint_sg: str
    acl: str
    instance: str
    lb: str
    tg: str
    listener: str
    service_id: str
    service_name: str
    endpoint: str


def build(caller: Aws, other: Aws) -> World:
    ec2, elb = caller.client("ec2"), caller.client("elbv2")
    ec2_w, ec2_bw = other.client("ec2", "us-west-2"), other.client("ec2", "us-east-1")

    provider = ec2.create_vpc(
        CidrBlock="10.0.0.0/16", TagSpecifications=tag("vpc", "provider", stack=STACK)
    )["Vpc"]["VpcId"]
    ec2.associate_vpc_cidr_block(VpcId=provider, CidrBlock="10.1.0.0/16")
    ec2.modify_vpc_attribute(VpcId=provider, EnableDnsHostnames={"Value": True})

    def subnet(vpc: str, cidr: str, az: str, name: str, client: object = ec2) -> str:
        made = client.create_subnet(
            VpcId=vpc,
            CidrBlock=cidr,
            AvailabilityZone=az,  # type: ignore[attr-defined]
            TagSpecifications=tag("subnet", name),
        )
        return str(made["Subnet"]["SubnetId"])

    prov_a = subnet(provider, "10.0.1.0/24", "us-east-1a", "provider_private_a")
    prov_b = subnet(provider, "10.0.2.0/24", "us-east-1b", "provider_private_b")
    prov_public = subnet(provider, "10.1.0.0/24", "us-east-1a", "provider_public_a")
    ec2.modify_subnet_attribute(SubnetId=prov_public, MapPublicIpOnLaunch={"Value": True})
    main_rt = ec2.describe_route_tables(
        Filters=[
            {"Name": "vpc-id", "Values": [provider]},
            {"Name": "association.main", "Values": ["true"]},
        ]
    )["RouteTables"][0]["RouteTableId"]

    igw = ec2.create_internet_gateway(TagSpecifications=tag("internet-gateway", "provider"))[
        "InternetGateway"
    ]["InternetGatewayId"]
    ec2.attach_internet_gateway(InternetGatewayId=igw, VpcId=provider)
    public_rt = ec2.create_route_table(
        VpcId=provider, TagSpecifications=tag("route-table", "provider_public")
    )["RouteTable"]["RouteTableId"]
    ec2.associate_route_table(RouteTableId=public_rt, SubnetId=prov_public)
    ec2.create_route(RouteTableId=public_rt, DestinationCidrBlock="0.0.0.0/0", GatewayId=igw)
    private_rt = ec2.create_route_table(
        VpcId=provider, TagSpecifications=tag("route-table", "provider_private")
    )["RouteTable"]["RouteTableId"]
    for sid in (prov_a, prov_b):
        ec2.associate_route_table(RouteTableId=private_rt, SubnetId=sid)

    prefix_list = ec2.create_managed_prefix_list(
        PrefixListName="corp",
        MaxEntries=5,
        AddressFamily="IPv4",
        Entries=[{"Cidr": "192.168.0.0/24"}, {"Cidr": "192.168.1.0/24"}],
    )["PrefixList"]["PrefixListId"]
    ec2.create_route(RouteTableId=public_rt, DestinationPrefixListId=prefix_list, GatewayId=igw)

    # the peer: another account, another region, no stack tag
    peer = ec2_w.create_vpc(CidrBlock="10.2.0.0/16")["Vpc"]["VpcId"]
    peer_a = subnet(peer, "10.2.0.0/24", "us-west-2a", "peer_a", ec2_w)
    pcx = ec2.create_vpc_peering_connection(
        VpcId=provider,
        PeerVpcId=peer,
        PeerOwnerId=other.account,
        PeerRegion="us-west-2",
        TagSpecifications=tag("vpc-peering-connection", "provider_peer"),
    )["VpcPeeringConnection"]["VpcPeeringConnectionId"]
    ec2_w.accept_vpc_peering_connection(VpcPeeringConnectionId=pcx)
    ec2.create_route(
        RouteTableId=private_rt, DestinationCidrBlock="10.2.0.0/16", VpcPeeringConnectionId=pcx
    )
    peer_main_rt = ec2_w.describe_route_tables(Filters=[{"Name": "vpc-id", "Values": [peer]}])[
        "RouteTables"
    ][0]["RouteTableId"]
    ec2_w.create_route(
        RouteTableId=peer_main_rt, DestinationCidrBlock="10.0.0.0/16", VpcPeeringConnectionId=pcx
    )
    unrelated = ec2_bw.create_vpc(CidrBlock="10.8.0.0/16")["Vpc"]["VpcId"]

    # security
    endpoint_sg = ec2.create_security_group(
        GroupName="provider_endpoint",
        Description="e",
        VpcId=provider,
        TagSpecifications=tag("security-group", "provider_endpoint"),
    )["GroupId"]
    targets_sg = ec2.create_security_group(
        GroupName="svc_targets",
        Description="t",
        VpcId=provider,
        TagSpecifications=tag("security-group", "svc_targets"),
    )["GroupId"]
    ec2.authorize_security_group_ingress(
        GroupId=targets_sg,
        IpPermissions=[
            {
                "IpProtocol": "tcp",
                "FromPort": 443,
                "ToPort": 443,
                "IpRanges": [
                    {"CidrIp": "10.2.0.0/16", "Description": "peer"},
                    {"CidrIp": "10.3.0.0/16"},
                ],
                "UserIdGroupPairs": [{"GroupId": endpoint_sg, "Description": "endpoint"}],
                "PrefixListIds": [{"PrefixListId": prefix_list}],
            },
            {
                "IpProtocol": "icmp",
                "FromPort": 8,
                "ToPort": -1,
                "IpRanges": [{"CidrIp": "10.0.0.0/8"}],
            },
        ],
    )

    acl = ec2.create_network_acl(
        VpcId=provider, TagSpecifications=tag("network-acl", "provider_b")
    )["NetworkAcl"]["NetworkAclId"]
    ec2.create_network_acl_entry(
        NetworkAclId=acl,
        RuleNumber=100,
        Protocol="6",
        RuleAction="allow",
        Egress=False,
        CidrBlock="10.0.0.0/8",
        PortRange={"From": 443, "To": 443},
    )
    ec2.create_network_acl_entry(
        NetworkAclId=acl,
        RuleNumber=110,
        Protocol="1",
        RuleAction="deny",
        Egress=False,
        CidrBlock="0.0.0.0/0",
        IcmpTypeCode={"Type": 8, "Code": -1},
    )
    ec2.create_network_acl_entry(
        NetworkAclId=acl,
        RuleNumber=100,
        Protocol="6",
        RuleAction="allow",
        Egress=True,
        CidrBlock="10.0.0.0/8",
        PortRange={"From": 1024, "To": 65535},
    )
    default_acl = ec2.describe_network_acls(
        Filters=[{"Name": "vpc-id", "Values": [provider]}, {"Name": "default", "Values": ["true"]}],
    )["NetworkAcls"][0]
    association = next(a for a in default_acl["Associations"] if a["SubnetId"] == prov_b)
    ec2.replace_network_acl_association(
        AssociationId=association["NetworkAclAssociationId"], NetworkAclId=acl
    )

    instance = ec2.run_instances(
        ImageId="ami-12c6146b",
        MinCount=1,
        MaxCount=1,
        SubnetId=prov_a,
        PrivateIpAddress="10.0.1.10",
        SecurityGroupIds=[targets_sg],
        TagSpecifications=tag("instance", "svc_1", **{"vpcwire:role": "target:svc"}),
    )["Instances"][0]["InstanceId"]

    # PrivateLink: NLB, target group, listener, endpoint service
    lb = elb.create_load_balancer(
        Name="t-svc",
        Subnets=[prov_a, prov_b],
        Type="network",
        Scheme="internal",
        Tags=[{"Key": "Name", "Value": "svc"}],
    )["LoadBalancers"][0]["LoadBalancerArn"]
    tg = elb.create_target_group(
        Name="t-svc-443",
        Protocol="TCP",
        Port=443,
        VpcId=provider,
        TargetType="ip",
        Tags=[{"Key": "Name", "Value": "svc_443"}],
    )["TargetGroups"][0]["TargetGroupArn"]
    elb.register_targets(
        TargetGroupArn=tg,
        Targets=[
            {"Id": "10.0.1.10", "Port": 443},
            {"Id": "10.2.0.10", "Port": 443, "AvailabilityZone": "all"},
        ],
    )
    listener = elb.create_listener(
        LoadBalancerArn=lb,
        Protocol="TCP",
        Port=443,
        DefaultActions=[{"Type": "forward", "TargetGroupArn": tg}],
        Tags=[{"Key": "Name", "Value": "svc_443"}],
    )["Listeners"][0]["ListenerArn"]
    service = ec2.create_vpc_endpoint_service_configuration(
        NetworkLoadBalancerArns=[lb],
        AcceptanceRequired=False,
        SupportedRegions=["us-east-1", "us-west-2"],
        TagSpecifications=tag("vpc-endpoint-service", "svc"),
    )["ServiceConfiguration"]
    ec2.modify_vpc_endpoint_service_permissions(
        ServiceId=service["ServiceId"],
        AddAllowedPrincipals=[
            f"arn:aws:iam::{other.account}:root",
            f"arn:aws:iam::{caller.account}:root",
        ],
    )

    # the consumer, same account and region
    consumer = ec2.create_vpc(
        CidrBlock="10.3.0.0/16", TagSpecifications=tag("vpc", "consumer", stack=STACK)
    )["Vpc"]["VpcId"]
    cons_a = subnet(consumer, "10.3.1.0/24", "us-east-1a", "consumer_private_a")
    cons_sg = ec2.create_security_group(
        GroupName="consumer_svc_endpoint",
        Description="c",
        VpcId=consumer,
        TagSpecifications=tag("security-group", "consumer_svc_endpoint"),
    )["GroupId"]
    endpoint = ec2.create_vpc_endpoint(
        VpcId=consumer,
        ServiceName=service["ServiceName"],
        VpcEndpointType="Interface",
        SubnetIds=[cons_a],
        SecurityGroupIds=[cons_sg],
        TagSpecifications=tag("vpc-endpoint", "consumer_svc"),
    )["VpcEndpoint"]["VpcEndpointId"]

    return World(
        a=caller.account,
        b=other.account,
        provider=provider,
        consumer=consumer,
        peer=peer,
        other=unrelated,
        prov_a=prov_a,
        prov_b=prov_b,
        prov_public=prov_public,
        peer_a=peer_a,
        main_rt=main_rt,
        private_rt=private_rt,
        public_rt=public_rt,
        peer_main_rt=peer_main_rt,
        igw=igw,
        pcx=pcx,
        prefix_list=prefix_list,
        targets_sg=targets_sg,
        endpoint_sg=endpoint_sg,
        acl=acl,
        instance=instance,
        lb=lb,
        tg=tg,
        listener=listener,
        service_id=service["ServiceId"],
        service_name=service["ServiceName"],
        endpoint=endpoint,
    )
