"""Properties that must hold on any network, checked on random small ones."""

from __future__ import annotations

import random
from dataclasses import replace

from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from vpcwire.network import NetworkAcl, NetworkBuilder, RouteTable
from vpcwire.verify import Engine, Flow, Reason

from .builder import rule
from .strategies import Drawn, chains, flows, networks

FAST = settings(max_examples=100, deadline=None, suppress_health_check=[HealthCheck.too_slow])
MORE = settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])


@MORE
@given(st.data(), networks(open_security=True))
def test_removing_any_route_on_a_working_path_breaks_it(data: st.DataObject, drawn: Drawn) -> None:
    flow = data.draw(flows(drawn))
    result = Engine(drawn.net.build()).trace(flow)
    assume(result.reachable)
    used = {
        (s.resource, s.matched)
        for h in result.hops
        for s in h.steps
        if s.action == "route" and s.matched not in (None, "local")
    }
    for table, matched in used:
        assert table is not None and matched is not None
        target = matched.split(" via ")[1]
        destination = matched.split(" via ")[0]
        rt = drawn.net.b.get("route_table", table)
        kept = tuple(
            r for r in rt.routes if not (r.target == target and str(r.destination) == destination)
        )
        network = NetworkBuilder(drawn.net.build())
        network.put(type(rt)(rt.id, rt.name, rt.vpc, kept, rt.subnets, rt.main))
        after = Engine(network.build()).trace(flow)
        assert not after.reachable, f"still reachable without {matched} in {table}"
        assert after.reasons[0] in (Reason.NO_ROUTE, Reason.NO_RETURN_ROUTE)


@FAST
@given(chains())
def test_peering_never_carries_a_to_c_through_b(net: object) -> None:
    from .builder import Net

    assert isinstance(net, Net)
    engine = Engine(net.build())
    count = len(engine.network.vpcs)
    for i in range(count):
        for j in range(count):
            if abs(i - j) >= 2:
                result = engine.trace(Flow(f"h{i}", f"h{j}", "tcp", 8080))
                assert not result.reachable
                assert result.reasons  # and it says why


@FAST
@given(st.data(), networks())
def test_adding_an_allow_rule_never_breaks_a_reachable_flow(
    data: st.DataObject, drawn: Drawn
) -> None:
    flow = data.draw(flows(drawn))
    before = Engine(drawn.net.build()).trace(flow)
    sg = data.draw(st.sampled_from([f"sg-x{i}" for i in range(len(drawn.vpcs))]))
    new = data.draw(
        st.sampled_from(
            [
                rule("tcp", 8080, cidr="10.1.0.0/16"),
                rule("all", cidr="0.0.0.0/0"),
                rule("udp", 53, group="sg-x0"),
                rule("icmp", None, cidr="10.0.0.0/8"),
            ]
        )
    )
    drawn.net.add_rule(sg, new, egress=data.draw(st.booleans()))
    after = Engine(drawn.net.build()).trace(flow)
    if before.reachable:
        assert after.reachable
    assert set(after.reasons) <= set(before.reasons)


@FAST
@given(st.data(), networks(), st.randoms(use_true_random=False))
def test_disposition_does_not_depend_on_insertion_order(
    data: st.DataObject, drawn: Drawn, rng: random.Random
) -> None:
    flow = data.draw(flows(drawn))
    network = drawn.net.build()
    everything = list(network.resources())
    rng.shuffle(everything)
    shuffled = NetworkBuilder()
    for account in network.accounts.values():
        shuffled.add_account(account)
    for resource in everything:
        if isinstance(resource, RouteTable):
            routes = list(resource.routes)
            rng.shuffle(routes)
            resource = replace(resource, routes=tuple(routes))
        if isinstance(resource, NetworkAcl):
            entries = list(resource.entries)
            rng.shuffle(entries)
            resource = replace(resource, entries=tuple(entries))
        shuffled.add(resource)
    first = Engine(network).trace(flow)
    second = Engine(shuffled.build()).trace(flow)
    assert first.disposition == second.disposition
    assert first.to_dict() == second.to_dict()
