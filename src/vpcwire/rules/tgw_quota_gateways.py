from __future__ import annotations

from collections.abc import Iterator

from vpcwire.network.model import TransitGateway
from vpcwire.rules.base import Finding, NetworkView, Rule
from vpcwire.rules.tgw_paths import TGW_QUOTAS_URL
from vpcwire.rules.tgw_quotas import TGWS_PER_ACCOUNT_REGION


class TgwQuotaGateways(Rule):
    id = "VW-W801"
    title = f"More Transit Gateways in one account and region than the default quota ({TGWS_PER_ACCOUNT_REGION})"
    description = (
        f"An account has at most {TGWS_PER_ACCOUNT_REGION} Transit Gateways per Region unless "
        "the quota was raised: the apply fails at the next one. One TGW per Region, segmented "
        "by route tables, is AWS's recommended design."
    )
    url = TGW_QUOTAS_URL
    fix = (
        "request a quota increase (Service Quotas: 'Transit gateways per account') before "
        "applying, or segment one TGW with route tables"
    )
    stage = "network"
    judges_networks = True

    def judge(self, view: NetworkView) -> Iterator[Finding]:
        groups: dict[tuple[str, str], list[TransitGateway]] = {}
        for tgw in view.network.transit_gateways.values():
            if tgw.region.startswith("("):
                continue  # a region nobody knows counts for no region
            groups.setdefault((tgw.account, tgw.region), []).append(tgw)
        for (account, region), tgws in groups.items():
            if len(tgws) > TGWS_PER_ACCOUNT_REGION:
                extra = sorted(tgws, key=lambda t: t.id)[TGWS_PER_ACCOUNT_REGION]
                yield self.finding_on(
                    view,
                    extra,
                    f"{len(tgws)} Transit Gateways in account {account}, {region}: the default "
                    f"quota is {TGWS_PER_ACCOUNT_REGION}",
                )
