"""Indexes the engine builds once per Network, so that each trace is a few dict look-ups.

Everything here is derived, read-only data: compiled security group rules and network ACL
entries (integers instead of ``ipaddress`` objects), longest-prefix-match tables per route
table, the :class:`Node` each ENI becomes, and who provides and consumes which endpoint
service. Nothing here decides reachability; the check modules do that.
"""

from __future__ import annotations

from collections.abc import Callable, Hashable, Iterable, Mapping
from dataclasses import dataclass
from ipaddress import IPv4Address, IPv4Network
from typing import Any, TypeVar, cast

from vpcwire.network import (
    EndpointService,
    LoadBalancer,
    NaclEntry,
    Network,
    NetworkAcl,
    NetworkInterface,
    PeeringConnection,
    PrefixList,
    Route,
    RouteTable,
    SecurityGroupRule,
    Subnet,
    VpcEndpoint,
)
from vpcwire.verify.addresses import MASKS, Cidr, Where
from vpcwire.verify.nodes import Node, NodeFactory
from vpcwire.verify.trace import Block

__all__ = [
    "MEMO_LIMIT",
    "AclRule",
    "NetworkIndex",
    "RouteLookup",
    "SgRule",
    "SubnetInfo",
    "VpcInfo",
]

T = TypeVar("T")

# Memoised stretches of paths kept per engine. Beyond this many the memo starts afresh, so a
# long-lived engine tracing millions of flows stays bounded in memory.
MEMO_LIMIT = 100_000
_MISSING = object()


@dataclass(frozen=True, slots=True)
class VpcInfo:
    id: str
    region: str
    account: str
    cidrs: tuple[Cidr, ...]

    def block_of(self, where: Where) -> Cidr | None:
        """The VPC CIDR block that holds ``where``, if any."""
        for block in self.cidrs:
            if block.contains(where):
                return block
        return None


@dataclass(frozen=True, slots=True)
class AclRule:
    number: int
    allow: bool
    protocol: str
    cidr: Cidr
    low: int  # ports (or ICMP types); 0..65535 when the entry has none
    high: int
    text: str = ""  # "rule N", made once here: every step that cites the rule shares it

    def __post_init__(self) -> None:
        if not self.text:
            object.__setattr__(self, "text", f"rule {self.number}")

    def matches(self, protocol: str, port: int) -> bool:
        return (self.protocol == "all" or self.protocol == protocol) and (
            self.protocol == "all" or self.low <= port <= self.high
        )


@dataclass(frozen=True, slots=True)
class SgRule:
    protocol: str
    low: int
    high: int
    cidrs: tuple[Cidr, ...]  # the rule's CIDR, or its prefix list's CIDRs
    group: str | None  # the referenced group's id, without any "account/" prefix
    missing_prefix_list: str | None  # a referenced prefix list that is not in the network
    text: str

    def matches(self, protocol: str, port: int) -> bool:
        return (self.protocol == "all" or self.protocol == protocol) and (
            self.protocol == "all" or self.low <= port <= self.high
        )


@dataclass(frozen=True, slots=True)
class CompiledSg:
    id: str
    vpc: str
    ingress: tuple[SgRule, ...]
    egress: tuple[SgRule, ...]


class RouteLookup:
    """Longest prefix match over one route table, by a dict per prefix length.

    Local routes are not in here: VPC-internal destinations are decided before this table
    is asked (``local`` cannot be overridden), so ``local`` only lists their blocks. At an
    equal prefix length a static route wins over a prefix-list route.
    https://docs.aws.amazon.com/vpc/latest/userguide/route-tables-priority.html
    """

    __slots__ = ("by_plen", "local", "plens", "table")

    def __init__(
        self, table: RouteTable, prefix_lists: Mapping[str, PrefixList], vpc_cidrs: tuple[Cidr, ...]
    ) -> None:
        self.table = table
        local = list(vpc_cidrs)
        by_plen: dict[int, dict[int, Route]] = {}
        for route in table.routes:
            for network in _route_networks(route, prefix_lists):
                block = Cidr.of(network)
                if route.kind == "local":
                    if block not in local:
                        local.append(block)
                    continue
                bucket = by_plen.setdefault(block.plen, {})
                held = bucket.get(block.net)
                if held is None or (held.destination is None and route.destination is not None):
                    bucket[block.net] = route
        self.local = tuple(local)
        self.by_plen = by_plen
        self.plens = tuple(sorted(by_plen, reverse=True))

    def is_local(self, where: Where) -> bool:
        return any(block.contains(where) for block in self.local)

    def best(self, where: Where) -> tuple[Route, Cidr] | None:
        """The most specific route whose destination holds all of ``where``."""
        for plen in self.plens:
            if plen > where.plen:
                continue
            net = where.net & MASKS[plen]
            route = self.by_plen[plen].get(net)
            if route is not None:
                return route, Cidr(net, plen)
        return None


