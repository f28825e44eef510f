"""A damaged terraform.tfstate stops every command with the way back; nothing is lost.

Truncated, empty, `null` and non-UTF-8 state files: `up` and `down` refuse (exit 3) with the
file, what is wrong, and the backup to restore (`cp … terraform.tfstate.backup …`), and
neither touches the stack. After restoring as told, `down` removes everything.
"""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest

from tests.integration.state_helpers import Stack
from vpcwire.deploy.sandbox_background import SandboxInfo

pytestmark = pytest.mark.integration

DAMAGE = {
    "truncated": lambda good: good[: len(good) // 2],
    "empty": lambda good: b"",
    "null": lambda good: b"null\n",
    "binary": lambda good: b"\xff\xfe\x00\x01" + good[:100],
}
WHY = {
    "truncated": "is not complete JSON",
    "empty": "is empty",
    "null": "holds null",
    "binary": "is not UTF-8 text",
}


def test_damaged_state_is_refused_with_the_backup_named_and_restoring_it_works(
    sandbox: SandboxInfo, tmp_path: Path, sandbox_home: Path
) -> None:
    stack = Stack(tmp_path, "damaged", sandbox_home)
    assert stack.run("up", "--no-verify").code == 0
    state = stack.workdir / "terraform.tfstate"
    good = state.read_bytes()
    before = sorted(t.id for t in stack.tagged(sandbox.endpoint_url))
    assert before

    for kind, damage in DAMAGE.items():
        state.write_bytes(damage(good))
        for command in ("up", "down"):
            run = stack.run(command, "--no-verify") if command == "up" else stack.run(command)
            assert run.code == 3, (kind, command, run.output)
            assert f"{state.relative_to(tmp_path)}: the Terraform state {WHY[kind]}" in run.output
            assert (
                "terraform.tfstate.backup" in run.output
                and "fix: restore one with `cp " in run.output
            )
            assert "Traceback" not in run.output and "internal error" not in run.output
        # nothing was destroyed or created, and the damaged file is still there to inspect
        assert sorted(t.id for t in stack.tagged(sandbox.endpoint_url)) == before
        assert state.read_bytes() == damage(good)

    # restore exactly as the message says, then the stack comes down completely
    command = re.search(r"fix: restore one with `cp (\S+) (\S+)`", run.output)
    assert command is not None
    shutil.copyfile(tmp_path / command[1], tmp_path / command[2])
    down = stack.run("down")
    assert down.code == 0 and "nothing left" in down.output, down.output
    assert stack.tagged(sandbox.endpoint_url) == []
    assert list((stack.workdir / "state-history").glob("terraform.tfstate.*.down"))
