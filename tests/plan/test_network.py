"""The planned Network: what each mechanism builds, and the security it must not loosen."""

from __future__ import annotations

from ipaddress import IPv4Address, IPv4Network
from pathlib import Path

from tests.conftest import EXAMPLES
from tests.helpers import BASE, load
from vpcwire.network import Network, PortRange, SecurityGroupRule
from vpcwire.pipeline import plan
from vpcwire.plan.plan import Plan
from vpcwire.spec.load import load_spec


def example(name: str) -> Plan:
    return plan(load_spec(EXAMPLES / f"{name}.yaml"))


def test_peering_routes_in_every_route_table_of_both_sides() -> None:
    net = example("peering").network
    pcx = net.peerings["aws_vpc_peering_connection.app_data"]
    for vpc, peer_cidr in (("aws_vpc.app", "192.168.0.0/16"), ("aws_vpc.data", "10.0.0.0/16")):
        tables = [rt for rt in net.route_tables.values() if rt.vpc == vpc]
        assert len(tables) == 2  # main + private
        for rt in tables:
            assert any(
                r.target == pcx.id and r.destination == IPv4Network(peer_cidr) for r in rt.routes
            ), rt.id


def test_peers_admit_each_other_both_ways() -> None:
    net = example("peering").network
    app = net.security_groups["aws_security_group.app_workload"]
    assert (
        SecurityGroupRule(
            "all", None, IPv4Network("192.168.0.0/16"), description="peers app and data"
        )
        in app.ingress
    )
    assert (
        SecurityGroupRule(
            "all", None, IPv4Network("192.168.0.0/16"), description="peers app and data"
        )
        in app.egress
    )


def _ingress(net: Network, sg: str) -> set[tuple[str, str, str]]:
    return {
        (r.protocol, str(r.ports), str(r.cidr or r.group)) for r in net.security_groups[sg].ingress
    }


def test_privatelink_security_is_least_privilege() -> None:
    p = example("privatelink")
    net = p.network
    # endpoint: its own group, only the service port, only from the consumer VPC
    endpoint = net.endpoints["aws_vpc_endpoint.consumer_api"]
    assert endpoint.security_groups == ("aws_security_group.consumer_api_endpoint",)
    assert _ingress(net, "aws_security_group.consumer_api_endpoint") == {
        ("tcp", "8080", "10.1.0.0/16")
    }
    # targets: only the NLB's subnets (PrivateLink never preserves the client address)
    assert _ingress(net, "aws_security_group.api_targets") == {
        ("tcp", "8080", "10.0.0.0/24"),
        ("tcp", "8080", "10.0.1.0/24"),
    }
    # client may only send to the endpoint on the service port
    client = net.security_groups["aws_security_group.consumer_workload"]
    assert [(r.protocol, str(r.ports), r.group) for r in client.egress] == [
        ("tcp", "8080", "aws_security_group.consumer_api_endpoint")
    ]
    # explicit principals, never '*'
    svc = net.endpoint_services["aws_vpc_endpoint_service.api"]
    assert svc.allowed_principals == ("arn:aws:iam::111111111111:root",)
    assert svc.acceptance_required is False and svc.supported_regions == ()
    # the default group of each VPC has no rules
    assert all(
        not sg.ingress and not sg.egress for sg in net.security_groups.values() if sg.is_default
    )


def test_privatelink_pipeline_is_complete() -> None:
    net = example("privatelink").network
    lb = net.load_balancers["aws_lb.api"]
    assert lb.internal and lb.kind == "network" and len(lb.subnets) == 2
    (listener,) = net.listeners.values()
    assert (listener.port, listener.protocol, listener.target_group) == (
        8080,
        "TCP",
        "aws_lb_target_group.api_8080",
    )
    tg = net.target_groups["aws_lb_target_group.api_8080"]
    assert tg.target_type == "instance" and {t.id for t in tg.targets} == {
        "aws_instance.api_1",
        "aws_instance.api_2",
    }
    endpoint = net.endpoints["aws_vpc_endpoint.consumer_api"]
    assert endpoint.service_name == "aws_vpc_endpoint_service.api.service_name"
    assert len(endpoint.subnets) == 2 and len(endpoint.interfaces) == 2


def test_outpost_pattern() -> None:
    p = example("inter-region-privatelink")
    net = p.network
    outpost = net.vpcs["aws_vpc.provider_outpost_us_west_2"]
    assert outpost.region == "us-west-2" and outpost.account == "111111111111"
    spec_blocks = [IPv4Network("10.0.0.0/16"), IPv4Network("10.1.0.0/16")]
    assert not any(outpost.cidr.overlaps(b) for b in spec_blocks)
    pcx = net.peerings["aws_vpc_peering_connection.provider_outpost_us_west_2"]
    assert (pcx.requester_region, pcx.accepter_region) == ("us-east-1", "us-west-2")
    assert not pcx.requester_allows_remote_dns
    lb = net.load_balancers["aws_lb.api_us_west_2"]
    assert lb.vpc == outpost.id
    tg = net.target_groups["aws_lb_target_group.api_us_west_2_8080"]
    assert tg.target_type == "ip"
    assert {(t.id, t.availability_zone) for t in tg.targets} == {
        ("10.0.0.10", "all"),
        ("10.0.1.10", "all"),
    }
    # targets admit the outpost's CIDR (cross-region: no group references), on the port only
    assert _ingress(net, "aws_security_group.api_targets") == {("tcp", "8080", str(outpost.cidr))}
    # routes both ways over the peering
    for rt in net.route_tables.values():
        if rt.vpc == "aws_vpc.provider":
            assert any(r.destination == outpost.cidr and r.target == pcx.id for r in rt.routes)
        if rt.vpc == outpost.id:
            assert any(
                r.destination == IPv4Network("10.0.0.0/16") and r.target == pcx.id
                for r in rt.routes
            )
        if rt.vpc == "aws_vpc.consumer":
            assert all(r.kind == "local" for r in rt.routes)  # PrivateLink adds no routes


