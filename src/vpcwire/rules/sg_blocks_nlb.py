from __future__ import annotations

from collections.abc import Iterator
from ipaddress import IPv4Address, IPv4Network

from vpcwire.network.model import LoadBalancer, SecurityGroupRule
from vpcwire.rules.base import Finding, NetworkView, Rule


def _admits(rule: SecurityGroupRule, port: int, source: IPv4Network, lb: LoadBalancer) -> bool:
    if rule.protocol not in ("tcp", "all"):
        return False
    if rule.ports is not None and port not in rule.ports:
        return False
    if rule.cidr is not None:
        return source.subnet_of(rule.cidr)
    return rule.group is not None and rule.group in lb.security_groups


class SecurityGroupBlocksNlb(Rule):
    id = "VW-E404"
    title = "Target security groups do not admit the NLB's addresses (IP targets)"
    description = (
        "An NLB with IP targets and client IP preservation off (the default for IP targets) "
        "connects to its targets from its own node addresses, one in each of its subnets. "
        "The targets' security groups must admit those subnets (or the NLB's security group) "
        "on the target port; otherwise health checks and every connection time out, and the "
        "endpoint in front of the NLB looks dead."
    )
    url = "https://docs.aws.amazon.com/elasticloadbalancing/latest/network/target-group-register-targets.html#target-security-groups"
    fix = "admit the NLB subnets' CIDRs (or its security group) on the target port"
    stage = "network"
    judges_networks = True

    def judge(self, view: NetworkView) -> Iterator[Finding]:
        net = view.network
        lbs_of_tg: dict[str, list[LoadBalancer]] = {}
        for lst in net.listeners.values():
            lb = net.load_balancers.get(lst.load_balancer)
            if lb is not None and lst.target_group:
                lbs_of_tg.setdefault(lst.target_group, []).append(lb)
        by_ip = {eni.private_ip: eni for eni in net.interfaces.values() if eni.private_ip}
        for tg in net.target_groups.values():
            if tg.target_type != "ip" or tg.preserve_client_ip:
                continue
            for lb in lbs_of_tg.get(tg.id, []):
                sources = [net.subnets[s].cidr for s in lb.subnets if s in net.subnets]
                for target in tg.targets:
                    try:
                        ip = IPv4Address(target.id)
                    except ValueError:
                        continue
                    eni = by_ip.get(ip)
                    if eni is None:
                        continue
                    port = target.port or tg.port
                    rules = [
                        r
                        for g in eni.security_groups
                        if (sg := net.security_groups.get(g)) is not None
                        for r in sg.ingress
                    ]
                    blocked = [
                        s for s in sources if not any(_admits(r, port, s, lb) for r in rules)
                    ]
                    if not blocked:
                        continue
                    shown = ", ".join(map(str, blocked))
                    groups = ", ".join(
                        view.name(net.security_groups[g])
                        for g in eni.security_groups
                        if g in net.security_groups
                    )
                    yield self.finding_on(
                        view,
                        tg,
                        f"target {ip}:{port} of {view.name(tg)} is behind security groups "
                        f"({groups}) that do not admit NLB {view.name(lb)}'s subnets {shown}",
                        f"add an ingress rule for tcp/{port} from {shown} to one of {groups}",
                        rests_on=[*eni.security_groups, *lb.subnets],
                    )
