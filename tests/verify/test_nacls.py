"""Network ACLs: stateless, per subnet, first match by rule number, implicit deny, replies
need their own allow (ephemeral ports; ICMP echo reply), same-subnet traffic not filtered."""

from __future__ import annotations

from ipaddress import IPv4Address

from vpcwire.verify import EPHEMERAL_PORT, Disposition

from .builder import Net, entry, rule
from .scenarios import blocked, peered, privatelink, run, step


def test_first_matching_rule_wins_in_number_order() -> None:
    n = peered()
    # Listed out of order on purpose: 100 (deny) is evaluated before 200 (allow).
    n.nacl(
        "vpc-b",
        "b-strict",
        ("subnet-b1",),
        entry(200, egress=False, cidr="10.0.0.0/16"),
        entry(100, egress=False, allow=False, protocol="tcp", ports=8080, cidr="10.0.1.0/24"),
        entry(100, egress=True),
    )
    n.set_rules("sg-api", ingress=(rule("tcp", (8000, 8999), cidr="10.0.0.0/16"),))
    result = run(n, "client", "api")
    assert blocked(result) == {"NACL_INGRESS_DENIED"}
    denied = step(result, "network ACL ingress")
    assert denied.matched == "rule 100"
    assert "numbered below 100" in (denied.fix or "")
    assert run(n, "client", "api", "tcp", 8081).reachable


def test_implicit_deny_even_when_the_entry_is_missing() -> None:
    # moto omits rule 32767 from custom ACLs; the deny still applies.
    n = peered()
    n.nacl("vpc-b", "b-strict", ("subnet-b1",), entry(100, egress=True))
    result = run(n, "client", "api")
    assert blocked(result) == {"NACL_INGRESS_DENIED"}
    ingress = step(result, "network ACL ingress")
    assert ingress.matched == "rule *"
    assert "implicit deny" in ingress.detail


def test_reply_needs_ephemeral_ports_allowed_back_in() -> None:
    n = peered()
    n.nacl(
        "vpc-a",
        "a-strict",
        ("subnet-a1",),
        entry(100, egress=True),
        entry(100, egress=False, protocol="tcp", ports=(0, 1023)),
    )
    result = run(n, "client", "api")
    assert result.disposition is Disposition.UNREACHABLE
    back = step(result, "network ACL ingress", direction="return")
    assert not back.ok
    assert f"tcp/{EPHEMERAL_PORT} (reply to tcp/8080, an ephemeral port)" in back.detail
    assert back.fix == (
        "add an inbound rule allowing tcp/1024-65535 (the replies to tcp/8080) "
        "from 10.1.0.0/16 to acl-a-strict (a-strict), as rule 110"
    )
    # With the ephemeral range open the flow works.
    n.nacl(
        "vpc-a",
        "a-open",
        (),
        entry(100, egress=True),
        entry(100, egress=False, protocol="tcp", ports=(1024, 65535)),
    )
    n.update("network_acl", "acl-a-strict", subnets=())
    n.update("network_acl", "acl-a-open", subnets=("subnet-a1",))
    assert run(n, "client", "api").reachable


def test_reply_leaves_through_the_responders_egress_rules() -> None:
    n = peered()
    n.nacl(
        "vpc-b",
        "b-strict",
        ("subnet-b1",),
        entry(100, egress=False),
        entry(100, egress=True, protocol="tcp", ports=8080),
    )  # wrong: replies use 49152
    assert blocked(run(n, "client", "api")) == {"NACL_EGRESS_DENIED"}


