"""PrivateLink: provider NLBs and endpoint services, consumer interface endpoints.

Per service, one "home" NLB in the provider VPC serves every same-region and native
cross-region consumer (native: the service lists the consumers' regions in
supported_regions). Per (service, outpost), one more NLB in the outpost VPC whose IP
targets are the provider's addresses, registered with availability_zone = "all" because
they live outside the NLB's VPC. Each consumer gets its own interface endpoint with its own
security group (never the VPC default, which would admit only its own members), in one
private subnet per AZ that the NLB also covers.

Allowed principals are always explicit: the consumers' account roots unless the spec
lists principals. Cross-zone load balancing is turned on only when some NLB AZ has no
target of its own: otherwise it would only add cross-AZ charges.
"""

from __future__ import annotations

from typing import Literal

from vpcwire.network import (
    EndpointService,
    Listener,
    LoadBalancer,
    NetworkInterface,
    SecurityGroup,
    Subnet,
    Target,
    TargetGroup,
    VpcEndpoint,
)
from vpcwire.plan.naming import region_slug, tf_id
from vpcwire.plan.plan import PlanContext
from vpcwire.spec.models import ServiceConnection, ServiceSpec

FAMILY = ("privatelink", "native", "outpost")
LbProtocol = Literal["TCP", "UDP", "TCP_UDP"]


def run(ctx: PlanContext) -> PlanContext:
    by_front: dict[tuple[str, str | None], list[int]] = {}  # (service, outpost or None) -> conns
    for decision in ctx.decisions:
        if decision.mechanism not in FAMILY:
            continue
        conn = ctx.spec.connections[decision.index]
        assert isinstance(conn, ServiceConnection)
        outpost = None
        if decision.mechanism == "outpost":
            provider = ctx.spec.services[conn.service].vpc
            outpost = ctx.outposts[(provider, ctx.spec.vpcs[conn.consumer].region)]
        by_front.setdefault((conn.service, outpost), []).append(decision.index)

    for (service, outpost), indexes in by_front.items():
        conns = [ctx.spec.connections[i] for i in indexes]
        front = _front(
            ctx, service, outpost, [c for c in conns if isinstance(c, ServiceConnection)]
        )
        for index in indexes:
            conn = ctx.spec.connections[index]
            assert isinstance(conn, ServiceConnection)
            endpoint = _endpoint(ctx, conn, front[-1])
            ctx.record(index, *front, endpoint)
    return ctx


def _front(
    ctx: PlanContext, service: str, outpost: str | None, conns: list[ServiceConnection]
) -> list[str]:
    """The NLB, target groups, listeners and endpoint service a set of consumers share.

    Returns their ids, the endpoint service's last."""
    spec = ctx.spec
    svc = spec.services[service]
    home = outpost or svc.vpc
    suffix = service if outpost is None else f"{service}_{region_slug(ctx.vpcs[outpost].region)}"
    vpc_id = ctx.vpc_id(home)
    lb_subnets = _one_per_az(ctx.subnets[home]["private"])
    lb_id = tf_id("aws_lb", suffix)

    targets, target_type, target_azs = _targets(ctx, service, svc, outpost is not None)
    lb_azs = {s.az for s in lb_subnets}
    cross_zone = outpost is None and not lb_azs <= target_azs
    nodes = tuple(f"{lb_id}:{s.name}" for s in lb_subnets)
    for node, subnet in zip(nodes, lb_subnets, strict=True):
        ctx.builder.add(
            NetworkInterface(
                node, "", vpc_id, subnet.id, None, (), kind="load_balancer", owner=lb_id
            )
        )
    ctx.builder.add(
        LoadBalancer(
            lb_id,
            suffix,
            vpc_id,
            tuple(s.id for s in lb_subnets),
            nodes,
            cross_zone=cross_zone,
            idle_timeout=svc.idle_timeout,
        )
    )
    protocol: LbProtocol = {"tcp": "TCP", "udp": "UDP", "tcp_udp": "TCP_UDP"}[svc.protocol]  # type: ignore[assignment]
    ids = [lb_id]
    for port in svc.port_list:
        tg_id = tf_id("aws_lb_target_group", f"{suffix}_{port}")
        ids += [tg_id, tf_id("aws_lb_listener", f"{suffix}_{port}")]
        ctx.builder.add(
            TargetGroup(
                tg_id,
                f"{suffix}_{port}",
                vpc_id,
                protocol,
                port,
                target_type,
                tuple(Target(t.id, port, t.availability_zone) for t in targets),
            )
        )
        ctx.builder.add(
            Listener(
                tf_id("aws_lb_listener", f"{suffix}_{port}"),
                f"{suffix}_{port}",
                lb_id,
                port,
                protocol,
                tg_id,
            )
        )

    consumer_accounts = sorted({ctx.account_id(spec.account_of(c.consumer)) for c in conns})
    principals = tuple(
        svc.allowed_principals or [f"arn:aws:iam::{a}:root" for a in consumer_accounts]
    )
    provider = ctx.vpcs[home]
    remote = sorted({spec.vpcs[c.consumer].region for c in conns} - {provider.region})
    service_id = tf_id("aws_vpc_endpoint_service", suffix)
    ctx.builder.add(
        EndpointService(
            service_id,
            suffix,
            f"{service_id}.service_name",
            ctx.account_id(provider.account),
            provider.region,
            (lb_id,),
            acceptance_required=svc.acceptance_required,
            allowed_principals=principals,
            supported_regions=tuple(sorted({provider.region, *remote})) if remote else (),
        )
    )
    return [*ids, service_id]


