"""Resource instances of a Terraform configuration -> the Network model.

One function per resource type, in dependency order (VPCs first, since a subnet needs its
VPC's account and region). Ids are Terraform addresses, and the implicit resources AWS
creates with a VPC (main route table, default security group, default network ACL) get
the symbols that the configuration uses for them (``aws_vpc.main.main_route_table_id``),
so a route added to ``aws_vpc.main.main_route_table_id`` lands in that table.

Every resource carries its :class:`~vpcwire.network.model.Origin` (file, line, address).
A value that is unknown before apply or that vpcwire cannot evaluate does not drop the
resource silently: it is recorded as :class:`~vpcwire.scan.config.Unresolved`.
"""

from __future__ import annotations

from dataclasses import replace
from ipaddress import IPv4Address, IPv4Network, IPv6Network, ip_address, ip_network
from typing import Any

from vpcwire.network import Network, NetworkBuilder
from vpcwire.network.model import (
    ALL_PORTS,
    Account,
    EndpointService,
    Instance,
    InternetGateway,
    Listener,
    LoadBalancer,
    NaclEntry,
    NatGateway,
    NetworkAcl,
    NetworkInterface,
    Origin,
    PeeringConnection,
    PortRange,
    PrefixList,
    Route,
    RouteTable,
    RouteTarget,
    SecurityGroup,
    SecurityGroupRule,
    Subnet,
    Target,
    TargetGroup,
    Vpc,
    VpcEndpoint,
)
from vpcwire.network.unknown import account_known, same_account
from vpcwire.scan.config import Configuration, ResourceInstance
from vpcwire.scan.expr import Unknown
from vpcwire.scan.transit_gateway import build_transit_gateways
from vpcwire.scan.unknowns import Marks, unexpanded, why_of

__all__ = ["UNKNOWN_AZ", "UNKNOWN_REGION", "UNSUPPORTED", "build_network"]

# Stand-ins for fields marked unknown (see scan/unknowns.py): never a real AZ or region, so
# nothing can mistake them for one.
UNKNOWN_AZ = "(unknown AZ)"
UNKNOWN_REGION = "(unknown region)"

# Types that change reachability but that the scan does not model yet: reported, not dropped.
UNSUPPORTED = {
    "aws_ec2_transit_gateway_prefix_list_reference",
    "aws_ec2_transit_gateway_connect",
    "aws_ec2_transit_gateway_connect_peer",
    "aws_network_interface",
    "aws_network_interface_attachment",
    "aws_vpn_gateway",
    "aws_vpn_connection",
    "aws_networkfirewall_firewall",
    "aws_globalaccelerator_accelerator",
    # the account's existing default VPC, adopted: its blocks are AWS's, not the configuration's
    "aws_default_vpc",
    "aws_default_subnet",
}

_ALLOW_ALL = NaclEntry(100, False, True, "all", IPv4Network("0.0.0.0/0"))
_DEFAULT_NACL = (
    _ALLOW_ALL,
    NaclEntry(32767, False, False, "all", IPv4Network("0.0.0.0/0")),
    NaclEntry(100, True, True, "all", IPv4Network("0.0.0.0/0")),
    NaclEntry(32767, True, False, "all", IPv4Network("0.0.0.0/0")),
)


