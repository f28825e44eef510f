"""Why `vpcwire plan`'s two resource counts differ: the network model's and Terraform's.

The network model counts what a network is made of, as AWS describes it; Terraform counts
the blocks it manages. Routes, rules, route table associations, target attachments and the
peering's accepter are resources of their own in Terraform but parts of a route table, a
security group, a subnet, a target group or a peering in the model; main route tables,
default network ACLs and the network interfaces of instances, NLBs and endpoints are made
by AWS with their owner, so Terraform creates no resource for them (vpcwire names the
main ones with tags) and AWS-managed prefix lists are only read. This module lays the
difference out so that the two figures visibly add up.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable

from vpcwire.network import Network, kind_of

__all__ = ["terraform_count_line"]

# network kind -> the Terraform types that create one resource of that kind each
_CREATED_AS: dict[str, tuple[str, ...]] = {
    "vpc": ("aws_vpc",),
    "subnet": ("aws_subnet",),
    "route_table": ("aws_route_table", "aws_default_route_table"),
    "internet_gateway": ("aws_internet_gateway",),
    "nat_gateway": ("aws_nat_gateway",),
    "peering": ("aws_vpc_peering_connection",),
    "prefix_list": ("aws_ec2_managed_prefix_list",),
    "security_group": ("aws_security_group", "aws_default_security_group"),
    "network_acl": ("aws_network_acl", "aws_default_network_acl"),
    "network_interface": ("aws_network_interface",),
    "instance": ("aws_instance",),
    "load_balancer": ("aws_lb",),
    "target_group": ("aws_lb_target_group",),
    "listener": ("aws_lb_listener",),
    "endpoint_service": ("aws_vpc_endpoint_service",),
    "vpc_endpoint": ("aws_vpc_endpoint",),
    "transit_gateway": ("aws_ec2_transit_gateway",),
    "tgw_attachment": (
        "aws_ec2_transit_gateway_vpc_attachment",
        "aws_ec2_transit_gateway_peering_attachment",
    ),
    "tgw_route_table": ("aws_ec2_transit_gateway_route_table",),
    "resource_share": ("aws_ram_resource_share",),
}


def terraform_count_line(network: Network, addresses: Iterable[str]) -> str:
    """``terraform: N resources to add …``, with how N follows from the model's count (one
    line when they agree kind by kind; else two or three)."""
    types = Counter(address.split(".", 1)[0] for address in addresses)
    # existing resources (plan/passes/adopt_existing) are inputs, never resources of ours
    existing = Counter(kind_of(r) for r in network.resources() if r.id.startswith("var."))
    kinds = Counter(kind_of(r) for r in network.resources()) - existing
    total, modelled = sum(types.values()), sum(kinds.values()) + sum(existing.values())
    line = f"terraform: {total} resources to add on a first `vpcwire up`"
    if (
        not existing
        and total == modelled
        and all(kinds[k] == sum(types[t] for t in created) for k, created in _CREATED_AS.items())
    ):
        return line
    extra: Counter[str] = Counter()
    absent: Counter[str] = Counter()
    mapped = {t for created in _CREATED_AS.values() for t in created}
    for kind, created in _CREATED_AS.items():
        difference = sum(types[t] for t in created) - kinds[kind]
        if difference > 0:
            extra[created[0]] += difference
        elif difference < 0:
            absent[kind] -= difference
    for kind_type, count in types.items():
        if kind_type not in mapped:
            extra[kind_type] += count
    lines = [f"{line} = the {modelled} network resources above"]
    if extra:
        lines.append(
            "  + "
            + ", ".join(f"{n} {t}" for t, n in sorted(extra.items(), key=lambda i: (-i[1], i[0])))
            + " (resources of their own in Terraform, parts of other resources in the model)"
        )
    if absent:
        lines.append(
            "  − "
            + ", ".join(f"{n} {k}" for k, n in sorted(absent.items(), key=lambda i: (-i[1], i[0])))
            + " (made by AWS with their VPC, instance, load balancer or endpoint, or managed "
            "by AWS: no resource of their own)"
        )
    if existing:
        lines.append(
            "  − "
            + ", ".join(
                f"{n} {k}" for k, n in sorted(existing.items(), key=lambda i: (-i[1], i[0]))
            )
            + " (existing: read from the target, inputs of the configuration, never created)"
        )
    return "\n".join(lines)
