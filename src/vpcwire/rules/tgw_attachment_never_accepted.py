from __future__ import annotations

from collections.abc import Iterator

from vpcwire.network.unknown import is_known
from vpcwire.rules.base import Finding, NetworkView, Rule


class TgwAttachmentNeverAccepted(Rule):
    id = "VW-E808"
    title = "Transit Gateway attachment that nothing accepts: it stays pendingAcceptance"
    description = (
        "A VPC attachment from another account to a TGW shared through RAM waits for the TGW "
        "owner to accept it unless the TGW auto-accepts shared attachments; a peering "
        "attachment always waits for the peer TGW's owner (an "
        "aws_ec2_transit_gateway_peering_attachment_accepter). Until then it carries nothing and "
        "every route through it leads nowhere. Judged only where the accepting side's TGW is in "
        "the network (an accepter in another configuration cannot be seen) and never on an "
        "acceptance that rests on unknown accounts."
    )
    url = "https://docs.aws.amazon.com/vpc/latest/tgw/tgw-transit-gateways.html"
    fix = (
        "add the accepter (aws_ec2_transit_gateway_vpc_attachment_accepter or "
        "aws_ec2_transit_gateway_peering_attachment_accepter) under the accepting TGW's provider, "
        'or auto_accept_shared_attachments = "enable" on the TGW'
    )
    stage = "network"
    judges_networks = True
    depends = frozenset({"state"})

    def judge(self, view: NetworkView) -> Iterator[Finding]:
        net = view.network
        for att in net.tgw_attachments.values():
            if att.state != "pendingAcceptance" or not is_known(att, "state"):
                continue
            if att.kind == "peering":
                accepting = net.transit_gateways.get(str(att.peer_transit_gateway))
                if accepting is None:
                    continue  # the peer TGW is outside this network: it may accept there
                yield self.finding_on(
                    view,
                    att,
                    f"peering attachment {view.name(att)} to Transit Gateway "
                    f"{view.name(accepting)} is never accepted: no "
                    "aws_ec2_transit_gateway_peering_attachment_accepter accepts it, so it stays "
                    "pendingAcceptance and carries nothing",
                    f"add an aws_ec2_transit_gateway_peering_attachment_accepter for "
                    f"{view.name(att)} under the provider of {view.name(accepting)} "
                    f"({accepting.region})",
                )
                continue
            tgw = net.transit_gateways.get(att.transit_gateway)
            if tgw is None:
                continue
            yield self.finding_on(
                view,
                att,
                f"attachment {view.name(att)} of account {att.account} to Transit Gateway "
                f"{view.name(tgw)} of account {tgw.account} is never accepted: the TGW does not "
                "auto-accept shared attachments and no aws_ec2_transit_gateway_vpc_attachment_"
                "accepter accepts it, so it stays pendingAcceptance and carries nothing",
                f"add an aws_ec2_transit_gateway_vpc_attachment_accepter for {view.name(att)} "
                f"under the provider of {view.name(tgw)}, or set "
                'auto_accept_shared_attachments = "enable" on it',
            )
