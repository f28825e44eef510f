"""The spec: what the user wants connected, as pydantic v2 models.

Field-level checks live here (types, ranges, unknown keys, known regions). Checks that
relate several fields the way AWS does (a subnet inside its VPC, AZs in the VPC's
region, peers that do not overlap) are rules in ``vpcwire.rules``: they report
every problem at once, with an id, a documentation link and a fix.
"""

from __future__ import annotations

import re
from functools import cache
from ipaddress import IPv4Network
from typing import Annotated, Any, Literal

from pydantic import (
    AfterValidator,
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Discriminator,
    Field,
    PrivateAttr,
    Tag,
    field_validator,
    model_validator,
)
from pydantic_core import PydanticCustomError

from vpcwire.errors import clip

__all__ = [
    "UNRESOLVED",
    "AccountSpec",
    "AllowRule",
    "Connection",
    "ExistingInstances",
    "ExistingVpc",
    "Expectation",
    "Mechanism",
    "PeerConnection",
    "PeerMechanism",
    "ServiceConnection",
    "ServiceSpec",
    "Spec",
    "SubnetLayout",
    "SubnetSpec",
    "TargetsSpec",
    "VpcSpec",
    "known_regions",
]

NAME_PATTERN = r"^[a-z][a-z0-9_-]{0,38}$"
Name = Annotated[
    str, Field(pattern=NAME_PATTERN, description="lower-case letters, digits, - and _")
]
Mechanism = Literal["auto", "peering", "privatelink", "outpost", "native"]
# peers may also ask for a Transit Gateway; the PrivateLink family stays accepted here so that
# rule VW-E301 can say why it cannot serve peers (a located finding, not a schema error).
PeerMechanism = Literal["auto", "peering", "transit-gateway", "privatelink", "outpost", "native"]
# A Transit Gateway takes up to 5,000 attachments; the bound keeps bad input cheap to report.
MAX_PEERS = 200
Port = Annotated[int, Field(ge=1, le=65535)]


def refuse(message: str, fix: str, *, field: str | None = None) -> PydanticCustomError:
    """A validation error that carries its fix; the loader prints it as the ``fix:`` line.

    Both texts travel in the context (not the template), so braces in them are kept as is.
    ``field`` (from a model validator, whose error pydantic locates at the whole model) names
    the field the fix changes: the loader points at that field's line instead.
    """
    context = {"message": message, "fix": fix} | ({"field": field} if field else {})
    return PydanticCustomError("vpcwire", "{message}", context)


# AWS: "The allowed block size is between a /16 netmask (65,536 IP addresses) and /28
# netmask (16 IP addresses)", for a VPC's primary and secondary IPv4 blocks and for subnets.
# https://docs.aws.amazon.com/vpc/latest/userguide/vpc-cidr-blocks.html
# https://docs.aws.amazon.com/vpc/latest/userguide/subnet-sizing.html
MIN_PREFIX, MAX_PREFIX = 16, 28


def _aws_block_size(block: IPv4Network) -> IPv4Network:
    if not MIN_PREFIX <= block.prefixlen <= MAX_PREFIX:
        size = "larger" if block.prefixlen < MIN_PREFIX else "smaller"
        raise refuse(
            f"{block} is {size} than AWS allows: VPC and subnet blocks are /{MIN_PREFIX} to "
            f"/{MAX_PREFIX}",
            f"use a prefix length between /{MIN_PREFIX} and /{MAX_PREFIX}, e.g. "
            f"{IPv4Network((block.network_address, MIN_PREFIX), strict=False)}"
            if block.prefixlen < MIN_PREFIX
            else f"use a prefix length between /{MIN_PREFIX} and /{MAX_PREFIX}, e.g. "
            f"{IPv4Network((block.network_address, MAX_PREFIX), strict=False)}",
        )
    return block


def _block_text(value: Any) -> Any:
    """A CIDR block is written as text: YAML's true, 167772160 or 1.5 are slips, not blocks
    (and ipaddress would take an int as a /32 address)."""
    if not isinstance(value, str | IPv4Network):
        raise refuse(f"{clip(value)} is not an IPv4 CIDR block", "write a block like 10.0.0.0/16")
    return value


AwsBlock = Annotated[IPv4Network, BeforeValidator(_block_text), AfterValidator(_aws_block_size)]
# AZ names are short (us-east-1a, us-east-1-bos-1a); the bound keeps messages short too.
AzName = Annotated[str, Field(min_length=1, max_length=64)]


