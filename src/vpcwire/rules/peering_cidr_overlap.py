from __future__ import annotations

from collections.abc import Iterator

from vpcwire.plan.facts import transit_connections, vpc_blocks
from vpcwire.rules.base import Finding, NetworkView, Rule, RuleContext
from vpcwire.spec.models import PeerConnection, ServiceConnection


class PeeringCidrOverlap(Rule):
    id = "VW-E201"
    title = "Peering between VPCs whose CIDR blocks overlap"
    description = (
        "AWS cannot peer VPCs with overlapping IPv4 blocks, primary or secondary: the "
        "connection goes to 'failed'. Routing could never tell the two sides apart. This "
        "covers peers entries, consumer -> service connections via peering, and the outpost "
        "VPC's outpost_cidr, which is peered with the provider VPC."
    )
    url = "https://docs.aws.amazon.com/vpc/latest/peering/vpc-peering-basics.html#vpc-peering-limitations"
    fix = (
        "re-address one VPC, or for one-way service access use PrivateLink (via: privatelink), "
        "which does not care about overlapping CIDRs"
    )

    # The planner's choice of mechanism depends on overlaps, so a spec is judged before
    # planning (check); a scanned or live network is judged on its peerings (judge).
    judges_networks = True

    def judge(self, view: NetworkView) -> Iterator[Finding]:
        if view.plan is not None:
            return  # judged on the spec already
        net = view.network
        for pcx in net.peerings.values():
            a, b = net.vpcs.get(pcx.requester_vpc), net.vpcs.get(pcx.accepter_vpc)
            if a is None or b is None:
                continue
            clash = [(x, y) for x in a.cidrs for y in b.cidrs if x.overlaps(y)]
            if clash:
                x, y = clash[0]
                yield self.finding_on(
                    view,
                    pcx,
                    f"{view.name(a)} ({x}) and {view.name(b)} ({y}) overlap: AWS refuses the "
                    "peering (InvalidParameterValue: overlapping CIDR range), it goes to 'failed'",
                    "re-address one VPC, or reach the service over PrivateLink, which does not "
                    "care about overlapping CIDRs",
                )

    def check(self, ctx: RuleContext) -> Iterator[Finding]:
        spec = ctx.spec
        for i, conn in enumerate(spec.connections):
            yield from self._outpost(ctx, i, conn)
            if isinstance(conn, PeerConnection) and conn.via in ("auto", "peering"):
                if i in transit_connections(spec):
                    continue  # over Transit Gateways: VW-E850 judges overlaps there
                for a, b in conn.pairs:
                    yield from self._pair(ctx, ("connections", i, "peers"), a, b)
                continue
            if isinstance(conn, ServiceConnection) and conn.via == "peering":
                svc = spec.services.get(conn.service)
                if svc is None:
                    continue
                a, b = conn.consumer, svc.vpc
                path = ("connections", i, "via")
            else:
                continue
            yield from self._pair(ctx, path, a, b)

    def _pair(
        self, ctx: RuleContext, path: tuple[str | int, ...], a: str, b: str
    ) -> Iterator[Finding]:
        if a == b:
            return
        for x in vpc_blocks(ctx.spec, a):
            clash = [y for y in vpc_blocks(ctx.spec, b) if x.overlaps(y)]
            if clash:
                yield self.finding(
                    ctx,
                    path,
                    f"{a} ({x}) and {b} ({clash[0]}) overlap: AWS cannot peer them",
                )
                return

    def _outpost(self, ctx: RuleContext, i: int, conn: object) -> Iterator[Finding]:
        """A given outpost_cidr is peered with the provider VPC, so it must not overlap it."""
        if not isinstance(conn, ServiceConnection) or conn.outpost_cidr is None:
            return
        svc = ctx.spec.services.get(conn.service)
        if svc is None:
            return
        clash = [b for b in vpc_blocks(ctx.spec, svc.vpc) if b.overlaps(conn.outpost_cidr)]
        if clash:
            yield self.finding(
                ctx,
                ("connections", i, "outpost_cidr"),
                f"outpost_cidr {conn.outpost_cidr} overlaps {svc.vpc} ({clash[0]}), the VPC the "
                "outpost is peered with",
                "choose an outpost_cidr outside the provider VPC's blocks, or leave it out and "
                "let vpcwire pick a free /24",
            )
