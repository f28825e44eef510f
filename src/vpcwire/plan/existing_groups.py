"""Does an existing host's own security group admit the connection? Shared by the pass that
opens it (``existing_security_groups: add_rules``) and the rule that reports it (VW-W405).

An existing service host is reached from the consumer VPC's blocks (peering), from the NLB's
subnets (PrivateLink: for PrivateLink traffic the source a target sees is always an NLB
node) or from the outpost VPC (outpost). Only rules by CIDR count: a rule that names another
group cannot admit an address of another VPC reached over PrivateLink, and over a peering
the plan cannot know the consumer's groups.
https://docs.aws.amazon.com/elasticloadbalancing/latest/network/edit-target-group-attributes.html#client-ip-preservation
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from ipaddress import IPv4Network

from vpcwire.network import Instance, Network, PortRange, SecurityGroup, SecurityGroupRule
from vpcwire.plan.existing import rule_description
from vpcwire.plan.naming import tf_id
from vpcwire.plan.plan import Decision, VpcPlan
from vpcwire.spec.models import ServiceConnection, Spec

__all__ = ["Blocked", "blocked_ingress", "blocked_text"]


@dataclass(frozen=True, slots=True)
class Blocked:
    """One source a host's groups do not admit on one service port."""

    index: int  # connection
    conn: ServiceConnection
    host: Instance
    groups: tuple[SecurityGroup, ...]
    rule: SecurityGroupRule  # what would admit it, as vpcwire adds it


def _sources(
    spec: Spec, net: Network, vpcs: dict[str, VpcPlan], conn: ServiceConnection, mechanism: str
) -> list[IPv4Network]:
    provider = spec.services[conn.service].vpc
    if mechanism == "peering":
        return list(vpcs[conn.consumer].cidrs)
    if mechanism == "outpost":
        region = vpcs[conn.consumer].region
        outposts = [v for v in vpcs.values() if v.outpost_for == provider and v.region == region]
        return [c for v in outposts for c in v.cidrs]
    lb = net.load_balancers.get(tf_id("aws_lb", conn.service))
    return [net.subnets[s].cidr for s in lb.subnets if s in net.subnets] if lb else []


def _admits(rule: SecurityGroupRule, proto: str, port: int, source: IPv4Network) -> bool:
    if rule.protocol not in (proto, "all"):
        return False
    if rule.ports is not None and port not in rule.ports:
        return False
    return rule.cidr is not None and source.subnet_of(rule.cidr)


def blocked_ingress(
    spec: Spec,
    net: Network,
    vpcs: dict[str, VpcPlan],
    decisions: Sequence[Decision],
    existing_vpcs: set[str],
) -> Iterator[Blocked]:
    """Every (host, port, source) of a service in an existing VPC its groups do not admit."""
    for decision in decisions:
        conn = spec.connections[decision.index]
        if not isinstance(conn, ServiceConnection):
            continue
        svc = spec.services[conn.service]
        if svc.vpc not in existing_vpcs:
            continue
        sources = _sources(spec, net, vpcs, conn, decision.mechanism)
        protocols = ["tcp", "udp"] if svc.protocol == "tcp_udp" else [svc.protocol]
        hosts = [i for i in net.instances.values() if i.role == f"target:{conn.service}"]
        for host in sorted(hosts, key=lambda i: i.name or i.id):
            eni = net.interfaces.get(host.interface)
            if eni is None:
                continue
            groups = tuple(
                net.security_groups[g] for g in eni.security_groups if g in net.security_groups
            )
            for proto in protocols:
                for port in svc.port_list:
                    for source in sources:
                        if any(_admits(r, proto, port, source) for g in groups for r in g.ingress):
                            continue
                        why = rule_description(conn.consumer, conn.service, spec.stack)
                        rule = SecurityGroupRule(
                            proto, PortRange.one(port), source, description=why
                        )
                        yield Blocked(decision.index, conn, host, groups, rule)


def blocked_text(b: Blocked, aws_ids: dict[str, str]) -> tuple[str, str]:
    """(message, fix) naming the groups by Name and AWS id, and what they admit."""
    proto, port = b.rule.protocol, b.rule.ports.low if b.rule.ports else 0
    names = ", ".join(f"{g.name or g.id} ({aws_ids.get(g.id, g.id)})" for g in b.groups)
    froms = sorted(
        {
            str(r.cidr or r.group or r.prefix_list)
            for g in b.groups
            for r in g.ingress
            if r.protocol in (proto, "all") and (r.ports is None or port in r.ports)
        }
    )
    admitted = f"only from {', '.join(froms)}" if froms else "from nowhere"
    target = aws_ids.get(b.groups[0].id, b.groups[0].id) if b.groups else "a group of the host"
    message = (
        f"{names or 'no group'} of {b.host.name or b.host.id} admits {proto}/{port} {admitted}: "
        f"{b.conn.consumer} -> {b.conn.service} needs it from {b.rule.cidr}, and vpcwire does "
        "not change a security group it does not own"
    )
    fix = (
        f"add an ingress rule {proto}/{port} from {b.rule.cidr} to {target}, or set "
        "existing_security_groups: add_rules and vpcwire adds it as a separate rule"
    )
    return message, fix
