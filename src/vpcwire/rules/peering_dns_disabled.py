from __future__ import annotations

from collections.abc import Iterator

from vpcwire.network import Network, PeeringConnection
from vpcwire.rules.base import Finding, Rule, RuleContext
from vpcwire.spec.models import PeerConnection, ServiceConnection


class PeeringDnsDisabled(Rule):
    id = "VW-W204"
    title = "Peer's private hostnames needed, but DNS resolution over the peering is off"
    description = (
        "An instance resolves a peer VPC's public DNS hostnames to private addresses only if "
        "the peer's side of the peering allows it (AllowDnsResolutionFromRemoteVpc) and both "
        "VPCs have DNS support, the peer also DNS hostnames. Otherwise the names resolve to "
        "public addresses and the traffic leaves the peering -- across regions, the usual "
        "symptom is a timeout. Applies to every peering, and bites most on inter-region ones."
    )
    url = "https://docs.aws.amazon.com/vpc/latest/peering/modify-peering-connections.html"
    fix = "enable DNS resolution from the remote VPC on the peering, and DNS hostnames on the VPC"
    stage = "plan"

    def check(self, ctx: RuleContext) -> Iterator[Finding]:
        assert ctx.plan is not None
        net = ctx.plan.network
        ids = {v.name: v.id for v in net.vpcs.values()}
        for decision in ctx.plan.decisions:
            conn = ctx.spec.connections[decision.index]
            if isinstance(conn, PeerConnection) and conn.dns_resolution:
                # (resolver, owner of the names); a pair without a peering is skipped below
                wants = [w for a, b in conn.pairs for w in ((a, b), (b, a))]
                path: tuple[str | int, ...] = ("connections", decision.index, "dns_resolution")
            elif (
                isinstance(conn, ServiceConnection)
                and conn.private_dns
                and decision.mechanism == "peering"
            ):
                wants = [(conn.consumer, ctx.spec.services[conn.service].vpc)]
                path = ("connections", decision.index, "private_dns")
            else:
                continue
            for resolver, owner in wants:
                pcx = _peering(net, ids.get(resolver), ids.get(owner))
                if pcx is None:
                    continue
                problems = _problems(net, pcx, ids[resolver], ids[owner])
                if problems:
                    kind = "inter-region peering" if pcx.inter_region else "peering"
                    yield self.finding(
                        ctx,
                        path,
                        f"{resolver} needs {owner}'s private hostnames over the {kind} {pcx.name}, "
                        f"but {'; '.join(problems)}",
                        f"set AllowDnsResolutionFromRemoteVpc on {owner}'s side of {pcx.name} and "
                        f"DNS hostnames on {owner}",
                    )


def _peering(net: Network, a: str | None, b: str | None) -> PeeringConnection | None:
    if a is None or b is None:
        return None
    return next((p for p in net.peerings_of_vpc.get(a, []) if p.other_side(a) == b), None)


def _problems(net: Network, pcx: PeeringConnection, resolver: str, owner: str) -> list[str]:
    problems = []
    allowed = (
        pcx.requester_allows_remote_dns
        if pcx.requester_vpc == owner
        else pcx.accepter_allows_remote_dns
    )
    if not allowed:
        problems.append(
            f"{net.vpcs[owner].name}'s side does not allow DNS resolution from the remote VPC"
        )
    if not net.vpcs[owner].dns_hostnames:
        problems.append(f"{net.vpcs[owner].name} has DNS hostnames off")
    for vpc in {resolver, owner}:
        if not net.vpcs[vpc].dns_support:
            problems.append(f"{net.vpcs[vpc].name} has DNS support off")
    return problems
