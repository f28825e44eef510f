from __future__ import annotations

from collections import Counter
from collections.abc import Iterator

from vpcwire.rules.base import Finding, NetworkView, Rule
from vpcwire.rules.tgw_paths import TGW_QUOTAS_URL
from vpcwire.rules.tgw_quotas import TGW_ROUTE_TABLES_PER_TGW


class TgwQuotaRouteTables(Rule):
    id = "VW-W802"
    title = f"More route tables on one Transit Gateway than the default quota ({TGW_ROUTE_TABLES_PER_TGW})"
    description = (
        f"A Transit Gateway has at most {TGW_ROUTE_TABLES_PER_TGW} route tables (its default "
        "table included) unless the quota was raised: the apply fails at the next table. A "
        "segment per route table runs into it in large estates."
    )
    url = TGW_QUOTAS_URL
    fix = (
        "request a quota increase (Service Quotas: 'Transit gateway route tables per transit "
        "gateway') before applying, or merge segments that share their routes"
    )
    stage = "network"
    judges_networks = True

    def judge(self, view: NetworkView) -> Iterator[Finding]:
        net = view.network
        counts = Counter(t.transit_gateway for t in net.tgw_route_tables.values())
        for tgw_id, count in counts.items():
            tgw = net.transit_gateways.get(tgw_id)
            if tgw is not None and count > TGW_ROUTE_TABLES_PER_TGW:
                yield self.finding_on(
                    view,
                    tgw,
                    f"Transit Gateway {view.name(tgw)} has {count} route tables: the default "
                    f"quota is {TGW_ROUTE_TABLES_PER_TGW}",
                )
