"""Nothing left behind: teardown works from the registry or from the name prefix alone, and a
`sandbox start` after a killed run removes what that run left."""

from __future__ import annotations

import time
from pathlib import Path

import pytest
from typer.testing import CliRunner

from tests.verify import scenarios
from vpcwire.cli import app
from vpcwire.sandbox.dataplane import Registry, materialise, sandbox_id, teardown
from vpcwire.sandbox.dataplane.materialise import ETC_NETNS
from vpcwire.sandbox.dataplane.system import list_namespaces, namespace_pids

runner = CliRunner()


def test_teardown_without_the_registry_still_removes_everything(plane_dir: Path) -> None:
    plane = materialise(scenarios.privatelink().build(), plane_dir)
    prefix = plane.layout.prefix
    assert len(list_namespaces(prefix)) == len(plane.layout.boxes)
    assert any(ETC_NETNS.glob(f"{prefix}*"))
    registry = Registry.load(plane_dir)
    assert registry is not None and len(registry.pids) == 1  # the metadata service
    imds = registry.pids[0]
    Registry.path(plane_dir).unlink()  # as if killed before the registry was read
    assert teardown(plane_dir) == len(plane.layout.boxes)
    assert list_namespaces(prefix) == []
    assert not any(ETC_NETNS.glob(f"{prefix}*"))
    # the metadata service, unknown to teardown now, stops once its namespaces are gone
    deadline = time.monotonic() + 10
    while _alive(imds) and time.monotonic() < deadline:
        time.sleep(0.1)
    assert not _alive(imds)


def test_metadata_service_and_namespace_processes_are_killed(plane_dir: Path) -> None:
    plane = materialise(scenarios.peered().build(), plane_dir)
    registry = Registry.load(plane_dir)
    assert registry is not None and len(registry.pids) == 1  # the metadata service
    imds = registry.pids[0]
    assert Path(f"/proc/{imds}").exists()
    teardown(plane_dir)
    deadline = time.monotonic() + 5
    while _alive(imds) and time.monotonic() < deadline:
        time.sleep(0.05)
    assert not _alive(imds)
    assert namespace_pids(list_namespaces(plane.layout.prefix)) == []


@pytest.mark.integration
def test_sandbox_start_after_a_kill_cleans_up(
    plane_dir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("VPCWIRE_HOME", str(plane_dir))
    materialise(scenarios.peered().build(), plane_dir, imds=False)
    prefix = f"vw{sandbox_id(plane_dir)}-"
    assert list_namespaces(prefix)
    try:
        started = runner.invoke(app, ["sandbox", "start"])
        assert started.exit_code == 0, started.stdout + started.stderr
        assert list_namespaces(prefix) == []
    finally:
        stopped = runner.invoke(app, ["sandbox", "stop"])
        assert stopped.exit_code == 0


def _alive(pid: int) -> bool:
    try:
        status = Path(f"/proc/{pid}/status").read_text()
    except OSError:
        return False
    return "zombie" not in status.lower()
