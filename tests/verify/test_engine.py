"""Resolving flow names, address destinations, stopped instances, every block listed, JSON."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

import vpcwire.verify as verify
from vpcwire.errors import UsageError
from vpcwire.verify import MEANINGS, Disposition, Engine, Flow, Reason, trace

from .builder import rule
from .scenarios import blocked, peered, privatelink, run


def test_public_api_is_pinned() -> None:
    assert sorted(verify.__all__) == sorted(
        [
            "EPHEMERAL_PORT",
            "MEANINGS",
            "Block",
            "Branch",
            "Disposition",
            "Engine",
            "Flow",
            "Hop",
            "Reason",
            "Step",
            "Trace",
            "trace",
        ]
    )


def test_every_reason_code_is_documented_and_used() -> None:
    assert set(MEANINGS) == set(Reason)
    source = "\n".join(
        p.read_text() for p in Path(verify.__file__).parent.glob("*.py") if p.name != "reasons.py"
    )
    used = set(re.findall(r"Reason\.([A-Z_]+)", source))
    assert used == {r.name for r in Reason}


def test_unknown_name_suggests_close_ones() -> None:
    # the instance and its ENI are both named "client": the name is offered once
    with pytest.raises(
        UsageError, match=r"unknown source 'clinet'.*did you mean 'client', 'i-client'"
    ):
        run(peered(), "clinet", "api")
    with pytest.raises(UsageError, match=r"unknown destination 'apo'.*did you mean 'api'"):
        run(peered(), "client", "apo")


def test_ambiguous_name_lists_the_ids() -> None:
    n = peered()
    n.instance("subnet-b1", "10.1.1.11", name="api2", sgs=("sg-api",))
    n.update("instance", "i-api2", name="api")
    with pytest.raises(
        UsageError,
        match=r"'api' is ambiguous: it names i-api \(Instance\), "
        r"i-api2 \(Instance\)",
    ):
        run(n, "client", "api")


def test_an_instance_and_its_eni_may_share_a_name() -> None:
    # builder names both the instance and its ENI "api": that is one destination.
    assert run(peered(), "client", "api").reachable
    assert run(peered(), "eni-client", "eni-api").reachable


def test_bad_flows_are_usage_errors() -> None:
    with pytest.raises(UsageError, match="port must be between 0 and 65535"):
        Flow("a", "b", "tcp", 70000)
    with pytest.raises(UsageError, match="protocol must be tcp, udp, icmp, all, or an IP"):
        Flow("a", "b", "sctp", 1)
    with pytest.raises(UsageError, match="protocol 50 has no ports"):
        Flow("a", "b", "50", 22)
    assert (Flow("a", "b", "6", 22).protocol, Flow("a", "b", "-1", 0).protocol) == ("tcp", "all")
    with pytest.raises(UsageError, match="ICMP type must be between 0 and 255"):
        Flow("a", "b", "icmp", 300)


def test_address_destination_finds_the_eni_where_the_route_leads() -> None:
    result = run(peered(), "client", "10.1.1.10")
    assert result.reachable
    assert result.notes == ("10.1.1.10 is held by i-api (api) in vpc-b",)


def test_address_held_by_no_eni_is_traced_to_the_subnet_edge() -> None:
    result = run(peered(), "client", "10.1.1.99")
    assert result.disposition is Disposition.UNREACHABLE
    assert blocked(result) == {"NOT_IN_NETWORK"}
    assert "traced up to the edge of subnet-b1" in result.blocks[0].detail
    kinds = [h.kind for h in result.hops]
    assert kinds == ["instance", "peering connection", "address"]


def test_address_in_a_subnet_with_unplaced_interfaces_is_unknown() -> None:
    n = privatelink(node_ips=False)
    n.peer("vpc-c", "vpc-p")
    n.set_rules("sg-client", egress=(rule(cidr="0.0.0.0/0"),))
    result = run(n, "client", "10.10.1.77")
    assert result.disposition is Disposition.UNKNOWN
    assert "an interface whose address is not known yet may hold it" in result.blocks[0].detail


def test_stopped_source_and_destination() -> None:
    n = peered()
    n.update("instance", "i-client", state="stopped")
    n.update("instance", "i-api", state="stopping")
    result = run(n, "client", "api")
    assert [b.resource for b in result.blocks] == ["i-client", "i-api"]
    assert blocked(result) == {"INSTANCE_NOT_RUNNING"}


def test_every_block_is_listed_not_only_the_first() -> None:
    n = peered()
    n.drop_routes("rtb-a", "pcx-a-b")
    n.set_rules("sg-api", ingress=())
    n.update("peering", "pcx-a-b", status="pending-acceptance")
    result = run(n, "client", "api")
    assert blocked(result) == {"NO_ROUTE", "SG_INGRESS_DENIED", "PEERING_NOT_ACTIVE"}


def test_trace_is_json_serialisable() -> None:
    result = run(privatelink(), "client", "vpce-svc")
    data = json.loads(json.dumps(result.to_dict()))
    assert data["disposition"] == "REACHABLE"
    assert data["flow"] == {
        "source": "client",
        "destination": "vpce-svc",
        "protocol": "tcp",
        "port": 8080,
    }
    assert {h["branch"] for h in data["hops"]} == {1, 2}
    assert data["branches"][0]["label"].startswith("eni-svc-eni1")


def test_engine_is_reusable_and_the_function_agrees() -> None:
    network = peered().build()
    engine = Engine(network)
    flow = Flow("client", "api", "tcp", 8080)
    assert engine.trace(flow) == engine.trace(flow) == trace(network, flow)
