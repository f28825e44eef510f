"""Terraform evaluates Terraform: `terraform plan` of a private copy against the sandbox.

vpcwire's own HCL evaluation knows some functions and guesses the rest; terraform knows
them all, and knows what the provider computes at plan time. So where terraform can run,
scan hands it a copy of the configuration (``tf_workspace.py``), points every provider
at a private embedded sandbox started for this scan, and reads the saved plan's JSON --
planned values plus the configuration -- exactly as it reads a plan the user made.

Steps, and what each costs on a 2-core machine (the PrivateLink fixture, load ~2):
``terraform init`` against the local provider mirror, overlapped with the sandbox's
start (moto's import and server, ~2 s); ``terraform plan -refresh=false -out``
(the provider plugin starts twice, ~3-5 s); ``terraform show -json`` (~2 s). Measured
figures are in docs/scan-terraform.md.

Why a sandbox rather than a fake endpoint: data sources are common in real configurations
(``aws_availability_zones`` in most VPC modules, ``aws_region``, ``aws_caller_identity``
with ``assume_role``), and the sandbox answers them as AWS would in the region and account
the provider names; a fake endpoint makes every one of them unknown.

Where terraform cannot finish, :class:`CannotRun` says why, and scan falls back to its own
evaluation, saying so. A data source that looks up what only the user's account holds
(``data "aws_vpc"`` by tag) fails on the sandbox: it is made unknown and the plan is made
again (:func:`tf_workspace.defer_data_source`), so one lookup never loses the evaluation.
"""

from __future__ import annotations

import contextlib
import json
import os
import re
import signal
import subprocess
import tempfile
import time
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from vpcwire.scan.evaluation import Evaluation
from vpcwire.scan.tf_workspace import (
    Workspace,
    WorkspaceError,
    copy_configuration,
    count_blocks,
    defer_data_source,
    relax_pins,
    write_overrides,
)

__all__ = ["AUTO_LIMIT", "CannotRun", "evaluate_with_terraform"]

# Above this many resource/data/module blocks, scan's default leaves terraform out: a plan of
# the 500-VPC benchmark (8,249 blocks) takes minutes where scan's own evaluation takes ~5 s.
# `--terraform` asks for it anyway.
AUTO_LIMIT = 2000
INIT_TIMEOUT_S = 180.0
PLAN_TIMEOUT_S = 600.0
MAX_ROUNDS = 4  # plans: the first, and retries after making failing data sources unknown
PLAN_FILE = "vpcwire.tfplan"

# Data sources whose answer does not depend on the account (the sandbox answers them as AWS
# would); every other data source the sandbox answered is a guess, and the output says so.
ACCOUNT_FREE = {
    "aws_region",
    "aws_regions",
    "aws_partition",
    "aws_iam_policy_document",
    "aws_arn",
    "aws_default_tags",
    "aws_availability_zone",
    "aws_ip_ranges",
    "aws_service",
}

_PIN_FAILURE = re.compile(
    r"no available releases match|does not match any of the checksums|"
    r"locked provider .* does not match|Unsupported Terraform Core version",
    re.IGNORECASE,
)


class CannotRun(Exception):
    """Terraform could not evaluate the configuration; the message says why, for the
    output's "fell back" line."""


@dataclass
class _Run:
    binary: str
    env: dict[str, str]
    seconds: float = 0.0
    notes: list[str] = field(default_factory=list)
    unknowns: int = 0  # data sources made unknown
    steps: dict[str, float] = field(default_factory=dict)  # wall seconds per step

    def took(self, step: str, seconds: float) -> None:
        self.steps[step] = self.steps.get(step, 0.0) + seconds