class _Builder:
    def __init__(self, config: Configuration) -> None:
        self.config = config
        self.net = NetworkBuilder()
        self.marks = Marks()
        self.by_type: dict[str, list[ResourceInstance]] = {}
        self.asg_members: dict[str, list[str]] = {}  # group address or name -> its instances
        for inst in config.resources():
            self.by_type.setdefault(inst.type, []).append(inst)

    # -- helpers ------------------------------------------------------------------------

    def of(self, rtype: str) -> list[ResourceInstance]:
        return self.by_type.get(rtype, [])

    def origin(self, inst: ResourceInstance) -> Origin:
        return Origin(str(inst.block.file), inst.block.line, inst.address)

    def note(self, inst: ResourceInstance, what: str, line: int | None = None) -> None:
        from vpcwire.errors import Location

        self.config.note(Location(inst.block.file, line or inst.block.line), inst.address, what)

    def known(
        self, inst: ResourceInstance, name: str, value: Any, *, required: bool = True
    ) -> bool:
        """Is ``value`` usable? If not (and it matters), say so at the argument's line."""
        if isinstance(value, Unknown) or (required and value is None):
            why = value.why if isinstance(value, Unknown) else "not set"
            line = inst.block.attribute_lines.get(name)
            self.note(inst, f"{name} cannot be resolved ({why}): resource left out", line)
            return False
        return True

    def ids(self, inst: ResourceInstance, name: str, *marks: tuple[str, str]) -> tuple[str, ...]:
        """A list of ids; ``marks`` are the (resource id, field) that an unknown element
        leaves unknown."""
        value = inst.get(name, [])
        if value is None:
            return ()  # `subnet_ids = null`: not set
        if isinstance(value, Unknown):
            self.note(
                inst,
                f"{name} cannot be resolved ({value.why})",
                inst.block.attribute_lines.get(name),
            )
            for rid, fld in marks:
                self.marks.mark(rid, fld, inst, name, value.why)
            return ()
        items = value if isinstance(value, list) else [value]
        out = []
        for item in items:
            if isinstance(item, str):
                out.append(item)
            else:
                self.note(
                    inst,
                    f"{name}: an element cannot be resolved",
                    inst.block.attribute_lines.get(name),
                )
                for rid, fld in marks:
                    self.marks.mark(rid, fld, inst, name, why_of(item, "an element is unknown"))
        return tuple(out)

    def name(self, inst: ResourceInstance) -> str:
        tags = inst.get("tags", {})
        if isinstance(tags, dict) and isinstance(tags.get("Name"), str):
            return str(tags["Name"])
        return inst.address

    def tags(self, inst: ResourceInstance) -> dict[str, str]:
        tags = inst.get("tags", {})
        if not isinstance(tags, dict):
            return {}
        return {str(k): str(v) for k, v in tags.items() if isinstance(v, (str, int, bool))}

    def network(self, inst: ResourceInstance, name: str, text: Any) -> IPv4Network | None:
        try:
            return IPv4Network(str(text), strict=True)
        except ValueError as exc:
            line = inst.block.attribute_lines.get(name)
            self.note(inst, f"{name} {text!r} is not a valid IPv4 CIDR block: {exc}", line)
            return None

    # -- resources ------------------------------------------------------------------------

    def build(self) -> Network:
        for step in (
            self.vpcs,
            self.subnets,
            self.gateways,
            self.prefix_lists,
            self.peerings,
            self.route_tables,
            self.security_groups,
            self.nacls,
            self.instances,
            self.autoscaling_groups,
            self.load_balancers,
            self.endpoint_services,
            self.endpoints,
            self.transit_gateways,
        ):
            step()
        for rtype, insts in sorted(self.by_type.items()):
            if rtype in UNSUPPORTED:
                for inst in insts:
                    self.note(inst, f"{rtype} affects reachability but is not modelled by scan yet")
        for p in self.config.providers:
            if account_known(p.account):
                self.net.add_account(Account(p.account, p.key))
        self.marks.attach(self.net)
        return self.net.build()

    def vpcs(self) -> None:
        extra: dict[str, list[IPv4Network]] = {}
        for inst in self.of("aws_vpc_ipv4_cidr_block_association"):
            vpc, cidr = inst.get("vpc_id"), inst.get("cidr_block")
            if self.known(inst, "vpc_id", vpc) and self.known(inst, "cidr_block", cidr):
                net = self.network(inst, "cidr_block", cidr)
                if net is not None:
                    extra.setdefault(vpc, []).append(net)
        for inst in self.of("aws_vpc"):
            cidr = inst.get("cidr_block")
            if "ipv4_ipam_pool_id" in inst.block.attributes and cidr is None:
                cidr = Unknown("allocated from an IPAM pool at apply")
            if not self.known(inst, "cidr_block", cidr):
                continue
            net = self.network(inst, "cidr_block", cidr)
            if net is None:
                continue
            p = inst.provider
            region = p.region if isinstance(p.region, str) else UNKNOWN_REGION
            vid = inst.address
            if isinstance(p.region, Unknown):
                self.marks.mark(vid, "region", inst, "provider", p.region.why, at=p.location)
            if not account_known(p.account):
                self.marks.mark(
                    vid,
                    "account",
                    inst,
                    "provider",
                    f"provider {p.key} does not say its account",
                    at=p.location,
                )
            origin = self.origin(inst)
            name = self.name(inst)
            self.net.add(
                Vpc(
                    vid,
                    name,
                    p.account,
                    region,
                    (net, *extra.get(vid, [])),
                    dns_support=inst.get("enable_dns_support", True) is not False,
                    dns_hostnames=inst.get("enable_dns_hostnames", False) is True,
                    tags=self.tags(inst),
                    origin=origin,
                )
            )
            self.net.add(
                RouteTable(
                    f"{vid}.main_route_table_id",
                    f"{name}_main",
                    vid,
                    tuple(Route(c, "local", "local") for c in (net, *extra.get(vid, []))),
                    main=True,
                    origin=origin,
                )
            )
            self.net.add(
                NetworkAcl(
                    f"{vid}.default_network_acl_id",
                    f"{name}_default",
                    vid,
                    _DEFAULT_NACL,
                    is_default=True,
                    origin=origin,
                )
            )
            sg = f"{vid}.default_security_group_id"
            self.net.add(
                SecurityGroup(
                    sg,
                    f"{name}_default",
                    vid,
                    ingress=(SecurityGroupRule("all", group=sg, description="AWS default"),),
                    egress=(
                        SecurityGroupRule(
                            "all", cidr=IPv4Network("0.0.0.0/0"), description="AWS default"
                        ),
                    ),
                    is_default=True,
                    origin=origin,
                )
            )

    def vpc_of(self, inst: ResourceInstance, name: str = "vpc_id") -> Vpc | None:
        vpc_id = inst.get(name)
        if not self.known(inst, name, vpc_id):
            return None
        vpc = self.net.get_or_none("vpc", str(vpc_id))
        if vpc is None:
            self.note(
                inst,
                f"{name} {vpc_id!r} is not a VPC of this configuration: left out",
                inst.block.attribute_lines.get(name),
            )
        return vpc  # type: ignore[no-any-return]

    def subnets(self) -> None:
        for inst in self.of("aws_subnet"):
            vpc = self.vpc_of(inst)
            cidr = inst.get("cidr_block")
            if vpc is None or not self.known(inst, "cidr_block", cidr):
                continue
            az = inst.get("availability_zone")
            az_id = inst.get("availability_zone_id")
            # One of the two known is enough (terraform-aws-modules/vpc sets one of them by
            # a condition on the other: the condition may be what vpcwire cannot evaluate).
            if isinstance(az_id, Unknown) and isinstance(az, str):
                az_id = None
            if isinstance(az, Unknown) and isinstance(az_id, str):
                az = None
            if isinstance(az, Unknown) or isinstance(az_id, Unknown):
                which = "availability_zone" if isinstance(az, Unknown) else "availability_zone_id"
                self.marks.mark(
                    inst.address,
                    "az",
                    inst,
                    which,
                    why_of(az if which == "availability_zone" else az_id),
                )
                az, az_id = UNKNOWN_AZ, None
            if az is None and az_id is None:
                az = f"{vpc.region}a"  # AWS picks one; any AZ of the region reasons the same
            net = self.network(inst, "cidr_block", cidr)
            if net is None:
                continue
            self.net.add(
                Subnet(
                    inst.address,
                    self.name(inst),
                    vpc.id,
                    net,
                    az if isinstance(az, str) else str(az_id),
                    az_id if isinstance(az_id, str) else None,
                    public=inst.get("map_public_ip_on_launch", False) is True,
                    tags=self.tags(inst),
                    origin=self.origin(inst),
                )
            )

    def gateways(self) -> None:
        for inst in self.of("aws_internet_gateway"):
            vpc = inst.get("vpc_id")
            self.net.add(
                InternetGateway(
                    inst.address,
                    self.name(inst),
                    vpc if isinstance(vpc, str) else None,
                    origin=self.origin(inst),
                )
            )
        for inst in self.of("aws_nat_gateway"):
            subnet = self.net.get_or_none("subnet", str(inst.get("subnet_id")))
            if subnet is None:
                self.note(inst, "subnet_id is not a subnet of this configuration: left out")
                continue
            ip = inst.get("private_ip")
            self.net.add(
                NatGateway(
                    inst.address,
                    self.name(inst),
                    subnet.vpc,
                    subnet.id,
                    _ip(ip),
                    origin=self.origin(inst),
                )
            )

    def prefix_lists(self) -> None:
        entries: dict[str, list[IPv4Network]] = {}
        for inst in self.of("aws_ec2_managed_prefix_list_entry"):
            pl, cidr = inst.get("prefix_list_id"), inst.get("cidr")
            if self.known(inst, "prefix_list_id", pl) and self.known(inst, "cidr", cidr):
                net = self.network(inst, "cidr", cidr)
                if net is not None:
                    entries.setdefault(str(pl), []).append(net)
        for inst in self.of("aws_ec2_managed_prefix_list"):
            cidrs = [
                n
                for e in inst.blocks("entry")
                if isinstance(e.get("cidr"), str)
                and (n := self.network(inst, "entry.cidr", e["cidr"])) is not None
            ]
            cidrs += entries.get(inst.address, [])
            self.net.add(
                PrefixList(inst.address, self.name(inst), tuple(cidrs), origin=self.origin(inst))
            )

    def peerings(self) -> None:
        accepters = {
            str(a.get("vpc_peering_connection_id")): a
            for a in self.of("aws_vpc_peering_connection_accepter")
        }
        options = {
            str(o.get("vpc_peering_connection_id")): o
            for o in self.of("aws_vpc_peering_connection_options")
        }
        for inst in self.of("aws_vpc_peering_connection"):
            req = self.vpc_of(inst, "vpc_id")
            peer_id = inst.get("peer_vpc_id")
            if req is None or not self.known(inst, "peer_vpc_id", peer_id):
                continue
            acc_vpc = self.net.get_or_none("vpc", str(peer_id))
            p = inst.provider
            pid = inst.address
            region = inst.get("peer_region") or req.region
            if isinstance(region, Unknown):
                self.marks.mark(pid, "accepter_region", inst, "peer_region", region.why)
                region = UNKNOWN_REGION
            account = inst.get("peer_owner_id") or p.account
            if isinstance(account, Unknown):
                self.marks.mark(pid, "accepter_account", inst, "peer_owner_id", account.why)
                account = f"(account of peer_owner_id of {pid})"
            elif not account_known(str(account)):
                self.marks.mark(
                    pid,
                    "accepter_account",
                    inst,
                    "peer_owner_id",
                    f"provider {p.key} does not say its account",
                    at=p.location,
                )
            accepter = accepters.get(inst.address)
            auto_value = inst.get("auto_accept", False)
            auto = auto_value is True
            undecided = isinstance(auto_value, Unknown)
            if accepter is not None:
                accepted = accepter.get("auto_accept", False)
                auto = auto or accepted is True
                undecided = undecided or isinstance(accepted, Unknown)
                where = accepter.provider
                wrong = [
                    f"region {where.region} (the peering's accepter side is {region})"
                    for _ in [0]
                    if isinstance(where.region, str)
                    and region != UNKNOWN_REGION
                    and where.region != region
                ] + [
                    f"account {where.account} (the accepter side is {account})"
                    for _ in [0]
                    if same_account(where.account, str(account)) is False
                ]
                # Only when the request itself is right (else VW-E206 on the peering says it).
                request_right = (
                    acc_vpc is not None
                    and acc_vpc.region == region
                    and same_account(acc_vpc.account, str(account)) is not False
                )
                if wrong and request_right:
                    self.config.fault(
                        "VW-E206",
                        accepter.location,
                        accepter.address,
                        f"accepter {accepter.address} runs under provider {where.key} in "
                        + " and ".join(wrong)
                        + ": it never finds the peering, which stays pending-acceptance",
                        f"give {accepter.address} the provider of the accepter VPC "
                        f"({region}, account {account})",
                    )
                    auto = False
            same_place = same_account(str(account), req.account)
            same = region == req.region and same_place is True
            status = "active" if auto and (same or accepter is not None) else "pending-acceptance"
            if (
                status != "active"
                and accepter is None
                and (undecided or (auto and same_place is None) or region == UNKNOWN_REGION)
            ):
                self.marks.mark(
                    pid,
                    "status",
                    inst,
                    "auto_accept",
                    "whether AWS accepts the peering depends on an unknown value "
                    "(auto_accept, or whether both VPCs share an account and region)",
                )
            elif status != "active" and undecided:
                self.marks.mark(pid, "status", inst, "auto_accept", why_of(auto_value))
            opt = options.get(inst.address)
            req_dns = acc_dns = False
            for source in ([inst, accepter] if accepter else [inst]) + ([opt] if opt else []):
                for b in source.blocks("requester"):
                    req_dns = req_dns or b.get("allow_remote_vpc_dns_resolution") is True
                for b in source.blocks("accepter"):
                    acc_dns = acc_dns or b.get("allow_remote_vpc_dns_resolution") is True
            self.net.add(
                PeeringConnection(
                    inst.address,
                    self.name(inst),
                    req.id,
                    str(peer_id),
                    req.account,
                    str(account),
                    req.region,
                    str(region),
                    status,
                    req.cidrs,
                    acc_vpc.cidrs if acc_vpc is not None else (),
                    req_dns,
                    acc_dns,
                    origin=self.origin(inst),
                )
            )

    def route_tables(self) -> None:
        tables: dict[str, RouteTable] = {rt.id: rt for rt in self.net.all("route_table")}
        for inst in self.of("aws_route_table") + self.of("aws_default_route_table"):
            if inst.type == "aws_default_route_table":
                table_id = inst.get("default_route_table_id")
                base = tables.get(str(table_id))
                if base is None:
                    self.note(inst, "default_route_table_id is not a VPC of this configuration")
                    continue
                vpc = self.net.get("vpc", base.vpc)
            else:
                vpc = self.vpc_of(inst)
                if vpc is None:
                    continue
                table_id = inst.address
                base = RouteTable(
                    inst.address,
                    self.name(inst),
                    vpc.id,
                    tuple(Route(c, "local", "local") for c in vpc.cidrs),
                    origin=self.origin(inst),
                )
            routes = list(base.routes)
            for r in inst.blocks("route"):
                route = self.route(inst, r, str(table_id))
                if route is not None:
                    routes.append(route)
            tables[str(table_id)] = replace(base, routes=tuple(routes), origin=self.origin(inst))
        for inst in self.of("aws_route"):
            table = tables.get(str(inst.get("route_table_id")))
            if table is None:
                self.note(
                    inst,
                    f"route_table_id {inst.get('route_table_id')} is not a route table "
                    "of this configuration: route left out",
                )
                continue
            route = self.route(inst, inst.arguments(), table.id)
            if route is not None:
                tables[table.id] = replace(table, routes=(*table.routes, route))
        for inst in self.of("aws_route_table_association"):
            table = tables.get(str(inst.get("route_table_id")))
            subnet = inst.get("subnet_id")
            if table is None or not isinstance(subnet, str):
                if inst.get("gateway_id") is None:
                    self.note(inst, "association cannot be resolved: left out")
                    self.association_unknown(inst, table, subnet)
                continue
            tables[table.id] = replace(table, subnets=(*table.subnets, subnet))
        for inst in self.of("aws_main_route_table_association"):
            table = tables.get(str(inst.get("route_table_id")))
            if table is None:
                continue
            for other in list(tables.values()):
                if other.vpc == table.vpc and other.main:
                    tables[other.id] = replace(other, main=False)
            tables[table.id] = replace(tables[table.id], main=True)
        self.unexpanded_routes(tables)
        for table in tables.values():
            self.net.put(table)

    def unexpanded_routes(self, tables: dict[str, RouteTable]) -> None:
        """Route and association blocks whose count/for_each is unknown add routes (or
        subnets) to tables nobody can name before apply: any table may be one of them."""
        for rtype, field in (("aws_route", "routes"), ("aws_route_table_association", "subnets")):
            for rb in unexpanded(self.config, rtype):
                first = ResourceInstance(rb, rb.address, {})
                why = f"{rb.address} makes an unknown number of {field}: {why_of(rb.value())}"
                for table in tables:
                    self.marks.mark(table, field, first, "count", why)

    def association_unknown(
        self, inst: ResourceInstance, table: RouteTable | None, subnet: Any
    ) -> None:
        """An association that cannot be resolved leaves unknown which subnets its table
        routes (table known) or which table routes its subnet (subnet known: the VPC's main
        table routes it meanwhile, so that table is what is unknown)."""
        if table is not None:
            self.marks.mark(table.id, "subnets", inst, "subnet_id", why_of(subnet))
            return
        known = self.net.get_or_none("subnet", str(subnet)) if isinstance(subnet, str) else None
        if known is not None:
            why = why_of(inst.get("route_table_id"), "route_table_id is not resolved")
            self.marks.mark(
                f"{known.vpc}.main_route_table_id", "subnets", inst, "route_table_id", why
            )

    def route(
        self, inst: ResourceInstance, r: dict[str, Any], table: str | None = None
    ) -> Route | None:
        """One route; None when it cannot be modelled, and then ``table``'s routes are
        marked unknown if what is missing is an unknown value."""
        route = self._route(inst, r)
        if route is None and table is not None:
            for key in _ROUTE_KEYS:
                value = r.get(key)
                if isinstance(value, Unknown):
                    line = r.get("__line__")
                    self.marks.mark(table, "routes", inst, key, value.why, line=line)
                    break
        return route

    def _route(self, inst: ResourceInstance, r: dict[str, Any]) -> Route | None:
        dest = r.get("destination_cidr_block") or r.get("cidr_block")
        prefix_list = r.get("destination_prefix_list_id")
        if dest is None and prefix_list is None:
            if r.get("destination_ipv6_cidr_block") or r.get("ipv6_cidr_block"):
                return None  # IPv6 is outside vpcwire's model
            self.note(inst, "route without an IPv4 destination: left out")
            return None
        if isinstance(dest, Unknown) or isinstance(prefix_list, Unknown):
            self.note(inst, "route destination cannot be resolved: left out")
            return None
        targets: list[tuple[str, RouteTarget]] = [
            ("vpc_peering_connection_id", "peering"),
            ("gateway_id", "internet_gateway"),
            ("nat_gateway_id", "nat_gateway"),
            ("transit_gateway_id", "transit_gateway"),
            ("network_interface_id", "network_interface"),
            ("vpc_endpoint_id", "gateway_endpoint"),
        ]
        for key, kind in targets:
            value = r.get(key)
            if value is None:
                continue
            if isinstance(value, Unknown):
                self.note(inst, f"route target {key} cannot be resolved: left out")
                return None
            if key == "gateway_id" and str(value) == "local":
                kind = "local"
            elif key == "gateway_id" and str(value) in self.net_ids("nat_gateway"):
                kind = "nat_gateway"  # the API takes a NAT gateway's id as gateway_id too
            try:
                net = ip_network(str(dest), strict=False) if dest is not None else None
            except ValueError:
                self.note(inst, f"route destination {dest!r} is not a CIDR block: left out")
                return None
            return Route(
                net if isinstance(net, IPv4Network) else None,
                str(value),
                kind,
                prefix_list=str(prefix_list) if prefix_list else None,
                origin=self.origin(inst),
            )
        self.note(inst, "route target is not modelled (only peering, gateways, NAT, TGW, ENI)")
        return None

    def security_groups(self) -> None:
        groups: dict[str, SecurityGroup] = {}
        for inst in self.of("aws_security_group"):
            vpc = self.vpc_of(inst)
            if vpc is None:
                continue
            ingress = [
                r for b in inst.blocks("ingress") for r in self.sg_rules(inst, b, inst.address)
            ]
            egress = [
                r
                for b in inst.blocks("egress")
                for r in self.sg_rules(inst, b, inst.address, side="egress")
            ]
            self.dynamic_unknown(inst, inst.address, "ingress", "egress")
            name = inst.get("name")
            tags = self.tags(inst)
            shown = tags.get("Name") or (name if isinstance(name, str) else inst.address)
            groups[inst.address] = SecurityGroup(
                inst.address,
                shown,
                vpc.id,
                tuple(ingress),
                tuple(egress),
                tags=tags,
                origin=self.origin(inst),
            )
        for inst in self.of("aws_default_security_group"):
            vpc = self.vpc_of(inst)
            if vpc is None:
                continue
            sg_id = f"{vpc.id}.default_security_group_id"
            ingress = [r for b in inst.blocks("ingress") for r in self.sg_rules(inst, b, sg_id)]
            egress = [
                r
                for b in inst.blocks("egress")
                for r in self.sg_rules(inst, b, sg_id, side="egress")
            ]
            self.dynamic_unknown(inst, sg_id, "ingress", "egress")
            groups[sg_id] = SecurityGroup(
                sg_id,
                self.name(inst) if "tags" in inst.block.attributes else f"{vpc.name}_default",
                vpc.id,
                tuple(ingress),
                tuple(egress),
                is_default=True,
                origin=self.origin(inst),
            )
        for sg in self.net.all("security_group"):
            groups.setdefault(sg.id, sg)
        for inst in self.of("aws_security_group_rule"):
            sg_id = str(inst.get("security_group_id"))
            if sg_id not in groups:
                self.note(inst, f"security_group_id {sg_id} is not a group of this configuration")
                continue
            values = inst.arguments()
            side = "egress" if values.get("type") == "egress" else "ingress"
            rules = self.sg_rules(
                inst, values, sg_id, source_key="source_security_group_id", side=side
            )
            sg = groups[sg_id]
            if values.get("type") == "egress":
                groups[sg_id] = replace(sg, egress=(*sg.egress, *rules))
            else:
                groups[sg_id] = replace(sg, ingress=(*sg.ingress, *rules))
        for rtype, side in (
            ("aws_vpc_security_group_ingress_rule", "ingress"),
            ("aws_vpc_security_group_egress_rule", "egress"),
        ):
            for inst in self.of(rtype):
                sg_id = str(inst.get("security_group_id"))
                if sg_id not in groups:
                    self.note(
                        inst, f"security_group_id {sg_id} is not a group of this configuration"
                    )
                    continue
                rule = self.vpc_sg_rule(inst)
                if rule is None:
                    keys: tuple[str, ...] = ("cidr_ipv4", "referenced_security_group_id")
                    keys += ("prefix_list_id", "ip_protocol", "from_port", "to_port")
                    peer = [inst.get(k) for k in keys]
                    unknown = next((v for v in peer if isinstance(v, Unknown)), None)
                    if unknown is not None:
                        self.marks.mark(sg_id, side, inst, "cidr_ipv4", unknown.why)
                    continue
                sg = groups[sg_id]
                if side == "ingress":
                    groups[sg_id] = replace(sg, ingress=(*sg.ingress, rule))
                else:
                    groups[sg_id] = replace(sg, egress=(*sg.egress, rule))
        for sg in groups.values():
            self.net.put(sg)

    def sg_rules(
        self,
        inst: ResourceInstance,
        b: dict[str, Any],
        self_id: str,
        source_key: str = "security_groups",
        side: str = "ingress",
    ) -> list[SecurityGroupRule]:
        unknown = _first_unknown(b, "protocol", "from_port", "to_port")
        if unknown is not None:
            ukey, uval = unknown
            line = b.get("__line__")
            self.note(inst, f"{ukey} cannot be resolved ({uval.why}): rule left out", line)
            self.marks.mark(self_id, side, inst, ukey, uval.why, line=line)
            return []
        proto = _protocol(b.get("protocol"))
        if proto is None:
            self.note(
                inst,
                f"protocol {b.get('protocol')!r} is not modelled: rule left out",
                b.get("__line__"),
            )
            return []
        ports = _ports(proto, b.get("from_port"), b.get("to_port"))
        if not _ports_valid(proto, ports):
            self.note(inst, f"ports {ports} are not valid ports: rule left out", b.get("__line__"))
            return []
        desc = str(b.get("description") or "")
        out: list[SecurityGroupRule] = []
        for key in ("cidr_blocks", source_key, "prefix_list_ids"):
            value = b.get(key)
            if value is None:
                continue
            if isinstance(value, Unknown):
                self.note(
                    inst,
                    f"{key} cannot be resolved ({value.why}): rule left out",
                    b.get("__line__"),
                )
                self.marks.mark(self_id, side, inst, key, value.why, line=b.get("__line__"))
                continue
            for peer in value if isinstance(value, list) else [value]:
                if isinstance(peer, Unknown) or peer is None:
                    self.note(inst, f"{key}: an element cannot be resolved", b.get("__line__"))
                    why = why_of(peer, "an element is null")
                    self.marks.mark(self_id, side, inst, key, why, line=b.get("__line__"))
                elif key == "cidr_blocks":
                    net = _cidr(peer)
                    if net is None:
                        self.note(inst, f"cidr_blocks: {peer!r} is not a CIDR block: left out")
                    elif isinstance(net, IPv4Network):
                        out.append(SecurityGroupRule(proto, ports, cidr=net, description=desc))
                elif key == "prefix_list_ids":
                    out.append(
                        SecurityGroupRule(proto, ports, prefix_list=str(peer), description=desc)
                    )
                else:
                    out.append(SecurityGroupRule(proto, ports, group=str(peer), description=desc))
        if b.get("self") is True:
            out.append(SecurityGroupRule(proto, ports, group=self_id, description=desc))
        return out

    def dynamic_unknown(
        self, inst: ResourceInstance, rid: str, *kinds: str, field: str | None = None
    ) -> None:
        """A ``dynamic`` block whose for_each is unknown makes an unknown number of nested
        blocks (rules, entries): the field they fill is unknown."""
        m = inst.rb.module
        for nested in inst.block.blocks:
            if nested.type == "dynamic" and nested.labels and nested.labels[0] in kinds:
                each = m.eval_attr(nested, "for_each", [], inst.bound)
                if isinstance(each, Unknown):
                    kind = nested.labels[0]
                    self.marks.mark(rid, field or kind, inst, kind, each.why, line=nested.line)

    def vpc_sg_rule(self, inst: ResourceInstance) -> SecurityGroupRule | None:
        unknown = _first_unknown(
            {k: inst.get(k) for k in ("ip_protocol", "from_port", "to_port")},
            "ip_protocol",
            "from_port",
            "to_port",
        )
        if unknown is not None:
            self.note(inst, f"{unknown[0]} cannot be resolved ({unknown[1].why}): rule left out")
            return None  # the caller marks the group's side unknown
        proto = _protocol(inst.get("ip_protocol"))
        if proto is None:
            self.note(
                inst, f"ip_protocol {inst.get('ip_protocol')!r} is not modelled: rule left out"
            )
            return None
        ports = _ports(proto, inst.get("from_port"), inst.get("to_port"))
        if not _ports_valid(proto, ports):
            self.note(inst, f"ports {ports} are not valid ports: rule left out")
            return None
        desc = str(inst.get("description") or "")
        cidr, group, pl = (
            inst.get("cidr_ipv4"),
            inst.get("referenced_security_group_id"),
            inst.get("prefix_list_id"),
        )
        if any(isinstance(v, Unknown) for v in (cidr, group, pl)):
            self.note(inst, "the rule's peer cannot be resolved: rule left out")
            return None
        if cidr is not None:
            net = _cidr(cidr)
            if not isinstance(net, IPv4Network):
                self.note(inst, f"cidr_ipv4 {cidr!r} is not an IPv4 CIDR block: rule left out")
                return None
            return SecurityGroupRule(proto, ports, cidr=net, description=desc)
        if group is not None:
            return SecurityGroupRule(proto, ports, group=str(group), description=desc)
        if pl is not None:
            return SecurityGroupRule(proto, ports, prefix_list=str(pl), description=desc)
        if inst.get("cidr_ipv6") is None:
            self.note(inst, "rule without a peer: left out")
        return None

    def nacls(self) -> None:
        acls: dict[str, NetworkAcl] = {a.id: a for a in self.net.all("network_acl")}
        for inst in self.of("aws_network_acl") + self.of("aws_default_network_acl"):
            if inst.type == "aws_default_network_acl":
                acl_id = str(inst.get("default_network_acl_id"))
                base = acls.get(acl_id)
                if base is None:
                    self.note(inst, "default_network_acl_id is not a VPC of this configuration")
                    continue
            else:
                vpc = self.vpc_of(inst)
                if vpc is None:
                    continue
                acl_id = inst.address
                base = NetworkAcl(acl_id, self.name(inst), vpc.id, ())
            entries = [
                e
                for side in ("ingress", "egress")
                for b in inst.blocks(side)
                if (e := self.nacl_entry(inst, b, egress=side == "egress", acl=acl_id)) is not None
            ]
            entries += [
                NaclEntry(32767, eg, False, "all", IPv4Network("0.0.0.0/0")) for eg in (False, True)
            ]
            self.dynamic_unknown(inst, acl_id, "ingress", "egress", field="entries")
            subnets = self.ids(inst, "subnet_ids", (acl_id, "subnets"))
            acls[acl_id] = replace(
                base, entries=tuple(entries), subnets=subnets, origin=self.origin(inst)
            )
        for inst in self.of("aws_network_acl_rule"):
            acl = acls.get(str(inst.get("network_acl_id")))
            if acl is None:
                self.note(inst, "network_acl_id is not an ACL of this configuration")
                continue
            values = inst.arguments()
            values["action"] = values.get("rule_action")
            values["rule_no"] = values.get("rule_number")  # the rule resource's own name
            entry = self.nacl_entry(inst, values, egress=values.get("egress") is True, acl=acl.id)
            if entry is not None:
                acls[acl.id] = replace(acl, entries=(*acl.entries, entry))
        for inst in self.of("aws_network_acl_association"):
            acl = acls.get(str(inst.get("network_acl_id")))
            subnet = inst.get("subnet_id")
            if acl is not None and isinstance(subnet, str):
                acls[acl.id] = replace(acl, subnets=(*acl.subnets, subnet))
        for acl in acls.values():
            self.net.put(acl)

    def nacl_entry(
        self, inst: ResourceInstance, b: dict[str, Any], *, egress: bool, acl: str = ""
    ) -> NaclEntry | None:
        proto = _protocol(b.get("protocol"))
        cidr = b.get("cidr_block")
        if cidr is None and b.get("ipv6_cidr_block") is not None:
            return None  # IPv6 is outside vpcwire's model
        if not isinstance(_cidr(cidr), IPv4Network):
            cidr = None  # not a CIDR block (or IPv6): the entry cannot be modelled
        if _first_unknown(b, "from_port", "to_port", "action") is not None:
            proto = None  # an entry whose ports or action are unknown is left out, marked
        rule_no = _int(b.get("rule_no"))
        if proto is None or not isinstance(cidr, str) or rule_no is None:
            self.note(inst, "network ACL entry cannot be resolved: left out", b.get("__line__"))
            why = next(
                (why_of(v) for v in b.values() if isinstance(v, Unknown)),
                "the entry's protocol, cidr_block or rule_no is not modelled",
            )
            self.marks.mark(acl, "entries", inst, "cidr_block", why, line=b.get("__line__"))
            return None
        ports = (
            None
            if proto in ("all", "icmp")
            else _ports(proto, b.get("from_port"), b.get("to_port"))
        )
        if not _ports_valid(proto, ports):
            self.note(inst, f"ports {ports} are not valid ports: left out", b.get("__line__"))
            return None
        return NaclEntry(
            rule_no,
            egress,
            str(b.get("action")).lower() == "allow",
            proto,
            IPv4Network(cidr, strict=False),
            ports,
        )

    def instances(self) -> None:
        for inst in self.of("aws_instance"):
            subnet = self.net.get_or_none("subnet", str(inst.get("subnet_id")))
            if subnet is None:
                self.note(
                    inst,
                    "subnet_id is not a subnet of this configuration (or unknown): "
                    "instance left out",
                    inst.block.attribute_lines.get("subnet_id"),
                )
                continue
            eni = f"{inst.address}.primary_network_interface_id"
            groups = self.ids(inst, "vpc_security_group_ids", (eni, "security_groups")) or (
                f"{subnet.vpc}.default_security_group_id",
            )
            name = self.name(inst)
            tags = self.tags(inst)
            self.net.add(
                NetworkInterface(
                    eni,
                    name,
                    subnet.vpc,
                    subnet.id,
                    _ip(inst.get("private_ip")),
                    groups,
                    "instance",
                    inst.address,
                    origin=self.origin(inst),
                )
            )
            self.net.add(
                Instance(
                    inst.address,
                    name,
                    subnet.vpc,
                    subnet.id,
                    eni,
                    role=tags.get("vpcwire:role", ""),
                    tags=tags,
                    origin=self.origin(inst),
                )
            )

    def autoscaling_groups(self) -> None:
        """An autoscaling group's instances do not exist before apply, but where they run and
        with which security groups does: one stands for the group in each of its subnets
        (``vpc_zone_identifier``), with its launch template's (or configuration's) groups, so
        the target groups the group feeds have targets that reason like the real ones."""
        templates = {
            key: t
            for t in self.of("aws_launch_template") + self.of("aws_launch_configuration")
            for key in (t.address, t.get("name"))
            if isinstance(key, str)
        }
        for asg in self.of("aws_autoscaling_group"):
            size = [asg.get(k) for k in ("desired_capacity", "min_size", "max_size")]
            if all(isinstance(n, int) and n == 0 for n in size[1:]):
                continue
            groups = self.launch_groups(asg, templates)
            members = []
            for sid in self.ids(asg, "vpc_zone_identifier"):
                subnet = self.net.get_or_none("subnet", sid)
                if subnet is None:
                    self.note(
                        asg, f"vpc_zone_identifier {sid} is not a subnet of this configuration"
                    )
                    continue
                iid = f"{asg.address}:{sid}"
                eni = f"{iid}.primary_network_interface_id"
                origin = self.origin(asg)
                self.net.add(
                    NetworkInterface(
                        eni,
                        self.name(asg),
                        subnet.vpc,
                        subnet.id,
                        None,
                        groups or (f"{subnet.vpc}.default_security_group_id",),
                        "instance",
                        iid,
                        origin=origin,
                    )
                )
                self.net.add(
                    Instance(iid, self.name(asg), subnet.vpc, subnet.id, eni, origin=origin)
                )
                members.append(iid)
            for key in (asg.address, asg.get("name")):
                if isinstance(key, str):
                    self.asg_members[key] = members

    def launch_groups(
        self, asg: ResourceInstance, templates: dict[str, ResourceInstance]
    ) -> tuple[str, ...]:
        """The security groups an autoscaling group's instances get from what launches them."""
        refs = [asg.get("launch_configuration")]
        for spec in asg.blocks("launch_template"):
            refs += [spec.get("id"), spec.get("name")]
        for policy in asg.blocks("mixed_instances_policy"):
            for lt in policy.get("launch_template", []) or []:
                for spec in lt.get("launch_template_specification", []) or []:
                    refs += [spec.get("launch_template_id"), spec.get("launch_template_name")]
        template = next((templates[r] for r in refs if isinstance(r, str) and r in templates), None)
        if template is None:
            if any(r is not None for r in refs):
                self.note(
                    asg,
                    "its launch template is not one of this configuration: "
                    "its instances get the VPC's default security group",
                )
            return ()
        if template.type == "aws_launch_configuration":
            return self.ids(template, "security_groups")
        groups = self.ids(template, "vpc_security_group_ids")
        for nic in template.blocks("network_interfaces"):
            value = nic.get("security_groups")
            if isinstance(value, list):
                groups += tuple(str(g) for g in value if isinstance(g, str))
        return groups

    def load_balancers(self) -> None:
        for inst in self.of("aws_lb") + self.of("aws_alb"):
            kind = inst.get("load_balancer_type", "application")
            subnets = list(self.ids(inst, "subnets", (inst.address, "subnets")))
            subnets += [str(m.get("subnet_id")) for m in inst.blocks("subnet_mapping")]
            known = [self.net.get_or_none("subnet", s) for s in subnets]
            found = [s for s in known if s is not None]
            if not found:
                self.note(inst, "no subnet of this configuration: load balancer left out")
                continue
            vpc = found[0].vpc
            enis = []
            for s in found:
                eni = f"{inst.address}:{s.id}"
                enis.append(eni)
                self.net.add(
                    NetworkInterface(
                        eni,
                        "",
                        s.vpc,
                        s.id,
                        None,
                        self.ids(inst, "security_groups", (eni, "security_groups")),
                        "load_balancer",
                        inst.address,
                        origin=self.origin(inst),
                    )
                )
            enforce = inst.get("enforce_security_group_inbound_rules_on_private_link_traffic", "on")
            self.net.add(
                LoadBalancer(
                    inst.address,
                    self.name(inst),
                    vpc,
                    tuple(s.id for s in found),
                    tuple(enis),
                    internal=inst.get("internal", False) is True,
                    kind=kind if kind in ("network", "application", "gateway") else "network",
                    security_groups=self.ids(
                        inst, "security_groups", (inst.address, "security_groups")
                    ),
                    enforce_sg_on_privatelink=str(enforce).lower() != "off",
                    cross_zone=inst.get("enable_cross_zone_load_balancing", kind != "network")
                    is True,
                    origin=self.origin(inst),
                )
            )
        targets: dict[str, list[Target]] = {}
        for inst in self.of("aws_lb_target_group_attachment"):
            tg, tid = inst.get("target_group_arn"), inst.get("target_id")
            if not self.known(inst, "target_group_arn", tg) or not self.known(
                inst, "target_id", tid
            ):
                self.targets_unknown(inst, tg, tid)
                continue
            port = _int(inst.get("port"))
            az = inst.get("availability_zone")
            for name, value in (("port", port), ("availability_zone", az)):
                if isinstance(value, Unknown):
                    self.marks.mark(str(tg), "targets", inst, name, value.why)
            targets.setdefault(str(tg), []).append(
                Target(
                    str(tid),
                    port if isinstance(port, int) and 0 <= port <= 65535 else None,
                    az if isinstance(az, str) else None,
                )
            )
        for asg in self.of("aws_autoscaling_group"):
            for tg in self.ids(asg, "target_group_arns"):
                members = self.asg_members.get(asg.address, [])
                targets.setdefault(tg, []).extend(Target(m) for m in members)
        for inst in self.of("aws_autoscaling_attachment"):
            name = inst.get("autoscaling_group_name")
            tg = inst.get("lb_target_group_arn") or inst.get("alb_target_group_arn")
            if not self.known(inst, "autoscaling_group_name", name) or not self.known(
                inst, "lb_target_group_arn", tg
            ):
                continue
            if str(name) not in self.asg_members:
                self.note(inst, f"autoscaling group {name} is not one of this configuration")
                continue
            targets.setdefault(str(tg), []).extend(Target(m) for m in self.asg_members[str(name)])
        for inst in self.of("aws_lb_target_group"):
            ttype = inst.get("target_type", "instance")
            vpc = self.vpc_of(inst)
            if vpc is None or ttype not in ("instance", "ip"):
                if ttype not in ("instance", "ip"):
                    self.note(inst, f"target_type {ttype!r} is not modelled: left out")
                continue
            pci = inst.get("preserve_client_ip")
            self.registered_elsewhere(inst.address, instance_targets=ttype == "instance")
            port, protocol = inst.get("port", 0), inst.get("protocol", "TCP")
            for name, value in (("port", port), ("protocol", protocol)):
                if isinstance(value, Unknown):
                    self.marks.mark(inst.address, name, inst, name, value.why)
            port = port if isinstance(port, int) else 0
            registered = targets.get(inst.address, [])
            if ttype != "instance":
                # an autoscaling group registers instances, never addresses: AWS refuses to
                # attach it to an ip target group, so its stand-ins are no targets here
                asg_ids = {m for ms in self.asg_members.values() for m in ms}
                registered = [t for t in registered if t.id not in asg_ids]
            self.net.add(
                TargetGroup(
                    inst.address,
                    self.name(inst),
                    vpc.id,
                    _lb_protocol(protocol),
                    _port(inst.get("port", 0)),
                    ttype,
                    tuple(registered),
                    preserve_client_ip=None if pci is None else str(pci).lower() == "true",
                    origin=self.origin(inst),
                )
            )
        for inst in self.of("aws_lb_listener") + self.of("aws_alb_listener"):
            lb = inst.get("load_balancer_arn")
            if not self.known(inst, "load_balancer_arn", lb):
                for other in self.of("aws_lb") + self.of("aws_alb"):
                    why = why_of(lb, "load_balancer_arn is not set")
                    self.marks.mark(other.address, "listeners", inst, "load_balancer_arn", why)
                continue
            forward: str | None = None
            for action in inst.blocks("default_action"):
                if isinstance(action.get("target_group_arn"), str):
                    forward = action["target_group_arn"]
                for fwd in _dicts(action.get("forward")):
                    for group in _dicts(fwd.get("target_group")):
                        if isinstance(group.get("arn"), str):
                            forward = forward or group["arn"]
            port = _int(inst.get("port"))
            if port is None or not 0 <= port <= 65535:
                self.note(inst, "listener port cannot be resolved: left out")
                self.marks.mark(str(lb), "listeners", inst, "port", why_of(port, "port not set"))
                continue
            self.net.add(
                Listener(
                    inst.address,
                    self.name(inst),
                    str(lb),
                    port,
                    _lb_protocol(inst.get("protocol", "TCP")),
                    forward,
                    origin=self.origin(inst),
                )
            )

    def targets_unknown(self, inst: ResourceInstance, group: Any, target: Any) -> None:
        """An attachment that cannot be resolved: its group's targets are unknown, or, when
        the group itself is, the targets of every group (any of them may be the one)."""
        if isinstance(group, str):
            self.marks.mark(
                group, "targets", inst, "target_id", why_of(target, "target_id is unknown")
            )
            return
        for tg in self.of("aws_lb_target_group"):
            self.marks.mark(
                tg.address,
                "targets",
                inst,
                "target_group_arn",
                why_of(group, "target_group_arn is unknown"),
            )

    def registered_elsewhere(self, group: str, *, instance_targets: bool = True) -> None:
        """Targets that only exist at run time (an autoscaling group registers the instances
        it launches) or attachments whose count is unknown: the group's targets are unknown."""
        why = "registered at run time by autoscaling group {} (its instances do not exist before apply)"
        # A group modelled by autoscaling_groups() (one stand-in per subnet, with its launch
        # template's security groups) is known: every instance it launches reasons alike.
        for asg in self.of("aws_autoscaling_group"):
            arns = asg.get("target_group_arns")
            modelled = instance_targets and bool(self.asg_members.get(asg.address))
            if isinstance(arns, Unknown) or (
                isinstance(arns, list) and group in arns and not modelled
            ):
                self.marks.mark(group, "targets", asg, "target_group_arns", why.format(asg.address))
        for att in self.of("aws_autoscaling_attachment") + self.of(
            "aws_autoscaling_traffic_source_attachment"
        ):
            arn = att.get("lb_target_group_arn")
            for block in att.blocks("traffic_source"):
                arn = arn or block.get("identifier")
            name = att.get("autoscaling_group_name")
            modelled = (
                instance_targets and isinstance(name, str) and bool(self.asg_members.get(name))
            )
            if arn is None or isinstance(arn, Unknown) or (arn == group and not modelled):
                self.marks.mark(
                    group,
                    "targets",
                    att,
                    "lb_target_group_arn",
                    why.format(att.get("autoscaling_group_name")),
                )
        for rb in unexpanded(self.config, "aws_lb_target_group_attachment"):
            why_count = why_of(rb.value())
            first = ResourceInstance(rb, rb.address, {})
            self.marks.mark(
                group,
                "targets",
                first,
                "count",
                f"how many attachments {rb.address} makes: {why_count}",
            )

    def endpoint_services(self) -> None:
        extra: dict[str, list[str]] = {}
        for inst in self.of("aws_vpc_endpoint_service_allowed_principal"):
            extra.setdefault(str(inst.get("vpc_endpoint_service_id")), []).append(
                str(inst.get("principal_arn"))
            )
        for inst in self.of("aws_vpc_endpoint_service"):
            p = inst.provider
            sid = inst.address
            raw = inst.get("allowed_principals", []) or []
            if not isinstance(raw, list) or not all(isinstance(x, str) for x in raw):
                self.marks.mark(
                    sid,
                    "allowed_principals",
                    inst,
                    "allowed_principals",
                    why_of(
                        raw
                        if isinstance(raw, Unknown)
                        else next((x for x in raw if not isinstance(x, str)), None),
                        "an element is unknown",
                    ),
                )
            principals = (
                [str(x) for x in raw if isinstance(x, str)] if isinstance(raw, list) else []
            )
            required = inst.get("acceptance_required", True)
            if isinstance(required, Unknown):
                self.marks.mark(
                    sid, "acceptance_required", inst, "acceptance_required", required.why
                )
            if not account_known(p.account):
                self.marks.mark(
                    sid,
                    "account",
                    inst,
                    "provider",
                    f"provider {p.key} does not say its account",
                    at=p.location,
                )
            principals += extra.get(inst.address, [])
            regions = inst.get("supported_regions", []) or []
            private_dns = inst.get("private_dns_name")
            self.net.add(
                EndpointService(
                    inst.address,
                    self.name(inst),
                    f"{inst.address}.service_name",
                    p.account,
                    p.region if isinstance(p.region, str) else "unknown",
                    self.ids(inst, "network_load_balancer_arns", (sid, "load_balancers")),
                    acceptance_required=required is not False,
                    allowed_principals=tuple(principals),
                    supported_regions=tuple(
                        str(r)
                        for r in (regions if isinstance(regions, list) else ())
                        if isinstance(r, str)
                    ),
                    # what the data plane answers for endpoints with private DNS enabled
                    private_dns_name=private_dns if isinstance(private_dns, str) else None,
                    origin=self.origin(inst),
                )
            )

    def endpoints(self) -> None:
        accepted = {
            str(a.get("vpc_endpoint_id")) for a in self.of("aws_vpc_endpoint_connection_accepter")
        }
        extra_subnets: dict[str, list[str]] = {}
        for inst in self.of("aws_vpc_endpoint_subnet_association"):
            extra_subnets.setdefault(str(inst.get("vpc_endpoint_id")), []).append(
                str(inst.get("subnet_id"))
            )
        extra_groups: dict[str, list[str]] = {}
        for inst in self.of("aws_vpc_endpoint_security_group_association"):
            extra_groups.setdefault(str(inst.get("vpc_endpoint_id")), []).append(
                str(inst.get("security_group_id"))
            )
        for inst in self.of("aws_vpc_endpoint"):
            vpc = self.vpc_of(inst)
            service = inst.get("service_name")
            if vpc is None:
                continue
            if isinstance(service, Unknown) or service is None:
                # Kept, with its service unknown: its interfaces and groups are still there.
                self.note(
                    inst,
                    f"service_name cannot be resolved ({why_of(service, 'not set')}): "
                    "the endpoint is not linked to a service",
                    inst.block.attribute_lines.get("service_name"),
                )
                self.marks.mark(
                    inst.address, "service_name", inst, "service_name", why_of(service, "not set")
                )
                service = f"(unknown service of {inst.address})"
            kind = inst.get("vpc_endpoint_type", "Gateway")
            subnets = (
                *self.ids(inst, "subnet_ids", (inst.address, "subnets")),
                *extra_subnets.get(inst.address, []),
            )
            groups = (
                *self.ids(inst, "security_group_ids", (inst.address, "security_groups")),
                *extra_groups.get(inst.address, []),
            )
            if kind == "Interface" and not groups and inst.get("security_group_ids") is None:
                groups = (f"{vpc.id}.default_security_group_id",)  # what AWS does
            svc = self.net_service(str(service))
            if svc is not None:
                service = svc.service_name
            elif ".aws_vpc_endpoint_service." in f".{service}":
                self.note(
                    inst,
                    f"service_name {service!r} names an endpoint service of this configuration "
                    "in a form scan does not recognise: the endpoint is not linked to it",
                    inst.block.attribute_lines.get("service_name"),
                )
            state = "available"
            auto = inst.get("auto_accept", False)
            owner = same_account(inst.provider.account, svc.account) if svc is not None else None
            if svc is not None and auto is True and owner is True:
                accepted.add(inst.address)  # the owner's own endpoint accepts itself
            if svc is not None and svc.acceptance_required and inst.address not in accepted:
                state = "pendingAcceptance"
                if isinstance(auto, Unknown) or (auto is True and owner is None):
                    why = why_of(auto, "whether the endpoint is in the service owner's account")
                    self.marks.mark(inst.address, "state", inst, "auto_accept", why)
                if "acceptance_required" in {u.field for u in self.marks.of(svc.id)}:
                    self.marks.mark(
                        inst.address,
                        "state",
                        inst,
                        "service_name",
                        "whether the service needs acceptance is unknown",
                    )
            if not account_known(inst.provider.account):
                p = inst.provider
                self.marks.mark(
                    inst.address,
                    "account",
                    inst,
                    "provider",
                    f"provider {p.key} does not say its account",
                    at=p.location,
                )
            enis: list[str] = []
            if kind == "Interface":
                for sid in subnets:
                    subnet = self.net.get_or_none("subnet", sid)
                    if subnet is None:
                        self.note(inst, f"subnet {sid} is not a subnet of this configuration")
                        continue
                    eni = f"{inst.address}:{sid}"
                    enis.append(eni)
                    self.net.add(
                        NetworkInterface(
                            eni,
                            "",
                            vpc.id,
                            sid,
                            None,
                            groups,
                            "vpc_endpoint",
                            inst.address,
                            origin=self.origin(inst),
                        )
                    )
            region = inst.get("service_region")
            self.net.add(
                VpcEndpoint(
                    inst.address,
                    self.name(inst),
                    vpc.id,
                    str(service),
                    kind
                    if kind in ("Interface", "Gateway", "GatewayLoadBalancer")
                    else "Interface",
                    subnets,
                    groups,
                    tuple(enis),
                    self.ids(inst, "route_table_ids", (inst.address, "route_tables")),
                    state,
                    region if isinstance(region, str) else None,
                    inst.provider.account,
                    inst.get("private_dns_enabled", False) is True,
                    origin=self.origin(inst),
                )
            )

    def transit_gateways(self) -> None:
        build_transit_gateways(self, UNKNOWN_REGION)

    def net_ids(self, kind: str) -> set[str]:
        return {r.id for r in self.net.all(kind)}

    def net_service(self, service_name: str) -> EndpointService | None:
        """The configuration's endpoint service an endpoint names: by its service_name, or by
        the name AWS gives it, ``com.amazonaws.vpce.<region>.<service id>``, which configurations
        spell from the service's id (interpolation, ``join()``, ``format()``)."""
        for svc in self.net.all("endpoint_service"):
            if svc.service_name == service_name:
                return svc  # type: ignore[no-any-return]
        for svc in self.net.all("endpoint_service"):
            if service_name == f"com.amazonaws.vpce.{svc.region}.{svc.id}":
                return svc  # type: ignore[no-any-return]
        return None


