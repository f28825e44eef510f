"""What each sample instance runs: target instances serve, client instances call and ping.

The result feeds the instances' user_data (render) and the verifier's intents.
"""

from __future__ import annotations

from ipaddress import IPv4Address

from vpcwire.plan.naming import tf_id
from vpcwire.plan.plan import Call, PlanContext, Workload
from vpcwire.spec.models import PeerConnection, ServiceConnection


def run(ctx: PlanContext) -> PlanContext:
    spec = ctx.spec
    enis = {e.id: e for e in ctx.builder.all("network_interface")}
    by_vpc: dict[str, list[str]] = {}
    address: dict[str, IPv4Address] = {}
    for inst in ctx.builder.all("instance"):
        by_vpc.setdefault(inst.vpc, []).append(inst.id)
        ip = enis[inst.interface].private_ip
        if ip is not None:
            address[inst.id] = ip

    calls: dict[str, list[Call]] = {}
    pings: dict[str, list[IPv4Address]] = {}
    for decision in ctx.decisions:
        conn = spec.connections[decision.index]
        if isinstance(conn, PeerConnection):
            for a, b in conn.pairs:
                for here, there in ((a, b), (b, a)):
                    targets = [
                        address[i] for i in by_vpc.get(ctx.vpc_id(there), []) if i in address
                    ]
                    pings.setdefault(here, []).extend(targets)
            continue
        assert isinstance(conn, ServiceConnection)
        svc = spec.services[conn.service]
        protocols = ["tcp", "udp"] if svc.protocol == "tcp_udp" else [svc.protocol]
        endpoint = None
        addresses: tuple[IPv4Address, ...] = ()
        if decision.mechanism == "peering":
            targets_sg = tf_id("aws_security_group", f"{conn.service}_targets")
            existing = ctx.existing_target_interfaces(conn.service)
            addresses = tuple(
                e.private_ip
                for e in enis.values()
                if (targets_sg in e.security_groups or e.id in existing)
                and e.private_ip is not None
            )
        else:
            endpoint = tf_id("aws_vpc_endpoint", f"{conn.consumer}_{conn.service}")
        for proto in protocols:
            for port in svc.port_list:
                calls.setdefault(conn.consumer, []).append(
                    Call(conn.service, port, proto, endpoint, addresses)
                )

    for inst in ctx.builder.all("instance"):
        if inst.role.startswith("target:"):
            svc_name = inst.role.removeprefix("target:")
            svc = spec.services[svc_name]
            ctx.workloads[inst.id] = Workload(inst.id, svc_name, tuple(svc.port_list), svc.protocol)
        else:
            vpc_name = ctx.builder.get("vpc", inst.vpc).name
            ctx.workloads[inst.id] = Workload(
                inst.id,
                calls=tuple(calls.get(vpc_name, [])),
                pings=tuple(dict.fromkeys(pings.get(vpc_name, []))),
            )
    return ctx
