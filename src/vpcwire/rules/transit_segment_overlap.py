from __future__ import annotations

from collections.abc import Iterator

from vpcwire.plan.facts import peer_pairs, transit_connections, vpc_blocks
from vpcwire.rules.base import Finding, Rule, RuleContext


class TransitSegmentOverlap(Rule):
    id = "VW-E850"
    title = "Overlapping CIDRs among VPCs that one Transit Gateway route table must hold"
    description = (
        "A Transit Gateway routes by destination CIDR. Two VPCs of one peers entry (a "
        "segment), or of two entries that share a VPC (whose table holds routes to both), "
        "must not overlap: AWS does not propagate the routes of the newer attachment whose "
        "CIDR matches an existing one, and a static route cannot name two attachments, so one "
        "of them would be unreachable."
    )
    url = "https://docs.aws.amazon.com/vpc/latest/tgw/tgw-route-tables.html"
    fix = (
        "re-address one VPC, or put the overlapping VPCs in entries that share no VPC; for "
        "one-way access to a service, PrivateLink does not care about overlaps"
    )

    def check(self, ctx: RuleContext) -> Iterator[Finding]:
        spec = ctx.spec
        transit = transit_connections(spec)
        entries = [(i, c) for i, c in peer_pairs(spec) if i in transit]
        reported: set[frozenset[str]] = set()
        for n, (i, conn) in enumerate(entries):
            members = list(dict.fromkeys(conn.peers))
            # the entry's own pairs, then pairs across an earlier entry sharing a VPC with it
            candidates = [(a, b, "") for k, a in enumerate(members) for b in members[k + 1 :]]
            for _, other in entries[:n]:
                shared = [v for v in other.peers if v in members]
                for hub in shared:
                    candidates += [
                        (a, b, hub)
                        for a in other.peers
                        for b in members
                        if hub not in (a, b) and a != b
                    ]
            for a, b, hub in candidates:
                key = frozenset((a, b))
                if key in reported or a not in spec.vpcs or b not in spec.vpcs:
                    continue
                clash = next(
                    (
                        (x, y)
                        for x in vpc_blocks(spec, a)
                        for y in vpc_blocks(spec, b)
                        if x.overlaps(y)
                    ),
                    None,
                )
                if clash is None:
                    continue
                reported.add(key)
                where = (
                    f"both are reached from {hub} (in both entries), whose route table would "
                    "need a route to each"
                    if hub
                    else "they are in one segment"
                )
                yield self.finding(
                    ctx,
                    ("connections", i, "peers"),
                    f"{a} ({clash[0]}) and {b} ({clash[1]}) overlap and {where}: the Transit "
                    "Gateway could not tell them apart",
                )
