"""When terraform fails: the failing resource is named, state is kept, a rerun continues."""

from __future__ import annotations

from pathlib import Path

import pytest
from typer.testing import CliRunner

from tests.helpers import write_spec
from tests.integration.conftest import ec2_as
from vpcwire.cli import app
from vpcwire.deploy.terraform import Terraform
from vpcwire.sandbox.background import SandboxInfo

pytestmark = pytest.mark.integration
runner = CliRunner()

# The sandbox, like an AWS account, knows only us-west-1a and us-west-1b: us-west-1c is a
# valid-looking name that AWS itself rejects at apply time.
SPEC = """
name: failing
accounts:
  main: {id: "111111111111"}
vpcs:
  a:
    region: us-west-1
    cidr: 10.0.0.0/16
    azs: [us-west-1a, us-west-1c]
    instances: 0
"""


def test_failed_apply_names_the_resource_keeps_state_and_rerun_continues(
    sandbox: SandboxInfo, tmp_path: Path
) -> None:
    spec = write_spec(tmp_path, SPEC)
    workdir = tmp_path / "work"
    first = runner.invoke(app, ["up", str(spec), "--workdir", str(workdir), "--no-verify"])
    assert first.exit_code == 3, first.stdout + first.stderr
    assert "terraform apply failed at aws_subnet.a_private_c" in first.stderr
    assert "state kept in" in first.stderr and "rerun `vpcwire up`" in first.stderr
    assert "Traceback" not in first.stdout + first.stderr
    kept = Terraform(workdir, {}).state_resources()
    assert "aws_vpc.a" in kept and "aws_subnet.a_private_c" not in kept

    ec2 = ec2_as(sandbox.endpoint_url, "111111111111", "us-west-1")
    vpc_ids = [v["VpcId"] for v in ec2.describe_vpcs()["Vpcs"] if not v["IsDefault"]]  # type: ignore[attr-defined]
    assert len(vpc_ids) == 1

    spec.write_text(SPEC.replace("us-west-1c", "us-west-1b"))
    second = runner.invoke(app, ["up", str(spec), "--workdir", str(workdir), "--no-verify"])
    assert second.exit_code == 0, second.stdout + second.stderr
    # the VPC made by the failed run was kept and reused, not created again
    assert [v["VpcId"] for v in ec2.describe_vpcs()["Vpcs"] if not v["IsDefault"]] == vpc_ids  # type: ignore[attr-defined]

    down = runner.invoke(app, ["down", str(spec), "--workdir", str(workdir)])
    assert down.exit_code == 0 and "destroyed" in down.stdout
    assert [v for v in ec2.describe_vpcs()["Vpcs"] if not v["IsDefault"]] == []  # type: ignore[attr-defined]


def test_missing_terraform_is_a_clear_deploy_error(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    spec = write_spec(tmp_path, SPEC.replace("us-west-1c", "us-west-1b"))
    monkeypatch.setenv("PATH", str(tmp_path / "empty"))
    monkeypatch.delenv("VPCWIRE_TERRAFORM", raising=False)
    result = runner.invoke(app, ["up", str(spec), "--workdir", str(tmp_path / "w"), "--no-verify"])
    assert result.exit_code == 3
    assert "terraform is not on PATH" in result.stderr and "VPCWIRE_TERRAFORM" in result.stderr
