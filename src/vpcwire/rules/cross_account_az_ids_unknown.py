from __future__ import annotations

from collections.abc import Iterator

from vpcwire.rules.base import Finding, Rule, RuleContext
from vpcwire.rules.locate import comparable_azs


class CrossAccountAzIdsUnknown(Rule):
    id = "VW-I305"
    title = "Cross-account endpoint matched to the NLB by AZ name only"
    description = (
        "AZ names are shuffled per account: us-east-1a in the provider's account and "
        "us-east-1a in the consumer's are often different zones. An interface endpoint can only "
        "use zones the provider's NLB covers, compared by AZ id. Without accounts.*.az_ids "
        "vpcwire pairs zones by name, which AWS may refuse at apply time."
    )
    url = "https://docs.aws.amazon.com/global-infrastructure/latest/regions/az-ids.html"
    fix = (
        "add az_ids (name -> id) for these AZs to both accounts; `aws ec2 describe-"
        "availability-zones --query 'AvailabilityZones[].[ZoneName,ZoneId]'` lists them"
    )
    stage = "plan"

    def check(self, ctx: RuleContext) -> Iterator[Finding]:
        assert ctx.plan is not None
        net = ctx.plan.network
        for ep in net.endpoints.values():
            service = net.endpoint_service_by_name.get(ep.service_name)
            vpc = net.vpcs.get(ep.vpc)
            if service is None or vpc is None:
                continue
            if vpc.region != service.region:
                continue
            nodes = [
                net.subnets[s]
                for lb in service.load_balancers
                if lb in net.load_balancers
                for s in net.load_balancers[lb].subnets
                if s in net.subnets
            ]
            mine = [net.subnets[s] for s in ep.subnets if s in net.subnets]
            if all(comparable_azs(ctx.plan, a, b) for a in mine for b in nodes):
                continue
            account = net.accounts.get(vpc.account)
            name = account.name if account is not None and account.name else vpc.account
            yield self.finding(
                ctx,
                ("accounts", name, "az_ids"),
                f"endpoint {ep.name} (account {vpc.account}) and the NLB of {service.name} "
                f"(account {service.account}) are paired by AZ name "
                f"({', '.join(sorted({s.az for s in mine}))}); names may mean different zones "
                "in the two accounts",
            )
