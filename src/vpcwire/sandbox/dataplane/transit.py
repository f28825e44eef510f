"""Transit Gateways as namespaces: a router per TGW, a link per attachment subnet.

The shape (verify/transit.py holds the semantics it reproduces):

* one namespace per TGW (``vw<id>-t<i>``), forwarding;
* one veth per subnet of every *available* VPC attachment (a "leg": one per AZ, as AWS
  places one ENI per attachment subnet), between the VPC's router and the TGW's. A VPC
  route to the TGW goes over the leg in the sending subnet's AZ (none there: blackhole, as
  traffic from an AZ the attachment does not cover never reaches the TGW). What arrives
  over a leg is routed by the attachment subnet's own route table;
* in the TGW namespace, one Linux routing table per ingress leg, holding the routes of the
  TGW route table associated with that leg's attachment (static before propagated, a
  blackhole as a blackhole route); a route to a VPC attachment leaves over that
  attachment's leg in the ingress leg's AZ when it has one (AZ affinity), else over its
  first; no association: nothing is looked up, the packet is dropped;
* a veth between the namespaces of two peered TGWs; what arrives over it is routed by the
  table associated with the peering on that side;
* the attachment subnets' network ACLs on the legs (nft, in the VPC router): leaving the VPC
  over a leg meets the subnet's inbound rules, arriving over it its outbound rules, and
  what a leg delivers into its own subnet meets neither
  (https://docs.aws.amazon.com/vpc/latest/tgw/tgw-nacls.html).

Addresses are link-local (169.254.x, :func:`link_pair`), inside namespaces we made only.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from ipaddress import IPv4Network

from vpcwire.network import Network, TgwAttachment, TgwRoute
from vpcwire.sandbox.dataplane.services import link_pair
from vpcwire.verify.transit import entry_attachment, leg_in_az

__all__ = ["Leg", "TransitWiring"]

_TGW_TABLES = 2000


@dataclass(frozen=True, slots=True)
class Leg:
    """One attachment subnet's link: ``name`` on both ends; ``vpc_ip`` in the VPC router,
    ``tgw_ip`` in the TGW's namespace."""

    attachment: str
    subnet: str
    vpc: str
    tgw: str
    name: str
    vpc_ip: str
    tgw_ip: str


