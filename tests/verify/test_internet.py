"""Flows that leave the VPC: internet gateway, NAT gateway, gateway endpoints, and private
addresses sent to those gateways (dropped, not unknown). One test per rule of
verify/gateways.py and routing._private_via_gateway."""

from __future__ import annotations

from ipaddress import IPv4Address
from pathlib import Path

import pytest

from vpcwire.errors import UsageError
from vpcwire.pipeline import plan
from vpcwire.spec.load import load_spec
from vpcwire.verify import Disposition

from .builder import entry, rule
from .scenarios import blocked, internet, run, step


def kinds(result: object) -> list[str]:
    return [hop.kind for hop in result.hops]  # type: ignore[attr-defined]


def test_public_instance_reaches_a_public_address_through_the_internet_gateway() -> None:
    result = run(internet(), "web", "8.8.8.8", port=443)
    assert result.disposition is Disposition.REACHABLE, str(result)
    assert "internet gateway" in kinds(result)
    assert "NAT gateway" not in kinds(result)
    assert "198.51.100.10" in step(result, "public address").detail
    assert step(result, "route").matched is None or True  # route step names the IGW below
    assert "via igw-a" in step(result, "route").detail


def test_instance_without_public_address_is_not_carried_by_the_internet_gateway() -> None:
    n = internet()
    n.update("network_interface", "eni-web", public_ip=None)
    result = run(n, "web", "8.8.8.8", port=443)
    assert result.disposition is Disposition.UNREACHABLE
    assert blocked(result) == {"NO_PUBLIC_IP"}
    (block,) = result.blocks
    assert "Elastic IP" in block.fix and "NAT gateway" in block.fix


def test_private_instance_reaches_the_internet_through_the_nat_gateway() -> None:
    result = run(internet(), "worker", "8.8.8.8", port=443)
    assert result.disposition is Disposition.REACHABLE, str(result)
    forward = [h.kind for h in result.hops if h.direction == "forward"]
    assert forward == ["instance", "NAT gateway", "internet gateway", "address"]
    assert "203.0.113.5" in step(result, "public address").detail
    assert "10.0.0.5" in step(result, "translation").detail


def test_private_nat_gateway_never_reaches_the_internet() -> None:
    n = internet()
    n.update("nat_gateway", "nat-a", connectivity="private")
    result = run(n, "worker", "8.8.8.8", port=443)
    assert result.disposition is Disposition.UNREACHABLE
    assert blocked(result) == {"NAT_NO_INTERNET"}


def test_nat_gateway_subnet_without_internet_route() -> None:
    n = internet()
    n.drop_routes("rtb-a-public", "igw-a")
    result = run(n, "worker", "8.8.8.8", port=443)
    assert blocked(result) == {"NAT_NO_INTERNET"}
    assert (
        result.blocks[0].fix == "add a route to 0.0.0.0/0 via igw-a (a) in rtb-a-public (a-public)"
    )


def test_nat_gateway_not_available() -> None:
    n = internet()
    n.update("nat_gateway", "nat-a", state="pending")
    result = run(n, "worker", "8.8.8.8", port=443)
    assert blocked(result) == {"GATEWAY_NOT_AVAILABLE"}


def test_route_to_a_missing_internet_gateway() -> None:
    n = internet()
    n.update("internet_gateway", "igw-a", vpc="vpc-b")
    result = run(n, "web", "8.8.8.8", port=443)
    assert blocked(result) == {"GATEWAY_NOT_AVAILABLE"}
    assert "attached to vpc-b" in result.blocks[0].detail


def test_nat_subnet_acl_must_let_replies_in() -> None:
    n = internet()
    n.nacl(
        "vpc-a",
        "pub-acl",
        ("subnet-pub",),
        entry(100, egress=False, cidr="10.0.0.0/16"),
        entry(100, egress=True),
    )
    result = run(n, "worker", "8.8.8.8", port=443)
    assert blocked(result) == {"NACL_INGRESS_DENIED"}
    (block,) = result.blocks
    assert block.resource == "acl-pub-acl"
    assert "1024-65535" in block.fix


def test_security_group_egress_applies_to_internet_flows() -> None:
    n = internet()
    n.set_rules("sg-out", egress=(rule("tcp", 443, cidr="0.0.0.0/0"),))
    assert run(n, "worker", "internet", port=443).reachable
    result = run(n, "worker", "internet", port=22)
    assert blocked(result) == {"SG_EGRESS_DENIED"}


