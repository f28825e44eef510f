"""Security groups and network ACLs: the two filters a packet meets at each ENI and subnet.

Security groups are stateful and allow-only: egress rules are checked at the sender's ENI,
ingress rules at the receiver's, and the reply to an allowed connection is allowed without
a rule. https://docs.aws.amazon.com/vpc/latest/userguide/vpc-security-groups.html

Network ACLs are stateless, per subnet: entries in increasing rule-number order, the first
that matches decides, and an implicit deny (rule ``*``, number 32767) ends the list even
when the entry list lacks it (moto omits it). The reply needs its own allow.
https://docs.aws.amazon.com/vpc/latest/userguide/nacl-rules.html
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from typing import Literal

from vpcwire.verify.addresses import MASKS, Where
from vpcwire.verify.index import AclRule, NetworkIndex, SgRule
from vpcwire.verify.nodes import Node
from vpcwire.verify.reasons import Reason
from vpcwire.verify.trace import Block, Step

__all__ = ["Check", "Packet", "nacl_check", "sg_check", "stateful_step", "suggest_cidr"]

SgDirection = Literal["ingress", "egress"]
Check = tuple[Step, Block | None]


@dataclass(frozen=True, slots=True)
class Packet:
    """What a filter looks at: protocol and destination port (ICMP: the type)."""

    protocol: str
    port: int
    reply_to: str | None = None  # the service this packet answers, e.g. "tcp/8080"

    @property
    def service(self) -> str:
        if self.protocol == "icmp":
            return f"icmp type {self.port}"
        return f"{self.protocol}/{self.port}"

    @property
    def described(self) -> str:
        """The service, saying what a reply is: its port stands for any ephemeral port."""
        if self.reply_to is None:
            return self.service
        if self.protocol == "icmp":
            return f"{self.service} (reply to {self.reply_to})"
        return f"{self.service} (reply to {self.reply_to}, an ephemeral port)"

    @property
    def rule_service(self) -> str:
        """What an allow rule has to cover: replies need the whole ephemeral range."""
        if self.reply_to is None:
            return self.service
        if self.protocol == "icmp":
            return f"icmp type {self.port} (the replies to {self.reply_to})"
        return f"{self.protocol}/1024-65535 (the replies to {self.reply_to})"


def suggest_cidr(ix: NetworkIndex, peer: Node) -> str:
    """The block a fix should allow: the peer's VPC CIDR block that holds its address.

    A VPC block rather than a /32 because it keeps working when instances are replaced and
    it covers every address AWS may give an NLB node or endpoint ENI in that VPC.
    """
    vpc = ix.vpcs.get(peer.vpc)
    block = vpc.block_of(peer.where) if vpc else None
    return str(block if block is not None else peer.where.cidr)


def _covers(ix: NetworkIndex, seen: Where) -> str:
    """Why a match on a whole block is enough: a subnet's unknown address, or a block outside."""
    if seen.subnet in ix.subnets:
        return f"; it covers all of {seen.subnet}, wherever AWS puts the address"
    return f"; it covers all of {seen.cidr}"


def stateful_step(node: Node) -> Step:
    """The reply passes the node's groups because they are stateful (no rule needed)."""
    return _stateful(node.filtered, node.groups[0] if node.groups else None)


@lru_cache(maxsize=1 << 14)
def _stateful(filtered: bool, group: str | None) -> Step:
    """One shared step per group: every reply through the group reads the same."""
    if not filtered:
        return Step("security group", "no security groups: nothing to pass", True)
    return Step(
        "security group",
        "stateful: the reply to an allowed connection is allowed",
        True,
        resource=group,
    )


