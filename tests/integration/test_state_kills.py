"""`kill -9` of vpcwire or of its terraform, mid-apply and mid-destroy: nothing is lost.

vpcwire's death leaves terraform running on its own (its own process group, writing to a
log file, not a pipe): it finishes and saves its state, and the next command waits for it.
terraform's death can leave resources it created but never recorded: the next command finds
them by the stack tag; `up` removes and recreates those terraform.log proves this directory's
run was creating (else names them by id with the exact command, --adopt / --sweep), and
`down` removes them with the AWS API before it says "nothing left".
"""

from __future__ import annotations

import os
import signal
from pathlib import Path

import pytest

from tests.integration.state_helpers import Stack, wait_gone
from vpcwire.sandbox.background import SandboxInfo

pytestmark = pytest.mark.integration


def test_kill_9_of_vpcwire_lets_terraform_finish_and_the_next_up_waits_for_it(
    sandbox: SandboxInfo, tmp_path: Path, sandbox_home: Path
) -> None:
    stack = Stack(tmp_path, "killvw", sandbox_home)
    proc = stack.start("up", "--no-verify")
    stack.wait_hook("start create aws_instance.a_client_1")
    terraform = stack.terraform_pid()
    os.kill(proc.pid, signal.SIGKILL)
    proc.communicate(timeout=30)
    os.kill(terraform, 0)  # terraform outlived vpcwire ...

    up = stack.run("up", "--no-verify")  # ... and the next up waits for it to finish
    assert up.code == 0, up.output
    wait_gone(terraform)
    assert stack.orphans(sandbox.endpoint_url) == []
    instances = [t for t in stack.tagged(sandbox.endpoint_url) if t.kind == "instance"]
    assert len(instances) == 2

    # vpcwire killed during down: the next down waits for terraform and finishes the job
    proc = stack.start("down")
    stack.wait_hook("start delete aws_instance.")
    os.kill(proc.pid, signal.SIGKILL)
    proc.communicate(timeout=30)
    down = stack.run("down")
    assert down.code == 0 and "nothing left" in down.output, down.output
    assert stack.tagged(sandbox.endpoint_url) == []


def test_kill_9_of_terraform_mid_apply_names_the_orphans_and_the_next_up_removes_them(
    sandbox: SandboxInfo, tmp_path: Path, sandbox_home: Path
) -> None:
    stack = Stack(tmp_path, "killtf", sandbox_home)
    proc = stack.start("up", "--no-verify")
    stack.wait_hook("start create aws_instance.a_client_1")
    stack.wait_exists(sandbox.endpoint_url, "instance", "a_client_1")
    os.kill(stack.terraform_pid(), signal.SIGKILL)
    run = stack.finish(proc)
    assert run.code == 3, run.output
    assert "terraform apply was killed by signal 9" in run.output
    stack.restore_if_told(run)
    orphans = stack.orphans(sandbox.endpoint_url)
    assert any(o.name == "a_client_1" for o in orphans)  # created, never recorded
    for orphan in orphans:
        assert orphan.id in run.output
    assert "Traceback" not in run.output and "internal error" not in run.output

    # Without terraform.log nothing proves where they came from (an older state restored, a
    # run from elsewhere): a plain `up` would build duplicates next to them, so it refuses.
    log = stack.workdir / "terraform.log"
    log.rename(log.with_suffix(".aside"))
    refused = stack.run("up", "--no-verify")
    assert refused.code == 3, refused.output
    assert f"vpcwire up {stack.spec} --sweep" in refused.output
    assert f"vpcwire up {stack.spec} --adopt" in refused.output

    # With it, they are what this directory's killed run was creating: the next plain `up`
    # removes them and terraform creates them again (issue 16: no refusal to work around).
    log.with_suffix(".aside").rename(log)
    up = stack.run("up", "--no-verify")
    assert up.code == 0, up.output
    assert "an interrupted run" in up.output and "never recorded" in up.output, up.output
    for orphan in orphans:
        assert f"removed {orphan}" in up.output
    assert all(o.id not in {t.id for t in stack.tagged(sandbox.endpoint_url)} for o in orphans)
    instances = [t for t in stack.tagged(sandbox.endpoint_url) if t.kind == "instance"]
    assert len(instances) == 2

    # terraform killed mid-destroy: the next down finishes, by state and then by tag
    proc = stack.start("down")
    stack.wait_hook("start delete aws_instance.")
    os.kill(stack.terraform_pid(), signal.SIGKILL)
    run = stack.finish(proc)
    assert run.code == 3 and "killed by signal 9" in run.output, run.output
    stack.restore_if_told(run)  # if the kill landed mid-write, vpcwire says what to restore
    down = stack.run("down")
    assert down.code == 0 and "nothing left" in down.output, down.output
    assert stack.tagged(sandbox.endpoint_url) == []


def test_down_without_state_removes_what_a_killed_first_run_left(
    sandbox: SandboxInfo, tmp_path: Path, sandbox_home: Path
) -> None:
    """terraform killed and its state gone: `down` still finds the stack by its tag."""
    stack = Stack(tmp_path, "nostate", sandbox_home)
    proc = stack.start("up", "--no-verify")
    stack.wait_hook("start create aws_subnet.")
    stack.wait_exists(sandbox.endpoint_url, "vpc", "a")
    os.kill(stack.terraform_pid(), signal.SIGKILL)
    stack.finish(proc)
    (stack.workdir / "terraform.tfstate").unlink(missing_ok=True)
    assert stack.tagged(sandbox.endpoint_url) != []

    down = stack.run("down")
    assert down.code == 0, down.output
    assert "removed" in down.output and "nothing left" in down.output
    assert stack.tagged(sandbox.endpoint_url) == []
