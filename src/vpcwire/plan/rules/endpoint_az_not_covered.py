from __future__ import annotations

from collections.abc import Iterator

from vpcwire.network import Subnet
from vpcwire.plan.rules.base import Finding, Rule, RuleContext
from vpcwire.plan.rules.locate import comparable_azs, same_az, subnet_path, vpc_name


class EndpointAzNotCovered(Rule):
    id = "VW-E303"
    title = "Consumer endpoint in an AZ where the provider's NLB has no node"
    description = (
        "An interface endpoint can only be created in the Availability Zones in which the "
        "endpoint service's Network Load Balancer is enabled. Zones are matched by AZ id "
        "(use1-az4), not by name: us-east-1a in one account may be another zone in the next. "
        "Native cross-region endpoints are exempt: they need not share the provider's zones."
    )
    url = "https://docs.aws.amazon.com/vpc/latest/privatelink/create-endpoint-service.html"
    fix = (
        "give the provider VPC a subnet in that AZ, or place the consumer's subnets in the "
        "provider's AZs"
    )
    stage = "plan"

    def check(self, ctx: RuleContext) -> Iterator[Finding]:
        assert ctx.plan is not None
        net = ctx.plan.network
        for ep in net.endpoints.values():
            service = net.endpoint_service_by_name.get(ep.service_name)
            vpc = net.vpcs.get(ep.vpc)
            if ep.type != "Interface" or service is None or vpc is None:
                continue
            if vpc.region != service.region:
                continue  # native cross-region: no AZ matching
            nodes = [
                net.subnets[s]
                for lb in service.load_balancers
                if lb in net.load_balancers
                for s in net.load_balancers[lb].subnets
                if s in net.subnets
            ]
            shown = ", ".join(_az(s) for s in nodes) or "none"
            for sid in ep.subnets:
                subnet = net.subnets.get(sid)
                if subnet is None or not all(comparable_azs(ctx.plan, subnet, n) for n in nodes):
                    continue  # across accounts without AZ ids: VW-I305 says so
                if not any(same_az(subnet, n) for n in nodes):
                    yield self.finding(
                        ctx,
                        subnet_path(ctx.plan, subnet),
                        f"endpoint {ep.name} would have an interface in {_az(subnet)}, but the NLB "
                        f"of {service.name} is only in {shown}: AWS refuses the endpoint there",
                        f"add {subnet.az} to the provider VPC "
                        f"({_provider(ctx, service.load_balancers)}), or move {vpc.name}'s subnets "
                        f"to one of {shown}",
                    )


def _az(subnet: Subnet) -> str:
    return f"{subnet.az} ({subnet.az_id})" if subnet.az_id else subnet.az


def _provider(ctx: RuleContext, lbs: tuple[str, ...]) -> str:
    assert ctx.plan is not None
    lb = ctx.plan.network.load_balancers.get(lbs[0]) if lbs else None
    return vpc_name(ctx.plan, lb.vpc) if lb is not None else "?"
