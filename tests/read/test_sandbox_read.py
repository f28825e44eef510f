"""The reader against the sandbox: build a network with boto3, read it back, check the model."""

from __future__ import annotations

from dataclasses import dataclass
from ipaddress import IPv4Address, IPv4Network

import pytest

from tests.read.helpers import Aws, read
from tests.read.world import STACK, World, build
from vpcwire.network import NaclEntry, Network, PortRange, Route, SecurityGroupRule
from vpcwire.read import ReadResult

REGIONS = ["us-east-1", "us-west-2"]


@dataclass(frozen=True)
class Observed:
    world: World
    filtered: ReadResult  # vpc_filter = the stack tag
    everything: ReadResult


@pytest.fixture(scope="module")
def observed(moto_url: str) -> Observed:
    """Build, then read at once: nothing else runs on the sandbox in between."""
    a, b = Aws.new(moto_url), Aws.new(moto_url)
    world = build(a, b)
    return Observed(
        world, read([a, b], REGIONS, vpc_filter={"vpcwire:stack": STACK}), read([a, b], REGIONS)
    )


@pytest.fixture(scope="module")
def world(observed: Observed) -> World:
    return observed.world


@pytest.fixture(scope="module")
def result(observed: Observed) -> ReadResult:
    return observed.filtered


@pytest.fixture(scope="module")
def net(result: ReadResult) -> Network:
    return result.network


def test_filter_reads_tagged_vpcs_and_their_peers_only(net: Network, world: World) -> None:
    assert set(net.vpcs) == {world.provider, world.consumer, world.peer}


def test_unfiltered_read_sees_every_vpc_of_both_accounts_and_regions(
    observed: Observed, world: World
) -> None:
    full = observed.everything.network
    assert {world.provider, world.consumer, world.peer, world.other} <= set(full.vpcs)
    defaults = {(v.account, v.region) for v in full.vpcs.values() if v.is_default}
    assert defaults == {(a, r) for a in (world.a, world.b) for r in REGIONS}
    assert set(full.accounts) == {world.a, world.b}
    assert len(full.vpcs) == 8  # ours, and a default VPC per account and region


def test_vpc_has_owner_region_every_cidr_primary_first_and_dns(net: Network, world: World) -> None:
    vpc = net.vpcs[world.provider]
    assert (vpc.name, vpc.account, vpc.region) == ("provider", world.a, "us-east-1")
    assert vpc.cidrs == (IPv4Network("10.0.0.0/16"), IPv4Network("10.1.0.0/16"))
    # DNS attributes are read only where they matter (tests/read/test_vpc_attributes.py):
    # here no peering allows DNS resolution, so AWS's defaults for an API-made VPC stand
    assert (vpc.dns_support, vpc.is_default) == (True, False)
    assert vpc.tags["vpcwire:stack"] == STACK
    peer = net.vpcs[world.peer]
    assert (peer.account, peer.region, peer.name) == (world.b, "us-west-2", "")
    assert peer.dns_hostnames is False


def test_subnets_carry_az_name_and_id_and_public_flag(net: Network, world: World) -> None:
    public = net.subnets[world.prov_public]
    assert (public.name, public.vpc, public.cidr) == (
        "provider_public_a",
        world.provider,
        IPv4Network("10.1.0.0/24"),
    )
    assert public.az == "us-east-1a" and public.az_id and public.public
    assert not net.subnets[world.prov_a].public
    assert net.subnets[world.peer_a].az == "us-west-2a"


