"""Addresses as integers, and "an address somewhere in this subnet".

The engine compares addresses millions of times on a large network; ``ipaddress`` objects
are pleasant but slow for that, so matching works on (network int, prefix length) pairs.

A plan does not know the addresses AWS will choose (endpoint ENIs, NLB nodes). Such an
address is a :class:`Where` spanning the whole subnet, and a rule only *matches* it when it
matches every address in that subnet: a trace that passes then passes for whatever address
AWS picks.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from ipaddress import IPv4Address, IPv4Network

__all__ = ["MASKS", "Cidr", "Where", "cidr_text", "ip_text", "is_private_target"]

MASKS: tuple[int, ...] = tuple(((1 << 32) - 1) ^ ((1 << (32 - p)) - 1) for p in range(33))


@lru_cache(maxsize=1 << 16)
def ip_text(value: int) -> str:
    """Dotted text of an address; cached, since traces print the same few addresses a lot."""
    return str(IPv4Address(value))


def cidr_text(net: int, plen: int) -> str:
    return f"{ip_text(net)}/{plen}"


@dataclass(frozen=True, slots=True)
class Cidr:
    """An IPv4 block as integers: ``net`` is the network address, ``plen`` the prefix length."""

    net: int
    plen: int

    @classmethod
    def of(cls, network: IPv4Network) -> Cidr:
        return cls(int(network.network_address), network.prefixlen)

    def contains(self, where: Where) -> bool:
        """True when every address of ``where`` is inside this block."""
        return self.plen <= where.plen and (where.net & MASKS[self.plen]) == self.net

    def overlaps(self, where: Where) -> bool:
        """True when at least one address of ``where`` is inside this block."""
        plen = min(self.plen, where.plen)
        return (self.net & MASKS[plen]) == (where.net & MASKS[plen])

    def overlaps_cidr(self, other: Cidr) -> bool:
        plen = min(self.plen, other.plen)
        return (self.net & MASKS[plen]) == (other.net & MASKS[plen])

    def __str__(self) -> str:
        return cidr_text(self.net, self.plen)


@dataclass(frozen=True, slots=True)
class Where:
    """Where a packet's address is: one known address (plen 32) or any address of a subnet."""

    net: int
    plen: int = 32
    # The subnet id when the address is not yet known; for a block outside every VPC (the
    # internet, a service's prefix list) what that block is, as printed.
    subnet: str | None = None

    @classmethod
    def ip(cls, address: IPv4Address | int) -> Where:
        return cls(int(address))

    @property
    def exact(self) -> bool:
        return self.plen == 32

    @property
    def cidr(self) -> Cidr:
        return Cidr(self.net, self.plen)

    def __str__(self) -> str:
        if self.plen == 32:
            return ip_text(self.net)
        return f"an address in {self.subnet} ({cidr_text(self.net, self.plen)})"


# Addresses an NLB accepts as IP targets outside its own VPC: RFC 1918 and RFC 6598.
# https://docs.aws.amazon.com/elasticloadbalancing/latest/APIReference/API_TargetDescription.html
_TARGET_RANGES = tuple(
    Cidr.of(IPv4Network(block))
    for block in ("10.0.0.0/8", "172.16.0.0/12", "192.168.0.0/16", "100.64.0.0/10")
)


def is_private_target(address: int) -> bool:
    where = Where(address)
    return any(block.contains(where) for block in _TARGET_RANGES)
