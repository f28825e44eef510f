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

from tests.conftest import run_state_home
from vpcwire.sandbox.background import SandboxInfo, start_background, stop_background
from vpcwire.sandbox.clients import sandbox_keys
from vpcwire.sandbox.dataplane import missing_requirements, teardown


@pytest.fixture(scope="session")
def sandbox_home() -> Path:
    """The run's own state directory (tests/conftest.py points VPCWIRE_HOME at it): the
    sandbox `vpcwire up` finds from inside a test is this one, never the user's."""
    return run_state_home()


@pytest.fixture(scope="session")
def background_sandbox(sandbox_home: Path) -> Iterator[SandboxInfo]:
    info = start_background(sandbox_home)
    yield info
    stop_background(sandbox_home)
    if not missing_requirements():
        teardown(sandbox_home)  # `up` builds the packet data plane: leave no namespace behind


@pytest.fixture
def sandbox(background_sandbox: SandboxInfo) -> SandboxInfo:
    reset(background_sandbox)
    return background_sandbox


@pytest.fixture(scope="module")
def module_sandbox(background_sandbox: SandboxInfo) -> SandboxInfo:
    """The worker's sandbox, reset once for a module whose tests share one deployment (made
    by a module-scoped fixture): `sandbox` would wipe it before each test. Such a module
    also carries `pytest.mark.xdist_group(...)`, so that its tests run one after another on
    one worker and no other module's reset lands between them."""
    reset(background_sandbox)
    return background_sandbox


def reset(info: SandboxInfo) -> None:
    """Empty the sandbox: only the default VPCs remain."""
    request = urllib.request.Request(
        f"{info.endpoint_url}/moto-api/reset",
        method="POST",
        headers={"Authorization": sandbox_authorization(info)},
    )
    with urllib.request.urlopen(request, timeout=10):
        pass


def sandbox_authorization(info: SandboxInfo) -> str:
    """An Authorization header the sandbox's gate admits (for its /moto-api/ routes)."""
    return (
        f"AWS4-HMAC-SHA256 Credential={info.access_key_id}/20240101/us-east-1/ec2/"
        "aws4_request, SignedHeaders=host, Signature=0"
    )


def ec2_as(endpoint_url: str, account: str, region: str) -> object:
    """An EC2 client of the sandbox acting as ``account``."""
    access_key_id, secret_access_key = sandbox_keys(endpoint_url)
    sts = boto3.client(
        "sts",
        region_name=region,
        endpoint_url=endpoint_url,
        aws_access_key_id=access_key_id,
        aws_secret_access_key=secret_access_key,
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
