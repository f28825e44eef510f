from __future__ import annotations

from collections import Counter
from collections.abc import Iterator

from vpcwire.rules.base import Finding, NetworkView, Rule
from vpcwire.rules.tgw_paths import TGW_QUOTAS_URL
from vpcwire.rules.tgw_quotas import TGW_PEERINGS_PER_TGW, peering_pairs


class TgwQuotaPeerings(Rule):
    id = "VW-W804"
    title = f"More peering attachments on one Transit Gateway than the default quota ({TGW_PEERINGS_PER_TGW})"
    description = (
        f"A Transit Gateway has at most {TGW_PEERINGS_PER_TGW} peering attachments unless the "
        "quota was raised: a full mesh of TGWs across many Regions reaches it, and the apply "
        "fails at the next peering."
    )
    url = TGW_QUOTAS_URL
    fix = (
        "request a quota increase (Service Quotas: 'Peering attachments per transit gateway'), "
        "or peer the Regions through hubs instead of a full mesh"
    )
    stage = "network"
    judges_networks = True

    def judge(self, view: NetworkView) -> Iterator[Finding]:
        net = view.network
        counts: Counter[str] = Counter()
        for pair, ids in peering_pairs(net).items():
            for side in pair:
                counts[side] += len(ids)
        for tgw_id, count in counts.items():
            tgw = net.transit_gateways.get(tgw_id)
            if tgw is not None and count > TGW_PEERINGS_PER_TGW:
                yield self.finding_on(
                    view,
                    tgw,
                    f"Transit Gateway {view.name(tgw)} has {count} peering attachments: the "
                    f"default quota is {TGW_PEERINGS_PER_TGW}",
                )