def test_outpost_cidr_avoids_every_vpc_and_can_be_given(tmp_path: Path) -> None:
    text = BASE.replace("10.0.0.0/16", "10.255.0.0/24").replace(
        "    region: us-east-1\n    cidr: 10.1.0.0/16\n    azs: [us-east-1a, us-east-1b]",
        "    region: us-west-2\n    cidr: 10.1.0.0/16\n    azs: [us-west-2a]",
    )
    text += "services:\n  api: {vpc: a, port: 80}\nconnections:\n  - {consumer: b, service: api, via: outpost}\n"
    net = plan(load(tmp_path, text)).network
    assert net.vpcs["aws_vpc.a_outpost_us_west_2"].cidr == IPv4Network("10.255.1.0/24")
    given = plan(
        load(tmp_path, text.replace("via: outpost}", "via: outpost, outpost_cidr: 172.20.0.0/24}"))
    ).network
    assert given.vpcs["aws_vpc.a_outpost_us_west_2"].cidr == IPv4Network("172.20.0.0/24")


def test_native_cross_region() -> None:
    net = example("cross-region-native").network
    svc = net.endpoint_services["aws_vpc_endpoint_service.api"]
    assert svc.supported_regions == ("us-east-1", "us-west-2") and svc.region == "us-east-1"
    endpoint = net.endpoints["aws_vpc_endpoint.consumer_api"]
    assert endpoint.service_region == "us-east-1"
    assert not net.peerings


def test_cross_account_principal_and_overlap() -> None:
    net = example("cross-account").network
    svc = net.endpoint_services["aws_vpc_endpoint_service.api"]
    assert svc.allowed_principals == ("arn:aws:iam::222222222222:root",)
    assert net.endpoints["aws_vpc_endpoint.consumer_api"].account == "222222222222"


def test_instances_get_fixed_unique_addresses_inside_their_subnets() -> None:
    for name in ("privatelink", "inter-region-privatelink", "peering"):
        net = example(name).network
        seen: set[tuple[str, IPv4Address]] = set()
        for inst in net.instances.values():
            eni = net.interfaces[inst.interface]
            assert eni.private_ip is not None and eni.private_ip in net.subnets[inst.subnet].cidr
            assert (inst.vpc, eni.private_ip) not in seen
            seen.add((inst.vpc, eni.private_ip))


def test_cross_zone_only_when_an_nlb_az_has_no_target(tmp_path: Path) -> None:
    one = (
        BASE
        + "services:\n  api: {vpc: a, port: 80, targets: {instances: 1}}\nconnections:\n  - {consumer: b, service: api}\n"
    )
    two = one.replace("instances: 1", "instances: 2")
    assert plan(load(tmp_path, one)).network.load_balancers["aws_lb.api"].cross_zone is True
    assert plan(load(tmp_path, two)).network.load_balancers["aws_lb.api"].cross_zone is False


def test_tcp_udp_service(tmp_path: Path) -> None:
    text = (
        BASE
        + "services:\n  dns: {vpc: a, port: 53, protocol: tcp_udp}\nconnections:\n  - {consumer: b, service: dns}\n"
    )
    net = plan(load(tmp_path, text)).network
    assert net.listeners["aws_lb_listener.dns_53"].protocol == "TCP_UDP"
    assert _ingress(net, "aws_security_group.b_dns_endpoint") == {
        ("tcp", "53", "10.1.0.0/16"),
        ("udp", "53", "10.1.0.0/16"),
    }


def test_service_over_peering_admits_consumer_and_targets_exact_addresses(tmp_path: Path) -> None:
    text = (
        BASE
        + "services:\n  api: {vpc: a, port: 8080}\nconnections:\n  - {consumer: b, service: api, via: peering}\n"
    )
    net = plan(load(tmp_path, text)).network
    assert _ingress(net, "aws_security_group.api_targets") == {("tcp", "8080", "10.1.0.0/16")}
    egress = net.security_groups["aws_security_group.b_workload"].egress
    assert {str(r.cidr) for r in egress} == {"10.0.0.10/32", "10.0.1.10/32"}
    assert all(r.ports == PortRange.one(8080) for r in egress)


def test_dns_hostnames_only_where_needed() -> None:
    assert all(v.dns_hostnames for v in example("peering").network.vpcs.values())
    assert not any(v.dns_hostnames for v in example("privatelink").network.vpcs.values())


def test_nat_adds_public_subnets_gateway_and_default_route(tmp_path: Path) -> None:
    net = plan(
        load(
            tmp_path,
            BASE.replace(
                "azs: [us-east-1a, us-east-1b]\n  b:",
                "azs: [us-east-1a, us-east-1b]\n    nat: true\n  b:",
            ),
        )
    ).network
    assert {s.cidr for s in net.subnets.values() if "_public_" in s.id} == {
        IPv4Network("10.0.128.0/24"),
        IPv4Network("10.0.129.0/24"),
    }
    private = net.route_tables["aws_route_table.a_private"]
    assert any(
        r.kind == "nat_gateway" and str(r.destination) == "0.0.0.0/0" for r in private.routes
    )
    public = net.route_tables["aws_route_table.a_public"]
    assert any(r.kind == "internet_gateway" for r in public.routes)


def test_plan_is_deterministic() -> None:
    a = example("inter-region-privatelink")
    b = example("inter-region-privatelink")
    assert a.network == b.network and a.decisions == b.decisions
