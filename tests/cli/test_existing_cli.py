"""The CLI with a spec of existing VPCs when the target holds nothing to read (issue 18)."""

from __future__ import annotations

from pathlib import Path

import pytest
from typer.testing import CliRunner

from tests.estate_helpers import spec_text
from tests.helpers import write_spec
from vpcwire.cli import app

runner = CliRunner()


@pytest.fixture
def no_sandbox(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A state home of its own: no sandbox can be running there."""
    monkeypatch.setenv("VPCWIRE_HOME", str(tmp_path / "home"))
    return write_spec(tmp_path, spec_text())


def test_plan_says_where_the_existing_vpcs_would_be_read(no_sandbox: Path) -> None:
    result = runner.invoke(app, ["plan", str(no_sandbox)])
    assert result.exit_code == 3, result.stdout + result.stderr
    assert "no sandbox is running" in result.stderr
    assert "Traceback" not in result.stdout + result.stderr


def test_down_destroys_by_the_state_when_the_estate_cannot_be_read(no_sandbox: Path) -> None:
    """Before: down stopped at the read of the estate, and the stack's own resources could
    never be removed once an existing VPC was gone."""
    result = runner.invoke(app, ["down", str(no_sandbox)])
    assert result.exit_code == 0, result.stdout + result.stderr
    assert "the estate is not checked" in result.stderr
    assert "no sandbox is running in this VPCWIRE_HOME" in result.stdout