def test_private_address_through_the_nat_default_route_is_dropped_not_unknown() -> None:
    """terraform-aws-modules shape: 0.0.0.0/0 -> NAT in the private subnet, db in an
    unconnected VPC. The NAT sends it to the IGW, which never delivers a private address."""
    result = run(internet(), "worker", "db", port=5432)
    assert result.disposition is Disposition.UNREACHABLE
    # b has no route back either: both directions are reported, neither as unknown
    assert blocked(result) == {"PRIVATE_VIA_GATEWAY", "NO_RETURN_ROUTE"}
    assert not any(b.unknown for b in result.blocks)
    block = next(b for b in result.blocks if b.reason == "PRIVATE_VIA_GATEWAY")
    assert block.resource == "rtb-a-private"
    assert "peer vpc-a with vpc-b" in block.fix
    assert "internet gateway igw-a" in block.detail


def test_an_address_an_eni_holds_resolves_to_that_eni() -> None:
    result = run(internet(), "worker", "10.1.1.10", port=5432)
    assert any("held by i-db" in note for note in result.notes)
    assert blocked(result) == {"PRIVATE_VIA_GATEWAY", "NO_RETURN_ROUTE"}
    assert result.hops[-1].resource == "i-worker"  # the return path ends at the client
    assert any(h.resource == "i-db" for h in result.hops)


def test_private_address_through_the_internet_gateway_is_dropped() -> None:
    result = run(internet(), "web", "db", port=5432)
    assert blocked(result) == {"PRIVATE_VIA_GATEWAY", "NO_RETURN_ROUTE"}
    assert "internet gateway never delivers" in result.blocks[0].detail


def test_private_address_through_nat_then_transit_gateway_is_unknown() -> None:
    n = internet()
    n.route("rtb-a-public", "10.0.0.0/8", "tgw-1", "transit_gateway")
    n.route("rtb-b", "10.0.0.0/16", "tgw-1", "transit_gateway")
    result = run(n, "worker", "db", port=5432)
    assert result.disposition is Disposition.UNKNOWN
    # the NAT gateway's onward TGW is not followed; db's own route names a TGW not read
    assert blocked(result) == {"ROUTE_TARGET_NOT_MODELLED", "NOT_IN_NETWORK"}


def test_unrouted_private_address_is_not_routed_through_nat() -> None:
    result = run(internet(), "worker", "10.9.9.9", port=5432)
    assert result.disposition is Disposition.UNREACHABLE
    assert blocked(result) == {"PRIVATE_VIA_GATEWAY"}


def test_s3_through_the_nat_gateway_checks_every_block_of_its_prefix_list() -> None:
    result = run(internet(), "worker", "s3", port=443)
    assert result.reachable, str(result)
    assert len(result.branches) == 2
    assert result.notes == (
        "s3 in us-east-1 is the prefix list pl-s3 (com.amazonaws.us-east-1.s3): 2 blocks, "
        "each traced",
    )
    assert {b.label for b in result.branches} == {
        "com.amazonaws.us-east-1.s3 (52.216.0.0/15)",
        "com.amazonaws.us-east-1.s3 (3.5.0.0/19)",
    }


def test_s3_through_an_associated_gateway_endpoint() -> None:
    n = internet()
    n.gateway_endpoint("vpc-a", "s3", "s3", ("rtb-a-private",))
    result = run(n, "worker", "s3", port=443)
    assert result.reachable, str(result)
    assert "gateway endpoint" in kinds(result)
    assert "NAT gateway" not in kinds(result)


def test_gateway_endpoint_route_in_a_table_not_associated() -> None:
    n = internet()
    ep = n.gateway_endpoint("vpc-a", "s3", "s3", ("rtb-a-private",))
    n.update("vpc_endpoint", ep, route_tables=())
    result = run(n, "worker", "s3", port=443)
    assert blocked(result) == {"GATEWAY_ENDPOINT_NOT_ASSOCIATED"}
    assert result.blocks[0].fix == "associate rtb-a-private (a-private) with vpce-s3 (s3)"


def test_gateway_endpoint_only_serves_the_tables_associated_with_it() -> None:
    """The public subnet's table is not associated: web reaches DynamoDB over the internet."""
    n = internet()
    n.gateway_endpoint("vpc-a", "ddb", "dynamodb", ("rtb-a-private",))
    worker = run(n, "worker", "dynamodb", port=443)
    web = run(n, "web", "dynamodb", port=443)
    assert "gateway endpoint" in kinds(worker)
    assert "gateway endpoint" not in kinds(web)
    assert "internet gateway" in kinds(web)


