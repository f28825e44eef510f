"""Where in the spec a planned resource comes from, for plan-stage rules.

Plan-stage rules look at the Network, but a finding must point at what the user would edit:
the connection that asked for an endpoint, the service whose principals are too open, the
VPC whose AZ list is wrong. These lookups go from a resource back to that spec path. They
only use what every Network has (names, ids, the plan's decisions), so a rule keeps working
on a Network that was read from AWS: where nothing matches, the path is the VPC's entry.
"""

from __future__ import annotations

from vpcwire.network import Subnet
from vpcwire.plan.plan import Decision, Plan
from vpcwire.spec.models import ServiceConnection
from vpcwire.spec.source import PathKey

__all__ = [
    "az_key",
    "comparable_azs",
    "connection_of",
    "same_az",
    "service_of",
    "subnet_path",
    "vpc_name",
    "vpc_path",
]


def vpc_name(plan: Plan, vpc_id: str) -> str:
    vpc = plan.network.vpcs.get(vpc_id)
    return vpc.name if vpc is not None and vpc.name else vpc_id


def vpc_path(plan: Plan, vpc_id: str) -> PathKey:
    """The spec entry of a VPC; an outpost VPC points at the connection that made it; an
    existing VPC (named by its own Name tag in the network) at its ``existing:`` entry."""
    existing = next((n for n, planned in plan.vpc_ids.items() if planned == vpc_id), None)
    if existing is not None:
        return ("vpcs", existing, "existing")
    name = vpc_name(plan, vpc_id)
    planned = plan.vpcs.get(name)
    return planned.spec_path if planned is not None else ("vpcs", name)


def subnet_path(plan: Plan, subnet: Subnet) -> PathKey:
    """The azs entry or explicit subnet the user wrote for this subnet."""
    if subnet.vpc in plan.vpc_ids.values():
        return vpc_path(plan, subnet.vpc)  # an existing subnet: the user wrote none
    planned = plan.vpcs.get(vpc_name(plan, subnet.vpc))
    if planned is not None:
        for laid in planned.subnets:
            if laid.cidr == subnet.cidr:
                return laid.spec_path
    return vpc_path(plan, subnet.vpc)


def connection_of(plan: Plan, resource_id: str) -> Decision | None:
    """The (first) decision that implied this resource."""
    return next((d for d in plan.decisions if resource_id in d.resources), None)


def service_of(plan: Plan, resource_id: str) -> str | None:
    """The spec service a PrivateLink resource (NLB, listener, endpoint service) serves."""
    decision = connection_of(plan, resource_id)
    if decision is None:
        return None
    conn = plan.spec.connections[decision.index]
    return conn.service if isinstance(conn, ServiceConnection) else None


def az_key(subnet: Subnet) -> str:
    """An AZ's id when known, else its name (names differ between accounts, ids do not)."""
    return subnet.az_id or subnet.az


def comparable_azs(plan: Plan, a: Subnet, b: Subnet) -> bool:
    """Can we tell whether two subnets share an AZ? Yes with both ids, or within one account
    (where a name means one zone); across accounts, names alone say nothing."""
    if a.az_id and b.az_id:
        return True
    vpcs = plan.network.vpcs
    va, vb = vpcs.get(a.vpc), vpcs.get(b.vpc)
    return va is not None and vb is not None and va.account == vb.account


def same_az(a: Subnet, b: Subnet) -> bool:
    """Do two subnets sit in one zone? By id when both are known, else by name."""
    if a.az_id and b.az_id:
        return a.az_id == b.az_id
    return a.az == b.az
