"""Address arithmetic: subnet layouts, free blocks for outpost VPCs, host addresses.

Everything here is deterministic: the same spec always yields the same addresses, so a
re-plan never moves a subnet and a rendered directory stays stable in version control.
"""

from __future__ import annotations

import bisect
from collections.abc import Iterable
from dataclasses import dataclass
from ipaddress import IPv4Address, IPv4Network
from typing import Literal

from vpcwire.spec.models import VpcSpec

__all__ = [
    "CidrIndex",
    "LaidOutSubnet",
    "az_suffix",
    "host_address",
    "lay_out_subnets",
    "layout_prefix",
    "max_laid_out_azs",
]

# Candidate pools for vpcwire-made VPCs (outposts), in the order we try them. 172.31/16 is
# left out: it is every region's default VPC.
_OUTPOST_POOLS = (
    IPv4Network("10.255.0.0/16"),
    IPv4Network("172.30.0.0/16"),
    IPv4Network("192.168.255.0/24"),
    IPv4Network("10.0.0.0/8"),
    IPv4Network("172.16.0.0/12"),
)


@dataclass(frozen=True, slots=True)
class LaidOutSubnet:
    tier: Literal["private", "public"]
    cidr: IPv4Network
    az: str
    index: int  # position within its tier; names the subnet when two share an AZ
    spec_path: tuple[str | int, ...]  # where the user wrote it (or the azs entry it came from)


def layout_prefix(vpc_cidr: IPv4Network) -> int:
    """Prefix length of laid-out subnets: /24 in a /16, never smaller than /28 (AWS's minimum)."""
    return min(max(vpc_cidr.prefixlen + 4, 24), 28)


def lay_out_subnets(name: str, vpc: VpcSpec) -> list[LaidOutSubnet]:
    """The VPC's subnets: the explicit ones, or one private (and public, with NAT) per AZ.

    Laid-out private subnets take the first blocks of the VPC CIDR and public ones start at
    its middle, so adding an AZ later never renumbers an existing subnet.
    """
    if vpc.subnets is not None:
        out = [
            LaidOutSubnet("private", s.cidr, s.az, i, ("vpcs", name, "subnets", "private", i))
            for i, s in enumerate(vpc.subnets.private)
        ]
        out += [
            LaidOutSubnet("public", s.cidr, s.az, i, ("vpcs", name, "subnets", "public", i))
            for i, s in enumerate(vpc.subnets.public)
        ]
        return out
    azs = vpc.azs or []
    count = 2 ** (layout_prefix(vpc.cidr) - vpc.cidr.prefixlen)
    half = count // 2
    out = []
    for i, az in enumerate(azs[:half]):
        out.append(LaidOutSubnet("private", _nth(vpc.cidr, i), az, i, ("vpcs", name, "azs", i)))
        if vpc.nat:
            out.append(
                LaidOutSubnet("public", _nth(vpc.cidr, half + i), az, i, ("vpcs", name, "azs", i))
            )
    return out


def _nth(cidr: IPv4Network, index: int) -> IPv4Network:
    prefix = layout_prefix(cidr)
    size = 1 << (32 - prefix)
    return IPv4Network((int(cidr.network_address) + index * size, prefix))


def max_laid_out_azs(cidr: IPv4Network) -> int:
    return (1 << (layout_prefix(cidr) - cidr.prefixlen)) // 2


def az_suffix(az: str, region: str) -> str:
    """us-east-1a -> "a"; a Local Zone keeps its distinguishing tail (bos_1a)."""
    return az.removeprefix(region).lstrip("-").replace("-", "_") or az


def host_address(subnet: IPv4Network, index: int) -> IPv4Address | None:
    """The index-th host address vpcwire hands out in a subnet, or None if it is full.

    AWS reserves the first four and the last address of every subnet; we start at .10 in
    subnets big enough, leaving the low addresses to things AWS places itself.
    """
    first = 10 if subnet.num_addresses >= 64 else 4
    address = int(subnet.network_address) + first + index
    if address > int(subnet.broadcast_address) - 1:
        return None
    return IPv4Address(address)


class CidrIndex:
    """Blocks in use, for fast "does this overlap anything?" and "give me a free /N".

    Sorted by start address. An overlap query looks at the neighbours of the insertion
    point plus every block that could still contain it, which stays cheap because VPC
    CIDRs rarely nest.
    """

    def __init__(self, blocks: Iterable[IPv4Network] = ()) -> None:
        self._starts: list[int] = []
        self._blocks: list[IPv4Network] = []
        self._max_size = 0
        for block in blocks:
            self.add(block)

    def add(self, block: IPv4Network) -> None:
        start = int(block.network_address)
        i = bisect.bisect_left(self._starts, start)
        self._starts.insert(i, start)
        self._blocks.insert(i, block)
        self._max_size = max(self._max_size, block.num_addresses)

    def overlapping(self, block: IPv4Network) -> list[IPv4Network]:
        start, end = int(block.network_address), int(block.broadcast_address)
        lo = bisect.bisect_left(self._starts, start - self._max_size + 1)
        hi = bisect.bisect_right(self._starts, end)
        return [b for b in self._blocks[lo:hi] if int(b.broadcast_address) >= start]

    def free_block(self, prefix: int) -> IPv4Network:
        """The first block of this size, from our candidate pools, that overlaps nothing."""
        for pool in _OUTPOST_POOLS:
            if prefix < pool.prefixlen:
                continue
            candidate_start = int(pool.network_address)
            size = 2 ** (32 - prefix)
            while candidate_start + size - 1 <= int(pool.broadcast_address):
                candidate = IPv4Network((candidate_start, prefix))
                clash = self.overlapping(candidate)
                if not clash:
                    return candidate
                # jump past the furthest clashing block, aligned to our block size
                past = max(int(b.broadcast_address) for b in clash) + 1
                candidate_start = -(-past // size) * size
        raise ValueError(f"no free /{prefix} left in the private address pools")
