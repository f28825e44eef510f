"""The spec: what the user wants connected, as pydantic v2 models.

Field-level checks live here (types, ranges, unknown keys, known regions). Checks that
relate several fields the way AWS does (a subnet inside its VPC, AZs in the VPC's
region, peers that do not overlap) are rules in ``vpcwire.plan.rules``: they report
every problem at once, with an id, a documentation link and a fix.
"""

from __future__ import annotations

import re
from functools import cache
from ipaddress import IPv4Network
from typing import Annotated, Any, Literal

from pydantic import (
    BaseModel,
    ConfigDict,
    Discriminator,
    Field,
    PrivateAttr,
    Tag,
    field_validator,
    model_validator,
)

__all__ = [
    "AccountSpec",
    "AllowRule",
    "Connection",
    "Expectation",
    "Mechanism",
    "PeerConnection",
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
Port = Annotated[int, Field(ge=1, le=65535)]


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
    role_arn: str | None = Field(
        default=None, description="IAM role to assume for this account's resources"
    )
    profile: str | None = Field(default=None, description="named AWS CLI profile")
    az_ids: dict[str, str] = Field(
        default_factory=dict,
        description="AZ name -> AZ id in this account (e.g. us-east-1a: use1-az4); AZ names "
        "map to different physical zones in different accounts, ids do not",
    )

    @field_validator("id", mode="before")
    @classmethod
    def _id_is_twelve_digits(cls, value: Any) -> Any:
        if isinstance(value, int) and not isinstance(value, bool):
            value = str(value)
        if not isinstance(value, str) or not re.fullmatch(r"\d{12}", value):
            raise ValueError(
                "an AWS account id is exactly 12 digits; quote it in YAML so that leading "
                'zeros survive (id: "012345678901")'
            )
        return value

    @field_validator("role_arn")
    @classmethod
    def _role_arn_shape(cls, value: str | None) -> str | None:
        if value is not None and not re.fullmatch(
            r"arn:aws[\w-]*:iam::\d{12}:role/[\w+=,.@/-]+", value
        ):
            raise ValueError("expected a role ARN like arn:aws:iam::123456789012:role/deployer")
        return value


class SubnetSpec(_Model):
    cidr: IPv4Network
    az: str = Field(description="availability zone name, e.g. us-east-1a")


class SubnetLayout(_Model):
    private: list[SubnetSpec] = Field(default_factory=list)
    public: list[SubnetSpec] = Field(default_factory=list)


class VpcSpec(_Model):
    account: Name | None = Field(
        default=None, description="account name; optional with one account"
    )
    region: str
    cidr: IPv4Network
    secondary_cidrs: list[IPv4Network] = Field(default_factory=list)
    azs: list[str] | None = Field(
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

            close = difflib.get_close_matches(value, sorted(known_regions()), n=3)
            hint = f"; did you mean {' or '.join(close)}?" if close else ""
            raise ValueError(f"unknown AWS region {value!r}{hint}")
        return value

    @model_validator(mode="after")
    def _one_layout(self) -> VpcSpec:
        if self.azs is None and self.subnets is None:
            raise ValueError("give either azs (vpcwire lays out subnets) or subnets (explicit)")
        if self.azs is not None and self.subnets is not None:
            raise ValueError("give azs or subnets, not both")
        if self.azs is not None and not self.azs:
            raise ValueError("azs must list at least one availability zone")
        if self.subnets is not None and not self.subnets.private:
            raise ValueError("subnets.private must list at least one subnet")
        return self


class TargetsSpec(_Model):
    """Who serves: sample instances that vpcwire creates, or addresses you already run."""

    instances: int | None = Field(default=None, ge=1, le=20)
    ips: list[str] | None = None

    @model_validator(mode="after")
    def _exactly_one(self) -> TargetsSpec:
        if (self.instances is None) == (self.ips is None):
            raise ValueError("give exactly one of instances (a count) or ips (a list)")
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
    idle_timeout: int | None = Field(
        default=None, ge=60, le=6000, description="custom NLB TCP idle timeout, seconds"
    )

    @model_validator(mode="after")
    def _ports_given(self) -> ServiceSpec:
        if (self.port is None) == (self.ports is None):
            raise ValueError("give exactly one of port or ports")
        if self.ports is not None and len(set(self.ports)) != len(self.ports):
            raise ValueError("ports lists a port twice")
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
            raise ValueError("ports apply only to tcp or udp")
        return self


class ServiceConnection(_Model):
    """consumer -> service: one-way access from a VPC to a service's port(s)."""

    consumer: Name = Field(description="the VPC whose workloads call the service")
    service: Name
    via: Mechanism = "auto"
    traffic_gb_month: float | None = Field(default=None, ge=0)
    outpost_cidr: IPv4Network | None = Field(
        default=None, description="CIDR for the outpost VPC (via: outpost); allocated if absent"
    )
    private_dns: bool = Field(
        default=False, description="consumer needs the provider's private DNS names"
    )


class PeerConnection(_Model):
    """peers: [a, b]: full two-way network between two VPCs."""

    peers: Annotated[list[Name], Field(min_length=2, max_length=2)]
    via: Mechanism = "auto"
    allow: list[AllowRule] = Field(
        default_factory=lambda: [AllowRule(protocol="all")],
        description="what the peers' security groups admit from each other; default all traffic",
    )
    traffic_gb_month: float | None = Field(default=None, ge=0)
    dns_resolution: bool = Field(
        default=True, description="resolve the peer's private DNS hostnames to private IPs"
    )


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
        custom_error_message="a connection has either consumer + service, or peers: [a, b]",
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
    instance_type: str = "t3.micro"

    # Where each field came from in the file; set by load_spec, absent for specs built in code.
    _source: Any = PrivateAttr(default=None)

    @property
    def stack(self) -> str:
        return self.name or "vpcwire"

    def account_of(self, vpc: str) -> str:
        """The account *name* of a VPC (the sole account when the VPC does not say)."""
        declared = self.vpcs[vpc].account
        return declared if declared is not None else next(iter(self.accounts))
