from __future__ import annotations

from collections.abc import Iterator
from ipaddress import IPv4Network

from vpcwire.network.unknown import is_known
from vpcwire.rules.base import Finding, NetworkView, Rule

_DEFAULT = IPv4Network("0.0.0.0/0")


class NatGatewayRoutesToItself(Rule):
    id = "VW-E109"
    title = "NAT gateway whose own subnet's default route points at that NAT gateway"
    description = (
        "A NAT gateway sends what it translates out through the route table of the subnet it "
        "sits in: for a public NAT gateway that table's default route must lead to an "
        "internet gateway. A NAT gateway placed in a private subnet whose default route "
        "points back at the same NAT gateway loops every packet into itself, so nothing "
        "behind it reaches the internet. AWS accepts the configuration; it fails at run time."
    )
    url = "https://docs.aws.amazon.com/vpc/latest/userguide/nat-gateway-scenarios.html"
    fix = (
        "place the NAT gateway in a public subnet (one whose route table sends 0.0.0.0/0 to "
        "an internet gateway)"
    )
    stage = "network"
    judges_networks = True
    depends = frozenset({"routes", "subnets", "subnet"})

    def judge(self, view: NetworkView) -> Iterator[Finding]:
        net = view.network
        for nat in net.nat_gateways.values():
            table = net.route_table_of_subnet.get(nat.subnet)
            if table is None or not is_known(table, "routes", "subnets"):
                continue
            looping = [r for r in table.routes if r.destination == _DEFAULT and r.target == nat.id]
            if not looping:
                continue
            subnet = net.subnets.get(nat.subnet)
            where = view.name(subnet) if subnet is not None else nat.subnet
            vpc = net.vpcs.get(table.vpc)
            shown = (
                f"the main route table of {view.name(vpc)}"
                if table.main and vpc is not None
                else f"route table {view.name(table)}"
            )
            yield self.finding_on(
                view,
                nat,
                f"NAT gateway {view.name(nat)} is in subnet {where}, whose table ({shown}) "
                "sends 0.0.0.0/0 to that same NAT gateway: its traffic "
                "loops into itself and nothing behind it reaches the internet",
                f"move {view.name(nat)} to a public subnet (route table with 0.0.0.0/0 to an "
                f"internet gateway), or route {where}'s 0.0.0.0/0 to an internet gateway",
                rests_on=[table.id],
            )
