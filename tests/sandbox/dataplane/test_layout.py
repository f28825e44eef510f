"""The layout alone (no kernel): names, what goes into the host namespace, and the rules.

These run anywhere. They pin the promises that keep the host safe — the host namespace
only ever gets `netns add` and veth pairs born inside our namespaces, never an address or
a route — and the translation of AWS rules into nftables text.
"""

from __future__ import annotations

from ipaddress import IPv4Network

from tests.verify import scenarios
from tests.verify.builder import entry, rule
from vpcwire.network import PortRange
from vpcwire.sandbox.dataplane import build_layout
from vpcwire.sandbox.dataplane.filters import nacl_chain, protocol_match, sg_lines


def test_every_namespace_carries_the_sandbox_id_and_the_host_gets_no_address() -> None:
    layout = build_layout(scenarios.outpost().build(), "abc123")
    assert all(b.name.startswith("vwabc123-") for b in layout.boxes)
    for line in layout.host_lines:
        words = line.split()
        assert words[:2] in (["netns", "add"], ["link", "add"]), line
        if words[:2] == ["link", "add"]:
            # both ends are created directly inside namespaces of ours
            assert words.count("netns") == 2, line
            assert all(
                words[i + 1].startswith("vwabc123-") for i, w in enumerate(words) if w == "netns"
            )


def test_one_router_per_vpc_one_namespace_per_interface() -> None:
    net = scenarios.privatelink().build()
    layout = build_layout(net, "x")
    roles = sorted(b.role for b in layout.boxes)
    # 2 VPCs; instances app1, app2, client; 2 NLB nodes; 2 endpoint ENIs
    assert roles == sorted(["vpc"] * 2 + ["instance"] * 3 + ["node"] * 2 + ["endpoint"] * 2)


def test_each_endpoint_eni_links_to_the_node_in_its_az_id() -> None:
    layout = build_layout(scenarios.privatelink().build(), "x")
    pairs = {
        layout.slots[e].address.packed[-1]: layout.slots[n].address.packed[-1]
        for e, n in layout.privatelinks
    }
    # consumer 10.20.1.50 (use1-az1) -> node 10.10.1.5; 10.20.2.50 (use1-az2) -> 10.10.2.5
    assert pairs == {50: 5} and len(layout.privatelinks) == 2
    subnets = {layout.slots[e].subnet: layout.slots[n].subnet for e, n in layout.privatelinks}
    assert subnets == {"subnet-c1": "subnet-p1", "subnet-c2": "subnet-p2"}


def test_no_link_while_the_endpoint_is_not_accepted() -> None:
    n = scenarios.privatelink()
    n.update("vpc_endpoint", "vpce-svc", state="pendingAcceptance")
    assert build_layout(n.build(), "x").privatelinks == ()


def test_inactive_peering_gets_no_link_and_its_routes_are_blackholes() -> None:
    n = scenarios.peered()
    n.update("peering", "pcx-a-b", status="pending-acceptance")
    layout = build_layout(n.build(), "x")
    assert not any(" p0 " in line for line in layout.host_lines)
    router = next(b for b in layout.boxes if b.resource == "vpc-a")
    assert "route add blackhole 10.1.0.0/16 table 1000" in router.ip_lines


def test_planned_interfaces_without_addresses_get_free_ones_in_their_subnet() -> None:
    layout = build_layout(scenarios.outpost().build(), "x")  # node addresses unknown
    node = next(s for s in layout.slots.values() if s.role == "node")
    assert node.address in IPv4Network("10.30.1.0/24")
    assert str(node.address) == "10.30.1.254"


def test_protocol_matches() -> None:
    assert protocol_match("all", None) == ""
    assert protocol_match("tcp", PortRange(8080, 8080)) == "ip protocol tcp tcp dport 8080"
    assert protocol_match("udp", PortRange(0, 65535)) == "ip protocol udp"
    assert protocol_match("icmp", PortRange(8, 8)) == "ip protocol icmp icmp type 8"
    assert protocol_match("icmp", None) == "ip protocol icmp"


def test_security_group_rules_become_accepts_and_empty_groups_admit_nobody() -> None:
    net = scenarios.peered().build()
    rules = [rule("tcp", 8080, cidr="10.0.0.0/16"), rule(group="sg-nobody"), rule(cidr="0.0.0.0/0")]
    assert sg_lines(net, rules, "ingress", {}) == [
        "ip saddr 10.0.0.0/16 ip protocol tcp tcp dport 8080 accept",
        "accept",
    ]


def test_nacl_entries_in_number_order_then_the_implicit_deny() -> None:
    entries = (
        entry(200, egress=False),
        entry(100, egress=False, allow=False, protocol="tcp", ports=22, cidr="10.0.0.0/8"),
        entry(100, egress=True),
    )
    assert nacl_chain(entries, egress=False) == [
        "ip saddr 10.0.0.0/8 ip protocol tcp tcp dport 22 drop",
        "return",
        "drop",
    ]
    assert nacl_chain(entries, egress=True) == ["return", "drop"]
