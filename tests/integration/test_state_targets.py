"""The working directory knows its target: the wrong VPCWIRE_HOME and a restarted sandbox.

A `down` pointed at another sandbox (another VPCWIRE_HOME) is refused with both named and
the state left alone. After the sandbox that held a stack restarts, every command that reads
it says the resources are gone and how to recreate them; `down` confirms against the new
sandbox, by tag, that nothing of the stack is there before it sets the old state aside.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.integration.state_helpers import Stack
from vpcwire.sandbox.background import (
    SandboxInfo,
    find_running,
    start_background,
    stop_background,
)

pytestmark = pytest.mark.integration


@pytest.fixture
def own_home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    """A sandbox home of this test's own: restarting its sandbox touches no other test."""
    home = tmp_path / "home"
    monkeypatch.setenv("VPCWIRE_HOME", str(home))
    start_background(home)
    yield home
    stop_background(home)


def test_wrong_home_is_refused_and_a_restarted_sandbox_is_reported(
    own_home: Path, sandbox: SandboxInfo, sandbox_home: Path, tmp_path: Path
) -> None:
    stack = Stack(tmp_path, "moved", own_home)
    assert stack.run("up", "--no-verify").code == 0
    first = find_running(own_home)
    assert first is not None
    state = (stack.workdir / "terraform.tfstate").read_bytes()

    # another VPCWIRE_HOME (with its own sandbox running): refused, both named, nothing lost
    wrong = stack.run("down", home=sandbox_home)
    assert wrong.code == 2, wrong.output
    assert f"VPCWIRE_HOME={own_home.resolve()}" in wrong.output
    assert f"VPCWIRE_HOME={sandbox_home.resolve()}" in wrong.output
    assert "refusing to act on the wrong target" in wrong.output
    assert (stack.workdir / "terraform.tfstate").read_bytes() == state
    assert stack.tagged(first.endpoint_url) != []
    assert stack.run("up", "--no-verify", home=sandbox_home).code == 2
    assert stack.tagged(sandbox.endpoint_url) == []  # nothing built in the other sandbox

    # the sandbox restarts: its memory, and the stack with it, are gone
    stop_background(own_home)
    second = start_background(own_home)
    gone = (
        f"the sandbox was restarted at {second.started_at}; the resources of stack moved "
        "are gone: run `vpcwire up` to recreate them"
    )
    live = stack.run("verify", "--live")
    assert live.code == 3 and gone in live.output, live.output
    ask = ["check", "--sandbox", "--from", "a_client_1", "--to", "b_client_1", "--port", "22"]
    check = stack.run(*ask, spec=False)
    assert check.code != 0 and gone in check.output, check.output
    down = stack.run("down")
    assert down.code == 0, down.output
    assert gone in down.output and "nothing left" in down.output
    assert not (stack.workdir / "terraform.tfstate").exists()
    assert list((stack.workdir / "state-history").glob("*.sandbox-restarted"))

    # and the stack comes back, and goes, as usual
    up = stack.run("up", "--no-verify")
    assert up.code == 0 and "24 added" in up.output, up.output
    down = stack.run("down")
    assert down.code == 0 and "nothing left" in down.output, down.output
    assert stack.tagged(second.endpoint_url) == []
