"""The command line: exit codes, located errors, no tracebacks, JSON shapes."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest
from typer.testing import CliRunner

from tests.conftest import EXAMPLES
from tests.helpers import BASE, write_spec
from vpcwire.cli import app

runner = CliRunner()


def run(*args: str) -> tuple[int, str, str]:
    result = runner.invoke(app, list(args))
    return result.exit_code, result.stdout, result.stderr


BROKEN = {
    "subnet outside the VPC CIDR": (
        BASE.replace(
            "    azs: [us-east-1a, us-east-1b]\n  b:",
            "    subnets:\n      private:\n        - {cidr: 10.9.0.0/24, az: us-east-1a}\n  b:",
        ),
        "spec.yaml:9:18: vpcs.a.subnets.private[0].cidr: VW-E101",
    ),
    "overlapping peers": (
        BASE.replace("10.1.0.0/16", "10.0.0.0/16") + "connections:\n  - peers: [a, b]\n",
        "spec.yaml:13:12: connections[0].peers: VW-E201",
    ),
    "an AZ of another region": (
        BASE.replace("azs: [us-east-1a, us-east-1b]\n  b:", "azs: [us-east-1a, eu-west-1a]\n  b:"),
        "spec.yaml:7:23: vpcs.a.azs[1]: VW-E103",
    ),
}


@pytest.mark.parametrize("case", sorted(BROKEN))
@pytest.mark.parametrize("command", ["plan", "render", "up"])
def test_broken_spec_exits_2_with_located_message(tmp_path: Path, case: str, command: str) -> None:
    text, where = BROKEN[case]
    spec = write_spec(tmp_path, text)
    extra = ["--out", str(tmp_path / "out")] if command == "render" else []
    code, stdout, stderr = run(command, str(spec), *extra)
    assert code == 2, (stdout, stderr)
    assert where in stderr.replace(str(tmp_path) + "/", "")
    assert "Traceback" not in stdout + stderr
    assert not (tmp_path / "out").exists()  # nothing written, nothing applied


def test_broken_spec_through_the_real_entry_point(tmp_path: Path) -> None:
    spec = write_spec(tmp_path, BROKEN["overlapping peers"][0])
    proc = subprocess.run(
        [sys.executable, "-m", "vpcwire", "up", str(spec)],
        capture_output=True,
        text=True,
        check=False,
    )
    assert proc.returncode == 2
    assert "VW-E201" in proc.stderr and "Traceback" not in proc.stderr + proc.stdout


def test_missing_spec_file_is_a_usage_error(tmp_path: Path) -> None:
    code, _, stderr = run("plan", str(tmp_path / "nope.yaml"))
    assert code == 2 and "no such spec file" in stderr


def test_plan_prints_decisions_with_reasons() -> None:
    code, stdout, _ = run("plan", str(EXAMPLES / "inter-region-privatelink.yaml"))
    assert code == 0
    assert "connections[0] consumer -> api: outpost" in stdout
    assert "because:" in stdout and "not chosen:" in stdout and "implies:" in stdout
    assert "outpost VPC provider_outpost_us_west_2: 10.255.0.0/24 in us-west-2" in stdout


def test_plan_json() -> None:
    code, stdout, _ = run("plan", str(EXAMPLES / "privatelink.yaml"), "--json")
    assert code == 0
    data = json.loads(stdout)
    assert data["decisions"][0]["mechanism"] == "privatelink"
    assert "aws_vpc_endpoint.consumer_api" in data["resources"]["vpc_endpoint"]


def test_render_writes_a_directory(tmp_path: Path) -> None:
    code, stdout, _ = run(
        "render", str(EXAMPLES / "peering.yaml"), "--out", str(tmp_path / "tf"), "--target", "aws"
    )
    assert code == 0
    assert (tmp_path / "tf" / "peering.tf").exists() and not (
        tmp_path / "tf" / "sandbox_override.tf"
    ).exists()
    assert "wrote" in stdout


def test_schema_is_json_schema() -> None:
    code, stdout, _ = run("schema")
    schema = json.loads(stdout)
    assert code == 0 and {"accounts", "vpcs", "services", "connections"} <= set(
        schema["properties"]
    )


@pytest.mark.parametrize("args", [[], ["plan"], ["sandbox"], ["up", "--target", "mars", "x.yaml"]])
def test_usage_errors_exit_2(args: list[str]) -> None:
    assert run(*args)[0] == 2


@pytest.mark.parametrize("command", ["plan", "render", "up", "down", "schema", "sandbox"])
def test_help_everywhere(command: str) -> None:
    code, stdout, _ = run(command, "--help")
    assert code == 0 and "Usage" in stdout
