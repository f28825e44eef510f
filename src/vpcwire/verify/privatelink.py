"""PrivateLink: from an interface endpoint's ENI, through the endpoint service, to its NLB.

* PrivateLink carries TCP and UDP, never ICMP, and only the consumer starts connections.
  https://docs.aws.amazon.com/vpc/latest/privatelink/privatelink-share-your-services.html
* The service must allow the consumer's account: ``*``, the account root, or any principal
  of the account; the service's own account needs no permission (AWS lets the owner connect
  to its own service with no allowed principals, and so does the sandbox). A connection
  that needs acceptance carries nothing until accepted.
  https://docs.aws.amazon.com/vpc/latest/privatelink/configure-endpoint-service.html
* Cross-region (native) PrivateLink: the endpoint names the service's region and the service
  lists the consumer's region among its supported regions.
  https://docs.aws.amazon.com/vpc/latest/privatelink/privatelink-share-your-services.html#endpoint-service-cross-region
* An endpoint ENI reaches the NLB node in its own AZ (matched by AZ id across accounts).
  https://docs.aws.amazon.com/vpc/latest/privatelink/create-endpoint-service.html
"""

from __future__ import annotations

from dataclasses import dataclass

from vpcwire.network import EndpointService, LoadBalancer, VpcEndpoint
from vpcwire.network.unknown import is_known, same_account
from vpcwire.verify.flow import protocol_words
from vpcwire.verify.index import NetworkIndex
from vpcwire.verify.nodes import Node
from vpcwire.verify.reasons import Reason
from vpcwire.verify.security import Packet
from vpcwire.verify.trace import Block, Hop, Step

__all__ = ["ServiceSide", "map_nodes", "service_side"]


@dataclass(frozen=True, slots=True)
class ServiceSide:
    """The endpoint and service hops of one flow, and the NLBs beyond them (if any)."""

    hops: tuple[Hop, ...]
    blocks: tuple[Block, ...]
    service: EndpointService | None
    balancers: tuple[LoadBalancer, ...]


def service_side(ix: NetworkIndex, ep: VpcEndpoint, packet: Packet) -> ServiceSide:
    return ix.memo(("service", ep.id, packet), lambda: _service_side(ix, ep, packet))


def _service_side(ix: NetworkIndex, ep: VpcEndpoint, packet: Packet) -> ServiceSide:
    service = ix.network.endpoint_service_by_name.get(ep.service_name)
    ep_steps, ep_blocks = _endpoint_checks(ix, ep, packet, service)
    ep_hop = Hop(
        ep.id,
        ep.name,
        "interface endpoint",
        tuple(ep_steps),
        detail=f"in {ep.vpc}, to {ep.service_name}",
    )
    if service is None:
        return ServiceSide((ep_hop,), tuple(ep_blocks), None, ())
    steps, blocks = _service_checks(ix, ep, service)
    balancers: list[LoadBalancer] = []
    for lb_id in service.load_balancers:
        lb = ix.network.load_balancers.get(lb_id)
        if lb is None:
            detail = f"{ix.label(service.id)} fronts {lb_id}, which is not in the network"
            fix = f"read the account that owns {lb_id} (account {service.account}) too"
            steps.append(
                Step("load balancer", detail, False, Reason.ENDPOINT_SERVICE_NOT_FOUND, fix, lb_id)
            )
            blocks.append(
                Block(lb_id, Reason.ENDPOINT_SERVICE_NOT_FOUND, detail, fix, unknown=True)
            )
        else:
            balancers.append(lb)
    if not service.load_balancers:
        detail = f"{ix.label(service.id)} has no load balancer"
        fix = f"attach a Network Load Balancer to {ix.label(service.id)}"
        steps.append(Step("load balancer", detail, False, Reason.NO_TARGETS, fix, service.id))
        blocks.append(Block(service.id, Reason.NO_TARGETS, detail, fix))
    svc_hop = Hop(
        service.id,
        service.name,
        "endpoint service",
        tuple(steps),
        detail=f"{service.service_name} in {service.region}, account {service.account}",
    )
    return ServiceSide((ep_hop, svc_hop), tuple(ep_blocks + blocks), service, tuple(balancers))


