"""PrivateLink as first-class hops: endpoint ENI, endpoint, service, NLB, targets."""

from __future__ import annotations

from ipaddress import IPv4Address

import pytest

from vpcwire.verify import Disposition

from .builder import ACCOUNT_A, ACCOUNT_B, rule
from .scenarios import blocked, privatelink, run, step


def test_consumer_reaches_the_service_on_every_branch() -> None:
    result = run(privatelink(), "client", "vpce-svc")
    assert result.reachable
    # One branch per endpoint ENI; each ENI's AZ has one NLB node with one target.
    assert [b.label for b in result.branches] == [
        "eni-svc-eni1 (svc-eni1) → eni-svc-node1 (svc-node1) → target i-app1:8080",
        "eni-svc-eni2 (svc-eni2) → eni-svc-node2 (svc-node2) → target i-app2:8080",
    ]
    kinds = [h.kind for h in result.hops_of(1)]
    assert kinds[:7] == [
        "instance",
        "endpoint interface",
        "interface endpoint",
        "endpoint service",
        "network load balancer",
        "target group",
        "load balancer node",
    ]


@pytest.mark.parametrize(
    ("principals", "ok"),
    [
        (("*",), True),
        ((f"arn:aws:iam::{ACCOUNT_B}:root",), True),
        ((f"arn:aws:iam::{ACCOUNT_B}:role/deployer",), True),
        (("arn:aws:iam::333333333333:root",), False),
        ((), False),
    ],
)
def test_allowed_principals(principals: tuple[str, ...], ok: bool) -> None:
    n = privatelink()
    n.update("endpoint_service", "vpce-svc-svc", allowed_principals=principals)
    result = run(n, "client", "vpce-svc")
    assert result.reachable is ok
    if not ok:
        assert blocked(result) == {"ENDPOINT_PRINCIPAL_NOT_ALLOWED"}
        assert result.blocks[0].fix == (
            f"add arn:aws:iam::{ACCOUNT_B}:root to the allowed principals of vpce-svc-svc (svc)"
        )


def test_the_service_owner_account_needs_no_allowed_principal() -> None:
    # AWS lets the service's own account connect with no allowed principals (the sandbox
    # too); a consumer VPC of the owner's account is therefore never refused.
    n = privatelink()
    n.update("endpoint_service", "vpce-svc-svc", allowed_principals=())
    n.update("vpc", "vpc-c", account=ACCOUNT_A)
    n.update("vpc_endpoint", "vpce-svc", account=ACCOUNT_A)
    result = run(n, "client", "vpce-svc")
    assert result.reachable
    assert step(result, "allowed principals", branch=1).detail == (
        f"account {ACCOUNT_A} owns vpce-svc-svc (svc): it needs no allowed principal"
    )


@pytest.mark.parametrize("state", ["pendingAcceptance", "rejected", "failed"])
def test_endpoint_must_be_accepted(state: str) -> None:
    n = privatelink()
    n.update("vpc_endpoint", "vpce-svc", state=state)
    result = run(n, "client", "vpce-svc")
    assert blocked(result) == {"ENDPOINT_NOT_ACCEPTED"}
    if state == "pendingAcceptance":
        assert result.blocks[0].fix == (
            "accept the connection from vpce-svc on vpce-svc-svc (svc) (account 111111111111)"
        )


def test_service_must_be_available() -> None:
    n = privatelink()
    n.update("endpoint_service", "vpce-svc-svc", state="Deleting")
    assert blocked(run(n, "client", "vpce-svc")) == {"ENDPOINT_SERVICE_NOT_AVAILABLE"}


def test_service_not_in_the_network_is_unknown() -> None:
    n = privatelink()
    n.update("vpc_endpoint", "vpce-svc", service_name="com.amazonaws.vpce.us-east-1.vpce-svc-x")
    result = run(n, "client", "vpce-svc")
    assert result.disposition is Disposition.UNKNOWN
    assert blocked(result) == {"ENDPOINT_SERVICE_NOT_FOUND"}


def test_nlb_not_in_the_network_is_unknown() -> None:
    n = privatelink()
    n.update("endpoint_service", "vpce-svc-svc", load_balancers=("nlb-unread",))
    result = run(n, "client", "vpce-svc")
    assert result.disposition is Disposition.UNKNOWN
    assert blocked(result) == {"ENDPOINT_SERVICE_NOT_FOUND"}


def test_privatelink_never_carries_icmp() -> None:
    n = privatelink()
    n.set_rules("sg-ep", ingress=(rule(cidr="10.20.0.0/16"),))
    result = run(n, "client", "vpce-svc", "icmp", 8)
    assert blocked(result) == {"PROTOCOL_NOT_SUPPORTED"}


@pytest.mark.parametrize(
    ("listener", "protocol", "ok"),
    [
        ("TCP", "udp", False),
        ("UDP", "udp", True),
        ("TCP_UDP", "udp", True),
        ("TCP_UDP", "tcp", True),
        ("TLS", "tcp", True),
        ("UDP", "tcp", False),
    ],
)
def test_listener_protocols(listener: str, protocol: str, ok: bool) -> None:
    n = privatelink()
    n.update("listener", "lst-nlb-svc-8080-tcp", protocol=listener)
    n.set_rules("sg-ep", ingress=(rule(cidr="10.20.0.0/16"),))
    n.set_rules("sg-app", ingress=(rule(cidr="10.10.0.0/16"),))
    result = run(n, "client", "vpce-svc", protocol, 8080)  # type: ignore[arg-type]
    assert result.reachable is ok
    if not ok:
        assert blocked(result) == {"NO_LISTENER"}


