"""A concise way to hand-build Networks for verifier tests.

Every VPC comes with what AWS gives it: a main route table with its local routes, a default
network ACL that allows everything (with the implicit deny written out), and a default
security group (members talk to each other, all egress). Tests then add or take away one
thing and check the verifier's verdict on it.

Ids are readable: ``vpc-a``, ``subnet-a1``, ``rtb-a`` (main), ``acl-a`` (default),
``sg-a-default``, ``i-client`` with ENI ``eni-client``, ``pcx-a-b``.
"""

from __future__ import annotations

from dataclasses import replace
from ipaddress import IPv4Address, IPv4Network
from typing import Any, Literal

from vpcwire.network import (
    ALL_PORTS,
    Account,
    EndpointService,
    Instance,
    InternetGateway,
    Listener,
    LoadBalancer,
    NaclEntry,
    NatGateway,
    Network,
    NetworkAcl,
    NetworkBuilder,
    NetworkInterface,
    PeeringConnection,
    PortRange,
    PrefixList,
    Route,
    RouteTable,
    SecurityGroup,
    SecurityGroupRule,
    Subnet,
    Target,
    TargetGroup,
    Vpc,
    VpcEndpoint,
)

ACCOUNT_A = "111111111111"
ACCOUNT_B = "222222222222"

Proto = Literal["tcp", "udp", "icmp", "all"]


def rule(
    protocol: Proto = "all",
    ports: int | tuple[int, int] | None = None,
    *,
    cidr: str | None = None,
    group: str | None = None,
    pl: str | None = None,
) -> SecurityGroupRule:
    """A security group rule: ``rule("tcp", 8080, cidr="10.0.0.0/16")``."""
    if isinstance(ports, int):
        ports = (ports, ports)
    return SecurityGroupRule(
        protocol,
        None if ports is None else PortRange(*ports),
        IPv4Network(cidr) if cidr else None,
        group,
        pl,
    )


ALL_OUT = rule("all", cidr="0.0.0.0/0")


def entry(
    number: int,
    *,
    egress: bool,
    allow: bool = True,
    protocol: Proto = "all",
    cidr: str = "0.0.0.0/0",
    ports: int | tuple[int, int] | None = None,
) -> NaclEntry:
    if isinstance(ports, int):
        ports = (ports, ports)
    return NaclEntry(
        number,
        egress,
        allow,
        protocol,
        IPv4Network(cidr),
        None if ports is None else PortRange(*ports),
    )


def open_acl_entries() -> tuple[NaclEntry, ...]:
    return (
        entry(100, egress=False),
        entry(32767, egress=False, allow=False),
        entry(100, egress=True),
        entry(32767, egress=True, allow=False),
    )


