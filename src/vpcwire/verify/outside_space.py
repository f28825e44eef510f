"""The public address space cut into blocks that every check treats alike.

The cuts are the bounds of every CIDR a rule, entry, route or prefix list names and every
public address of an interface, so routes (longest prefix), security group and network ACL
rules match every address of a block alike. Private ranges outside every VPC and addresses
never routed are left out (:mod:`vpcwire.verify.exhaustive` says why).
"""

from __future__ import annotations

import itertools
from bisect import bisect_right
from dataclasses import dataclass
from ipaddress import IPv4Address, IPv4Network, summarize_address_range

from vpcwire.network import Network
from vpcwire.verify.classes import cidrs_of

__all__ = ["EXCLUDED", "AddressBlock", "outside_blocks"]

EXCLUDED = tuple(
    IPv4Network(c)
    for c in (
        "0.0.0.0/8",  # "this network"
        "10.0.0.0/8",
        "100.64.0.0/10",  # carrier-grade NAT, private
        "127.0.0.0/8",
        "169.254.0.0/16",  # link-local: answered on the instance
        "172.16.0.0/12",
        "192.168.0.0/16",
        "224.0.0.0/3",  # multicast and reserved
    )
)


@dataclass(frozen=True, slots=True)
class AddressBlock:
    """Addresses ``low``..``high`` (inclusive), outside every VPC; ``owner`` names the
    interface whose public address the block is, if it is one."""

    low: int
    high: int
    owner: str = ""

    def holds(self, address: IPv4Address) -> bool:
        return self.low <= int(address) <= self.high

    @property
    def representative(self) -> str:
        return str(IPv4Address(self.low))

    def __str__(self) -> str:
        nets = list(summarize_address_range(IPv4Address(self.low), IPv4Address(self.high)))
        if len(nets) <= 3:
            return ", ".join(str(n) for n in nets)
        return f"{IPv4Address(self.low)}-{IPv4Address(self.high)}"


def outside_blocks(network: Network) -> list[AddressBlock]:
    """The public blocks (in address order)."""
    excluded = [*EXCLUDED, *(c for v in network.vpcs.values() for c in v.cidrs)]
    owners: dict[int, str] = {}
    for eni in network.interfaces.values():
        if eni.public_ip is not None:
            owners[int(eni.public_ip)] = eni.owner or eni.id
    points = {0, 1 << 32}
    for net in (*cidrs_of(network), *excluded):
        points.update((int(net.network_address), int(net.broadcast_address) + 1))
    for address in owners:
        points.update((address, address + 1))
    bounds = sorted(points)
    merged: list[list[int]] = []  # excluded spans, merged, in order: a bisect finds the one
    for a, b in sorted((int(n.network_address), int(n.broadcast_address)) for n in excluded):
        if merged and a <= merged[-1][1] + 1:
            merged[-1][1] = max(merged[-1][1], b)
        else:
            merged.append([a, b])
    starts = [a for a, _ in merged]
    out: list[AddressBlock] = []
    for low, nxt in itertools.pairwise(bounds):
        at = bisect_right(starts, low) - 1
        if at >= 0 and merged[at][0] <= low <= merged[at][1]:
            continue
        out.append(AddressBlock(low, nxt - 1, owners.get(low, "") if nxt - low == 1 else ""))
    return out
