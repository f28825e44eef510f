"""Where the data plane cannot run, every command says exactly what is missing."""

from __future__ import annotations

from pathlib import Path

import pytest
from typer.testing import CliRunner

import vpcwire.sandbox.dataplane
from tests.conftest import EXAMPLES
from vpcwire.cli import app
from vpcwire.cli.probe import packets_after_up
from vpcwire.pipeline import plan
from vpcwire.sandbox.dataplane import system
from vpcwire.spec.load import load_spec

runner = CliRunner()


@pytest.fixture
def no_nft(monkeypatch: pytest.MonkeyPatch) -> None:
    real = system.shutil.which
    monkeypatch.setattr(system.shutil, "which", lambda n: None if n == "nft" else real(n))


def test_the_public_surface_is_pinned() -> None:
    assert vpcwire.sandbox.dataplane.__all__ == [
        "DataPlane",
        "DataPlaneUnavailable",
        "Layout",
        "PacketResult",
        "Registry",
        "build_layout",
        "materialise",
        "missing_requirements",
        "probe_flows",
        "require",
        "sandbox_id",
        "teardown",
    ]


@pytest.mark.usefixtures("no_nft")
def test_probe_exits_3_naming_what_is_missing() -> None:
    result = runner.invoke(app, ["probe", str(EXAMPLES / "peering.yaml")])
    assert result.exit_code == 3
    assert "nftables (`nft`): `apt-get update && apt-get install -y nftables`" in result.stderr


@pytest.mark.usefixtures("no_nft")
def test_sandbox_exec_exits_3_naming_what_is_missing() -> None:
    result = runner.invoke(app, ["sandbox", "exec", "a_client_1", "--", "true"])
    assert result.exit_code == 3 and "nftables" in result.stderr


@pytest.mark.usefixtures("no_nft")
def test_up_skips_packets_with_the_reason_and_does_not_fail(
    capsys: pytest.CaptureFixture[str],
) -> None:
    planned = plan(load_spec(EXAMPLES / "peering.yaml"))
    assert packets_after_up(planned)[0] == 0
    assert "packet data plane skipped" in capsys.readouterr().err
    code, document = packets_after_up(planned, as_json=True)  # `up --json` says why too
    assert code == 0 and document is not None and "nftables" in str(document["skipped"])


def test_sandbox_exec_without_a_data_plane_says_how_to_build_one(tmp_path: Path) -> None:
    result = runner.invoke(
        app, ["sandbox", "exec", "a_client_1", "--", "true"], env={"VPCWIRE_HOME": str(tmp_path)}
    )
    assert result.exit_code == 2
    assert "`vpcwire up SPEC` or `vpcwire probe SPEC` builds it" in result.stderr
