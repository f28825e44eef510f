from __future__ import annotations

from collections.abc import Iterator

from vpcwire.plan.facts import URL_NATIVE_LIMITS
from vpcwire.rules.base import Finding, Rule, RuleContext
from vpcwire.spec.models import ServiceConnection


class NativeUdpFragmentation(Rule):
    id = "VW-W602"
    title = "UDP service over native cross-region PrivateLink (no UDP fragmentation)"
    description = (
        "Native cross-region PrivateLink carries UDP but not fragmented UDP: a datagram larger "
        "than the path MTU is split into IP fragments, and those are dropped. DNS over large "
        "responses, syslog with long lines or media with big frames then fail intermittently. "
        "Keep datagrams under the MTU, or use the outpost pattern."
    )
    url = URL_NATIVE_LIMITS
    fix = "keep every datagram below the path MTU, or use via: outpost for this connection"
    stage = "plan"

    def check(self, ctx: RuleContext) -> Iterator[Finding]:
        assert ctx.plan is not None
        for decision in ctx.plan.decisions:
            conn = ctx.spec.connections[decision.index]
            if decision.mechanism != "native" or not isinstance(conn, ServiceConnection):
                continue
            protocol = ctx.spec.services[conn.service].protocol
            if protocol in ("udp", "tcp_udp"):
                yield self.finding(
                    ctx,
                    ("connections", decision.index),
                    f"{conn.consumer} -> {conn.service} is {protocol} over native cross-region "
                    "PrivateLink, which drops fragmented UDP datagrams",
                )
