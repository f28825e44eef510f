"""Least-privilege security groups, derived from the connections and nothing else.

Each rule admits one protocol and port (or the peers' allow list) from one source, with a
description that says which connection needs it (in the characters AWS allows there:
letters, digits, spaces and ._-:/()#,@[]+=&;{}!$*). Who must be admitted follows AWS:

* PrivateLink: the endpoint group admits the consumer VPC's CIDR on the service ports; the
  consumer's workload group may send to the endpoint group (a reference: same VPC); the
  targets admit the NLB's subnets, because for PrivateLink traffic the source the target
  sees is always the NLB node, never the consumer.
* Outpost: as PrivateLink, but the NLB lives in the outpost VPC in another region, so the
  targets admit the outpost VPC's CIDR (references cannot cross regions).
* Peering for a service: the targets admit the consumer VPC's CIDRs; the consumer may send
  to the target addresses only.
* Peers: each side's workload group admits the other's CIDRs for the allowed traffic, and
  may send it there.

https://docs.aws.amazon.com/elasticloadbalancing/latest/network/edit-target-group-attributes.html#client-ip-preservation
https://docs.aws.amazon.com/vpc/latest/peering/vpc-peering-security-groups.html
"""

from __future__ import annotations

from ipaddress import IPv4Network

from vpcwire.network import PortRange, Protocol, SecurityGroupRule
from vpcwire.plan.naming import tf_id
from vpcwire.plan.plan import PlanContext
from vpcwire.spec.models import AllowRule, PeerConnection, ServiceConnection

ANYWHERE = IPv4Network("0.0.0.0/0")


class _Rules:
    """Collects rules per group, in order, without duplicates."""

    def __init__(self) -> None:
        self.ingress: dict[str, dict[SecurityGroupRule, None]] = {}
        self.egress: dict[str, dict[SecurityGroupRule, None]] = {}

    def allow_in(self, sg: str, rule: SecurityGroupRule) -> None:
        self.ingress.setdefault(sg, {})[rule] = None

    def allow_out(self, sg: str, rule: SecurityGroupRule) -> None:
        self.egress.setdefault(sg, {})[rule] = None


def run(ctx: PlanContext) -> PlanContext:
    rules = _Rules()
    for decision in ctx.decisions:
        conn = ctx.spec.connections[decision.index]
        if isinstance(conn, PeerConnection):
            _peers(ctx, rules, conn)
        elif decision.mechanism == "peering":
            _service_over_peering(ctx, rules, conn)
        else:
            _service_over_privatelink(ctx, rules, conn, decision.mechanism)
    for plan in ctx.vpcs.values():
        sg = tf_id("aws_security_group", f"{plan.name}_workload")
        if plan.nat and ctx.builder.get_or_none("security_group", sg) is not None:
            for port in (80, 443):
                rules.allow_out(
                    sg,
                    SecurityGroupRule(
                        "tcp",
                        PortRange.one(port),
                        ANYWHERE,
                        description="package installs through the NAT gateway",
                    ),
                )
    for sg in ctx.builder.all("security_group"):
        ingress = tuple(rules.ingress.get(sg.id, {}))
        egress = tuple(rules.egress.get(sg.id, {}))
        if ingress or egress:
            ctx.builder.update(sg, ingress=sg.ingress + ingress, egress=sg.egress + egress)
    return ctx


def _protocols(protocol: str) -> list[Protocol]:
    return ["tcp", "udp"] if protocol == "tcp_udp" else [protocol]


def _service_rules(
    ctx: PlanContext, conn: ServiceConnection, peer: IPv4Network | str, why: str
) -> list[SecurityGroupRule]:
    svc = ctx.spec.services[conn.service]
    cidr = peer if isinstance(peer, IPv4Network) else None
    group = peer if isinstance(peer, str) else None
    return [
        SecurityGroupRule(proto, PortRange.one(port), cidr, group, description=why)
        for proto in _protocols(svc.protocol)
        for port in svc.port_list
    ]


