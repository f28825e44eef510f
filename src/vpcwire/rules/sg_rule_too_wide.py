from __future__ import annotations

from collections.abc import Iterator
from ipaddress import IPv4Network

from vpcwire.network import ALL_PORTS, SecurityGroupRule
from vpcwire.rules.base import Finding, Rule, RuleContext
from vpcwire.rules.locate import vpc_name, vpc_path
from vpcwire.spec.models import PeerConnection, Spec

# (VPC name, protocol) -> peer CIDRs from which some peers entry allows every port.
_Intents = dict[tuple[str, str], list[IPv4Network]]


class SecurityGroupRuleTooWide(Rule):
    id = "VW-W403"
    title = "Security group rule wider than any connection needs (0.0.0.0/0, all ports)"
    description = (
        "Private connectivity never needs an inbound rule from 0.0.0.0/0, and a rule for every "
        "port is only needed where a peers entry allows all traffic. Wider rules turn a "
        "mistake elsewhere (a route, a peering, a public address) into an exposure. Groups AWS "
        "made (the default group) are not judged here."
    )
    url = "https://docs.aws.amazon.com/vpc/latest/userguide/security-group-rules.html"
    fix = "narrow the rule to the connection's source CIDRs and the service ports"
    stage = "plan"

    def check(self, ctx: RuleContext) -> Iterator[Finding]:
        assert ctx.plan is not None
        intents = _all_port_intents(ctx.spec)
        for sg in ctx.plan.network.security_groups.values():
            if sg.is_default:
                continue
            here = vpc_name(ctx.plan, sg.vpc)
            for rule in sg.ingress:
                if rule.cidr is not None and rule.cidr.prefixlen == 0:
                    problem = f"admits {rule} from anywhere"
                elif _all_ports(rule) and not _needed(intents, here, rule):
                    problem = f"admits every port ({rule}), which no connection asks for"
                else:
                    continue
                yield self.finding(
                    ctx, vpc_path(ctx.plan, sg.vpc), f"security group {sg.name} {problem}"
                )


def _all_ports(rule: SecurityGroupRule) -> bool:
    return rule.protocol != "icmp" and (rule.ports is None or rule.ports == ALL_PORTS)


def _all_port_intents(spec: Spec) -> _Intents:
    out: _Intents = {}
    for conn in spec.connections:
        if not isinstance(conn, PeerConnection):
            continue
        for here, there in (p for a, b in conn.pairs for p in ((a, b), (b, a))):
            blocks = [spec.vpcs[there].cidr, *spec.vpcs[there].secondary_cidrs]
            for allow in conn.allow:
                if allow.ports is None and allow.protocol != "icmp":
                    out.setdefault((here, allow.protocol), []).extend(blocks)
    return out


def _needed(intents: _Intents, vpc: str, rule: SecurityGroupRule) -> bool:
    protocols = ["all"] if rule.protocol == "all" else [rule.protocol, "all"]
    sources = [b for p in protocols for b in intents.get((vpc, p), [])]
    if rule.cidr is None:
        return bool(sources)  # a group or prefix list: judged by the intent's existence
    return any(rule.cidr.subnet_of(b) for b in sources)
