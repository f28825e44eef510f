from __future__ import annotations

from collections.abc import Iterator

from vpcwire.rules.base import Finding, NetworkView, Rule
from vpcwire.rules.tgw_paths import TgwPaths


class TgwPropagationMissing(Rule):
    id = "VW-E803"
    title = "Transit Gateway route table carries traffic one way only (propagation missing)"
    description = (
        "A TGW route table decides where traffic entering through its associated attachments "
        "goes. When VPC A sends to VPC B, the table of A's attachment routes to B, but the "
        "table B's attachment is associated with has no route at all to A (A does not propagate "
        "into it and no static route covers A), the request arrives and every reply is dropped "
        "at the TGW. Segments that are meant to be apart have no route either way; only a route "
        "one way is a defect."
    )
    url = "https://docs.aws.amazon.com/vpc/latest/tgw/tgw-route-tables.html"
    fix = (
        "add an aws_ec2_transit_gateway_route_table_propagation of the sender's attachment to "
        "the receiver's route table (or a static route to it)"
    )
    stage = "network"
    judges_networks = True
    depends = frozenset({"routes", "associations", "propagations"})

    def judge(self, view: NetworkView) -> Iterator[Finding]:
        paths = TgwPaths(view.network)
        seen: set[tuple[str, str]] = set()
        for x, a, tx, y, b, ty in paths.pairs():
            tgw = x.transit_gateway
            for a_cidr in a.cidrs:
                if (x.id, ty.id) in seen:
                    break
                for b_cidr in b.cidrs:
                    there = paths.best(tx, b_cidr)
                    if (
                        there is None
                        or there.attachment != y.id
                        or not paths.sends(a.id, tgw, b_cidr)
                        or paths.any_route(ty, a_cidr)
                    ):
                        continue
                    seen.add((x.id, ty.id))
                    yield self.finding_on(
                        view,
                        x,
                        f"TGW route table {view.name(tx)} sends VPC {view.name(a)}'s traffic to "
                        f"{b_cidr} on to VPC {view.name(b)}, but {view.name(ty)} (the table of "
                        f"{view.name(y)}) has no route to {a_cidr}: every reply is dropped at "
                        "the Transit Gateway",
                        f"propagate {view.name(x)} into {view.name(ty)} "
                        "(aws_ec2_transit_gateway_route_table_propagation), or add a static "
                        f"route to {a_cidr} there",
                        rests_on=[tx.id, ty.id, *(rt.id for rt in paths.tables_of(a.id))],
                    )
                    break
