from __future__ import annotations

from collections.abc import Iterator

from vpcwire.network import Network
from vpcwire.network.model import PeeringConnection
from vpcwire.rules.base import Finding, NetworkView, Rule


def _routes_to(net: Network, pcx: PeeringConnection, vpc: str) -> bool:
    return any(
        r.target == pcx.id for rt in net.route_tables.values() if rt.vpc == vpc for r in rt.routes
    )


class PeeringRouteOneSide(Rule):
    id = "VW-E205"
    title = "Peering routed on one side only"
    description = (
        "A peering carries a connection only if both VPCs route the other's CIDR through it: "
        "the request goes out on one side's route, the reply needs the other's. A route on "
        "one side only makes every TCP connection time out, and nothing in AWS reports it."
    )
    url = "https://docs.aws.amazon.com/vpc/latest/peering/vpc-peering-routing.html"
    fix = "add an aws_route to the peer's CIDR through the peering in the other VPC's route tables"
    stage = "network"
    judges_networks = True
    depends = frozenset({"routes"})  # of the two VPCs' route tables (rests_on below)

    def judge(self, view: NetworkView) -> Iterator[Finding]:
        net = view.network
        for pcx in net.peerings.values():
            req = _routes_to(net, pcx, pcx.requester_vpc)
            acc = _routes_to(net, pcx, pcx.accepter_vpc)
            if req == acc:
                continue
            missing = pcx.accepter_vpc if req else pcx.requester_vpc
            other = pcx.requester_vpc if req else pcx.accepter_vpc
            missing_vpc, other_vpc = net.vpcs.get(missing), net.vpcs.get(other)
            if missing_vpc is None or other_vpc is None:
                continue
            shown = ", ".join(map(str, other_vpc.cidrs))
            yield self.finding_on(
                view,
                pcx,
                f"VPC {view.name(other_vpc)} routes through peering {view.name(pcx)} but VPC "
                f"{view.name(missing_vpc)} has no route back to {shown}: replies are lost",
                f"add a route to {shown} through {view.name(pcx)} in VPC "
                f"{view.name(missing_vpc)}'s route tables",
                rests_on=[rt.id for rt in net.route_tables.values() if rt.vpc == missing],
            )
