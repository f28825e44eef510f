from __future__ import annotations

from collections.abc import Iterator

from vpcwire.rules.base import Finding, Rule, RuleContext
from vpcwire.spec.models import PeerConnection


class PrivateLinkIcmp(Rule):
    id = "VW-E302"
    title = "PrivateLink asked to carry ICMP"
    description = (
        "PrivateLink carries TCP, and UDP since late 2024, through an NLB listener; it never "
        "carries ICMP (ping, traceroute, path-MTU messages), nor any protocol without a "
        "listener. Traffic allowed as icmp or all between two VPCs needs a peering."
    )
    url = "https://docs.aws.amazon.com/vpc/latest/privatelink/privatelink-share-your-services.html"
    fix = "use via: peering (or auto) for this traffic, or allow only tcp/udp ports"

    def check(self, ctx: RuleContext) -> Iterator[Finding]:
        for i, conn in enumerate(ctx.spec.connections):
            if not isinstance(conn, PeerConnection) or conn.via in (
                "auto",
                "peering",
                "transit-gateway",
            ):
                continue
            for j, allow in enumerate(conn.allow):
                if allow.protocol in ("icmp", "all"):
                    what = "ICMP" if allow.protocol == "icmp" else "all protocols (ICMP included)"
                    yield self.finding(
                        ctx,
                        ("connections", i, "allow", j, "protocol"),
                        f"{' and '.join(conn.peers)} allow {what}, which via: "
                        f"{conn.via} cannot carry: PrivateLink passes only TCP and UDP listeners",
                    )
