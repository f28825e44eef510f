from __future__ import annotations

from collections.abc import Iterator
from ipaddress import IPv4Address

from vpcwire.plan.facts import is_private_target_address
from vpcwire.rules.base import Finding, Rule, RuleContext
from vpcwire.rules.locate import connection_of, service_of
from vpcwire.spec.source import PathKey


class OutpostTargetNotPrivate(Rule):
    id = "VW-E304"
    title = "NLB IP target outside its VPC with an address outside RFC 1918 / 100.64.0.0/10"
    description = (
        "An NLB may register IP targets outside its own VPC (the outpost pattern: the provider's "
        "addresses, reached over a peering) only from the RFC 1918 ranges (10/8, 172.16/12, "
        "192.168/16) and RFC 6598 (100.64.0.0/10), with availability zone 'all'. A provider "
        "VPC numbered from other space (public addresses used privately) cannot be fronted by "
        "an outpost; RegisterTargets fails."
    )
    url = "https://docs.aws.amazon.com/elasticloadbalancing/latest/APIReference/API_TargetDescription.html"
    fix = (
        "re-address the provider VPC from RFC 1918 space, or use native cross-region "
        "PrivateLink (via: native), which needs no IP targets outside the VPC"
    )
    stage = "plan"

    def check(self, ctx: RuleContext) -> Iterator[Finding]:
        assert ctx.plan is not None
        net = ctx.plan.network
        seen: set[tuple[PathKey, str]] = set()
        for tg in net.target_groups.values():
            vpc = net.vpcs.get(tg.vpc)
            if tg.target_type != "ip" or vpc is None:
                continue
            for target in tg.targets:
                try:
                    ip = IPv4Address(target.id)
                except ValueError:
                    continue
                if any(ip in c for c in vpc.cidrs) or is_private_target_address(ip):
                    continue
                path = self._path(ctx, tg.id, ip)
                if (path, str(ip)) in seen:
                    continue
                seen.add((path, str(ip)))
                yield self.finding(
                    ctx,
                    path,
                    f"NLB target {ip} of {tg.name} lies outside the NLB's VPC ({vpc.name}) and "
                    "outside RFC 1918 and 100.64.0.0/10: AWS will not register it",
                )

    def _path(self, ctx: RuleContext, tg_id: str, ip: IPv4Address) -> PathKey:
        """The external target entry if the user listed the address, else the VPC block
        it was allocated from, else the connection."""
        assert ctx.plan is not None
        spec = ctx.spec
        service = service_of(ctx.plan, tg_id)
        if service is not None:
            ips = spec.services[service].targets.ips or []
            if str(ip) in ips:
                return ("services", service, "targets", "ips", ips.index(str(ip)))
        for name, v in spec.vpcs.items():
            if ip in v.cidr:
                return ("vpcs", name, "cidr")
            for k, block in enumerate(v.secondary_cidrs):
                if ip in block:
                    return ("vpcs", name, "secondary_cidrs", k)
        decision = connection_of(ctx.plan, tg_id)
        return ("connections", decision.index) if decision is not None else ()