def _int(value: Any) -> int | None:
    """A number argument as Terraform converts it: ``port = "80"`` is the number 80."""
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        return value
    if isinstance(value, str) and value.strip().isdigit():
        return int(value)
    return None


_ROUTE_KEYS = (
    "destination_cidr_block",
    "cidr_block",
    "destination_prefix_list_id",
    "vpc_peering_connection_id",
    "gateway_id",
    "nat_gateway_id",
    "transit_gateway_id",
    "network_interface_id",
    "vpc_endpoint_id",
)


def _first_unknown(values: dict[str, Any], *keys: str) -> tuple[str, Unknown] | None:
    """The first of ``keys`` whose value is unknown: a rule or entry with an unknown
    protocol or port range is left out and its side marked, never widened to every port."""
    for key in keys:
        value = values.get(key)
        if isinstance(value, Unknown):
            return key, value
    return None


def _dicts(value: Any) -> list[dict[str, Any]]:
    """A nested block's evaluated instances; anything else (an attribute of that name with a
    value of another type) as none."""
    return [v for v in value if isinstance(v, dict)] if isinstance(value, list) else []


def _cidr(value: Any) -> IPv4Network | IPv6Network | None:
    """A CIDR block, or None where the value is not one (AWS would refuse it)."""
    try:
        return ip_network(str(value), strict=False)
    except ValueError:
        return None