def _endpoint_checks(
    ix: NetworkIndex, ep: VpcEndpoint, packet: Packet, service: EndpointService | None
) -> tuple[list[Step], list[Block]]:
    steps: list[Step] = []
    blocks: list[Block] = []
    label = ix.label(ep.id)
    if packet.protocol not in ("tcp", "udp"):
        what = "ICMP" if packet.protocol == "icmp" else protocol_words(packet.protocol)
        detail = f"PrivateLink carries TCP and UDP only, never {what}"
        fix = "test with tcp or udp to a listener port (ping never crosses PrivateLink)"
        steps.append(Step("protocol", detail, False, Reason.PROTOCOL_NOT_SUPPORTED, fix, ep.id))
        blocks.append(Block(ep.id, Reason.PROTOCOL_NOT_SUPPORTED, detail, fix))
    if ep.state == "available":
        steps.append(
            Step(
                "endpoint state",
                f"{label} is available (connection accepted)",
                True,
                resource=ep.id,
            )
        )
    else:
        where = ix.label(service.id) if service else ep.service_name
        detail = f"{label} is {ep.state}: the connection carries nothing until it is accepted"
        if ep.state in ("pendingAcceptance", "pending"):
            fix = f"accept the connection from {ep.id} on {where}"
            if service is not None:
                fix += f" (account {service.account})"
        else:
            fix = f"re-create {label} and have the connection accepted on {where}"
        steps.append(
            Step("endpoint state", detail, False, Reason.ENDPOINT_NOT_ACCEPTED, fix, ep.id)
        )
        blocks.append(Block(ep.id, Reason.ENDPOINT_NOT_ACCEPTED, detail, fix))
    if service is None:
        detail = (
            f"no endpoint service named {ep.service_name} is in the network (it may belong "
            "to an account that was not read)"
        )
        fix = f"read the provider's account too, or check the service name of {label}"
        steps.append(
            Step("endpoint service", detail, False, Reason.ENDPOINT_SERVICE_NOT_FOUND, fix, ep.id)
        )
        blocks.append(Block(ep.id, Reason.ENDPOINT_SERVICE_NOT_FOUND, detail, fix, unknown=True))
    return steps, blocks


def consumer_account(ix: NetworkIndex, ep: VpcEndpoint) -> str:
    if ep.account:
        return ep.account
    vpc = ix.network.vpcs.get(ep.vpc)
    return vpc.account if vpc else ""


def _principal_allowed(allowed: tuple[str, ...], account: str) -> str | None:
    """The allowed principal that admits ``account``, if one does."""
    for principal in allowed:
        if principal == "*":
            return principal
        parts = principal.split(":")
        if len(parts) >= 6 and parts[0] == "arn" and parts[4] == account:
            return principal
    return None