def test_gateway_endpoint_never_serves_a_peer_vpc() -> None:
    n = internet()
    n.gateway_endpoint("vpc-a", "s3", "s3", ("rtb-a-private",))
    n.update("route_table", "rtb-a", subnets=())
    c = n.vpc("c", "10.2.0.0/16")
    n.sg(c, "c-out")
    n.instance(n.subnet(c, "c1", "10.2.1.0/24"), "10.2.1.10", name="peer", sgs=("sg-c-out",))
    pcx = n.peer("vpc-a", c)
    n.route("rtb-c", "0.0.0.0/0", pcx)
    result = run(n, "peer", "s3", port=443)
    assert result.disposition is Disposition.UNREACHABLE
    assert blocked(result) == {"EDGE_TO_EDGE"}


def test_peer_nat_gateway_is_never_used() -> None:
    n = internet()
    c = n.vpc("c", "10.2.0.0/16")
    n.sg(c, "c-out")
    n.instance(n.subnet(c, "c1", "10.2.1.0/24"), "10.2.1.10", name="peer", sgs=("sg-c-out",))
    pcx = n.peer("vpc-a", c)
    n.route("rtb-c", "0.0.0.0/0", pcx)
    n.update("route_table", "rtb-a-private", subnets=("subnet-priv",))
    # a's main table (the peering's other side) has no default route; its private table does
    n.route("rtb-a", "0.0.0.0/0", "nat-a", "nat_gateway")
    result = run(n, "peer", "8.8.8.8", port=443)
    assert blocked(result) == {"EDGE_TO_EDGE"}


def test_service_prefix_list_missing_is_a_usage_error() -> None:
    n = internet()
    n.update("vpc", "vpc-a", region="eu-west-1")
    with pytest.raises(UsageError, match=r"com\.amazonaws\.eu-west-1\.s3"):
        run(n, "worker", "s3", port=443)


def test_a_resource_named_like_a_keyword_wins() -> None:
    n = internet()
    n.update("instance", "i-db", name="internet")
    result = run(n, "worker", "internet", port=5432)
    assert "PRIVATE_VIA_GATEWAY" in blocked(result)


def test_internet_needs_the_default_route() -> None:
    n = internet()
    n.drop_routes("rtb-a-private", "nat-a")
    result = run(n, "worker", "internet", port=443)
    assert result.disposition is Disposition.UNREACHABLE
    assert blocked(result) == {"NO_ROUTE"}
    assert result.blocks[0].fix.startswith(
        "add a route to 0.0.0.0/0 in rtb-a-private (a-private) via a NAT gateway"
    )


NAT_SPEC = """\
name: natdemo
accounts:
  main: {id: "111111111111"}
vpcs:
  app:
    region: us-east-1
    cidr: 10.0.0.0/16
    azs: [us-east-1a, us-east-1b]
    instances: 1
    nat: true
  lonely:
    region: us-east-1
    cidr: 10.2.0.0/16
    azs: [us-east-1a]
    instances: 1
connections: []
"""


def test_planned_nat_network_reaches_the_internet_as_deployed(tmp_path: Path) -> None:
    """The planner's `nat: true` network carries the NAT gateway, its subnet's internet
    route and the workload's 80/443 egress, so the plan answers like the live network."""
    spec = tmp_path / "nat.yaml"
    spec.write_text(NAT_SPEC)
    network = plan(load_spec(spec)).network
    ok = run(network, "app_client_1", "internet", port=443)
    assert ok.reachable, str(ok)
    assert [h.kind for h in ok.hops if h.direction == "forward"] == [
        "instance",
        "NAT gateway",
        "internet gateway",
        "internet",
    ]
    assert "its Elastic IP" in step(ok, "public address").detail  # unknown until applied
    assert blocked(run(network, "app_client_1", "internet", port=22)) == {"SG_EGRESS_DENIED"}
    isolated = run(network, "app_client_1", "lonely_client_1", port=22)
    assert isolated.disposition is Disposition.UNREACHABLE
    assert "PRIVATE_VIA_GATEWAY" in blocked(isolated)


