from __future__ import annotations

from collections.abc import Iterator

from vpcwire.rules.base import Finding, NetworkView, Rule
from vpcwire.rules.tgw_paths import (
    best_tgw_route,
    other_way_back,
    tables_of_vpc,
    vpc_attachment_pairs,
    vpc_routes_to_tgw,
)


class TgwVpcRouteOneSide(Rule):
    id = "VW-E802"
    title = "VPC route to the Transit Gateway on one side only"
    description = (
        "Through a Transit Gateway a connection needs a route in both VPCs: the request leaves "
        "one VPC on its route to the TGW, the reply leaves the other on its own. When the TGW's "
        "route tables carry both directions but one VPC has no route back to the TGW (nor any "
        "other way, such as a peering), every reply is lost there and connections time out."
    )
    url = "https://docs.aws.amazon.com/vpc/latest/tgw/tgw-vpc-attachments.html"
    fix = "add an aws_route to the peer's CIDR with transit_gateway_id in the VPC's route tables"
    stage = "network"
    judges_networks = True
    depends = frozenset({"routes", "associations", "propagations", "subnets"})

    def judge(self, view: NetworkView) -> Iterator[Finding]:
        net = view.network
        seen: set[tuple[str, str]] = set()
        for x, a, tx, y, b, ty in vpc_attachment_pairs(net):
            tgw = x.transit_gateway
            for a_cidr in a.cidrs:
                for b_cidr in b.cidrs:
                    there = best_tgw_route(net, tx, b_cidr)
                    back = best_tgw_route(net, ty, a_cidr)
                    if (
                        there is None
                        or back is None
                        or there.attachment != y.id
                        or back.attachment != x.id
                        or not vpc_routes_to_tgw(net, a.id, tgw, b_cidr)
                        or vpc_routes_to_tgw(net, b.id, tgw, a_cidr)
                        or other_way_back(net, b.id, tgw, a_cidr)
                        or (y.id, str(a_cidr)) in seen
                    ):
                        continue
                    seen.add((y.id, str(a_cidr)))
                    yield self.finding_on(
                        view,
                        y,
                        f"VPC {view.name(a)} routes {b_cidr} to Transit Gateway {tgw} and the "
                        f"TGW carries it both ways, but VPC {view.name(b)} has no route to "
                        f"{a_cidr} through the TGW: replies are lost",
                        f"add a route to {a_cidr} with transit_gateway_id = {tgw} in VPC "
                        f"{view.name(b)}'s route tables",
                        rests_on=[
                            tx.id,
                            ty.id,
                            *(rt.id for rt in tables_of_vpc(net, a.id)),
                            *(rt.id for rt in tables_of_vpc(net, b.id)),
                        ],
                    )
