"""A stack: one spec's rendered directory and Terraform state, for one target.

``deploy`` renders into the working directory, points terraform at the sandbox or at AWS,
and applies; ``destroy`` removes what the state holds. The working directory defaults to
``.vpcwire/<stack>/<target>`` under the current directory, so sandbox and real-AWS state
can never be mixed up, and ``vpcwire down`` finds what ``vpcwire up`` made.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal

from vpcwire.deploy.terraform import ProgressFn, Terraform, find_terraform, state_resources
from vpcwire.errors import DeployError
from vpcwire.plan.plan import Plan
from vpcwire.render import GENERATED_MARK, render, write
from vpcwire.render.sandbox import SANDBOX_FILE

__all__ = ["DeployResult", "Target", "deploy", "destroy", "read_stack", "target_env", "workdir_for"]

Target = Literal["sandbox", "aws"]


@dataclass
class DeployResult:
    workdir: Path
    outputs: dict[str, Any]
    endpoint_url: str | None  # the sandbox's, when the target is the sandbox
    seconds: dict[str, float] = field(default_factory=dict)  # phase -> wall seconds


def workdir_for(stack: str, target: Target, override: Path | None = None) -> Path:
    return override if override is not None else Path(".vpcwire") / stack / target


def target_env(
    target: Target, *, announce: Callable[[str], None] | None = None
) -> tuple[dict[str, str], str | None]:
    """Environment for terraform (and boto3) for this target, and the sandbox URL if any.

    The sandbox target uses the background sandbox, starting one if none runs, so that the
    resources outlive this command and ``verify --live`` / ``down`` find them.
    """
    if target == "aws":
        return {}, None
    from vpcwire.deploy.sandbox_background import find_running, start_background
    from vpcwire.deploy.sandbox_clients import sandbox_env

    info = find_running()
    if info is None:
        info = start_background()
        if announce:
            announce(
                f"started the AWS sandbox at {info.endpoint_url} (stop it with `vpcwire sandbox stop`)"
            )
    return sandbox_env(info.endpoint_url), info.endpoint_url


def deploy(
    plan: Plan,
    *,
    target: Target = "sandbox",
    workdir: Path,
    source: str = "",
    progress: ProgressFn | None = None,
    announce: Callable[[str], None] | None = None,
) -> DeployResult:
    find_terraform()  # fail before anything is written or started
    seconds: dict[str, float] = {}
    started = time.monotonic()
    files = render(plan, target=target, source=source)
    write(files, workdir)
    if target == "aws":
        _remove_sandbox_override(workdir)
    seconds["render"] = time.monotonic() - started

    started = time.monotonic()
    env, endpoint = target_env(target, announce=announce)
    seconds["sandbox"] = time.monotonic() - started

    tf = Terraform(workdir, env, progress=progress)
    tf.init()
    tf.apply()
    outputs = tf.outputs()
    seconds.update({f"terraform {k}": v for k, v in tf.timings.seconds.items()})
    return DeployResult(workdir, outputs, endpoint, seconds)


def destroy(
    plan: Plan | None,
    *,
    target: Target = "sandbox",
    workdir: Path,
    source: str = "",
    progress: ProgressFn | None = None,
    announce: Callable[[str], None] | None = None,
) -> int:
    """Destroy what the state in ``workdir`` holds. Returns how many resources it held.

    The directory's own configuration is used when present (it matches the state); it is
    rendered from the spec only when missing.
    """
    state = workdir / "terraform.tfstate"
    if not state.exists():
        return 0
    has_config = any(GENERATED_MARK.encode() in p.read_bytes()[:2000] for p in workdir.glob("*.tf"))
    if not has_config:
        if plan is None:
            raise DeployError(f"{workdir} has state but no configuration to destroy it with")
        write(render(plan, target=target, source=source), workdir)
    if target == "sandbox":
        from vpcwire.deploy.sandbox_background import find_running

        if find_running() is None:
            # The sandbox's memory was the only place these resources existed.
            held = len(state_resources(workdir))
            for stale in (state, workdir / "terraform.tfstate.backup"):
                stale.unlink(missing_ok=True)
            if announce:
                announce(
                    "the sandbox that held this stack is no longer running: nothing remains; state cleared"
                )
            return held
    env, _ = target_env(target, announce=announce)
    tf = Terraform(workdir, env, progress=progress)
    held = len(tf.state_resources())
    tf.init()
    tf.destroy()
    return held


def _remove_sandbox_override(workdir: Path) -> None:
    override = workdir / SANDBOX_FILE
    if override.exists():
        override.unlink()


def read_stack(plan: Plan, *, target: Target, endpoint_url: str | None = None) -> Any:
    """Read the live network of a deployed stack (a ``vpcwire.read.ReadResult``).

    Every region and account of the plan is read; other accounts through their role (on
    the sandbox every account is reached by assuming a role in it, which is how the
    sandbox tells accounts apart). Only the stack's VPCs and their peers are read.
    """
    from vpcwire.read import read_network

    regions = sorted({v.region for v in plan.network.vpcs.values()})
    accounts = plan.spec.accounts.values()
    session = None
    if target == "sandbox":
        from vpcwire.deploy.sandbox_background import find_running
        from vpcwire.deploy.sandbox_clients import boto3_session

        if endpoint_url is None:
            info = find_running()
            if info is None:
                raise DeployError(
                    "no sandbox is running: `vpcwire up` (or `vpcwire sandbox start`) first"
                )
            endpoint_url = info.endpoint_url
        session = boto3_session(endpoint_url).session
        roles = [a.role_arn or f"arn:aws:iam::{a.id}:role/vpcwire-sandbox" for a in accounts]
        include_caller = False
    else:
        roles = [a.role_arn for a in accounts if a.role_arn]
        include_caller = True
    return read_network(
        regions,
        endpoint_url=endpoint_url,
        role_arns=roles,
        include_caller=include_caller,
        vpc_filter={"vpcwire:stack": plan.spec.stack},
        session=session,
    )