def test_icmp_reply_is_echo_reply() -> None:
    n = peered()
    n.set_rules("sg-api", ingress=(rule("icmp", 8, cidr="10.0.0.0/16"),))
    n.nacl(
        "vpc-b",
        "b-strict",
        ("subnet-b1",),
        entry(100, egress=False, protocol="icmp", ports=8),
        entry(100, egress=True, protocol="icmp", ports=8),
    )
    result = run(n, "client", "api", "icmp", 8)
    assert blocked(result) == {"NACL_EGRESS_DENIED"}
    assert (
        "icmp type 0 (reply to icmp type 8)"
        in step(result, "network ACL egress", direction="return").detail
    )
    n.nacl(
        "vpc-b",
        "b-icmp",
        (),
        entry(100, egress=False, protocol="icmp", ports=8),
        entry(100, egress=True, protocol="icmp", ports=0),
    )
    n.update("network_acl", "acl-b-strict", subnets=())
    n.update("network_acl", "acl-b-icmp", subnets=("subnet-b1",))
    assert run(n, "client", "api", "icmp", 8).reachable


def test_traffic_within_one_subnet_does_not_cross_its_acl() -> None:
    n = Net()
    v = n.vpc("v", "10.0.0.0/16")
    s = n.subnet(v, "s", "10.0.1.0/24")
    n.sg(v, "open", ingress=(rule(cidr="10.0.0.0/16"),))
    n.instance(s, "10.0.1.10", name="one", sgs=("sg-open",))
    n.instance(s, "10.0.1.11", name="two", sgs=("sg-open",))
    n.nacl(v, "closed", (s,))  # no entries at all: everything crossing it is denied
    result = run(n, "one", "two")
    assert result.reachable
    assert "not crossed" in step(result, "network ACL egress").detail


def _app1_in_its_own_subnet(n: Net) -> str:
    """Move target app1 out of the NLB node's subnet, so that the node→target leg crosses
    the target subnet's ACL."""
    p3 = n.subnet("vpc-p", "p3", "10.10.3.0/24", az="us-east-1a", az_id="use1-az1")
    n.update("network_interface", "eni-app1", subnet=p3, private_ip=IPv4Address("10.10.3.10"))
    n.update("instance", "i-app1", subnet=p3)
    return p3


def test_unknown_address_needs_an_allow_covering_the_whole_subnet() -> None:
    # The NLB nodes' addresses are unknown (a plan): an allow covering only half of the
    # node's subnet does not count, whatever address AWS may pick.
    n = privatelink(node_ips=False)
    p3 = _app1_in_its_own_subnet(n)
    n.nacl(
        "vpc-p",
        "p-half",
        (p3,),
        entry(100, egress=False, cidr="10.10.1.0/25"),
        entry(100, egress=True),
    )
    result = run(n, "client", "vpce-svc")
    assert blocked(result) == {"NACL_INGRESS_DENIED"}
    assert [b.branches for b in result.blocks] == [(1,)]  # only the branch to app1
    details = [s.detail for h in result.hops for s in h.steps if not s.ok]
    assert any(
        "rule 100 allows only part of an address in subnet-p1 (10.10.1.0/24)" in d for d in details
    )
    n.nacl(
        "vpc-p",
        "p-whole",
        (),
        entry(100, egress=False, cidr="10.10.1.0/24"),
        entry(100, egress=True),
    )
    n.update("network_acl", "acl-p-half", subnets=())
    n.update("network_acl", "acl-p-whole", subnets=(p3,))
    assert run(n, "client", "vpce-svc").reachable


def test_a_deny_covering_part_of_an_unknown_address_blocks() -> None:
    n = privatelink(node_ips=False)
    p3 = _app1_in_its_own_subnet(n)
    n.nacl(
        "vpc-p",
        "p-partial",
        (p3,),
        entry(50, egress=False, allow=False, cidr="10.10.1.128/25"),
        entry(100, egress=False, cidr="10.10.0.0/16"),
        entry(100, egress=True),
    )
    result = run(n, "client", "vpce-svc")
    assert blocked(result) == {"NACL_INGRESS_DENIED"}
    details = [s.detail for h in result.hops for s in h.steps if not s.ok]
    assert any("rule 50 denies tcp/8080 from part of an address in subnet-p1" in d for d in details)
