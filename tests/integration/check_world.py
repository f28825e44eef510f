"""A compact boto3 builder for the `vpcwire check` sandbox tests, and the worlds they share.

Networks are made with plain boto3 calls, as a user (or any IaC tool) would, in accounts
no other test uses (``Aws.new``: reached with sts.assume_role, so moto keeps their
resources apart), and `vpcwire check` reads them back through ``--assume-role``.

One :class:`Region` is one account in one region; each method makes one kind of resource
and returns its id. Defaults are the ones AWS gives (a new security group allows all
egress, a VPC's default network ACL allows everything, a new custom ACL denies
everything), so each world states only what it breaks.

The worlds below are built once per test module and only read; tests that change a
network (remove a route, accept a connection) build their own.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from tests.read.helpers import Aws, tag

AMI = "ami-12c6146b"  # one of moto's built-in images


def permission(
    port: int | tuple[int, int] = -1,
    *,
    cidr: str | None = None,
    group: str | None = None,
    prefix_list: str | None = None,
    protocol: str = "tcp",
) -> dict[str, Any]:
    """One IpPermissions entry: ``port`` (or a range) of ``protocol`` from one peer.

    ``protocol="-1"`` is every protocol and port; for ``icmp`` the port is the ICMP type."""
    if protocol == "-1":
        rule: dict[str, Any] = {"IpProtocol": "-1"}
    else:
        low, high = port if isinstance(port, tuple) else (port, port)
        rule = {
            "IpProtocol": protocol,
            "FromPort": low,
            "ToPort": -1 if protocol == "icmp" else high,
        }
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

    # -- VPCs, subnets, routes ------------------------------------------------------------

    def vpc(self, name: str, cidr: str, *secondary: str) -> Vpc:
        vpc_id = self.ec2.create_vpc(CidrBlock=cidr, TagSpecifications=tag("vpc", name))["Vpc"][
            "VpcId"
        ]
        for block in secondary:
            self.ec2.associate_vpc_cidr_block(VpcId=vpc_id, CidrBlock=block)
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
        """A custom route table, explicitly associated with ``subnets``."""
        rt = self.ec2.create_route_table(VpcId=vpc.id, TagSpecifications=tag("route-table", name))[
            "RouteTable"
        ]["RouteTableId"]
        for subnet in subnets:
            self.ec2.associate_route_table(RouteTableId=rt, SubnetId=subnet)
        return str(rt)

    def route(
        self, table: str, cidr: str, *, pcx: str | None = None, gateway: str | None = None
    ) -> None:
        target = {"VpcPeeringConnectionId": pcx} if pcx else {"GatewayId": gateway}
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
        made = self.ec2.create_managed_prefix_list(
            PrefixListName=name,
            MaxEntries=5,
            AddressFamily="IPv4",
            Entries=[{"Cidr": c} for c in cidrs],
        )
        return str(made["PrefixList"]["PrefixListId"])

    # -- peering ---------------------------------------------------------------------------

    def peer(
        self, vpc: Vpc, other: Vpc, name: str, *, there: Region | None = None, accept: bool = True
    ) -> str:
        """Request a peering from ``vpc`` to ``other`` (in ``there``, default: here); accept
        it there unless ``accept`` is False."""
        there = there or self
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
            there.accept(pcx)
        return str(pcx)

    def accept(self, pcx: str) -> None:
        self.ec2.accept_vpc_peering_connection(VpcPeeringConnectionId=pcx)

    def peering_status(self, pcx: str) -> str:
        found = self.ec2.describe_vpc_peering_connections(VpcPeeringConnectionIds=[pcx])
        return str(found["VpcPeeringConnections"][0]["Status"]["Code"])

    # -- security groups and network ACLs --------------------------------------------------

    def security_group(
        self,
        vpc: Vpc,
        name: str,
        ingress: Sequence[dict[str, Any]] = (),
        egress: Sequence[dict[str, Any]] | None = None,
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
            everything = permission(cidr="0.0.0.0/0", protocol="-1")
            self.ec2.revoke_security_group_egress(GroupId=sg, IpPermissions=[everything])
            if egress:
                self.ec2.authorize_security_group_egress(GroupId=sg, IpPermissions=list(egress))
        return str(sg)

    def network_acl(self, vpc: Vpc, name: str, *subnets: str) -> str:
        """A custom network ACL (it denies everything until given entries) for ``subnets``."""
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
        cidr: str,
        ports: tuple[int, int],
        action: str = "allow",
    ) -> None:
        """One TCP entry."""
        self.ec2.create_network_acl_entry(
            NetworkAclId=acl,
            RuleNumber=number,
            Protocol="6",
            RuleAction=action,
            Egress=egress,
            CidrBlock=cidr,
            PortRange={"From": ports[0], "To": ports[1]},
        )

    # -- instances ---------------------------------------------------------------------------

    def instance(self, subnet: str, name: str, ip: str, *groups: str) -> str:
        made = self.ec2.run_instances(
            ImageId=AMI,
            MinCount=1,
            MaxCount=1,
            SubnetId=subnet,
            PrivateIpAddress=ip,
            SecurityGroupIds=list(groups),
            TagSpecifications=tag("instance", name),
        )
        return str(made["Instances"][0]["InstanceId"])

    # -- PrivateLink -----------------------------------------------------------------------

    def nlb(self, name: str, *subnets: str) -> str:
        made = self.elb.create_load_balancer(
            Name=name,
            Subnets=list(subnets),
            Type="network",
            Scheme="internal",
            Tags=[{"Key": "Name", "Value": name}],
        )
        return str(made["LoadBalancers"][0]["LoadBalancerArn"])

    def forward(
        self, lb: str, vpc: Vpc, name: str, port: int, *targets: str, all_zones: bool = False
    ) -> str:
        """A TCP listener on ``port`` forwarding to a new group of IP targets on that port;
        ``all_zones`` registers them with availability zone ``all`` (targets outside the
        NLB's VPC, e.g. across a peering, need it)."""
        tg = self.elb.create_target_group(
            Name=name, Protocol="TCP", Port=port, VpcId=vpc.id, TargetType="ip"
        )["TargetGroups"][0]["TargetGroupArn"]
        zone = {"AvailabilityZone": "all"} if all_zones else {}
        self.elb.register_targets(
            TargetGroupArn=tg, Targets=[{"Id": t, "Port": port, **zone} for t in targets]
        )
        self.elb.create_listener(
            LoadBalancerArn=lb,
            Protocol="TCP",
            Port=port,
            DefaultActions=[{"Type": "forward", "TargetGroupArn": tg}],
        )
        return str(tg)

    def service(
        self, lb: str, name: str, *principals: str, acceptance: bool = False
    ) -> tuple[str, str]:
        """An endpoint service for ``lb`` allowing ``principals`` (account ids): (id, name)."""
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
        return str(made["ServiceId"]), str(made["ServiceName"])

    def endpoint(self, vpc: Vpc, service_name: str, name: str, subnet: str, *groups: str) -> str:
        """An interface endpoint in one subnet; without ``groups`` AWS gives it the VPC's
        default security group."""
        extra = {"SecurityGroupIds": list(groups)} if groups else {}
        made = self.ec2.create_vpc_endpoint(
            VpcId=vpc.id,
            ServiceName=service_name,
            VpcEndpointType="Interface",
            SubnetIds=[subnet],
            TagSpecifications=tag("vpc-endpoint", name),
            **extra,
        )
        return str(made["VpcEndpoint"]["VpcEndpointId"])

    def endpoint_state(self, endpoint: str) -> str:
        found = self.ec2.describe_vpc_endpoints(VpcEndpointIds=[endpoint])["VpcEndpoints"]
        return str(found[0]["State"])

    def endpoint_address(self, endpoint: str) -> str:
        eni = self.ec2.describe_vpc_endpoints(VpcEndpointIds=[endpoint])["VpcEndpoints"][0][
            "NetworkInterfaceIds"
        ][0]
        found = self.ec2.describe_network_interfaces(NetworkInterfaceIds=[eni])
        return str(found["NetworkInterfaces"][0]["PrivateIpAddress"])

    def nlb_addresses(self, lb: str) -> list[str]:
        """The private addresses of the NLB's node ENIs."""
        lb_id = lb.split(":loadbalancer/", 1)[1]
        enis = self.ec2.describe_network_interfaces(
            Filters=[{"Name": "description", "Values": [f"ELB {lb_id}"]}]
        )["NetworkInterfaces"]
        return sorted(e["PrivateIpAddress"] for e in enis)


# -- shared worlds (read only) -----------------------------------------------------------------


@dataclass(frozen=True)
class Chain:
    """VPCs a–b–c peered in a line (a–b, b–c); b has an internet gateway.

    a routes b's and c's CIDRs and 0.0.0.0/0 over pcx a-b, so the non-transitive path to c
    and the edge-to-edge path to the internet both look configured. ``peer-ref`` in b
    admits a's ``client`` group by reference (same-region peering)."""

    a: Vpc
    b: Vpc
    c: Vpc
    ab: str
    bc: str
    igw: str
    peer_ref_sg: str


def chain(r: Region) -> Chain:
    a, b, c = r.vpc("a", "10.10.0.0/16"), r.vpc("b", "10.20.0.0/16"), r.vpc("c", "10.30.0.0/16")
    a1, b1, c1 = (
        r.subnet(a, "10.10.1.0/24", "a1"),
        r.subnet(b, "10.20.1.0/24", "b1"),
        r.subnet(c, "10.30.1.0/24", "c1"),
    )
    client = r.security_group(a, "client")
    r.instance(a1, "client", "10.10.1.10", client)
    r.instance(a1, "other-client", "10.10.1.11", r.security_group(a, "other-client"))
    r.instance(
        b1,
        "middle",
        "10.20.1.10",
        r.security_group(b, "middle", [permission(443, cidr="10.0.0.0/8")]),
    )
    r.instance(
        c1, "far", "10.30.1.10", r.security_group(c, "far", [permission(443, cidr="10.0.0.0/8")])
    )
    peer_ref = r.security_group(b, "peer-ref", [permission(443, group=client)])
    r.instance(b1, "peer-ref", "10.20.1.11", peer_ref)
    ab, bc = r.peer(a, b, "a-b"), r.peer(b, c, "b-c")
    igw = r.internet_gateway(b, "b-igw")
    for cidr in ("10.20.0.0/16", "10.30.0.0/16", "0.0.0.0/0"):
        r.route(a.main_rt, cidr, pcx=ab)
    r.route(b.main_rt, "10.10.0.0/16", pcx=ab)
    r.route(b.main_rt, "10.30.0.0/16", pcx=bc)
    r.route(b.main_rt, "0.0.0.0/0", gateway=igw)
    r.route(c.main_rt, "10.20.0.0/16", pcx=bc)
    r.route(c.main_rt, "10.10.0.0/16", pcx=bc)
    return Chain(a, b, c, ab, bc, igw, peer_ref)


@dataclass(frozen=True)
class Groups:
    """One VPC whose instances differ only in their security groups (the default network
    ACL allows everything; routing is local)."""

    client: str  # no inbound rule at all
    outsider: str  # no inbound rule; not a member of client
    mute: str  # outbound: udp/53 only
    server: str  # 443 from members of client
    open: str  # 443 from the VPC CIDR
    closed: str  # nothing inbound
    corp_only: str  # 443 from the corp prefix list
    prefix_list: str  # corp: 10.40.3.0/24
    twins: tuple[str, str]  # two instances both named "twin"


def groups(r: Region) -> Groups:
    v = r.vpc("app", "10.40.0.0/16")
    s1, s2 = r.subnet(v, "10.40.1.0/24", "s1"), r.subnet(v, "10.40.2.0/24", "s2", az="b")
    s3 = r.subnet(v, "10.40.3.0/24", "corp")
    corp_list = r.prefix_list("corp", "10.40.3.0/24")
    client = r.security_group(v, "client")
    outsider = r.security_group(v, "outsider")
    mute = r.security_group(v, "mute", egress=[permission(53, cidr="10.40.0.0/16", protocol="udp")])
    server = r.security_group(v, "server", [permission(443, group=client)])
    open_ = r.security_group(v, "open", [permission(443, cidr="10.40.0.0/16")])
    closed = r.security_group(v, "closed")
    corp_only = r.security_group(v, "corp-only", [permission(443, prefix_list=corp_list)])
    r.instance(s1, "client", "10.40.1.10", client)
    r.instance(s1, "outsider", "10.40.1.11", outsider)
    r.instance(s1, "mute", "10.40.1.12", mute)
    twins = (
        r.instance(s1, "twin", "10.40.1.20", outsider),
        r.instance(s1, "twin", "10.40.1.21", outsider),
    )
    r.instance(s2, "server", "10.40.2.10", server)
    r.instance(s2, "open", "10.40.2.11", open_)
    r.instance(s2, "closed", "10.40.2.12", closed)
    r.instance(s2, "corp-server", "10.40.2.13", corp_only)
    r.instance(s3, "corp", "10.40.3.10", r.security_group(v, "corp"))
    return Groups(client, outsider, mute, server, open_, closed, corp_only, corp_list, twins)


@dataclass(frozen=True)
class Acls:
    """One VPC; every security group admits tcp 22, 443 and 8080 from the VPC, so only the
    network ACLs decide. ``client`` and ``neighbour`` sit in a subnet with the default ACL."""

    sealed: str  # custom ACL, no entries: the implicit deny only
    one_way: str  # in: 443 from the clients' subnet; out: nothing (no ephemeral return)
    ordered: str  # in: 80 allow 8080, 90 deny 22 from client/32, 100 allow 22, 120 deny 8080
    locked: str  # the locked client's subnet: out 443 anywhere, nothing in


def acls(r: Region) -> Acls:
    v = r.vpc("acl-lab", "10.50.0.0/16")
    sg = r.security_group(
        v,
        "servers",
        [permission(p, cidr="10.50.0.0/16") for p in (22, 443, 8080)],
    )
    front = r.subnet(v, "10.50.1.0/24", "front")
    r.instance(front, "client", "10.50.1.10", sg)
    r.instance(front, "neighbour", "10.50.1.11", sg)
    r.instance(front, "open", "10.50.1.20", sg)
    subnets = {
        name: r.subnet(v, f"10.50.{n}.0/24", name)
        for n, name in enumerate(("sealed", "one-way", "ordered", "locked"), start=2)
    }
    for n, name in enumerate(("sealed", "one-way", "ordered"), start=2):
        r.instance(subnets[name], name, f"10.50.{n}.10", sg)
    r.instance(subnets["locked"], "locked-client", "10.50.5.10", sg)
    sealed = r.network_acl(v, "sealed", subnets["sealed"])
    one_way = r.network_acl(v, "one-way", subnets["one-way"])
    r.acl_entry(one_way, 100, egress=False, cidr="10.50.1.0/24", ports=(443, 443))
    ordered = r.network_acl(v, "ordered", subnets["ordered"])
    r.acl_entry(ordered, 80, egress=False, cidr="10.50.1.0/24", ports=(8080, 8080))
    r.acl_entry(ordered, 90, egress=False, cidr="10.50.1.10/32", ports=(22, 22), action="deny")
    r.acl_entry(ordered, 100, egress=False, cidr="10.50.1.0/24", ports=(22, 22))
    r.acl_entry(ordered, 120, egress=False, cidr="10.50.1.0/24", ports=(8080, 8080), action="deny")
    r.acl_entry(ordered, 100, egress=True, cidr="10.50.1.0/24", ports=(1024, 65535))
    locked = r.network_acl(v, "locked", subnets["locked"])
    r.acl_entry(locked, 100, egress=True, cidr="0.0.0.0/0", ports=(443, 443))
    return Acls(sealed, one_way, ordered, locked)


@dataclass(frozen=True)
class Routes:
    """VPC a peered with b (the server) and with c; three subnets of a, three route tables.

    * main table (subnet a1, no explicit association): 10.20.0.0/16 via a-b and a broader,
      wrong 10.0.0.0/8 via a-c;
    * ``a-detour`` (a2): 10.20.0.0/16 via a-b and a more specific, wrong 10.20.1.0/24 via a-c;
    * ``a-isolated`` (a3): local only, although the main table routes b."""

    a: Vpc
    ab: str
    ac: str
    detour: str
    isolated: str


def routes(r: Region) -> Routes:
    a, b, c = r.vpc("a", "10.10.0.0/16"), r.vpc("b", "10.20.0.0/16"), r.vpc("c", "10.30.0.0/16")
    a1 = r.subnet(a, "10.10.1.0/24", "a1")
    a2 = r.subnet(a, "10.10.2.0/24", "a2")
    a3 = r.subnet(a, "10.10.3.0/24", "a3")
    client = r.security_group(a, "clients")
    r.instance(a1, "main-client", "10.10.1.10", client)
    r.instance(a2, "detour-client", "10.10.2.10", client)
    r.instance(a3, "isolated-client", "10.10.3.10", client)
    b1 = r.subnet(b, "10.20.1.0/24", "b1")
    r.instance(
        b1,
        "server",
        "10.20.1.10",
        r.security_group(b, "server", [permission(443, cidr="10.10.0.0/16")]),
    )
    ab, ac = r.peer(a, b, "a-b"), r.peer(a, c, "a-c")
    r.route(a.main_rt, "10.20.0.0/16", pcx=ab)
    r.route(a.main_rt, "10.0.0.0/8", pcx=ac)
    detour = r.route_table(a, "a-detour", a2)
    r.route(detour, "10.20.0.0/16", pcx=ab)
    r.route(detour, "10.20.1.0/24", pcx=ac)
    isolated = r.route_table(a, "a-isolated", a3)
    r.route(b.main_rt, "10.10.0.0/16", pcx=ab)
    r.route(c.main_rt, "10.10.0.0/16", pcx=ac)
    return Routes(a, ab, ac, detour, isolated)


@dataclass(frozen=True)
class PrivateLink:
    """A provider VPC (NLB in two AZs) and a consumer VPC with an interface endpoint in AZ a.

    Listener 443 → ``target``, whose group admits the provider's CIDR (the NLB's
    addresses: client IPs are not preserved); listener 8443 → ``wrong-target``, whose group
    admits the consumer's CIDR instead. The endpoint's group admits everything from
    ``client``'s subnet only; ``bare-endpoint`` has no group, so it gets the VPC default."""

    provider: Vpc
    consumer: Vpc
    lb: str
    service_id: str
    endpoint: str
    endpoint_sg: str
    wrong_targets_sg: str
    bare_endpoint: str
    node_addresses: list[str]


def privatelink(r: Region) -> PrivateLink:
    p = r.vpc("provider", "10.60.0.0/16")
    p1, p2 = r.subnet(p, "10.60.1.0/24", "prov-a"), r.subnet(p, "10.60.2.0/24", "prov-b", az="b")
    lb = r.nlb("svc", p1, p2)
    r.instance(
        p1,
        "target",
        "10.60.1.10",
        r.security_group(p, "targets", [permission(443, cidr="10.60.0.0/16")]),
    )
    wrong = r.security_group(p, "wrong-targets", [permission(8443, cidr="10.61.0.0/16")])
    r.instance(p1, "wrong-target", "10.60.1.11", wrong)
    r.forward(lb, p, "svc-443", 443, "10.60.1.10")
    r.forward(lb, p, "svc-8443", 8443, "10.60.1.11")
    service_id, service_name = r.service(lb, "svc", r.account)
    c = r.vpc("consumer", "10.61.0.0/16")
    c1, c2 = r.subnet(c, "10.61.1.0/24", "cons-a"), r.subnet(c, "10.61.2.0/24", "cons-b", az="b")
    endpoint_sg = r.security_group(
        c, "endpoint-sg", [permission(cidr="10.61.1.0/24", protocol="-1")]
    )
    endpoint = r.endpoint(c, service_name, "svc-endpoint", c1, endpoint_sg)
    bare = r.endpoint(c, service_name, "bare-endpoint", c1)
    r.instance(c1, "client", "10.61.1.10", r.security_group(c, "client"))
    r.instance(c2, "stranger", "10.61.2.10", r.security_group(c, "stranger"))
    return PrivateLink(
        p, c, lb, service_id, endpoint, endpoint_sg, wrong, bare, r.nlb_addresses(lb)
    )


@dataclass(frozen=True)
class Pair:
    """``client`` (10.10.1.10) in VPC a and ``server`` in VPC b, peered (a requests)."""

    a: Vpc
    b: Vpc
    pcx: str
    server_sg: str


def pair(
    here: Region,
    there: Region | None = None,
    *,
    b_cidr: str = "10.20.0.0/16",
    b_secondary: Sequence[str] = (),
    server_ip: str = "10.20.1.10",
    accept: bool = True,
    routes: bool = True,
) -> Pair:
    """Two VPCs, a client and a server admitting tcp/443 from a, and a peering between them;
    with ``routes``, each main table routes the other VPC over it."""
    there = there or here
    a = here.vpc("a", "10.10.0.0/16")
    a1 = here.subnet(a, "10.10.1.0/24", "a1")
    here.instance(a1, "client", "10.10.1.10", here.security_group(a, "client"))
    b = there.vpc("b", b_cidr, *b_secondary)
    b1 = there.subnet(b, server_ip.rsplit(".", 1)[0] + ".0/24", "b1")
    server_sg = there.security_group(b, "server", [permission(443, cidr="10.10.0.0/16")])
    there.instance(b1, "server", server_ip, server_sg)
    pcx = here.peer(a, b, "a-b", there=there, accept=accept)
    if routes:
        here.route(a.main_rt, b_cidr, pcx=pcx)
        there.route(b.main_rt, "10.10.0.0/16", pcx=pcx)
    return Pair(a, b, pcx, server_sg)