def evaluate_with_terraform(
    path: Path,
    var_files: Sequence[Path],
    variables: Mapping[str, str],
    *,
    force: bool = False,
) -> tuple[dict[str, Any], Evaluation]:
    """The plan's JSON of ``path`` (a root module directory), planned against a private
    sandbox, and how it was obtained. Raises :class:`CannotRun` where terraform cannot."""
    from vpcwire.deploy.mirror import find_provider_mirror
    from vpcwire.deploy.terraform import Terraform
    from vpcwire.errors import TerraformNotFound

    blocks = count_blocks(path)
    if not force and blocks > AUTO_LIMIT:
        raise CannotRun(
            f"{blocks} resource, data and module blocks: terraform plan would take "
            f"minutes (scan leaves it out above {AUTO_LIMIT}; --terraform asks for it)"
        )
    with tempfile.TemporaryDirectory(prefix="vpcwire-scan-tf-") as tmp:
        try:
            ws = copy_configuration(path, Path(tmp))
        except (WorkspaceError, OSError) as exc:
            raise CannotRun(f"cannot copy the configuration: {exc}") from None
        region = os.environ.get("AWS_REGION") or os.environ.get("AWS_DEFAULT_REGION") or ""
        write_overrides(ws, region or "us-east-1")
        try:
            tf = Terraform(ws.root)
        except TerraformNotFound as exc:
            raise CannotRun(f"{exc} ({exc.detail})" if exc.detail else str(exc)) from None
        env = {k: v for k, v in tf.env.items() if not k.startswith("AWS_")}
        run = _Run(tf.binary, env)
        mirror = find_provider_mirror()
        init = _start(run, ["init", "-input=false", "-no-color"], ws.root)
        with _stopped_on_failure(init[0]), _sandbox(run) as endpoint:
            code, out, err = _finish(run, init, "init", INIT_TIMEOUT_S)
            if code != 0 and _PIN_FAILURE.search(out + err) and mirror is not None:
                core = "Unsupported Terraform Core version" in out + err
                run.notes += relax_pins(ws, mirror.versions[-1], core=core)
                code, out, err = _finish(
                    run, _start(run, ["init", "-input=false", "-no-color"], ws.root), "init"
                )
            if code != 0:
                raise CannotRun(_init_failure(out + err))
            from vpcwire.sandbox.clients import sandbox_env

            run.env = sandbox_env(endpoint, region=region or "us-east-1", base=run.env)
            _plan(run, ws, var_files, variables)
            code, out, err = _finish(
                run, _start(run, ["show", "-json", PLAN_FILE], ws.root), "show", INIT_TIMEOUT_S
            )
            if code != 0:
                raise CannotRun(f"terraform show failed: {_first_line(err or out)}")
    try:
        plan = json.loads(out)
    except json.JSONDecodeError as exc:
        raise CannotRun(f"terraform show printed no JSON ({exc})") from None
    guessed = _mark_sandbox_answers(plan, run.notes) or run.unknowns > 0
    version = plan.get("terraform_version", "?")
    return plan, Evaluation(
        "terraform",
        f"terraform {version} evaluated every expression of a private copy",
        tuple(run.notes),
        guessed,
        run.seconds,
        tuple((step, round(seconds, 2)) for step, seconds in run.steps.items()),
    )


@contextlib.contextmanager
def _sandbox(run: _Run) -> Iterator[str]:
    """A private embedded sandbox for this scan's plan (stopped at the end); its start
    (moto's import and server) overlaps ``terraform init``."""
    started = time.monotonic()
    from vpcwire.sandbox.server import Sandbox

    with Sandbox() as sandbox:
        run.took("sandbox start", time.monotonic() - started)
        yield sandbox.endpoint_url


@contextlib.contextmanager
def _stopped_on_failure(proc: subprocess.Popen[str]) -> Iterator[None]:
    """The first init runs while the sandbox starts: if that (or anything after) fails,
    init must not outlive the scan in a directory about to be removed."""
    try:
        yield
    except BaseException:
        if proc.poll() is None:
            _kill(proc)
        raise


def _start(run: _Run, args: list[str], cwd: Path) -> tuple[subprocess.Popen[str], float]:
    try:
        proc = subprocess.Popen(
            [run.binary, *args],
            cwd=cwd,
            env=run.env,
            stdin=subprocess.DEVNULL,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
            errors="replace",
            start_new_session=True,  # Ctrl-C reaches vpcwire, which stops it (below)
        )
    except OSError as exc:
        raise CannotRun(f"cannot run terraform {run.binary!r}: {exc.strerror or exc}") from None
    return proc, time.monotonic()


def _finish(
    run: _Run,
    started: tuple[subprocess.Popen[str], float],
    name: str,
    timeout: float = INIT_TIMEOUT_S,
) -> tuple[int, str, str]:
    """Wait for one terraform command; stop its process group on timeout or Ctrl-C (it
    writes nothing anyone keeps: the copy is private and has no state)."""
    proc, t0 = started
    try:
        out, err = proc.communicate(timeout=timeout)
    except subprocess.TimeoutExpired:
        _kill(proc)
        raise CannotRun(f"terraform {name} took longer than {timeout:.0f} s") from None
    except BaseException:
        _kill(proc)
        raise
    finally:
        run.seconds += time.monotonic() - t0
        run.took(name, time.monotonic() - t0)
    return proc.returncode, out, err


def _kill(proc: subprocess.Popen[str]) -> None:
    with contextlib.suppress(ProcessLookupError):
        os.killpg(proc.pid, signal.SIGKILL)
    proc.communicate()


