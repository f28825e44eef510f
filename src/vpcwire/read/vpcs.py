"""VPCs and what routes inside them: subnets, route tables, gateways, network ACLs.

AWS → model, one line each:

* VPC: ``OwnerId`` → account; the *associated* IPv4 blocks, primary (``CidrBlock``) first;
  DNS support/hostnames from DescribeVpcAttribute only where they change an answer: VPCs
  on a peering that allows DNS resolution from the remote VPC (either side), and VPCs
  holding an interface endpoint with private DNS. AWS has no batch form (one attribute per
  call), so reading them everywhere was 2 calls per VPC, two thirds of a read. Other VPCs
  keep AWS's defaults for a VPC made by the API (support on, hostnames off; both on for a
  default VPC, which is never asked).
* Subnet: AZ name and id, ``MapPublicIpOnLaunch`` → public. IPv6-only subnets are skipped.
* Route table: one Route per IPv4 or prefix-list route (IPv6 routes are not modelled),
  target kind from the target id's field or prefix, state active|blackhole; explicit subnet
  associations and the Main flag.
* Internet gateway: the attached VPC; NAT gateway: subnet, primary private IP, state
  (deleted ones, which AWS lists for an hour, are left out).
* Network ACL: entries ordered by direction then number, AWS's implicit rule-32767 deny added
  when a response lacks it, subnet associations, IsDefault.

Untagged resources AWS makes with a VPC (main table, default ACL) get the planner's names
for them (``<vpc>_main``, ``<vpc>_default``, see plan/passes/lay_out_vpcs.py), so observed
and planned networks pair up by name.
"""

from __future__ import annotations

from ipaddress import IPv4Network
from typing import Any

from vpcwire.network import (
    InternetGateway,
    NaclEntry,
    NatGateway,
    NetworkAcl,
    NetworkBuilder,
    Route,
    RouteTable,
    RouteTarget,
    Subnet,
    Vpc,
)
from vpcwire.plan.naming import ImplicitKind, implicit_name
from vpcwire.read.convert import (
    Raw,
    add_new,
    address,
    name_of,
    network,
    port_range,
    protocol,
    sg_ports,
    tags_of,
)
from vpcwire.read.snapshot import Snapshot, Unit
from vpcwire.read.tasks import Scheduler

__all__ = ["default_name", "discover", "map_vpc_resources", "schedule"]

IMPLICIT_DENY = 32767
ANYWHERE = IPv4Network("0.0.0.0/0")
_DNS_ATTRIBUTES = ("enableDnsSupport", "enableDnsHostnames")
_GATEWAY_PREFIXES: dict[str, RouteTarget] = {
    "igw-": "internet_gateway",
    "vgw-": "vpn_gateway",
    "vpce-": "gateway_endpoint",
}
_OTHER_TARGETS = (
    "EgressOnlyInternetGatewayId",
    "CarrierGatewayId",
    "LocalGatewayId",
    "CoreNetworkArn",
    "InstanceId",
)


# -- fetching ------------------------------------------------------------------------------


def discover(sched: Scheduler, unit: Unit) -> None:
    """First round: every VPC (tags decide the selection, so no server-side filter)."""
    sched.list_all(
        unit,
        "vpcs",
        unit.ec2,
        "describe_vpcs",
        unit.snap.vpcs.extend,
        "no VPC of this account and region is in the network",
    )


def schedule(sched: Scheduler, unit: Unit) -> None:
    """Second round, for the selected VPCs."""
    snap, ec2 = unit.snap, unit.ec2
    for key, operation, store, what, vpc_filter in (
        ("subnets", "describe_subnets", snap.subnets, "subnets", "vpc-id"),
        ("route_tables", "describe_route_tables", snap.route_tables, "route tables", "vpc-id"),
        (
            "internet_gateways",
            "describe_internet_gateways",
            snap.internet_gateways,
            "internet gateways",
            "attachment.vpc-id",
        ),
        ("nat_gateways", "describe_nat_gateways", snap.nat_gateways, "NAT gateways", "vpc-id"),
        ("network_acls", "describe_network_acls", snap.network_acls, "network ACLs", "vpc-id"),
    ):
        sched.list_all(
            unit,
            key,
            ec2,
            operation,
            store.extend,
            f"{what} of {unit.where} are not in the network",
            vpc_filter=vpc_filter,
        )


def schedule_attributes(sched: Scheduler, unit: Unit) -> None:
    """Once this unit's endpoints are read: DNS attributes of the VPCs that need them."""
    sched.after(unit, {"endpoints"}, lambda: _attributes(sched, unit))


