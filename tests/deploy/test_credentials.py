"""`up --target aws` checks credentials first and names the profile or role it will use.

STS is the sandbox here (AWS_ENDPOINT_URL, which boto3 honours as the AWS CLI does): moto
answers GetCallerIdentity for keys it did not issue as account 123456789012, and
AssumeRole with keys of the role's account.
"""

from __future__ import annotations

import os
import stat
from pathlib import Path

import pytest
from typer.testing import CliRunner

from tests.helpers import load, write_spec
from vpcwire.cli import app
from vpcwire.deploy.credentials import check_aws_credentials
from vpcwire.errors import DeployError
from vpcwire.sandbox.server import Sandbox

runner = CliRunner()
MOTO_DEFAULT = "123456789012"


def spec_text(account_id: str, extra: str = "") -> str:
    return f"""
    accounts:
      main: {{id: "{account_id}"{extra}}}
    vpcs:
      a: {{region: us-east-1, cidr: 10.0.0.0/16, azs: [us-east-1a]}}
    """


@pytest.fixture
def no_credentials(monkeypatch: pytest.MonkeyPatch, sandbox: Sandbox) -> None:
    """Nothing to sign with; STS (if asked) is the sandbox."""
    for name in [n for n in os.environ if n.startswith("AWS_")]:
        monkeypatch.delenv(name)
    monkeypatch.setenv("AWS_CONFIG_FILE", os.devnull)
    monkeypatch.setenv("AWS_SHARED_CREDENTIALS_FILE", os.devnull)
    monkeypatch.setenv("AWS_EC2_METADATA_DISABLED", "true")
    monkeypatch.setenv("AWS_ENDPOINT_URL", sandbox.endpoint_url)


@pytest.fixture
def env_keys(no_credentials: None, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("AWS_ACCESS_KEY_ID", "AKIAEXAMPLEEXAMPLE01")
    monkeypatch.setenv("AWS_SECRET_ACCESS_KEY", "secret")


def test_the_ambient_credentials_of_the_right_account_pass(env_keys: None, tmp_path: Path) -> None:
    (access,) = check_aws_credentials(load(tmp_path, spec_text(MOTO_DEFAULT)))
    assert access.account_id == MOTO_DEFAULT and access.role_arn is None
    assert "env" in access.source
    assert f"account main ({MOTO_DEFAULT})" in str(access)


def test_a_role_is_assumed_and_named(env_keys: None, tmp_path: Path) -> None:
    role = "arn:aws:iam::222222222222:role/deployer"
    spec = load(tmp_path, spec_text("222222222222", f", role_arn: {role}"))
    (access,) = check_aws_credentials(spec)
    assert access.caller_arn.startswith("arn:aws:sts::222222222222:assumed-role/deployer/")
    assert f"assuming {role}" in str(access)


def test_credentials_of_another_account_are_refused(env_keys: None, tmp_path: Path) -> None:
    with pytest.raises(DeployError) as raised:
        check_aws_credentials(load(tmp_path, spec_text("111111111111")))
    message = str(raised.value)
    assert "is 111111111111 in the spec" in message and f"account {MOTO_DEFAULT}" in message
    assert raised.value.exit_code == 3


def test_no_credentials_is_one_clear_error(no_credentials: None, tmp_path: Path) -> None:
    with pytest.raises(DeployError, match="no AWS credentials found"):
        check_aws_credentials(load(tmp_path, spec_text(MOTO_DEFAULT)))


def test_a_missing_profile_is_named(env_keys: None, tmp_path: Path) -> None:
    spec = load(tmp_path, spec_text(MOTO_DEFAULT, ", profile: nosuchprofile"))
    with pytest.raises(DeployError, match="profile nosuchprofile is not in your AWS configuration"):
        check_aws_credentials(spec)


def test_up_target_aws_stops_before_terraform_without_credentials(
    no_credentials: None, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    ran = tmp_path / "terraform-ran"
    fake = tmp_path / "terraform"
    fake.write_text(f"#!/bin/sh\ntouch {ran}\nexit 1\n")
    fake.chmod(fake.stat().st_mode | stat.S_IEXEC)
    monkeypatch.setenv("VPCWIRE_TERRAFORM", str(fake))
    spec = write_spec(tmp_path, spec_text(MOTO_DEFAULT))
    result = runner.invoke(
        app, ["up", str(spec), "--target", "aws", "--workdir", str(tmp_path / "w")]
    )
    assert result.exit_code == 3, result.output
    assert "no AWS credentials found" in result.stderr
    assert result.stderr.count("no AWS credentials found") == 1
    assert not ran.exists()


FAILING_TERRAFORM = r"""#!/bin/sh
case "$1" in
  apply)
    printf '{"type":"diagnostic","diagnostic":{"severity":"error","summary":"UNIQUE-BOOM",'
    printf '"detail":"the cause","address":"aws_vpc.a"}}\n'
    printf 'plain output with bytes that are not UTF-8: \377\376 caf\351\n'
    exit 1;;
  *) exit 0;;
esac
"""


def test_terraforms_error_is_printed_once_and_odd_bytes_never_crash(
    env_keys: None, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    fake = tmp_path / "terraform"
    fake.write_text(FAILING_TERRAFORM)
    fake.chmod(fake.stat().st_mode | stat.S_IEXEC)
    monkeypatch.setenv("VPCWIRE_TERRAFORM", str(fake))
    workdir = tmp_path / "w"
    workdir.mkdir()
    (workdir / "notes.tf").write_bytes(b"# a file of the user's in latin-1: caf\xe9\n")
    spec = write_spec(tmp_path, spec_text(MOTO_DEFAULT))
    result = runner.invoke(app, ["up", str(spec), "--target", "aws", "--workdir", str(workdir)])
    assert result.exit_code == 3, result.output
    assert "credentials: account main (123456789012)" in result.stdout
    assert (result.stdout + result.stderr).count("UNIQUE-BOOM") == 1
    assert "internal error" not in result.stderr
    assert "caf\ufffd" in result.stderr  # shown, with the undecodable byte replaced
