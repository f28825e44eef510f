from __future__ import annotations

from collections.abc import Iterator

from vpcwire.plan.facts import ROUTES_PER_TABLE_MAX, URL_QUOTAS
from vpcwire.rules.base import Finding, NetworkView, Rule
from vpcwire.rules.route_quota_default import counted_routes


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
    stage = "network"

    judges_networks = True

    def judge(self, view: NetworkView) -> Iterator[Finding]:
        net = view.network
        for table in net.route_tables.values():
            count = counted_routes(table)
            if count > ROUTES_PER_TABLE_MAX:
                yield self.finding_on(
                    view,
                    table,
                    f"route table {view.name(table)} needs {count} routes; AWS allows at most "
                    f"{ROUTES_PER_TABLE_MAX}",
                    anchor=net.vpcs.get(table.vpc),
                )
