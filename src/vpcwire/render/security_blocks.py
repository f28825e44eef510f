"""security.tf: security groups and their rules, one standalone rule resource each."""

from __future__ import annotations

import re

from vpcwire.network import SecurityGroup, SecurityGroupRule
from vpcwire.render.base import RendererBase, is_existing, ref
from vpcwire.render.hcl import Attr, Expr, Node

__all__ = ["SecurityBlocks"]


class SecurityBlocks(RendererBase):
    def security_group(self, sg: SecurityGroup) -> None:
        if is_existing(sg.id):
            # a group of the estate: only the rules the user let vpcwire add (add_rules)
            added = [a.rule for a in self.plan.added_rules if a.group == sg.id]
            names: set[str] = set()
            for rule in added:
                self.security_group_rule(sg, "ingress", rule, self.provider_of_vpc(sg.vpc), names)
            return
        if sg.is_default:
            return  # rendered with its VPC
        p = self.provider_of_vpc(sg.vpc)
        self.resource(
            "security.tf",
            sg.id,
            p,
            Attr("name", sg.name),
            Attr("description", _sg_description(sg.name)),
            Attr("vpc_id", ref(sg.vpc)),
            name_tag=sg.name,
        )
        taken: set[str] = set()
        for direction, rules in (("ingress", sg.ingress), ("egress", sg.egress)):
            for rule in rules:
                self.security_group_rule(sg, direction, rule, p, taken)

    def security_group_rule(
        self,
        sg: SecurityGroup,
        direction: str,
        rule: SecurityGroupRule,
        provider: Expr,
        taken: set[str],
    ) -> None:
        peer = rule.group or rule.prefix_list or str(rule.cidr)
        peer_resource = self.net.get(peer)
        peer_name = peer_resource.name if peer_resource is not None else peer
        ports = "all" if rule.ports is None else str(rule.ports)
        base = f"{sg.name}_{'in' if direction == 'ingress' else 'out'}_{rule.protocol}_{ports}_{peer_name}"
        base = re.sub(r"[^A-Za-z0-9_]", "_", base)
        name, n = base, 2
        while name in taken:
            name, n = f"{base}_{n}", n + 1
        taken.add(name)
        body: list[Node] = [Attr("security_group_id", ref(sg.id))]
        body.append(Attr("ip_protocol", "-1" if rule.protocol == "all" else rule.protocol))
        if rule.protocol in ("tcp", "udp"):
            low, high = (0, 65535) if rule.ports is None else (rule.ports.low, rule.ports.high)
            body += [Attr("from_port", low), Attr("to_port", high)]
        elif rule.protocol == "icmp":
            icmp_type = -1 if rule.ports is None else rule.ports.low
            body += [Attr("from_port", icmp_type), Attr("to_port", -1)]
        if rule.cidr is not None:
            body.append(Attr("cidr_ipv4", str(rule.cidr)))
        elif rule.group is not None:
            body.append(Attr("referenced_security_group_id", ref(rule.group)))
        elif rule.prefix_list is not None:
            body.append(Attr("prefix_list_id", rule.prefix_list))
        if rule.description:
            body.append(Attr("description", rule.description))
        kind = (
            "aws_vpc_security_group_ingress_rule"
            if direction == "ingress"
            else "aws_vpc_security_group_egress_rule"
        )
        self.resource("security.tf", f"{kind}.{name}", provider, *body, name_tag=name)


def _sg_description(name: str) -> str:
    if name.endswith("_endpoint"):
        return f"Interface endpoint {name.removesuffix('_endpoint')}: admits its consumers on the service ports"
    if name.endswith("_targets"):
        return f"Targets of service {name.removesuffix('_targets')}: admit only the load balancer or consumers"
    if name.endswith("_workload"):
        return f"Workloads of VPC {name.removesuffix('_workload')}: what they may call and who may call them"
    return f"Managed by vpcwire ({name})"
