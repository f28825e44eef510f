"""A peers group priced as its peering mesh against Transit Gateways, against hand sums
from the list prices (prices.json: $0.05/attachment-hour, $0.02/GB processed, cross-AZ
$0.01/GB each way, inter-region $0.02/GB, 730 h/month)."""

from __future__ import annotations

import json

from tests.conftest import EXAMPLES
from vpcwire.pipeline import plan
from vpcwire.report.cost import ConnectionCost
from vpcwire.report.cost_mechanisms import estimate
from vpcwire.report.cost_text import cost_json, cost_text
from vpcwire.report.pricing import load_prices
from vpcwire.spec.load import load_spec

PRICES = load_prices()


def example(gb: float) -> tuple[ConnectionCost, ...]:
    p = plan(load_spec(EXAMPLES / "transit-gateway.yaml"))
    return estimate(p, PRICES, default_gb=gb).connections


def totals(conn: ConnectionCost) -> dict[str, float]:
    return {e.mechanism: round(e.total, 4) for e in conn.estimates if e.viable}


def test_segments_by_hand_at_1000_gb() -> None:
    seg, dev = example(1000.0)
    assert seg.chosen == dev.chosen == "transit gateway"
    # shared, prod (us-east-1a/b) and west (us-west-2a), 1,000 GB over 3 pairs (333.3 each):
    # shared-prod: half the flows cross AZs: 166.7 GB x 0.02 = 3.333; shared-west and
    # prod-west: 666.7 GB x 0.02 inter-region = 13.333.
    # TGW: shared's attachment is split with the dev entry: (0.5 + 1 + 1) x 730 x 0.05 =
    # 91.25; the peering's two ends 2 x 730 x 0.05 = 73; 1,000 x 0.02 = 20; inter-region
    # 13.333 as over a peering.
    assert totals(seg) == {
        "peering": round(1000 / 6 * 0.02 + 2000 / 3 * 0.02, 4),
        "transit gateway": round(91.25 + 73 + 20 + 2000 / 3 * 0.02, 4),
    }
    # shared (a, b) and dev (a): half the flows cross AZs: 500 GB x 0.02 = 10;
    # TGW: (0.5 + 1) x 730 x 0.05 = 54.75 + 1,000 x 0.02 = 20
    assert totals(dev) == {"peering": 10.0, "transit gateway": 74.75}


def test_there_is_no_crossover_in_dollars_and_the_report_says_so() -> None:
    seg, _ = example(50.0)
    assert seg.crossovers == ()
    assert dict(seg.against_chosen)["peering"] == ()
    p = plan(load_spec(EXAMPLES / "transit-gateway.yaml"))
    report = estimate(p, PRICES, default_gb=50.0)
    text = cost_text(report)
    assert "peering is cheaper than transit gateway throughout" in text
    data = json.loads(json.dumps(cost_json(report)))
    chosen = [c["chosen"] for c in data["connections"]]
    assert chosen == ["transit gateway", "transit gateway"]
