"""The reachability engine: (Network, Flow) → Trace, as a pure function.

:class:`Engine` builds its indexes once per Network and then traces any number of flows;
:func:`trace` is the one-shot convenience. A flow is decomposed into the paths it can take
(one per endpoint ENI × NLB node × target) and each path into legs between ENIs
(:mod:`vpcwire.verify.legs`) and the hops of PrivateLink and load balancers in between. A
flow is REACHABLE only if every path is, forward and back.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import replace
from functools import lru_cache
from ipaddress import IPv4Address

from vpcwire.errors import UsageError
from vpcwire.network import LoadBalancer, Network, NetworkInterface, VpcEndpoint
from vpcwire.verify.addresses import Cidr, Where, is_private_target
from vpcwire.verify.collector import (
    FREEZE_ABOVE,
    REFREEZE_EVERY,
    collector_paused,
    freeze_long_lived,
)
from vpcwire.verify.flow import Flow
from vpcwire.verify.gateways import leaves_through, outbound
from vpcwire.verify.index import MEMO_LIMIT, NetworkIndex
from vpcwire.verify.legs import Path, instance_step, leg
from vpcwire.verify.loadbalancing import balancer
from vpcwire.verify.nodes import Node
from vpcwire.verify.outside import Outside, never_routed
from vpcwire.verify.privatelink import map_nodes, service_side
from vpcwire.verify.public import inbound, public_source
from vpcwire.verify.reasons import Reason
from vpcwire.verify.resolve import (
    Destination,
    resolve_destination,
    resolve_source,
    service_prefix_list,
)
from vpcwire.verify.routing import locate, route
from vpcwire.verify.security import Packet, nacl_check, sg_check
from vpcwire.verify.trace import Block, Branch, Disposition, Hop, Step, Trace

__all__ = ["Engine", "trace"]


class Engine:
    """Traces flows over one Network; build once, trace many times."""

    def __init__(self, network: Network) -> None:
        self.network = network
        self._holders: dict[IPv4Address, list[NetworkInterface]] | None = None
        self._public: dict[IPv4Address, NetworkInterface] | None = None
        # names resolved so far: a pure function of the network and the name, and an
        # exhaustive proof traces dozens of flows per name (a tenth of its time, measured)
        self._sources: dict[str, NetworkInterface] = {}
        self._destinations: dict[str, Destination] = {}
        # long-lived, cycle-free data: built without the collector, then frozen out of its
        # reach (vpcwire/verify/collector.py says why and what it measured)
        self._freezes = len(network) > FREEZE_ABOVE
        self._frozen_memo = 0
        with collector_paused():
            self.index = NetworkIndex(network)
            if self._freezes:  # before the collector resumes, or it walks the new index once
                freeze_long_lived()

    def trace_many(self, flows: Iterable[Flow]) -> list[Trace]:
        """Trace many flows, with Python's cyclic garbage collector paused meanwhile.

        Tracing creates no reference cycles, so reference counting frees every temporary;
        the collector would only walk the whole network again and again (a third of the
        time on 1,000 VPCs, with pauses of 100 ms and more). Its state is restored after.
        """
        with collector_paused():
            traces = [self.trace(flow) for flow in flows]
            if self._freezes:
                # else the first young collection after the pause walks every new trace
                # (1 s at 10,000 VPCs / 50,000 flows, measured)
                freeze_long_lived()
            return traces

    def trace(self, flow: Flow) -> Trace:
        result = self._trace(flow)
        # What the memo keeps lives as long as the engine, like the index: once enough of
        # it has accumulated, take it out of the collector's reach too (collector.py).
        if self._freezes and self.index.memo_size - self._frozen_memo >= REFREEZE_EVERY:
            freeze_long_lived()
            self._frozen_memo = self.index.memo_size
        return result

    def _trace(self, flow: Flow) -> Trace:
        ix = self.index
        eni = self._sources.get(flow.source)
        if eni is None:
            eni = self._sources[flow.source] = resolve_source(self.network, flow.source)
        client = ix.node_of(eni)
        dest = self._destinations.get(flow.destination)
        if dest is None:
            dest = resolve_destination(self.network, flow.destination)
            self._destinations[flow.destination] = dest
        packet = _packet(flow.protocol, flow.port)
        notes: list[str] = []
        dst: Node | None = None
        if dest.kind == "interface":
            dst = ix.node(dest.id)
            assert dst is not None
            paths = [_loopback(client) if dst.id == client.id else leg(ix, client, dst, packet)]
        elif dest.kind == "endpoint":
            paths = self._to_endpoint(client, self.network.endpoints[dest.id], dest.only, packet)
        elif dest.kind == "load_balancer":
            lb = self.network.load_balancers[dest.id]
            paths = self._to_balancer(client, lb, dest.only, packet)
        elif dest.kind in ("internet", "service"):
            outside = self._outside(client, dest.id, notes)
            paths = [self._to_outside(client, o, packet) for o in outside]
        else:
            paths, dst = self._to_address(client, IPv4Address(dest.id), packet, notes)
        result = _assemble(flow, paths, notes, ix)
        if dst is not None and not result.reachable:
            extra = self._one_way(client, dst)
            if extra:
                extra = [replace(b, label=ix.label(b.resource)) for b in extra]
                result = replace(
                    result, blocks=(*extra, *result.blocks), disposition=Disposition.UNREACHABLE
                )
        return result

    # -- destinations -----------------------------------------------------------------------

    def _to_endpoint(
        self, client: Node, ep: VpcEndpoint, only: str | None, packet: Packet
    ) -> list[Path]:
        ix = self.index
        side = service_side(ix, ep, packet)
        middle = Path(side.hops, (), side.blocks)
        ep_nodes = [n for n in ix.endpoint_nodes(ep) if only is None or n.id == only]
        if not ep_nodes:
            detail = f"{ix.label(ep.id)} has no network interfaces (no subnets)"
            fix = f"place {ix.label(ep.id)} in at least one subnet"
            return [middle.then(Path((), (), (Block(ep.id, Reason.NO_TARGETS, detail, fix),)))]
        # ICMP (any protocol but TCP and UDP) stops at the endpoint (PROTOCOL_NOT_SUPPORTED):
        # no NLB hops to tell about.
        balancers = (
            []
            if packet.protocol not in ("tcp", "udp")
            else [balancer(ix, lb, client, packet, privatelink=True) for lb in side.balancers]
        )
        vpc = self.network.vpcs.get(ep.vpc)
        cross_region = (
            side.service is not None and vpc is not None and (vpc.region != side.service.region)
        )
        paths: list[Path] = []
        for ep_node in ep_nodes:
            head = leg(ix, client, ep_node, packet).labelled(ep_node.label).then(middle)
            if not balancers:
                paths.append(head)
            for bal in balancers:
                nodes, az_step, az_block = map_nodes(ix, ep_node, bal.lb, cross_region)
                if az_block is not None:
                    hop = Hop(bal.lb.id, bal.lb.name, "network load balancer", (az_step,))
                    paths.append(head.then(Path.hop(hop, (az_block,))))
                for node in nodes:
                    paths.extend(head.then(p) for p in bal.through(node, note=az_step))
        return paths

    def _to_balancer(
        self, client: Node, lb: LoadBalancer, only: str | None, packet: Packet
    ) -> list[Path]:
        ix = self.index
        nodes = [n for n in ix.lb_nodes(lb) if only is None or n.id == only]
        if not nodes:
            detail = f"{ix.label(lb.id)} has no nodes (no subnets)"
            fix = f"enable subnets for {ix.label(lb.id)}"
            return [Path((), (), (Block(lb.id, Reason.NO_TARGETS, detail, fix),))]
        bal = balancer(ix, lb, client, packet, privatelink=False)
        paths: list[Path] = []
        for node in nodes:
            first = leg(ix, client, node, packet)
            paths.extend(first.then(p) for p in bal.through(node))
        return paths

    def _to_address(
        self, client: Node, address: IPv4Address, packet: Packet, notes: list[str]
    ) -> tuple[list[Path], Node | None]:
        """An address: trace to the ENI that holds it where the route leads, else to the edge."""
        ix, net = self.index, self.network
        where = Where.ip(address)
        vpc = locate(ix, client, where)
        eni = net.interface_by_ip.get((vpc, address)) if vpc else None
        if eni is None and vpc is None:
            # No working route: still trace to the ENI that holds the address (the one the
            # user means), so that the trace names what stops the flow on the way there.
            eni = self._holder(client, address)
        if eni is None:
            if vpc is None and not is_private_target(int(address)):
                outside = Outside(where, str(address), "address")
                public = self._public_holder(address)
                if public is not None:
                    node = ix.node_of(public)
                    notes.append(f"{address} is the public address of {node.label} in {node.vpc}")
                    return [self._to_public(client, outside, node, packet)], node
                never_routed(address)
                return [self._to_outside(client, outside, packet)], None
            return [self._to_edge(client, where, vpc, packet)], None
        node = ix.node_of(eni)
        notes.append(f"{address} is held by {node.label} in {node.vpc}")
        owner = eni.owner or ""
        if eni.kind == "vpc_endpoint" and owner in net.endpoints:
            return self._to_endpoint(client, net.endpoints[owner], eni.id, packet), None
        if eni.kind == "load_balancer" and owner in net.load_balancers:
            return self._to_balancer(client, net.load_balancers[owner], eni.id, packet), None
        return [leg(ix, client, node, packet)], node

    def _holder(self, client: Node, address: IPv4Address) -> NetworkInterface | None:
        """The one ENI whose private address is ``address``: anywhere in the network, else
        (overlapping VPCs) in the client's VPC or a VPC peered with it; several: a UsageError."""
        if self._holders is None:
            self._holders = {}
            for eni in self.network.interfaces.values():
                if eni.private_ip is not None:
                    self._holders.setdefault(eni.private_ip, []).append(eni)
        held = self._holders.get(address, [])
        if len(held) > 1:
            near = {client.vpc, *(other for _, other in self.index.vpcs_peered_with(client.vpc))}
            close = [e for e in held if e.vpc in near]
            if len(close) != 1:
                # Overlapping VPCs (10.0.0.0/16 everywhere): guessing would trace the wrong one.
                listed = ", ".join(f"{e.id} in {e.vpc}" for e in sorted(held, key=lambda e: e.id))
                raise UsageError(
                    f"destination {address} is held by {len(held)} network interfaces in VPCs "
                    f"that {client.label}'s routes do not reach: {listed}; name the instance "
                    "or interface instead"
                )
            held = close
        return held[0] if held else None

    def _public_holder(self, address: IPv4Address) -> NetworkInterface | None:
        """The ENI whose public IPv4 address or Elastic IP is ``address`` (NAT gateways take
        no connections from outside, so theirs do not count)."""
        if self._public is None:
            self._public = {
                eni.public_ip: eni
                for eni in self.network.interfaces.values()
                if eni.public_ip is not None and eni.kind != "nat_gateway"
            }
        return self._public.get(address)

    def _to_public(self, client: Node, dest: Outside, dst: Node, packet: Packet) -> Path:
        """Out through the client's gateway, across the internet, in through ``dst``'s."""
        ix = self.index
        gate = leaves_through(ix, client, dest.where)
        if gate is None:
            return self._to_edge(client, dest.where, None, packet)
        out = outbound(ix, client, dest, packet, *gate)
        source = public_source(ix, client, gate[1]) or Where(0, 0, "the public internet")
        forward, back, blocks = inbound(ix, dst, source, packet)
        # The outbound path ends (and its return starts) at the internet: splice dst in there.
        return Path(out.forward[:-1] + forward, back + out.back[1:], out.blocks + blocks)

    def _outside(self, client: Node, what: str, notes: list[str]) -> list[Outside]:
        """``internet`` (every address: the default route), or each block of a service."""
        if what == "internet":
            notes.append("internet means every address: the flow needs the default route")
            return [Outside(Where(0, 0, "the internet"), "the internet", "internet")]
        info = self.index.vpcs.get(client.vpc)
        region = info.region if info is not None else "?"
        pl = service_prefix_list(self.network, what, region)
        count = len(pl.cidrs)
        notes.append(
            f"{what} in {region} is the prefix list {self.index.label(pl.id)}: "
            f"{count} block{'s' if count != 1 else ''}, each traced"
        )
        out = []
        for cidr in pl.cidrs:
            block = Cidr.of(cidr)
            out.append(
                Outside(
                    Where(block.net, block.plen, pl.name), f"{pl.name} ({cidr})", "service", pl.id
                )
            )
        return out

    def _to_outside(self, client: Node, dest: Outside, packet: Packet) -> Path:
        """Out through the client's gateway route, or as far as routing takes it."""
        gate = leaves_through(self.index, client, dest.where)
        if gate is not None:
            return outbound(self.index, client, dest, packet, *gate).labelled(dest.label)
        return self._to_edge(client, dest.where, None, packet).labelled(dest.label)

    def _to_edge(self, client: Node, where: Where, vpc: str | None, packet: Packet) -> Path:
        """No ENI holds the address: check what can be checked up to its subnet's edge."""
        ix = self.index
        subnet = ix.subnet_holding(vpc, where) if vpc else None
        az = ix.network.subnets[subnet].az if subnet else "?"
        phantom = Node(
            str(where),
            str(where),
            "",
            "address",
            vpc or "",
            subnet or "",
            where,
            (),
            False,
            None,
            az,
            None,
        )
        blocks: list[Block] = []
        out: list[Step] = []
        for check in (
            instance_step(client),
            sg_check(ix, client, "egress", phantom, packet),
            nacl_check(ix, client.subnet, "egress", phantom, packet)
            if subnet != client.subnet
            else None,
        ):
            if check is not None:
                out.append(check[0])
                blocks.extend([check[1]] if check[1] else [])
        there = route(ix, client, where, None, reply=False)
        out.append(there.step)
        blocks.extend(there.blocks)
        hops = [Hop(client.resource, client.name, client.kind, tuple(out), detail=client.detail)]
        if there.peering is not None:
            hops.append(
                Hop(there.peering.id, there.peering.name, "peering connection", there.peering_steps)
            )
        if there.transit is not None:
            hops.extend(there.transit.hops)
        end: list[Step] = []
        if subnet and subnet != client.subnet:
            step, block = nacl_check(ix, subnet, "ingress", client, packet)
            end.append(step)
            blocks.extend([block] if block else [])
        if there.reached is not None:
            edge = f"the edge of {subnet}" if subnet else f"the edge of {there.reached}"
            unplaced = subnet is not None and subnet in ix.unplaced_subnets
            detail = f"no network interface holds {where} in {there.reached}: traced up to {edge}"
            if unplaced:
                detail += "; an interface whose address is not known yet may hold it"
            fix = f"check that something listens on {where}, or trace to an instance by name"
            end.append(Step("address", detail, False, Reason.NOT_IN_NETWORK, fix, str(where)))
            blocks.append(Block(str(where), Reason.NOT_IN_NETWORK, detail, fix, unknown=unplaced))
        hops.append(
            Hop(
                str(where),
                "",
                "address",
                tuple(end),
                detail=f"in {subnet}" if subnet else "held by no known interface",
            )
        )
        return Path(tuple(hops), (), tuple(blocks))

    # -- explanations -----------------------------------------------------------------------

    def _one_way(self, client: Node, dst: Node) -> list[Block]:
        """A provider-side ENI cannot reach a consumer back through the endpoint: say so.

        Only the consumer initiates over PrivateLink; no routes are exchanged.
        https://docs.aws.amazon.com/vpc/latest/privatelink/privatelink-share-your-services.html
        """
        ix = self.index
        out = []
        for service in ix.provider_of(client):
            for ep in ix.endpoints_of_service.get(service.service_name, ()):
                if ep.vpc != dst.vpc or dst.vpc == client.vpc:
                    continue
                detail = (
                    f"{dst.vpc} reaches {ix.label(service.id)} through {ix.label(ep.id)}, "
                    f"but PrivateLink is one-way: {client.label} on the provider side can "
                    "never start a connection through it"
                )
                fix = (
                    f"publish an endpoint service from {dst.vpc} that {client.vpc} consumes, "
                    f"or peer {client.vpc} with {dst.vpc}"
                )
                out.append(Block(ep.id, Reason.ENDPOINT_ONE_WAY, detail, fix))
        return out


