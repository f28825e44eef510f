"""What lies outside every VPC, as the engine sees it, and small helpers for hops there.

A flow to the internet, to a public address or to a service's prefix list ends at an
:class:`Outside`: a block of addresses with a label, standing in for hosts vpcwire knows
nothing about. Some addresses are never routed at all (:func:`never_routed`).
"""

from __future__ import annotations

from dataclasses import dataclass
from ipaddress import IPv4Address, IPv4Network

from vpcwire.errors import UsageError
from vpcwire.verify.addresses import Where
from vpcwire.verify.nodes import Node
from vpcwire.verify.reasons import Reason
from vpcwire.verify.security import Check
from vpcwire.verify.trace import Block, Hop, Step

__all__ = ["Outside", "Steps", "never_routed", "node_hop", "outside_node"]

_THIS_NETWORK = IPv4Network("0.0.0.0/8")


@dataclass(frozen=True, slots=True)
class Outside:
    """A destination outside every VPC: a public address, the internet, a service's block."""

    where: Where
    label: str  # "8.8.8.8", "the internet", "com.amazonaws.us-east-1.s3 (52.216.0.0/15)"
    kind: str  # "address", "internet" or "service"
    prefix_list: str | None = None  # the service's prefix list: what a rule should name


def outside_node(dest: Outside) -> Node:
    """A stand-in node for the far end, so the filters can be asked about it."""
    return Node(
        dest.label,
        dest.label,
        "",
        dest.kind,
        "",
        "",
        dest.where,
        (),
        False,
        None,
        "?",
        None,
    )


class Steps:
    """Steps of one hop and the blocks they found."""

    def __init__(self, blocks: list[Block]) -> None:
        self.steps: list[Step] = []
        self.blocks = blocks

    def add(self, check: Check | None) -> None:
        if check is not None:
            self.steps.append(check[0])
            if check[1] is not None:
                self.blocks.append(check[1])

    def ok(self, action: str, detail: str, resource: str | None = None) -> None:
        self.steps.append(Step(action, detail, True, resource=resource))

    def fail(
        self,
        action: str,
        resource: str,
        reason: Reason,
        detail: str,
        fix: str,
        *,
        unknown: bool = False,
    ) -> None:
        self.steps.append(Step(action, detail, False, reason, fix, resource))
        self.blocks.append(Block(resource, reason, detail, fix, unknown))


def node_hop(node: Node, steps: list[Step], direction: str) -> Hop:
    return Hop(
        node.resource,
        node.name,
        node.kind,
        tuple(steps),
        "forward" if direction == "forward" else "return",
        node.detail,
    )


def never_routed(address: IPv4Address) -> None:
    """Addresses no route ever carries: a usage error, not a trace to the internet.

    Link-local addresses (the instance metadata service, 169.254.169.254, and the Amazon
    DNS server's 169.254.169.253) answer on the instance itself; loopback, "this network",
    multicast and reserved addresses never leave it either.
    https://docs.aws.amazon.com/AWSEC2/latest/UserGuide/instancedata-data-retrieval.html
    """
    kinds = (
        ("a link-local address, answered on the instance itself", address.is_link_local),
        ("a loopback address", address.is_loopback),
        ("a multicast address", address.is_multicast),
        ("a reserved address", address.is_reserved),
        ('a "this network" address', address in _THIS_NETWORK),
    )
    for what, hit in kinds:
        if hit:
            raise UsageError(
                f"destination {address} is {what}: no route ever carries it, so there is "
                "nothing to trace; name an instance, an endpoint, a routable address, or "
                "internet / s3 / dynamodb"
            )
