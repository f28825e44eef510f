"""Place the sample workload: service target instances and client instances.

Instances get fixed private addresses (host_address) so that the plan knows them: an
outpost NLB registers the provider's targets by IP, a peer's client calls them by IP, and
the verifier reasons about exact addresses before anything exists. Targets are spread
round-robin over the service VPC's private subnets, so a service with two instances in two
AZs survives the loss of one.

Targets given as ``ips`` are workloads vpcwire does not own: they appear as "external"
interfaces carrying the service's target security group, which their owner must attach.
"""

from __future__ import annotations

from ipaddress import IPv4Address

from vpcwire.errors import SpecError, SpecProblem
from vpcwire.network import Instance, NetworkInterface, SecurityGroup, Subnet
from vpcwire.plan.addressing import host_address
from vpcwire.plan.naming import tf_id
from vpcwire.plan.plan import PlanContext
from vpcwire.spec.source import PathKey, format_path, spec_location


def run(ctx: PlanContext) -> PlanContext:
    taken = {IPv4Address(ip) for svc in ctx.spec.services.values() for ip in svc.targets.ips or []}
    for svc_name, svc in ctx.spec.services.items():
        if svc.vpc in ctx.vpc_ids:
            continue  # existing hosts with their own groups serve it (adopt_existing)
        vpc_id = ctx.vpc_id(svc.vpc)
        targets_sg = tf_id("aws_security_group", f"{svc_name}_targets")
        ctx.builder.add(SecurityGroup(targets_sg, f"{svc_name}_targets", vpc_id))
        if svc.targets.instances:
            subnets = ctx.subnets[svc.vpc]["private"]
            for k in range(svc.targets.instances):
                _instance(
                    ctx,
                    f"{svc_name}_{k + 1}",
                    subnets[k % len(subnets)],
                    (targets_sg, _workload_sg(ctx, svc.vpc)),
                    f"target:{svc_name}",
                    taken,
                    ("services", svc_name, "targets", "instances"),
                )
        for ip in svc.targets.ips or []:
            _external_target(ctx, svc_name, svc.vpc, IPv4Address(ip), targets_sg)
    for plan in ctx.vpcs.values():
        if plan.clients:
            subnets = ctx.subnets[plan.name]["private"]
            for k in range(plan.clients):
                _instance(
                    ctx,
                    f"{plan.name}_client_{k + 1}",
                    subnets[k % len(subnets)],
                    (_workload_sg(ctx, plan.name),),
                    "client",
                    taken,
                    (*plan.spec_path, "instances"),
                )
    return ctx


def _workload_sg(ctx: PlanContext, vpc: str) -> str:
    """Every instance in a VPC carries its VPC's workload group: peers' and clients' rules."""
    sg_id = tf_id("aws_security_group", f"{vpc}_workload")
    if ctx.builder.get_or_none("security_group", sg_id) is None:
        ctx.builder.add(SecurityGroup(sg_id, f"{vpc}_workload", ctx.vpc_id(vpc)))
    return sg_id


def _instance(
    ctx: PlanContext,
    name: str,
    subnet: Subnet,
    groups: tuple[str, ...],
    role: str,
    taken: set[IPv4Address],
    spec_path: PathKey,
) -> None:
    address: IPv4Address | None = None
    while address is None or address in taken:
        index = ctx.hosts_used.get(subnet.id, 0)
        ctx.hosts_used[subnet.id] = index + 1
        address = host_address(subnet.cidr, index)
        if address is None:
            break
    if address is None:
        # AWS keeps 5 addresses of every subnet; a /28 holds 11 instances
        raise SpecError(
            [
                SpecProblem(
                    spec_location(ctx.spec, spec_path),
                    format_path(spec_path),
                    f"subnet {subnet.name} ({subnet.cidr}) has no address left for {name}",
                    hint="ask for fewer instances, or give the VPC larger subnets (AWS keeps 5 "
                    "addresses of each subnet: a /28 holds 11 instances)",
                    kind="aws",
                )
            ]
        )
    inst_id = tf_id("aws_instance", name)
    eni_id = f"{inst_id}.primary_network_interface_id"
    ctx.builder.add(
        NetworkInterface(
            eni_id, name, subnet.vpc, subnet.id, address, groups, kind="instance", owner=inst_id
        )
    )
    ctx.builder.add(Instance(inst_id, name, subnet.vpc, subnet.id, eni_id, role=role))


def _external_target(ctx: PlanContext, svc: str, vpc: str, ip: IPv4Address, sg: str) -> None:
    tiers = ctx.subnets[vpc]
    home = next((s for s in (*tiers["private"], *tiers["public"]) if ip in s.cidr), None)
    if home is None:
        return  # rule VW-E107 reports an IP target outside the service VPC's subnets
    name = f"{svc}_target_{str(ip).replace('.', '_')}"
    ctx.builder.add(
        NetworkInterface(f"external:{ip}", name, home.vpc, home.id, ip, (sg,), kind="external")
    )