class Net:
    """Collects resources; ``build()`` returns the frozen Network."""

    def __init__(self) -> None:
        self.b = NetworkBuilder()
        self.b.add_account(Account(ACCOUNT_A, "a"))
        self.b.add_account(Account(ACCOUNT_B, "b"))

    # -- VPC basics ------------------------------------------------------------------------

    def vpc(
        self, name: str, *cidrs: str, region: str = "us-east-1", account: str = ACCOUNT_A
    ) -> str:
        vid = f"vpc-{name}"
        nets = tuple(IPv4Network(c) for c in cidrs)
        self.b.add(Vpc(vid, name, account, region, nets))
        self.b.add(
            RouteTable(
                f"rtb-{name}", name, vid, tuple(Route(n, "local", "local") for n in nets), main=True
            )
        )
        self.b.add(
            NetworkAcl(f"acl-{name}", f"{name}-default", vid, open_acl_entries(), is_default=True)
        )
        self.b.add(
            SecurityGroup(
                f"sg-{name}-default",
                f"{name}-default",
                vid,
                ingress=(rule(group=f"sg-{name}-default"),),
                egress=(ALL_OUT,),
                is_default=True,
            )
        )
        return vid

    def subnet(
        self, vpc: str, name: str, cidr: str, *, az: str | None = None, az_id: str | None = None
    ) -> str:
        region = self.b.get("vpc", vpc).region
        sid = f"subnet-{name}"
        self.b.add(Subnet(sid, name, vpc, IPv4Network(cidr), az or f"{region}a", az_id))
        return sid

    def sg(
        self,
        vpc: str,
        name: str,
        *,
        ingress: tuple[SecurityGroupRule, ...] = (),
        egress: tuple[SecurityGroupRule, ...] = (ALL_OUT,),
    ) -> str:
        gid = f"sg-{name}"
        self.b.add(SecurityGroup(gid, name, vpc, ingress, egress))
        return gid

    def add_rule(self, sg: str, new: SecurityGroupRule, *, egress: bool = False) -> None:
        group = self.b.get("security_group", sg)
        if egress:
            self.b.update(group, egress=(*group.egress, new))
        else:
            self.b.update(group, ingress=(*group.ingress, new))

    def set_rules(self, sg: str, **changes: Any) -> None:
        self.b.update(self.b.get("security_group", sg), **changes)

    def eni(
        self,
        subnet: str,
        ip: str | None,
        *,
        name: str,
        sgs: tuple[str, ...] = (),
        kind: Any = "other",
        owner: str | None = None,
        public_ip: str | None = None,
    ) -> str:
        sub = self.b.get("subnet", subnet)
        eid = f"eni-{name}"
        self.b.add(
            NetworkInterface(
                eid,
                name,
                sub.vpc,
                subnet,
                IPv4Address(ip) if ip else None,
                sgs,
                kind,
                owner,
                IPv4Address(public_ip) if public_ip else None,
            )
        )
        return eid

    def instance(
        self,
        subnet: str,
        ip: str | None,
        *,
        name: str,
        sgs: tuple[str, ...] = (),
        state: str = "running",
        public_ip: str | None = None,
    ) -> str:
        sub = self.b.get("subnet", subnet)
        iid = f"i-{name}"
        eid = self.eni(
            subnet, ip, name=name, sgs=sgs, kind="instance", owner=iid, public_ip=public_ip
        )
        self.b.add(Instance(iid, name, sub.vpc, subnet, eid, state))
        return iid

    # -- routing ---------------------------------------------------------------------------

    def table(self, vpc: str, name: str, *subnets: str) -> str:
        v = self.b.get("vpc", vpc)
        tid = f"rtb-{name}"
        self.b.add(
            RouteTable(tid, name, vpc, tuple(Route(n, "local", "local") for n in v.cidrs), subnets)
        )
        return tid

    def route(
        self,
        table: str,
        cidr: str | None,
        target: str,
        kind: Any = "peering",
        *,
        state: Any = "active",
        pl: str | None = None,
    ) -> None:
        rt = self.b.get("route_table", table)
        new = Route(IPv4Network(cidr) if cidr else None, target, kind, pl, state)
        self.b.update(rt, routes=(*rt.routes, new))

    def drop_routes(self, table: str, target: str) -> None:
        rt = self.b.get("route_table", table)
        self.b.update(rt, routes=tuple(r for r in rt.routes if r.target != target))

    def prefix_list(self, name: str, *cidrs: str) -> str:
        pid = f"pl-{name}"
        self.b.add(PrefixList(pid, name, tuple(IPv4Network(c) for c in cidrs)))
        return pid

    def igw(self, vpc: str, name: str) -> str:
        gid = f"igw-{name}"
        self.b.add(InternetGateway(gid, name, vpc))
        return gid

    def nat(
        self,
        subnet: str,
        name: str,
        ip: str | None,
        *,
        public_ip: str | None = None,
        connectivity: Any = "public",
        state: str = "available",
    ) -> str:
        sub = self.b.get("subnet", subnet)
        nid = f"nat-{name}"
        self.b.add(
            NatGateway(
                nid,
                name,
                sub.vpc,
                subnet,
                IPv4Address(ip) if ip else None,
                state,
                connectivity,
                IPv4Address(public_ip) if public_ip else None,
            )
        )
        self.eni(subnet, ip, name=f"{name}-nat", kind="nat_gateway", owner=nid)
        return nid

    def gateway_endpoint(
        self,
        vpc: str,
        name: str,
        service: str,
        route_tables: tuple[str, ...],
        *,
        routes: bool = True,
        state: str = "available",
    ) -> str:
        """A gateway endpoint; with ``routes``, each table gets the service's prefix-list route."""
        region = self.b.get("vpc", vpc).region
        service_name = f"com.amazonaws.{region}.{service}"
        eid = f"vpce-{name}"
        self.b.add(
            VpcEndpoint(
                eid, name, vpc, service_name, "Gateway", route_tables=route_tables, state=state
            )
        )
        pl = next(p.id for p in self.b.all("prefix_list") if p.name == service_name)
        for table in route_tables if routes else ():
            self.route(table, None, eid, "gateway_endpoint", pl=pl)
        return eid

    def peer(self, a: str, b: str, *, status: str = "active", routes: bool = True) -> str:
        va, vb = self.b.get("vpc", a), self.b.get("vpc", b)
        pid = f"pcx-{va.name}-{vb.name}"
        self.b.add(
            PeeringConnection(
                pid,
                f"{va.name}-{vb.name}",
                a,
                b,
                va.account,
                vb.account,
                va.region,
                vb.region,
                status,
                va.cidrs,
                vb.cidrs,
            )
        )
        if routes:
            for here, there in ((va, vb), (vb, va)):
                for cidr in there.cidrs:
                    self.route(f"rtb-{here.name}", str(cidr), pid)
        return pid

    def nacl(self, vpc: str, name: str, subnets: tuple[str, ...], *entries: NaclEntry) -> str:
        aid = f"acl-{name}"
        self.b.add(NetworkAcl(aid, name, vpc, entries, subnets))
        return aid

    # -- load balancers and PrivateLink ----------------------------------------------------

    def nlb(
        self,
        vpc: str,
        name: str,
        subnets: tuple[str, ...],
        *,
        ips: tuple[str | None, ...] = (),
        sgs: tuple[str, ...] = (),
        cross_zone: bool = False,
        enforce_sg_on_privatelink: bool = True,
        with_enis: bool = True,
    ) -> str:
        lid = f"nlb-{name}"
        enis: list[str] = []
        if with_enis:
            for n, subnet in enumerate(subnets):
                ip = ips[n] if n < len(ips) else None
                enis.append(
                    self.eni(
                        subnet,
                        ip,
                        name=f"{name}-node{n + 1}",
                        sgs=sgs,
                        kind="load_balancer",
                        owner=lid,
                    )
                )
        self.b.add(
            LoadBalancer(
                lid,
                name,
                vpc,
                subnets,
                tuple(enis),
                security_groups=sgs,
                enforce_sg_on_privatelink=enforce_sg_on_privatelink,
                cross_zone=cross_zone,
            )
        )
        return lid

    def listener(self, lb: str, port: int, protocol: Any, target_group: str | None) -> str:
        lid = f"lst-{lb}-{port}-{protocol.lower()}"
        self.b.add(Listener(lid, "", lb, port, protocol, target_group))
        return lid

    def target_group(
        self,
        vpc: str,
        name: str,
        port: int,
        target_type: Any,
        *targets: Target,
        protocol: Any = "TCP",
        preserve_client_ip: bool | None = None,
    ) -> str:
        tid = f"tg-{name}"
        self.b.add(
            TargetGroup(tid, name, vpc, protocol, port, target_type, targets, preserve_client_ip)
        )
        return tid

    def service(
        self,
        name: str,
        lbs: tuple[str, ...],
        *,
        account: str = ACCOUNT_A,
        region: str = "us-east-1",
        principals: tuple[str, ...] = (),
        supported_regions: tuple[str, ...] = (),
        state: str = "Available",
    ) -> str:
        sid = f"vpce-svc-{name}"
        self.b.add(
            EndpointService(
                sid,
                name,
                f"com.amazonaws.vpce.{region}.{sid}",
                account,
                region,
                lbs,
                allowed_principals=principals,
                supported_regions=supported_regions,
                state=state,
            )
        )
        return sid

    def endpoint(
        self,
        vpc: str,
        name: str,
        service: str,
        subnets: tuple[str, ...],
        *,
        ips: tuple[str | None, ...] = (),
        sgs: tuple[str, ...] = (),
        state: str = "available",
        service_region: str | None = None,
        account: str | None = None,
        with_enis: bool = True,
    ) -> str:
        eid = f"vpce-{name}"
        svc = self.b.get("endpoint_service", service)
        enis: list[str] = []
        if with_enis:
            for n, subnet in enumerate(subnets):
                ip = ips[n] if n < len(ips) else None
                enis.append(
                    self.eni(
                        subnet,
                        ip,
                        name=f"{name}-eni{n + 1}",
                        sgs=sgs,
                        kind="vpc_endpoint",
                        owner=eid,
                    )
                )
        acct = account if account is not None else self.b.get("vpc", vpc).account
        self.b.add(
            VpcEndpoint(
                eid,
                name,
                vpc,
                svc.service_name,
                "Interface",
                subnets,
                sgs,
                tuple(enis),
                (),
                state,
                service_region,
                acct,
            )
        )
        return eid

    def update(self, kind: str, rid: str, **changes: Any) -> None:
        self.b.put(replace(self.b.get(kind, rid), **changes))

    def build(self) -> Network:
        return self.b.build()


__all__ = [
    "ACCOUNT_A",
    "ACCOUNT_B",
    "ALL_OUT",
    "ALL_PORTS",
    "Net",
    "Target",
    "entry",
    "open_acl_entries",
    "rule",
]
