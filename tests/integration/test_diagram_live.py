"""Live: `up` writes the diagram; drift shows in `verify --live`, `diagram --live`, `diff --live`."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from tests.helpers import write_spec
from tests.integration.conftest import ec2_as
from vpcwire.cli import app
from vpcwire.sandbox.background import SandboxInfo

pytestmark = pytest.mark.integration
runner = CliRunner()

SPEC = """
name: drawn
accounts:
  main: {id: "111111111111"}
vpcs:
  a: {region: us-east-1, cidr: 10.0.0.0/16, azs: [us-east-1a]}
  b: {region: us-east-1, cidr: 10.1.0.0/16, azs: [us-east-1a]}
connections:
  - peers: [a, b]
    allow: [{protocol: tcp, ports: [22]}]
    dns_resolution: false
"""


def test_live_diagram_drift_and_diff(
    sandbox: SandboxInfo, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    spec = write_spec(tmp_path, SPEC)
    monkeypatch.chdir(tmp_path)
    up = runner.invoke(app, ["up", str(spec)])
    assert up.exit_code == 0, up.stdout + up.stderr
    page = tmp_path / ".vpcwire" / "drawn" / "sandbox" / "diagram.html"
    assert f"diagram: {page.relative_to(tmp_path)}" in up.stdout
    assert 'id="vpc:a"' in page.read_text() and 'id="vpc:b"' in page.read_text()
    try:
        # as deployed: no drift, nothing opens or closes
        clean = runner.invoke(app, ["verify", str(spec), "--live", "--json"])
        assert clean.exit_code == 0, clean.stdout + clean.stderr
        assert json.loads(clean.stdout)["drift"] == []
        same = runner.invoke(app, ["diff", str(spec), "--live"])
        assert same.exit_code == 0, same.stdout + same.stderr
        assert "flows opened: none" in same.stdout and "flows closed: none" in same.stdout

        # behind vpcwire's back: b loses its route to a, and a's group admits everyone
        ec2 = ec2_as(sandbox.endpoint_url, "111111111111", "us-east-1")
        (table,) = ec2.describe_route_tables(  # type: ignore[attr-defined]
            Filters=[{"Name": "tag:Name", "Values": ["b_private"]}]
        )["RouteTables"]
        ec2.delete_route(RouteTableId=table["RouteTableId"], DestinationCidrBlock="10.0.0.0/16")  # type: ignore[attr-defined]

        broken = runner.invoke(app, ["verify", str(spec), "--live"])
        assert broken.exit_code == 1
        assert "drift from the plan (1 resources differ):" in broken.stdout
        assert "changed route_table b_private: routes: -destination=10.0.0.0/16" in broken.stdout
        drawn = runner.invoke(app, ["diagram", str(spec), "--live", "--format", "mermaid"])
        assert drawn.exit_code == 0, drawn.stdout + drawn.stderr
        assert "⚠ drift: 1" in drawn.stdout and "FAILS" in drawn.stdout
        closed = runner.invoke(app, ["diff", str(spec), "--live"])
        assert closed.exit_code == 0, closed.stdout + closed.stderr  # closing is not opening
        assert "a (10.0.0.0/16) -> b (10.1.0.0/16): tcp/22 closed via peering a_b" in closed.stdout
        assert "b (10.1.0.0/16) -> a (10.0.0.0/16): tcp/22 closed" in closed.stdout
    finally:
        down = runner.invoke(app, ["down", str(spec)])
        assert down.exit_code == 0, down.stdout + down.stderr