def _assemble(flow: Flow, paths: list[Path], notes: list[str], ix: NetworkIndex) -> Trace:
    """Number the branches, merge their blocks, decide the disposition."""
    many = len(paths) > 1
    branches: list[Branch] = []
    merged: dict[tuple[str, str, str], tuple[Block, list[int]]] = {}
    for index, path in enumerate(paths, 1):
        own: dict[tuple[str, str, str], Block] = {}
        for b in path.blocks:
            key = b.key
            if key not in own:
                own[key] = _labelled(ix, b)
        for key, block in own.items():
            merged.setdefault(key, (block, []))[1].append(index)
        branches.append(
            Branch(
                index,
                path,
                _disposition(own.values()) if own else Disposition.REACHABLE,
                tuple(own.values()),
            )
        )
    blocks = tuple(
        Block(b.resource, b.reason, b.detail, b.fix, b.unknown, tuple(which), b.label)
        if many and len(which) < len(paths)
        else b
        for b, which in merged.values()
    )
    return Trace(flow, _disposition(blocks), blocks, tuple(branches), tuple(notes))


@lru_cache(maxsize=4096)
def _packet(protocol: str, port: int) -> Packet:
    """One Packet per service: memo keys holding the same object compare by identity."""
    return Packet(protocol, port)


