from __future__ import annotations

from collections.abc import Iterator

from vpcwire.network import RouteTable
from vpcwire.plan.facts import ROUTES_PER_TABLE_DEFAULT, ROUTES_PER_TABLE_MAX, URL_QUOTAS
from vpcwire.rules.base import Finding, NetworkView, Rule


def counted_routes(table: RouteTable) -> int:
    """Routes that count against the quota: every non-local one (propagated routes aside,
    which vpcwire does not make)."""
    return sum(1 for r in table.routes if r.kind != "local")


class RouteQuotaDefault(Rule):
    id = "VW-W503"
    title = f"Route table over the default quota of {ROUTES_PER_TABLE_DEFAULT} routes"
    description = (
        f"A route table holds {ROUTES_PER_TABLE_DEFAULT} non-propagated routes by default "
        f"(adjustable to {ROUTES_PER_TABLE_MAX}, at some cost to network performance). Every "
        "peering adds one route per CIDR block of the peer to every table, so a mesh of VPCs "
        "with two blocks each reaches the default at 26 VPCs. A Transit Gateway needs one "
        "route (or a summary) per destination range instead."
    )
    url = URL_QUOTAS
    fix = (
        "request a quota increase ('Routes per route table'), summarise peer CIDRs, or move "
        "these VPCs to a Transit Gateway"
    )
    stage = "network"

    judges_networks = True

    def judge(self, view: NetworkView) -> Iterator[Finding]:
        net = view.network
        for table in net.route_tables.values():
            count = counted_routes(table)
            if ROUTES_PER_TABLE_DEFAULT < count <= ROUTES_PER_TABLE_MAX:
                yield self.finding_on(
                    view,
                    table,
                    f"route table {view.name(table)} needs {count} routes, over the default "
                    f"quota of {ROUTES_PER_TABLE_DEFAULT}",
                    anchor=net.vpcs.get(table.vpc),
                )
