"""examples/transit-gateway.yaml as a user drives it: `up`, a second `up` that changes
nothing, `verify --live`, `probe` with real packets, `down` — on the sandbox.

Needs, besides this branch: the sandbox's moto patches for Transit Gateways (default
association/propagation options honoured, propagations recorded, disassociation without
a 500, static routes read back with their attachment, cross-account attachments to a
RAM-shared gateway and their acceptance: engineer tgw-sandbox), the live reader of TGWs
(tgw-sandbox) and the engine and packet data plane following TGW routes (tgw-engine).

What AWS's semantics say the example must do (written before running it): shared, prod
and west reach each other; shared and dev reach each other; dev and prod, dev and west
never, in either direction (segments: no route in either one's TGW route table).
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from tests.conftest import EXAMPLES
from vpcwire.cli import app
from vpcwire.sandbox.background import SandboxInfo, resolve_state_dir
from vpcwire.sandbox.dataplane import sandbox_id
from vpcwire.sandbox.dataplane.system import list_namespaces

pytestmark = [pytest.mark.integration, pytest.mark.slow]
runner = CliRunner()

SPEC = EXAMPLES / "transit-gateway.yaml"
APART = [("dev", "prod"), ("prod", "dev"), ("dev", "west"), ("west", "dev")]
TOGETHER = [
    ("shared", "prod"),
    ("prod", "west"),
    ("west", "shared"),
    ("shared", "dev"),
    ("dev", "shared"),
]


def test_up_verify_probe_down(
    sandbox: SandboxInfo, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    prefix = f"vw{sandbox_id(resolve_state_dir())}-"
    try:
        up = runner.invoke(app, ["up", str(SPEC)])
        assert up.exit_code == 0, up.stdout + up.stderr

        again = runner.invoke(app, ["up", str(SPEC), "--json"])
        assert again.exit_code == 0, again.stdout + again.stderr
        assert json.loads(again.stdout)["no_changes"] is True, again.stdout  # no perpetual diff

        live = runner.invoke(app, ["verify", str(SPEC), "--live"])
        assert live.exit_code == 0, live.stdout + live.stderr

        probe = runner.invoke(app, ["probe", str(SPEC), "--json"])
        assert probe.exit_code == 0, probe.stdout + probe.stderr
        rows = {r["key"]: r for r in json.loads(probe.stdout)["results"]}
        assert all(r["ok"] and r["agree"] for r in rows.values()), rows
        for src, dst in APART:
            (row,) = [
                r for k, r in rows.items() if k.startswith(f"isolation: {src}_client_1 -/-> {dst}_")
            ]
            assert row["packets"]["result"] != "reachable", row
        for src, dst in TOGETHER:
            reached = [
                r
                for k, r in rows.items()
                if k.startswith("connections[") and f": {src}_client_1 -> {dst}_client_1 " in k
            ]
            assert reached and all(r["packets"]["result"] == "reachable" for r in reached), (
                src,
                dst,
            )
    finally:
        down = runner.invoke(app, ["down", str(SPEC)])
    assert down.exit_code == 0, down.stdout + down.stderr
    assert list_namespaces(prefix) == []
