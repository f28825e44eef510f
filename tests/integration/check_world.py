"""A compact boto3 builder for the `vpcwire check` sandbox tests.

Networks are made with plain boto3 calls, as a user (or any IaC tool) would, in accounts
no other test uses (``Aws.new``: reached with sts.assume_role, so moto keeps their
resources apart), and `vpcwire check` reads them back through --assume-role.

One :class:`Region` is one account in one region; its methods each make one kind of
resource and return its id. Defaults are the permissive ones AWS gives (a security group
allows all egress, the default network ACL allows everything), so each test states only
what it breaks.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from tests.read.helpers import Aws, tag

AMI = "ami-12c6146b"  # one of moto's built-in images


def permission(
    port: int | tuple[int, int],
    *,
    cidr: str | None = None,
    group: str | None = None,
    prefix_list: str | None = None,
    protocol: str = "tcp",
) -> dict[str, Any]:
    """One IpPermissions entry: ``port`` (or a range; for icmp the type, -1 = any) from one peer."""
    low, high = port if isinstance(port, tuple) else (port, port)
    if protocol == "icmp":
        high = -1
    rule: dict[str, Any] = {"IpProtocol": protocol, "FromPort": low, "ToPort": high}
    if protocol == "-1":
        rule = {"IpProtocol": "-1"}
    if cidr is not None:
        rule["IpRanges"] = [{"CidrIp": cidr}]
    if group is not None:
        rule["UserIdGroupPairs"] = [{"GroupId": group}]
    if prefix_list is not None:
        rule["PrefixListIds"] = [{"PrefixListId": prefix_list}]
    return rule


@dataclass(frozen=True)
class Vpc:
    id: str
    main_rt: str
    default_sg: str
    default_acl: str


class Region:
    """boto3 builders for one account in one region."""

    def __init__(self, aws: Aws, region: str = "us-east-1") -> None:
        self.aws, self.region, self.account = aws, region, aws.account
        self.ec2 = aws.client("ec2", region)
        self.elb = aws.client("elbv2", region)

    @property
    def role(self) -> str:
        return self.aws.role

    # -- VPCs, subnets, routes ------------------------------------------------------------

    def vpc(self, name: str, cidr: str) -> Vpc:
        vpc_id = self.ec2.create_vpc(CidrBlock=cidr, TagSpecifications=tag("vpc", name))["Vpc"][
            "VpcId"
        ]
        by_vpc = [{"Name": "vpc-id", "Values": [vpc_id]}]
        main = self.ec2.describe_route_tables(
            Filters=[*by_vpc, {"Name": "association.main", "Values": ["true"]}]
        )["RouteTables"][0]["RouteTableId"]
        sg = self.ec2.describe_security_groups(
            Filters=[*by_vpc, {"Name": "group-name", "Values": ["default"]}]
        )["SecurityGroups"][0]["GroupId"]
        acl = self.ec2.describe_network_acls(
            Filters=[*by_vpc, {"Name": "default", "Values": ["true"]}]
        )["NetworkAcls"][0]["NetworkAclId"]
        return Vpc(vpc_id, main, sg, acl)

    def subnet(self, vpc: Vpc, cidr: str, name: str, az: str = "a") -> str:
        made = self.ec2.create_subnet(
            VpcId=vpc.id,
            CidrBlock=cidr,
            AvailabilityZone=f"{self.region}{az}",
            TagSpecifications=tag("subnet", name),
        )
        return str(made["Subnet"]["SubnetId"])

    def route_table(self, vpc: Vpc, name: str, *subnets: str) -> str:
        rt = self.ec2.create_route_table(VpcId=vpc.id, TagSpecifications=tag("route-table", name))[
            "RouteTable"
        ]["RouteTableId"]
        for subnet in subnets:
            self.ec2.associate_route_table(RouteTableId=rt, SubnetId=subnet)
        return str(rt)

    def route(self, table: str, cidr: str, **target: str) -> None:
        self.ec2.create_route(RouteTableId=table, DestinationCidrBlock=cidr, **target)

    def unroute(self, table: str, cidr: str) -> None:
        self.ec2.delete_route(RouteTableId=table, DestinationCidrBlock=cidr)

    def internet_gateway(self, vpc: Vpc, name: str) -> str:
        igw = self.ec2.create_internet_gateway(TagSpecifications=tag("internet-gateway", name))[
            "InternetGateway"
        ]["InternetGatewayId"]
        self.ec2.attach_internet_gateway(InternetGatewayId=igw, VpcId=vpc.id)
        return str(igw)

    def prefix_list(self, name: str, *cidrs: str) -> str:
        return str(
            self.ec2.create_managed_prefix_list(
                PrefixListName=name,
                MaxEntries=5,
                AddressFamily="IPv4",
                Entries=[{"Cidr": c} for c in cidrs],
            )["PrefixList"]["PrefixListId"]
        )

    # -- peering ---------------------------------------------------------------------------

    def peer(
        self, vpc: Vpc, other: Vpc, name: str, *, with_: Region | None = None, accept: bool = True
    ) -> str:
        """Request a peering from ``vpc`` to ``other`` (in ``with_``, default: here) and
        accept it there unless ``accept`` is False."""
        there = with_ or self
        extra: dict[str, str] = {}
        if there.account != self.account:
            extra["PeerOwnerId"] = there.account
        if there.region != self.region:
            extra["PeerRegion"] = there.region
        pcx = self.ec2.create_vpc_peering_connection(
            VpcId=vpc.id,
            PeerVpcId=other.id,
            TagSpecifications=tag("vpc-peering-connection", name),
            **extra,
        )["VpcPeeringConnection"]["VpcPeeringConnectionId"]
        if accept:
            there.ec2.accept_vpc_peering_connection(VpcPeeringConnectionId=pcx)
        return str(pcx)

    def peering_status(self, pcx: str) -> str:
        found = self.ec2.describe_vpc_peering_connections(VpcPeeringConnectionIds=[pcx])
        return str(found["VpcPeeringConnections"][0]["Status"]["Code"])

    # -- security groups and network ACLs --------------------------------------------------

    def security_group(
        self,
        vpc: Vpc,
        name: str,
        ingress: list[dict[str, Any]] = (),  # type: ignore[assignment]
        egress: list[dict[str, Any]] | None = None,
    ) -> str:
        """A group with these inbound rules; outbound: AWS's allow-all unless ``egress``
        is given (then exactly those rules)."""
        sg = self.ec2.create_security_group(
            GroupName=name,
            Description=name,
            VpcId=vpc.id,
            TagSpecifications=tag("security-group", name),
        )["GroupId"]
        if ingress:
            self.ec2.authorize_security_group_ingress(GroupId=sg, IpPermissions=list(ingress))
        if egress is not None:
            self.ec2.revoke_security_group_egress(
                GroupId=sg, IpPermissions=[permission(0, cidr="0.0.0.0/0", protocol="-1")]
            )
            if egress:
                self.ec2.authorize_security_group_egress(GroupId=sg, IpPermissions=egress)
        return str(sg)

    def allow_in(self, sg: str, *rules: dict[str, Any]) -> None:
        self.ec2.authorize_security_group_ingress(GroupId=sg, IpPermissions=list(rules))

    def revoke_in(self, sg: str, *rules: dict[str, Any]) -> None:
        self.ec2.revoke_security_group_ingress(GroupId=sg, IpPermissions=list(rules))

    def network_acl(self, vpc: Vpc, name: str, *subnets: str) -> str:
        """A custom network ACL (it starts denying everything) associated with ``subnets``."""
        acl = self.ec2.create_network_acl(VpcId=vpc.id, TagSpecifications=tag("network-acl", name))[
            "NetworkAcl"
        ]["NetworkAclId"]
        for subnet in subnets:
            current = self.ec2.describe_network_acls(
                Filters=[{"Name": "association.subnet-id", "Values": [subnet]}]
            )["NetworkAcls"][0]
            association = next(a for a in current["Associations"] if a["SubnetId"] == subnet)
            self.ec2.replace_network_acl_association(
                AssociationId=association["NetworkAclAssociationId"], NetworkAclId=acl
            )
        return str(acl)

    def acl_entry(
        self,
        acl: str,
        number: int,
        *,
        egress: bool,
        cidr: str = "0.0.0.0/0",
        ports: tuple[int, int] | None = None,
        action: str = "allow",
        protocol: str = "6",
    ) -> None:
        extra: dict[str, Any] = {}
        if ports is not None:
            extra["PortRange"] = {"From": ports[0], "To": ports[1]}
        self.ec2.create_network_acl_entry(
            NetworkAclId=acl,
            RuleNumber=number,
            Protocol=protocol,
            RuleAction=action,
            Egress=egress,
            CidrBlock=cidr,
            **extra,
        )

    # -- instances ---------------------------------------------------------------------------

    def instance(self, subnet: str, name: str, *groups: str, ip: str | None = None) -> str:
        extra: dict[str, Any] = {"PrivateIpAddress": ip} if ip else {}
        made = self.ec2.run_instances(
            ImageId=AMI,
            MinCount=1,
            MaxCount=1,
            SubnetId=subnet,
            SecurityGroupIds=list(groups),
            TagSpecifications=tag("instance", name),
            **extra,
        )
        return str(made["Instances"][0]["InstanceId"])

    # -- PrivateLink -----------------------------------------------------------------------

    def nlb(self, name: str, *subnets: str) -> str:
        return str(
            self.elb.create_load_balancer(
                Name=name,
                Subnets=list(subnets),
                Type="network",
                Scheme="internal",
                Tags=[{"Key": "Name", "Value": name}],
            )["LoadBalancers"][0]["LoadBalancerArn"]
        )

    def nlb_addresses(self, lb: str) -> list[str]:
        """The private addresses of the NLB's node ENIs."""
        lb_id = lb.split("/", 1)[1]
        enis = self.ec2.describe_network_interfaces(
            Filters=[{"Name": "description", "Values": [f"ELB {lb_id}"]}]
        )["NetworkInterfaces"]
        return sorted(e["PrivateIpAddress"] for e in enis)

    def forward(
        self,
        lb: str,
        vpc: Vpc,
        name: str,
        port: int,
        *targets: str,
        all_zones: bool = False,
        protocol: str = "TCP",
    ) -> str:
        """A target group of IP targets on ``port`` behind a listener on the same port."""
        tg = self.elb.create_target_group(
            Name=name, Protocol=protocol, Port=port, VpcId=vpc.id, TargetType="ip"
        )["TargetGroups"][0]["TargetGroupArn"]
        zone = {"AvailabilityZone": "all"} if all_zones else {}
        self.elb.register_targets(
            TargetGroupArn=tg, Targets=[{"Id": t, "Port": port, **zone} for t in targets]
        )
        self.elb.create_listener(
            LoadBalancerArn=lb,
            Protocol=protocol,
            Port=port,
            DefaultActions=[{"Type": "forward", "TargetGroupArn": tg}],
        )
        return str(tg)

    def service(self, lb: str, name: str, *principals: str, acceptance: bool = False) -> str:
        """An endpoint service for ``lb`` allowing ``principals`` (account ids); its name."""
        made = self.ec2.create_vpc_endpoint_service_configuration(
            NetworkLoadBalancerArns=[lb],
            AcceptanceRequired=acceptance,
            TagSpecifications=tag("vpc-endpoint-service", name),
        )["ServiceConfiguration"]
        if principals:
            self.ec2.modify_vpc_endpoint_service_permissions(
                ServiceId=made["ServiceId"],
                AddAllowedPrincipals=[f"arn:aws:iam::{p}:root" for p in principals],
            )
        return str(made["ServiceName"])

    def service_id(self, service_name: str) -> str:
        found = self.ec2.describe_vpc_endpoint_service_configurations(
            Filters=[{"Name": "service-name", "Values": [service_name]}]
        )["ServiceConfigurations"]
        return str(found[0]["ServiceId"])

    def endpoint(self, vpc: Vpc, service_name: str, name: str, subnet: str, sg: str) -> str:
        return str(
            self.ec2.create_vpc_endpoint(
                VpcId=vpc.id,
                ServiceName=service_name,
                VpcEndpointType="Interface",
                SubnetIds=[subnet],
                SecurityGroupIds=[sg],
                TagSpecifications=tag("vpc-endpoint", name),
            )["VpcEndpoint"]["VpcEndpointId"]
        )

    def endpoint_state(self, endpoint: str) -> str:
        found = self.ec2.describe_vpc_endpoints(VpcEndpointIds=[endpoint])["VpcEndpoints"]
        return str(found[0]["State"])

    def endpoint_address(self, endpoint: str) -> str:
        eni = self.ec2.describe_vpc_endpoints(VpcEndpointIds=[endpoint])["VpcEndpoints"][0][
            "NetworkInterfaceIds"
        ][0]
        return str(
            self.ec2.describe_network_interfaces(NetworkInterfaceIds=[eni])["NetworkInterfaces"][
                0
            ]["PrivateIpAddress"]
        )
