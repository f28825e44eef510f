from __future__ import annotations

from collections.abc import Iterator

from vpcwire.rules.base import Finding, NetworkView, Rule
from vpcwire.rules.tgw_paths import TGW_QUOTAS_URL, attachments_of_vpc


class TgwAttachmentDuplicate(Rule):
    id = "VW-E805"
    title = "One VPC attached twice to one Transit Gateway"
    description = (
        "A transit gateway cannot have more than one VPC attachment to the same VPC: AWS refuses "
        "the second (DuplicateTransitGatewayAttachment). Configurations that attach a VPC from "
        "two modules (the TGW owner's and the VPC owner's) run into it at apply."
    )
    url = TGW_QUOTAS_URL
    fix = "keep one attachment per VPC and TGW; add subnets to it instead of a second attachment"
    stage = "network"
    judges_networks = True
    depends = frozenset({"vpc"})

    def judge(self, view: NetworkView) -> Iterator[Finding]:
        net = view.network
        for vpc_id, atts in attachments_of_vpc(net).items():
            by_tgw: dict[str, list[str]] = {}
            for att in atts:
                by_tgw.setdefault(att.transit_gateway, []).append(att.id)
            for tgw, ids in by_tgw.items():
                first, *rest = sorted(ids)
                for extra in rest:
                    yield self.finding_on(
                        view,
                        net.tgw_attachments[extra],
                        f"{view.name(net.tgw_attachments[extra])} attaches VPC "
                        f"{view.name(net.vpcs[vpc_id]) if vpc_id in net.vpcs else vpc_id} to "
                        f"Transit Gateway {tgw}, which "
                        f"{view.name(net.tgw_attachments[first])} already attaches: AWS refuses "
                        "a second attachment of one VPC to one TGW",
                        rests_on=[first],
                    )
