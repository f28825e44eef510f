"""`vpcwire up` / `verify --live` / `check` / `down` as a user types them, from a fresh directory."""

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
name: tiny
accounts:
  main: {id: "111111111111"}
vpcs:
  a:
    region: us-east-1
    cidr: 10.0.0.0/16
    azs: [us-east-1a]
  b:
    region: us-east-1
    cidr: 10.1.0.0/16
    azs: [us-east-1a]
connections:
  - peers: [a, b]
    allow: [{protocol: tcp, ports: [22]}]
    dns_resolution: false
"""


def test_up_verify_check_down_with_the_default_workdir(
    sandbox: SandboxInfo, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    spec = write_spec(tmp_path, SPEC)
    monkeypatch.chdir(tmp_path)  # the default workdir, .vpcwire/tiny/sandbox, is relative

    up = runner.invoke(app, ["up", str(spec)])
    assert up.exit_code == 0, up.stdout + up.stderr
    assert "applying stack tiny to sandbox in .vpcwire/tiny/sandbox" in up.stdout
    assert "created aws_vpc_peering_connection.a_b" in up.stdout
    assert "verify (live network on sandbox" in up.stdout and ", 0 failed" in up.stdout
    # phases under 0.05 s are left out of the line (planning this tiny spec can be one)
    assert "timings: " in up.stdout and "terraform apply" in up.stdout
    assert (tmp_path / ".vpcwire" / "tiny" / "sandbox" / "terraform.tfstate").exists()

    live = runner.invoke(app, ["verify", str(spec), "--live", "--json"])
    assert live.exit_code == 0, live.stdout + live.stderr
    report = json.loads(live.stdout)
    assert report["failed"] == 0 and report["passed"] == len(report["intents"]) > 0

    # a snapshot of the sandbox answers as the live read did, offline
    saved = runner.invoke(app, ["snapshot", str(tmp_path / "before"), "--target", "sandbox"])
    assert saved.exit_code == 0, saved.stdout + saved.stderr
    offline = runner.invoke(
        app, ["verify", str(spec), "--snapshot", str(tmp_path / "before"), "--json"]
    )
    assert offline.exit_code == 0, offline.stdout + offline.stderr
    assert verdicts_of(json.loads(offline.stdout)) == verdicts_of(report)

    ok = runner.invoke(
        app,
        [
            "check",
            "--sandbox",
            "--from",
            "a_client_1",
            "--to",
            "b_client_1",
            "--port",
            "22",
            "--assume-role",
            "arn:aws:iam::111111111111:role/x",
        ],
    )
    assert ok.exit_code == 0, ok.stdout + ok.stderr
    closed = runner.invoke(
        app,
        [
            "check",
            "--sandbox",
            "--from",
            "a_client_1",
            "--to",
            "b_client_1",
            "--port",
            "80",
            "--assume-role",
            "arn:aws:iam::111111111111:role/x",
            "--json",
        ],
    )
    assert closed.exit_code == 1
    assert "SG_INGRESS_DENIED" in json.loads(closed.stdout)["reasons"]

    # break the live network behind vpcwire's back: verify must now fail and say why
    ec2 = ec2_as(sandbox.endpoint_url, "111111111111", "us-east-1")
    tables = ec2.describe_route_tables(Filters=[{"Name": "tag:Name", "Values": ["b_private"]}])  # type: ignore[attr-defined]
    (table,) = tables["RouteTables"]
    ec2.delete_route(RouteTableId=table["RouteTableId"], DestinationCidrBlock="10.0.0.0/16")  # type: ignore[attr-defined]
    broken = runner.invoke(app, ["verify", str(spec), "--live"])
    assert broken.exit_code == 1, broken.stdout + broken.stderr
    assert "✗ connections[0]: a_client_1 -> b_client_1 tcp/22" in broken.stdout
    assert "NO_RETURN_ROUTE" in broken.stdout
    assert (
        "add a route to 10.0.0.0/16 via" in broken.stdout and table["RouteTableId"] in broken.stdout
    )
    # the same break, found offline in a later snapshot, and as a diff of the two days
    assert (
        runner.invoke(app, ["snapshot", str(tmp_path / "after"), "--target", "sandbox"]).exit_code
        == 0
    )
    later = runner.invoke(app, ["verify", str(spec), "--snapshot", str(tmp_path / "after")])
    assert later.exit_code == 1 and "NO_RETURN_ROUTE" in later.stdout, later.stdout
    changed = runner.invoke(app, ["diff", str(tmp_path / "before"), str(tmp_path / "after")])
    assert changed.exit_code == 0, changed.stdout + changed.stderr
    assert "flows closed" in changed.stdout and "tcp/22" in changed.stdout
    assert "flows closed: none" not in changed.stdout

    down = runner.invoke(app, ["down", str(spec)])
    assert down.exit_code == 0 and "destroyed" in down.stdout, down.stdout + down.stderr
    again = runner.invoke(app, ["down", str(spec)])
    assert again.exit_code == 0 and "nothing to destroy" in again.stdout


def verdicts_of(report: dict[str, object]) -> list[tuple[str, bool, str]]:
    return [(i["key"], i["ok"], i["disposition"]) for i in report["intents"]]  # type: ignore[attr-defined,index]
