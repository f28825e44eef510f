"""NLB → targets: AZs and cross-zone, IP targets outside the VPC (the outpost pattern),
client IP preservation, the NLB's own groups, stopped targets, every branch counted."""

from __future__ import annotations

from vpcwire.verify import Disposition

from .builder import Net, Target, rule
from .scenarios import B_ROOT, blocked, outpost, privatelink, run, step


def test_outpost_pattern_is_reachable() -> None:
    result = run(outpost(), "client", "vpce-outpost")
    assert result.reachable
    kinds = [(h.kind, h.direction) for h in result.hops]
    assert ("peering connection", "forward") in kinds
    assert ("peering connection", "return") in kinds


def test_outpost_without_the_peering_route_back() -> None:
    n = outpost()
    n.drop_routes("rtb-prov", "pcx-prov-outpost")
    result = run(n, "client", "vpce-outpost")
    assert blocked(result) == {"NO_RETURN_ROUTE"}
    assert result.blocks[0].fix == (
        "add a route to 10.30.0.0/16 via pcx-prov-outpost (prov-outpost) in rtb-prov (prov)"
    )


def test_outpost_target_must_admit_the_outpost_vpc() -> None:
    n = outpost()
    n.set_rules("sg-app", ingress=(rule("tcp", 8080, cidr="10.20.0.0/16"),))  # the consumer's
    result = run(n, "client", "vpce-outpost")
    assert blocked(result) == {"SG_INGRESS_DENIED"}
    assert result.blocks[0].fix == "allow tcp/8080 from 10.30.0.0/16 in sg-app (app) ingress"


def test_outpost_target_group_reference_fails_across_regions() -> None:
    n = outpost()
    nlb_sg = n.sg("vpc-outpost", "nlb", ingress=(rule(cidr="10.20.0.0/16"),))
    n.update("network_interface", "eni-outpost-node1", security_groups=(nlb_sg,))
    n.update("load_balancer", "nlb-outpost", security_groups=(nlb_sg,))
    n.set_rules("sg-app", ingress=(rule("tcp", 8080, group=nlb_sg),))
    result = run(n, "client", "vpce-outpost")
    assert blocked(result) == {"SG_INGRESS_DENIED"}
    assert "SG_REFERENCE_CROSS_REGION" in result.blocks[0].detail


def test_ip_target_outside_the_vpc_needs_az_all() -> None:
    n = outpost()
    n.update("target_group", "tg-outpost", targets=(Target("10.10.1.10", 8080, "eu-west-1a"),))
    result = run(n, "client", "vpce-outpost")
    assert blocked(result) == {"TARGET_AZ_NOT_ALL"}
    assert result.blocks[0].fix == (
        're-register 10.10.1.10 in tg-outpost (outpost) with availability_zone = "all"'
    )


def test_ip_target_outside_the_vpc_must_be_private() -> None:
    n = outpost()
    n.update("target_group", "tg-outpost", targets=(Target("8.8.8.8", 8080, "all"),))
    result = run(n, "client", "vpce-outpost")
    assert "TARGET_IP_NOT_ALLOWED" in blocked(result)


def test_cross_zone_off_leaves_a_node_without_targets() -> None:
    n = privatelink()
    n.update("target_group", "tg-svc", targets=(Target("i-app1"),))
    result = run(n, "client", "vpce-svc")
    assert result.disposition is Disposition.UNREACHABLE
    assert blocked(result) == {"NO_TARGETS"}
    assert result.blocks[0].branches == (2,)
    assert [b.disposition for b in result.branches] == ["REACHABLE", "UNREACHABLE"]
    n.update("load_balancer", "nlb-svc", cross_zone=True)
    result = run(n, "client", "vpce-svc")
    assert result.reachable
    assert len(result.branches) == 2


def test_cross_zone_on_fans_out_to_every_target() -> None:
    n = privatelink()
    n.update("load_balancer", "nlb-svc", cross_zone=True)
    n.set_rules("sg-app", ingress=(rule("tcp", 8080, cidr="10.10.1.0/24"),))
    result = run(n, "client", "vpce-svc")
    # 2 endpoint ENIs x 1 node each x 2 targets; app2's group admits only node1's subnet.
    assert len(result.branches) == 4
    failed = [b.label for b in result.branches if b.disposition != "REACHABLE"]
    assert failed == [
        "eni-svc-eni2 (svc-eni2) → eni-svc-node2 (svc-node2) → target i-app1:8080",
        "eni-svc-eni2 (svc-eni2) → eni-svc-node2 (svc-node2) → target i-app2:8080",
    ]


def test_empty_target_group() -> None:
    n = privatelink()
    n.update("target_group", "tg-svc", targets=())
    result = run(n, "client", "vpce-svc")
    assert blocked(result) == {"NO_TARGETS"}
    assert result.blocks[0].fix == "register targets in tg-svc (svc)"


def test_stopped_target() -> None:
    n = privatelink()
    n.update("instance", "i-app2", state="stopped")
    result = run(n, "client", "vpce-svc")
    assert blocked(result) == {"INSTANCE_NOT_RUNNING"}
    assert result.blocks[0].branches == (2,)
    assert result.blocks[0].fix == "start i-app2 (app2)"


def _direct() -> Net:
    """A client in a peered VPC talks to the provider's NLB itself (no endpoint)."""
    n = privatelink()
    p = "vpc-p"
    n.peer("vpc-c", p)
    return n


