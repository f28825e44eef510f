from __future__ import annotations

from collections.abc import Iterator

from vpcwire.plan.facts import peering_links, shortest_peering_path
from vpcwire.rules.base import Finding, Rule, RuleContext
from vpcwire.spec.models import Expectation, PeerConnection, ServiceConnection, Spec


class TransitiveExpectation(Rule):
    id = "VW-E203"
    title = "Expected reachability that only a chain of peerings (or nothing) would give"
    description = (
        "VPC peering is not transitive: with a-b and b-c peered, a still cannot reach c, "
        "whatever routes you add, because a peering only carries traffic that starts or ends "
        "in one of its two VPCs. Each expect entry (from, to) states a reachability you rely "
        "on; it must be given by a connection between those two VPCs themselves: a peers "
        "entry, or a consumer -> service connection from 'from' to a service in 'to'."
    )
    url = "https://docs.aws.amazon.com/vpc/latest/peering/vpc-peering-basics.html#vpc-peering-limitations"
    fix = "add a connection between the two VPCs (peers: [from, to], or a consumer -> service)"

    def check(self, ctx: RuleContext) -> Iterator[Finding]:
        spec = ctx.spec
        links = [(a, b) for a, b, _ in peering_links(spec)]
        for i, exp in enumerate(spec.expect):
            target = _target_vpc(spec, exp)
            if target is None or exp.from_ == target or _direct(spec, exp, target):
                continue
            chain = shortest_peering_path(links, exp.from_, target)
            fix = (
                f"add peers: [{exp.from_}, {target}] (or a consumer: {exp.from_} -> service "
                f"connection to a service in {target})"
            )
            if len(chain) > 2:
                yield self.finding(
                    ctx,
                    ("expect", i),
                    f"{exp.from_} would reach {target} only through {' - '.join(chain)}: peering "
                    "is not transitive, so no traffic can flow",
                    fix,
                )
            else:
                yield self.finding(
                    ctx, ("expect", i), f"no connection links {exp.from_} and {target}", fix
                )


def _target_vpc(spec: Spec, exp: Expectation) -> str | None:
    if exp.to in spec.vpcs:
        return exp.to
    svc = spec.services.get(exp.to)
    return svc.vpc if svc is not None else None


def _direct(spec: Spec, exp: Expectation, target: str) -> bool:
    for conn in spec.connections:
        if isinstance(conn, PeerConnection) and {exp.from_, target} <= set(conn.peers):
            return True
        if isinstance(conn, ServiceConnection) and conn.consumer == exp.from_:
            svc = spec.services.get(conn.service)
            if conn.service == exp.to or (svc is not None and svc.vpc == exp.to):
                return True
    return False
