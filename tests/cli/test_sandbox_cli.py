"""`vpcwire sandbox start|status|stop`: a background sandbox that outlives the command."""

from __future__ import annotations

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