def _labelled(ix: NetworkIndex, block: Block) -> Block:
    """The block with its resource's label; memoised, since a block found on a memoised
    stretch of path is met again by every flow that passes it."""
    found = ix.labelled.get(block)
    if found is None:
        found = Block(
            block.resource,
            block.reason,
            block.detail,
            block.fix,
            block.unknown,
            (),
            ix.label(block.resource),
        )
        if len(ix.labelled) >= MEMO_LIMIT:
            ix.labelled.clear()
        ix.labelled[block] = found
    return found


def _disposition(blocks: Iterable[Block]) -> Disposition:
    found = list(blocks)
    if not found:
        return Disposition.REACHABLE
    if all(block.unknown for block in found):
        return Disposition.UNKNOWN
    return Disposition.UNREACHABLE


def trace(network: Network, flow: Flow) -> Trace:
    """Trace one flow. For many flows over one network, build an :class:`Engine` once."""
    return Engine(network).trace(flow)


def _loopback(node: Node) -> Path:
    """A flow to the interface it starts from never leaves the host: the kernel delivers it
    over loopback, so no security group, network ACL or route is involved. Found by the
    packet data plane (an instance reaching its own private address)."""
    step = Step(
        "loopback",
        "source and destination are the same interface: the host delivers the packet "
        "itself, no security group, network ACL or route applies",
        True,
    )
    return Path.hop(Hop(node.resource, node.name, node.kind, (step,), detail=node.detail))
