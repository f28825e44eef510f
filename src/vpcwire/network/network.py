"""The Network container: every resource by kind and id, plus lookups the verifier needs.

A Network is immutable once built. Producers (the planner, the live reader, tests)
collect resources in a :class:`NetworkBuilder` and call :meth:`NetworkBuilder.build`.
Derived lookups (which route table serves a subnet, which ENI holds an address) are
computed once, lazily, because the verifier asks them thousands of times.
"""

from __future__ import annotations

import difflib
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass, field, replace
from functools import cached_property
from ipaddress import IPv4Address
from typing import Any, TypeVar

from vpcwire.network.model import (
    Account,
    EndpointService,
    Instance,
    InternetGateway,
    Listener,
    LoadBalancer,
    NatGateway,
    NetworkAcl,
    NetworkInterface,
    PeeringConnection,
    PrefixList,
    Resource,
    ResourceShare,
    RouteTable,
    SecurityGroup,
    Subnet,
    TargetGroup,
    TgwAttachment,
    TgwRoute,
    TgwRouteTable,
    TransitGateway,
    Vpc,
    VpcEndpoint,
)

__all__ = ["KINDS", "Network", "NetworkBuilder", "kind_of"]

R = TypeVar("R", bound=Resource)

# kind name -> (model class, Network attribute). Order is dependency order, which is
# also the order people read a network in.
KINDS: dict[str, tuple[type[Resource], str]] = {
    "vpc": (Vpc, "vpcs"),
    "subnet": (Subnet, "subnets"),
    "route_table": (RouteTable, "route_tables"),
    "internet_gateway": (InternetGateway, "internet_gateways"),
    "nat_gateway": (NatGateway, "nat_gateways"),
    "peering": (PeeringConnection, "peerings"),
    "prefix_list": (PrefixList, "prefix_lists"),
    "security_group": (SecurityGroup, "security_groups"),
    "network_acl": (NetworkAcl, "network_acls"),
    "network_interface": (NetworkInterface, "interfaces"),
    "instance": (Instance, "instances"),
    "load_balancer": (LoadBalancer, "load_balancers"),
    "target_group": (TargetGroup, "target_groups"),
    "listener": (Listener, "listeners"),
    "endpoint_service": (EndpointService, "endpoint_services"),
    "vpc_endpoint": (VpcEndpoint, "endpoints"),
    "transit_gateway": (TransitGateway, "transit_gateways"),
    "tgw_attachment": (TgwAttachment, "tgw_attachments"),
    "tgw_route_table": (TgwRouteTable, "tgw_route_tables"),
    "resource_share": (ResourceShare, "resource_shares"),
}
_KIND_BY_CLASS = {cls: kind for kind, (cls, _) in KINDS.items()}


def kind_of(resource: Resource) -> str:
    return _KIND_BY_CLASS[type(resource)]


