"""What the exhaustive proof does not trace is said, never left to read as closed: an
interface of no instance (a Lambda function's, a database's), on-premises ranges behind a
VPN gateway, an internet-facing load balancer."""

from __future__ import annotations

from vpcwire.report.access_map import access_json, access_sarif, access_text
from vpcwire.verify.exhaustive import prove

from .builder import ALL_OUT, Net, rule


def _net() -> tuple[Net, str]:
    n = Net()
    a = n.vpc("a", "10.0.0.0/16")
    n.sg(a, "a", ingress=(rule(cidr="10.0.0.0/8"),), egress=(ALL_OUT,))
    s = n.subnet(a, "a1", "10.0.1.0/24")
    n.instance(s, "10.0.1.10", name="x", sgs=("sg-a",))
    n.instance(s, "10.0.1.11", name="y", sgs=("sg-a",))
    return n, s


def test_a_plain_network_is_covered_and_says_nothing_more() -> None:
    proof = prove(_net()[0].build(), {})
    assert proof.not_covered == ()
    assert "not covered" not in access_text(proof, "planned network")


def test_interfaces_on_premises_ranges_and_facing_balancers_are_named_not_covered() -> None:
    n, s = _net()
    n.eni(s, "10.0.1.50", name="lambda-fn", sgs=("sg-a",))  # kind "other"
    n.route("rtb-a", "192.168.0.0/16", "vgw-1", "vpn_gateway")
    n.route("rtb-a", "10.1.0.0/16", "pcx-none", "peering")  # a peering route: not onward
    lb = n.nlb("vpc-a", "web", (s,), ips=("10.0.1.60",))
    n.update("load_balancer", lb, internal=False)
    network = n.build()
    proof = prove(network, {})
    assert len(proof.not_covered) == 3, proof.not_covered
    ifaces, ranges, facing = proof.not_covered
    assert "1 network interface" in ifaces and "lambda-fn" in ifaces
    assert "web-node1" not in ifaces  # a balancer's node: its flows are the balancer's
    assert "192.168.0.0/16 via vgw-1" in ranges and "10.1.0.0/16" not in ranges
    assert "internet-facing load balancer: web" in facing
    text = access_text(proof, "planned network")
    assert "not covered (neither proved open nor closed): flows from and to 1 network" in text
    assert "3 parts of the network not covered (listed above)" in text.splitlines()[-1]
    assert access_json(proof, "x")["not_covered"] == list(proof.not_covered)
    notes = [r for r in access_sarif(proof, "x")["runs"][0]["results"] if r["level"] == "note"]
    assert [r["message"]["text"] for r in notes] == list(proof.not_covered)


def test_a_vpn_route_into_a_vpc_of_the_network_is_covered() -> None:
    n, _ = _net()
    n.vpc("b", "10.1.0.0/16")
    n.route("rtb-a", "10.1.0.0/16", "vgw-1", "vpn_gateway")  # into b: b's classes are traced
    n.route("rtb-a", "8.8.8.0/24", "vgw-1", "vpn_gateway")  # public: its blocks are traced
    assert prove(n.build(), {}).not_covered == ()


def test_an_instances_second_interface_is_not_covered() -> None:
    n, s = _net()
    n.eni(s, "10.0.1.70", name="x-second", sgs=("sg-a",), kind="instance", owner="i-x")
    (line,) = prove(n.build(), {}).not_covered
    assert "x-second" in line
