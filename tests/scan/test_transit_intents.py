"""What a configuration with Transit Gateways promises (scan's derived intents): VPCs whose
TGW route tables join them both ways are promised each other's admitted ports, the rest
stay isolated — segments included. Expected results written from the estates' docstrings
(tests/verify/transit_net.py) before running."""

from __future__ import annotations

from tests.verify.transit_net import segments, two_regions
from vpcwire.network import Network
from vpcwire.scan.intents import derive_intents
from vpcwire.verify.intents import evaluate


def _pairs(network: Network) -> dict[tuple[str, str], bool]:
    vpc_of = {i.id: network.vpcs[i.vpc].name for i in network.instances.values()}
    return {
        (vpc_of[i.flow.source], vpc_of[i.flow.destination]): i.expect == "reachable"
        for i in derive_intents(network)
        if i.flow.source in vpc_of and i.flow.destination in vpc_of
    }


def test_segments_are_promised_their_links_and_kept_apart() -> None:
    network = segments().build()
    pairs = _pairs(network)
    for a, b in (("prod", "shared"), ("dev", "shared")):
        assert pairs[(a, b)] is True and pairs[(b, a)] is True
    # prod and dev share a TGW but no table joins them: isolated
    assert pairs.get(("prod", "dev"), False) is False and pairs.get(("dev", "prod"), False) is False
    assert any(k in pairs for k in (("prod", "dev"), ("dev", "prod")))
    for verdict in evaluate(network, derive_intents(network)):
        assert verdict.ok, verdict.intent.key


def test_a_tgw_peering_without_the_static_route_back_promises_nothing() -> None:
    assert _pairs(two_regions().build()).get(("a", "w")) is True
    # east's table lacks the static route to w: one way only, so the pair is "isolated"
    assert _pairs(two_regions(static=False).build()).get(("a", "w"), False) is False
