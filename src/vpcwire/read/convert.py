"""Small conversions from AWS response shapes to model values, shared by every mapper.

AWS writes the same ideas several ways (protocol ``"6"`` or ``"tcp"``, "all ports" as a
missing range, ``0-65535`` or ``-1``); the model has one spelling for each, the one the
planner uses, so an observed Network compares equal to a planned one:

* protocols are ``tcp``/``udp``/``icmp``/``all``; any other IP protocol returns None and the
  caller drops the rule, because the verifier only ever evaluates tcp, udp and icmp flows,
  for which such a rule can neither allow nor deny anything;
* every port (or every ICMP type) is ``None``, never ``PortRange(0, 65535)``;
* IPv6 is not modelled: IPv6 routes, rules and entries are skipped.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from functools import lru_cache
from ipaddress import IPv4Address, IPv4Network
from typing import Any

from vpcwire.network import NetworkBuilder, PortRange, Protocol, Resource, kind_of
from vpcwire.network.model import canonical_protocol

__all__ = [
    "Raw",
    "add_new",
    "address",
    "name_of",
    "network",
    "port_range",
    "protocol",
    "sg_ports",
    "tags_of",
]

Raw = dict[str, Any]
"""One item of an AWS response, as boto3 parses it."""


def tags_of(item: Mapping[str, Any]) -> dict[str, str]:
    """EC2 says ``Tags`` on most things and ``TagSet`` on ENIs; both are Key/Value lists."""
    pairs: Iterable[Mapping[str, str]] = item.get("Tags") or item.get("TagSet") or ()
    return {p["Key"]: p.get("Value", "") for p in pairs}


def name_of(tags: Mapping[str, str], fallback: str = "") -> str:
    """The logical name: the Name tag vpcwire writes on everything it creates."""
    return tags.get("Name") or fallback


def protocol(value: str | int | None) -> Protocol | None:
    """AWS's IpProtocol/Protocol field in the model's words: tcp, udp, icmp, all, or the
    number of another IP protocol ("50"); None for what is no IP protocol (IPv6's 58 is
    kept as a number: no IPv4 flow matches it)."""
    return canonical_protocol(value) if value is not None else None


def port_range(low: int | None, high: int | None) -> PortRange | None:
    """A range of ports; None when it covers every port (or says nothing)."""
    if low is None or high is None or low < 0 or (low, high) == (0, 65535):
        return None
    return PortRange(low, max(low, high))


def sg_ports(proto: Protocol, from_port: int | None, to_port: int | None) -> PortRange | None:
    """Ports of a security group permission (or the ICMP type, which AWS puts in FromPort;
    ToPort is then the ICMP code, which the model does not keep)."""
    if proto == "all":
        return None
    if proto == "icmp":
        return None if from_port is None or from_port < 0 else PortRange.one(from_port)
    return port_range(from_port, to_port)


@lru_cache(maxsize=1 << 16)
def network(text: str | None) -> IPv4Network | None:
    """An IPv4 block, or None for IPv6 and anything unparsable. Cached: an estate repeats a
    few blocks (0.0.0.0/0, each VPC's CIDR) in every rule, entry and route, and parsing one
    is most of the cost of mapping a thousand VPCs (benchmarks/snapshot_scale.py)."""
    if not text or ":" in text:
        return None
    try:
        return IPv4Network(text, strict=False)
    except ValueError:
        return None


def address(text: str | None) -> IPv4Address | None:
    if not text:
        return None
    try:
        return IPv4Address(text)
    except ValueError:
        return None


def add_new(builder: NetworkBuilder, resource: Resource) -> bool:
    """Add unless the id is already there. The same resource can be seen twice (a VPC shared
    through RAM is visible to its owner and to each participant); the first view, in the
    reader's fixed account/region order, wins."""
    if builder.get_or_none(kind_of(resource), resource.id) is not None:
        return False
    builder.add(resource)
    return True
