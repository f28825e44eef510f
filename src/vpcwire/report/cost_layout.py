"""What the cost model needs to know about one connection, read from the planned Network.

For the chosen mechanism these are the planned resources themselves (the endpoint's AZs, the
NLB's AZs and cross-zone setting); for the alternatives, what the planner would have built
(an endpoint in each of the consumer's private AZs that the NLB covers, an outpost NLB in
the consumer's AZs). AZs are compared by id where the spec maps names to ids, else by name.

Shared resources are split evenly among the connections that use them: an NLB serving three
consumers puts a third of its hours on each. For an alternative, the connection is counted
as one more user of what already exists. A Transit Gateway attachment is split among all
connections that touch its VPC, as if the whole design moved to the Transit Gateway.
"""

from __future__ import annotations

from dataclasses import dataclass

from vpcwire.plan.facts import MAX_PRIVATELINK_LISTENERS, blocks_overlap, native_blockers
from vpcwire.plan.naming import tf_id
from vpcwire.plan.plan import Plan
from vpcwire.spec.models import PeerConnection, ServiceConnection

__all__ = ["Layout", "layout_of", "private_azs_of"]

PRIVATELINK_FAMILY = ("privatelink", "native", "outpost")


@dataclass(frozen=True)
class Layout:
    index: int
    label: str
    kind: str  # "service" or "peers"
    chosen: str
    a: str  # consumer, or the first peer
    b: str  # provider VPC, or the second peer
    region_a: str
    region_b: str
    azs_a: tuple[str, ...]  # where a's workloads (clients) are
    azs_b: tuple[str, ...]  # where b's workloads (targets, or peer instances) are
    nlb_azs: tuple[str, ...]  # the provider's NLB (its private AZs)
    endpoint_azs: tuple[str, ...]  # the consumer's interface endpoint, same region
    cross_zone: bool  # the provider NLB balances across zones
    overlap: str  # "" or "x and y": the two VPCs' CIDRs overlap
    blockers: tuple[str, ...]  # why native cross-region PrivateLink does not fit
    too_many_ports: bool
    sharers: dict[str, int]

    @property
    def same_region(self) -> bool:
        return self.region_a == self.region_b


def layout_of(plan: Plan, index: int) -> Layout:
    spec = plan.spec
    conn = spec.connections[index]
    decision = next(d for d in plan.decisions if d.index == index)
    if isinstance(conn, PeerConnection):
        a, b = conn.peers
        service = None
    else:
        a, service, b = conn.consumer, conn.service, spec.services[conn.service].vpc
    overlap = blocks_overlap(spec, a, b)
    private_a, private_b = _private_azs(plan, a), _private_azs(plan, b)
    endpoint = plan.network.endpoints.get(tf_id("aws_vpc_endpoint", f"{a}_{service}"))
    lb = plan.network.load_balancers.get(tf_id("aws_lb", service or ""))
    if endpoint is not None and not endpoint.service_region:
        endpoint_azs = tuple(_key(plan, a, plan.network.subnets[s].az) for s in endpoint.subnets)
    else:
        endpoint_azs = tuple(z for z in private_a if z in private_b) or private_a
    targets = _target_azs(plan, service, b) if service else private_b
    cross_zone = lb.cross_zone if lb is not None else not set(private_b) <= set(targets)
    return Layout(
        index=index,
        label=decision.label,
        kind="peers" if service is None else "service",
        chosen=decision.mechanism,
        a=a,
        b=b,
        region_a=spec.vpcs[a].region,
        region_b=spec.vpcs[b].region,
        azs_a=private_a,
        azs_b=targets,
        nlb_azs=private_b,
        endpoint_azs=endpoint_azs,
        cross_zone=cross_zone,
        overlap=f"{overlap[0]} and {overlap[1]}" if overlap else "",
        blockers=tuple(native_blockers(spec, conn))
        if isinstance(conn, ServiceConnection) and spec.vpcs[a].region != spec.vpcs[b].region
        else (),
        too_many_ports=service is not None
        and len(spec.services[service].port_list) > MAX_PRIVATELINK_LISTENERS,
        sharers=_sharers(plan, index),
    )


def _key(plan: Plan, vpc: str, az: str) -> str:
    account = plan.spec.accounts[plan.spec.account_of(vpc)] if vpc in plan.spec.vpcs else None
    return (account.az_ids.get(az) if account is not None else None) or az


def private_azs_of(plan: Plan, vpc: str) -> tuple[str, ...]:
    """The AZs (ids where known) of a VPC's private subnets, where its workloads run."""
    return _private_azs(plan, vpc)


def _private_azs(plan: Plan, vpc: str) -> tuple[str, ...]:
    planned = plan.vpcs[vpc]
    return tuple(
        dict.fromkeys(_key(plan, vpc, s.az) for s in planned.subnets if s.tier == "private")
    )


def _target_azs(plan: Plan, service: str, vpc: str) -> tuple[str, ...]:
    net = plan.network
    group = tf_id("aws_security_group", f"{service}_targets")
    subnets = [
        net.subnets[i.subnet] for i in net.instances.values() if i.role == f"target:{service}"
    ]
    subnets += [
        net.subnets[e.subnet]
        for e in net.interfaces.values()
        if e.kind == "external" and group in e.security_groups
    ]
    return tuple(dict.fromkeys(_key(plan, vpc, s.az) for s in subnets)) or _private_azs(plan, vpc)


def _sharers(plan: Plan, index: int) -> dict[str, int]:
    """How many connections share each resource this connection would use (itself included)."""
    spec = plan.spec
    conn = spec.connections[index]
    mechanism = {d.index: d.mechanism for d in plan.decisions}

    def vpcs_of(i: int) -> tuple[str, str]:
        c = spec.connections[i]
        if isinstance(c, PeerConnection):
            return c.peers[0], c.peers[1]
        return c.consumer, spec.services[c.service].vpc

    a, b = vpcs_of(index)
    touching = {v: sum(1 for i in range(len(spec.connections)) if v in vpcs_of(i)) for v in (a, b)}
    pair = frozenset((spec.vpcs[a].region, spec.vpcs[b].region))
    out = {
        "tgw_a": max(touching[a], 1),
        "tgw_b": max(touching[b], 1),
        "tgw_pair": sum(
            1
            for i in range(len(spec.connections))
            if frozenset(spec.vpcs[v].region for v in vpcs_of(i)) == pair
        ),
    }
    if not isinstance(conn, ServiceConnection):
        return out
    region = spec.vpcs[conn.consumer].region

    def users(kinds: tuple[str, ...], same_region: bool) -> int:
        count = 0
        for i, c in enumerate(spec.connections):
            if (
                isinstance(c, ServiceConnection)
                and c.service == conn.service
                and mechanism.get(i) in kinds
                and (not same_region or spec.vpcs[c.consumer].region == region)
            ):
                count += 1
        return count

    out["home_nlb"] = users(("privatelink", "native"), False)
    out["outpost_nlb"] = users(("outpost",), True)
    out["remote_region"] = users(("native",), True)
    own = mechanism[index]
    out["home_nlb"] += own not in ("privatelink", "native")
    out["outpost_nlb"] += own != "outpost"
    out["remote_region"] += own != "native"
    return out
