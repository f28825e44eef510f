"""The IP protocols other than tcp, udp and icmp, as classes: each one a rule or entry names,
and one representative for all the rest (which every check treats alike: only ``-1`` rules
and entries admit them)."""

from __future__ import annotations

from vpcwire.network import Network

__all__ = ["other_protocols"]

_PORTED = {"tcp", "udp", "icmp", "all", "1", "6", "17"}


def other_protocols(network: Network) -> tuple[tuple[str, tuple[str, ...] | None], ...]:
    """Numbered protocols named anywhere, each with None; then the smallest protocol number
    named nowhere, standing for every protocol but tcp, udp, icmp and the named (the tuple)."""
    named: set[str] = set()
    for sg in network.security_groups.values():
        named.update(r.protocol for r in (*sg.ingress, *sg.egress))
    for acl in network.network_acls.values():
        named.update(e.protocol for e in acl.entries)
    numbered = sorted((p for p in named if p not in _PORTED), key=int)
    rest = next(str(n) for n in range(256) if str(n) not in _PORTED and str(n) not in named)
    return (*((p, None) for p in numbered), (rest, tuple(numbered)))
