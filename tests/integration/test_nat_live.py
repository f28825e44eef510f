"""A `nat: true` stack deployed to the sandbox: the live network answers like the plan.

The plan puts a NAT gateway (and an internet gateway) in the VPC and a default route to the
NAT gateway in its private subnets, as terraform-aws-modules/vpc does. Deployed, read back
and traced, the internet is reached through both gateways, S3 over the internet, and the
other (unconnected) VPC is a definite UNREACHABLE, never UNKNOWN; the planned network gives
the same verdicts, so `verify` (plan) and `verify --live` agree.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from tests.helpers import write_spec
from vpcwire.cli import app
from vpcwire.pipeline import plan
from vpcwire.sandbox.background import SandboxInfo
from vpcwire.spec.load import load_spec
from vpcwire.verify import Engine, Flow

pytestmark = pytest.mark.integration
runner = CliRunner()

SPEC = """
name: egress
accounts:
  main: {id: "111111111111"}
vpcs:
  a:
    region: us-east-1
    cidr: 10.0.0.0/16
    azs: [us-east-1a]
    nat: true
    instances: 1
  b:
    region: us-east-1
    cidr: 10.1.0.0/16
    azs: [us-east-1a]
    instances: 1
connections: []
"""

FLOWS = (
    ("internet", 443, "REACHABLE"),
    ("8.8.8.8", 443, "REACHABLE"),
    ("s3", 443, "REACHABLE"),
    ("internet", 22, "UNREACHABLE"),  # the workload group allows only 80/443 out
    ("b_client_1", 22, "UNREACHABLE"),
)


def _check(destination: str, port: int) -> dict[str, object]:
    answer = runner.invoke(
        app,
        [
            "check",
            "--sandbox",
            "--from",
            "a_client_1",
            "--to",
            destination,
            "--port",
            str(port),
            "--assume-role",
            "arn:aws:iam::111111111111:role/x",
            "--json",
        ],
    )
    assert answer.exit_code in (0, 1), answer.stdout + answer.stderr
    data: dict[str, object] = json.loads(answer.stdout)
    assert (answer.exit_code == 0) is data["reachable"]
    return data


def test_nat_stack_live_and_planned_agree(
    sandbox: SandboxInfo, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    spec = write_spec(tmp_path, SPEC)
    monkeypatch.chdir(tmp_path)
    up = runner.invoke(app, ["up", str(spec)])
    try:
        assert up.exit_code == 0, up.stdout + up.stderr
        live = runner.invoke(app, ["verify", str(spec), "--live", "--json"])
        assert live.exit_code == 0, live.stdout + live.stderr
        report = json.loads(live.stdout)
        assert report["failed"] == 0 and report["passed"] == len(report["intents"]) > 0

        planned = Engine(plan(load_spec(spec)).network)
        for destination, port, expected in FLOWS:
            data = _check(destination, port)
            assert data["disposition"] == expected, (destination, port, data)
            trace = data["trace"]
            assert isinstance(trace, dict)
            kinds = [h["kind"] for h in trace["hops"] if h["direction"] == "forward"]
            if expected == "REACHABLE":
                assert "NAT gateway" in kinds and "internet gateway" in kinds, kinds
            if destination == "s3":
                continue  # a plan has no AWS-managed prefix lists: s3 is a live-only name
            mine = planned.trace(Flow("a_client_1", destination, "tcp", port))
            assert str(mine.disposition) == expected, (destination, port, str(mine))
        isolated = _check("b_client_1", 22)
        assert "PRIVATE_VIA_GATEWAY" in isolated["reasons"]  # type: ignore[operator]
    finally:
        down = runner.invoke(app, ["down", str(spec)])
        assert down.exit_code == 0, down.stdout + down.stderr
