"""Transit Gateways with real packets: the kernel judges the engine on TGW estates.

Each case states the expected packet result outright (a plane that drops or passes
everything fails) and requires the engine to agree. The estates are tests/verify/transit_net.py's.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis import strategies as st

from tests.verify.builder import entry
from tests.verify.strategies import flows
from tests.verify.transit_net import (
    add_route,
    endpoint_behind_tgw,
    hub,
    segments,
    through_x,
    two_az,
    two_regions,
)
from tests.verify.transit_strategies import tgw_networks
from vpcwire.network import Network
from vpcwire.sandbox.dataplane.layout import build_layout
from vpcwire.verify import Flow

from .helpers import disagreements, outcomes

pytestmark = pytest.mark.filterwarnings("error")


def _check(net: Network, cases: list[tuple[Flow, bool]], state: Path) -> None:
    found = outcomes(net, [f for f, _ in cases], state)
    assert disagreements(found) == []
    assert [(str(o.flow), o.packets) for o in found] == [(str(f), want) for f, want in cases]


def test_two_vpcs_reach_each_other_through_one_tgw(plane_dir: Path) -> None:
    cases = [
        (Flow("a", "b", "tcp", 8080), True),
        (Flow("b", "a", "tcp", 8080), True),
        (Flow("a", "b", "icmp", 8), True),
        (Flow("a", "b", "udp", 53), False),  # b's group admits tcp/8080 and icmp only
    ]
    _check(hub().build(), cases, plane_dir)


def test_a_blackhole_and_a_missing_vpc_route_drop(plane_dir: Path) -> None:
    n = hub()
    add_route(n, "tgw-rtb-main", "10.1.1.0/24", None)
    _check(n.build(), [(Flow("a", "b", "tcp", 8080), False)], plane_dir)
    n = hub()
    n.drop_routes("rtb-b", "tgw-hub")  # the reply has no way back
    _check(n.build(), [(Flow("a", "b", "tcp", 8080), False)], plane_dir)


def test_segments_are_isolated_and_share_the_shared_vpc(plane_dir: Path) -> None:
    cases = [
        (Flow("prod", "shared", "tcp", 8080), True),
        (Flow("dev", "shared", "tcp", 8080), True),
        (Flow("shared", "dev", "tcp", 8080), True),
        (Flow("prod", "dev", "tcp", 8080), False),
        (Flow("dev", "prod", "tcp", 8080), False),
    ]
    _check(segments().build(), cases, plane_dir)


def test_az_affinity_is_real(plane_dir: Path) -> None:
    # b's us-east-1a attachment subnet lets nothing out; its us-east-1b one is open
    cases = [(Flow("a", "b", "tcp", 8080), False), (Flow("a-b", "b", "tcp", 8080), True)]
    _check(two_az().build(), cases, plane_dir)


def test_inter_region_peering_needs_its_static_route(plane_dir: Path) -> None:
    _check(two_regions().build(), [(Flow("a", "w", "tcp", 8080), True)], plane_dir)
    _check(two_regions(static=False).build(), [(Flow("a", "w", "tcp", 8080), False)], plane_dir)


def test_tgw_namespaces_and_legs_stay_inside_our_namespaces() -> None:
    layout = build_layout(two_regions().build(), "abc123")
    tgws = [b for b in layout.boxes if b.role == "tgw"]
    assert sorted(b.resource for b in tgws) == ["tgw-east", "tgw-west"]
    for line in layout.host_lines:
        words = line.split()
        assert words[:2] in (["netns", "add"], ["link", "add"]), line
        if words[:2] == ["link", "add"]:
            assert words.count("netns") == 2, line
            assert all(
                words[i + 1].startswith("vwabc123-") for i, w in enumerate(words) if w == "netns"
            )
    east = next(b for b in tgws if b.resource == "tgw-east")
    # one table for a's leg, one for the peering; the peering's holds the static route only
    assert sum(x.startswith("rule add pref 1000 iif") for x in east.ip_lines) == 2


def test_an_endpoint_behind_a_tgw_carries_packets(plane_dir: Path) -> None:
    # x -> TGW -> c's endpoint ENIs -> PrivateLink -> p's NLB -> app1/app2
    cases = [(Flow("x-client", "vpce-svc", "tcp", 8080), True)]
    _check(endpoint_behind_tgw().build(), cases, plane_dir)


@settings(
    max_examples=6,
    deadline=None,
    phases=[Phase.generate],
    database=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(st.data())
def test_random_tgw_estates_agree_with_the_engine(plane_dir: Path, data: st.DataObject) -> None:
    drawn = data.draw(tgw_networks())
    drawn_flows = data.draw(st.lists(flows(drawn), min_size=3, max_size=6))
    assert disagreements(outcomes(drawn.net.build(), drawn_flows, plane_dir)) == []


def test_a_hairpin_through_another_vpc(plane_dir: Path) -> None:
    _check(through_x().build(), [(Flow("a", "b", "tcp", 8080), True)], plane_dir)
    n = through_x()
    n.nacl("vpc-x", "x-shut", ("subnet-x-tgw",), entry(100, egress=True))
    _check(n.build(), [(Flow("a", "b", "tcp", 8080), False)], plane_dir)
