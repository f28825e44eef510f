"""Names in a flow → the things they name; an unknown or ambiguous name is a UsageError.

People write flows with Name tags ("client", "api"); a Name tag may be shared by an
instance and its ENI, which is fine (they are one endpoint) but two different instances
sharing it is not: the error lists the ids to use instead.
"""

from __future__ import annotations

from dataclasses import dataclass
from ipaddress import IPv4Address
from typing import Literal, TypeVar

from vpcwire.errors import UsageError
from vpcwire.network import (
    GATEWAY_SERVICES,
    Instance,
    LoadBalancer,
    Network,
    NetworkInterface,
    PrefixList,
    Resource,
    VpcEndpoint,
)

__all__ = [
    "Destination",
    "resolve_destination",
    "resolve_source",
    "service_prefix_list",
]

T = TypeVar("T")

_SOURCE_KINDS = ("instance", "network_interface")
_DEST_KINDS = ("instance", "network_interface", "vpc_endpoint", "load_balancer")


@dataclass(frozen=True, slots=True)
class Destination:
    """What a flow's destination names."""

    kind: Literal["interface", "endpoint", "load_balancer", "address", "internet", "service"]
    # ENI id, endpoint id, load balancer id, the address, "internet", or the AWS service
    # ("s3", "dynamodb") whose regional prefix list is the destination
    id: str
    only: str | None = None  # one ENI of the endpoint or NLB, when the flow named that ENI


def resolve_source(network: Network, name: str) -> NetworkInterface:
    """The ENI a flow starts from: the ENI named, or the named instance's primary ENI."""
    found: dict[str, Resource] = {}
    for resource in network.find(name, _SOURCE_KINDS):
        _keep(found, _source_key(network, resource), resource)
    eni_id = _one(network, "source", name, found, _SOURCE_KINDS)
    eni = network.interfaces.get(eni_id)
    if eni is None:
        raise UsageError(f"source {name!r}: its network interface {eni_id} is not in the network")
    return eni


def _source_key(network: Network, resource: Resource) -> str:
    return resource.interface if isinstance(resource, Instance) else resource.id


def resolve_destination(network: Network, name: str) -> Destination:
    """An address, a named resource, or one of the words ``internet``, ``s3``, ``dynamodb``.

    A resource whose Name is one of those words wins over the word: names are what the
    user's own network says, the words only a shorthand.
    """
    try:
        return Destination("address", str(IPv4Address(name)))
    except ValueError:
        pass
    found: dict[Destination, Resource] = {}
    for resource in network.find(name, _DEST_KINDS):
        _keep(found, _dest_key(network, resource), resource)
    word = name.strip().lower()
    if not found and word == "internet":
        return Destination("internet", "internet")
    if not found and word in GATEWAY_SERVICES:
        return Destination("service", word)
    target = _one(network, "destination", name, found, _DEST_KINDS)
    if target.kind == "endpoint":
        ep = network.endpoints[target.id]
        service = ep.service_name.rsplit(".", 1)[-1]
        if ep.type == "Gateway" and service in GATEWAY_SERVICES:
            # A gateway endpoint has no address: a flow "to" it is a flow to its service.
            return Destination("service", service)
        if ep.type != "Interface":
            raise UsageError(
                f"destination {name!r} is a {ep.type} endpoint: it has no address "
                "to connect to; trace to an address of its service instead"
            )
    if target.kind == "interface" and target.id not in network.interfaces:
        raise UsageError(
            f"destination {name!r}: its network interface {target.id} is not in the network"
        )
    return target


def _dest_key(network: Network, resource: Resource) -> Destination:
    if isinstance(resource, Instance):
        return Destination("interface", resource.interface)
    if isinstance(resource, VpcEndpoint):
        return Destination("endpoint", resource.id)
    if isinstance(resource, LoadBalancer):
        return Destination("load_balancer", resource.id)
    assert isinstance(resource, NetworkInterface)
    owner = resource.owner or ""
    if resource.kind == "vpc_endpoint" and owner in network.endpoints:
        return Destination("endpoint", owner, resource.id)
    if resource.kind == "load_balancer" and owner in network.load_balancers:
        return Destination("load_balancer", owner, resource.id)
    return Destination("interface", resource.id)


def _keep(found: dict[T, Resource], key: T, resource: Resource) -> None:
    """One resource per distinct thing named; an instance rather than its own ENI."""
    if key not in found or isinstance(found[key], NetworkInterface):
        found[key] = resource


def _one(
    network: Network, role: str, name: str, found: dict[T, Resource], kinds: tuple[str, ...]
) -> T:
    if len(found) == 1:
        return next(iter(found))
    if not found:
        what = (
            "instance or network interface"
            if role == "source"
            else (
                "instance, network interface, interface endpoint or load balancer (or an "
                "IPv4 address, internet, s3 or dynamodb)"
            )
        )
        message = f"unknown {role} {name!r}: no {what} has that id or Name"
        close = network.suggest(name, kinds)
        if close:
            message += f"; did you mean {', '.join(repr(c) for c in close)}?"
        raise UsageError(message)
    listed = ", ".join(
        f"{r.id} ({type(r).__name__})" for r in sorted(found.values(), key=lambda r: r.id)
    )
    raise UsageError(f"{role} {name!r} is ambiguous: it names {listed}; use an id instead")


def service_prefix_list(network: Network, service: str, region: str) -> PrefixList:
    """The AWS-managed prefix list of ``service`` in ``region``, or a UsageError saying so."""
    wanted = f"com.amazonaws.{region}.{service}"
    for pl in network.prefix_lists.values():
        if pl.name == wanted and pl.cidrs:
            return pl
    raise UsageError(
        f"destination {service!r}: the prefix list {wanted} is not in the network that was "
        f"read, so the addresses of {service} in {region} are unknown; read that region "
        "(--regions) with a principal allowed ec2:DescribeManagedPrefixLists and "
        "ec2:GetManagedPrefixListEntries"
    )
