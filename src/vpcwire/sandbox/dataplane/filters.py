"""nftables rule text for security groups (stateful) and network ACLs (stateless).

Each function returns the lines of one chain body; :mod:`vpcwire.sandbox.dataplane.layout` puts
them into tables. Matching follows AWS: a security group rule admits its protocol/ports
from (ingress) or to (egress) a CIDR, the members of a referenced group, or a prefix
list's CIDRs; a network ACL entry matches the *source* CIDR on ingress and the
*destination* CIDR on egress, entries in rule-number order, first match wins, then the
implicit deny. https://docs.aws.amazon.com/vpc/latest/userguide/vpc-network-acls.html
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from ipaddress import IPv4Address, IPv4Network

from vpcwire.network import NaclEntry, Network, PortRange, SecurityGroupRule

__all__ = ["iface_set", "nacl_chain", "protocol_match", "sg_lines"]

_ANY = IPv4Network("0.0.0.0/0")


def protocol_match(protocol: str, ports: PortRange | None) -> str:
    """``ip protocol tcp tcp dport 8080`` and friends; empty for every protocol."""
    if protocol == "all":
        return ""
    if protocol == "icmp":
        if ports is None or ports.low < 0 or ports.low > 255:
            return "ip protocol icmp"
        high = min(ports.high, 255)
        kind = str(ports.low) if ports.low >= high else f"{ports.low}-{high}"
        return f"ip protocol icmp icmp type {kind}"
    head = f"ip protocol {protocol}"
    if ports is None or (ports.low <= 0 and ports.high >= 65535):
        return head
    span = str(ports.low) if ports.low == ports.high else f"{ports.low}-{ports.high}"
    return f"{head} {protocol} dport {span}"


def _addresses(items: Iterable[IPv4Network | IPv4Address]) -> str:
    values = sorted({str(i) for i in items})
    return values[0] if len(values) == 1 else "{ " + ", ".join(values) + " }"


def sg_lines(
    network: Network,
    rules: Iterable[SecurityGroupRule],
    direction: str,
    members: Mapping[str, list[IPv4Address]],
    verdict: str = "accept",
) -> list[str]:
    """One nft line per rule that can match; ``direction`` is ``ingress`` or ``egress``."""
    side = "saddr" if direction == "ingress" else "daddr"
    out = []
    for rule in rules:
        peer = ""
        if rule.cidr is not None:
            peer = "" if rule.cidr == _ANY else f"ip {side} {_addresses([rule.cidr])}"
        elif rule.group is not None:
            ips = members.get(rule.group.rsplit("/", 1)[-1], [])
            if not ips:
                continue  # a group with no members admits nobody
            peer = f"ip {side} {_addresses(ips)}"
        elif rule.prefix_list is not None:
            pl = network.prefix_lists.get(rule.prefix_list)
            if pl is None or not pl.cidrs:
                continue
            peer = f"ip {side} {_addresses(pl.cidrs)}"
        else:
            continue
        parts = [p for p in (peer, protocol_match(rule.protocol, rule.ports), verdict) if p]
        out.append(" ".join(parts))
    return out


def nacl_chain(entries: Iterable[NaclEntry], egress: bool) -> list[str]:
    """Entries of one direction in rule-number order: allow returns, deny drops; then drop."""
    side = "daddr" if egress else "saddr"
    out = []
    for entry in sorted((e for e in entries if e.egress == egress), key=lambda e: e.number):
        peer = "" if entry.cidr == _ANY else f"ip {side} {entry.cidr}"
        verdict = "return" if entry.allow else "drop"
        parts = [p for p in (peer, protocol_match(entry.protocol, entry.ports), verdict) if p]
        out.append(" ".join(parts))
    out.append("drop")  # AWS's implicit "*" deny
    return out


def iface_set(names: Iterable[str]) -> str:
    return "{ " + ", ".join(f'"{n}"' for n in sorted(names)) + " }"
