"""A background sandbox per test worker, reset before each test.

The background sandbox runs in its own process, so its moto state is separate from any
in-process sandbox other tests use, and it is the same kind of sandbox `vpcwire up` uses.
Each test starts from a freshly reset sandbox: "after down only the default VPCs remain"
is then a real assertion.
"""

from __future__ import annotations

import urllib.request
from collections.abc import Iterator
from pathlib import Path

import boto3
import pytest

from vpcwire.dataplane import missing_requirements, teardown
from vpcwire.deploy.sandbox_background import SandboxInfo, start_background, stop_background


@pytest.fixture(scope="session")
def sandbox_home(tmp_path_factory: pytest.TempPathFactory) -> Path:
    # the same directory tests/conftest.py points VPCWIRE_HOME at
    return tmp_path_factory.getbasetemp() / "vpcwire-home"


@pytest.fixture(scope="session")
def background_sandbox(sandbox_home: Path) -> Iterator[SandboxInfo]:
    info = start_background(sandbox_home)
    yield info
    stop_background(sandbox_home)
    if not missing_requirements():
        teardown(sandbox_home)  # `up` builds the packet data plane: leave no namespace behind


@pytest.fixture
def sandbox(background_sandbox: SandboxInfo) -> SandboxInfo:
    request = urllib.request.Request(
        f"{background_sandbox.endpoint_url}/moto-api/reset", method="POST"
    )
    with urllib.request.urlopen(request, timeout=10):
        pass
    return background_sandbox


def ec2_as(endpoint_url: str, account: str, region: str) -> object:
    """An EC2 client of the sandbox acting as ``account``."""
    sts = boto3.client(
        "sts",
        region_name=region,
        endpoint_url=endpoint_url,
        aws_access_key_id="test",
        aws_secret_access_key="test",
    )
    creds = sts.assume_role(RoleArn=f"arn:aws:iam::{account}:role/test", RoleSessionName="tests")[
        "Credentials"
    ]
    return boto3.client(
        "ec2",
        region_name=region,
        endpoint_url=endpoint_url,
        aws_access_key_id=creds["AccessKeyId"],
        aws_secret_access_key=creds["SecretAccessKey"],
        aws_session_token=creds["SessionToken"],
    )