def _route_networks(route: Route, prefix_lists: Mapping[str, PrefixList]) -> Iterable[IPv4Network]:
    if route.destination is not None:
        return (route.destination,)
    if route.prefix_list is not None and route.prefix_list in prefix_lists:
        return prefix_lists[route.prefix_list].cidrs
    return ()


@dataclass(frozen=True, slots=True)
class SubnetInfo:
    subnet: Subnet
    cidr: Cidr
    lookup: RouteLookup | None
    acl_id: str | None
    acl_in: tuple[AclRule, ...]
    acl_out: tuple[AclRule, ...]


class NetworkIndex:
    """Derived look-ups over one Network; built once, shared by every trace."""

    def __init__(self, network: Network) -> None:
        self.network = network
        self.vpcs = {
            v.id: VpcInfo(v.id, v.region, v.account, tuple(Cidr.of(c) for c in v.cidrs))
            for v in network.vpcs.values()
        }
        self.lookups = {
            rt.id: RouteLookup(rt, network.prefix_lists, self._cidrs(rt.vpc))
            for rt in network.route_tables.values()
        }
        self.tables_of_vpc: dict[str, list[RouteLookup]] = {}
        for lookup in self.lookups.values():
            self.tables_of_vpc.setdefault(lookup.table.vpc, []).append(lookup)
        # compiled rules are interned by value: thousands of VPCs hold the same few rules
        self._interned: dict[Hashable, Any] = {}
        self._acls: dict[str, tuple[tuple[AclRule, ...], tuple[AclRule, ...]]] = {}
        self.subnets = {sid: self._subnet_info(s) for sid, s in network.subnets.items()}
        self.subnets_of_vpc: dict[str, list[SubnetInfo]] = {}
        for info in self.subnets.values():
            self.subnets_of_vpc.setdefault(info.subnet.vpc, []).append(info)
        # Subnets where an interface may hold an address nobody knows yet (plans).
        self.unplaced_subnets = frozenset(
            [e.subnet for e in network.interfaces.values() if e.private_ip is None]
            + [s for lb in network.load_balancers.values() if not lb.interfaces for s in lb.subnets]
            + [s for ep in network.endpoints.values() if not ep.interfaces for s in ep.subnets]
        )
        self.sgs = {sg.id: self._compile_sg(sg.id) for sg in network.security_groups.values()}
        self.default_sg = {
            sg.vpc: sg.id for sg in network.security_groups.values() if sg.is_default
        }
        self._pairs: dict[tuple[str, str], PeeringConnection] = {}
        for pcx in sorted(network.peerings.values(), key=lambda p: (p.status != "active", p.id)):
            self._pairs.setdefault(_pair(pcx.requester_vpc, pcx.accepter_vpc), pcx)
        self.factory = NodeFactory(network, self.default_sg)
        self.nodes: dict[str, Node] = {}
        self.endpoints_of_service: dict[str, list[VpcEndpoint]] = {}
        for ep in network.endpoints.values():
            self.endpoints_of_service.setdefault(ep.service_name, []).append(ep)
        self._labels: dict[str, str] = {}
        self._memo: dict[Hashable, Any] = {}
        self.labelled: dict[Block, Block] = {}  # a found block → it with its label (engine)
        # Built now rather than on the first trace that needs them, so that no single trace
        # pays for the whole network (the Network caches these itself).
        network.find("")  # id and Name look-ups
        for warmed in (
            network.peerings_of_vpc,
            network.interface_by_ip,
            network.endpoint_service_by_name,
            network.listeners_of_lb,
        ):
            assert warmed is not None
        # provider side -> services: a VPC holding a service's NLB, or an ENI among its
        # targets, maps to the services it provides, so provider_of is two dict look-ups
        # whatever the number of services (it was a scan of all of them per flow).
        self._services_of_vpc: dict[str, list[str]] = {}
        self._services_of_eni: dict[str, list[str]] = {}
        self._service_order: dict[str, int] = {}
        for svc in network.endpoint_services.values():
            self._service_order.setdefault(svc.service_name, len(self._service_order))
            vpcs, enis = self._provider_side(svc)
            for vpc in vpcs:
                self._services_of_vpc.setdefault(vpc, []).append(svc.service_name)
            for eni in enis:
                self._services_of_eni.setdefault(eni, []).append(svc.service_name)

    # -- basic look-ups -----------------------------------------------------------------

    def _cidrs(self, vpc_id: str) -> tuple[Cidr, ...]:
        info = self.vpcs.get(vpc_id)
        return info.cidrs if info else ()

    def memo(self, key: Hashable, compute: Callable[[], T]) -> T:
        """``compute()``, remembered under ``key``.

        Every check is a pure function of the (immutable) network and its inputs, so the
        same stretch of path (the leg from an NLB node to a target, a service's checks) is
        worked out once and shared by every flow that passes it. Keys name every input.
        """
        found = self._memo.get(key, _MISSING)  # most keys miss: no KeyError raised for them
        if found is not _MISSING:
            return cast(T, found)
        if len(self._memo) >= MEMO_LIMIT:
            self._memo.clear()
        value = self._memo[key] = compute()
        return value

    @property
    def memo_size(self) -> int:
        """Stretches of paths memoised so far (the engine freezes them now and then)."""
        return len(self._memo)

    def label(self, resource_id: str) -> str:
        """``id (name)`` when the resource has a name that differs from its id."""
        text = self._labels.get(resource_id)
        if text is None:
            resource = self.network.get(resource_id)
            name = resource.name if resource is not None else ""
            text = f"{resource_id} ({name})" if name and name != resource_id else resource_id
            self._labels[resource_id] = text
        return text

    def node(self, eni_id: str) -> Node | None:
        node = self.nodes.get(eni_id)
        if node is None:
            eni = self.network.interfaces.get(eni_id)
            if eni is None:
                return None
            node = self.nodes[eni_id] = self.factory.of_eni(eni)
        return node

    def node_of(self, eni: NetworkInterface) -> Node:
        node = self.node(eni.id)
        assert node is not None
        return node

    def peering_between(self, a: str, b: str) -> PeeringConnection | None:
        """The peering between two VPCs, an active one first when there are several."""
        return self._pairs.get(_pair(a, b))

    def vpcs_peered_with(self, vpc: str) -> list[tuple[PeeringConnection, str]]:
        out = []
        for pcx in self.network.peerings_of_vpc.get(vpc, ()):
            other = pcx.other_side(vpc)
            if other is not None:
                out.append((pcx, other))
        return out

    def subnet_holding(self, vpc: str, where: Where) -> str | None:
        for info in self.subnets_of_vpc.get(vpc, ()):
            if info.cidr.contains(where):
                return info.subnet.id
        return None

    def lookup_of_subnet(self, subnet_id: str) -> RouteLookup | None:
        info = self.subnets.get(subnet_id)
        return info.lookup if info else None

    # -- load balancers and endpoints -----------------------------------------------------

    def lb_nodes(self, lb: LoadBalancer) -> tuple[Node, ...]:
        """The NLB's nodes: its ENIs when known, else one node per enabled subnet."""
        enis = [self.network.interfaces[i] for i in lb.interfaces if i in self.network.interfaces]
        if enis:
            return tuple(self.node_of(e) for e in enis)
        return tuple(self.factory.lb_node(lb, s) for s in lb.subnets if s in self.network.subnets)

    def endpoint_nodes(self, ep: VpcEndpoint) -> tuple[Node, ...]:
        enis = [self.network.interfaces[i] for i in ep.interfaces if i in self.network.interfaces]
        if enis:
            return tuple(self.node_of(e) for e in enis)
        return tuple(
            self.factory.endpoint_node(ep, s) for s in ep.subnets if s in self.network.subnets
        )

    def provider_of(self, node: Node) -> list[EndpointService]:
        """Endpoint services on whose provider side ``node`` sits (NLB VPC, or a target)."""
        names = self._services_of_vpc.get(node.vpc, []) + self._services_of_eni.get(node.id, [])
        if not names:
            return []
        by_name = self.network.endpoint_service_by_name
        services = [by_name[name] for name in set(names)]
        return sorted(services, key=lambda svc: self._service_order[svc.service_name])

    def _provider_side(self, svc: EndpointService) -> tuple[frozenset[str], frozenset[str]]:
        vpcs: set[str] = set()
        enis: set[str] = set()
        net = self.network
        for lb_id in svc.load_balancers:
            lb = net.load_balancers.get(lb_id)
            if lb is None:
                continue
            vpcs.add(lb.vpc)
            for listener in net.listeners_of_lb.get(lb_id, ()):
                tg = net.target_groups.get(listener.target_group or "")
                for target in tg.targets if tg else ():
                    eni = self.target_interface(target.id, lb.vpc)
                    if eni is not None:
                        enis.add(eni.id)
        return frozenset(vpcs), frozenset(enis)

    def target_interface(self, target_id: str, lb_vpc: str) -> NetworkInterface | None:
        """The ENI behind a registered target: an instance's, an ENI's, or the one holding an
        IP address in the NLB's VPC, a VPC peered with it or one attached to a transit
        gateway it is attached to (or one peered with that)."""
        net = self.network
        instance = net.instances.get(target_id)
        if instance is not None:
            return net.interfaces.get(instance.interface)
        if target_id in net.interfaces:
            return net.interfaces[target_id]
        try:
            address = IPv4Address(target_id)
        except ValueError:
            return None
        near = (lb_vpc, *(other for _, other in self.vpcs_peered_with(lb_vpc)))
        for vpc in (*near, *self._tgw_neighbours(lb_vpc)):
            eni = net.interface_by_ip.get((vpc, address))
            if eni is not None:
                return eni
        return None

    def _tgw_neighbours(self, vpc: str) -> list[str]:
        """VPCs attached to a TGW that ``vpc`` is attached to, or to a TGW peered with it."""
        net = self.network
        tgws = {a.transit_gateway for a in net.tgw_attachments_of_vpc.get(vpc, ())}
        for att in net.tgw_attachments.values():
            for t in list(tgws):
                other = att.other_gateway(t)
                if other is not None:
                    tgws.add(other)
        return sorted(
            a.vpc
            for a in net.tgw_attachments.values()
            if a.vpc is not None and a.vpc != vpc and a.transit_gateway in tgws
        )

    # -- compilation ----------------------------------------------------------------------

    def _subnet_info(self, subnet: Subnet) -> SubnetInfo:
        table = self.network.route_table_of_subnet.get(subnet.id)
        acl = self.network.nacl_of_subnet.get(subnet.id)
        acl_in, acl_out = self._compile_acl(acl) if acl else ((), ())
        return SubnetInfo(
            subnet,
            Cidr.of(subnet.cidr),
            self.lookups.get(table.id) if table else None,
            acl.id if acl else None,
            acl_in,
            acl_out,
        )

    def _compile_acl(self, acl: NetworkAcl) -> tuple[tuple[AclRule, ...], tuple[AclRule, ...]]:
        """An ACL's entries, compiled once per ACL (every subnet of a VPC shares its default
        ACL), each entry interned by value (most ACLs hold the same few entries)."""
        compiled = self._acls.get(acl.id)
        if compiled is None:
            inbound: list[AclRule] = []
            outbound: list[AclRule] = []
            for entry in sorted(acl.entries, key=lambda e: e.number):
                rule = _acl_rule(entry)
                (outbound if entry.egress else inbound).append(
                    self._interned.setdefault(rule, rule)
                )
            compiled = self._acls[acl.id] = (tuple(inbound), tuple(outbound))
        return compiled

    def _compile_sg(self, sg_id: str) -> CompiledSg:
        sg = self.network.security_groups[sg_id]
        return CompiledSg(
            sg.id,
            sg.vpc,
            tuple(self._sg_rule(r) for r in sg.ingress),
            tuple(self._sg_rule(r) for r in sg.egress),
        )

    def _sg_rule(self, rule: SecurityGroupRule) -> SgRule:
        """Compiled once per distinct rule: thousands of groups repeat the same few rules,
        and compiling (its text, its blocks) was half of the index build."""
        compiled = self._interned.get(rule)
        if compiled is None:
            compiled = self._interned[rule] = self._compile_sg_rule(rule)
        return cast(SgRule, compiled)

    def _compile_sg_rule(self, rule: SecurityGroupRule) -> SgRule:
        low, high = (0, 65535) if rule.ports is None else (rule.ports.low, rule.ports.high)
        cidrs: tuple[Cidr, ...] = ()
        missing = None
        if rule.cidr is not None:
            cidrs = (Cidr.of(rule.cidr),)
        elif rule.prefix_list is not None:
            pl = self.network.prefix_lists.get(rule.prefix_list)
            if pl is None:
                missing = rule.prefix_list
            else:
                cidrs = tuple(Cidr.of(c) for c in pl.cidrs)
        group = rule.group.rsplit("/", 1)[-1] if rule.group else None
        return SgRule(rule.protocol, low, high, cidrs, group, missing, str(rule))


def _acl_rule(entry: NaclEntry) -> AclRule:
    low, high = (0, 65535) if entry.ports is None else (entry.ports.low, entry.ports.high)
    return AclRule(entry.number, entry.allow, entry.protocol, Cidr.of(entry.cidr), low, high)


def _pair(a: str, b: str) -> tuple[str, str]:
    return (a, b) if a <= b else (b, a)
