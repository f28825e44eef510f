from __future__ import annotations

from collections.abc import Iterator

from vpcwire.rules.base import Finding, NetworkView, Rule
from vpcwire.rules.tgw_paths import TGW_QUOTAS_URL, attachments_of_vpc
from vpcwire.rules.tgw_quotas import TGWS_PER_VPC


class TgwQuotaVpcGateways(Rule):
    id = "VW-E806"
    title = f"One VPC attached to more Transit Gateways than AWS allows ({TGWS_PER_VPC})"
    description = (
        f"A VPC can be attached to at most {TGWS_PER_VPC} Transit Gateways, a quota AWS does not "
        "raise: the apply fails at the next attachment. A VPC that needs more hubs is a design "
        "that should peer the hubs instead."
    )
    url = TGW_QUOTAS_URL
    fix = "attach the VPC to fewer TGWs and peer the TGWs with each other"
    stage = "network"
    judges_networks = True
    depends = frozenset({"vpc"})

    def judge(self, view: NetworkView) -> Iterator[Finding]:
        net = view.network
        for vpc_id, atts in attachments_of_vpc(net).items():
            tgws = sorted({a.transit_gateway for a in atts})
            vpc = net.vpcs.get(vpc_id)
            if vpc is not None and len(tgws) > TGWS_PER_VPC:
                yield self.finding_on(
                    view,
                    vpc,
                    f"VPC {view.name(vpc)} is attached to {len(tgws)} Transit Gateways: AWS "
                    f"allows {TGWS_PER_VPC}",
                    rests_on=[a.id for a in atts],
                )
