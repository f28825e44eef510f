from __future__ import annotations

from collections.abc import Iterator

from vpcwire.rules.base import Finding, NetworkView, Rule
from vpcwire.rules.tgw_paths import TgwPaths


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
        paths = TgwPaths(view.network)
        seen: set[tuple[str, str]] = set()
        for x, a, tx, y, b, ty in paths.pairs():
            tgw = x.transit_gateway
            for a_cidr in a.cidrs:
                for b_cidr in b.cidrs:
                    there = paths.best(tx, b_cidr)
                    back = paths.best(ty, a_cidr)
                    if (
                        there is None
                        or back is None
                        or there.attachment != y.id
                        or back.attachment != x.id
                        or not paths.sends(a.id, tgw, b_cidr)
                        or paths.sends(b.id, tgw, a_cidr)
                        or paths.other_way_back(b.id, tgw, a_cidr)
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
                            *(rt.id for rt in paths.tables_of(a.id)),
                            *(rt.id for rt in paths.tables_of(b.id)),
                        ],
                    )
