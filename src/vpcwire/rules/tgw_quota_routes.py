from __future__ import annotations

from collections.abc import Iterator

from vpcwire.rules.base import Finding, NetworkView, Rule
from vpcwire.rules.tgw_paths import TGW_QUOTAS_URL
from vpcwire.rules.tgw_quotas import TGW_ROUTES_PER_TGW, routes_per_tgw


class TgwQuotaRoutes(Rule):
    id = "VW-W803"
    title = f"More routes on one Transit Gateway than the default quota ({TGW_ROUTES_PER_TGW:,})"
    description = (
        f"All route tables of one Transit Gateway together hold at most {TGW_ROUTES_PER_TGW:,} "
        "routes, static and propagated, unless the quota was raised. Every VPC CIDR "
        "propagated into every table counts once per table, so a full mesh of many VPCs over "
        "many tables reaches it sooner than the static routes suggest."
    )
    url = TGW_QUOTAS_URL
    fix = (
        "request a quota increase (Service Quotas: 'Routes per transit gateway'), or summarise "
        "routes (one static route for an address plan's block instead of a route per VPC)"
    )
    stage = "network"
    judges_networks = True

    def judge(self, view: NetworkView) -> Iterator[Finding]:
        net = view.network
        for tgw_id, count in routes_per_tgw(net).items():
            tgw = net.transit_gateways.get(tgw_id)
            if tgw is not None and count > TGW_ROUTES_PER_TGW:
                yield self.finding_on(
                    view,
                    tgw,
                    f"Transit Gateway {view.name(tgw)} holds {count:,} routes across its route "
                    f"tables: the default quota is {TGW_ROUTES_PER_TGW:,}",
                )
