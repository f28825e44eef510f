from __future__ import annotations

from collections.abc import Iterator

from vpcwire.network import Subnet
from vpcwire.plan.facts import REGIONS_WITH_UNSUPPORTED_AZS, URL_NATIVE_LIMITS
from vpcwire.rules.base import Finding, Rule, RuleContext
from vpcwire.spec.models import ServiceConnection


class NativeAzIdsUnknown(Rule):
    id = "VW-I603"
    title = "Native cross-region PrivateLink in a region with unsupported AZs, AZ ids unknown"
    description = (
        "Cross-region PrivateLink is not supported in use1-az3, usw1-az2, apne1-az3, apne2-az2 "
        "and apne2-az4. AZ names map to ids differently in every account, so without "
        "accounts.*.az_ids vpcwire cannot tell whether us-east-1a is one of them; the apply "
        "would fail on the endpoint or the endpoint service."
    )
    url = URL_NATIVE_LIMITS
    fix = (
        "add az_ids (name -> id) for the account's AZs in this region; `aws ec2 "
        "describe-availability-zones --query 'AvailabilityZones[].[ZoneName,ZoneId]'`"
    )
    stage = "plan"

    def check(self, ctx: RuleContext) -> Iterator[Finding]:
        assert ctx.plan is not None
        net = ctx.plan.network
        told: set[tuple[str, str]] = set()
        for decision in ctx.plan.decisions:
            conn = ctx.spec.connections[decision.index]
            if decision.mechanism != "native" or not isinstance(conn, ServiceConnection):
                continue
            subnets: list[Subnet] = []
            for rid in decision.resources:
                lb = net.load_balancers.get(rid)
                ep = net.endpoints.get(rid)
                ids = lb.subnets if lb is not None else ep.subnets if ep is not None else ()
                subnets += [net.subnets[s] for s in ids if s in net.subnets]
            for subnet in subnets:
                vpc = net.vpcs[subnet.vpc]
                key = (vpc.account, vpc.region)
                if subnet.az_id or vpc.region not in REGIONS_WITH_UNSUPPORTED_AZS or key in told:
                    continue
                told.add(key)
                account = net.accounts.get(vpc.account)
                name = account.name if account is not None and account.name else vpc.account
                yield self.finding(
                    ctx,
                    ("accounts", name, "az_ids"),
                    f"{conn.consumer} -> {conn.service} uses native cross-region PrivateLink in "
                    f"{vpc.region}, which has AZs that do not support it, and the AZ ids of "
                    f"account {name} are not given",
                )