def test_a_public_address_an_eni_holds_is_reached_through_both_gateways() -> None:
    """worker -> web's Elastic IP: out through the NAT gateway, in through web's internet
    gateway; web's security group sees the NAT gateway's public address."""
    n = internet()
    n.set_rules("sg-out", ingress=(rule("tcp", 443, cidr="203.0.113.5/32"),))
    result = run(n, "worker", "198.51.100.10", port=443)
    assert result.reachable, str(result)
    assert any("public address of i-web" in note for note in result.notes)
    forward = [h.kind for h in result.hops if h.direction == "forward"]
    assert forward == [
        "instance",
        "NAT gateway",
        "internet gateway",
        "internet gateway",
        "instance",
    ]
    assert "from 203.0.113.5" in step(result, "security group ingress").detail


def test_a_public_address_needs_the_security_group_to_admit_the_public_source() -> None:
    n = internet()
    n.set_rules("sg-out", ingress=(rule("tcp", 443, cidr="10.0.0.0/8"),))
    result = run(n, "worker", "198.51.100.10", port=443)
    assert blocked(result) == {"SG_INGRESS_DENIED"}
    assert "203.0.113.5" in result.blocks[0].fix


def test_a_public_address_needs_the_reply_routed_to_the_internet_gateway() -> None:
    n = internet()
    n.set_rules("sg-out", ingress=(rule("tcp", 443, cidr="0.0.0.0/0"),))
    n.drop_routes("rtb-a-public", "igw-a")
    n.route("rtb-a-public", "0.0.0.0/0", "nat-a", "nat_gateway")
    result = run(n, "worker", "198.51.100.10", port=443)
    assert "NO_RETURN_ROUTE" in blocked(result)
    reply = next(b for b in result.blocks if b.reason == "NO_RETURN_ROUTE")
    assert reply.fix == "add a route to 0.0.0.0/0 via igw-a (a) in rtb-a-public (a-public)"


def test_a_rule_for_a_service_should_name_its_prefix_list() -> None:
    n = internet()
    n.set_rules("sg-out", egress=(rule("tcp", 443, cidr="10.0.0.0/8"),))
    result = run(n, "worker", "s3", port=443)
    assert blocked(result) == {"SG_EGRESS_DENIED"}
    assert {b.fix for b in result.blocks} == {
        "allow tcp/443 to pl-s3 (com.amazonaws.us-east-1.s3) in sg-out (out) egress"
    }


def test_nat_gateway_subnet_with_a_blackhole_internet_route() -> None:
    n = internet()
    n.drop_routes("rtb-a-public", "igw-a")
    n.route("rtb-a-public", "0.0.0.0/0", "igw-a", "internet_gateway", state="blackhole")
    result = run(n, "worker", "8.8.8.8", port=443)
    assert blocked(result) == {"NAT_NO_INTERNET"}
    assert "blackhole" in result.blocks[0].detail


@pytest.mark.parametrize(
    ("address", "what"),
    [
        ("169.254.169.254", "link-local"),
        ("127.0.0.1", "loopback"),
        ("224.0.0.5", "multicast"),
        ("255.255.255.255", "reserved"),
        ("0.1.2.3", "this network"),
    ],
)
def test_addresses_no_route_carries_are_a_usage_error(address: str, what: str) -> None:
    with pytest.raises(UsageError, match=what):
        run(internet(), "worker", address, port=80)


def test_a_loopback_address_held_as_a_public_address_is_traced() -> None:
    """moto hands out Elastic IPs from 127.0.0.0/8: one an ENI holds is still a destination."""
    n = internet()
    n.update("network_interface", "eni-web", public_ip=IPv4Address("127.1.2.3"))
    n.set_rules("sg-out", ingress=(rule("tcp", 443, cidr="0.0.0.0/0"),))
    assert run(n, "worker", "127.1.2.3", port=443).reachable


def test_an_address_several_unrouted_enis_hold_is_ambiguous() -> None:
    n = internet()
    c = n.vpc("c", "10.1.0.0/16")  # overlaps b, like every default-sized VPC does
    n.instance(n.subnet(c, "c1", "10.1.1.0/24"), "10.1.1.10", name="twin", sgs=())
    with pytest.raises(UsageError, match=r"held by 2 network interfaces.*eni-db in vpc-b"):
        run(n, "worker", "10.1.1.10", port=5432)
    assert blocked(run(n, "worker", "db", port=5432)) >= {"PRIVATE_VIA_GATEWAY"}
