"""What `vpcwire init` writes is a spec vpcwire plans (issue 18): the starter, with one
connection added as a user would, loads with the real spec loader and plans against the
very estate it was read from — every VPC found again, none created."""

from __future__ import annotations

from pathlib import Path

from typer.testing import CliRunner

from tests.conftest import ROOT
from vpcwire.cli import app
from vpcwire.pipeline import plan
from vpcwire.plan.existing import Estate
from vpcwire.read.snapshot_dir import load_snapshot, snapshot_network
from vpcwire.spec.load import parse_spec

SNAPSHOT = ROOT / "tests" / "fixtures" / "snapshots" / "cli-written"


def test_the_starter_plus_one_connection_plans_against_the_estate(tmp_path: Path) -> None:
    out = tmp_path / "spec.yaml"
    result = CliRunner().invoke(app, ["init", "--snapshot", str(SNAPSHOT), "--out", str(out)])
    assert result.exit_code == 0, result.stderr
    text = out.read_text().replace("connections: []", "connections:\n  - peers: [app, db]\n")
    spec = parse_spec(text, out)
    assert {name: vpc.existing is not None for name, vpc in spec.vpcs.items()} == {
        "app": True,
        "db": True,
    }
    estate_net = snapshot_network(load_snapshot(SNAPSHOT)).network
    planned = plan(spec, Estate(estate_net, f"snapshot {SNAPSHOT}"))
    found = {vpc.id: vpc.name for vpc in estate_net.vpcs.values() if vpc.name in ("app", "db")}
    # both found again, by Name (planned id -> AWS id, for every resource taken in)
    assert sorted(v for v in planned.existing.values() if v.startswith("vpc-")) == sorted(found)
    net = planned.network
    created_vpcs = [v for v in net.vpcs.values() if not v.id.startswith("var.")]
    assert created_vpcs == []
    (pcx,) = net.peerings.values()
    assert {pcx.requester_vpc, pcx.accepter_vpc} == {v.id for v in net.vpcs.values()}
