"""A damaged terraform.tfstate stops every command with the way back; nothing is lost.

Truncated, empty, `null` and non-UTF-8 state files: `up` and `down` refuse (exit 3) with the
file, what is wrong, terraform.tfstate.backup and the copies vpcwire keeps, and the `cp`
command that restores the newest; neither touches the stack, nor its packet data plane.
After restoring as told, `down` removes everything.
"""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest

from tests.integration.state_helpers import Stack
from vpcwire.sandbox.background import SandboxInfo
from vpcwire.sandbox.dataplane import sandbox_id
from vpcwire.sandbox.dataplane.system import list_namespaces

pytestmark = pytest.mark.integration


def _damage(kind: str, good: bytes) -> bytes:
    return {
        "truncated": good[: len(good) // 2],
        "empty": b"",
        "null": b"null\n",
        "binary": b"\xff\xfe\x00\x01" + good[:100],
    }[kind]


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
    code, report, progress = stack.run_json("up", "--no-verify")
    assert code == 0, progress
    assert report["changes"] == {"add": 24, "change": 0, "remove": 0, "import": 0}
    assert report["no_changes"] is False and report["swept"] == [] and report["adopted"] == []
    assert "created aws_vpc.a" in progress  # progress goes to stderr under --json
    code, report, _ = stack.run_json("up", "--no-verify")
    assert code == 0 and report["no_changes"] is True
    state = stack.workdir / "terraform.tfstate"
    good = state.read_bytes()
    before = sorted(t.id for t in stack.tagged(sandbox.endpoint_url))
    assert before
    prefix = f"vw{sandbox_id(sandbox_home)}-"
    plane = list_namespaces(prefix)  # `up` ends with the packets: its data plane is up
    assert plane

    for kind in WHY:
        state.write_bytes(_damage(kind, good))
        for command in ("up", "down"):
            run = stack.run(command, "--no-verify") if command == "up" else stack.run(command)
            assert run.code == 3, (kind, command, run.output)
            assert f"{state.relative_to(tmp_path)}: the Terraform state {WHY[kind]}" in run.output
            assert (
                "terraform.tfstate.backup" in run.output
                and "fix: restore one with `cp " in run.output
            )
            assert "Traceback" not in run.output and "internal error" not in run.output
            # a refused `down` once tore down the data plane while the resources stayed
            assert list_namespaces(prefix) == plane, (kind, command)
        # nothing was destroyed or created, and the damaged file is still there to inspect
        assert sorted(t.id for t in stack.tagged(sandbox.endpoint_url)) == before
        assert state.read_bytes() == _damage(kind, good)

    # restore exactly as the message says, then the stack comes down completely
    restore = re.search(r"fix: restore one with `cp (\S+) (\S+)`", run.output)
    assert restore is not None
    shutil.copyfile(tmp_path / restore[1], tmp_path / restore[2])
    code, report, progress = stack.run_json("down")
    assert code == 0, progress
    assert report["nothing_left"] is True and report["destroyed"] == 24
    assert "nothing left" in progress
    assert stack.tagged(sandbox.endpoint_url) == []
    assert list_namespaces(prefix) == []
    assert list((stack.workdir / "state-history").glob("terraform.tfstate.*.down"))
