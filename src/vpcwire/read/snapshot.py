"""What one (account, region) said: the raw responses, before any mapping.

Reading and mapping are kept apart on purpose. Fetching fills a :class:`Snapshot` with
AWS's own response items (concurrently, in any order); mapping then turns the snapshots
into a Network in one deterministic pass. So the mapping can be tested with hand-written
responses (shapes moto never produces: blackhole routes, IPv6 rules, GRE permissions) and
the order threads finish in can never change the result.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from vpcwire.read.convert import Raw
from vpcwire.read.session import Identity

__all__ = ["Snapshot", "Unit"]


@dataclass
class Snapshot:
    """Raw response items of one account in one region. Keys of the dicts are AWS ids/ARNs."""

    account: str
    region: str
    selected: set[str] = field(default_factory=set)  # VPC ids to map
    vpcs: list[Raw] = field(default_factory=list)
    vpc_attributes: dict[str, dict[str, bool]] = field(default_factory=dict)
    subnets: list[Raw] = field(default_factory=list)
    route_tables: list[Raw] = field(default_factory=list)
    internet_gateways: list[Raw] = field(default_factory=list)
    nat_gateways: list[Raw] = field(default_factory=list)
    peerings: list[Raw] = field(default_factory=list)
    security_groups: list[Raw] = field(default_factory=list)
    network_acls: list[Raw] = field(default_factory=list)
    prefix_lists: list[Raw] = field(default_factory=list)
    prefix_list_entries: dict[str, list[Raw]] = field(default_factory=dict)
    interfaces: list[Raw] = field(default_factory=list)
    instances: list[Raw] = field(default_factory=list)
    load_balancers: list[Raw] = field(default_factory=list)
    lb_attributes: dict[str, dict[str, str]] = field(default_factory=dict)
    listeners: list[Raw] = field(default_factory=list)
    listener_attributes: dict[str, dict[str, str]] = field(default_factory=dict)
    target_groups: list[Raw] = field(default_factory=list)
    tg_attributes: dict[str, dict[str, str]] = field(default_factory=dict)
    target_health: dict[str, list[Raw]] = field(default_factory=dict)
    elb_tags: dict[str, dict[str, str]] = field(default_factory=dict)
    endpoint_services: list[Raw] = field(default_factory=list)
    service_permissions: dict[str, list[str]] = field(default_factory=dict)
    endpoints: list[Raw] = field(default_factory=list)
    transit_gateways: list[Raw] = field(default_factory=list)
    tgw_vpc_attachments: list[Raw] = field(default_factory=list)
    tgw_peering_attachments: list[Raw] = field(default_factory=list)
    tgw_route_tables: list[Raw] = field(default_factory=list)
    tgw_attachments: list[Raw] = field(default_factory=list)  # every kind, with Association
    tgw_associations: dict[str, list[Raw]] = field(default_factory=dict)  # per route table
    tgw_propagations: dict[str, list[Raw]] = field(default_factory=dict)  # per route table
    tgw_routes: dict[str, list[Raw]] = field(default_factory=dict)  # static, per route table
    resource_shares: list[Raw] = field(default_factory=list)
    resource_share_associations: list[Raw] = field(default_factory=list)  # both types
    warnings: list[str] = field(default_factory=list)  # found while mapping this snapshot


@dataclass(eq=False)
class Unit:
    """One (account, region) being read: its clients, its snapshot and its bookkeeping.

    ``pending`` counts unfinished calls per key ("route_tables", "listeners"…) and
    ``joins`` waits on keys, so a follow-up that needs several answers (prefix-list entries
    need the routes and the rules that reference them) starts as soon as they are all in.
    """

    who: Identity
    region: str
    ec2: Any
    elbv2: Any
    snap: Snapshot
    filtered: bool = False  # read only the selected VPCs (server-side vpc-id filters)
    ram: Any = None  # the RAM client (resource shares); None where it is not read
    pending: Counter[str] = field(default_factory=Counter)
    joins: list[tuple[frozenset[str], Callable[[], None]]] = field(default_factory=list)

    @property
    def where(self) -> str:
        return f"account {self.who.account}, {self.region}"
