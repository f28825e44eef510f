"""`check` finds what it needs: every account and region the sandbox holds, and says what it
read when a name is not found. Built with boto3 in the background sandbox (no terraform)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from tests.helpers import write_spec
from tests.integration.conftest import ec2_as
from vpcwire.cli import app
from vpcwire.sandbox.background import SandboxInfo
from vpcwire.sandbox.clients import sandbox_holdings

pytestmark = pytest.mark.integration
runner = CliRunner()

PROVIDER, CONSUMER = "111111111111", "222222222222"
AMI = "ami-12c6146b"


def instance(account: str, region: str, url: str, cidr: str, name: str) -> None:
    ec2 = ec2_as(url, account, region)
    vpc = ec2.create_vpc(CidrBlock=cidr)["Vpc"]["VpcId"]  # type: ignore[attr-defined]
    subnet = ec2.create_subnet(  # type: ignore[attr-defined]
        VpcId=vpc, CidrBlock=cidr.replace("0.0/16", "1.0/24"), AvailabilityZone=f"{region}a"
    )["Subnet"]["SubnetId"]
    ec2.run_instances(  # type: ignore[attr-defined]
        ImageId=AMI,
        MinCount=1,
        MaxCount=1,
        SubnetId=subnet,
        TagSpecifications=[{"ResourceType": "instance", "Tags": [{"Key": "Name", "Value": name}]}],
    )


@pytest.fixture
def two_accounts(sandbox: SandboxInfo) -> SandboxInfo:
    """The README's shape: the service in one account and region, its caller in another."""
    instance(PROVIDER, "us-east-1", sandbox.endpoint_url, "10.0.0.0/16", "api_1")
    instance(CONSUMER, "us-west-2", sandbox.endpoint_url, "10.1.0.0/16", "consumer_client_1")
    return sandbox


def check(*args: str) -> tuple[int, str, str]:
    result = runner.invoke(app, ["check", "--from", "consumer_client_1", "--port", "8080", *args])
    return result.exit_code, result.stdout, result.stderr


def test_the_sandbox_says_where_it_holds_resources(two_accounts: SandboxInfo) -> None:
    assert sandbox_holdings(two_accounts.endpoint_url) == [
        (PROVIDER, "us-east-1"),
        (CONSUMER, "us-west-2"),
    ]


@pytest.mark.parametrize(
    "how",
    [
        ["--sandbox", "--regions", "us-east-1,us-west-2"],  # the README's command
        ["--target", "sandbox"],  # regions and accounts from the sandbox itself
        ["--sandbox", "--regions", "us-east-1"],
    ],
)
def test_check_on_the_sandbox_reads_every_account_and_region(
    two_accounts: SandboxInfo, how: list[str]
) -> None:
    code, stdout, stderr = check("--to", "api_1", "--json", *how)
    assert code == 1, stdout + stderr  # found both; no path between them
    verdict = json.loads(stdout)
    assert verdict["reachable"] is False and verdict["reasons"]
    assert "unknown" not in stderr


def test_an_unknown_name_on_the_sandbox_lists_what_was_read(two_accounts: SandboxInfo) -> None:
    code, _, stderr = check("--to", "api_9", "--target", "sandbox")
    assert code == 2
    assert "unknown destination 'api_9'" in stderr
    assert "read regions us-east-1, us-west-2" in stderr
    assert PROVIDER in stderr and CONSUMER in stderr


def test_an_unknown_name_on_aws_suggests_regions_and_roles(
    two_accounts: SandboxInfo, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("AWS_ACCESS_KEY_ID", two_accounts.access_key_id)
    monkeypatch.setenv("AWS_SECRET_ACCESS_KEY", two_accounts.secret_access_key)
    monkeypatch.setenv("AWS_CONFIG_FILE", "/dev/null")
    monkeypatch.delenv("AWS_PROFILE", raising=False)
    code, _, stderr = check(
        "--to", "api_1", "--endpoint-url", two_accounts.endpoint_url, "--regions", "us-east-1"
    )
    assert code == 2
    assert "unknown source 'consumer_client_1'" in stderr
    assert "read regions us-east-1; accounts the caller's account" in stderr
    assert "--regions" in stderr and "--assume-role" in stderr


def test_verify_live_on_a_stack_never_deployed_says_so(
    sandbox: SandboxInfo, tmp_path: Path
) -> None:
    spec = write_spec(
        tmp_path,
        """
        name: never-deployed
        accounts: {main: {id: "111111111111"}}
        vpcs:
          a: {region: us-east-1, cidr: 10.0.0.0/16, azs: [us-east-1a]}
          b: {region: us-east-1, cidr: 10.1.0.0/16, azs: [us-east-1a]}
        connections:
          - peers: [a, b]
        """,
    )
    result = runner.invoke(app, ["verify", str(spec), "--live"])
    assert result.exit_code == 3, result.output
    assert "stack never-deployed is not deployed on sandbox: run vpcwire up" in result.stderr
    assert "unknown source" not in result.stderr
