"""VPC peering: active only, no overlap, not transitive, no edge-to-edge, routes both ways."""

from __future__ import annotations

import pytest

from vpcwire.verify import Disposition

from .builder import Net, rule
from .scenarios import blocked, peered, run, step


@pytest.mark.parametrize(
    ("status", "fix"),
    [
        ("pending-acceptance", "accept pcx-a-b (a-b) in account 111111111111 (us-east-1)"),
        ("failed", "re-create the peering between vpc-a and vpc-b"),
        ("rejected", "re-create the peering between vpc-a and vpc-b"),
    ],
)
def test_only_an_active_peering_carries_traffic(status: str, fix: str) -> None:
    n = peered()
    n.update("peering", "pcx-a-b", status=status)
    result = run(n, "client", "api")
    assert blocked(result) == {"PEERING_NOT_ACTIVE"}
    assert result.blocks[0].fix == fix


def test_overlapping_cidrs_make_the_peering_unusable() -> None:
    # moto lets this peering go active; AWS fails it.
    n = Net()
    a = n.vpc("a", "10.0.0.0/16")
    b = n.vpc("b", "10.1.0.0/16", "10.0.128.0/17")
    n.sg(b, "api", ingress=(rule("tcp", 8080, cidr="10.0.0.0/8"),))
    n.instance(n.subnet(a, "a1", "10.0.1.0/24"), "10.0.1.10", name="client")
    n.instance(n.subnet(b, "b1", "10.1.1.0/24"), "10.1.1.10", name="api", sgs=("sg-api",))
    n.peer(a, b)
    result = run(n, "client", "api")
    assert "PEERING_OVERLAP" in blocked(result)
    overlap = next(b for b in result.blocks if b.reason == "PEERING_OVERLAP")
    assert "10.0.0.0/16 and 10.0.128.0/17" in overlap.detail


def _chain() -> Net:
    """a — b — c peered in a chain, with every route a hopeful admin might add."""
    n = Net()
    vpcs = [n.vpc(x, f"10.{i}.0.0/16") for i, x in enumerate("abc")]
    for i, v in enumerate(vpcs):
        n.sg(v, f"{'abc'[i]}-open", ingress=(rule(cidr="10.0.0.0/8"),))
        n.instance(
            n.subnet(v, f"{'abc'[i]}1", f"10.{i}.1.0/24"),
            f"10.{i}.1.10",
            name="abc"[i],
            sgs=(f"sg-{'abc'[i]}-open",),
        )
    n.peer(vpcs[0], vpcs[1])
    n.peer(vpcs[1], vpcs[2])
    n.route("rtb-a", "10.2.0.0/16", "pcx-a-b")
    n.route("rtb-c", "10.0.0.0/16", "pcx-b-c")
    return n


def test_peering_is_not_transitive() -> None:
    result = run(_chain(), "a", "c")
    # Both ways: a's route to c and c's route back to a each end in b.
    assert [(b.reason, b.resource) for b in result.blocks] == [
        ("NOT_TRANSITIVE", "pcx-a-b"),
        ("NOT_TRANSITIVE", "pcx-b-c"),
    ]
    assert result.blocks[0].fix == (
        "peer vpc-a with vpc-c directly and route 10.2.0.0/16 via that peering in rtb-a (a)"
    )
    assert run(_chain(), "a", "b").reachable


def test_a_direct_peering_fixes_it() -> None:
    n = _chain()
    n.peer("vpc-a", "vpc-c", routes=False)
    result = run(n, "a", "c")
    transit = next(b for b in result.blocks if b.reason == "NOT_TRANSITIVE")
    assert transit.fix == "route 10.2.0.0/16 via pcx-a-c (a-c) in rtb-a (a) instead of pcx-a-b"
    n.drop_routes("rtb-a", "pcx-a-b")
    n.drop_routes("rtb-c", "pcx-b-c")
    n.route("rtb-a", "10.2.0.0/16", "pcx-a-c")
    n.route("rtb-c", "10.0.0.0/16", "pcx-a-c")
    assert run(n, "a", "c").reachable


def test_no_edge_to_edge_routing_through_the_peers_gateway() -> None:
    n = peered()
    n.route("rtb-a", "0.0.0.0/0", "pcx-a-b")
    n.route("rtb-b", "0.0.0.0/0", n.igw("vpc-b", "b"), "internet_gateway")
    result = run(n, "client", "8.8.8.8")
    assert "EDGE_TO_EDGE" in blocked(result)
    edge = next(b for b in result.blocks if b.reason == "EDGE_TO_EDGE")
    assert "internet gateway igw-b" in edge.detail


def test_an_address_outside_the_peer_is_dropped() -> None:
    n = peered()
    n.route("rtb-a", "172.16.0.0/12", "pcx-a-b")
    result = run(n, "client", "172.16.0.5")
    assert blocked(result) == {"NOT_IN_PEER_VPC"}
    assert result.blocks[0].fix == "remove the route to 172.16.0.5 via pcx-a-b from rtb-a (a)"


def test_peer_in_an_account_we_did_not_read_is_unknown() -> None:
    n = peered()
    n.route("rtb-a", "10.7.0.0/16", "pcx-other")
    n.b.add(
        n.b.get("peering", "pcx-a-b").__class__(
            "pcx-other",
            "other",
            "vpc-a",
            "vpc-unread",
            "111111111111",
            "333333333333",
            "us-east-1",
            "us-east-1",
        )
    )
    result = run(n, "client", "10.7.0.5")
    assert result.disposition is Disposition.UNKNOWN
    assert blocked(result) == {"NOT_IN_NETWORK"}


def test_secondary_cidr_of_the_peer_is_reachable() -> None:
    n = Net()
    a = n.vpc("a", "10.0.0.0/16")
    b = n.vpc("b", "10.1.0.0/16", "100.64.0.0/16")
    n.sg(b, "api", ingress=(rule("tcp", 8080, cidr="10.0.0.0/16"),))
    n.instance(n.subnet(a, "a1", "10.0.1.0/24"), "10.0.1.10", name="client")
    n.instance(n.subnet(b, "b2", "100.64.1.0/24"), "100.64.1.10", name="api", sgs=("sg-api",))
    n.peer(a, b)
    result = run(n, "client", "api")
    assert result.reachable
    assert step(result, "route").matched == "100.64.0.0/16 via pcx-a-b"


def test_inter_region_peering_works_with_cidr_rules() -> None:
    n = peered()
    n.update("vpc", "vpc-b", region="eu-west-1")
    n.update("peering", "pcx-a-b", accepter_region="eu-west-1")
    result = run(n, "client", "api")
    assert result.reachable
    peering = next(h for h in result.hops if h.kind == "peering connection")
    assert "vpc-b (eu-west-1)" in peering.detail
