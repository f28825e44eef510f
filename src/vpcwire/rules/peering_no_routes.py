from __future__ import annotations

from collections.abc import Iterator

from vpcwire.network import Network
from vpcwire.network.model import PeeringConnection
from vpcwire.network.unknown import is_known
from vpcwire.rules.base import Finding, NetworkView, Rule


def _tables(net: Network, vpc: str) -> list[str]:
    return [rt.id for rt in net.route_tables.values() if rt.vpc == vpc]


def _routed(net: Network, pcx: PeeringConnection, vpc: str) -> bool:
    return any(
        r.target == pcx.id for rt in net.route_tables.values() if rt.vpc == vpc for r in rt.routes
    )


class PeeringNoRoutes(Rule):
    id = "VW-E208"
    title = "Peering with no route on either side"
    description = (
        "A peering connection carries only what the VPCs' route tables send through it. "
        "With no route to it in either VPC, the peering exists, shows active, costs "
        "nothing and connects nothing: a connection that was meant to be made and was not "
        "(typically the aws_route resources were forgotten, or point at another peering). "
        "Silent where either VPC's routes are not all known."
    )
    url = "https://docs.aws.amazon.com/vpc/latest/peering/vpc-peering-routing.html"
    fix = (
        "add an aws_route in each VPC's route tables to the other VPC's CIDR through the "
        "peering (vpc_peering_connection_id)"
    )
    stage = "network"
    judges_networks = True
    depends = frozenset({"routes"})

    def judge(self, view: NetworkView) -> Iterator[Finding]:
        net = view.network
        for pcx in net.peerings.values():
            req, acc = net.vpcs.get(pcx.requester_vpc), net.vpcs.get(pcx.accepter_vpc)
            if req is None or acc is None:
                continue  # one side is outside this network: its routes cannot be seen
            tables = _tables(net, req.id) + _tables(net, acc.id)
            if not all(is_known(net.route_tables[t], "routes") for t in tables):
                continue
            if _routed(net, pcx, req.id) or _routed(net, pcx, acc.id):
                continue  # one side only: VW-E205
            yield self.finding_on(
                view,
                pcx,
                f"no route table of {view.name(req)} or {view.name(acc)} routes through "
                f"peering {view.name(pcx)}: it connects nothing",
                f"route {', '.join(map(str, acc.cidrs))} through {view.name(pcx)} in "
                f"{view.name(req)}'s route tables, and {', '.join(map(str, req.cidrs))} in "
                f"{view.name(acc)}'s",
                rests_on=tables,
            )
