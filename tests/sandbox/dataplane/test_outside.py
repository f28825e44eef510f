"""Flows beyond the data plane (the internet, AWS services, public addresses) are never sent:
no packet may leave the namespaces, so the engine judges them alone and the probe says so.
These need no kernel: the destination is recognised before any namespace is looked up."""

from __future__ import annotations

import pytest

from tests.verify import scenarios
from vpcwire.sandbox.dataplane import build_layout
from vpcwire.sandbox.dataplane.compare import Comparison, comparison_text
from vpcwire.sandbox.dataplane.packets import OUTSIDE, _probe
from vpcwire.verify.flow import Flow
from vpcwire.verify.intents import Intent, evaluate


@pytest.mark.parametrize("destination", ["internet", "s3", "8.8.8.8"])
def test_destinations_beyond_the_data_plane_are_not_sent(destination: str) -> None:
    net = scenarios.peered().build()
    layout = build_layout(net, "t0")
    result = _probe(net, layout, Flow("client", destination, "tcp", 443), 0.1)
    assert result.outside and result.reached is None
    assert result.word == "not emulated" and result.detail == OUTSIDE


def test_a_private_destination_is_not_outside() -> None:
    net = scenarios.peered().build()
    layout = build_layout(net, "t0")
    # the destination resolves inside the data plane; with no namespaces built the probe
    # stops at the missing source namespace, never at "beyond the data plane"
    result = _probe(net, layout, Flow("client", "10.1.1.10", "tcp", 8080), 0.1)
    assert not result.outside


def test_the_probe_table_counts_outside_flows_apart_and_keeps_the_engine_verdict() -> None:
    net = scenarios.peered().build()
    layout = build_layout(net, "t0")
    intent = Intent("egress", None, "reachable", Flow("client", "internet", "tcp", 443), "why")
    (verdict,) = evaluate(net, [intent])
    row = Comparison(verdict, _probe(net, layout, intent.flow, 0.1))
    assert row.outside and row.agree
    assert row.ok == verdict.ok  # the engine's verdict, nothing else, decides
    text = comparison_text([row], where="test")
    assert "0 intents sent" in text and "1 beyond the data plane (engine only)" in text
    assert "not emulated" in text and "≠" not in text
