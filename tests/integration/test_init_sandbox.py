"""`vpcwire init --target sandbox`: VPCs made with boto3 (nobody's spec) come back as
`existing:` entries. No terraform: a few seconds."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
import yaml
from typer.testing import CliRunner

from tests.integration.conftest import ec2_as
from tests.spec.test_starter import loaded
from vpcwire.cli import app
from vpcwire.sandbox.background import SandboxInfo

pytestmark = pytest.mark.integration
runner = CliRunner()

ACCOUNT = "111111111111"
AMI = "ami-12c6146b"


def make_vpc(ec2: Any, cidr: str, name: str) -> str:
    tags = [{"ResourceType": "vpc", "Tags": [{"Key": "Name", "Value": name}]}]
    return str(ec2.create_vpc(CidrBlock=cidr, TagSpecifications=tags)["Vpc"]["VpcId"])


def test_init_lists_the_vpcs_of_the_sandbox(sandbox: SandboxInfo, tmp_path: Path) -> None:
    east = ec2_as(sandbox.endpoint_url, ACCOUNT, "us-east-1")
    west = ec2_as(sandbox.endpoint_url, ACCOUNT, "us-west-2")
    provider = make_vpc(east, "10.10.0.0/16", "bf-provider")
    east.associate_vpc_cidr_block(VpcId=provider, CidrBlock="10.20.0.0/16")  # type: ignore[attr-defined]
    subnet = east.create_subnet(  # type: ignore[attr-defined]
        VpcId=provider, CidrBlock="10.10.1.0/24", AvailabilityZone="us-east-1a"
    )["Subnet"]["SubnetId"]
    api = east.run_instances(  # type: ignore[attr-defined]
        ImageId=AMI,
        MinCount=1,
        MaxCount=1,
        SubnetId=subnet,
        TagSpecifications=[
            {"ResourceType": "instance", "Tags": [{"Key": "Name", "Value": "bf-api"}]}
        ],
    )["Instances"][0]["PrivateIpAddress"]
    make_vpc(west, "10.11.0.0/16", "bf-consumer")
    shared = {make_vpc(west, f"10.{n}.0.0/16", "shared") for n in (12, 13)}

    spec = tmp_path / "spec.yaml"
    result = runner.invoke(
        app,
        ["init", "--target", "sandbox", "--regions", "us-east-1,us-west-2", "--out", str(spec)],
    )
    assert result.exit_code == 0, result.stderr
    text = spec.read_text()
    shape = loaded(text)  # issue 18's entry shape; accounts by the real AccountSpec
    assert {k: a.id for k, a in shape.accounts.items()} == {"main": ACCOUNT}
    document = yaml.safe_load(text)
    assert {k: v for k, v in document["vpcs"].items() if not k.startswith("shared")} == {
        "bf-provider": {
            "account": "main",
            "region": "us-east-1",
            "existing": {"tags": {"Name": "bf-provider"}},
        },
        "bf-consumer": {
            "account": "main",
            "region": "us-west-2",
            "existing": {"tags": {"Name": "bf-consumer"}},
        },
    }
    # two VPCs share a Name: each is selected by its id
    assert {document["vpcs"][k]["existing"]["id"] for k in ("shared", "shared-2")} == shared
    assert "Name bf-provider: 10.10.0.0/16 (+ 10.20.0.0/16)\n" in text
    assert f"# instances: bf-api {api}\n" in text
    assert f"#     targets: {{ips: [{api}]}}" in text
    # the default VPCs of both regions: listed, commented out
    assert text.count("# the region's default VPC: uncomment to connect it") == 2
    assert "wrote" in result.stderr and "4 VPC(s)" in result.stderr


def test_init_on_an_empty_sandbox_lists_nothing(sandbox: SandboxInfo) -> None:
    # a reset sandbox holds only the default VPCs: nothing to list is bad input (exit 2)
    result = runner.invoke(app, ["init", "--target", "sandbox", "--regions", "eu-west-1"])
    assert result.exit_code == 2 and result.stdout == ""
    assert "init: no VPC to list in the sandbox estate (eu-west-1); left out:" in result.stderr
    assert "the region's default VPC" in result.stderr
