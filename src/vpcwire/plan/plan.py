"""The result of planning, and the context the planner's passes share.

``vpcwire.plan.build.build(spec)`` runs the passes, each a verb-named module in
``plan/passes`` that takes and returns the context defined here. The rules sit above the
planner: ``vpcwire.pipeline.plan`` runs the spec rules first (errors stop there, before
anything is built), then ``build``, then the plan and network rules on the finished
Network. The Plan holds the predicted Network, one Decision per connection (with every
reason and every rejected alternative) and the sample workload each instance runs.

Planned resource ids are the Terraform expressions that evaluate to the AWS id
(``aws_vpc.provider``'s id is written ``aws_vpc.provider``; a main route table is
``aws_vpc.provider.main_route_table_id``) so the renderer can use them as references
directly and a person reading a trace of the plan knows which block to edit.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from ipaddress import IPv4Address, IPv4Network
from typing import Literal

from vpcwire.findings import Finding, Severity
from vpcwire.network import Network, NetworkBuilder, SecurityGroupRule, Subnet
from vpcwire.plan.addressing import LaidOutSubnet
from vpcwire.plan.existing import Estate
from vpcwire.plan.naming import tf_id
from vpcwire.spec.models import Spec

__all__ = [
    "AddedRule",
    "Alternative",
    "Call",
    "Decision",
    "Plan",
    "PlanContext",
    "Reason",
    "VpcPlan",
    "Workload",
]

Mechanism = Literal["peering", "privatelink", "outpost", "native", "transit-gateway"]


@dataclass(frozen=True, slots=True)
class Reason:
    code: str  # stable key for tests and JSON: "one-way", "cidr-overlap", ...
    text: str
    url: str = ""


@dataclass(frozen=True, slots=True)
class Alternative:
    mechanism: str
    why_not: str


@dataclass(frozen=True, slots=True)
class Decision:
    index: int  # position in spec.connections
    label: str  # "consumer -> api", "a <-> b"
    mechanism: Mechanism
    requested: str  # the connection's via
    reasons: tuple[Reason, ...]
    rejected: tuple[Alternative, ...]
    resources: tuple[str, ...] = ()  # ids of the resources this decision added

    def to_dict(self) -> dict[str, object]:
        return {
            "connection": self.index,
            "label": self.label,
            "mechanism": self.mechanism,
            "requested": self.requested,
            "reasons": [{"code": r.code, "text": r.text, "url": r.url} for r in self.reasons],
            "rejected": [{"mechanism": a.mechanism, "why_not": a.why_not} for a in self.rejected],
            "resources": list(self.resources),
        }


@dataclass(frozen=True, slots=True)
class Call:
    """Something a client instance calls, for its user_data and for the verifier's intents."""

    service: str
    port: int
    protocol: str  # tcp | udp
    endpoint: str | None = None  # VpcEndpoint id (PrivateLink family)
    addresses: tuple[IPv4Address, ...] = ()  # target addresses (service reached over peering)


@dataclass(frozen=True, slots=True)
class Workload:
    """What the sample workload on one instance does."""

    instance: str
    serves: str | None = None  # service name
    ports: tuple[int, ...] = ()
    protocol: str = "tcp"
    calls: tuple[Call, ...] = ()
    pings: tuple[IPv4Address, ...] = ()  # peers' instances, for the peering demo


@dataclass(frozen=True, slots=True)
class VpcPlan:
    """A VPC to build: one from the spec, or an outpost vpcwire adds."""

    name: str
    account: str  # account name in the spec
    region: str
    cidrs: tuple[IPv4Network, ...]
    subnets: tuple[LaidOutSubnet, ...]
    nat: bool
    clients: int  # sample client instances
    spec_path: tuple[str | int, ...]
    outpost_for: str | None = None  # provider VPC this outpost fronts
    existing: str | None = None  # AWS id of the VPC, when it exists already (spec existing:)


@dataclass(frozen=True, slots=True)
class AddedRule:
    """An ingress rule vpcwire adds to a security group it does not own
    (``existing_security_groups: add_rules``): rendered as its own rule resource."""

    group: str  # planned id of the existing group (var.…)
    rule: SecurityGroupRule


@dataclass(frozen=True)
class Plan:
    spec: Spec
    network: Network
    decisions: tuple[Decision, ...]
    findings: tuple[Finding, ...]
    workloads: dict[str, Workload] = field(default_factory=dict)
    vpcs: dict[str, VpcPlan] = field(default_factory=dict)
    # Existing resources: planned id (a Terraform input variable, ``var.…``) -> AWS id.
    existing: dict[str, str] = field(default_factory=dict)
    added_rules: tuple[AddedRule, ...] = ()
    vpc_ids: dict[str, str] = field(default_factory=dict)  # existing VPC name -> planned id

    @property
    def errors(self) -> list[Finding]:
        return [f for f in self.findings if f.severity is Severity.ERROR]


@dataclass
class PlanContext:
    """What the passes share while a plan is being built."""

    spec: Spec
    builder: NetworkBuilder = field(default_factory=NetworkBuilder)
    decisions: list[Decision] = field(default_factory=list)
    workloads: dict[str, Workload] = field(default_factory=dict)
    vpcs: dict[str, VpcPlan] = field(default_factory=dict)
    # (provider VPC, consumer region) -> outpost VPC name
    outposts: dict[tuple[str, str], str] = field(default_factory=dict)
    hosts_used: dict[str, int] = field(default_factory=dict)  # subnet id -> addresses handed out
    # VPC name -> its subnets by tier, in layout order (filled by lay_out_vpcs)
    subnets: dict[str, dict[str, list[Subnet]]] = field(default_factory=dict)
    estate: Estate | None = None  # the read of the target, when the spec has existing VPCs
    existing: dict[str, str] = field(default_factory=dict)  # planned id (var.…) -> AWS id
    vpc_ids: dict[str, str] = field(default_factory=dict)  # existing VPC name -> planned id
    # service -> planned ids of the existing instances that serve it (adopt_existing)
    existing_targets: dict[str, list[str]] = field(default_factory=dict)
    added_rules: list[AddedRule] = field(default_factory=list)

    def existing_target_interfaces(self, service: str) -> set[str]:
        """The primary interfaces of the existing instances that serve ``service`` (they
        carry their own groups, not the service's targets group)."""
        return {
            self.builder.get("instance", i).interface
            for i in self.existing_targets.get(service, [])
        }

    def vpc_id(self, name: str) -> str:
        """The planned id of a spec VPC: ``aws_vpc.<name>``, or ``var.<name>_vpc_id`` for
        one that exists already."""
        return self.vpc_ids.get(name) or tf_id("aws_vpc", name)

    def account_id(self, account_name: str) -> str:
        return self.spec.accounts[account_name].id

    def record(self, index: int, *resource_ids: str) -> None:
        """Note that connection ``index``'s decision implies these resources."""
        for i, d in enumerate(self.decisions):
            if d.index == index:
                self.decisions[i] = Decision(
                    d.index,
                    d.label,
                    d.mechanism,
                    d.requested,
                    d.reasons,
                    d.rejected,
                    (*d.resources, *(r for r in resource_ids if r not in d.resources)),
                )
                return
