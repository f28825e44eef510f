"""The commands that consume a plan take one with Transit Gateways: plan (text and JSON),
cost, diagram and diff answer without an internal error."""

from __future__ import annotations

import json
from pathlib import Path

from typer.testing import CliRunner

from tests.conftest import EXAMPLES
from vpcwire.cli import app

runner = CliRunner()
SPEC = str(EXAMPLES / "transit-gateway.yaml")


def test_plan_json_carries_the_transit_decisions() -> None:
    result = runner.invoke(app, ["plan", SPEC, "--format", "json"])
    assert result.exit_code == 0, result.stdout + result.stderr
    decisions = json.loads(result.stdout)["decisions"]
    assert [d["mechanism"] for d in decisions] == ["transit-gateway", "transit-gateway"]
    assert "aws_ec2_transit_gateway.tgw_us_west_2" in decisions[0]["resources"]
    assert "segment" in [r["code"] for r in decisions[1]["reasons"]]


def test_plan_text_says_why() -> None:
    result = runner.invoke(app, ["plan", SPEC])
    assert result.exit_code == 0, result.stdout + result.stderr
    assert "connections[0] shared <-> prod <-> west: transit-gateway" in result.stdout
    assert "AWS propagates no routes over a TGW peering" in result.stdout


def test_cost_prices_the_gateways_against_the_mesh() -> None:
    result = runner.invoke(app, ["cost", SPEC, "--gb-month", "1000", "--json"])
    assert result.exit_code == 0, result.stdout + result.stderr
    (first, _) = json.loads(result.stdout)["connections"]
    assert first["chosen"] == "transit gateway"


def test_diagram_and_diff_take_a_transit_plan(tmp_path: Path) -> None:
    drawn = runner.invoke(app, ["diagram", SPEC, "--out", str(tmp_path / "d.svg")])
    assert "internal error" not in drawn.stdout + drawn.stderr
    assert (tmp_path / "d.svg").exists()
    mesh = tmp_path / "mesh.yaml"
    mesh.write_text(Path(SPEC).read_text().replace("via: transit-gateway", "via: peering"))
    changed = runner.invoke(app, ["diff", str(mesh), SPEC])
    assert changed.exit_code == 0, changed.stdout + changed.stderr
    assert "removed peering shared_prod" in changed.stdout