@dataclass(slots=True)
class TransitWiring:
    """Everything the TGWs add to a layout; ``links`` is the next free link index."""

    net: Network
    sid: str
    vpc_ns: dict[str, str]
    links: int
    table_of: Callable[[str], int]
    tgw_ns: dict[str, str] = field(default_factory=dict)
    host: list[str] = field(default_factory=list)
    ip: dict[str, list[str]] = field(default_factory=dict)
    legs: dict[tuple[str, str], Leg] = field(default_factory=dict)  # (attachment, subnet)
    # peering attachment -> (TGW id -> (link name, the other side's address))
    peer_links: dict[str, dict[str, tuple[str, str]]] = field(default_factory=dict)

    def wire(self) -> None:
        net = self.net
        for i, tid in enumerate(sorted(net.transit_gateways)):
            if net.transit_gateways[tid].state == "available":
                ns = f"vw{self.sid}-t{i}"
                self.tgw_ns[tid] = ns
                self.host.append(f"netns add {ns}")
                self.ip[ns] = ["link set lo up", "rule add pref 30001 blackhole"]
        for att in sorted(net.tgw_attachments.values(), key=lambda a: a.id):
            if att.state != "available" or att.transit_gateway not in self.tgw_ns:
                continue
            if att.kind == "vpc" and att.vpc in self.vpc_ns:
                for subnet in att.subnets:
                    if subnet in net.subnets:
                        self._leg(att, subnet)
            elif att.kind == "peering" and att.peer_transit_gateway in self.tgw_ns:
                self._peering(att)
        for rt in sorted(net.tgw_route_tables.values(), key=lambda r: r.id):
            if rt.transit_gateway in self.tgw_ns:
                self._tables(rt.transit_gateway, rt.id)

    def _next(self) -> tuple[str, str, int]:
        left, right = link_pair(self.links)
        self.links += 1
        return left, right, self.links - 1

    def _leg(self, att: TgwAttachment, subnet: str) -> None:
        vpc = att.vpc or ""
        router, tns = self.vpc_ns[vpc], self.tgw_ns[att.transit_gateway]
        left, right, k = self._next()
        name = f"g{k}"
        self.host.append(f"link add {name} netns {router} type veth peer name {name} netns {tns}")
        self.ip.setdefault(router, []).extend(
            [
                f"link set {name} up",
                f"addr add {left}/30 dev {name}",
                f"rule add pref 1000 iif {name} lookup {self.table_of(subnet)}",
            ]
        )
        self.ip[tns] += [f"link set {name} up", f"addr add {right}/30 dev {name}"]
        self.legs[(att.id, subnet)] = Leg(
            att.id, subnet, vpc, att.transit_gateway, name, left, right
        )

    def _peering(self, att: TgwAttachment) -> None:
        a, b = att.transit_gateway, att.peer_transit_gateway or ""
        left, right, k = self._next()
        name = f"q{k}"
        self.host.append(
            f"link add {name} netns {self.tgw_ns[a]} type veth peer name {name} "
            f"netns {self.tgw_ns[b]}"
        )
        self.ip[self.tgw_ns[a]] += [f"link set {name} up", f"addr add {left}/30 dev {name}"]
        self.ip[self.tgw_ns[b]] += [f"link set {name} up", f"addr add {right}/30 dev {name}"]
        self.peer_links[att.id] = {a: (name, right), b: (name, left)}

    # -- the TGW's routing tables ----------------------------------------------------------

    def _tables(self, tgw: str, rt_id: str) -> None:
        """One Linux table per ingress link of an attachment associated with ``rt_id``."""
        rt = self.net.tgw_route_tables[rt_id]
        ns = self.tgw_ns[tgw]
        routes = sorted(self.net.tgw_routes(rt), key=lambda r: r.kind != "static")
        ingress: list[tuple[str, str | None]] = []  # (link name, ingress subnet or None)
        for att_id in rt.associations:
            ingress += [(leg.name, leg.subnet) for leg in self._legs_of(att_id, tgw)]
            peer = self.peer_links.get(att_id, {}).get(tgw)
            if peer is not None:
                ingress.append((peer[0], None))
        for link, subnet in ingress:
            table = _TGW_TABLES + len(
                [x for x in self.ip[ns] if x.startswith("rule add pref 1000")]
            )
            lines: dict[str, str] = {}
            for route in routes:
                for dest in self._destinations(route):
                    lines.setdefault(str(dest), self._route(route, dest, tgw, subnet))
            self.ip[ns] += [
                f"rule add pref 1000 iif {link} lookup {table}",
                *(f"route add {line} table {table}" for line in lines.values()),
            ]

    def _legs_of(self, att_id: str, tgw: str) -> list[Leg]:
        return [leg for (a, _), leg in self.legs.items() if a == att_id and leg.tgw == tgw]

    def _destinations(self, route: TgwRoute) -> list[IPv4Network]:
        if route.destination is not None:
            return [route.destination]
        pl = self.net.prefix_lists.get(route.prefix_list or "")
        return list(pl.cidrs) if pl else []

    def _route(self, route: TgwRoute, dest: IPv4Network, tgw: str, subnet: str | None) -> str:
        if route.attachment is None or route.state == "blackhole":
            return f"blackhole {dest}"
        out = self.net.tgw_attachments.get(route.attachment)
        if out is None or out.state != "available":
            return f"blackhole {dest}"
        if out.kind == "peering":
            peer = self.peer_links.get(out.id, {}).get(tgw)
            return f"{dest} via {peer[1]} dev {peer[0]} onlink" if peer else f"blackhole {dest}"
        if out.kind != "vpc" or not out.subnets:
            return f"blackhole {dest}"
        leg = self.legs.get((out.id, leg_in_az(self.net, out, subnet) or out.subnets[0]))
        return f"{dest} via {leg.vpc_ip} dev {leg.name} onlink" if leg else f"blackhole {dest}"

    # -- what the VPC routers need ---------------------------------------------------------

    def vpc_route(self, dest: IPv4Network, vpc: str, subnet: str, tgw: str) -> str:
        """A VPC route to ``tgw`` from ``subnet``: over the leg in its AZ, else a blackhole."""
        att = entry_attachment(self.net, vpc, tgw)
        if att is None or att.state != "available":
            return f"blackhole {dest}"
        leg = self.legs.get((att.id, leg_in_az(self.net, att, subnet) or ""))
        return f"{dest} via {leg.tgw_ip} dev {leg.name} onlink" if leg else f"blackhole {dest}"

    def legs_of_subnet(self) -> dict[str, list[str]]:
        out: dict[str, list[str]] = {}
        for leg in self.legs.values():
            out.setdefault(leg.subnet, []).append(leg.name)
        return out