def _plan(
    run: _Run, ws: Workspace, var_files: Sequence[Path], variables: Mapping[str, str]
) -> None:
    args = ["plan", "-json", "-input=false", "-lock=false", "-refresh=false", f"-out={PLAN_FILE}"]
    args += [f"-var-file={Path(f).resolve()}" for f in var_files]
    for name, value in variables.items():
        args += ["-var", f"{name}={value}"]
    for _ in range(MAX_ROUNDS):
        code, out, err = _finish(run, _start(run, args, ws.root), "plan", PLAN_TIMEOUT_S)
        if code == 0:
            return
        errors = _diagnostics(out)
        lookups = [d for d in errors if _is_data(d.get("address", ""))]
        others = [d for d in errors if d not in lookups]
        if others or not lookups:
            raise CannotRun(f"terraform plan failed: {_describe(others or errors, err)}")
        deferred = 0
        for d in sorted(lookups, key=_position, reverse=True):
            start = d.get("range", {}).get("start", {})
            if defer_data_source(ws, d["range"].get("filename", ""), int(start.get("byte", 0))):
                deferred += 1
                run.unknowns += 1
                run.notes.append(
                    f"{d['address']}: {d.get('summary', 'failed')} on the sandbox (it looks up "
                    "what only your account holds): its values are unknown"
                )
        if not deferred:
            raise CannotRun(f"terraform plan failed: {_describe(lookups, err)}")
    raise CannotRun(f"terraform plan still failed after {MAX_ROUNDS} rounds")


def _diagnostics(out: str) -> list[dict[str, Any]]:
    found = []
    for line in out.splitlines():
        try:
            msg = json.loads(line)
        except json.JSONDecodeError:
            continue
        if isinstance(msg, dict) and msg.get("type") == "diagnostic":
            diag = msg.get("diagnostic") or {}
            if diag.get("severity") == "error":
                found.append(diag)
    return found


def _is_data(address: str) -> bool:
    return address.startswith("data.") or ".data." in address


def _position(diag: dict[str, Any]) -> tuple[str, int]:
    rng = diag.get("range") or {}
    return rng.get("filename", ""), int((rng.get("start") or {}).get("byte", 0))


def _describe(diags: list[dict[str, Any]], stderr: str) -> str:
    if not diags:
        return _first_line(stderr) or "no diagnostic"
    d = diags[0]
    rng = d.get("range") or {}
    where = f" ({rng.get('filename')}:{(rng.get('start') or {}).get('line')})" if rng else ""
    what = d.get("summary", "").strip()
    detail = _first_line(d.get("detail", ""))
    text = (f"{d['address']}: " if d.get("address") else "") + str(what) + where
    more = f" and {len(diags) - 1} more" if len(diags) > 1 else ""
    return text + (f": {detail}" if detail else "") + more


def _first_line(text: str) -> str:
    """Terraform's first error summary in ``text`` (else its first line), without the box
    drawing of its diagnostics."""
    lines = [line.strip(" │╷╵\t") for line in text.splitlines()]
    for line in lines:
        if line.startswith("Error:"):
            return line[len("Error:") :].strip()[:300]
    return next((line[:300] for line in lines if line), "")


def _init_failure(text: str) -> str:
    summary = _first_line(text)
    if re.search(r"for module|download module|module not installed|unreadable module", text, re.I):
        return (
            f"terraform init could not install the modules ({summary}); run "
            "`terraform init` in your directory first (scan uses its .terraform/modules)"
        )
    return f"terraform init failed: {summary}"


def _data_resources(module: dict[str, Any]) -> Iterator[dict[str, Any]]:
    for res in module.get("resources", []) or []:
        if res.get("mode") == "data":
            yield res
    for child in module.get("child_modules", []) or []:
        yield from _data_resources(child)


def _mark_sandbox_answers(plan: dict[str, Any], notes: list[str]) -> bool:
    """Note each data source the sandbox answered for the user's account (a guess), and
    drop the sandbox's placeholder account (what ``aws_caller_identity`` answers for a
    provider without ``assume_role``) so that it stays unknown. True if anything was."""
    from vpcwire.sandbox.clients import DEFAULT_ACCOUNT_ID

    guessed = False
    root = ((plan.get("prior_state") or {}).get("values") or {}).get("root_module") or {}
    for res in _data_resources(root):
        kind, address = res.get("type", ""), res.get("address", "?")
        values = res.get("values") or {}
        if kind == "aws_caller_identity" and values.get("account_id") == DEFAULT_ACCOUNT_ID:
            res["values"] = {}
            notes.append(
                f"{address}: the sandbox's placeholder account, not yours: left unknown "
                "(a provider with assume_role names its account)"
            )
            guessed = True
        elif kind.startswith("aws_") and kind not in ACCOUNT_FREE and kind != "aws_caller_identity":
            notes.append(f"{address}: answered by the embedded sandbox, not by your account")
            guessed = True
    return guessed
