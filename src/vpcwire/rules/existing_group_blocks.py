from __future__ import annotations

from collections.abc import Iterator

from vpcwire.plan.existing_groups import blocked_ingress, blocked_text
from vpcwire.rules.base import Finding, Rule, RuleContext


class ExistingGroupBlocks(Rule):
    id = "VW-W405"
    title = "A security group of an existing host does not admit the connection"
    description = (
        "A service host that already exists keeps its own security groups, and vpcwire does "
        "not change a group it does not own unless told to. The host must admit the "
        "connection's source on each service port: the consumer VPC's blocks over a peering, "
        "the NLB's subnets over PrivateLink (the target sees the NLB node's address, never "
        "the consumer's), the outpost VPC's block for an outpost. Until it does, every "
        "connection times out at the host."
    )
    url = "https://docs.aws.amazon.com/vpc/latest/userguide/security-group-rules.html"
    fix = (
        "add the ingress rule to the host's group, or set existing_security_groups: add_rules "
        "and vpcwire adds it as a separate rule resource"
    )
    stage = "plan"

    def check(self, ctx: RuleContext) -> Iterator[Finding]:
        plan = ctx.plan
        if plan is None or not plan.vpc_ids:
            return
        gaps = blocked_ingress(ctx.spec, plan.network, plan.vpcs, plan.decisions, set(plan.vpc_ids))
        for gap in gaps:
            message, fix = blocked_text(gap, plan.existing)
            yield self.finding(ctx, ("connections", gap.index), message, fix)
