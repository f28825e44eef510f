"""Agreement per entry ENI: an endpoint or NLB destination is tried through each of its ENIs,
and each must say what the engine's branches through that ENI say. No kernel needed."""

from __future__ import annotations

from tests.verify import scenarios
from vpcwire.sandbox.dataplane.compare import agrees, entry_verdicts
from vpcwire.sandbox.dataplane.packets import PacketResult
from vpcwire.verify import Engine, Flow

FLOW = Flow("app1", "nlb-svc", "tcp", 8080)
NODES = ("eni-svc-node1", "eni-svc-node2")


def _result(node1: bool, node2: bool) -> PacketResult:
    entries = ((NODES[0], node1), (NODES[1], node2))
    return PacketResult(FLOW, node1 and node2, "", entries=entries)


def test_each_entry_must_match_the_engine_branches_through_it() -> None:
    trace = Engine(scenarios.privatelink().build()).trace(FLOW)
    # node1 sends app1 its own connection (loopback), node2 reaches app2
    assert entry_verdicts(trace, NODES) == {NODES[0]: False, NODES[1]: True}
    assert agrees(trace, _result(False, True))
    assert not agrees(trace, _result(True, False))  # the same count, the wrong entries
    assert not agrees(trace, _result(True, True))
    assert not agrees(trace, _result(False, False))
    # without per-entry results a partial verdict still accepts either
    assert agrees(trace, False) and agrees(trace, True)


def test_partial_packets_disagree_with_an_all_or_nothing_engine() -> None:
    n = scenarios.privatelink()
    n.update("target_group", "tg-svc", preserve_client_ip=False)
    trace = Engine(n.build()).trace(FLOW)
    assert trace.reachable
    assert agrees(trace, _result(True, True))
    assert not agrees(trace, _result(True, False))
