from __future__ import annotations

from collections.abc import Iterator

from vpcwire.plan.facts import peer_pairs, peering_links, transit_connections
from vpcwire.rules.base import Finding, Rule, RuleContext


class TransitAndPeering(Rule):
    id = "VW-E851"
    title = "A pair of VPCs connected both by a peering and over a Transit Gateway"
    description = (
        "A peering and a Transit Gateway would both put a route to the other VPC's CIDRs into "
        "the same route tables. AWS refuses a second route for one destination "
        "(RouteAlreadyExists), so one of the two would never be used."
    )
    url = "https://docs.aws.amazon.com/vpc/latest/userguide/route-table-options.html"
    fix = (
        "connect the pair one way: drop it from the peering entry or from the Transit Gateway entry"
    )

    def check(self, ctx: RuleContext) -> Iterator[Finding]:
        spec = ctx.spec
        transit = transit_connections(spec)
        on_tgw: dict[frozenset[str], int] = {}
        for i, conn in peer_pairs(spec):
            if i in transit:
                for a, b in conn.pairs:
                    on_tgw.setdefault(frozenset((a, b)), i)
        for a, b, i in peering_links(spec):
            j = on_tgw.get(frozenset((a, b)))
            if j is not None:
                yield self.finding(
                    ctx,
                    ("connections", i),
                    f"{a} and {b} are peered here and also connected over a Transit Gateway by "
                    f"connections[{j}]",
                )
