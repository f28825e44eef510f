"""Resources added, removed and changed between two Networks (diff), or plan and live (drift).

The two Networks rarely share ids: a plan names a VPC ``aws_vpc.provider``, AWS names it
``vpc-0abc…``. Both carry the logical name, so resources are matched by (kind, name) and
every reference to another resource is rewritten as ``kind:name`` before fields are
compared. Only the kinds and fields reachability depends on are compared; fields that only
AWS can choose (ENI addresses, service names, DNS names) are skipped, because a plan holds
``None`` or a placeholder there and the difference would be noise, not drift.

Some references differ in name only, and are normalised where that can be done honestly:

* an endpoint's ``service_name`` is a Terraform reference in a plan and AWS's
  ``com.amazonaws.vpce.…`` on the live side: where it names an endpoint service of the same
  network, it compares as that service (``endpoint_service:api``) — an endpoint that points
  at another service is still drift; a name outside the network compares as written;
* a prefix list id (``pl-…``, one list everywhere in AWS) that one side does not describe
  compares as the other side's name for it, e.g. AWS's managed ``com.amazonaws.us-east-1.s3``;
* an ENI without a name (AWS creates them for endpoints and balancers, untagged) compares as
  its owner and subnet (``network_interface:endpoint consumer_api in consumer_private_a``);
* a Transit Gateway's default route table (``tgw-rtb-…`` live, ``<tgw>.association_default_route_table_id``
  planned or scanned) compares as its role, ``hub/default``, whatever either side names it;
  its routes compare as :meth:`Network.tgw_routes` gives them (static and blackhole routes,
  and one propagated route per propagating VPC CIDR), so a read that lists AWS's propagated
  routes and a plan that leaves them to the propagations agree;
* a TGW's ASN compares only where both sides know it (a plan may leave it to AWS's default),
  and a RAM share's per-principal status (live only) not at all.
"""

from __future__ import annotations

from dataclasses import dataclass, fields, is_dataclass
from ipaddress import IPv4Address, IPv4Network
from typing import Literal

from vpcwire.network import (
    KINDS,
    Network,
    NetworkAcl,
    NetworkInterface,
    PortRange,
    Resource,
    RouteTable,
    VpcEndpoint,
    kind_of,
)
from vpcwire.network.model import TgwRouteTable

__all__ = [
    "COMPARED_KINDS",
    "FieldChange",
    "ResourceChange",
    "resource_changes",
    "vpc_fingerprints",
]

# What a reachability question can depend on. Network interfaces are left out: every ENI is
# owned by an instance, endpoint or balancer, which is compared instead.
COMPARED_KINDS = (
    "vpc",
    "subnet",
    "route_table",
    "peering",
    "security_group",
    "network_acl",
    "instance",
    "load_balancer",
    "listener",
    "target_group",
    "endpoint_service",
    "vpc_endpoint",
    "transit_gateway",
    "tgw_attachment",
    "tgw_route_table",
    "resource_share",
)
# Chosen by AWS at apply time, or bookkeeping: never a difference in intent.
_SKIPPED_FIELDS = frozenset(
    {
        "id",
        "name",
        "tags",
        "interfaces",
        "interface",
        "service_name",
        "dns_names",
        "az_id",
        "description",
        "origin",
        "unknowns",  # what a scan could not resolve: said as VW-W701, not a change
        "role",  # vpcwire's own bookkeeping tag; an existing instance has none
    }
)
# Fields of one kind that are bookkeeping there (and meaningful elsewhere: a peering's status).
_SKIPPED_BY_KIND = {"ResourceShare": frozenset({"status"})}
# Fields a side may leave unset for AWS's default: compared only where both are set.
_UNSET_IS_DEFAULT = frozenset({"asn"})
# Inside a route, rule, entry or target every field counts (a target's id is its address),
# except words for people and where a value was read from.
_NESTED_SKIPPED = frozenset({"description", "origin"})
Change = Literal["added", "removed", "changed"]


@dataclass(frozen=True, slots=True)
class FieldChange:
    field: str
    old: str
    new: str
    listed: bool = False  # old/new hold the items removed/added, not whole values

    def __str__(self) -> str:
        if self.listed:
            return f"{self.field}: " + ", ".join(p for p in (self.old, self.new) if p)
        return f"{self.field}: {self.old} -> {self.new}"