def _service_checks(
    ix: NetworkIndex, ep: VpcEndpoint, service: EndpointService
) -> tuple[list[Step], list[Block]]:
    steps: list[Step] = []
    blocks: list[Block] = []
    label = ix.label(service.id)

    def fail(action: str, reason: Reason, detail: str, fix: str) -> None:
        steps.append(Step(action, detail, False, reason, fix, service.id))
        blocks.append(Block(service.id, reason, detail, fix))

    if service.state == "Available":
        steps.append(Step("service state", f"{label} is Available", True, resource=service.id))
    else:
        fail(
            "service state",
            Reason.ENDPOINT_SERVICE_NOT_AVAILABLE,
            f"{label} is {service.state}, not Available",
            f"bring {label} to state Available",
        )
    account = consumer_account(ix, ep)
    principal = _principal_allowed(service.allowed_principals, account)
    if principal is None and account and account == service.account:
        steps.append(
            Step(
                "allowed principals",
                f"account {account} owns {label}: it needs no allowed principal",
                True,
                resource=service.id,
            )
        )
    elif principal is not None:
        steps.append(
            Step(
                "allowed principals",
                f"{principal} admits account {account}",
                True,
                resource=service.id,
                matched=principal,
            )
        )
    elif (account and same_account(account, service.account) is None) or not is_known(
        service, "allowed_principals"
    ):
        # A scanned provider that does not say its account: nobody can tell whether the
        # consumer is the service's owner (who needs no principal) or another account.
        detail = (
            f"whether account {account} may connect to {label} (account {service.account}) "
            "is unknown: the configuration does not say both accounts, or the service's "
            "allowed principals are unknown"
        )
        fix = "say each provider's account (allowed_account_ids or assume_role) and principals"
        reason = Reason.ENDPOINT_PRINCIPAL_NOT_ALLOWED
        steps.append(Step("allowed principals", detail, False, reason, fix, service.id))
        blocks.append(Block(service.id, reason, detail, fix, unknown=True))
    else:
        fail(
            "allowed principals",
            Reason.ENDPOINT_PRINCIPAL_NOT_ALLOWED,
            f"no allowed principal of {label} admits account {account or '?'}",
            f"add arn:aws:iam::{account}:root to the allowed principals of {label}",
        )
    vpc = ix.network.vpcs.get(ep.vpc)
    region = vpc.region if vpc else service.region
    if region == service.region:
        steps.append(Step("region", f"same region ({region})", True))
        return steps, blocks
    problems, fixes = [], []
    if ep.service_region != service.region:
        problems.append(f"{ep.id} has service_region {ep.service_region or 'unset'}")
        fixes.append(f'set service_region = "{service.region}" on {ix.label(ep.id)}')
    if region not in service.supported_regions:
        problems.append(
            f"{region} is not among the supported regions of {label} "
            f"({', '.join(service.supported_regions) or 'none'})"
        )
        fixes.append(f"add {region} to the supported regions of {label}")
    if problems:
        fail(
            "region",
            Reason.ENDPOINT_REGION_NOT_SUPPORTED,
            f"cross-region endpoint from {region} to {service.region}: " + "; ".join(problems),
            " and ".join(fixes),
        )
    else:
        steps.append(
            Step("region", f"cross-region from {region} to {service.region}: supported", True)
        )
    return steps, blocks


def map_nodes(
    ix: NetworkIndex, ep_node: Node, lb: LoadBalancer, cross_region: bool
) -> tuple[tuple[Node, ...], Step, Block | None]:
    """The NLB nodes an endpoint ENI sends to: the node in its AZ, or (cross-region, or AZs
    that cannot be compared) every node."""
    return ix.memo(
        ("map", ep_node.id, lb.id, cross_region), lambda: _map_nodes(ix, ep_node, lb, cross_region)
    )


def _map_nodes(
    ix: NetworkIndex, ep_node: Node, lb: LoadBalancer, cross_region: bool
) -> tuple[tuple[Node, ...], Step, Block | None]:
    nodes = ix.lb_nodes(lb)
    if not nodes:
        detail = f"{ix.label(lb.id)} has no nodes (no subnets)"
        fix = f"enable subnets for {ix.label(lb.id)}"
        step = Step("AZ", detail, False, Reason.NO_TARGETS, fix, lb.id)
        return (), step, Block(lb.id, Reason.NO_TARGETS, detail, fix)
    if cross_region:
        return nodes, Step("AZ", "cross-region: any node of the load balancer", True), None
    same = tuple(n for n in nodes if n.same_az(ep_node))
    if same:
        key = ep_node.az_id if ep_node.az_id and same[0].az_id else ep_node.az
        detail = f"the endpoint ENI in {ep_node.az} uses the node in the same AZ ({key})"
        return same, Step("AZ", detail, True), None
    if not ep_node.az_id or not all(n.az_id for n in nodes):
        # AZ names differ between accounts; without ids the mapping cannot be decided.
        return (
            nodes,
            Step("AZ", "AZ ids unknown: any node of the load balancer is assumed", True),
            None,
        )
    azs = ", ".join(sorted({f"{n.az} ({n.az_id})" for n in nodes}))
    detail = (
        f"{ix.label(lb.id)} has no node in {ep_node.az} ({ep_node.az_id}), the AZ of "
        f"{ep_node.label}; its nodes are in {azs}"
    )
    fix = f"enable {ep_node.az_id} on {ix.label(lb.id)}, or place the endpoint in {azs}"
    return (
        (),
        Step("AZ", detail, False, Reason.ENDPOINT_AZ_NOT_SUPPORTED, fix, lb.id),
        Block(lb.id, Reason.ENDPOINT_AZ_NOT_SUPPORTED, detail, fix),
    )