def _service_over_privatelink(
    ctx: PlanContext, rules: _Rules, conn: ServiceConnection, mechanism: str
) -> None:
    svc = ctx.spec.services[conn.service]
    consumer = ctx.vpcs[conn.consumer]
    endpoint_sg = tf_id("aws_security_group", f"{conn.consumer}_{conn.service}_endpoint")
    workload_sg = tf_id("aws_security_group", f"{conn.consumer}_workload")
    why = f"{conn.consumer} to {conn.service} ({mechanism})"
    for cidr in consumer.cidrs:
        for rule in _service_rules(ctx, conn, cidr, why):
            rules.allow_in(endpoint_sg, rule)
    if ctx.builder.get_or_none("security_group", workload_sg) is not None:
        for rule in _service_rules(ctx, conn, endpoint_sg, why):
            rules.allow_out(workload_sg, rule)
    targets_sg = tf_id("aws_security_group", f"{conn.service}_targets")
    if mechanism == "outpost":
        outpost = ctx.outposts[(svc.vpc, consumer.region)]
        sources = list(ctx.vpcs[outpost].cidrs)
        why = f"{conn.service} via outpost {outpost}: the outpost NLB addresses"
    else:
        lb = ctx.builder.get("load_balancer", tf_id("aws_lb", conn.service))
        sources = [ctx.builder.get("subnet", s).cidr for s in lb.subnets]
        why = f"{conn.service} NLB nodes (PrivateLink never preserves the client address)"
    for cidr in sources:
        for rule in _service_rules(ctx, conn, cidr, why):
            rules.allow_in(targets_sg, rule)


def _service_over_peering(ctx: PlanContext, rules: _Rules, conn: ServiceConnection) -> None:
    consumer = ctx.vpcs[conn.consumer]
    why = f"{conn.consumer} to {conn.service} (peering)"
    targets_sg = tf_id("aws_security_group", f"{conn.service}_targets")
    for cidr in consumer.cidrs:
        for rule in _service_rules(ctx, conn, cidr, why):
            rules.allow_in(targets_sg, rule)
    workload_sg = tf_id("aws_security_group", f"{conn.consumer}_workload")
    if ctx.builder.get_or_none("security_group", workload_sg) is None:
        return
    existing = ctx.existing_target_interfaces(conn.service)
    for eni in ctx.builder.all("network_interface"):
        if (targets_sg in eni.security_groups or eni.id in existing) and eni.private_ip is not None:
            for rule in _service_rules(ctx, conn, IPv4Network(eni.private_ip), why):
                rules.allow_out(workload_sg, rule)


def _peers(ctx: PlanContext, rules: _Rules, conn: PeerConnection) -> None:
    """Each pair of the group, over peering or a Transit Gateway alike: a TGW keeps the
    sender's address (no NAT), so the peer's CIDRs are what the workloads see."""
    why = f"peers {conn.peers[0]} and {conn.peers[1]}" if len(conn.peers) == 2 else None
    for a, b in conn.pairs:
        for here, there in ((a, b), (b, a)):
            sg = tf_id("aws_security_group", f"{here}_workload")
            if ctx.builder.get_or_none("security_group", sg) is None:
                continue
            for cidr in ctx.vpcs[there].cidrs:
                for allow in conn.allow:
                    for rule in _allow_rules(allow, cidr, why or f"peers {here} and {there}"):
                        rules.allow_in(sg, rule)
                        rules.allow_out(sg, rule)


def _allow_rules(allow: AllowRule, cidr: IPv4Network, why: str) -> list[SecurityGroupRule]:
    if allow.ports is None:
        return [SecurityGroupRule(allow.protocol, None, cidr, description=why)]
    return [
        SecurityGroupRule(allow.protocol, PortRange.one(p), cidr, description=why)
        for p in allow.ports
    ]