# EC2 instance type names: family, a dot, size (t3.micro, m7i.metal-48xl, u-6tb1.112xlarge).
# The pattern AWS publishes for an EC2 instance type name (Outposts API, InstanceTypeName).
INSTANCE_TYPE_PATTERN = re.compile(r"[a-z0-9\-]+\.[a-z0-9\-]+", re.ASCII)
ACCOUNT_ID_PATTERN = re.compile(r"[0-9]{12}", re.ASCII)
# IAM: role names and paths are ASCII letters, digits and +=,.@_- (and / in paths).
ROLE_ARN_PATTERN = re.compile(
    r"arn:aws(?:-[a-z]+)*:iam::(?P<account>[0-9]{12}):role/[A-Za-z0-9+=,.@_/-]{1,512}", re.ASCII
)
PRINCIPAL_PATTERN = re.compile(
    r"\*|arn:aws(?:-[a-z]+)*:iam::[0-9]{12}:(?:root|(?:role|user)/[A-Za-z0-9+=,.@_/-]{1,512})",
    re.ASCII,
)


@cache
def known_regions() -> frozenset[str]:
    """Every region botocore knows, in every partition: current without a list of our own.

    Read from botocore's endpoints.json directly (the same set ``get_available_regions``
    gives for ec2): importing botocore.session costs ~0.5 s, most of a `vpcwire plan`.
    """
    import importlib.util
    import json
    from pathlib import Path

    found = importlib.util.find_spec("botocore")
    assert found is not None and found.submodule_search_locations is not None
    data = Path(next(iter(found.submodule_search_locations))) / "data" / "endpoints.json"
    document = json.loads(data.read_text(encoding="utf-8"))
    return frozenset(region for part in document["partitions"] for region in part["regions"])


class _Model(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True, populate_by_name=True)


class AccountSpec(_Model):
    """An AWS account. Give a role to assume, a profile, or neither (ambient credentials)."""

    id: str = Field(description="12-digit AWS account id (quote it in YAML)")
    role_arn: Annotated[str, Field(max_length=2048)] | None = Field(
        default=None, description="IAM role to assume for this account's resources"
    )
    profile: Annotated[str, Field(min_length=1, max_length=128)] | None = Field(
        default=None, description="named AWS CLI profile"
    )
    az_ids: dict[AzName, AzName] = Field(
        default_factory=dict,
        description="AZ name -> AZ id in this account (e.g. us-east-1a: use1-az4); AZ names "
        "map to different physical zones in different accounts, ids do not",
    )

    @field_validator("id", mode="before")
    @classmethod
    def _id_is_twelve_digits(cls, value: Any) -> Any:
        if isinstance(value, int) and not isinstance(value, bool) and 0 <= value < 10**12:
            value = str(value)
        if not isinstance(value, str) or not ACCOUNT_ID_PATTERN.fullmatch(value):
            raise refuse(
                "an AWS account id is exactly 12 digits (ASCII 0-9)",
                'write 12 ASCII digits 0-9, quoted so that leading zeros survive (id: "012345678901")',
            )
        return value

    @field_validator("role_arn")
    @classmethod
    def _role_arn_shape(cls, value: str | None) -> str | None:
        if value is not None and not ROLE_ARN_PATTERN.fullmatch(value):
            raise refuse(
                "not an IAM role ARN",
                "write it like arn:aws:iam::123456789012:role/deployer (ASCII only)",
            )
        return value

    @model_validator(mode="after")
    def _role_in_own_account(self) -> AccountSpec:
        """Resources are created by the role: a role of another account would put them there."""
        match = ROLE_ARN_PATTERN.fullmatch(self.role_arn or "")
        if match and match["account"] != self.id:
            raise refuse(
                f"role_arn is in account {match['account']}, but this account's id is {self.id}",
                f"use a role of account {self.id} (arn:aws:iam::{self.id}:role/...), or "
                "correct the id",
                field="role_arn",
            )
        return self


class SubnetSpec(_Model):
    cidr: AwsBlock
    az: AzName = Field(description="availability zone name, e.g. us-east-1a")


class SubnetLayout(_Model):
    private: list[SubnetSpec] = Field(default_factory=list)
    public: list[SubnetSpec] = Field(default_factory=list)


# Tag keys and values as AWS allows them (128 / 256 characters).
TagMap = dict[
    Annotated[str, Field(min_length=1, max_length=128)], Annotated[str, Field(max_length=256)]
]
VPC_ID_PATTERN = re.compile(r"vpc-[0-9a-f]{8,17}", re.ASCII)
# The cidr of an existing VPC until the read of the target fills in the real blocks
# (vpcwire.plan.existing.resolve_spec). Typed as a block, so that every consumer of a
# resolved spec keeps its plain IPv4Network; nothing plans a spec still holding it.
UNRESOLVED = IPv4Network("0.0.0.0/32")


