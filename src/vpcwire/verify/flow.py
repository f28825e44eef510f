"""A flow: one packet's 5-tuple, named the way people name things ("client" to "api:8080")."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from vpcwire.errors import UsageError

__all__ = [
    "EPHEMERAL_PORT",
    "HAS_PORTS",
    "ICMP_REPLY",
    "Flow",
    "FlowProtocol",
    "protocol_words",
]

FlowProtocol = str
"""tcp, udp, icmp; ``all`` (every IP protocol and port at once: open only where a rule or
entry admits AWS's ``-1``); or another IP protocol by number ("50" for ESP), without ports."""

HAS_PORTS = ("tcp", "udp", "icmp")

# The reply to a tcp/udp flow goes to the client's ephemeral port. Linux picks from
# 32768-60999, Windows from 49152-65535, NAT devices from 1024-65535; the verifier checks one
# concrete port inside all of these so that a network ACL story names a real number.
# https://docs.aws.amazon.com/vpc/latest/userguide/nacl-ephemeral-ports.html
EPHEMERAL_PORT = 49152

# ICMP request types and the type of their reply (RFC 792 / RFC 950). A type missing here
# expects no reply, so its return path is not checked.
ICMP_REPLY: dict[int, int] = {8: 0, 13: 14, 15: 16, 17: 18}
_TOPS = {"tcp": 65535, "udp": 65535, "icmp": 255}


def protocol_words(protocol: str) -> str:
    """How a message names a protocol: TCP, UDP, ICMP, all traffic, IP protocol 50."""
    if protocol == "all":
        return "all traffic"
    if protocol in HAS_PORTS:
        return protocol.upper()
    return f"IP protocol {protocol}"


@dataclass(frozen=True, slots=True)
class Flow:
    """What to trace: ``source`` sends ``protocol``/``port`` to ``destination``.

    ``source`` names an instance or ENI (id or Name). ``destination`` names an instance,
    ENI, interface endpoint or load balancer, or is an IPv4 address (private or public),
    or ``internet`` (every address: the default route) or ``s3`` / ``dynamodb`` (every
    block of the source region's AWS-managed prefix list). For ICMP, ``port`` is the ICMP
    type (8 = echo request).
    """

    source: str
    destination: str
    protocol: FlowProtocol
    port: int

    def __post_init__(self) -> None:
        # the common case, already canonical and in range: nothing to check further (an
        # exhaustive proof makes a quarter of a million flows)
        if self.protocol in _TOPS and 0 <= self.port <= _TOPS[self.protocol]:
            return
        from vpcwire.network.model import canonical_protocol

        protocol = canonical_protocol(self.protocol)
        if protocol is None:
            raise UsageError(
                "protocol must be tcp, udp, icmp, all, or an IP protocol number 0-255 "
                f"(50 for ESP, as AWS writes rules for it), not {self.protocol!r}"
            )
        object.__setattr__(self, "protocol", protocol)
        if protocol not in HAS_PORTS:
            if self.port:
                raise UsageError(
                    f"protocol {protocol} has no ports: leave out the port (it is {self.port})"
                )
            return
        high = 255 if self.protocol == "icmp" else 65535
        if not 0 <= self.port <= high:
            what = "ICMP type" if self.protocol == "icmp" else "port"
            raise UsageError(f"{what} must be between 0 and {high}, not {self.port}")

    @property
    def service(self) -> str:
        """``tcp/8080`` or ``icmp type 8``: how a rule-writer says what the flow needs."""
        if self.protocol == "icmp":
            return f"icmp type {self.port}"
        if self.protocol == "all":
            return "all traffic"
        if self.protocol not in HAS_PORTS:
            return f"IP protocol {self.protocol}"
        return f"{self.protocol}/{self.port}"

    def __str__(self) -> str:
        return f"{self.service} from {self.source} to {self.destination}"

    def to_dict(self) -> dict[str, Any]:
        return {
            "source": self.source,
            "destination": self.destination,
            "protocol": self.protocol,
            "port": self.port,
        }
