from __future__ import annotations

from collections.abc import Iterator

from vpcwire.plan.facts import peer_pairs, service_links
from vpcwire.rules.base import Finding, Rule, RuleContext


class ConnectionWithinOneVpc(Rule):
    id = "VW-E105"
    title = "A connection whose two ends are the same VPC"
    description = (
        "Workloads in one VPC already reach each other through its local route; a peering "
        "of a VPC with itself is refused by AWS, and an endpoint to a service in the same "
        "VPC only adds cost."
    )
    url = "https://docs.aws.amazon.com/vpc/latest/userguide/RouteTables.html#route-table-routes"
    fix = "remove the connection, or point it at another VPC"

    def check(self, ctx: RuleContext) -> Iterator[Finding]:
        for i, conn in service_links(ctx.spec):
            svc = ctx.spec.services.get(conn.service)
            if svc is not None and svc.vpc == conn.consumer:
                yield self.finding(
                    ctx,
                    ("connections", i, "consumer"),
                    f"consumer {conn.consumer} is the VPC service {conn.service} runs in",
                    "the VPC's own route already reaches the service: only its security group "
                    "needs to admit the callers; remove this connection",
                )
        for i, peers in peer_pairs(ctx.spec):
            if peers.peers[0] == peers.peers[1]:
                yield self.finding(
                    ctx,
                    ("connections", i, "peers"),
                    f"VPC {peers.peers[0]} cannot peer with itself",
                )