@dataclass(frozen=True)
class Network:
    accounts: Mapping[str, Account] = field(default_factory=dict)
    vpcs: Mapping[str, Vpc] = field(default_factory=dict)
    subnets: Mapping[str, Subnet] = field(default_factory=dict)
    route_tables: Mapping[str, RouteTable] = field(default_factory=dict)
    internet_gateways: Mapping[str, InternetGateway] = field(default_factory=dict)
    nat_gateways: Mapping[str, NatGateway] = field(default_factory=dict)
    peerings: Mapping[str, PeeringConnection] = field(default_factory=dict)
    prefix_lists: Mapping[str, PrefixList] = field(default_factory=dict)
    security_groups: Mapping[str, SecurityGroup] = field(default_factory=dict)
    network_acls: Mapping[str, NetworkAcl] = field(default_factory=dict)
    interfaces: Mapping[str, NetworkInterface] = field(default_factory=dict)
    instances: Mapping[str, Instance] = field(default_factory=dict)
    load_balancers: Mapping[str, LoadBalancer] = field(default_factory=dict)
    target_groups: Mapping[str, TargetGroup] = field(default_factory=dict)
    listeners: Mapping[str, Listener] = field(default_factory=dict)
    endpoint_services: Mapping[str, EndpointService] = field(default_factory=dict)
    endpoints: Mapping[str, VpcEndpoint] = field(default_factory=dict)
    transit_gateways: Mapping[str, TransitGateway] = field(default_factory=dict)
    tgw_attachments: Mapping[str, TgwAttachment] = field(default_factory=dict)
    tgw_route_tables: Mapping[str, TgwRouteTable] = field(default_factory=dict)
    resource_shares: Mapping[str, ResourceShare] = field(default_factory=dict)

    # -- iteration and lookup -------------------------------------------------------

    def resources(self) -> Iterator[Resource]:
        for _, attr in KINDS.values():
            yield from getattr(self, attr).values()

    def __len__(self) -> int:
        return sum(len(getattr(self, attr)) for _, attr in KINDS.values())

    @cached_property
    def _by_id(self) -> dict[str, Resource]:
        return {r.id: r for r in self.resources()}

    @cached_property
    def _by_name(self) -> dict[str, list[Resource]]:
        out: dict[str, list[Resource]] = {}
        for r in self.resources():
            if r.name:
                out.setdefault(r.name, []).append(r)
        return out

    def get(self, resource_id: str) -> Resource | None:
        return self._by_id.get(resource_id)

    def find(self, name_or_id: str, kinds: Iterable[str] | None = None) -> list[Resource]:
        """Resources whose id or Name is ``name_or_id``, optionally of the given kinds."""
        wanted = None if kinds is None else {KINDS[k][0] for k in kinds}
        hit = self._by_id.get(name_or_id)
        found = [hit] if hit is not None else list(self._by_name.get(name_or_id, []))
        return [r for r in found if wanted is None or type(r) in wanted]

    def suggest(self, name: str, kinds: Iterable[str] | None = None) -> list[str]:
        """Close names and ids, for "did you mean …?" messages."""
        wanted = None if kinds is None else {KINDS[k][0] for k in kinds}
        # An instance and its ENI often share a Name: offer each name once.
        pool = dict.fromkeys(
            key
            for r in self.resources()
            if wanted is None or type(r) in wanted
            for key in (r.name, r.id)
            if key
        )
        return difflib.get_close_matches(name, list(pool), n=5, cutoff=0.6)

    # -- derived relations (computed once) ---------------------------------------------

    @cached_property
    def route_table_of_subnet(self) -> dict[str, RouteTable]:
        """The table that routes each subnet: its explicit association, else the main table."""
        main = {rt.vpc: rt for rt in self.route_tables.values() if rt.main}
        out: dict[str, RouteTable] = {}
        for rt in self.route_tables.values():
            for sid in rt.subnets:
                out[sid] = rt
        for sid, subnet in self.subnets.items():
            if sid not in out and subnet.vpc in main:
                out[sid] = main[subnet.vpc]
        return out

    @cached_property
    def nacl_of_subnet(self) -> dict[str, NetworkAcl]:
        default = {acl.vpc: acl for acl in self.network_acls.values() if acl.is_default}
        out: dict[str, NetworkAcl] = {}
        for acl in self.network_acls.values():
            for sid in acl.subnets:
                out[sid] = acl
        for sid, subnet in self.subnets.items():
            if sid not in out and subnet.vpc in default:
                out[sid] = default[subnet.vpc]
        return out

    @cached_property
    def interface_by_ip(self) -> dict[tuple[str, IPv4Address], NetworkInterface]:
        """(vpc id, private IP) -> ENI. Keyed by VPC because addresses repeat across VPCs."""
        return {
            (eni.vpc, eni.private_ip): eni
            for eni in self.interfaces.values()
            if eni.private_ip is not None
        }

    @cached_property
    def peerings_of_vpc(self) -> dict[str, list[PeeringConnection]]:
        out: dict[str, list[PeeringConnection]] = {}
        for pcx in self.peerings.values():
            out.setdefault(pcx.requester_vpc, []).append(pcx)
            out.setdefault(pcx.accepter_vpc, []).append(pcx)
        return out

    @cached_property
    def endpoint_service_by_name(self) -> dict[str, EndpointService]:
        return {svc.service_name: svc for svc in self.endpoint_services.values()}

    @cached_property
    def listeners_of_lb(self) -> dict[str, list[Listener]]:
        out: dict[str, list[Listener]] = {}
        for lst in self.listeners.values():
            out.setdefault(lst.load_balancer, []).append(lst)
        return out

    @cached_property
    def tgw_attachments_of_vpc(self) -> dict[str, list[TgwAttachment]]:
        out: dict[str, list[TgwAttachment]] = {}
        for att in self.tgw_attachments.values():
            if att.kind == "vpc" and att.vpc is not None:
                out.setdefault(att.vpc, []).append(att)
        return out

    @cached_property
    def tgw_route_table_of(self) -> dict[tuple[str, str], TgwRouteTable]:
        """(TGW id, attachment id) -> the route table the attachment is associated with on
        that TGW. Keyed by TGW because a peering attachment is associated on both sides."""
        out: dict[tuple[str, str], TgwRouteTable] = {}
        for rt in self.tgw_route_tables.values():
            for att in rt.associations:
                out[(rt.transit_gateway, att)] = rt
        return out

    def tgw_routes(self, table: TgwRouteTable) -> tuple[TgwRoute, ...]:
        """Every route of ``table``: its static and blackhole routes, then one propagated
        route per CIDR block of each VPC attachment propagating into it (AWS never
        propagates over a peering attachment). Propagated routes a producer read are kept
        only where the propagations do not already give them, so that moto's missing ones
        and AWS's present ones end the same."""
        routes = list(table.routes)
        seen = {(r.destination, r.attachment) for r in routes}
        for att_id in table.propagations:
            att = self.tgw_attachments.get(att_id)
            if att is None or att.kind != "vpc" or att.vpc is None:
                continue
            vpc = self.vpcs.get(att.vpc)
            if vpc is None:
                continue
            for cidr in vpc.cidrs:
                if (cidr, att_id) not in seen:
                    seen.add((cidr, att_id))
                    routes.append(TgwRoute(cidr, att_id, kind="propagated"))
        return tuple(routes)

    @cached_property
    def instances_in_vpc(self) -> dict[str, list[Instance]]:
        out: dict[str, list[Instance]] = {}
        for inst in self.instances.values():
            out.setdefault(inst.vpc, []).append(inst)
        return out


