"""Existing hosts keep their own security groups; with ``existing_security_groups:
add_rules`` the plan opens them for the connection.

Where none of an existing service host's groups admits the connection's source on a
service port (plan/existing_groups.py says which), ``add_rules`` adds exactly that rule to
the host's first group, recorded in ``Plan.added_rules`` and rendered as a separate
``aws_vpc_security_group_ingress_rule`` that ``vpcwire down`` removes again. Under the
default, ``report``, nothing is changed: rule VW-W405 reports each such gap with its fix.
"""

from __future__ import annotations

from vpcwire.plan.existing_groups import blocked_ingress
from vpcwire.plan.plan import AddedRule, PlanContext


def run(ctx: PlanContext) -> PlanContext:
    if ctx.spec.existing_security_groups != "add_rules" or not ctx.vpc_ids:
        return ctx
    net = ctx.builder.build()
    for gap in blocked_ingress(ctx.spec, net, ctx.vpcs, ctx.decisions, set(ctx.vpc_ids)):
        if not gap.groups:
            continue
        group = ctx.builder.get("security_group", gap.groups[0].id)
        if gap.rule not in group.ingress:
            ctx.builder.update(group, ingress=(*group.ingress, gap.rule))
        added = AddedRule(group.id, gap.rule)
        if added not in ctx.added_rules:
            ctx.added_rules.append(added)
    return ctx