@dataclass(frozen=True, slots=True)
class ResourceChange:
    kind: str
    name: str
    change: Change
    fields: tuple[FieldChange, ...] = ()

    def __str__(self) -> str:
        head = f"{self.change} {self.kind} {self.name}"
        return head if not self.fields else head + ": " + "; ".join(map(str, self.fields))

    def to_dict(self) -> dict[str, object]:
        return {
            "kind": self.kind,
            "name": self.name,
            "change": self.change,
            "fields": [{"field": f.field, "old": f.old, "new": f.new} for f in self.fields],
        }


def resource_changes(old: Network, new: Network) -> list[ResourceChange]:
    """Every compared resource added, removed or changed from ``old`` to ``new``."""
    old_side, new_side = _Side(old, other=new), _Side(new, other=old)
    out: list[ResourceChange] = []
    for kind in COMPARED_KINDS:
        before, after = old_side.keyed(kind), new_side.keyed(kind)
        for key in sorted(before.keys() - after.keys()):
            if not _implicit(before[key]):
                out.append(ResourceChange(kind, key, "removed"))
        for key in sorted(after.keys() - before.keys()):
            if not _implicit(after[key]):
                out.append(ResourceChange(kind, key, "added"))
        for key in sorted(before.keys() & after.keys()):
            a, b = old_side.canonical(before[key]), new_side.canonical(after[key])
            changed = tuple(
                _field_change(name, a[name], b[name])
                for name in a
                if a[name] != b[name]
                and not (name in _UNSET_IS_DEFAULT and None in (a[name], b[name]))
            )
            if changed:
                out.append(ResourceChange(kind, key, "changed", changed))
    return out


def _implicit(resource: Resource) -> bool:
    """Defaults AWS creates with every VPC: absent from a plan that does not manage them."""
    return bool(getattr(resource, "is_default", False) or getattr(resource, "main", False))


class _Side:
    """One Network's resources keyed by logical name, with references made comparable."""

    def __init__(
        self, network: Network, *, strict: bool = False, other: Network | None = None
    ) -> None:
        self.network = network
        # strict: every field but the id, for fingerprints that must miss no difference
        self.skipped = (
            frozenset({"id", "tags", "origin", "unknowns"}) if strict else _SKIPPED_FIELDS
        )
        self.label: dict[str, str] = {}
        # prefix lists the other side describes and this one only names by id
        for pl in other.prefix_lists.values() if other is not None else ():
            if pl.name:
                self.label[pl.id] = f"prefix_list:{pl.name}"
        for r in network.resources():
            self.label[r.id] = f"{kind_of(r)}:{self.key(r)}"

    def key(self, r: Resource) -> str:
        if isinstance(r, TgwRouteTable) and self._tgw_default(r):
            owner = self.network.get(r.transit_gateway)
            return f"{owner.name if owner and owner.name else r.transit_gateway}/default"
        if r.name:
            return r.name
        if isinstance(r, NetworkInterface) and r.owner:
            owner, subnet = self.network.get(r.owner), self.network.get(r.subnet)
            if owner is not None and owner.name:
                where = f" in {subnet.name}" if subnet is not None and subnet.name else ""
                return f"{kind_of(owner)} {owner.name}{where}"
        # Unnamed defaults (a VPC's main route table, default group or ACL) match by owner.
        vpc = getattr(r, "vpc", None)
        if vpc is not None and _implicit(r):
            owner = self.network.get(vpc)
            return f"{owner.name if owner else vpc}/default"
        return r.id

    def _tgw_default(self, table: TgwRouteTable) -> bool:
        """Is this the table AWS made with its TGW (its default association or propagation
        table)? Its name differs between a plan and AWS; its role does not."""
        tgw = self.network.transit_gateways.get(table.transit_gateway)
        return tgw is not None and table.id in (
            tgw.association_default_route_table,
            tgw.propagation_default_route_table,
        )

    def keyed(self, kind: str) -> dict[str, Resource]:
        return {self.key(r): r for r in getattr(self.network, KINDS[kind][1]).values()}

    def canonical(self, r: Resource) -> dict[str, object]:
        skipped = self.skipped | _SKIPPED_BY_KIND.get(type(r).__name__, frozenset())
        return (
            {f.name: self._value(getattr(r, f.name)) for f in fields(r) if f.name not in skipped}
            | self._associations(r)
            | self._service(r)
            | self._tgw_routes(r)
        )

    def _tgw_routes(self, r: Resource) -> dict[str, object]:
        """A TGW route table's routes with the propagated ones computed (see the module)."""
        if not isinstance(r, TgwRouteTable):
            return {}
        return {"routes": self._value(self.network.tgw_routes(r))}

    def _service(self, r: Resource) -> dict[str, object]:
        """The endpoint service an endpoint connects to, by its logical name when it is in
        this network (a plan's Terraform reference and AWS's name then agree)."""
        if not isinstance(r, VpcEndpoint):
            return {}
        service = self.network.endpoint_service_by_name.get(r.service_name)
        if service is not None:
            return {"service_name": self.label[service.id]}
        return {"service_name": r.service_name}

    def _associations(self, r: Resource) -> dict[str, object]:
        """A default ACL or main route table serves every subnet nobody else claims: compare
        the subnets each really serves, so implicit and explicit associations agree."""
        served: dict[str, NetworkAcl] | dict[str, RouteTable]
        if isinstance(r, NetworkAcl):
            served = self.network.nacl_of_subnet
        elif isinstance(r, RouteTable):
            served = self.network.route_table_of_subnet
        else:
            return {}
        return {
            "subnets": tuple(
                sorted(self.label.get(s, s) for s, t in served.items() if t.id == r.id)
            )
        }

    def _value(self, value: object) -> object:
        if isinstance(value, str):
            return self.label.get(value, value)
        if isinstance(value, IPv4Network | IPv4Address | PortRange):
            return str(value)
        if isinstance(value, tuple):
            return tuple(sorted((self._value(v) for v in value), key=repr))
        if is_dataclass(value) and not isinstance(value, type):
            # A route, rule or entry reads as one line: "protocol=tcp ports=8080 cidr=…".
            parts = (
                f"{f.name}={self._value(getattr(value, f.name))}"
                for f in fields(value)
                if f.name not in _NESTED_SKIPPED and getattr(value, f.name) not in (None, "", ())
            )
            return " ".join(parts)
        return value