def test_wrong_port_has_no_listener() -> None:
    n = privatelink()
    n.set_rules("sg-ep", ingress=(rule("tcp", None, cidr="10.20.0.0/16"),))
    result = run(n, "client", "vpce-svc", "tcp", 9090)
    assert blocked(result) == {"NO_LISTENER"}
    assert result.blocks[0].fix == (
        "add a TCP listener on port 9090 to nlb-svc (svc), forwarding to a target group"
    )


def test_endpoint_security_group_must_admit_the_client() -> None:
    n = privatelink()
    n.set_rules("sg-ep", ingress=())
    result = run(n, "client", "vpce-svc")
    assert blocked(result) == {"SG_INGRESS_DENIED"}
    assert result.blocks[0].fix == "allow tcp/8080 from 10.20.0.0/16 in sg-ep (ep) ingress"


def test_targets_see_the_nlb_node_not_the_client() -> None:
    # Client IP is never preserved for PrivateLink traffic: admitting the consumer's CIDR
    # at the target does not help, admitting the NLB's VPC does.
    n = privatelink()
    n.set_rules("sg-app", ingress=(rule("tcp", 8080, cidr="10.20.0.0/16"),))
    result = run(n, "client", "vpce-svc")
    assert blocked(result) == {"SG_INGRESS_DENIED"}
    assert result.blocks[0].fix == "allow tcp/8080 from 10.10.0.0/16 in sg-app (app) ingress"
    assert "not preserved" in step(result, "client IP", branch=1).detail


def test_unknown_node_address_matches_only_rules_covering_its_subnet() -> None:
    n = privatelink(node_ips=False)
    n.set_rules(
        "sg-app",
        ingress=(rule("tcp", 8080, cidr="10.10.1.0/25"), rule("tcp", 8080, cidr="10.10.2.0/24")),
    )
    result = run(n, "client", "vpce-svc")
    assert [b.branches for b in result.blocks] == [(1,)]
    assert "covers only part of an address in subnet-p1 (10.10.1.0/24)" in result.blocks[0].detail


@pytest.mark.parametrize(
    ("enforce", "allowed", "ok"),
    [
        (True, "10.20.0.0/16", True),
        (True, "10.99.0.0/16", False),
        (False, "10.99.0.0/16", True),
    ],
)
def test_nlb_security_group_on_privatelink_traffic(enforce: bool, allowed: str, ok: bool) -> None:
    n = privatelink()
    nlb_sg = n.sg("vpc-p", "nlb", ingress=(rule("tcp", 8080, cidr=allowed),))
    for node in ("eni-svc-node1", "eni-svc-node2"):
        n.update("network_interface", node, security_groups=(nlb_sg,))
    n.update(
        "load_balancer", "nlb-svc", security_groups=(nlb_sg,), enforce_sg_on_privatelink=enforce
    )
    result = run(n, "client", "vpce-svc")
    assert result.reachable is ok
    if not ok:
        assert blocked(result) == {"SG_INGRESS_DENIED"}
        assert result.blocks[0].resource == "sg-nlb"


def test_endpoint_in_an_az_without_an_nlb_node() -> None:
    n = privatelink()
    c3 = n.subnet("vpc-c", "c3", "10.20.3.0/24", az="us-east-1e", az_id="use1-az6")
    n.update("network_interface", "eni-svc-eni2", subnet=c3, private_ip=IPv4Address("10.20.3.50"))
    result = run(n, "client", "vpce-svc")
    assert blocked(result) == {"ENDPOINT_AZ_NOT_SUPPORTED"}
    assert result.blocks[0].branches == (2,)


def test_native_cross_region_privatelink() -> None:
    n = privatelink()
    n.update("vpc", "vpc-c", region="eu-west-1")
    result = run(n, "client", "vpce-svc")
    assert blocked(result) == {"ENDPOINT_REGION_NOT_SUPPORTED"}
    assert result.blocks[0].fix == (
        'set service_region = "us-east-1" on vpce-svc (svc) and add eu-west-1 to the supported '
        "regions of vpce-svc-svc (svc)"
    )
    n.update("vpc_endpoint", "vpce-svc", service_region="us-east-1")
    n.update("endpoint_service", "vpce-svc-svc", supported_regions=("us-east-1", "eu-west-1"))
    result = run(n, "client", "vpce-svc")
    assert result.reachable
    # Cross-region, an endpoint ENI may land on any node: 2 ENIs x 2 nodes.
    assert len(result.branches) == 4


def test_flow_to_an_endpoint_eni_address_takes_that_eni_only() -> None:
    result = run(privatelink(), "client", "10.20.2.50")
    assert result.reachable
    assert len(result.branches) == 1
    assert result.notes == ("10.20.2.50 is held by eni-svc-eni2 (svc-eni2) in vpc-c",)


def test_provider_cannot_start_a_connection_back_through_the_endpoint() -> None:
    n = privatelink()
    result = run(n, "app1", "client")
    assert result.disposition is Disposition.UNREACHABLE
    assert result.reasons[0] == "ENDPOINT_ONE_WAY"
    assert result.blocks[0].resource == "vpce-svc"
    assert "NO_ROUTE" in blocked(result)
