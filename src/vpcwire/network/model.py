"""The Network: AWS networking resources as plain frozen values.

This is the centre of vpcwire. The planner produces a Network (what we intend to
build), the live reader produces one (what AWS says exists), the renderer turns one
into Terraform and the verifier reasons over one. Because predicted and observed
are the same type, they can be compared field by field.

Conventions that every producer follows:

* ``id`` is the resource's identity *within this Network*: an AWS id
  (``vpc-0abc…``) when read from AWS, the Terraform address
  (``aws_vpc.provider``) when planned. References between resources always
  use these ids, never names.
* ``name`` is the logical name. vpcwire writes it as the ``Name`` tag, so a
  planned resource and its live counterpart share it; the pair (kind, name)
  matches them up.
* Addresses that only AWS can choose (an endpoint's or an NLB node's private
  IP) are ``None`` in a plan. The verifier then reasons about the whole subnet
  the interface lives in, which is what AWS guarantees.
* Only what reachability depends on is modelled. Anything else stays in ``tags``.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from ipaddress import IPv4Address, IPv4Network
from typing import Literal

__all__ = [
    "ALL_PORTS",
    "GATEWAY_SERVICES",
    "NAMED_PROTOCOLS",
    "Account",
    "EndpointService",
    "Instance",
    "InternetGateway",
    "Listener",
    "LoadBalancer",
    "NaclEntry",
    "NatGateway",
    "NetworkAcl",
    "NetworkInterface",
    "Origin",
    "PeeringConnection",
    "PortRange",
    "PrefixList",
    "Protocol",
    "Resource",
    "ResourceShare",
    "Route",
    "RouteTable",
    "RouteTarget",
    "SecurityGroup",
    "SecurityGroupRule",
    "Subnet",
    "Target",
    "TargetGroup",
    "TgwAttachment",
    "TgwRoute",
    "TgwRouteTable",
    "TransitGateway",
    "UnknownValue",
    "Vpc",
    "VpcEndpoint",
    "canonical_protocol",
]

Protocol = str
"""IP protocols as the verifier sees them: ``tcp``, ``udp``, ``icmp``, ``all`` (AWS's
``-1``), or another IP protocol by its number in decimal (``"50"`` for ESP, ``"47"`` GRE),
as AWS writes rules for them. Only tcp, udp and icmp have ports (icmp: types)."""

NAMED_PROTOCOLS: dict[str, str] = {"6": "tcp", "17": "udp", "1": "icmp", "-1": "all"}


def canonical_protocol(value: str | int) -> str | None:
    """``value`` as the model writes it (names for tcp/udp/icmp/all, else the number), or
    None when it is no IP protocol (a name AWS does not use, a number out of 0-255)."""
    text = str(value).strip().lower()
    if text in ("tcp", "udp", "icmp", "all"):
        return text
    if text in NAMED_PROTOCOLS:
        return NAMED_PROTOCOLS[text]
    if text.isdigit() and 0 <= int(text) <= 255:
        return str(int(text))
    return None


RouteTarget = Literal[
    "local",
    "peering",
    "internet_gateway",
    "nat_gateway",
    "gateway_endpoint",
    "transit_gateway",
    "network_interface",
    "vpn_gateway",
    "other",
]


@dataclass(frozen=True, slots=True, order=True)
class PortRange:
    """An inclusive range of ports, or of ICMP types when the protocol is icmp."""

    low: int
    high: int

    def __contains__(self, port: object) -> bool:
        return isinstance(port, int) and self.low <= port <= self.high

    def __str__(self) -> str:
        if (self.low, self.high) == (0, 65535):
            return "all"
        return str(self.low) if self.low == self.high else f"{self.low}-{self.high}"

    @classmethod
    def one(cls, port: int) -> PortRange:
        return cls(port, port)


ALL_PORTS = PortRange(0, 65535)


@dataclass(frozen=True, slots=True)
class Account:
    """An AWS account that owns resources in this Network."""

    id: str  # 12 digits
    name: str = ""

    @property
    def principal(self) -> str:
        return f"arn:aws:iam::{self.id}:root"


@dataclass(frozen=True, slots=True)
class Origin:
    """Where a resource came from, so that a finding about it can point there: the spec
    path and line of a planned resource, the file, line and Terraform address of a scanned
    one, the AWS id of one read from AWS. Every part is optional."""

    file: str | None = None
    line: int | None = None
    address: str | None = None  # Terraform address, e.g. module.vpc.aws_subnet.private[0]
    spec_path: str | None = None  # e.g. vpcs.consumer.azs[0]
    aws_id: str | None = None

    def __str__(self) -> str:
        where = self.file or ""
        if where and self.line is not None:
            where += f":{self.line}"
        label = self.address or self.spec_path or self.aws_id or ""
        return f"{where} {label}".strip()


@dataclass(frozen=True, slots=True)
class UnknownValue:
    """A field of a resource whose true value nobody knows yet, and why.

    A scanned resource often has a part that only apply, a data source, a variable without
    a value or an expression vpcwire does not evaluate can tell. The field then holds a
    stand-in (a symbol, an empty tuple, the part that *is* known) and the resource lists
    the field here, so that a rule or the verifier asks "is this known?" of any field the
    same way (:mod:`vpcwire.network.unknown`) and turns what rests on it into a warning
    (``VW-W701``) instead of an error. ``field`` is the model field (``az``, ``routes``,
    ``accepter_account``), ``expression`` what is unknown as the configuration says it
    (``availability_zone``, ``var.azs``), ``origin`` where that is written, ``resolve`` how
    to make it known (``--var``, ``terraform init``, a plan's JSON).
    """

    field: str
    expression: str
    why: str
    origin: Origin | None = None
    resolve: str = ""

    def __str__(self) -> str:
        where = f"{self.origin}: " if self.origin is not None and str(self.origin) else ""
        tail = f" ({self.resolve})" if self.resolve else ""
        return f"{where}{self.expression} is unknown: {self.why}{tail}"


@dataclass(frozen=True, slots=True)
class Resource:
    id: str
    name: str
    # Keyword-only with a default so that every producer and subclass stays as it was;
    # not compared, so a planned and a scanned resource that agree are equal.
    origin: Origin | None = field(default=None, kw_only=True, compare=False, repr=False)
    # The fields whose value is a stand-in (scanned Terraform only; planned and live
    # networks know everything): see UnknownValue. Not compared, like origin.
    unknowns: tuple[UnknownValue, ...] = field(default=(), kw_only=True, compare=False, repr=False)


@dataclass(frozen=True, slots=True)
class Vpc(Resource):
    account: str
    region: str
    cidrs: tuple[IPv4Network, ...]  # primary first, then secondary blocks
    is_default: bool = False
    dns_support: bool = True
    dns_hostnames: bool = False
    tags: Mapping[str, str] = field(default_factory=dict, compare=False)

    @property
    def cidr(self) -> IPv4Network:
        return self.cidrs[0]


@dataclass(frozen=True, slots=True)
class Subnet(Resource):
    vpc: str
    cidr: IPv4Network
    az: str  # name, e.g. us-east-1a
    az_id: str | None = None  # e.g. use1-az4; names differ between accounts, ids do not
    public: bool = False  # launched instances get public IPs (map_public_ip_on_launch)
    tags: Mapping[str, str] = field(default_factory=dict, compare=False)


@dataclass(frozen=True, slots=True)
class Route:
    """One route. ``destination`` is None when the route matches a prefix list."""

    destination: IPv4Network | None
    target: str  # "local", or the id of the peering / gateway / endpoint / ENI
    kind: RouteTarget
    prefix_list: str | None = None
    state: Literal["active", "blackhole"] = "active"
    # where a scanned `aws_route` is written (a rule about one route points at it, not at
    # its table); not compared, like Resource.origin
    origin: Origin | None = field(default=None, kw_only=True, compare=False, repr=False)


@dataclass(frozen=True, slots=True)
class RouteTable(Resource):
    vpc: str
    routes: tuple[Route, ...]
    subnets: tuple[str, ...] = ()  # explicit associations
    main: bool = False
    tags: Mapping[str, str] = field(default_factory=dict, compare=False)


@dataclass(frozen=True, slots=True)
class InternetGateway(Resource):
    vpc: str | None


@dataclass(frozen=True, slots=True)
class NatGateway(Resource):
    """A NAT gateway. ``public`` ones (the default) translate to their Elastic IP and reach
    the internet through their subnet's internet gateway route; ``private`` ones never do.
    https://docs.aws.amazon.com/vpc/latest/userguide/vpc-nat-gateway.html
    """

    vpc: str
    subnet: str
    private_ip: IPv4Address | None = None
    state: str = "available"
    connectivity: Literal["public", "private"] = "public"
    public_ip: IPv4Address | None = None  # its Elastic IP; None when unknown (plans)


@dataclass(frozen=True, slots=True)
class PeeringConnection(Resource):
    """A VPC peering. Only ``status == "active"`` carries traffic."""

    requester_vpc: str
    accepter_vpc: str
    requester_account: str
    accepter_account: str
    requester_region: str
    accepter_region: str
    status: str = "active"  # pending-acceptance, provisioning, active, failed, rejected, ...
    requester_cidrs: tuple[IPv4Network, ...] = ()
    accepter_cidrs: tuple[IPv4Network, ...] = ()
    requester_allows_remote_dns: bool = False  # AllowDnsResolutionFromRemoteVpc, per side
    accepter_allows_remote_dns: bool = False

    def other_side(self, vpc: str) -> str | None:
        if vpc == self.requester_vpc:
            return self.accepter_vpc
        if vpc == self.accepter_vpc:
            return self.requester_vpc
        return None

    @property
    def inter_region(self) -> bool:
        return self.requester_region != self.accepter_region


# Services with gateway endpoints. AWS names their regional managed prefix lists
# com.amazonaws.<region>.<service>; a gateway endpoint's route points at that list.
# https://docs.aws.amazon.com/vpc/latest/userguide/working-with-aws-managed-prefix-lists.html
GATEWAY_SERVICES: tuple[str, ...] = ("s3", "dynamodb")


@dataclass(frozen=True, slots=True)
class PrefixList(Resource):
    """A managed prefix list; ``name`` is its Name tag or PrefixListName
    (``com.amazonaws.us-east-1.s3`` for AWS's own)."""

    cidrs: tuple[IPv4Network, ...]


@dataclass(frozen=True, slots=True)
class SecurityGroupRule:
    """One permission of one security group, with exactly one peer.

    AWS lets an IpPermission carry several CIDRs and groups; producers split those
    into one rule each, so that a trace can name the single rule that matched.
    ``group`` may be ``account/sg-id`` for a same-region cross-account reference.
    """

    protocol: Protocol
    ports: PortRange | None = None  # None = every port (or every ICMP type)
    cidr: IPv4Network | None = None
    group: str | None = None
    prefix_list: str | None = None
    description: str = ""

    def __str__(self) -> str:
        peer = self.cidr or self.group or self.prefix_list or "?"
        ports = "" if self.ports is None else f"/{self.ports}"
        return f"{self.protocol}{ports} {peer}"


@dataclass(frozen=True, slots=True)
class SecurityGroup(Resource):
    vpc: str
    ingress: tuple[SecurityGroupRule, ...] = ()
    egress: tuple[SecurityGroupRule, ...] = ()
    is_default: bool = False
    tags: Mapping[str, str] = field(default_factory=dict, compare=False)


@dataclass(frozen=True, slots=True)
class NaclEntry:
    number: int  # evaluated in increasing order; 32767 is AWS's implicit "*" deny
    egress: bool
    allow: bool
    protocol: Protocol
    cidr: IPv4Network
    ports: PortRange | None = None  # None = all ports / all ICMP types


@dataclass(frozen=True, slots=True)
class NetworkAcl(Resource):
    vpc: str
    entries: tuple[NaclEntry, ...]
    subnets: tuple[str, ...] = ()
    is_default: bool = False


@dataclass(frozen=True, slots=True)
class NetworkInterface(Resource):
    """An ENI: the only place traffic can start or end in a VPC."""

    vpc: str
    subnet: str
    private_ip: IPv4Address | None  # None: AWS picks it at apply time (plans only)
    security_groups: tuple[str, ...]
    kind: Literal[
        "instance", "vpc_endpoint", "load_balancer", "nat_gateway", "external", "other"
    ] = "other"
    owner: str | None = None  # instance / endpoint / load balancer / NAT gateway id
    # The public IPv4 address or Elastic IP associated with the primary private address:
    # without one, an internet gateway carries nothing to or from this interface.
    public_ip: IPv4Address | None = None


@dataclass(frozen=True, slots=True)
class Instance(Resource):
    vpc: str
    subnet: str
    interface: str  # primary ENI id
    state: str = "running"
    role: str = ""  # what vpcwire made it for: "target:<service>", "client", "peer"
    tags: Mapping[str, str] = field(default_factory=dict, compare=False)


@dataclass(frozen=True, slots=True)
class LoadBalancer(Resource):
    """A Network Load Balancer; one node (ENI) per enabled subnet."""

    vpc: str
    subnets: tuple[str, ...]
    interfaces: tuple[str, ...] = ()  # node ENIs, when known
    internal: bool = True
    kind: Literal["network", "application", "gateway"] = "network"
    security_groups: tuple[str, ...] = ()
    # Only meaningful with security_groups: do inbound rules also apply to PrivateLink traffic?
    enforce_sg_on_privatelink: bool = True
    cross_zone: bool = False
    idle_timeout: int | None = None  # custom TCP idle timeout (seconds); blocks native X-region


@dataclass(frozen=True, slots=True)
class Listener(Resource):
    load_balancer: str
    port: int
    protocol: Literal["TCP", "UDP", "TCP_UDP", "TLS", "HTTP", "HTTPS"]
    target_group: str | None


@dataclass(frozen=True, slots=True)
class Target:
    """A registered target: an instance id or an IP address."""

    id: str
    port: int | None = None  # None: the target group's port
    availability_zone: str | None = None  # "all" for IP targets outside the NLB's VPC


@dataclass(frozen=True, slots=True)
class TargetGroup(Resource):
    vpc: str
    protocol: Literal["TCP", "UDP", "TCP_UDP", "TLS", "HTTP", "HTTPS"]
    port: int
    target_type: Literal["instance", "ip"]
    targets: tuple[Target, ...] = ()
    preserve_client_ip: bool | None = None  # None: AWS default (on for instance, off for ip)


@dataclass(frozen=True, slots=True)
class EndpointService(Resource):
    """A PrivateLink endpoint service (the provider side)."""

    service_name: str
    account: str
    region: str
    load_balancers: tuple[str, ...]
    acceptance_required: bool = True
    allowed_principals: tuple[str, ...] = ()
    supported_regions: tuple[str, ...] = ()  # native cross-region PrivateLink
    state: str = "Available"
    # The provider's own domain (e.g. api.example.com): resolves to the endpoint ENIs in
    # consumer VPCs whose endpoint enables private DNS. None: the service has none.
    private_dns_name: str | None = None


@dataclass(frozen=True, slots=True)
class VpcEndpoint(Resource):
    """A VPC endpoint (the consumer side). Interface endpoints have ENIs."""

    vpc: str
    service_name: str
    type: Literal["Interface", "Gateway", "GatewayLoadBalancer"] = "Interface"
    subnets: tuple[str, ...] = ()
    security_groups: tuple[str, ...] = ()
    interfaces: tuple[str, ...] = ()
    route_tables: tuple[str, ...] = ()  # gateway endpoints
    # "available" once accepted; "pendingAcceptance", "rejected", "failed" otherwise
    state: str = "available"
    service_region: str | None = None  # set for native cross-region PrivateLink
    account: str = ""  # the consumer's account: the principal the service must allow
    private_dns: bool = False
    dns_names: tuple[str, ...] = ()


# -- Transit Gateway -------------------------------------------------------------------
# https://docs.aws.amazon.com/vpc/latest/tgw/how-transit-gateways-work.html
# A TGW is a regional router owned by one account. Attachments (one per VPC, or a peering
# with another TGW) are each *associated* with exactly one TGW route table, which decides
# where traffic entering through that attachment goes; they *propagate* their routes into
# any number of tables.
# https://docs.aws.amazon.com/vpc/latest/tgw/tgw-route-tables.html


@dataclass(frozen=True, slots=True)
class TransitGateway(Resource):
    """A Transit Gateway. The ``default_*`` options are AWS's
    DefaultRouteTableAssociation/Propagation: when on, a new attachment is associated with
    (propagates into) ``association_default_route_table`` (``propagation_default_route_table``).
    """

    account: str
    region: str
    asn: int | None = None
    default_association: bool = True
    default_propagation: bool = True
    association_default_route_table: str | None = None
    propagation_default_route_table: str | None = None
    auto_accept_shared_attachments: bool = False
    state: str = "available"
    tags: Mapping[str, str] = field(default_factory=dict, compare=False)


@dataclass(frozen=True, slots=True)
class TgwAttachment(Resource):
    """A Transit Gateway attachment.

    ``kind == "vpc"``: the VPC ``vpc`` (owned by ``account``, which may differ from the
    TGW's owner through a RAM share) attached through one ENI per subnet in ``subnets``; a
    subnet's traffic reaches the TGW only if an attachment subnet sits in its AZ.
    ``kind == "peering"``: one attachment id shared by both TGWs — ``transit_gateway`` is
    the requester's, ``peer_transit_gateway`` the accepter's; only static routes use it.
    Only ``state == "available"`` carries traffic (``pendingAcceptance`` does not).
    """

    transit_gateway: str
    kind: Literal["vpc", "peering", "vpn", "direct_connect", "connect", "other"] = "vpc"
    account: str = ""  # the attachment's owner (the VPC's account; the requester's for peering)
    vpc: str | None = None
    subnets: tuple[str, ...] = ()
    interfaces: tuple[str, ...] = ()  # the attachment's ENIs, when known
    appliance_mode: bool = False
    dns_support: bool = True
    state: str = "available"
    peer_transit_gateway: str | None = None
    peer_account: str | None = None
    peer_region: str | None = None
    tags: Mapping[str, str] = field(default_factory=dict, compare=False)

    def other_gateway(self, tgw: str) -> str | None:
        """For a peering attachment: the TGW on the other side of ``tgw``."""
        if self.kind != "peering":
            return None
        if tgw == self.transit_gateway:
            return self.peer_transit_gateway
        if tgw == self.peer_transit_gateway:
            return self.transit_gateway
        return None


@dataclass(frozen=True, slots=True)
class TgwRoute:
    """One route of a TGW route table. ``attachment`` is None for a blackhole route.

    ``kind == "propagated"`` routes are what AWS shows for propagations; producers may
    leave them out (a plan, moto), because :meth:`Network.tgw_routes` computes them from
    the propagations and the attached VPCs' CIDRs anyway.
    """

    destination: IPv4Network | None
    attachment: str | None
    kind: Literal["static", "propagated"] = "static"
    state: Literal["active", "blackhole"] = "active"
    prefix_list: str | None = None
    origin: Origin | None = field(default=None, kw_only=True, compare=False, repr=False)


@dataclass(frozen=True, slots=True)
class TgwRouteTable(Resource):
    """A TGW route table, with the attachments associated with it and those propagating
    into it (ids of :class:`TgwAttachment`)."""

    transit_gateway: str
    routes: tuple[TgwRoute, ...] = ()
    associations: tuple[str, ...] = ()
    propagations: tuple[str, ...] = ()
    default_association: bool = False  # the TGW's association default table
    default_propagation: bool = False
    tags: Mapping[str, str] = field(default_factory=dict, compare=False)


@dataclass(frozen=True, slots=True)
class ResourceShare(Resource):
    """A RAM resource share: how a TGW reaches VPC attachments of other accounts.
    ``resources`` are the shared resources' ids (a TGW id), ``principals`` the account ids
    (or organisation ARNs) it is shared with."""

    account: str
    region: str
    resources: tuple[str, ...] = ()
    principals: tuple[str, ...] = ()
    allow_external_principals: bool = True
    # account id -> "ASSOCIATED" / "PENDING" / ... for each principal, when known
    status: Mapping[str, str] = field(default_factory=dict, compare=False)


def iter_fields(obj: object) -> Iterator[tuple[str, object]]:
    """Field name/value pairs of a model value, for diffs and JSON output."""
    for name in obj.__dataclass_fields__:  # type: ignore[attr-defined]
        yield name, getattr(obj, name)
