"""Per-connection estimates on the examples and small specs, checked against hand sums."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tests.conftest import EXAMPLES
from tests.rules.helpers import pair, planned
from vpcwire.pipeline import plan
from vpcwire.report.cost import ConnectionCost, CostReport
from vpcwire.report.cost_mechanisms import estimate
from vpcwire.report.cost_text import cost_json, cost_text
from vpcwire.report.pricing import load_prices
from vpcwire.spec.load import load_spec

PRICES = load_prices()
PRICES_FILE = Path(__file__).resolve().parents[2] / "src" / "vpcwire" / "report" / "prices.json"


def report_of(name: str, **kw: float) -> CostReport:
    return estimate(plan(load_spec(EXAMPLES / f"{name}.yaml")), PRICES, **kw)  # type: ignore[arg-type]


def totals(conn: ConnectionCost) -> dict[str, float]:
    return {e.mechanism: round(e.total, 4) for e in conn.estimates if e.viable}


def test_same_region_privatelink_by_hand() -> None:
    conn = report_of("privatelink").connections[0]  # 50 GB/month, both VPCs in us-east-1a/b
    assert conn.chosen == "privatelink" and conn.gb == 50
    assert totals(conn) == {
        # 2 endpoint AZs x 730 h x 0.01 + 50 GB x 0.01 + 25 GB (half the clients' bytes cross
        # to the other AZ's endpoint) x 0.02 + 730 h x 0.0225 NLB + 50 NLCU-h x 0.006
        "privatelink": round(14.60 + 0.50 + 0.50 + 16.425 + 0.30, 4),
        "peering": 0.50,  # 25 GB cross-AZ x (0.01 out + 0.01 in)
        "transit gateway": 74.00,  # 2 attachments x 730 h x 0.05 + 50 GB x 0.02
    }
    assert conn.crossovers == ()  # peering stays cheapest over 0-100,000 GB
    against = dict(conn.against_chosen)
    # PrivateLink 31.025 + 0.026 v against the TGW's 73 + 0.02 v: equal at 41.975 / 0.006
    assert [round(x.gb, 2) for x in against["transit gateway"]] == [6995.83]
    assert against["peering"] == ()


def test_outpost_and_its_alternatives_by_hand() -> None:
    conn = report_of("inter-region-privatelink").connections[0]  # 100 GB, us-west-2 -> us-east-1
    assert conn.chosen == "outpost"
    assert totals(conn) == {
        # endpoint 14.60 + processing 1.00 + cross-AZ 1.00 + outpost NLB 16.425 + NLCU 0.60
        # + inter-region 100 GB x 0.02
        "outpost": 35.625,
        # as the outpost, with the provider's NLB, plus 730 h x 0.05 for the remote region
        "native": 72.125,
        "peering": 2.00,  # 100 GB x 0.02 inter-region
        # 2 VPC + 2 peering attachments x 730 h x 0.05, 100 GB x 0.02 processed and transferred
        "transit gateway": 150.00,
    }
    assert "privatelink" not in totals(conn)


def test_overlapping_cidrs_leave_only_privatelink() -> None:
    conn = report_of("cross-account").connections[0]
    viable = [e.mechanism for e in conn.estimates if e.viable]
    assert viable == ["privatelink"]
    why = {e.mechanism: e.why_not for e in conn.estimates}
    assert "overlap" in why["peering"] and "overlap" in why["transit gateway"]


def test_missing_traffic_uses_the_default() -> None:
    conn = report_of("peering").connections[0]
    assert (conn.gb, conn.gb_given) == (0, False)
    conn = report_of("peering", default_gb=1000).connections[0]
    assert conn.gb == 1000 and totals(conn)["peering"] == 10.00  # half of 1000 GB x 0.02


@pytest.mark.parametrize("path", sorted(EXAMPLES.glob("*.yaml")), ids=lambda p: p.stem)
def test_every_example_is_priced_with_alternatives_and_crossover(path: Path) -> None:
    report = estimate(plan(load_spec(path)), PRICES)
    for conn in report.connections:
        chosen = next(e for e in conn.estimates if e.mechanism == conn.chosen)
        assert chosen.viable and chosen.items
        assert len(conn.estimates) == 5
        assert all(e.why_not for e in conn.estimates if not e.viable)
    text = cost_text(report)
    assert "crossover:" in text and "prices used" in text and PRICES.taken in text
    json.dumps(cost_json(report))


def test_shared_nlb_hours_are_split() -> None:
    data = pair()
    data["vpcs"]["second"] = {
        "region": "us-east-1",
        "cidr": "10.2.0.0/16",
        "azs": ["us-east-1a", "us-east-1b"],
    }
    data["connections"].append({"consumer": "second", "service": "api"})
    report = estimate(planned(data), PRICES)
    for conn in report.connections:
        pl = next(e for e in conn.estimates if e.mechanism == "privatelink")
        nlb = next(i for i in pl.items if i.price == "nlb_hour")
        assert nlb.quantity == 365 and "shared by 2" in nlb.name


def test_region_overrides_and_pairs(tmp_path: Path) -> None:
    data = json.loads(PRICES_FILE.read_text())
    data["regions"] = {"us-west-2": {"nlb_hour": 0.03}}
    custom = tmp_path / "prices.json"
    custom.write_text(json.dumps(data))
    prices = load_prices(custom)
    report = estimate(plan(load_spec(EXAMPLES / "inter-region-privatelink.yaml")), prices)
    outpost = next(e for e in report.connections[0].estimates if e.mechanism == "outpost")
    nlb = next(i for i in outpost.items if i.price == "nlb_hour")
    assert nlb.monthly == pytest.approx(730 * 0.03)
    assert "nlb_hour* [us-west-2]" in cost_text(report)
    assert prices.inter_region("us-east-1", "us-east-2") == 0.01
    assert prices.inter_region("us-east-1", "us-west-2") == 0.02


def test_cheapest_changes_where_cross_az_bytes_are_dear(tmp_path: Path) -> None:
    """With cross-AZ at $0.05/GB, a one-AZ consumer whose endpoint sits in its own AZ pays
    PrivateLink 7.30 + 16.425 + 0.016 v, and peering 0.05 v (half the bytes cross, both ways):
    equal at 23.725 / 0.034 = 697.79 GB/month."""
    data = json.loads(PRICES_FILE.read_text())
    data["prices"]["cross_az_gb"]["value"] = 0.05
    custom = tmp_path / "prices.json"
    custom.write_text(json.dumps(data))
    spec = pair()
    spec["vpcs"]["consumer"]["azs"] = ["us-east-1a"]
    conn = estimate(planned(spec), load_prices(custom)).connections[0]
    assert [(round(x.gb, 2), x.below, x.above) for x in conn.crossovers] == [
        (697.79, "peering", "privatelink")
    ]
    assert "at 697.8 GB/month privatelink becomes cheaper than peering" in _text(conn)


def _text(conn: ConnectionCost) -> str:
    from vpcwire.report.cost_text import _crossover_text

    return _crossover_text(conn)


def test_output_cites_only_vpcwire_data_and_aws_pages() -> None:
    """Issue 16: `cost` printed `NOTE: from shared/notes/aws-semantics.md`, a file of the
    team's, not of vpcwire. Nothing shipped may point a user at it."""
    src = Path(__file__).parents[2] / "src" / "vpcwire"
    shipped = [p for p in src.rglob("*") if p.is_file() and p.suffix in (".py", ".json", ".md")]
    assert len(shipped) > 50
    citing = [str(p) for p in shipped if "shared/notes" in p.read_text(errors="replace")]
    assert citing == []
    prices = load_prices()
    report = cost_text(estimate(plan(load_spec(EXAMPLES / "cross-region-native.yaml")), prices))
    assert "NOTE:" in report and "shared/" not in report
