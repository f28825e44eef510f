from __future__ import annotations

from collections.abc import Iterator

from vpcwire.plan.facts import peer_pairs
from vpcwire.rules.base import Finding, NetworkView, Rule, RuleContext


class DuplicatePeering(Rule):
    id = "VW-E202"
    title = "The same pair of VPCs peered twice"
    description = (
        "AWS allows one peering connection per pair of VPCs; a second request for the same "
        "pair fails. Two entries usually mean the allow lists should be merged."
    )
    url = "https://docs.aws.amazon.com/vpc/latest/peering/vpc-peering-basics.html#vpc-peering-limitations"
    fix = "merge the two entries into one, listing all allowed traffic under allow"

    judges_networks = True

    def judge(self, view: NetworkView) -> Iterator[Finding]:
        """A scanned or live network; a spec is judged before planning (check)."""
        if view.plan is not None:
            return
        seen: dict[frozenset[str], str] = {}
        for pcx in view.network.peerings.values():
            pair = frozenset((pcx.requester_vpc, pcx.accepter_vpc))
            if pair in seen:
                yield self.finding_on(
                    view,
                    pcx,
                    f"these VPCs are already peered by {seen[pair]}: AWS refuses a second "
                    "peering of one pair (VpcPeeringConnectionAlreadyExists)",
                    "keep one peering per pair of VPCs and route everything through it",
                )
            else:
                seen[pair] = view.name(pcx)

    def check(self, ctx: RuleContext) -> Iterator[Finding]:
        seen: dict[frozenset[str], int] = {}
        for i, conn in peer_pairs(ctx.spec):
            pair = frozenset(conn.peers)
            if len(pair) < 2:
                continue
            if pair in seen:
                yield self.finding(
                    ctx,
                    ("connections", i, "peers"),
                    f"{' and '.join(sorted(pair))} are already peered by connections[{seen[pair]}]",
                )
            else:
                seen[pair] = i