def sg_check(
    ix: NetworkIndex,
    node: Node,
    direction: SgDirection,
    peer: Node,
    packet: Packet,
    *,
    privatelink: bool = False,
    action: str | None = None,
    where: Where | None = None,
) -> Check:
    """Does some rule of ``node``'s groups allow ``packet`` to/from ``peer``?

    ``where`` overrides the peer's address (what the packet carries); group references
    match by the peer's membership.
    """
    action = action or _SG_ACTION[direction]
    seen = where or peer.where
    prep = "from" if direction == "ingress" else "to"
    if not node.filtered:
        detail = f"{node.label} has no security groups, so nothing filters it"
        return Step(action, detail, True), None
    notes: list[str] = []
    protocol, port = packet.protocol, packet.port
    for gid in node.groups:
        sg = ix.sgs.get(gid)
        if sg is None:
            notes.append(f"{gid} is not in the network")
            continue
        for rule in sg.ingress if direction == "ingress" else sg.egress:
            kind = rule.protocol  # SgRule.matches, inlined
            if kind != "all" and (kind != protocol or port < rule.low or port > rule.high):
                continue
            if _rule_matches(ix, node, peer, seen, rule, privatelink, notes):
                covers = not seen.exact and rule.group is None
                text = (_sg_allows, ix, gid, packet, prep, seen, rule.text, covers)
                return Step(action, text, True, resource=gid, matched=rule.text), None
    if not node.groups:
        detail = f"{node.label} has no security group, so nothing is allowed"
        fix = (
            f"attach a security group to {node.label} that allows {packet.service} {prep} "
            f"{suggest_cidr(ix, peer)}"
        )
        resource = node.id
    else:
        labels = ", ".join(ix.label(g) for g in node.groups)
        detail = f"no rule of {labels} allows {packet.service} {prep} {seen}"
        fix = (
            f"allow {packet.service} {prep} {suggest_cidr(ix, peer)} in "
            f"{ix.label(node.groups[0])} {direction}"
        )
        resource = node.groups[0]
    if notes:
        detail += "; " + "; ".join(notes)
    reason = Reason.SG_INGRESS_DENIED if direction == "ingress" else Reason.SG_EGRESS_DENIED
    step = Step(action, detail, False, reason, fix, resource=resource)
    return step, Block(resource, reason, detail, fix)


def _rule_matches(
    ix: NetworkIndex,
    node: Node,
    peer: Node,
    seen: Where,
    rule: SgRule,
    privatelink: bool,
    notes: list[str],
) -> bool:
    """One rule against the peer; explains in ``notes`` why a near miss did not match."""
    if rule.group is not None:
        return _group_matches(ix, node, peer, rule, privatelink, notes)
    for block in rule.cidrs:
        if block.contains(seen):
            return True
        if not seen.exact and block.overlaps(seen):
            notes.append(
                f"rule {rule.text} covers only part of {seen}, where AWS may place the address"
            )
    if rule.missing_prefix_list:
        notes.append(
            f"rule {rule.text}: prefix list {rule.missing_prefix_list} is not in the network"
        )
    return False


def _group_matches(
    ix: NetworkIndex, node: Node, peer: Node, rule: SgRule, privatelink: bool, notes: list[str]
) -> bool:
    """A referenced group matches members' traffic only within a VPC or across an active
    same-region peering; never across regions, never through PrivateLink.
    https://docs.aws.amazon.com/vpc/latest/peering/vpc-peering-security-groups.html
    """
    group = rule.group
    if group not in peer.groups:
        return False
    if privatelink:
        notes.append(
            f"rule {rule.text} cannot match: PrivateLink traffic never matches a group reference"
        )
        return False
    if peer.vpc == node.vpc:
        return True
    pcx = ix.peering_between(node.vpc, peer.vpc)
    if pcx is None:
        notes.append(
            f"rule {rule.text} cannot match: {peer.vpc} is not peered with {node.vpc} "
            f"({Reason.SG_REFERENCE_CROSS_REGION})"
        )
        return False
    if pcx.inter_region:
        notes.append(
            f"rule {rule.text} cannot match: security group references do not work "
            f"across the inter-region peering {ix.label(pcx.id)} "
            f"({Reason.SG_REFERENCE_CROSS_REGION})"
        )
        return False
    if pcx.status != "active":
        notes.append(
            f"rule {rule.text} cannot match: a peer's group is referenceable only while "
            f"{ix.label(pcx.id)} is active ({Reason.SG_REFERENCE_CROSS_REGION})"
        )
        return False
    return True


_ACL_ACTION = {"ingress": "network ACL ingress", "egress": "network ACL egress"}
_SG_ACTION = {"ingress": "security group ingress", "egress": "security group egress"}