class ExistingVpc(_Model):
    """A VPC that already exists, found on the target by its tags or by its id."""

    tags: TagMap | None = Field(
        default=None, description="tags the VPC carries, e.g. {Name: bf-provider}"
    )
    id: str | None = Field(default=None, description="the VPC id, e.g. vpc-0abc123")

    @model_validator(mode="after")
    def _one_way_to_find(self) -> ExistingVpc:
        if (self.tags is None) == (self.id is None):
            raise refuse(
                "existing needs exactly one of tags or id",
                "write existing: {tags: {Name: my-vpc}} or existing: {id: vpc-0abc123}",
            )
        if self.tags is not None and not self.tags:
            raise refuse("existing.tags is empty", "give at least one tag, e.g. {Name: my-vpc}")
        if self.id is not None and not VPC_ID_PATTERN.fullmatch(self.id):
            raise refuse(
                f"{clip(self.id)} is not a VPC id",
                "write vpc- and 8 or 17 hex digits, e.g. vpc-0abc1234def567890",
                field="id",
            )
        return self


class ExistingInstances(_Model):
    """Instances that already run in the service's (existing) VPC, found by their tags."""

    tags: TagMap = Field(min_length=1, description="tags the instances carry, e.g. {Role: api}")


_LAYOUT_FIELDS = ("cidr", "secondary_cidrs", "azs", "subnets", "nat", "instances")


class VpcSpec(_Model):
    account: Name | None = Field(
        default=None, description="account name; optional with one account"
    )
    region: str
    existing: ExistingVpc | None = Field(
        default=None,
        description="a VPC that already exists (found by tags or id): vpcwire reads it and "
        "adds only the connection; it then takes no cidr, azs, subnets, nat or instances",
    )
    cidr: AwsBlock = Field(
        default=UNRESOLVED,
        description="the VPC's primary IPv4 block; required unless existing",
        # the stand-in default is no value a user can write: keep it out of the schema
        json_schema_extra=lambda schema: schema.pop("default", None),  # type: ignore[arg-type]
    )
    secondary_cidrs: list[AwsBlock] = Field(default_factory=list)
    azs: list[AzName] | None = Field(
        default=None,
        description="AZs to lay out one private (and, with nat, one public) subnet in each",
    )
    subnets: SubnetLayout | None = Field(
        default=None, description="explicit subnets instead of azs"
    )
    nat: bool = Field(default=False, description="NAT gateway for the private subnets' egress")
    instances: int | None = Field(
        default=None,
        ge=0,
        le=20,
        description="sample client instances; default 1 in a VPC that consumes or peers and "
        "hosts no service, else 0",
    )

    @field_validator("region")
    @classmethod
    def _known_region(cls, value: str) -> str:
        if value not in known_regions():
            import difflib

            close = difflib.get_close_matches(value[:40], sorted(known_regions()), n=3)
            hint = f"; did you mean {' or '.join(close)}?" if close else ""
            raise refuse(
                f"unknown AWS region {clip(value)}{hint}",
                "use a region code such as us-east-1 (`aws ec2 describe-regions` lists them)",
            )
        return value

    @model_validator(mode="after")
    def _one_layout(self) -> VpcSpec:
        if self.existing is not None:
            for name in _LAYOUT_FIELDS:
                if name in self.model_fields_set:
                    raise refuse(
                        f"an existing VPC takes no {name}: vpcwire reads its blocks, subnets "
                        "and instances from the target",
                        f"remove {name}, or remove existing to describe a new VPC",
                        field=name,
                    )
            return self
        if "cidr" not in self.model_fields_set:
            raise refuse(
                "the VPC has no cidr",
                "give cidr (a VPC vpcwire creates) or existing: {tags: {Name: ...}} "
                "(one that exists)",
            )
        if self.azs is None and self.subnets is None:
            raise refuse(
                "the VPC has no subnets",
                "give either azs (vpcwire lays out subnets) or subnets (explicit)",
            )
        if self.azs is not None and self.subnets is not None:
            raise refuse("both azs and subnets are given", "give azs or subnets, not both")
        if self.azs is not None and not self.azs:
            raise refuse("azs is empty", "list at least one availability zone")
        if self.subnets is not None and not self.subnets.private:
            raise refuse("subnets.private is empty", "list at least one private subnet")
        return self