def _attributes(sched: Scheduler, unit: Unit) -> None:
    snap = unit.snap
    wanted = dns_relevant_vpcs(snap)
    for vpc in snap.vpcs:
        vpc_id = vpc["VpcId"]
        if vpc_id in wanted and vpc_id in snap.selected and not vpc.get("IsDefault"):
            for attribute in _DNS_ATTRIBUTES:
                _attribute(sched, unit, vpc_id, attribute)


def dns_relevant_vpcs(snap: Snapshot) -> set[str]:
    """VPCs whose DNS support/hostnames decide how a name resolves: both sides of a peering
    that allows DNS resolution from the remote VPC, and VPCs with a private-DNS interface
    endpoint. https://docs.aws.amazon.com/vpc/latest/peering/modify-peering-connections.html
    https://docs.aws.amazon.com/vpc/latest/privatelink/privatelink-access-aws-services.html
    """
    out: set[str] = set()
    for raw in snap.peerings:
        sides = [raw.get("RequesterVpcInfo") or {}, raw.get("AccepterVpcInfo") or {}]
        if any(
            (s.get("PeeringOptions") or {}).get("AllowDnsResolutionFromRemoteVpc") for s in sides
        ):
            out.update(s["VpcId"] for s in sides if s.get("VpcId"))
    for raw in snap.endpoints:
        if raw.get("VpcEndpointType") == "Interface" and raw.get("PrivateDnsEnabled"):
            out.add(raw["VpcId"])
    return out


def _attribute(sched: Scheduler, unit: Unit, vpc_id: str, attribute: str) -> None:
    def run() -> bool:
        answer = unit.ec2.describe_vpc_attribute(VpcId=vpc_id, Attribute=attribute)
        field = attribute[0].upper() + attribute[1:]
        return bool(answer.get(field, {}).get("Value"))

    def store(value: bool) -> None:
        unit.snap.vpc_attributes.setdefault(vpc_id, {})[attribute] = value

    sched.call(
        unit,
        "vpc_attributes",
        "ec2:DescribeVpcAttribute",
        run,
        store,
        "DNS support and hostnames of its VPCs are assumed to be AWS's defaults",
    )


# -- mapping -------------------------------------------------------------------------------


def map_vpc_resources(snap: Snapshot, b: NetworkBuilder) -> None:
    for raw in snap.vpcs:
        if raw["VpcId"] in snap.selected:
            add_new(b, _vpc(raw, snap))
    for raw in _in_selected(snap, snap.subnets):
        cidr = network(raw.get("CidrBlock"))
        if cidr is not None:
            tags = tags_of(raw)
            add_new(
                b,
                Subnet(
                    raw["SubnetId"],
                    name_of(tags),
                    raw["VpcId"],
                    cidr,
                    raw.get("AvailabilityZone", ""),
                    raw.get("AvailabilityZoneId"),
                    bool(raw.get("MapPublicIpOnLaunch")),
                    tags,
                ),
            )
    for raw in _in_selected(snap, snap.route_tables):
        add_new(b, _route_table(raw, b))
    for raw in snap.internet_gateways:
        vpc = _attached_vpc(raw)
        if vpc in snap.selected:
            add_new(b, InternetGateway(raw["InternetGatewayId"], name_of(tags_of(raw)), vpc))
    for raw in _in_selected(snap, snap.nat_gateways):
        if raw.get("State") != "deleted":
            add_new(b, _nat_gateway(raw))
    for raw in _in_selected(snap, snap.network_acls):
        add_new(b, _network_acl(raw, b))


def default_name(b: NetworkBuilder, vpc_id: str, kind: ImplicitKind) -> str:
    """The planner's name for an untagged resource AWS made with the VPC."""
    vpc = b.get_or_none("vpc", vpc_id)
    return implicit_name(vpc.name, kind) if vpc is not None and vpc.name else ""


def _in_selected(snap: Snapshot, items: list[Raw]) -> list[Raw]:
    return [raw for raw in items if raw.get("VpcId") in snap.selected]


def _vpc(raw: Raw, snap: Snapshot) -> Vpc:
    primary = network(raw.get("CidrBlock"))
    blocks = [primary] if primary is not None else []
    for assoc in raw.get("CidrBlockAssociationSet") or ():
        block = network(assoc.get("CidrBlock"))
        state = assoc.get("CidrBlockState", {}).get("State")
        if block is not None and state == "associated" and block not in blocks:
            blocks.append(block)
    is_default = bool(raw.get("IsDefault"))
    attributes = snap.vpc_attributes.get(raw["VpcId"], {})
    tags = tags_of(raw)
    return Vpc(
        raw["VpcId"],
        name_of(tags),
        raw.get("OwnerId") or snap.account,
        snap.region,
        tuple(blocks),
        is_default=is_default,
        dns_support=attributes.get("enableDnsSupport", True),
        dns_hostnames=attributes.get("enableDnsHostnames", is_default),
        tags=tags,
    )