def test_direct_flow_to_an_nlb_preserves_the_client_ip_for_instance_targets() -> None:
    n = _direct()
    # The targets admit only the NLB's VPC: health checks pass, client traffic does not.
    result = run(n, "client", "nlb-svc")
    assert blocked(result) == {"SG_INGRESS_DENIED"}
    assert "preserved" in step(result, "client IP", branch=1).detail
    assert result.blocks[0].fix == "allow tcp/8080 from 10.20.0.0/16 in sg-app (app) ingress"
    n.add_rule("sg-app", rule("tcp", 8080, cidr="10.20.0.0/16"))
    assert run(n, "client", "nlb-svc").reachable


def test_health_checks_come_from_the_node_even_when_the_client_ip_is_preserved() -> None:
    n = _direct()
    n.set_rules("sg-app", ingress=(rule("tcp", 8080, cidr="10.20.0.0/16"),))
    # app2 passes the health checks, so the NLB does not fail open: app1 gets nothing
    n.sg("vpc-p", "app2", ingress=(rule("tcp", 8080, cidr="10.0.0.0/8"),))
    n.update("network_interface", "eni-app2", security_groups=("sg-app2",))
    result = run(n, "client", "nlb-svc")
    assert blocked(result) == {"SG_INGRESS_DENIED"}
    health = step(result, "security group ingress (health checks)", branch=1)
    assert not health.ok
    assert health.fix == "allow tcp/8080 from 10.10.0.0/16 in sg-app (app) ingress"
    assert [b.disposition for b in result.branches] == [
        Disposition.UNREACHABLE,
        Disposition.REACHABLE,
    ]


def test_the_nlb_fails_open_when_every_target_fails_its_health_checks() -> None:
    # Found while making the data plane preserve client addresses: AWS sends
    # to every target when all of them fail, and these admit the preserved client.
    n = _direct()
    n.set_rules("sg-app", ingress=(rule("tcp", 8080, cidr="10.20.0.0/16"),))
    result = run(n, "client", "nlb-svc")
    assert result.reachable
    assert "fails open" in step(result, "health checks", branch=1).detail


def test_ip_targets_do_not_preserve_the_client_ip_for_tcp() -> None:
    n = _direct()
    n.update(
        "target_group",
        "tg-svc",
        target_type="ip",
        targets=(Target("10.10.1.10"), Target("10.10.2.10")),
    )
    assert run(n, "client", "nlb-svc").reachable  # sg-app admits the NLB's VPC only


def test_nlb_security_groups_filter_direct_clients() -> None:
    n = _direct()
    n.add_rule("sg-app", rule("tcp", 8080, cidr="10.20.0.0/16"))
    nlb_sg = n.sg("vpc-p", "nlb", ingress=(rule("tcp", 8080, cidr="10.99.0.0/16"),))
    for node in ("eni-svc-node1", "eni-svc-node2"):
        n.update("network_interface", node, security_groups=(nlb_sg,))
    n.update("load_balancer", "nlb-svc", security_groups=(nlb_sg,))
    result = run(n, "client", "nlb-svc")
    assert blocked(result) == {"SG_INGRESS_DENIED"}
    assert result.blocks[0].resource == "sg-nlb"


def test_nlb_without_node_enis_has_one_node_per_subnet() -> None:
    n = Net()
    v = n.vpc("v", "10.0.0.0/16")
    s1 = n.subnet(v, "s1", "10.0.1.0/24", az="us-east-1a")
    s2 = n.subnet(v, "s2", "10.0.2.0/24", az="us-east-1b")
    n.sg(v, "app", ingress=(rule("tcp", 80, cidr="10.0.0.0/16"),))
    n.instance(s1, "10.0.1.10", name="app1", sgs=("sg-app",))
    n.instance(s2, "10.0.2.10", name="app2", sgs=("sg-app",))
    n.instance(s1, "10.0.1.20", name="client")
    lb = n.nlb(v, "web", (s1, s2), with_enis=False)
    tg = n.target_group(v, "web", 80, "instance", Target("i-app1"), Target("i-app2"))
    n.listener(lb, 80, "TCP", tg)
    n.service("web", (lb,), principals=(B_ROOT,))
    result = run(n, "client", "nlb-web", "tcp", 80)
    assert result.reachable
    assert [h.resource for h in result.hops if h.kind == "load balancer node"][:1] == [
        "nlb-web@subnet-s1"
    ]
    assert len(result.branches) == 2


def test_icmp_to_an_nlb_is_not_supported() -> None:
    n = _direct()
    result = run(n, "client", "nlb-svc", "icmp", 8)
    assert "PROTOCOL_NOT_SUPPORTED" in blocked(result)


def test_outpost_provider_cannot_call_the_consumer_back() -> None:
    result = run(outpost(), "app", "client")
    assert result.disposition is Disposition.UNREACHABLE
    one_way = result.blocks[0]
    assert one_way.reason == "ENDPOINT_ONE_WAY"
    assert one_way.resource == "vpce-outpost"
    assert one_way.fix == (
        "publish an endpoint service from vpc-c that vpc-prov consumes, or peer vpc-prov with vpc-c"
    )


def test_a_target_calling_its_own_nlb_with_its_address_preserved_times_out() -> None:
    # Found by the packet data plane: the kernel drops a packet from the target's own
    # address; AWS documents the same (no loopback with client IP preservation).
    n = privatelink()
    result = run(n, "app1", "nlb-svc")
    assert not result.reachable
    assert blocked(result) == {"NLB_LOOPBACK"}
    assert result.blocks[0].branches == (1,)  # only the node that sends app1 to itself
    assert {b.disposition for b in result.branches} == {
        Disposition.REACHABLE,
        Disposition.UNREACHABLE,
    }
    n.update("target_group", "tg-svc", preserve_client_ip=False)
    assert run(n, "app1", "nlb-svc").reachable  # the target now sees the node's address
