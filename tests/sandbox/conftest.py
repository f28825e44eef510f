"""Fixtures for the sandbox tests: one sandbox per test session, clients per account.

`--sandbox-unpatched` serves plain moto instead: every `test_aws_*` test in
test_sandbox_patches.py must then fail, which test_sandbox_patches checks in a subprocess
(that is how we know each patch test can fail).
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from vpcwire.sandbox.clients import DEFAULT_REGION, SandboxSession, boto3_session
from vpcwire.sandbox.server import Sandbox

ACCOUNT_B = "222222222222"

Clients = Callable[..., SandboxSession]


def pytest_addoption(parser: pytest.Parser) -> None:
    parser.addoption(
        "--sandbox-unpatched",
        action="store_true",
        default=False,
        help="serve plain moto in the sandbox fixture (every test_aws_* test should fail)",
    )


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    """With --sandbox-unpatched only the test_aws_* tests mean anything (each must fail):
    deselect the rest rather than let them skip."""
    if not config.getoption("--sandbox-unpatched", default=False):
        return
    keep = [item for item in items if item.name.startswith("test_aws_")]
    config.hook.pytest_deselected(items=[item for item in items if item not in keep])
    items[:] = keep


@pytest.fixture(scope="session")
def unpatched(request: pytest.FixtureRequest) -> bool:
    return bool(request.config.getoption("--sandbox-unpatched", default=False))


@pytest.fixture(scope="session")
def sandbox(unpatched: bool) -> Iterator[Sandbox]:
    with Sandbox(patched=not unpatched) as running:
        yield running


@pytest.fixture
def aws(sandbox: Sandbox) -> Clients:
    """aws(account=None, region="us-east-1") -> clients for that account and region."""

    def session(account: str | None = None, region: str = DEFAULT_REGION) -> SandboxSession:
        return boto3_session(sandbox.endpoint_url, account, region)

    return session


@pytest.fixture(autouse=True)
def _private_state_dir(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    """No test may touch the developer's real ~/.local/state/vpcwire."""
    monkeypatch.setenv("VPCWIRE_HOME", str(tmp_path / "vpcwire-home"))