def nacl_check(
    ix: NetworkIndex,
    subnet_id: str,
    direction: SgDirection,
    remote: Node,
    packet: Packet,
    *,
    where: Where | None = None,
) -> Check:
    """First matching entry of the subnet's ACL in ``direction``, else the implicit deny.

    With an address not known yet (a whole subnet), an allow counts only if it covers the
    whole subnet, and a deny that covers part of it blocks: the result then holds for any
    address AWS may choose.
    """
    action = _ACL_ACTION[direction]  # shared strings: a trace holds many steps
    seen = where or remote.where
    info = ix.subnets.get(subnet_id)
    if info is None or info.acl_id is None:
        return Step(
            action,
            f"no network ACL recorded for {subnet_id}: the default ACL allows all traffic",
            True,
        ), None
    prep = "from" if direction == "ingress" else "to"
    acl = info.acl_id
    notes: list[str] = []
    entries = info.acl_in if direction == "ingress" else info.acl_out
    protocol, port, net, plen = packet.protocol, packet.port, seen.net, seen.plen
    for entry in entries:
        # AclRule.matches and Cidr.contains, inlined: this loop runs for every leg
        kind = entry.protocol
        if kind != "all" and (kind != protocol or port < entry.low or port > entry.high):
            continue
        block = entry.cidr
        if block.plen <= plen and (net & MASKS[block.plen]) == block.net:
            if entry.allow:
                text = (_acl_verdict, ix, acl, entry.text, "allows", packet, prep, seen)
                return Step(action, text, True, resource=acl, matched=entry.text), None
            detail = _acl_verdict(ix, acl, entry.text, "denies", packet, prep, seen)
            return _acl_denied(ix, info.acl_id, direction, remote, packet, detail, entry, entries)
        if not seen.exact and entry.cidr.overlaps(seen):
            if not entry.allow:
                detail = (
                    f"{ix.label(acl)} {entry.text} denies {packet.described} {prep} part of {seen}, "
                    "where AWS may place the address"
                )
                return _acl_denied(
                    ix, info.acl_id, direction, remote, packet, detail, entry, entries
                )
            notes.append(f"{entry.text} allows only part of {seen}")
    label = ix.label(acl)
    detail = (
        f"{label}: no rule allows {packet.described} {prep} {seen}, so the implicit deny "
        "(rule *) drops it"
    )
    if notes:
        detail += "; " + "; ".join(notes)
    return _acl_denied(ix, info.acl_id, direction, remote, packet, detail, None, entries)


def _sg_allows(
    ix: NetworkIndex, gid: str, packet: Packet, prep: str, seen: Where, rule: str, covers: bool
) -> str:
    detail = f"{ix.label(gid)} allows {packet.service} {prep} {seen} (rule {rule})"
    return detail + _covers(ix, seen) if covers else detail


def _acl_verdict(
    ix: NetworkIndex, acl: str, entry: str, verb: str, packet: Packet, prep: str, seen: Where
) -> str:
    detail = f"{ix.label(acl)} {entry} {verb} {packet.described} {prep} {seen}"
    return detail if seen.exact else detail + _covers(ix, seen)


def _acl_denied(
    ix: NetworkIndex,
    acl_id: str,
    direction: SgDirection,
    remote: Node,
    packet: Packet,
    detail: str,
    entry: AclRule | None,
    entries: tuple[AclRule, ...],
) -> Check:
    bound = "inbound" if direction == "ingress" else "outbound"
    prep = "from" if direction == "ingress" else "to"
    where = f"numbered below {entry.number}" if entry else f"as rule {_free_number(entries)}"
    fix = (
        f"add an {bound} rule allowing {packet.rule_service} {prep} {suggest_cidr(ix, remote)} "
        f"to {ix.label(acl_id)}, {where}"
    )
    reason = Reason.NACL_INGRESS_DENIED if direction == "ingress" else Reason.NACL_EGRESS_DENIED
    matched = entry.text if entry else "rule *"
    step = Step(
        f"network ACL {direction}", detail, False, reason, fix, resource=acl_id, matched=matched
    )
    return step, Block(acl_id, reason, detail, fix)


def _free_number(entries: tuple[AclRule, ...]) -> int:
    numbers = [e.number for e in entries if e.number < 32767]
    if not numbers:
        return 100
    return min(32766, (max(numbers) // 10 + 1) * 10)
