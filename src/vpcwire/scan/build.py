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
from vpcwire.scan.config import Configuration, ResourceInstance
from vpcwire.scan.expr import Unknown

__all__ = ["UNSUPPORTED", "build_network"]

# Types that change reachability but that the scan does not model yet: reported, not dropped.
UNSUPPORTED = {
    "aws_ec2_transit_gateway",
    "aws_ec2_transit_gateway_vpc_attachment",
    "aws_ec2_transit_gateway_route",
    "aws_network_interface",
    "aws_network_interface_attachment",
    "aws_vpn_gateway",
    "aws_vpn_connection",
    "aws_networkfirewall_firewall",
    "aws_globalaccelerator_accelerator",
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
        self.by_type: dict[str, list[ResourceInstance]] = {}
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

    def ids(self, inst: ResourceInstance, name: str) -> tuple[str, ...]:
        value = inst.get(name, [])
        if isinstance(value, Unknown):
            self.note(
                inst,
                f"{name} cannot be resolved ({value.why})",
                inst.block.attribute_lines.get(name),
            )
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
            self.load_balancers,
            self.endpoint_services,
            self.endpoints,
        ):
            step()
        for rtype, insts in sorted(self.by_type.items()):
            if rtype in UNSUPPORTED:
                for inst in insts:
                    self.note(inst, f"{rtype} affects reachability but is not modelled by scan yet")
        for p in self.config.providers:
            self.net.add_account(Account(p.account, p.key))
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
            region = p.region if isinstance(p.region, str) else "unknown"
            vid = inst.address
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
            region = inst.get("peer_region") or req.region
            account = inst.get("peer_owner_id") or p.account
            accepter = accepters.get(inst.address)
            auto = inst.get("auto_accept", False) is True
            if accepter is not None:
                auto = auto or accepter.get("auto_accept", False) is True
                where = accepter.provider
                wrong = [
                    f"region {where.region} (the peering's accepter side is {region})"
                    for _ in [0]
                    if isinstance(where.region, str) and where.region != region
                ] + [
                    f"account {where.account} (the accepter side is {account})"
                    for _ in [0]
                    if where.account != account
                ]
                # Only when the request itself is right (else VW-E206 on the peering says it).
                request_right = acc_vpc is not None and (acc_vpc.region, acc_vpc.account) == (
                    region,
                    account,
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
            same = region == req.region and account == req.account
            status = "active" if auto and (same or accepter is not None) else "pending-acceptance"
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
                route = self.route(inst, r)
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
            route = self.route(inst, inst.arguments())
            if route is not None:
                tables[table.id] = replace(table, routes=(*table.routes, route))
        for inst in self.of("aws_route_table_association"):
            table = tables.get(str(inst.get("route_table_id")))
            subnet = inst.get("subnet_id")
            if table is None or not isinstance(subnet, str):
                if inst.get("gateway_id") is None:
                    self.note(inst, "association cannot be resolved: left out")
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
        for table in tables.values():
            self.net.put(table)

    def route(self, inst: ResourceInstance, r: dict[str, Any]) -> Route | None:
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
                r for b in inst.blocks("egress") for r in self.sg_rules(inst, b, inst.address)
            ]
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
            egress = [r for b in inst.blocks("egress") for r in self.sg_rules(inst, b, sg_id)]
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
            rules = self.sg_rules(inst, values, sg_id, source_key="source_security_group_id")
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
    ) -> list[SecurityGroupRule]:
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
                continue
            for peer in value if isinstance(value, list) else [value]:
                if isinstance(peer, Unknown) or peer is None:
                    self.note(inst, f"{key}: an element cannot be resolved", b.get("__line__"))
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

    def vpc_sg_rule(self, inst: ResourceInstance) -> SecurityGroupRule | None:
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
                if (e := self.nacl_entry(inst, b, egress=side == "egress")) is not None
            ]
            entries += [
                NaclEntry(32767, eg, False, "all", IPv4Network("0.0.0.0/0")) for eg in (False, True)
            ]
            subnets = self.ids(inst, "subnet_ids")
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
            entry = self.nacl_entry(inst, values, egress=values.get("egress") is True)
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
        self, inst: ResourceInstance, b: dict[str, Any], *, egress: bool
    ) -> NaclEntry | None:
        proto = _protocol(b.get("protocol"))
        cidr = b.get("cidr_block")
        if not isinstance(_cidr(cidr), IPv4Network):
            cidr = None  # not a CIDR block (or IPv6): the entry cannot be modelled
        if proto is None or not isinstance(cidr, str) or not isinstance(b.get("rule_no"), int):
            self.note(inst, "network ACL entry cannot be resolved: left out", b.get("__line__"))
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
            int(b["rule_no"]),
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
            groups = self.ids(inst, "vpc_security_group_ids") or (
                f"{subnet.vpc}.default_security_group_id",
            )
            eni = f"{inst.address}.primary_network_interface_id"
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

    def load_balancers(self) -> None:
        for inst in self.of("aws_lb") + self.of("aws_alb"):
            kind = inst.get("load_balancer_type", "application")
            subnets = list(self.ids(inst, "subnets"))
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
                        self.ids(inst, "security_groups"),
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
                    security_groups=self.ids(inst, "security_groups"),
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
                continue
            port = inst.get("port")
            az = inst.get("availability_zone")
            targets.setdefault(str(tg), []).append(
                Target(
                    str(tid),
                    port if isinstance(port, int) and 0 <= port <= 65535 else None,
                    az if isinstance(az, str) else None,
                )
            )
        for inst in self.of("aws_lb_target_group"):
            ttype = inst.get("target_type", "instance")
            vpc = self.vpc_of(inst)
            if vpc is None or ttype not in ("instance", "ip"):
                if ttype not in ("instance", "ip"):
                    self.note(inst, f"target_type {ttype!r} is not modelled: left out")
                continue
            pci = inst.get("preserve_client_ip")
            self.net.add(
                TargetGroup(
                    inst.address,
                    self.name(inst),
                    vpc.id,
                    _lb_protocol(inst.get("protocol", "TCP")),
                    _port(inst.get("port", 0)),
                    ttype,
                    tuple(targets.get(inst.address, ())),
                    preserve_client_ip=None if pci is None else str(pci).lower() == "true",
                    origin=self.origin(inst),
                )
            )
        for inst in self.of("aws_lb_listener") + self.of("aws_alb_listener"):
            lb = inst.get("load_balancer_arn")
            if not self.known(inst, "load_balancer_arn", lb):
                continue
            forward: str | None = None
            for action in inst.blocks("default_action"):
                if isinstance(action.get("target_group_arn"), str):
                    forward = action["target_group_arn"]
                for fwd in _dicts(action.get("forward")):
                    for group in _dicts(fwd.get("target_group")):
                        if isinstance(group.get("arn"), str):
                            forward = forward or group["arn"]
            port = inst.get("port")
            if not isinstance(port, int) or not 0 <= port <= 65535:
                self.note(inst, "listener port cannot be resolved: left out")
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

    def endpoint_services(self) -> None:
        extra: dict[str, list[str]] = {}
        for inst in self.of("aws_vpc_endpoint_service_allowed_principal"):
            extra.setdefault(str(inst.get("vpc_endpoint_service_id")), []).append(
                str(inst.get("principal_arn"))
            )
        for inst in self.of("aws_vpc_endpoint_service"):
            p = inst.provider
            allowed = inst.get("allowed_principals", [])
            principals = [
                str(x) for x in (allowed if isinstance(allowed, list) else []) if isinstance(x, str)
            ]
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
                    self.ids(inst, "network_load_balancer_arns"),
                    acceptance_required=inst.get("acceptance_required", True) is not False,
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
            if vpc is None or not self.known(inst, "service_name", service):
                continue
            kind = inst.get("vpc_endpoint_type", "Gateway")
            subnets = (*self.ids(inst, "subnet_ids"), *extra_subnets.get(inst.address, []))
            groups = (*self.ids(inst, "security_group_ids"), *extra_groups.get(inst.address, []))
            if kind == "Interface" and not groups:
                groups = (f"{vpc.id}.default_security_group_id",)  # what AWS does
            svc = self.net_service(str(service))
            state = "available"
            if svc is not None and svc.acceptance_required and inst.address not in accepted:
                state = "pendingAcceptance"
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
                    self.ids(inst, "route_table_ids"),
                    state,
                    region if isinstance(region, str) else None,
                    inst.provider.account,
                    inst.get("private_dns_enabled", False) is True,
                    origin=self.origin(inst),
                )
            )

    def net_service(self, service_name: str) -> EndpointService | None:
        for svc in self.net.all("endpoint_service"):
            if svc.service_name == service_name:
                return svc  # type: ignore[no-any-return]
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