def test_route_tables_main_explicit_associations_and_targets(net: Network, world: World) -> None:
    main = net.route_tables[world.main_rt]
    assert main.main and main.subnets == () and main.name == "provider_main"
    assert main.routes == (
        Route(IPv4Network("10.0.0.0/16"), "local", "local"),
        Route(IPv4Network("10.1.0.0/16"), "local", "local"),
    )
    private = net.route_tables[world.private_rt]
    assert set(private.subnets) == {world.prov_a, world.prov_b} and not private.main
    assert Route(IPv4Network("10.2.0.0/16"), world.pcx, "peering") in private.routes
    public = net.route_tables[world.public_rt]
    assert Route(IPv4Network("0.0.0.0/0"), world.igw, "internet_gateway") in public.routes
    to_list = Route(None, world.igw, "internet_gateway", prefix_list=world.prefix_list)
    assert to_list in public.routes
    assert net.route_table_of_subnet[world.prov_a].id == world.private_rt
    peer_routes = net.route_tables[world.peer_main_rt].routes
    assert Route(IPv4Network("10.0.0.0/16"), world.pcx, "peering", state="active") in peer_routes


def test_internet_gateway_is_attached(net: Network, world: World) -> None:
    igw = net.internet_gateways[world.igw]
    assert (igw.name, igw.vpc) == ("provider", world.provider)


def test_inter_region_cross_account_peering_is_merged_from_both_views(
    net: Network, world: World, result: ReadResult
) -> None:
    assert list(net.peerings) == [world.pcx]
    pcx = net.peerings[world.pcx]
    assert pcx.name == "provider_peer"
    assert (pcx.requester_vpc, pcx.requester_account, pcx.requester_region) == (
        world.provider,
        world.a,
        "us-east-1",
    )
    assert (pcx.accepter_vpc, pcx.accepter_account, pcx.accepter_region) == (
        world.peer,
        world.b,
        "us-west-2",
    )
    assert pcx.status == "active" and pcx.inter_region
    assert pcx.requester_cidrs == (IPv4Network("10.0.0.0/16"), IPv4Network("10.1.0.0/16"))
    assert pcx.accepter_cidrs == (IPv4Network("10.2.0.0/16"),)


def test_security_group_rules_are_split_one_per_peer(net: Network, world: World) -> None:
    sg = net.security_groups[world.targets_sg]
    https = PortRange.one(443)
    assert sg.name == "svc_targets" and not sg.is_default
    assert sg.ingress == (
        SecurityGroupRule("tcp", https, cidr=IPv4Network("10.2.0.0/16"), description="peer"),
        SecurityGroupRule("tcp", https, cidr=IPv4Network("10.3.0.0/16")),
        SecurityGroupRule("tcp", https, group=world.endpoint_sg, description="endpoint"),
        SecurityGroupRule("tcp", https, prefix_list=world.prefix_list),
        SecurityGroupRule("icmp", PortRange.one(8), cidr=IPv4Network("10.0.0.0/8")),
    )
    assert sg.egress == (SecurityGroupRule("all", None, cidr=IPv4Network("0.0.0.0/0")),)


def test_default_security_group_takes_the_planners_name(net: Network, world: World) -> None:
    default = [
        sg for sg in net.security_groups.values() if sg.vpc == world.provider and sg.is_default
    ]
    assert [sg.name for sg in default] == ["provider_default"]


def test_referenced_prefix_list_is_read_with_its_entries(net: Network, world: World) -> None:
    pl = net.prefix_lists[world.prefix_list]
    assert pl.name == "corp"
    assert pl.cidrs == (IPv4Network("192.168.0.0/24"), IPv4Network("192.168.1.0/24"))
    assert all(not p.name.startswith("com.amazonaws") for p in net.prefix_lists.values())


def test_custom_network_acl_ends_with_the_implicit_deny(net: Network, world: World) -> None:
    acl = net.network_acls[world.acl]
    anywhere = IPv4Network("0.0.0.0/0")
    assert acl.name == "provider_b" and acl.subnets == (world.prov_b,) and not acl.is_default
    # moto 5.2.1 does not echo an entry's IcmpTypeCode, so it reads as "every ICMP type"
    icmp = acl.entries[1]
    assert icmp.ports in (PortRange.one(8), None)
    assert acl.entries == (
        NaclEntry(100, False, True, "tcp", IPv4Network("10.0.0.0/8"), PortRange.one(443)),
        NaclEntry(110, False, False, "icmp", anywhere, icmp.ports),
        NaclEntry(32767, False, False, "all", anywhere),
        NaclEntry(100, True, True, "tcp", IPv4Network("10.0.0.0/8"), PortRange(1024, 65535)),
        NaclEntry(32767, True, False, "all", anywhere),
    )
    assert net.nacl_of_subnet[world.prov_b].id == world.acl
    default = net.nacl_of_subnet[world.prov_a]
    assert default.is_default and default.name == "provider_default"