def _field_change(name: str, old: object, new: object) -> FieldChange:
    """A changed list shows only what left (``-``) and what came (``+``), not both lists."""
    if isinstance(old, tuple) and isinstance(new, tuple):
        gone = [f"-{_show(v)}" for v in old if v not in new]
        came = [f"+{_show(v)}" for v in new if v not in old]
        return FieldChange(name, ", ".join(gone), ", ".join(came), listed=True)
    return FieldChange(name, _show(old), _show(new))


def _show(value: object) -> str:
    if isinstance(value, tuple):
        return "(" + ", ".join(_show(v) for v in value) + ")"
    return str(value)


def vpc_fingerprints(network: Network) -> dict[str, str]:
    """Per VPC name: every field of everything in or attached to it, ids made comparable.

    Two networks whose fingerprints agree for a set of VPCs give the same verdict for every
    flow among those VPCs, because the engine reads nothing else (see ``diff.flows``).
    """
    side = _Side(network, strict=True)
    parts: dict[str, list[str]] = {}
    name = {v.id: v.name or v.id for v in network.vpcs.values()}

    def add(vpc_id: str, r: object) -> None:
        parts.setdefault(name.get(vpc_id, vpc_id), []).append(repr(side.canonical(r)))  # type: ignore[arg-type]

    for v in network.vpcs.values():
        add(v.id, v)
    for r in network.resources():
        vpc = getattr(r, "vpc", None)
        if isinstance(vpc, str):
            add(vpc, r)
    for pcx in network.peerings.values():
        add(pcx.requester_vpc, pcx)
        add(pcx.accepter_vpc, pcx)
    for lst in network.listeners.values():
        lb = network.load_balancers.get(lst.load_balancer)
        if lb is not None:
            add(lb.vpc, lst)
    for svc in network.endpoint_services.values():
        for lb_id in svc.load_balancers:
            lb = network.load_balancers.get(lb_id)
            if lb is not None:
                add(lb.vpc, svc)
    # A TGW carries traffic among every VPC attached to it, and on over its peerings: each
    # attached VPC's flows read every TGW resource (more than a flow needs, never less).
    # (computed once: n VPCs on one TGW would otherwise canonicalise its parts n times)
    tgw_print = "\n".join(
        sorted(
            repr(side.canonical(r))
            for r in (
                *network.transit_gateways.values(),
                *network.tgw_attachments.values(),
                *network.tgw_route_tables.values(),
            )
        )
    )
    for vpc_id in network.tgw_attachments_of_vpc:
        parts.setdefault(name.get(vpc_id, vpc_id), []).append(tgw_print)
    for pl in network.prefix_lists.values():  # global: every VPC may name it
        for v in network.vpcs.values():
            add(v.id, pl)
    return {k: "\n".join(sorted(v)) for k, v in parts.items()}
