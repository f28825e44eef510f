from __future__ import annotations

from collections.abc import Iterator

from vpcwire.network.model import Subnet
from vpcwire.rules.base import Finding, NetworkView, Rule
from vpcwire.rules.tgw_paths import attachments_of_vpc


def _zone(subnet: Subnet) -> str:
    return subnet.az_id or subnet.az


def _apart(a: Subnet, b: Subnet) -> bool:
    """Provably in two zones: both zone ids known and different, or both zone names known
    (a name is known when it is not the id standing in for it) and different."""
    if a.az_id and b.az_id:
        return a.az_id != b.az_id
    named_a, named_b = a.az != a.az_id, b.az != b.az_id
    return named_a and named_b and a.az != b.az


class TgwAttachmentAzMissing(Rule):
    id = "VW-E801"
    title = "Subnet routes to a Transit Gateway from an AZ its VPC's attachment does not cover"
    description = (
        "A VPC attachment has one network interface per subnet it names, at most one subnet per "
        "Availability Zone. Traffic from a subnet reaches the Transit Gateway only through the "
        "attachment's interface in the subnet's own AZ: a subnet in an AZ the attachment has no "
        "subnet in routes to the TGW and every packet is lost there, with nothing in AWS saying "
        "so."
    )
    url = "https://docs.aws.amazon.com/vpc/latest/tgw/tgw-vpc-attachments.html"
    fix = "add a subnet of the missing AZ to the attachment's subnet_ids"
    stage = "network"
    judges_networks = True
    depends = frozenset({"az", "subnets", "routes"})

    def judge(self, view: NetworkView) -> Iterator[Finding]:
        net = view.network
        for vpc_id, atts in attachments_of_vpc(net).items():
            for tgw in sorted({a.transit_gateway for a in atts}):
                mine = [a for a in atts if a.transit_gateway == tgw]
                if any(s not in net.subnets for a in mine for s in a.subnets):
                    continue  # an attachment subnet outside this network: its AZ is unknown
                ends = [net.subnets[s] for a in mine for s in a.subnets]
                lost: list[Subnet] = []
                tables: list[str] = []
                for subnet in net.subnets.values():
                    if subnet.vpc != vpc_id or not all(_apart(subnet, end) for end in ends):
                        continue
                    table = net.route_table_of_subnet.get(subnet.id)
                    if table is None:
                        continue
                    if any(r.kind == "transit_gateway" and r.target == tgw for r in table.routes):
                        lost.append(subnet)
                        tables.append(table.id)
                if not lost:
                    continue
                att = mine[0]
                zones = sorted({_zone(s) for s in lost})
                names = ", ".join(view.name(s) for s in lost)
                yield self.finding_on(
                    view,
                    att,
                    f"subnets {names} route to Transit Gateway {tgw} from {', '.join(zones)}, "
                    f"where attachment {view.name(att)} has no subnet: their traffic never "
                    "reaches the TGW",
                    f"add a subnet in {', '.join(zones)} to {view.name(att)}'s subnet_ids",
                    rests_on=[s.id for s in lost] + tables,
                )
