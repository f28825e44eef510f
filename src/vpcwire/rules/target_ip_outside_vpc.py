from __future__ import annotations

from collections.abc import Iterator
from ipaddress import IPv4Address

from vpcwire.plan.addressing import lay_out_subnets
from vpcwire.rules.base import Finding, NetworkView, Rule, RuleContext


class TargetIpOutsideServiceVpc(Rule):
    id = "VW-E107"
    title = "Service target address outside the service VPC's subnets"
    description = (
        "targets.ips names workloads you already run in the service's VPC: vpcwire registers "
        "them with the NLB and expects them to carry the service's target security group. An "
        "entry that is not an IPv4 address, lies in no subnet of that VPC, or is one of the "
        "five addresses AWS reserves in every subnet (the first four and the last) cannot be "
        "such a workload."
    )
    url = "https://docs.aws.amazon.com/vpc/latest/userguide/subnet-sizing.html"
    fix = "give the private IPv4 address of a workload in one of the service VPC's subnets"

    # A spec names targets by address before any target group exists (check); a scanned or
    # live network has the target groups themselves (judge).
    judges_networks = True

    def judge(self, view: NetworkView) -> Iterator[Finding]:
        if view.plan is not None:
            return  # judged on the spec already
        net = view.network
        for tg in net.target_groups.values():
            vpc = net.vpcs.get(tg.vpc)
            if tg.target_type != "ip" or vpc is None:
                continue
            for target in tg.targets:
                try:
                    ip = IPv4Address(target.id)
                except ValueError:
                    yield self.finding_on(
                        view, tg, f"target {target.id!r} of {view.name(tg)} is not an IPv4 address"
                    )
                    continue
                inside = any(ip in block for block in vpc.cidrs)
                if not inside and target.availability_zone != "all":
                    shown = ", ".join(map(str, vpc.cidrs))
                    yield self.finding_on(
                        view,
                        tg,
                        f"target {ip} of {view.name(tg)} is outside its VPC {view.name(vpc)} "
                        f'({shown}) without availability_zone = "all" (AWS refuses it: '
                        "ValidationError on RegisterTargets)",
                        'set availability_zone = "all" on the attachment of a target reached '
                        "over a peering, or register an address of the VPC",
                    )
                    continue
                home = next((s.cidr for s in net.subnets.values() if ip in s.cidr), None)
                if home is not None and (
                    int(ip) - int(home.network_address) < 4 or ip == home.broadcast_address
                ):
                    yield self.finding_on(
                        view,
                        tg,
                        f"target {ip} of {view.name(tg)} is reserved by AWS in subnet {home}",
                    )

    def check(self, ctx: RuleContext) -> Iterator[Finding]:
        for name, svc in ctx.spec.services.items():
            if not svc.targets.ips or svc.vpc not in ctx.spec.vpcs:
                continue
            subnets = lay_out_subnets(svc.vpc, ctx.spec.vpcs[svc.vpc])
            shown = ", ".join(str(s.cidr) for s in subnets)
            for i, raw in enumerate(svc.targets.ips):
                path = ("services", name, "targets", "ips", i)
                try:
                    ip = IPv4Address(raw)
                except ValueError:
                    yield self.finding(ctx, path, f"{raw!r} is not an IPv4 address")
                    continue
                home = next((s.cidr for s in subnets if ip in s.cidr), None)
                if home is None:
                    yield self.finding(
                        ctx,
                        path,
                        f"{ip} is in no subnet of VPC {svc.vpc} ({shown})",
                        f"use an address inside one of {shown}, or move service {name} to the "
                        "VPC where that workload runs",
                    )
                elif int(ip) - int(home.network_address) < 4 or ip == home.broadcast_address:
                    yield self.finding(
                        ctx,
                        path,
                        f"{ip} is reserved by AWS in subnet {home} (the first four addresses and "
                        "the last are never assigned to a workload)",
                    )
