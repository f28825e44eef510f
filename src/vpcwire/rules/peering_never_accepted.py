from __future__ import annotations

from collections.abc import Iterator

from vpcwire.network.unknown import is_known, same_account
from vpcwire.rules.base import Finding, NetworkView, Rule


class PeeringNeverAccepted(Rule):
    id = "VW-E207"
    title = "Peering that nothing accepts: it stays pending-acceptance and carries nothing"
    description = (
        "A peering request only carries traffic once the accepter side accepts it. Within "
        "one account and region, auto_accept on the request does it; across accounts or "
        "regions auto_accept cannot (AWS ignores it there), and only an "
        "aws_vpc_peering_connection_accepter run under the accepter VPC's provider accepts "
        "it. With neither, the peering sits in pending-acceptance until it expires after "
        "seven days, and every route through it is a blackhole. Judged only where both VPCs "
        "are in the network (an accepter in another configuration cannot be seen) and never "
        "on an acceptance that rests on unknown values."
    )
    url = "https://docs.aws.amazon.com/vpc/latest/peering/accept-vpc-peering-connection.html"
    fix = (
        "set auto_accept = true (same account and region), or add an "
        "aws_vpc_peering_connection_accepter under the accepter VPC's provider"
    )
    stage = "network"
    judges_networks = True
    depends = frozenset({"status", "accepter_region", "region"})

    def judge(self, view: NetworkView) -> Iterator[Finding]:
        net = view.network
        for pcx in net.peerings.values():
            if pcx.status != "pending-acceptance" or not is_known(pcx, "status"):
                continue
            req, acc = net.vpcs.get(pcx.requester_vpc), net.vpcs.get(pcx.accepter_vpc)
            if req is None or acc is None:
                continue  # the accepter side is outside this network: it may accept there
            cross_account = same_account(pcx.requester_account, pcx.accepter_account) is False
            if pcx.inter_region or cross_account:
                where = " and ".join(
                    [f"regions ({pcx.requester_region} to {pcx.accepter_region})"]
                    * pcx.inter_region
                    + [f"accounts ({pcx.requester_account} to {pcx.accepter_account})"]
                    * cross_account
                )
                why = (
                    f"it crosses {where}, where auto_accept cannot accept it, and no "
                    "aws_vpc_peering_connection_accepter runs in the accepter's account and region"
                )
                fix = (
                    f"accept {view.name(pcx)} with an aws_vpc_peering_connection_accepter "
                    f"(auto_accept = true) under the provider of {view.name(acc)} "
                    f"(region {acc.region})"
                )
            else:
                why = (
                    "it has no auto_accept and no aws_vpc_peering_connection_accepter that runs "
                    "in the accepter's account and region"
                )
                fix = f"set auto_accept = true on {view.name(pcx)}"
            yield self.finding_on(
                view,
                pcx,
                f"peering {view.name(pcx)} between {view.name(req)} and {view.name(acc)} is "
                f"never accepted: {why}; it stays pending-acceptance and carries nothing",
                fix,
            )