class TargetsSpec(_Model):
    """Who serves: sample instances that vpcwire creates, or addresses you already run."""

    instances: int | None = Field(default=None, ge=1, le=20)
    ips: list[Annotated[str, Field(max_length=64)]] | None = None  # each checked by VW-E107
    existing_instances: ExistingInstances | None = Field(
        default=None, description="instances that already run in an existing VPC, by tags"
    )

    @model_validator(mode="after")
    def _exactly_one(self) -> TargetsSpec:
        given = [x for x in (self.instances, self.ips, self.existing_instances) if x is not None]
        if len(given) != 1:
            raise refuse(
                "targets need exactly one of instances, ips or existing_instances",
                "give instances (a count), ips (a list of addresses) or existing_instances "
                "({tags: {...}}), only one",
            )
        if self.ips is not None and len(set(self.ips)) != len(self.ips):
            raise refuse("ips lists an address twice", "list each target address once")
        return self


class ServiceSpec(_Model):
    vpc: Name
    port: Port | None = None
    ports: list[Port] | None = None
    protocol: Literal["tcp", "udp", "tcp_udp"] = "tcp"
    targets: TargetsSpec = Field(default_factory=lambda: TargetsSpec(instances=2))
    acceptance_required: bool = Field(
        default=False, description="the provider must accept each endpoint connection"
    )
    allowed_principals: list[str] | None = Field(
        default=None, description="principal ARNs; default: the root of each consumer's account"
    )

    @field_validator("allowed_principals")
    @classmethod
    def _principal_arns(cls, value: list[str] | None) -> list[str] | None:
        for item in value or []:
            if not PRINCIPAL_PATTERN.fullmatch(item):
                raise refuse(
                    f"{clip(item)} is not a principal an endpoint service can allow",
                    'write "*" or an ARN like arn:aws:iam::123456789012:root (or :role/name)',
                )
        return value

    idle_timeout: int | None = Field(
        default=None, ge=60, le=6000, description="custom NLB TCP idle timeout, seconds"
    )

    @model_validator(mode="after")
    def _ports_given(self) -> ServiceSpec:
        if (self.port is None) == (self.ports is None):
            raise refuse("a service needs exactly one of port or ports", "give port or ports")
        if self.ports is not None and not self.ports:
            raise refuse("ports is empty", "list at least one port")
        if self.ports is not None and len(set(self.ports)) != len(self.ports):
            raise refuse("ports lists a port twice", "list each port once")
        return self

    @property
    def port_list(self) -> list[int]:
        return [self.port] if self.port is not None else list(self.ports or [])


class AllowRule(_Model):
    protocol: Literal["tcp", "udp", "icmp", "all"] = "all"
    ports: list[Port] | None = Field(default=None, description="tcp/udp only; default all ports")

    @model_validator(mode="after")
    def _ports_fit_protocol(self) -> AllowRule:
        if self.ports is not None and self.protocol not in ("tcp", "udp"):
            raise refuse(
                f"ports apply only to tcp or udp, not {self.protocol}",
                "drop ports, or set protocol: tcp or udp",
            )
        return self


class ServiceConnection(_Model):
    """consumer -> service: one-way access from a VPC to a service's port(s)."""

    consumer: Name = Field(description="the VPC whose workloads call the service")
    service: Name
    via: Mechanism = "auto"
    traffic_gb_month: float | None = Field(default=None, ge=0, allow_inf_nan=False)
    outpost_cidr: AwsBlock | None = Field(
        default=None, description="CIDR for the outpost VPC (via: outpost); allocated if absent"
    )
    private_dns: bool = Field(
        default=False, description="consumer needs the provider's private DNS names"
    )


