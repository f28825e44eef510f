"""Facts about a spec that several rules and passes need, computed the same way for all."""

from __future__ import annotations

import re
from ipaddress import IPv4Network

from vpcwire.spec.models import PeerConnection, ServiceConnection, Spec

__all__ = ["az_in_region", "peer_pairs", "service_links", "vpc_blocks"]


def vpc_blocks(spec: Spec, vpc: str) -> list[IPv4Network]:
    """Every IPv4 block of a VPC, primary first."""
    v = spec.vpcs[vpc]
    return [v.cidr, *v.secondary_cidrs]


def az_in_region(az: str, region: str) -> bool:
    """us-east-1a, or a Local Zone such as us-east-1-bos-1a, belongs to us-east-1."""
    return re.fullmatch(re.escape(region) + r"([a-z]|-[a-z]+-\d+[a-z])", az) is not None


def peer_pairs(spec: Spec) -> list[tuple[int, PeerConnection]]:
    return [(i, c) for i, c in enumerate(spec.connections) if isinstance(c, PeerConnection)]


def service_links(spec: Spec) -> list[tuple[int, ServiceConnection]]:
    return [(i, c) for i, c in enumerate(spec.connections) if isinstance(c, ServiceConnection)]
