"""Network Load Balancers: listener, target group, and the leg from each node to each target.

* A listener carries the flow when its port matches and its protocol carries the flow's
  (TCP and TLS carry tcp, UDP carries udp, TCP_UDP both); NLBs never carry ICMP.
  https://docs.aws.amazon.com/elasticloadbalancing/latest/network/load-balancer-listeners.html
* A node sends only to targets in its own AZ unless cross-zone load balancing is on.
  https://docs.aws.amazon.com/elasticloadbalancing/latest/network/target-group-cross-zone.html
* IP targets outside the NLB's VPC must be RFC 1918 or 100.64.0.0/10 addresses registered
  with availability zone "all"; they are reached over the node subnet's routes.
  https://docs.aws.amazon.com/elasticloadbalancing/latest/APIReference/API_TargetDescription.html
* Client IP preservation: on by default for instance targets and UDP, off for TCP/TLS IP
  targets, never for PrivateLink traffic; without it the target sees the node's address.
  https://docs.aws.amazon.com/elasticloadbalancing/latest/network/edit-target-group-attributes.html#client-ip-preservation
* With the client's address preserved, a target that is itself the client gets a packet
  from its own address: the connection times out (no loopback/hairpinning), so that
  target's branch is blocked. https://docs.aws.amazon.com/elasticloadbalancing/latest/network/load-balancer-troubleshooting.html#loopback-timeout
* Health checks come from the node's address: with the client's address preserved, a
  target whose groups admit only clients fails them and gets nothing — unless every
  target fails, when the NLB fails open and sends to all.
  https://docs.aws.amazon.com/elasticloadbalancing/latest/network/target-group-health-checks.html
* An NLB's own security groups filter client traffic inbound (PrivateLink traffic only if
  enforced, and then by the client's address) and node-to-target traffic outbound.
  https://docs.aws.amazon.com/elasticloadbalancing/latest/network/load-balancer-security-groups.html
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from ipaddress import IPv4Address

from vpcwire.network import Listener, LoadBalancer, Target, TargetGroup
from vpcwire.verify.addresses import Where, is_private_target
from vpcwire.verify.flow import protocol_words
from vpcwire.verify.index import NetworkIndex
from vpcwire.verify.legs import Path, leg
from vpcwire.verify.nodes import Node
from vpcwire.verify.reasons import Reason
from vpcwire.verify.routing import locate
from vpcwire.verify.security import Packet, sg_check
from vpcwire.verify.trace import Block, Hop, Step

__all__ = ["Balancer", "balancer"]

_CARRIES = {
    "tcp": {"TCP", "TLS", "TCP_UDP", "HTTP", "HTTPS"},
    "udp": {"UDP", "TCP_UDP"},
}


@dataclass(slots=True)
class Balancer:
    """One flow's view of one load balancer: which listener, and the paths beyond it."""

    ix: NetworkIndex
    lb: LoadBalancer
    client: Node
    packet: Packet
    privatelink: bool
    steps: tuple[Step, ...]  # listener and target group checks, shared by every node
    blocks: tuple[Block, ...]
    group: TargetGroup | None  # None: nothing to forward to (the blocks say why)

    def through(self, node: Node, note: Step | None = None) -> tuple[Path, ...]:
        """The paths from ``node`` to each target it serves, each starting with the NLB hop."""
        # The client matters only when its address reaches a check: the NLB's groups on
        # PrivateLink traffic, or a target that sees the client's own address.
        client = None
        if (self.privatelink and self.lb.security_groups) or (
            self.group is not None and self._preserves_client_ip()
        ):
            client = (self.client.id, self.client.groups)
        key = ("through", self.lb.id, node.id, self.packet, self.privatelink, note, client)
        return self.ix.memo(key, lambda: tuple(self._through(node, note)))

    def _through(self, node: Node, note: Step | None) -> list[Path]:
        steps = [*((note,) if note else ()), *self.steps]
        blocks = list(self.blocks)
        if self.privatelink and self.lb.security_groups:
            steps.append(self._privatelink_sg(node, blocks))
        if self.group is None:
            return [Path.hop(self._hop(node, steps), blocks, node.label)]
        targets = self._targets_of(node)
        if not targets:
            detail, fix = self._no_targets(node)
            steps.append(Step("targets", detail, False, Reason.NO_TARGETS, fix, self.group.id))
            blocks.append(Block(self.group.id, Reason.NO_TARGETS, detail, fix))
            return [Path.hop(self._hop(node, steps), blocks, node.label)]
        where = "every AZ" if self.lb.cross_zone else f"{node.az}"
        steps.append(
            Step("targets", f"{len(targets)} target(s) serve {where}", True, resource=self.group.id)
        )
        head = Path.hop(self._hop(node, steps), blocks, node.label)
        return [head.then(self._target_path(node, t)) for t in targets]

    def _hop(self, node: Node, steps: list[Step]) -> Hop:
        return Hop(
            self.lb.id,
            self.lb.name,
            "network load balancer",
            tuple(steps),
            detail=f"node {node.label} in {node.az}",
        )

    def _privatelink_sg(self, node: Node, blocks: list[Block]) -> Step:
        action = "load balancer security group (PrivateLink)"
        if not self.lb.enforce_sg_on_privatelink:
            return Step(action, "inbound rules are not enforced on PrivateLink traffic", True)
        # With enforcement on, the rules see the client's own address, and group
        # references never match PrivateLink traffic.
        step, block = sg_check(
            self.ix, node, "ingress", self.client, self.packet, privatelink=True, action=action
        )
        if block is not None:
            blocks.append(block)
        return step

    # -- targets ------------------------------------------------------------------------

    def _targets_of(self, node: Node) -> list[Target]:
        assert self.group is not None
        if self.lb.cross_zone:
            return list(self.group.targets)
        return [t for t in self.group.targets if self._serves(node, t)]

    def _serves(self, node: Node, target: Target) -> bool:
        if target.availability_zone == "all":
            return True
        if target.availability_zone:
            return target.availability_zone in (node.az, node.az_id)
        eni = self.ix.target_interface(target.id, self.lb.vpc)
        if eni is None:
            return True  # unknown AZ: keep it, its own checks will say what is missing
        return self.ix.node_of(eni).same_az(node)

    def _no_targets(self, node: Node) -> tuple[str, str]:
        assert self.group is not None
        label = self.ix.label(self.group.id)
        if not self.group.targets:
            return f"{label} has no registered targets", f"register targets in {label}"
        return (
            f"no target of {label} is in {node.az} and cross-zone load balancing is off, so "
            f"the node in {node.az} has nowhere to send",
            f"register a target in {node.az} or turn on cross-zone load balancing for "
            f"{self.ix.label(self.lb.id)}",
        )

    def _target_path(self, node: Node, target: Target) -> Path:
        assert self.group is not None
        group = self.group
        port = target.port or group.port
        steps: list[Step] = []
        blocks: list[Block] = []
        dst = self._resolve(node, target, steps, blocks)
        preserve = self._preserves_client_ip()
        fail_open = preserve and self._fails_open()
        if fail_open:
            steps.append(
                Step(
                    "health checks",
                    "every target fails them (no target's groups admit the NLB's nodes), so "
                    "the NLB fails open and sends to every target",
                    True,
                )
            )
        steps.append(
            Step(
                "client IP",
                "preserved: the target sees the client's address"
                if preserve
                else "not preserved: the target sees the NLB node's address",
                True,
            )
        )
        hop = Hop(
            group.id,
            group.name,
            "target group",
            tuple(steps),
            detail=f"target {target.id} port {port}",
        )
        if dst is not None and preserve and dst.id == self.client.id:
            detail = (
                f"{target.id} is the client itself: with its address preserved, the packet "
                "arrives from the target's own address and the connection times out"
            )
            fix = (
                f"turn off client IP preservation on {self.ix.label(group.id)} "
                "(preserve_client_ip.enabled = false) or register the target by IP address"
            )
            steps.append(Step("loopback", detail, False, Reason.NLB_LOOPBACK, fix, group.id))
            blocks.append(Block(group.id, Reason.NLB_LOOPBACK, detail, fix))
            return Path.hop(replace(hop, steps=tuple(steps)), blocks, f"target {target.id}:{port}")
        head = Path.hop(hop, blocks, f"target {target.id}:{port}")
        if dst is None:
            return head
        packet = Packet(self.packet.protocol, port)
        if preserve:
            seen = replace(self.client, groups=self.client.groups + self.lb.security_groups)
            checker = None if fail_open else node
            rest = leg(self.ix, node, dst, packet, seen_src=seen, health_checks_from=checker)
        else:
            rest = leg(self.ix, node, dst, packet)
        return head.then(rest)

    def _fails_open(self) -> bool:
        """Does every target fail the health checks of every node that sends to it?

        Health checks come from the node's own address, so a target whose groups admit
        only clients fails them; when all do, the NLB fails open and sends to all targets.
        https://docs.aws.amazon.com/elasticloadbalancing/latest/network/target-group-health-checks.html
        """
        group = self.group
        assert group is not None

        def decide() -> bool:
            checked = False
            for node in self.ix.lb_nodes(self.lb):
                for target in self._targets_of(node):
                    dst = self._resolve(node, target, [], [])
                    if dst is None:
                        continue
                    port = Packet(self.packet.protocol, target.port or group.port)
                    if sg_check(self.ix, dst, "ingress", node, port)[1] is None:
                        return False
                    checked = True
            return checked

        return self.ix.memo(("fails open", self.lb.id, group.id, self.packet.protocol), decide)

    def _preserves_client_ip(self) -> bool:
        if self.privatelink:
            return False
        group = self.group
        assert group is not None
        if group.preserve_client_ip is not None:
            return group.preserve_client_ip
        return group.target_type == "instance" or group.protocol in ("UDP", "TCP_UDP")

    def _resolve(
        self, node: Node, target: Target, steps: list[Step], blocks: list[Block]
    ) -> Node | None:
        """The target's node, after the registration checks for IP targets."""
        ix, lb = self.ix, self.lb
        try:
            address = IPv4Address(target.id)
        except ValueError:
            eni = ix.target_interface(target.id, lb.vpc)
            if eni is None:
                detail = f"target {target.id} is not in the network"
                fix = f"read the account that owns {target.id}, or register a target that exists"
                steps.append(Step("target", detail, False, Reason.NOT_IN_NETWORK, fix, target.id))
                blocks.append(Block(target.id, Reason.NOT_IN_NETWORK, detail, fix, unknown=True))
                return None
            steps.append(Step("target", f"registered {target.id}", True, resource=target.id))
            return ix.node_of(eni)
        where = Where.ip(address)
        lb_vpc = ix.vpcs.get(lb.vpc)
        outside = lb_vpc is None or lb_vpc.block_of(where) is None
        if outside:
            self._outside_checks(target, address, steps, blocks)
        vpc = locate(ix, node, where)
        eni = ix.network.interface_by_ip.get((vpc, address)) if vpc else None
        if eni is None:
            eni = ix.target_interface(target.id, lb.vpc)
        if eni is None:
            known = vpc is not None and vpc in ix.vpcs
            detail = (
                f"no network interface holds {address} in {vpc}"
                if known
                else f"no network interface that the network knows holds {address}"
            )
            fix = (
                f"register the address of a running target in {ix.label(self.group.id)}"
                if self.group
                else "register a target that exists"
            )
            steps.append(Step("target", detail, False, Reason.NOT_IN_NETWORK, fix, target.id))
            blocks.append(Block(target.id, Reason.NOT_IN_NETWORK, detail, fix, unknown=not known))
            return None
        steps.append(Step("target", f"{address} is {ix.node_of(eni).label}", True, resource=eni.id))
        return ix.node_of(eni)

    def _outside_checks(
        self, target: Target, address: IPv4Address, steps: list[Step], blocks: list[Block]
    ) -> None:
        assert self.group is not None
        group = self.ix.label(self.group.id)
        lb = self.lb
        if target.availability_zone != "all":
            detail = (
                f"{address} is outside {lb.vpc}, so it must be registered with availability "
                f"zone 'all' (it is {target.availability_zone or 'unset'})"
            )
            fix = f're-register {address} in {group} with availability_zone = "all"'
            steps.append(
                Step("target AZ", detail, False, Reason.TARGET_AZ_NOT_ALL, fix, self.group.id)
            )
            blocks.append(Block(self.group.id, Reason.TARGET_AZ_NOT_ALL, detail, fix))
        else:
            steps.append(
                Step(
                    "target AZ",
                    f"{address} is outside {lb.vpc}, registered with availability zone 'all'",
                    True,
                )
            )
        if not is_private_target(int(address)):
            detail = (
                f"{address} is outside {lb.vpc} and not an RFC 1918 or 100.64.0.0/10 "
                "address, which an NLB cannot target"
            )
            fix = f"register a private address instead of {address} in {group}"
            steps.append(
                Step(
                    "target address",
                    detail,
                    False,
                    Reason.TARGET_IP_NOT_ALLOWED,
                    fix,
                    self.group.id,
                )
            )
            blocks.append(Block(self.group.id, Reason.TARGET_IP_NOT_ALLOWED, detail, fix))


