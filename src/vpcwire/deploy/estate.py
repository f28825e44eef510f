"""Read the VPCs a spec declares ``existing:`` from the target, for the planner.

Lives on the deploy side (it needs boto3 and the target's accounts, as ``read_stack``
does), so ``vpcwire.plan`` stays free of AWS clients and a spec without ``existing:``
plans offline. Every VPC of the spec's accounts in the existing VPCs' regions is read, so
that a tag matching none or several can be answered with what was found.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any, Literal

from vpcwire.plan.existing import Estate
from vpcwire.spec.models import Spec

__all__ = ["read_estate"]


def read_estate(
    spec: Spec, target: Literal["aws", "sandbox"], endpoint_url: str | None = None
) -> Estate:
    """The observed network of the spec's accounts in its existing VPCs' regions."""
    from vpcwire.deploy.stack import read_access
    from vpcwire.read.reader import read_snapshots

    regions = sorted({v.region for v in spec.vpcs.values() if v.existing is not None})
    access = read_access(spec, target, endpoint_url)
    raw = read_snapshots(regions, vpc_filter=None, **access)
    where = target if access["endpoint_url"] is None else f"{target} {access['endpoint_url']}"
    return Estate(raw.mapped().network, where, ours=frozenset(_ours(raw, spec.stack)))


# The lists of a snapshot that can hold resources of a stack, and the key of their own id.
_OWN_ID = {
    "vpcs": "VpcId",
    "subnets": "SubnetId",
    "route_tables": "RouteTableId",
    "peerings": "VpcPeeringConnectionId",
    "security_groups": "GroupId",
    "instances": "InstanceId",
    "endpoints": "VpcEndpointId",
}


def _ours(raw: Any, stack: str) -> Iterator[str]:
    """Ids of the resources tagged vpcwire:stack=<stack> (what `up` made for this spec)."""
    from vpcwire.read.convert import tags_of

    for snap in raw.snapshots:
        for attr, key in _OWN_ID.items():
            for item in getattr(snap, attr):
                if tags_of(item).get("vpcwire:stack") == stack and key in item:
                    yield str(item[key])
