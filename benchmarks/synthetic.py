"""Synthetic Networks of any size, shaped like a real multi-account estate.

``build(vpcs=1000, instances=10_000)`` gives 1,000 VPCs over 4 regions and 20 accounts, each
with three /20 subnets (one per AZ), a private route table, security groups for apps,
clients and endpoints, and now and then a custom network ACL; ~2 peerings per VPC (a third
inter-region, a few pending, a few routes missing); 10% of the VPCs publish a PrivateLink
service (NLB with a node per AZ, instance targets) consumed by ~5 VPCs each (some natively
cross-region); 1% are outposts fronting a provider in another region over a peering.
``flows(...)`` draws a realistic mix: peered app traffic, endpoint traffic, in-VPC traffic,
direct NLB traffic, flows that cannot work, and some UDP/ICMP.

Deterministic for a given seed. Not in ``src/``: only the benchmark and a smoke test use it.
"""

from __future__ import annotations

import random
from dataclasses import dataclass, field
from ipaddress import IPv4Address, IPv4Network

from vpcwire.network import (
    Account,
    EndpointService,
    Instance,
    InternetGateway,
    Listener,
    LoadBalancer,
    NaclEntry,
    Network,
    NetworkAcl,
    NetworkBuilder,
    NetworkInterface,
    PeeringConnection,
    PortRange,
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
from vpcwire.verify import Flow

__all__ = ["Estate", "build", "flows"]

REGIONS = ("us-east-1", "us-west-2", "eu-west-1", "ap-southeast-1")
SHORT = {"us-east-1": "use1", "us-west-2": "usw2", "eu-west-1": "euw1", "ap-southeast-1": "apse1"}
ACCOUNTS = tuple(f"{100000000000 + 7919 * i:012d}" for i in range(20))
ALL = SecurityGroupRule("all", None, IPv4Network("0.0.0.0/0"))


@dataclass
class Estate:
    """The network plus what the flow generator needs to pick sensible pairs."""

    network: Network
    apps: dict[str, list[str]] = field(default_factory=dict)  # vpc -> app instance ids
    clients: dict[str, list[str]] = field(default_factory=dict)  # vpc -> client instance ids
    peers: list[tuple[str, str]] = field(default_factory=list)  # peered vpc pairs
    endpoints: list[tuple[str, str]] = field(default_factory=list)  # (consumer vpc, endpoint)
    nlbs: dict[str, str] = field(default_factory=dict)  # vpc -> its NLB


# Up to 1,024 VPCs: a /18 each in 10.0.0.0/8 with /20 subnets (the original layout, so the
# figures stay comparable). Beyond: a /21 each (8,192 in 10.0.0.0/8, then 2,048 in
# 100.64.0.0/10, both private ranges AWS allows for VPCs) with /23 subnets, which is what
# the 10,100-VPC run of benchmarks/verify_scale.py --full needs.
LARGE = 1024


def _vpc_cidr(i: int, large: bool = False) -> IPv4Network:
    if not large:
        return IPv4Network(f"10.{i // 4}.{(i % 4) * 64}.0/18")
    if i < 8192:
        return IPv4Network((int(IPv4Address("10.0.0.0")) + i * 2048, 21))
    return IPv4Network((int(IPv4Address("100.64.0.0")) + (i - 8192) * 2048, 21))


def _subnet_cidr(vpc: IPv4Network, k: int) -> IPv4Network:
    if vpc.prefixlen == 18:
        return IPv4Network((int(vpc.network_address) + k * 4096, 20))
    return IPv4Network((int(vpc.network_address) + k * 512, 23))


def subnet_size(subnet: Subnet) -> int:
    return int(subnet.cidr.num_addresses)


class _Builder:
    def __init__(self, vpcs: int, instances: int, seed: int) -> None:
        self.rng = random.Random(seed)
        self.b = NetworkBuilder()
        self.count = vpcs
        self.per_vpc = max(2, instances // vpcs)
        self.estate = Estate(Network())
        self.vpcs: list[Vpc] = []
        self.subnets: dict[str, list[Subnet]] = {}
        self.tables: dict[str, RouteTable] = {}
        self.routes: dict[str, list[Route]] = {}
        self.app_sg_rules: dict[str, list[SecurityGroupRule]] = {}
        self.large = vpcs + vpcs // 100 > LARGE
        self.endpoints_in: dict[str, int] = {}

    def run(self) -> Estate:
        for account in ACCOUNTS:
            self.b.add_account(Account(account))
        for i in range(self.count):
            self._vpc(i)
        self._peerings()
        providers = self.rng.sample(self.vpcs, max(1, self.count // 10))
        for vpc in providers:
            self._service(vpc)
        for vpc in self.rng.sample(providers, max(1, self.count // 100)):
            self._outpost(vpc)
        for vpc in self.vpcs:
            table = self.tables[vpc.id]
            self.b.put(
                RouteTable(
                    table.id, table.name, table.vpc, tuple(self.routes[vpc.id]), table.subnets
                )
            )
            sg = self.b.get("security_group", f"sg-{vpc.name}-app")
            self.b.put(
                SecurityGroup(sg.id, sg.name, sg.vpc, tuple(self.app_sg_rules[vpc.id]), sg.egress)
            )
        self.estate.network = self.b.build()
        return self.estate

    # -- one VPC ---------------------------------------------------------------------------

    def _vpc(self, i: int) -> None:
        rng = self.rng
        region = REGIONS[i % len(REGIONS)] if rng.random() < 0.9 else rng.choice(REGIONS)
        cidr = _vpc_cidr(i, self.large)
        name = f"v{i}"
        vpc = self.b.add(Vpc(f"vpc-{i:05x}", name, rng.choice(ACCOUNTS), region, (cidr,)))
        self.vpcs.append(vpc)
        subnets = []
        for k in range(3):
            net = _subnet_cidr(cidr, k)
            subnets.append(
                self.b.add(
                    Subnet(
                        f"subnet-{i:05x}{k}",
                        f"{name}-{k}",
                        vpc.id,
                        net,
                        f"{region}{'abc'[k]}",
                        f"{SHORT[region]}-az{k + 1}",
                    )
                )
            )
        self.subnets[vpc.id] = subnets
        local = Route(cidr, "local", "local")
        self.b.add(RouteTable(f"rtb-{i:05x}m", f"{name}-main", vpc.id, (local,), main=True))
        self.tables[vpc.id] = self.b.add(
            RouteTable(
                f"rtb-{i:05x}p", f"{name}-private", vpc.id, (local,), tuple(s.id for s in subnets)
            )
        )
        self.routes[vpc.id] = [local]
        if rng.random() < 0.3:
            igw = self.b.add(InternetGateway(f"igw-{i:05x}", name, vpc.id))
            self.routes[vpc.id].append(Route(IPv4Network("0.0.0.0/0"), igw.id, "internet_gateway"))
        self._acls(i, vpc, subnets)
        self._groups(vpc)
        self._instances(i, vpc, subnets)

    def _acls(self, i: int, vpc: Vpc, subnets: list[Subnet]) -> None:
        everywhere = IPv4Network("0.0.0.0/0")
        default = (
            NaclEntry(100, False, True, "all", everywhere),
            NaclEntry(32767, False, False, "all", everywhere),
            NaclEntry(100, True, True, "all", everywhere),
            NaclEntry(32767, True, False, "all", everywhere),
        )
        self.b.add(
            NetworkAcl(f"acl-{i:05x}d", f"{vpc.name}-default", vpc.id, default, is_default=True)
        )
        roll = self.rng.random()
        if roll > 0.2:
            return
        private = IPv4Network("10.0.0.0/8")
        entries = [
            NaclEntry(90, False, False, "tcp", everywhere, PortRange.one(22)),
            NaclEntry(100, False, True, "tcp", private, PortRange(443, 443)),
            NaclEntry(110, False, True, "tcp", private, PortRange(8080, 8080)),
            NaclEntry(120, False, True, "icmp", private),
            NaclEntry(100, True, True, "all", private),
        ]
        if roll > 0.03:  # most custom ACLs remember the replies; a few forget them
            entries.append(NaclEntry(130, False, True, "tcp", private, PortRange(1024, 65535)))
            entries.append(NaclEntry(140, False, True, "udp", private, PortRange(53, 53)))
            entries.append(NaclEntry(150, False, True, "udp", private, PortRange(1024, 65535)))
        # moto-style: no explicit 32767 entry
        self.b.add(
            NetworkAcl(
                f"acl-{i:05x}c",
                f"{vpc.name}-custom",
                vpc.id,
                tuple(entries),
                tuple(s.id for s in subnets),
            )
        )

    def _groups(self, vpc: Vpc) -> None:
        n = vpc.name
        own = vpc.cidrs[0]
        self.b.add(
            SecurityGroup(
                f"sg-{n}-default",
                f"{n}-default",
                vpc.id,
                (SecurityGroupRule("all", group=f"sg-{n}-default"),),
                (ALL,),
                is_default=True,
            )
        )
        self.app_sg_rules[vpc.id] = [
            SecurityGroupRule("tcp", PortRange.one(443), own),
            SecurityGroupRule("tcp", PortRange.one(8080), group=f"sg-{n}-client"),
            SecurityGroupRule("icmp", PortRange.one(8), IPv4Network("10.0.0.0/8")),
            SecurityGroupRule("udp", PortRange.one(53), own),
        ]
        self.b.add(SecurityGroup(f"sg-{n}-app", f"{n}-app", vpc.id, (), (ALL,)))
        self.b.add(
            SecurityGroup(
                f"sg-{n}-client",
                f"{n}-client",
                vpc.id,
                (SecurityGroupRule("tcp", PortRange(22, 22), own),),
                (ALL,),
            )
        )
        self.b.add(
            SecurityGroup(
                f"sg-{n}-ep",
                f"{n}-ep",
                vpc.id,
                (
                    SecurityGroupRule("tcp", PortRange.one(443), own),
                    SecurityGroupRule("udp", PortRange.one(53), own),
                ),
                (ALL,),
            )
        )

    def _instances(self, i: int, vpc: Vpc, subnets: list[Subnet]) -> None:
        apps: list[str] = []
        clients: list[str] = []
        for k in range(self.per_vpc):
            subnet = subnets[k % 3]
            address = IPv4Address(int(subnet.cidr.network_address) + 10 + k)
            role = "app" if k % 2 == 0 else "client"
            iid = f"i-{i:05x}{k:03x}"
            eni = self.b.add(
                NetworkInterface(
                    f"eni-{i:05x}{k:03x}",
                    "",
                    vpc.id,
                    subnet.id,
                    address,
                    (f"sg-{vpc.name}-{role}",),
                    "instance",
                    iid,
                )
            )
            state = "stopped" if self.rng.random() < 0.01 else "running"
            self.b.add(
                Instance(iid, f"{vpc.name}-{role}{k}", vpc.id, subnet.id, eni.id, state, role)
            )
            (apps if role == "app" else clients).append(iid)
        self.estate.apps[vpc.id] = apps
        self.estate.clients[vpc.id] = clients

    # -- connections -------------------------------------------------------------------------

    def _peerings(self) -> None:
        rng = self.rng
        seen: set[tuple[int, int]] = set()
        by_region: dict[str, list[int]] = {}
        for i, vpc in enumerate(self.vpcs):
            by_region.setdefault(vpc.region, []).append(i)
        for i, vpc in enumerate(self.vpcs):
            for _ in range(2):
                pool = by_region[vpc.region] if rng.random() < 0.7 else range(self.count)
                j = rng.choice(list(pool))
                key = (min(i, j), max(i, j))
                if i == j or key in seen:
                    continue
                seen.add(key)
                self._peer(self.vpcs[key[0]], self.vpcs[key[1]])

    def _peer(self, a: Vpc, b: Vpc, *, always: bool = False) -> PeeringConnection:
        rng = self.rng
        status = "active" if always or rng.random() < 0.97 else "pending-acceptance"
        pcx = self.b.add(
            PeeringConnection(
                f"pcx-{a.id[4:]}{b.id[4:]}",
                f"{a.name}-{b.name}",
                a.id,
                b.id,
                a.account,
                b.account,
                a.region,
                b.region,
                status,
                a.cidrs,
                b.cidrs,
            )
        )
        for here, there in ((a, b), (b, a)):
            if always or rng.random() < 0.95:
                self.routes[here.id].append(Route(there.cidrs[0], pcx.id, "peering"))
            self.app_sg_rules[here.id].append(
                SecurityGroupRule("tcp", PortRange.one(8080), there.cidrs[0])
            )
        self.estate.peers.append((a.id, b.id))
        return pcx

    def _nlb(self, vpc: Vpc, targets: tuple[Target, ...], kind: str) -> LoadBalancer:
        lb_id = f"nlb-{vpc.name}"
        enis = []
        for k, subnet in enumerate(self.subnets[vpc.id]):
            address = IPv4Address(int(subnet.cidr.network_address) + 5)
            enis.append(
                self.b.add(
                    NetworkInterface(
                        f"eni-{vpc.name}-nlb{k}",
                        "",
                        vpc.id,
                        subnet.id,
                        address,
                        (),
                        "load_balancer",
                        lb_id,
                    )
                ).id
            )
        lb = self.b.add(
            LoadBalancer(
                lb_id,
                f"{vpc.name}-nlb",
                vpc.id,
                tuple(s.id for s in self.subnets[vpc.id]),
                tuple(enis),
                cross_zone=self.rng.random() < 0.5,
            )
        )
        tg = self.b.add(
            TargetGroup(
                f"tg-{vpc.name}",
                f"{vpc.name}-tg",
                vpc.id,
                "TCP",
                443,
                kind,  # type: ignore[arg-type]
                targets,
            )
        )
        self.b.add(Listener(f"lst-{vpc.name}", "", lb.id, 443, "TCP", tg.id))
        self.estate.nlbs[vpc.id] = lb.id
        return lb

    def _service(self, vpc: Vpc) -> None:
        rng = self.rng
        apps = self.estate.apps[vpc.id]
        lb = self._nlb(vpc, tuple(Target(t) for t in apps[:3]), "instance")
        consumers = rng.sample([v for v in self.vpcs if v.id != vpc.id], 5)
        principals = tuple(
            sorted({f"arn:aws:iam::{c.account}:root" for c in consumers if rng.random() < 0.95})
        )
        remote = sorted({c.region for c in consumers} - {vpc.region})
        svc = self.b.add(
            EndpointService(
                f"vpce-svc-{vpc.name}",
                f"{vpc.name}-svc",
                f"com.amazonaws.vpce.{vpc.region}.vpce-svc-{vpc.name}",
                vpc.account,
                vpc.region,
                (lb.id,),
                allowed_principals=principals,
                supported_regions=(vpc.region, *remote),
            )
        )
        for consumer in consumers:
            self._endpoint(consumer, svc)

    def _endpoint(self, consumer: Vpc, svc: EndpointService) -> None:
        ep_id = f"vpce-{consumer.name}-{svc.name}"
        enis = []
        taken = self.endpoints_in.get(consumer.id, 0)
        self.endpoints_in[consumer.id] = taken + 1
        first = 1000 if subnet_size(self.subnets[consumer.id][0]) > 2048 else 400
        for k, subnet in enumerate(self.subnets[consumer.id]):
            address = IPv4Address(int(subnet.cidr.network_address) + first + taken)
            enis.append(
                self.b.add(
                    NetworkInterface(
                        f"eni-{ep_id[5:]}-{k}",
                        "",
                        consumer.id,
                        subnet.id,
                        address,
                        (f"sg-{consumer.name}-ep",),
                        "vpc_endpoint",
                        ep_id,
                    )
                ).id
            )
        cross = consumer.region != svc.region
        state = "available" if self.rng.random() < 0.97 else "pendingAcceptance"
        self.b.add(
            VpcEndpoint(
                ep_id,
                f"{consumer.name}-{svc.name}",
                consumer.id,
                svc.service_name,
                "Interface",
                tuple(s.id for s in self.subnets[consumer.id]),
                (f"sg-{consumer.name}-ep",),
                tuple(enis),
                (),
                state,
                svc.region if cross else None,
                consumer.account,
            )
        )
        self.estate.endpoints.append((consumer.id, ep_id))

    def _outpost(self, provider: Vpc) -> None:
        """An outpost VPC in another region fronting ``provider`` over a peering."""
        rng = self.rng
        index = self.count + len([v for v in self.vpcs if v.name.startswith("o")])
        region = rng.choice([r for r in REGIONS if r != provider.region])
        cidr = _vpc_cidr(index, self.large)
        vpc = self.b.add(Vpc(f"vpc-o{index:05x}", f"o{index}", provider.account, region, (cidr,)))
        self.vpcs.append(vpc)
        subnets = []
        for k in range(3):
            net = _subnet_cidr(cidr, k)
            subnets.append(
                self.b.add(
                    Subnet(
                        f"subnet-o{index:05x}{k}",
                        f"{vpc.name}-{k}",
                        vpc.id,
                        net,
                        f"{region}{'abc'[k]}",
                        f"{SHORT[region]}-az{k + 1}",
                    )
                )
            )
        self.subnets[vpc.id] = subnets
        local = Route(cidr, "local", "local")
        self.b.add(
            RouteTable(f"rtb-o{index:05x}m", f"{vpc.name}-main", vpc.id, (local,), main=True)
        )
        self.tables[vpc.id] = self.b.add(
            RouteTable(
                f"rtb-o{index:05x}p",
                f"{vpc.name}-private",
                vpc.id,
                (local,),
                tuple(s.id for s in subnets),
            )
        )
        self.routes[vpc.id] = [local]
        self._acls(index, vpc, subnets)
        self._groups(vpc)
        self.estate.apps[vpc.id] = []
        self.estate.clients[vpc.id] = []
        self._peer(provider, vpc, always=True)
        so_far = self.b.build()
        targets = tuple(
            Target(str(so_far.interfaces[so_far.instances[t].interface].private_ip), 443, "all")
            for t in self.estate.apps[provider.id][:2]
        )
        lb = self._nlb(vpc, targets, "ip")
        consumers = [v for v in self.vpcs if v.region == region and v.id != vpc.id][:3]
        svc = self.b.add(
            EndpointService(
                f"vpce-svc-{vpc.name}",
                f"{vpc.name}-svc",
                f"com.amazonaws.vpce.{region}.vpce-svc-{vpc.name}",
                vpc.account,
                region,
                (lb.id,),
                allowed_principals=("*",),
            )
        )
        for consumer in consumers:
            self._endpoint(consumer, svc)


def build(vpcs: int, instances: int, *, seed: int = 7) -> Estate:
    return _Builder(vpcs, instances, seed).run()


def flows(estate: Estate, count: int, *, seed: int = 11) -> list[Flow]:
    rng = random.Random(seed)
    net = estate.network
    vpcs = [v for v in net.vpcs if estate.apps.get(v) and estate.clients.get(v)]
    out: list[Flow] = []

    def client_of(vpc: str) -> str:
        return rng.choice(estate.clients[vpc])

    while len(out) < count:
        roll = rng.random()
        if roll < 0.40 and estate.peers:
            a, b = rng.choice(estate.peers)
            if not (estate.clients.get(a) and estate.apps.get(b)):
                continue
            out.append(Flow(client_of(a), rng.choice(estate.apps[b]), "tcp", 8080))
        elif roll < 0.65 and estate.endpoints:
            consumer, endpoint = rng.choice(estate.endpoints)
            if not estate.clients.get(consumer):
                continue
            out.append(Flow(client_of(consumer), endpoint, "tcp", 443))
        elif roll < 0.75:
            vpc = rng.choice(vpcs)
            out.append(Flow(client_of(vpc), rng.choice(estate.apps[vpc]), "tcp", 443))
        elif roll < 0.85 and estate.nlbs:
            vpc, lb = rng.choice(sorted(estate.nlbs.items()))
            if not estate.clients.get(vpc):
                continue
            out.append(Flow(client_of(vpc), lb, "tcp", 443))
        elif roll < 0.95:
            a, b = rng.sample(vpcs, 2)
            out.append(Flow(client_of(a), rng.choice(estate.apps[b]), "tcp", 8080))
        elif estate.peers:
            a, b = rng.choice(estate.peers)
            if not (estate.clients.get(a) and estate.apps.get(b)):
                continue
            protocol, port = rng.choice((("udp", 53), ("icmp", 8)))
            out.append(Flow(client_of(a), rng.choice(estate.apps[b]), protocol, port))  # type: ignore[arg-type]
    return out
