"""Take each existing VPC into the plan as it is: its subnets, route tables (the main one
too), network ACLs, security groups, gateways and instances, as the read of the target found
them.

They enter the predicted Network so that the guide, the rules and the verifier judge the
real estate, but under ids that are Terraform input variables (``var.<vpc>_vpc_id``,
``var.<vpc>_subnet_2_id``): a reference to one renders as that variable, whose default is
the AWS id, so the rendered module takes the existing ids as inputs and never manages an
existing resource. ``Plan.existing`` maps each such id to the AWS id. Names stay the ones
the estate gave them (its Name tags), so the plan and the live read match by name.

An instance whose Name tag is missing or shared is named by its AWS id, so that every
intent names one instance (a live read finds it by that id).

Instances in an existing VPC are the estate's own: those the service's ``targets`` name
serve it (role ``target:<service>``); the others call out (``client``) in a VPC that
consumes or peers, and are bystanders (``existing``) elsewhere.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import fields, is_dataclass, replace
from typing import Any

from vpcwire.network import Network, Resource
from vpcwire.plan.existing import existing_targets, public_subnets, without_stack
from vpcwire.plan.plan import PlanContext
from vpcwire.spec.models import PeerConnection, ServiceConnection

# (Network attribute, variable word) in the order ids are numbered
_KINDS = (
    ("subnets", "subnet"),
    ("route_tables", "route_table"),
    ("network_acls", "network_acl"),
    ("security_groups", "security_group"),
    ("internet_gateways", "internet_gateway"),
    ("nat_gateways", "nat_gateway"),
    ("interfaces", "interface"),
    ("instances", "instance"),
)


def run(ctx: PlanContext) -> PlanContext:
    estate = ctx.estate
    if estate is None:
        return ctx
    targets = existing_targets(ctx.spec, estate)
    role_of = {i.id: f"target:{svc}" for svc, found in targets.items() for i in found}
    talkers = {p for c in ctx.spec.connections if isinstance(c, PeerConnection) for p in c.peers}
    talkers |= {c.consumer for c in ctx.spec.connections if isinstance(c, ServiceConnection)}
    named = Counter(
        i.name for i in estate.network.instances.values() if i.vpc in estate.vpcs.values()
    )
    for name, vpc_id in estate.vpcs.items():
        ids = _variables(estate.network, name, vpc_id)
        ctx.existing.update({planned: aws for aws, planned in ids.items()})
        ctx.vpc_ids[name] = ids[vpc_id]
        public = public_subnets(estate.network, vpc_id)
        tiers = ctx.subnets.setdefault(name, {"private": [], "public": []})
        default_role = "client" if name in talkers else "existing"
        for resource in _resources_of(estate.network, vpc_id, estate.ours):
            copied: Any = _rewrite(without_stack(resource, estate.ours, ctx.spec.stack), ids)
            if resource.id in estate.network.instances:
                # intents name instances; a Name tag shared or missing names none: the AWS id
                # does (a live read finds it by id, and this plan by that name)
                unique = resource.name and named[resource.name] == 1
                copied = replace(
                    copied,
                    role=role_of.get(resource.id, default_role),
                    name=resource.name if unique else resource.id,
                )
            ctx.builder.add(copied)
            if resource.id in estate.network.subnets:
                tiers["public" if resource.id in public else "private"].append(copied)
        if not tiers["private"]:
            tiers["private"], tiers["public"] = tiers["public"], []
        tiers["private"].sort(key=lambda s: (s.az, s.cidr))
    for svc, found in targets.items():
        ctx.existing_targets[svc] = [_variable_of(ctx, i.id) for i in found]
    return ctx


def _variable_of(ctx: PlanContext, aws_id: str) -> str:
    return next(planned for planned, real in ctx.existing.items() if real == aws_id)


def _resources_of(net: Network, vpc_id: str, ours: frozenset[str]) -> list[Resource]:
    """The estate's resources in the VPC as they were before this stack: without what the
    stack made (its groups, its routes to its peerings), should it be deployed already."""
    out: list[Resource] = [net.vpcs[vpc_id]]
    for attr, _ in _KINDS:
        for resource in getattr(net, attr).values():
            if getattr(resource, "vpc", None) != vpc_id or resource.id in ours:
                continue
            if attr == "interfaces" and resource.kind not in ("instance", "nat_gateway"):
                continue  # endpoints and balancers of the estate are not modelled here
            out.append(resource)
    return out


def _variables(net: Network, name: str, vpc_id: str) -> dict[str, str]:
    """AWS id -> the input variable standing for it, numbered in id order per kind."""
    ids = {vpc_id: f"var.{name}_vpc_id"}
    for attr, word in _KINDS:
        found = sorted(
            r.id for r in getattr(net, attr).values() if getattr(r, "vpc", None) == vpc_id
        )
        for k, aws_id in enumerate(found, start=1):
            ids[aws_id] = f"var.{name}_{word}_{k}_id"
    return ids


def _rewrite(value: Any, ids: dict[str, str]) -> Any:
    """The value with every id of ``ids`` replaced by its variable, however deep."""
    if isinstance(value, str):
        return ids.get(value, value)
    if isinstance(value, tuple):
        return tuple(_rewrite(v, ids) for v in value)
    if is_dataclass(value) and not isinstance(value, type):
        changes = {
            f.name: _rewrite(getattr(value, f.name), ids)
            for f in fields(value)
            if f.name not in ("origin", "unknowns", "tags", "name", "description")
        }
        return replace(value, **changes)
    return value