def balancer(
    ix: NetworkIndex, lb: LoadBalancer, client: Node, packet: Packet, *, privatelink: bool
) -> Balancer:
    """Check the listener and target group once; ``Balancer.through`` does each node."""
    steps, blocks, group = ix.memo(
        ("listener", lb.id, packet), lambda: _listener_and_group(ix, lb, packet)
    )
    return Balancer(ix, lb, client, packet, privatelink, steps, blocks, group)


def _listener_and_group(
    ix: NetworkIndex, lb: LoadBalancer, packet: Packet
) -> tuple[tuple[Step, ...], tuple[Block, ...], TargetGroup | None]:
    steps: list[Step] = []
    blocks: list[Block] = []
    group = _find_group(ix, lb, packet, steps, blocks)
    return tuple(steps), tuple(blocks), group


def _find_group(
    ix: NetworkIndex, lb: LoadBalancer, packet: Packet, steps: list[Step], blocks: list[Block]
) -> TargetGroup | None:
    label = ix.label(lb.id)
    if packet.protocol not in _CARRIES:
        detail = f"{label} carries TCP and UDP only, never {protocol_words(packet.protocol)}"
        fix = f"test with tcp or udp to a listener port of {label}"
        steps.append(Step("listener", detail, False, Reason.PROTOCOL_NOT_SUPPORTED, fix, lb.id))
        blocks.append(Block(lb.id, Reason.PROTOCOL_NOT_SUPPORTED, detail, fix))
        return None
    listeners = ix.network.listeners_of_lb.get(lb.id, [])
    listener = _listener(listeners, packet)
    if listener is None:
        have = ", ".join(sorted(f"{ls.protocol}/{ls.port}" for ls in listeners)) or "none"
        detail = f"{label} has no listener for {packet.service} (its listeners: {have})"
        fix = (
            f"add a {packet.protocol.upper()} listener on port {packet.port} to {label}, "
            "forwarding to a target group"
        )
        steps.append(Step("listener", detail, False, Reason.NO_LISTENER, fix, lb.id))
        blocks.append(Block(lb.id, Reason.NO_LISTENER, detail, fix))
        return None
    text = f"{listener.protocol}/{listener.port}"
    group = ix.network.target_groups.get(listener.target_group or "")
    if group is None:
        what = listener.target_group or "no target group"
        detail = (
            f"listener {ix.label(listener.id)} ({text}) forwards to {what}, which is not in "
            "the network"
        )
        fix = f"make listener {ix.label(listener.id)} forward to a target group"
        unknown = listener.target_group is not None
        reason = Reason.NOT_IN_NETWORK if unknown else Reason.NO_TARGETS
        steps.append(Step("listener", detail, False, reason, fix, listener.id))
        blocks.append(Block(listener.id, reason, detail, fix, unknown=unknown))
        return None
    steps.append(
        Step(
            "listener",
            f"{ix.label(listener.id)} ({text}) forwards to "
            f"{ix.label(group.id)} ({group.target_type} targets)",
            True,
            resource=listener.id,
            matched=text,
        )
    )
    return group


def _listener(listeners: list[Listener], packet: Packet) -> Listener | None:
    carriers = _CARRIES[packet.protocol]
    for listener in sorted(listeners, key=lambda ls: ls.id):
        if listener.port == packet.port and listener.protocol in carriers:
            return listener
    return None