class NetworkBuilder:
    """Collects resources, then freezes them into a :class:`Network`.

    ``add`` refuses a second resource with the same id: two producers disagreeing about
    one id is a bug we want to hear about at once, not a silent overwrite.
    """

    def __init__(self, network: Network | None = None) -> None:
        self._store: dict[str, dict[str, Any]] = {attr: {} for _, attr in KINDS.values()}
        self.accounts: dict[str, Account] = {}
        if network is not None:
            self.accounts.update(network.accounts)
            for _, attr in KINDS.values():
                self._store[attr].update(getattr(network, attr))

    def add(self, resource: R) -> R:
        bucket = self._store[KINDS[kind_of(resource)][1]]
        if resource.id in bucket:
            raise ValueError(f"duplicate {kind_of(resource)} id {resource.id!r}")
        bucket[resource.id] = resource
        return resource

    def add_account(self, account: Account) -> None:
        self.accounts.setdefault(account.id, account)

    def put(self, resource: R) -> R:
        """Add or replace: for passes that refine a resource added earlier."""
        self._store[KINDS[kind_of(resource)][1]][resource.id] = resource
        return resource

    def update(self, resource: R, **changes: Any) -> R:
        return self.put(replace(resource, **changes))

    def get(self, kind: str, resource_id: str) -> Any:
        return self._store[KINDS[kind][1]][resource_id]

    def get_or_none(self, kind: str, resource_id: str) -> Any:
        return self._store[KINDS[kind][1]].get(resource_id)

    def all(self, kind: str) -> list[Any]:
        return list(self._store[KINDS[kind][1]].values())

    def build(self) -> Network:
        return Network(accounts=dict(self.accounts), **{k: dict(v) for k, v in self._store.items()})
