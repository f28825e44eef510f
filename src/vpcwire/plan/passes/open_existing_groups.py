"""Existing hosts keep their own security groups: check that they admit the connection.

An existing service host is reached from the consumer VPC's blocks (peering), from the NLB's
subnets (PrivateLink: the NLB node is the source a target sees) or from the outpost VPC.
Where none of the host's groups admits that source on a service port, vpcwire does not
change the group: by default (``existing_security_groups: report``) the plan carries a
warning naming the group, what it admits and the rule that would fix it; with ``add_rules``
the plan adds exactly that rule, rendered as a separate
``aws_vpc_security_group_ingress_rule`` that ``vpcwire down`` removes again.
"""

from __future__ import annotations

from dataclasses import replace
from ipaddress import IPv4Network

from vpcwire.findings import Finding, Severity
from vpcwire.network import PortRange, SecurityGroup, SecurityGroupRule
from vpcwire.plan.existing import rule_description
from vpcwire.plan.naming import tf_id
from vpcwire.plan.plan import AddedRule, PlanContext
from vpcwire.spec.models import ServiceConnection
from vpcwire.spec.source import format_path, spec_location

RULE_ID = "VW-W111"
URL = "https://docs.aws.amazon.com/vpc/latest/userguide/security-group-rules.html"


def run(ctx: PlanContext) -> PlanContext:
    for decision in ctx.decisions:
        conn = ctx.spec.connections[decision.index]
        if not isinstance(conn, ServiceConnection) or conn.service not in ctx.existing_targets:
            continue
        sources = _sources(ctx, conn, decision.mechanism)
        svc = ctx.spec.services[conn.service]
        protocols = ["tcp", "udp"] if svc.protocol == "tcp_udp" else [svc.protocol]
        for inst_id in ctx.existing_targets[conn.service]:
            inst = ctx.builder.get("instance", inst_id)
            eni = ctx.builder.get("network_interface", inst.interface)
            for proto in protocols:
                for port in svc.port_list:
                    for source in sources:
                        groups = [ctx.builder.get("security_group", g) for g in eni.security_groups]
                        ours = _rule(ctx, conn, proto, port, source)
                        if any(_admits(r, proto, port, source) for g in groups for r in g.ingress):
                            continue
                        _blocked(ctx, decision.index, conn, inst.name, groups, ours)
    return ctx


def _sources(ctx: PlanContext, conn: ServiceConnection, mechanism: str) -> list[IPv4Network]:
    svc = ctx.spec.services[conn.service]
    if mechanism == "peering":
        return list(ctx.vpcs[conn.consumer].cidrs)
    if mechanism == "outpost":
        outpost = ctx.outposts[(svc.vpc, ctx.vpcs[conn.consumer].region)]
        return list(ctx.vpcs[outpost].cidrs)
    lb = ctx.builder.get("load_balancer", tf_id("aws_lb", conn.service))
    return [ctx.builder.get("subnet", s).cidr for s in lb.subnets]


def _rule(
    ctx: PlanContext, conn: ServiceConnection, proto: str, port: int, source: IPv4Network
) -> SecurityGroupRule:
    """The rule that admits ``source``, as vpcwire adds it: its description names the stack,
    so a plan made while the stack is deployed knows the rule for its own (adopt_existing
    leaves it out of the group as the estate has it)."""
    why = rule_description(conn.consumer, conn.service, ctx.spec.stack)
    return SecurityGroupRule(proto, PortRange.one(port), source, description=why)


def _admits(rule: SecurityGroupRule, proto: str, port: int, source: IPv4Network) -> bool:
    if rule.protocol not in (proto, "all"):
        return False
    if rule.ports is not None and port not in rule.ports:
        return False
    return rule.cidr is not None and source.subnet_of(rule.cidr)


def _admitted(groups: list[SecurityGroup], proto: str, port: int) -> str:
    froms = sorted(
        {
            str(r.cidr or r.group or r.prefix_list)
            for g in groups
            for r in g.ingress
            if r.protocol in (proto, "all") and (r.ports is None or port in r.ports)
        }
    )
    return f"only from {', '.join(froms)}" if froms else "from nowhere"


def _blocked(
    ctx: PlanContext,
    index: int,
    conn: ServiceConnection,
    host: str,
    groups: list[SecurityGroup],
    rule: SecurityGroupRule,
) -> None:
    if not groups:
        return
    group = groups[0]
    aws_id = ctx.existing.get(group.id, group.id)
    proto, source = rule.protocol, rule.cidr
    port = rule.ports.low if rule.ports is not None else 0
    if ctx.spec.existing_security_groups == "add_rules":
        current = ctx.builder.get("security_group", group.id)
        if rule not in current.ingress:
            ctx.builder.put(replace(current, ingress=(*current.ingress, rule)))
        if all(a.rule != rule or a.group != group.id for a in ctx.added_rules):
            ctx.added_rules.append(AddedRule(group.id, rule))
        return
    path = ("connections", index)
    names = ", ".join(f"{g.name or g.id} ({ctx.existing.get(g.id, g.id)})" for g in groups)
    ctx.findings.append(
        Finding(
            RULE_ID,
            Severity.WARNING,
            f"{names} of {host} admits {proto}/{port} {_admitted(groups, proto, port)}: "
            f"{conn.consumer} -> {conn.service} needs it from {source}, and vpcwire does not "
            "change a security group it does not own",
            format_path(path),
            spec_location(ctx.spec, path),
            f"add an ingress rule {proto}/{port} from {source} to {aws_id}, or set "
            "existing_security_groups: add_rules and vpcwire adds it as a separate rule",
            URL,
        )
    )
