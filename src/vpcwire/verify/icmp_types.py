"""ICMP request types in two steps, to trace fewer classes.

Echo, timestamp, information and address-mask requests (``ICMP_REPLY``) are checked like any
other type on the way out and, in addition, on the way back. So a range of types that every
forward check treats alike is traced once from a type that is *not* a request: when that is
closed, every type of the range is closed (a request meets the same checks and more); only
when it is open (or unknown) are the request types in it split off and traced on their own,
the other types keeping the representative's verdict.
"""

from __future__ import annotations

from vpcwire.network import PortRange
from vpcwire.verify.flow import ICMP_REPLY

__all__ = ["needs_split", "pieces", "representative"]

REQUESTS = frozenset(ICMP_REPLY)


def representative(ports: PortRange) -> int:
    """The lowest type of the range that is not a request (the low end if all are)."""
    return next((t for t in range(ports.low, ports.high + 1) if t not in REQUESTS), ports.low)


def needs_split(ports: PortRange) -> bool:
    return ports.low != ports.high and any(ports.low <= q <= ports.high for q in REQUESTS)


def pieces(ports: PortRange) -> list[tuple[PortRange, bool]]:
    """The range cut around each request type in it: (piece, is a request type)."""
    out: list[tuple[PortRange, bool]] = []
    low = ports.low
    for q in sorted(q for q in REQUESTS if ports.low <= q <= ports.high):
        if low < q:
            out.append((PortRange(low, q - 1), False))
        out.append((PortRange(q, q), True))
        low = q + 1
    if low <= ports.high:
        out.append((PortRange(low, ports.high), False))
    return out