def _route_table(raw: Raw, b: NetworkBuilder) -> RouteTable:
    routes = tuple(r for r in map(_route, raw.get("Routes") or ()) if r is not None)
    associations = [
        a
        for a in raw.get("Associations") or ()
        if a.get("AssociationState", {}).get("State", "associated") == "associated"
    ]
    main = any(a.get("Main") for a in associations)
    subnets = tuple(a["SubnetId"] for a in associations if a.get("SubnetId"))
    tags = tags_of(raw)
    name = name_of(tags) or (default_name(b, raw["VpcId"], "main_route_table") if main else "")
    return RouteTable(raw["RouteTableId"], name, raw["VpcId"], routes, subnets, main, tags)


def _route(raw: Raw) -> Route | None:
    prefix_list = raw.get("DestinationPrefixListId")
    destination = network(raw.get("DestinationCidrBlock"))
    if destination is None and prefix_list is None:
        return None  # an IPv6 route
    target, kind = _route_target(raw)
    blackhole = raw.get("State") == "blackhole"
    return Route(destination, target, kind, prefix_list, "blackhole" if blackhole else "active")


def _route_target(raw: Raw) -> tuple[str, RouteTarget]:
    for field, kind in (
        ("VpcPeeringConnectionId", "peering"),
        ("NatGatewayId", "nat_gateway"),
        ("TransitGatewayId", "transit_gateway"),
    ):
        if raw.get(field):
            return raw[field], kind  # type: ignore[return-value]
    gateway = raw.get("GatewayId") or ""
    if gateway == "local":
        return "local", "local"
    for prefix, kind in _GATEWAY_PREFIXES.items():
        if gateway.startswith(prefix):
            return gateway, kind
    if raw.get("NetworkInterfaceId"):  # also set, with InstanceId, for routes to an instance
        return raw["NetworkInterfaceId"], "network_interface"
    other = next((raw[f] for f in _OTHER_TARGETS if raw.get(f)), gateway)
    return other or "unknown", "other"


def _attached_vpc(raw: Raw) -> str | None:
    for attachment in raw.get("Attachments") or ():
        if attachment.get("State") in ("available", "attached"):
            return str(attachment["VpcId"])
    return None


def _nat_gateway(raw: Raw) -> NatGateway:
    addresses = raw.get("NatGatewayAddresses") or []
    primary = next((a for a in addresses if a.get("IsPrimary")), addresses[0] if addresses else {})
    return NatGateway(
        raw["NatGatewayId"],
        name_of(tags_of(raw)),
        raw["VpcId"],
        raw["SubnetId"],
        address(primary.get("PrivateIp")),
        raw.get("State", "available"),
    )


def _network_acl(raw: Raw, b: NetworkBuilder) -> NetworkAcl:
    entries = [e for e in map(_nacl_entry, raw.get("Entries") or ()) if e is not None]
    for egress in (False, True):
        if not any(e.number == IMPLICIT_DENY and e.egress == egress for e in entries):
            entries.append(NaclEntry(IMPLICIT_DENY, egress, False, "all", ANYWHERE))
    entries.sort(key=lambda e: (e.egress, e.number))
    is_default = bool(raw.get("IsDefault"))
    name = name_of(tags_of(raw)) or (
        default_name(b, raw["VpcId"], "default_network_acl") if is_default else ""
    )
    subnets = tuple(a["SubnetId"] for a in raw.get("Associations") or () if a.get("SubnetId"))
    return NetworkAcl(raw["NetworkAclId"], name, raw["VpcId"], tuple(entries), subnets, is_default)


def _nacl_entry(raw: dict[str, Any]) -> NaclEntry | None:
    cidr = network(raw.get("CidrBlock"))
    proto = protocol(raw.get("Protocol"))
    if cidr is None or proto is None:
        return None  # IPv6, or a protocol no flow of ours can match
    if proto == "icmp":
        ports = sg_ports(proto, (raw.get("IcmpTypeCode") or {}).get("Type"), None)
    elif proto == "all":
        ports = None
    else:
        span = raw.get("PortRange") or {}
        ports = port_range(span.get("From"), span.get("To"))
    return NaclEntry(
        int(raw["RuleNumber"]),
        bool(raw.get("Egress")),
        raw.get("RuleAction") == "allow",
        proto,
        cidr,
        ports,
    )
