"""The test suite never touches the user's own sandbox.

The README's first command leaves the user's background sandbox running; the second runs
the tests. Here a "user" sandbox runs under a state directory the user exported as
VPCWIRE_HOME (the shape in which the suite once deployed into it: the integration tests
then found the user's sandbox instead of their own), and a test run that deploys an
example really runs in a child pytest with that environment. Afterwards the user's
sandbox holds exactly what it held before, and its state directory is as it was.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import urllib.request
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from tests.conftest import ROOT
from tests.integration.conftest import sandbox_authorization
from vpcwire.sandbox.background import (
    SandboxInfo,
    find_running,
    start_background,
    stop_background,
)
from vpcwire.sandbox.clients import boto3_session, sandbox_holdings

# slow: among the longest tests of the run, so it starts first
pytestmark = [pytest.mark.integration, pytest.mark.slow]

DEPLOYING_TEST = (
    "tests/integration/test_examples.py::test_example_applies_replans_clean_and_tears_down[peering]"
)


@pytest.fixture
def user_sandbox(tmp_path: Path) -> Iterator[tuple[Path, SandboxInfo]]:
    home = tmp_path / "user-state"
    info = start_background(home)
    try:
        yield home, info
    finally:
        stop_background(home)


def contents(info: SandboxInfo) -> dict[str, Any]:
    """Everything the sandbox holds (moto's own dump), and where it holds VPCs.

    Assumed-role sessions are compared by their keys: moto dumps them with times relative
    to the moment of the dump."""
    request = urllib.request.Request(
        f"{info.endpoint_url}/moto-api/data.json",
        headers={"Authorization": sandbox_authorization(info)},
    )
    with urllib.request.urlopen(request, timeout=30) as response:
        dump = json.loads(response.read())
    sessions = dump.get("sts", {}).get("AssumedRole", [])
    dump.setdefault("sts", {})["AssumedRole"] = sorted(s["access_key_id"] for s in sessions)
    return {"dump": dump, "holdings": sandbox_holdings(info.endpoint_url)}


def directory(home: Path) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in home.iterdir() if p.name != "sandbox.log"}


def test_a_test_run_leaves_the_users_sandbox_as_it_was(
    user_sandbox: tuple[Path, SandboxInfo], tmp_path: Path
) -> None:
    home, info = user_sandbox
    ec2 = boto3_session(info.endpoint_url, "111111111111").client("ec2")
    ec2.create_vpc(CidrBlock="10.0.0.0/16")  # the user's own work, same CIDR as the example's
    before, files = contents(info), directory(home)
    assert before["holdings"] == [("111111111111", "us-east-1")]

    env = {**os.environ, "VPCWIRE_HOME": str(home)}  # the user exported it
    run = subprocess.run(
        [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", DEPLOYING_TEST],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=900,
    )
    assert run.returncode == 0, run.stdout[-4000:] + run.stderr[-2000:]
    assert "1 passed" in run.stdout

    assert find_running(home) == info  # still running, same process and port
    assert contents(info) == before
    assert directory(home) == files
