from __future__ import annotations

from collections.abc import Iterator

from vpcwire.plan.facts import vpc_blocks
from vpcwire.plan.rules.base import Finding, Rule, RuleContext
from vpcwire.spec.models import PeerConnection, ServiceConnection


class PeeringCidrOverlap(Rule):
    id = "VW-E201"
    title = "Peering between VPCs whose CIDR blocks overlap"
    description = (
        "AWS cannot peer VPCs with overlapping IPv4 blocks, primary or secondary: the "
        "connection goes to 'failed'. Routing could never tell the two sides apart."
    )
    url = "https://docs.aws.amazon.com/vpc/latest/peering/vpc-peering-basics.html#vpc-peering-limitations"
    fix = (
        "re-address one VPC, or for one-way service access use PrivateLink (via: privatelink), "
        "which does not care about overlapping CIDRs"
    )

    def check(self, ctx: RuleContext) -> Iterator[Finding]:
        spec = ctx.spec
        for i, conn in enumerate(spec.connections):
            if isinstance(conn, PeerConnection) and conn.via in ("auto", "peering"):
                a, b = conn.peers
                path: tuple[str | int, ...] = ("connections", i, "peers")
            elif isinstance(conn, ServiceConnection) and conn.via == "peering":
                svc = spec.services.get(conn.service)
                if svc is None:
                    continue
                a, b = conn.consumer, svc.vpc
                path = ("connections", i, "via")
            else:
                continue
            if a == b:
                continue
            for x in vpc_blocks(spec, a):
                clash = [y for y in vpc_blocks(spec, b) if x.overlaps(y)]
                if clash:
                    yield self.finding(
                        ctx,
                        path,
                        f"{a} ({x}) and {b} ({clash[0]}) overlap: AWS cannot peer them",
                    )
                    break
