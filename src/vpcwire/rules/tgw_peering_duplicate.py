from __future__ import annotations

from collections.abc import Iterator

from vpcwire.rules.base import Finding, NetworkView, Rule
from vpcwire.rules.tgw_paths import TGW_QUOTAS_URL
from vpcwire.rules.tgw_quotas import PEERINGS_BETWEEN_TWO_TGWS, peering_pairs


class TgwPeeringDuplicate(Rule):
    id = "VW-E807"
    title = "Two peering attachments between the same two Transit Gateways"
    description = (
        f"Two Transit Gateways can be peered by at most {PEERINGS_BETWEEN_TWO_TGWS} peering "
        "attachment, a quota AWS does not raise: the second request fails. Each side creating "
        "its own peering to the other (instead of one request and one accepter) runs into it."
    )
    url = TGW_QUOTAS_URL
    fix = (
        "keep one aws_ec2_transit_gateway_peering_attachment and accept it on the other side "
        "with aws_ec2_transit_gateway_peering_attachment_accepter"
    )
    stage = "network"
    judges_networks = True
    depends = frozenset({"peer_region"})

    def judge(self, view: NetworkView) -> Iterator[Finding]:
        net = view.network
        for pair, ids in peering_pairs(net).items():
            first, *rest = sorted(ids)
            for extra in rest[PEERINGS_BETWEEN_TWO_TGWS - 1 :]:
                att = net.tgw_attachments[extra]
                yield self.finding_on(
                    view,
                    att,
                    f"{view.name(att)} peers {' and '.join(sorted(pair))}, which "
                    f"{view.name(net.tgw_attachments[first])} already peers: AWS allows one "
                    "peering attachment between two TGWs",
                    rests_on=[first],
                )
