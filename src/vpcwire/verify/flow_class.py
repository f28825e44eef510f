"""A class of flows and its verdict: what the exhaustive proof reports, one per class.

Apart from ``exhaustive`` (which traces the classes between hosts) so that ``internet``
(classes to and from public addresses) can build them too without a circle of imports.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from ipaddress import IPv4Address
from typing import Literal

from vpcwire.network import PortRange
from vpcwire.verify.flow import Flow
from vpcwire.verify.outside_space import AddressBlock
from vpcwire.verify.trace import Disposition, Hop, Trace

__all__ = [
    "INTERNET",
    "Ask",
    "AskKey",
    "Asked",
    "FlowClass",
    "Status",
    "UnknownIn",
    "covered",
    "hops_of",
    "resources_of",
    "status_of",
]

INTERNET = "internet"
Status = Literal["open", "closed", "unknown"]
AskKey = tuple[str, str]
Ask = tuple[str, PortRange | None]
Asked = Mapping[AskKey, Iterable[Ask]]
UnknownIn = Callable[[Iterable[str]], str | None]
_CONNECTING = {
    "peering connection",
    "interface endpoint",
    "network load balancer",
    "internet gateway",
    "NAT gateway",
    "transit gateway",
}
_PORTED = ("tcp", "udp", "icmp", "all")


@dataclass(frozen=True, slots=True)
class FlowClass:
    """One class of flows and its verdict; every flow in it has that verdict."""

    sources: tuple[str, ...]  # instance names, or ("internet",)
    source_vpc: str  # "internet" for flows from outside
    destination: str  # a VPC name, "endpoint x", "load balancer y", "internet", "public …"
    destinations: tuple[str, ...]  # instance / endpoint / balancer names, or the block's text
    destination_vpc: str
    protocol: str
    ports: PortRange | None  # None: a protocol without ports
    status: Status
    via: str = ""
    resources: tuple[str, ...] = ()  # what opens (or, unknown, what is not known) the path
    intended: bool = False
    block: AddressBlock | None = None  # the outside end's addresses
    note: str = ""  # why unknown
    # set: this class stands for every IP protocol but tcp, udp, icmp and these
    rest_except: tuple[str, ...] | None = None

    def contains(self, flow: Flow, source: str, destination: str) -> bool:
        """Whether ``flow`` (source and destination named as classes name them) is in it."""
        if self.rest_except is not None:
            if flow.protocol in _PORTED or flow.protocol in self.rest_except:
                return False
        elif flow.protocol != self.protocol:
            return False
        if self.ports is not None and not self.ports.low <= flow.port <= self.ports.high:
            return False
        if source not in self.sources or source == destination:
            return False
        if self.block is not None:
            try:
                return self.block.holds(IPv4Address(flow.destination))
            except ValueError:
                return False
        return destination in self.destinations


def hops_of(trace: Trace) -> Callable[[], tuple[Hop, ...]]:
    return lambda: trace.hops


def status_of(
    disposition: Disposition,
    hops: Callable[[], Iterable[Hop]],
    blocks: Iterable[object],
    unknown_in: UnknownIn | None,
) -> tuple[Status, str]:
    """The class's status; ``hops`` is asked for only when a gap could make it unknown
    (joining a trace's hops is most of a trace's cost)."""
    if disposition is Disposition.UNKNOWN:
        return "unknown", "the network lacks what decides this path"
    if unknown_in is not None:
        touched = [h.resource for h in hops()] + [getattr(b, "resource", "") for b in blocks]
        note = unknown_in(touched)
        if note:
            return "unknown", note
    return ("open" if disposition is Disposition.REACHABLE else "closed"), ""


def resources_of(hops: tuple[Hop, ...]) -> tuple[str, ...]:
    """What opens the path: connecting resources, and the rules and routes that admit it."""
    out: dict[str, None] = {}
    for hop in hops:
        if hop.direction != "forward":
            continue
        if hop.kind in _CONNECTING:
            out[hop.resource] = None
        for step in hop.steps:
            if step.ok and step.resource and step.matched and step.matched != "local":
                out[f"{step.resource} ({step.matched})"] = None
    return tuple(out)


def covered(
    asked: Asked,
    sources: Iterable[str],
    dests: Iterable[str],
    proto: str,
    ports: PortRange | None,
) -> bool:
    """Every (source, destination) pair asks for every flow of the class."""
    dests = tuple(dests)
    for s in sources:
        for d in dests:
            if not any(_asks(p, r, proto, ports) for p, r in asked.get((s, d), ())):
                return False
    return True


def _asks(p: str, r: PortRange | None, proto: str, ports: PortRange | None) -> bool:
    """Whether asking (p, r) covers the class (proto, ports); ``all`` asks every protocol, a
    range of None every port."""
    if p == "all":
        return True
    if p != proto:
        return False
    return ports is None or r is None or (r.low <= ports.low and ports.high <= r.high)