def _targets(
    ctx: PlanContext, service: str, svc: ServiceSpec, outpost: bool
) -> tuple[list[Target], Literal["instance", "ip"], set[str]]:
    """Target list, target type and the AZs the targets sit in."""
    subnets = {s.id: s for s in ctx.builder.all("subnet")}
    existing = ctx.existing_targets.get(service)
    if (svc.targets.instances or existing) and not outpost:
        insts = [i for i in ctx.builder.all("instance") if i.role == f"target:{service}"]
        return [Target(i.id) for i in insts], "instance", {subnets[i.subnet].az for i in insts}
    own = {ctx.builder.get("instance", i).interface for i in existing or ()}
    enis = [
        e
        for e in ctx.builder.all("network_interface")
        if (
            set(e.security_groups) & {tf_id("aws_security_group", f"{service}_targets")}
            or e.id in own
        )
        and e.private_ip is not None
    ]
    # Targets outside the NLB's VPC (the outpost pattern) are reachable from every NLB AZ.
    az = "all" if outpost else None
    return (
        [Target(str(e.private_ip), None, az) for e in enis],
        "ip",
        {subnets[e.subnet].az for e in enis},
    )


def _endpoint(ctx: PlanContext, conn: ServiceConnection, service_id: str) -> str:
    service = ctx.builder.get("endpoint_service", service_id)
    lb = ctx.builder.get("load_balancer", service.load_balancers[0])
    consumer = ctx.vpcs[conn.consumer]
    name = f"{conn.consumer}_{conn.service}"
    vpc_id = ctx.vpc_id(conn.consumer)
    candidates = _one_per_az(ctx.subnets[conn.consumer]["private"])
    if service.region == consumer.region:
        lb_keys = {_az_key(ctx, s) for s in ctx.builder.all("subnet") if s.id in lb.subnets}
        covered = [s for s in candidates if _az_key(ctx, s) in lb_keys]
        # none covered: keep them all and let rule VW-E303 say why the endpoint cannot work
        candidates = covered or candidates
    sg_id = tf_id("aws_security_group", f"{name}_endpoint")
    ctx.builder.add(SecurityGroup(sg_id, f"{name}_endpoint", vpc_id))
    endpoint_id = tf_id("aws_vpc_endpoint", name)
    enis = tuple(f"{endpoint_id}:{s.name}" for s in candidates)
    for eni, subnet in zip(enis, candidates, strict=True):
        ctx.builder.add(
            NetworkInterface(
                eni, "", vpc_id, subnet.id, None, (sg_id,), kind="vpc_endpoint", owner=endpoint_id
            )
        )
    ctx.builder.add(
        VpcEndpoint(
            endpoint_id,
            name,
            vpc_id,
            service.service_name,
            "Interface",
            subnets=tuple(s.id for s in candidates),
            security_groups=(sg_id,),
            interfaces=enis,
            state="available",
            service_region=service.region if service.region != consumer.region else None,
            account=ctx.account_id(consumer.account),
            private_dns=conn.private_dns,
        )
    )
    return endpoint_id


def _one_per_az(subnets: list[Subnet]) -> list[Subnet]:
    """NLBs and endpoints take at most one subnet per AZ."""
    seen: dict[str, Subnet] = {}
    for s in subnets:
        seen.setdefault(s.az, s)
    return list(seen.values())


def _az_key(ctx: PlanContext, subnet: Subnet) -> str:
    """Compare AZs by id when known (names differ between accounts), else by name."""
    return subnet.az_id or subnet.az
