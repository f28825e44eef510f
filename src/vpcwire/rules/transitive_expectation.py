from __future__ import annotations

from collections.abc import Iterator

from vpcwire.plan.facts import (
    peer_pairs,
    peering_links,
    shortest_peering_path,
    transit_connections,
)
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
            elif segments := _segments_apart(spec, exp.from_, target):
                yield self.finding(
                    ctx,
                    ("expect", i),
                    f"{exp.from_} and {target} are in different Transit Gateway segments "
                    f"({segments}): segments never reach each other, not even through a VPC "
                    "they share",
                    f"list {target} in an entry with {exp.from_}, or add peers: "
                    f"[{exp.from_}, {target}], via: transit-gateway",
                )
            else:
                yield self.finding(
                    ctx, ("expect", i), f"no connection links {exp.from_} and {target}", fix
                )


def _segments_apart(spec: Spec, a: str, b: str) -> str:
    """The Transit Gateway entries of a and b, when both have one (and none holds both)."""
    transit = transit_connections(spec)
    groups = [(i, c) for i, c in peer_pairs(spec) if i in transit]
    of_a = [i for i, c in groups if a in c.peers]
    of_b = [i for i, c in groups if b in c.peers]
    if not of_a or not of_b:
        return ""
    return ", ".join(f"connections[{i}]" for i in sorted({*of_a, *of_b}))


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
