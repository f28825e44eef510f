"""Security groups: stateful, egress at the sender, ingress at the receiver; rules by CIDR,
referenced group (same VPC, or an active same-region peering) or prefix list."""

from __future__ import annotations

from vpcwire.verify import Disposition

from .builder import ACCOUNT_A, Net, rule
from .scenarios import blocked, peered, run, step


def test_stateful_reply_needs_no_rule() -> None:
    # sg-client has no ingress rule at all, yet the reply comes back.
    result = run(peered(), "client", "api")
    assert result.disposition is Disposition.REACHABLE
    assert "stateful" in step(result, "security group", direction="return").detail


def test_egress_denied_at_the_sender() -> None:
    n = peered()
    n.set_rules("sg-client", egress=(rule("tcp", 443, cidr="0.0.0.0/0"),))
    result = run(n, "client", "api")
    assert blocked(result) == {"SG_EGRESS_DENIED"}
    (block,) = result.blocks
    assert block.resource == "sg-client"
    assert block.fix == "allow tcp/8080 to 10.1.0.0/16 in sg-client (client) egress"


def test_ingress_denied_at_the_receiver_names_the_fix() -> None:
    n = peered()
    n.set_rules("sg-api", ingress=(rule("tcp", 8080, cidr="10.9.0.0/16"),))
    result = run(n, "client", "api")
    assert blocked(result) == {"SG_INGRESS_DENIED"}
    assert result.blocks[0].fix == "allow tcp/8080 from 10.0.0.0/16 in sg-api (api) ingress"


def test_cidr_rule_matches_by_containment() -> None:
    n = peered()
    n.set_rules("sg-api", ingress=(rule("tcp", 8080, cidr="10.0.1.10/32"),))
    assert run(n, "client", "api").reachable
    n.set_rules("sg-api", ingress=(rule("tcp", 8080, cidr="10.0.2.0/24"),))
    assert not run(n, "client", "api").reachable


def test_port_ranges_and_protocols() -> None:
    n = peered()
    n.set_rules("sg-api", ingress=(rule("tcp", (8000, 8999), cidr="10.0.0.0/8"),))
    assert run(n, "client", "api", "tcp", 8080).reachable
    assert not run(n, "client", "api", "udp", 8080).reachable
    assert not run(n, "client", "api", "tcp", 9000).reachable


def test_protocol_all_matches_everything() -> None:
    n = peered()
    n.set_rules("sg-api", ingress=(rule("all", cidr="10.0.0.0/16"),))
    for protocol, port in (("tcp", 1), ("udp", 53), ("icmp", 8)):
        assert run(n, "client", "api", protocol, port).reachable  # type: ignore[arg-type]


def test_icmp_rules_match_by_type() -> None:
    n = peered()
    n.set_rules("sg-api", ingress=(rule("icmp", 8, cidr="10.0.0.0/16"),))
    assert run(n, "client", "api", "icmp", 8).reachable
    assert not run(n, "client", "api", "icmp", 13).reachable
    n.set_rules("sg-api", ingress=(rule("icmp", None, cidr="10.0.0.0/16"),))  # all types
    assert run(n, "client", "api", "icmp", 13).reachable


def _same_vpc() -> Net:
    n = Net()
    v = n.vpc("v", "10.0.0.0/16")
    s1 = n.subnet(v, "s1", "10.0.1.0/24")
    s2 = n.subnet(v, "s2", "10.0.2.0/24")
    n.sg(v, "client")
    n.sg(v, "api", ingress=(rule("tcp", 8080, group="sg-client"),))
    n.instance(s1, "10.0.1.10", name="client", sgs=("sg-client",))
    n.instance(s2, "10.0.2.10", name="api", sgs=("sg-api",))
    n.instance(s1, "10.0.1.11", name="other", sgs=("sg-v-default",))
    return n


def test_group_reference_matches_members_in_the_same_vpc() -> None:
    n = _same_vpc()
    result = run(n, "client", "api")
    assert result.reachable
    assert step(result, "security group ingress").matched == "tcp/8080 sg-client"
    assert blocked(run(n, "other", "api")) == {"SG_INGRESS_DENIED"}


def test_group_reference_across_same_region_peering() -> None:
    n = peered()
    # "account/sg-id" is how a same-region cross-account reference is written.
    n.set_rules("sg-api", ingress=(rule("tcp", 8080, group=f"{ACCOUNT_A}/sg-client"),))
    assert run(n, "client", "api").reachable


def test_group_reference_needs_an_active_peering() -> None:
    n = peered()
    n.set_rules("sg-api", ingress=(rule("tcp", 8080, group="sg-client"),))
    n.update("peering", "pcx-a-b", status="pending-acceptance")
    result = run(n, "client", "api")
    assert blocked(result) == {"PEERING_NOT_ACTIVE", "SG_INGRESS_DENIED"}
    assert "only while pcx-a-b (a-b) is active" in step(result, "security group ingress").detail


def test_group_reference_never_matches_across_regions() -> None:
    n = Net()
    a = n.vpc("a", "10.0.0.0/16", region="us-east-1")
    b = n.vpc("b", "10.1.0.0/16", region="eu-west-1")
    n.sg(a, "client")
    n.sg(b, "api", ingress=(rule("tcp", 8080, group="sg-client"),))
    n.instance(n.subnet(a, "a1", "10.0.1.0/24"), "10.0.1.10", name="client", sgs=("sg-client",))
    n.instance(n.subnet(b, "b1", "10.1.1.0/24"), "10.1.1.10", name="api", sgs=("sg-api",))
    n.peer(a, b)
    result = run(n, "client", "api")
    assert blocked(result) == {"SG_INGRESS_DENIED"}
    ingress = step(result, "security group ingress")
    assert "SG_REFERENCE_CROSS_REGION" in ingress.detail
    assert ingress.fix == "allow tcp/8080 from 10.0.0.0/16 in sg-api (api) ingress"


def test_prefix_list_rule_matches_its_cidrs() -> None:
    n = peered()
    pl = n.prefix_list("clients", "192.168.0.0/16", "10.0.1.0/24")
    n.set_rules("sg-api", ingress=(rule("tcp", 8080, pl=pl),))
    assert run(n, "client", "api").reachable
    n.b.put(n.b.get("prefix_list", pl).__class__(pl, "clients", ()))
    assert blocked(run(n, "client", "api")) == {"SG_INGRESS_DENIED"}


def test_missing_security_group_falls_back_to_the_vpc_default() -> None:
    n = peered()
    n.update("network_interface", "eni-api", security_groups=())
    result = run(n, "client", "api")
    # The default group admits only its own members: the client is not one.
    assert blocked(result) == {"SG_INGRESS_DENIED"}
    assert result.blocks[0].resource == "sg-b-default"
    api = next(h for h in result.hops if h.resource == "i-api")
    assert "default sg-b-default applies" in api.detail
