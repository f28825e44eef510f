from __future__ import annotations

from collections.abc import Iterator

from vpcwire.plan.rules.base import Finding, Rule, RuleContext
from vpcwire.plan.rules.locate import connection_of, vpc_path


class EndpointWithoutOwnSecurityGroup(Rule):
    id = "VW-W402"
    title = "Interface endpoint without a security group of its own"
    description = (
        "An interface endpoint created without a security group gets the VPC's default group, "
        "which admits only other members of that same group (and vpcwire strips its rules "
        "altogether): every other client's connection times out at the endpoint. Give each "
        "endpoint a group that admits exactly its consumers on the service ports."
    )
    url = "https://docs.aws.amazon.com/vpc/latest/privatelink/create-interface-endpoint.html"
    fix = "attach a dedicated security group admitting the consumer's CIDR on the service ports"
    stage = "plan"

    def check(self, ctx: RuleContext) -> Iterator[Finding]:
        assert ctx.plan is not None
        net = ctx.plan.network
        for ep in net.endpoints.values():
            if ep.type != "Interface":
                continue
            groups = [net.security_groups.get(g) for g in ep.security_groups]
            if not ep.security_groups:
                problem = "has no security group, so AWS gives it the VPC's default group"
            elif any(g is not None and g.is_default for g in groups):
                problem = "uses the VPC's default security group"
            else:
                continue
            decision = connection_of(ctx.plan, ep.id)
            path = ("connections", decision.index) if decision else vpc_path(ctx.plan, ep.vpc)
            yield self.finding(
                ctx,
                path,
                f"endpoint {ep.name} {problem}: clients outside that group cannot connect",
            )
