"""Port cuts for one pair of hosts: only the rules and entries that can decide their flows.

Between two hosts, the forward packet meets the source's security group egress rules and
subnet ACL egress entries, then the destination's ACL ingress entries and security group
ingress rules; the reply goes to a fixed ephemeral port, so it cuts no port of the flow. Of
those, a rule or entry whose peer cannot hold the other end's address (a CIDR that does not
contain it, a group it does not wear) never decides any port of the pair's flows, so its
bounds are left out. Every host of a class has the same groups and lies in the same named
CIDRs (:mod:`vpcwire.verify.classes`), so the cuts of the representatives hold for the
class. Fewer cuts, fewer classes, the same verdicts (the property tests of
tests/verify/test_exhaustive.py hold the proof to that).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from ipaddress import IPv4Address

from vpcwire.network import NaclEntry, Network, SecurityGroupRule
from vpcwire.verify.classes import attachment_acl_entries

__all__ = ["PairCuts", "pair_port_cuts"]

PairCuts = Callable[[str, str], dict[str, set[int]]]
_PROTOS = ("tcp", "udp", "icmp")


def pair_port_cuts(network: Network) -> PairCuts:
    """A function (source name, destination name) -> per protocol, the port cuts; either
    name may be ``internet`` (a flow to or from outside every VPC)."""
    ends: dict[str, tuple[IPv4Address | None, frozenset[str], str, str]] = {}
    for inst in network.instances.values():
        eni = network.interfaces.get(inst.interface)
        ip = eni.private_ip if eni else None
        groups = frozenset(eni.security_groups) if eni else frozenset()
        ends[inst.name or inst.id] = (ip, groups, inst.subnet, inst.interface)
    # the internet: any address (every CIDR rule may match), no group, no subnet of ours
    ends["internet"] = (None, frozenset(), "", "")
    # a flow of a VPC attached to a TGW may cross attachment subnets' ACLs (verify/transit.py)
    attached = {
        inst.name or inst.id
        for inst in network.instances.values()
        if network.tgw_attachments_of_vpc.get(inst.vpc)
    }
    through_tgw = attachment_acl_entries(network) if attached else []
    memo: dict[tuple[str, str], dict[str, set[int]]] = {}

    def cuts(source: str, destination: str) -> dict[str, set[int]]:
        key = (source, destination)
        found = memo.get(key)
        if found is not None:
            return found
        out: dict[str, set[int]] = {p: set() for p in _PROTOS}
        s, d = ends.get(source), ends.get(destination)
        if s is None or d is None:
            memo[key] = out
            return out
        for rule in _rules(network, s[1], egress=True):
            if _rule_may_match(rule, d[0], d[1]):
                _add(out, rule.protocol, rule.ports)
        for rule in _rules(network, d[1], egress=False):
            if _rule_may_match(rule, s[0], s[1]):
                _add(out, rule.protocol, rule.ports)
        for entry in _entries(network, s[2], egress=True):
            if d[0] is None or d[0] in entry.cidr:
                _add(out, entry.protocol, entry.ports)
        for entry in _entries(network, d[2], egress=False):
            if s[0] is None or s[0] in entry.cidr:
                _add(out, entry.protocol, entry.ports)
        if source in attached or destination in attached:
            for entry in through_tgw:
                _add(out, entry.protocol, entry.ports)
        memo[key] = out
        return out

    return cuts


def _rules(network: Network, groups: Iterable[str], *, egress: bool) -> list[SecurityGroupRule]:
    out: list[SecurityGroupRule] = []
    for gid in groups:
        sg = network.security_groups.get(gid)
        if sg is not None:
            out += sg.egress if egress else sg.ingress
    return out


def _entries(network: Network, subnet: str, *, egress: bool) -> list[NaclEntry]:
    acl = network.nacl_of_subnet.get(subnet)
    return [e for e in acl.entries if e.egress == egress] if acl is not None else []


def _rule_may_match(
    rule: SecurityGroupRule, ip: IPv4Address | None, groups: frozenset[str]
) -> bool:
    """False only when the rule's peer surely does not hold the other end."""
    if rule.cidr is not None:
        return ip is None or ip in rule.cidr
    if rule.group is not None:
        return rule.group in groups or rule.group.rsplit("/", 1)[-1] in groups
    return True  # a prefix list, or a peer not known: keep its cuts


def _add(out: dict[str, set[int]], protocol: str, ports: object) -> None:
    if ports is None:
        return
    low, high = ports.low, ports.high  # type: ignore[attr-defined]
    for proto in _PROTOS if protocol == "all" else (protocol,):
        if proto in out:
            out[proto].update((low, high + 1))
