from __future__ import annotations

from collections.abc import Iterator

from vpcwire.plan.facts import ROUTES_PER_TABLE_MAX, URL_QUOTAS
from vpcwire.plan.rules.base import Finding, Rule, RuleContext
from vpcwire.plan.rules.locate import vpc_path
from vpcwire.plan.rules.route_quota_default import counted_routes


class RouteQuotaExceeded(Rule):
    id = "VW-E504"
    title = f"Route table over the maximum of {ROUTES_PER_TABLE_MAX} routes"
    description = (
        f"No quota increase takes a route table past {ROUTES_PER_TABLE_MAX} non-propagated "
        "routes. The design must route fewer, larger prefixes (summarised CIDRs) or meet at a "
        "Transit Gateway."
    )
    url = URL_QUOTAS
    fix = "summarise the peers' CIDR blocks, or move these VPCs to a Transit Gateway"
    stage = "plan"

    def check(self, ctx: RuleContext) -> Iterator[Finding]:
        assert ctx.plan is not None
        for table in ctx.plan.network.route_tables.values():
            count = counted_routes(table)
            if count > ROUTES_PER_TABLE_MAX:
                yield self.finding(
                    ctx,
                    vpc_path(ctx.plan, table.vpc),
                    f"route table {table.name} needs {count} routes; AWS allows at most "
                    f"{ROUTES_PER_TABLE_MAX}",
                )