def test_instance_and_its_primary_interface(net: Network, world: World) -> None:
    inst = net.instances[world.instance]
    assert (inst.name, inst.vpc, inst.subnet, inst.state, inst.role) == (
        "svc_1",
        world.provider,
        world.prov_a,
        "running",
        "target:svc",
    )
    eni = net.interfaces[inst.interface]
    assert (eni.kind, eni.owner, eni.name) == ("instance", world.instance, "svc_1")
    assert eni.private_ip == IPv4Address("10.0.1.10")
    assert eni.security_groups == (world.targets_sg,)


def test_network_load_balancer_listener_and_target_group(net: Network, world: World) -> None:
    lb = net.load_balancers[world.lb]
    assert (lb.name, lb.vpc, lb.subnets, lb.kind) == (
        "svc",
        world.provider,
        (world.prov_a, world.prov_b),
        "network",
    )
    assert lb.internal and not lb.cross_zone and lb.idle_timeout is None
    for node in lb.interfaces:  # the sandbox's patches give NLBs node ENIs; plain moto none
        eni = net.interfaces[node]
        assert (eni.kind, eni.owner) == ("load_balancer", world.lb)
        assert eni.private_ip in net.subnets[eni.subnet].cidr
    listener = net.listeners[world.listener]
    assert (
        listener.name,
        listener.load_balancer,
        listener.port,
        listener.protocol,
        listener.target_group,
    ) == ("svc_443", world.lb, 443, "TCP", world.tg)
    tg = net.target_groups[world.tg]
    assert (tg.name, tg.vpc, tg.protocol, tg.port, tg.target_type) == (
        "svc_443",
        world.provider,
        "TCP",
        443,
        "ip",
    )
    assert tg.preserve_client_ip is None
    assert {(t.id, t.port, t.availability_zone) for t in tg.targets} == {
        ("10.0.1.10", 443, None),
        ("10.2.0.10", 443, "all"),
    }


def test_endpoint_service_with_principals_and_regions(net: Network, world: World) -> None:
    svc = net.endpoint_services[world.service_id]
    assert (svc.name, svc.service_name, svc.account, svc.region) == (
        "svc",
        world.service_name,
        world.a,
        "us-east-1",
    )
    assert svc.load_balancers == (world.lb,) and not svc.acceptance_required
    assert svc.allowed_principals == (
        f"arn:aws:iam::{world.a}:root",
        f"arn:aws:iam::{world.b}:root",
    )
    assert svc.supported_regions == ("us-east-1", "us-west-2")
    assert svc.state == "Available"


def test_interface_endpoint_and_its_interfaces(net: Network, world: World) -> None:
    ep = net.endpoints[world.endpoint]
    assert (ep.name, ep.vpc, ep.service_name, ep.type, ep.state, ep.account) == (
        "consumer_svc",
        world.consumer,
        world.service_name,
        "Interface",
        "available",
        world.a,
    )
    assert ep.service_region is None and len(ep.subnets) == 1 and len(ep.interfaces) == 1
    eni = net.interfaces[ep.interfaces[0]]
    assert (eni.kind, eni.owner, eni.subnet) == ("vpc_endpoint", world.endpoint, ep.subnets[0])
    # plain moto invents an address outside the subnet: the reader keeps it unknown
    assert eni.private_ip is None or eni.private_ip in net.subnets[eni.subnet].cidr


def test_reads_are_cheap_and_warn_only_about_sandbox_gaps(result: ReadResult) -> None:
    assert 0 < result.calls < 150 and result.seconds < 30
    assert all("outside its subnet" in w for w in result.warnings), result.warnings
