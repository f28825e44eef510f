"""The decision guide's added rules: many ports, native limits by AZ id, TGW advice."""

from __future__ import annotations

from itertools import combinations

from tests.rules.helpers import doc, pair, planned, vpc
from vpcwire.plan.plan import Decision


def _decision(data: dict[str, object], index: int = 0) -> Decision:
    return next(d for d in planned(data).decisions if d.index == index)


def _codes(d: Decision) -> list[str]:
    return [r.code for r in d.reasons]


def test_more_ports_than_privatelink_listeners_means_peering() -> None:
    data = pair()
    data["services"]["api"] = {
        "vpc": "provider",
        "ports": list(range(9000, 9051)),
        "targets": {"instances": 1},
    }
    d = _decision(data)
    assert d.mechanism == "peering"
    assert _codes(d) == ["many-ports"]
    assert any(a.mechanism == "privatelink" and "50 listeners" in a.why_not for a in d.rejected)


def test_unsupported_az_id_sends_native_to_the_outpost() -> None:
    data = pair("us-west-2")
    data["accounts"] = {
        "main": {
            "id": "111111111111",
            "az_ids": {"us-east-1a": "use1-az3", "us-east-1b": "use1-az1"},
        }
    }
    d = _decision(data)
    assert d.mechanism == "outpost"
    assert "native-limits" in _codes(d)
    why = next(r for r in d.reasons if r.code == "native-limits")
    assert "use1-az3" in why.text and why.url.endswith("#endpoint-service-cross-region")
    native = next(a for a in d.rejected if a.mechanism == "native")
    assert "use1-az3" in native.why_not


def test_native_where_it_fits() -> None:
    d = _decision(pair("us-west-2"))
    assert d.mechanism == "native" and "cross-region" in _codes(d)


def test_any_to_any_mesh_gets_transit_gateway_advice() -> None:
    names = [f"v{k}" for k in range(6)]
    data = doc(
        {n: vpc(cidr=f"10.{k}.0.0/16", azs=["us-east-1a"]) for k, n in enumerate(names)},
        connections=[{"peers": [x, y]} for x, y in combinations(names, 2)],
    )
    d = _decision(data)
    assert d.mechanism == "peering"
    assert "transit-gateway-advice" in _codes(d)
    tgw = next(a for a in d.rejected if a.mechanism == "transit gateway")
    assert "worth considering" in tgw.why_not


def test_one_pair_gets_no_transit_gateway_advice() -> None:
    d = _decision(
        doc({"a": vpc(), "b": vpc(cidr="10.1.0.0/16")}, connections=[{"peers": ["a", "b"]}])
    )
    assert "transit-gateway-advice" not in _codes(d)
