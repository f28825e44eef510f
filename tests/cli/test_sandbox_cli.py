"""`vpcwire sandbox start|status|stop`: a background sandbox that outlives the command."""

from __future__ import annotations

import json
import os
import shlex
import subprocess
import sys
from pathlib import Path

import pytest
from typer.testing import CliRunner

from vpcwire.cli import app
from vpcwire.sandbox.background import answers, find_running

runner = CliRunner()


def test_start_status_stop(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("VPCWIRE_HOME", str(tmp_path))
    status = runner.invoke(app, ["sandbox", "status"])
    assert status.exit_code == 1 and "no sandbox running" in status.stdout

    started = runner.invoke(app, ["sandbox", "start"])
    try:
        assert started.exit_code == 0 and "sandbox started at http://127.0.0.1:" in started.stdout
        info = find_running()
        assert info is not None and answers(info.endpoint_url)
        again = runner.invoke(app, ["sandbox", "start"])
        assert again.exit_code == 0 and f"already running at {info.endpoint_url}" in again.stdout
        status = runner.invoke(app, ["sandbox", "status"])
        assert status.exit_code == 0 and info.endpoint_url in status.stdout
        assert f"its access keys: {tmp_path / 'sandbox.json'}" in status.stdout
    finally:
        stopped = runner.invoke(app, ["sandbox", "stop"])
    assert stopped.exit_code == 0 and "sandbox stopped" in stopped.stdout
    assert find_running() is None
    assert runner.invoke(app, ["sandbox", "stop"]).stdout.strip() == "no sandbox was running"


LIST_VPCS = (
    "import boto3\n"
    "vpcs = boto3.client('ec2').describe_vpcs()['Vpcs']\n"
    "print(len(vpcs), vpcs[0]['VpcId'])\n"
)


def test_env_points_terraform_the_aws_cli_and_boto3_at_the_sandbox(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """`eval "$(vpcwire sandbox env)"` in a shell with nothing else of AWS: boto3 then lists
    the sandbox's VPCs with the sandbox's own keys (it admits no others)."""
    monkeypatch.setenv("VPCWIRE_HOME", str(tmp_path))
    missing = runner.invoke(app, ["sandbox", "env"])
    assert missing.exit_code == 3
    assert "no sandbox is running" in missing.stderr and "vpcwire sandbox start" in missing.stderr

    assert runner.invoke(app, ["sandbox", "start"]).exit_code == 0
    try:
        info = find_running()
        assert info is not None
        bare = {"PATH": os.environ["PATH"], "VPCWIRE_HOME": str(tmp_path), "HOME": str(tmp_path)}
        vpcwire = shlex.join([sys.executable, "-m", "vpcwire", "sandbox", "env"])
        script = f'eval "$({vpcwire})" && {shlex.join([sys.executable, "-c", LIST_VPCS])}'
        listed = subprocess.run(
            ["sh", "-c", script], env=bare, capture_output=True, text=True, timeout=120
        )
        assert listed.returncode == 0, listed.stderr
        count, first = listed.stdout.split()
        assert int(count) >= 1 and first.startswith("vpc-")

        # the same without the keys: the sandbox's gate refuses
        refused = subprocess.run(
            [sys.executable, "-c", LIST_VPCS],
            env={
                **bare,
                "AWS_ENDPOINT_URL": info.endpoint_url,
                "AWS_DEFAULT_REGION": "us-east-1",  # this boto3 reads no AWS_REGION
                "AWS_ACCESS_KEY_ID": "someone-else",
                "AWS_SECRET_ACCESS_KEY": "x",
            },
            capture_output=True,
            text=True,
            timeout=120,
        )
        assert refused.returncode != 0 and "InvalidClientTokenId" in refused.stderr

        as_json = json.loads(runner.invoke(app, ["sandbox", "env", "--format", "json"]).stdout)
        assert as_json["AWS_ENDPOINT_URL"] == info.endpoint_url
        assert (as_json["AWS_ACCESS_KEY_ID"], as_json["AWS_SECRET_ACCESS_KEY"]) == info.keys
        assert as_json["AWS_REGION"] == "us-east-1"
        dotenv = runner.invoke(app, ["sandbox", "env", "--format", "dotenv"]).stdout
        assert dict(line.split("=", 1) for line in dotenv.splitlines()) == as_json
    finally:
        runner.invoke(app, ["sandbox", "stop"])