def _port(value: Any) -> int:
    """A port given as a number or a numeric string; 0 for anything else (AWS refuses it)."""
    try:
        port = int(value or 0)
    except (TypeError, ValueError, OverflowError):
        return 0
    return port if 0 <= port <= 65535 else 0


def _ports_valid(proto: str, ports: PortRange | None) -> bool:
    """Whether a rule's ports are ones AWS accepts (ICMP's hold types and codes: any)."""
    return ports is None or proto == "icmp" or 0 <= ports.low <= ports.high <= 65535


def _ip(value: Any) -> IPv4Address | None:
    if not isinstance(value, str):
        return None
    try:
        ip = ip_address(value)
    except ValueError:
        return None
    return ip if isinstance(ip, IPv4Address) else None


_PROTOCOLS: dict[str, str] = {
    "-1": "all",
    "all": "all",
    "tcp": "tcp",
    "6": "tcp",
    "udp": "udp",
    "17": "udp",
    "icmp": "icmp",
    "1": "icmp",
}


def _protocol(value: Any) -> Any:
    return _PROTOCOLS.get(str(value).lower()) if value is not None else None


def _ports(proto: str, low: Any, high: Any) -> PortRange | None:
    if proto == "all" or not isinstance(low, int) or not isinstance(high, int):
        return None
    if proto == "icmp" and low == -1:
        return None
    if (low, high) == (0, 65535) or ((low, high) == (0, 0) and proto != "icmp"):
        return ALL_PORTS if (low, high) == (0, 65535) else PortRange(0, 0)
    return PortRange(low, high)


def _lb_protocol(value: Any) -> Any:
    text = str(value).upper()
    return text if text in ("TCP", "UDP", "TCP_UDP", "TLS", "HTTP", "HTTPS") else "TCP"


def build_network(config: Configuration) -> Network:
    """The Network a configuration would create, with every resource's origin."""
    return _Builder(config).build()