class PeerConnection(_Model):
    """peers: [a, b, ...]: full two-way network among two or more VPCs, any-to-any.

    Over peering, a full mesh (one peering per pair). Over Transit Gateways, each entry is a
    *segment*: its VPCs reach each other and nothing else, so a VPC listed in two entries (a
    shared-services VPC) reaches both groups while the groups still do not reach each other.
    """

    peers: Annotated[
        list[Name],
        Field(
            min_length=2,
            max_length=MAX_PEERS,
            description="two or more VPCs that reach each other any-to-any",
        ),
    ]
    via: PeerMechanism = Field(
        default="auto",
        description="peering (a full mesh), transit-gateway (a segment on Transit Gateways), "
        "or auto (the guide decides and says why)",
    )
    allow: list[AllowRule] = Field(
        default_factory=lambda: [AllowRule(protocol="all")],
        description="what the peers' security groups admit from each other; default all traffic",
    )
    traffic_gb_month: float | None = Field(default=None, ge=0, allow_inf_nan=False)
    dns_resolution: bool = Field(
        default=True, description="resolve the peer's private DNS hostnames to private IPs"
    )

    @field_validator("peers", mode="before")
    @classmethod
    def _two_or_more(cls, value: Any) -> Any:
        if isinstance(value, list) and len(value) < 2:
            raise refuse(
                f"peers needs two or more VPCs, not {len(value)}",
                "list the VPCs that reach each other, e.g. peers: [a, b] (a VPC's own "
                "workloads already reach each other)",
            )
        return value

    @model_validator(mode="after")
    def _each_peer_once(self) -> PeerConnection:
        # Two names the same is VW-E105's (a VPC cannot peer with itself); from three on, a
        # name listed twice is a slip in a group.
        if len(self.peers) > 2:
            seen: set[str] = set()
            for name in self.peers:
                if name in seen:
                    raise refuse(
                        f"peers lists {name} twice",
                        f"list each VPC once: [{', '.join(dict.fromkeys(self.peers))}]",
                        field="peers",
                    )
                seen.add(name)
        return self

    @property
    def pairs(self) -> list[tuple[str, str]]:
        """Every unordered pair of distinct peers, in the order written: (a, b), (a, c), (b, c)."""
        return [(a, b) for i, a in enumerate(self.peers) for b in self.peers[i + 1 :] if a != b]

    @property
    def label(self) -> str:
        return " <-> ".join(self.peers)


def _connection_kind(value: Any) -> str | None:
    if isinstance(value, dict):
        if "peers" in value:
            return "peers"
        if "consumer" in value or "service" in value:
            return "service"
        return None
    return "peers" if isinstance(value, PeerConnection) else "service"


Connection = Annotated[
    Annotated[ServiceConnection, Tag("service")] | Annotated[PeerConnection, Tag("peers")],
    Discriminator(
        _connection_kind,
        custom_error_type="connection_kind",
        custom_error_message="a connection has either consumer + service, or peers: [a, b, ...]",
    ),
]


class Expectation(_Model):
    """A reachability the user relies on, checked against the connections (rule VW-E203)."""

    from_: Name = Field(alias="from", description="the VPC whose workloads open connections")
    to: Name = Field(description="the VPC (or service) they must reach")


class Spec(_Model):
    """The whole spec file."""

    name: Annotated[str, Field(pattern=NAME_PATTERN)] | None = Field(
        default=None, description="stack name; defaults to the file name"
    )
    accounts: dict[Name, AccountSpec] = Field(min_length=1)
    vpcs: dict[Name, VpcSpec] = Field(min_length=1)
    services: dict[Name, ServiceSpec] = Field(default_factory=dict)
    connections: list[Connection] = Field(default_factory=list)
    expect: list[Expectation] = Field(
        default_factory=list,
        description="reachability you rely on, e.g. {from: app, to: db}; each must be given by a "
        "connection of its own (peering is not transitive: app-hub and hub-db peered does not "
        "let app reach db), else rule VW-E203 rejects the spec",
    )
    instance_type: str = Field(
        default="t3.micro", description="EC2 instance type of the sample instances"
    )
    existing_security_groups: Literal["add_rules", "report"] = Field(
        default="report",
        description="where a security group of an existing VPC blocks a connection: report "
        "the rule and its fix (default), or add_rules: add a separate rule resource to it",
    )

    # Where each field came from in the file; set by load_spec, absent for specs built in code.
    _source: Any = PrivateAttr(default=None)

    @field_validator("instance_type")
    @classmethod
    def _instance_type_shape(cls, value: str) -> str:
        if len(value) > 64 or not INSTANCE_TYPE_PATTERN.fullmatch(value):
            raise refuse(
                f"{clip(value)} is not an EC2 instance type name",
                "write family.size, e.g. t3.micro or m7i.large",
            )
        return value

    @property
    def has_existing(self) -> bool:
        """Whether planning needs a read of the target (a VPC declared ``existing``)."""
        return any(v.existing is not None for v in self.vpcs.values())

    @property
    def stack(self) -> str:
        return self.name or "vpcwire"

    def account_of(self, vpc: str) -> str:
        """The account *name* of a VPC (the sole account when the VPC does not say)."""
        declared = self.vpcs[vpc].account
        return declared if declared is not None else next(iter(self.accounts))
