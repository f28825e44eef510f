"""Run terraform in a working directory: init, apply, destroy, plan -detailed-exitcode.

Progress is read from terraform's machine-readable UI (``-json``): each completed resource
is reported as (done, total), and a failure names the resource that failed and keeps the
state, so the next ``vpcwire up`` continues where this one stopped. Credentials are never
passed on the command line or written here: terraform inherits them from the environment.
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import signal
import subprocess
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal

from vpcwire.deploy.mirror import cli_config_text, find_provider_mirror
from vpcwire.errors import DeployError, TerraformNotFound

__all__ = [
    "Event",
    "ProgressFn",
    "Terraform",
    "TerraformTimings",
    "find_terraform",
    "state_resources",
]

CLI_CONFIG_NAME = ".vpcwire.tfrc"
INIT_STAMP = ".terraform/vpcwire-init.sha256"


@dataclass(frozen=True, slots=True)
class Event:
    """One line of progress: a resource finished (or failed) during apply/destroy."""

    kind: Literal["start", "done", "failed", "planned", "message"]
    address: str = ""
    action: str = ""
    done: int = 0
    total: int = 0
    seconds: float = 0.0
    text: str = ""


ProgressFn = Callable[[Event], None]


@dataclass
class TerraformTimings:
    """Wall seconds per terraform command, for `vpcwire up --timings` and the benchmark."""

    seconds: dict[str, float] = field(default_factory=dict)

    def add(self, name: str, seconds: float) -> None:
        self.seconds[name] = self.seconds.get(name, 0.0) + seconds


def find_terraform() -> str:
    binary = os.environ.get("VPCWIRE_TERRAFORM") or shutil.which("terraform")
    if not binary:
        raise TerraformNotFound(
            "terraform is not on PATH",
            detail="install Terraform >= 1.5 (https://developer.hashicorp.com/terraform/install) "
            "or set VPCWIRE_TERRAFORM to its path",
        )
    return binary


class Terraform:
    def __init__(
        self,
        workdir: Path,
        env: Mapping[str, str] | None = None,
        *,
        progress: ProgressFn | None = None,
    ) -> None:
        # absolute: terraform runs with this as its cwd, and the CLI config path we hand it
        # in the environment must not depend on where that is
        self.workdir = workdir.resolve()
        self.binary = find_terraform()
        self.progress = progress or (lambda event: None)
        self.timings = TerraformTimings()
        self.env = self._environment(env)

    # -- environment -----------------------------------------------------------------------

    def _environment(self, extra: Mapping[str, str] | None) -> dict[str, str]:
        env = dict(os.environ)
        env.update(extra or {})
        env["TF_IN_AUTOMATION"] = "1"
        env["TF_INPUT"] = "0"
        env.setdefault("CHECKPOINT_DISABLE", "1")
        # The provider plugin is a large Go program started several times per apply; a less
        # eager garbage collector saves a few CPU-seconds per run (measured, sandbox-facts.md).
        env.setdefault("GOGC", "400")
        mirror = find_provider_mirror()
        if mirror is not None:
            self.workdir.mkdir(parents=True, exist_ok=True)
            rc = self.workdir / CLI_CONFIG_NAME
            text = cli_config_text(mirror)
            if not rc.exists() or rc.read_text(errors="replace") != text:
                rc.write_text(text)
            env["TF_CLI_CONFIG_FILE"] = str(rc)
        else:
            configured = env.get("TF_CLI_CONFIG_FILE")
            if configured and not Path(configured).exists():
                env.pop("TF_CLI_CONFIG_FILE")  # a dangling setting only makes terraform warn
            env.setdefault("TF_PLUGIN_CACHE_DIR", str(_cache_dir() / "plugins"))
            Path(env["TF_PLUGIN_CACHE_DIR"]).mkdir(parents=True, exist_ok=True)
        return env

    # -- commands ----------------------------------------------------------------------------

    def init(self) -> None:
        """terraform init, skipped when the provider requirements have not changed since."""
        stamp = self.workdir / INIT_STAMP
        want = self._requirements_digest()
        if (
            stamp.exists()
            and stamp.read_text(errors="replace") == want
            and (self.workdir / ".terraform.lock.hcl").exists()
        ):
            return
        self._run_plain("init", ["init", "-input=false", "-no-color"])
        stamp.parent.mkdir(parents=True, exist_ok=True)
        stamp.write_text(want)

    def validate(self) -> list[str]:
        """Error messages from terraform validate (empty when valid)."""
        proc = self._run_plain("validate", ["validate", "-json", "-no-color"], check=False)
        report = json.loads(proc.stdout or "{}")
        return [
            f"{d.get('summary', '')}: {d.get('detail', '')}".strip(": ")
            for d in report.get("diagnostics", [])
            if d.get("severity") == "error"
        ]

    def apply(self) -> None:
        self._run_streaming("apply", ["apply", "-auto-approve", "-input=false", "-json"])

    def destroy(self) -> None:
        self._run_streaming(
            "destroy", ["apply", "-destroy", "-auto-approve", "-input=false", "-json"]
        )

    def plan_changes(self) -> tuple[int, list[str]]:
        """terraform plan -detailed-exitcode: (0 no changes | 2 changes, planned changes)."""
        changes: list[str] = []
        code = self._run_streaming(
            "plan",
            ["plan", "-detailed-exitcode", "-input=false", "-json", "-lock=false"],
            ok_codes=(0, 2),
            collect=changes,
        )
        return code, changes

    def outputs(self) -> dict[str, Any]:
        """Output values, read from the local state: the same values `terraform output -json`
        prints, without starting terraform (about 0.8 s saved per `vpcwire up`)."""
        state = _read_state(self.workdir)
        return {name: item.get("value") for name, item in state.get("outputs", {}).items()}

    def state_resources(self) -> list[str]:
        return state_resources(self.workdir)

    # -- plumbing ------------------------------------------------------------------------------

    def _requirements_digest(self) -> str:
        versions = self.workdir / "versions.tf"
        text = versions.read_text(errors="replace") if versions.exists() else ""
        return hashlib.sha256((text + self.env.get("TF_CLI_CONFIG_FILE", "")).encode()).hexdigest()

    def _run_plain(
        self, name: str, args: list[str], *, check: bool = True
    ) -> subprocess.CompletedProcess[str]:
        started = time.monotonic()
        try:
            proc = subprocess.run(
                [self.binary, *args],
                cwd=self.workdir,
                env=self.env,
                capture_output=True,
                text=True,
                encoding="utf-8",
                errors="replace",  # terraform may print a file's non-UTF-8 bytes back
                check=False,
            )
        finally:
            self.timings.add(name, time.monotonic() - started)
        if check and proc.returncode != 0:
            raise DeployError(
                f"terraform {args[0]} failed in {self.workdir}",
                detail=_tail(proc.stderr or proc.stdout),
            )
        return proc

    def _run_streaming(
        self,
        name: str,
        args: list[str],
        *,
        ok_codes: tuple[int, ...] = (0,),
        collect: list[str] | None = None,
    ) -> int:
        started = time.monotonic()
        tracker = _Tracker(self.progress, collect)
        # stderr joins stdout: one pipe cannot fill up unread while we wait on the other;
        # lines that are not JSON UI messages are kept as plain text for error reports.
        with subprocess.Popen(
            [self.binary, *args],
            cwd=self.workdir,
            env=self.env,
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            text=True,
            encoding="utf-8",
            errors="replace",  # terraform may print a file's non-UTF-8 bytes back
            bufsize=1,
        ) as proc:
            try:
                assert proc.stdout is not None
                for line in proc.stdout:
                    tracker.feed(line)
                code = proc.wait()
            except KeyboardInterrupt:
                # terraform got the same SIGINT (same process group): let it stop cleanly
                # and write its state, then tell the user what exists.
                proc.send_signal(signal.SIGINT)
                proc.wait()
                raise DeployError(
                    f"terraform {name} interrupted", detail=self._state_note()
                ) from None
            finally:
                self.timings.add(name, time.monotonic() - started)
        if code not in ok_codes:
            raise DeployError(
                f"terraform {name} failed" + (f" at {tracker.failed[0]}" if tracker.failed else ""),
                detail="\n".join(
                    filter(
                        None, [*tracker.errors, _tail("\n".join(tracker.plain)), self._state_note()]
                    )
                ),
                resource=tracker.failed[0] if tracker.failed else None,
            )
        return code

    def _state_note(self) -> str:
        existing = self.state_resources()
        return (
            f"state kept in {self.workdir / 'terraform.tfstate'} ({len(existing)} resources exist); "
            "fix the cause and rerun `vpcwire up` to continue, or `vpcwire down` to remove them"
        )


class _Tracker:
    """Turns terraform's JSON UI messages into progress events and error summaries."""

    def __init__(self, progress: ProgressFn, collect: list[str] | None) -> None:
        self.progress = progress
        self.collect = collect
        self.total = 0
        self.done = 0
        self.failed: list[str] = []
        self.errors: list[str] = []
        self.plain: list[str] = []

    def feed(self, line: str) -> None:
        try:
            msg = json.loads(line)
        except json.JSONDecodeError:
            if line.strip():
                self.plain.append(line.rstrip())
            return
        if not isinstance(msg, dict):
            return
        kind = msg.get("type")
        if kind == "planned_change":
            change = msg.get("change", {})
            if self.collect is not None:
                self.collect.append(
                    f"{change.get('resource', {}).get('addr', '?')}: {change.get('action', '?')}"
                )
        elif kind == "change_summary" and msg.get("changes", {}).get("operation") in ("plan", None):
            c = msg["changes"]
            self.total = int(c.get("add", 0)) + int(c.get("change", 0)) + int(c.get("remove", 0))
            self.progress(Event("planned", total=self.total, text=msg.get("@message", "")))
        elif kind in ("apply_start", "apply_complete", "apply_errored"):
            self._hook(kind, msg.get("hook", {}))
        elif kind == "diagnostic":
            self._diagnostic(msg.get("diagnostic", {}))

    def _hook(self, kind: str, hook: dict[str, Any]) -> None:
        address = hook.get("resource", {}).get("addr", "?")
        action = hook.get("action", "")
        if action == "read":
            return  # data sources are not part of the plan's count
        seconds = float(hook.get("elapsed_seconds", 0) or 0)
        if kind == "apply_start":
            self.progress(Event("start", address, action, self.done, self.total))
        elif kind == "apply_complete":
            self.done += 1
            self.progress(Event("done", address, action, self.done, self.total, seconds))
        else:
            self.failed.append(address)
            self.progress(Event("failed", address, action, self.done, self.total, seconds))

    def _diagnostic(self, diag: dict[str, Any]) -> None:
        if diag.get("severity") != "error":
            return
        where = diag.get("address") or ""
        if where and where not in self.failed:
            self.failed.append(where)
        summary = diag.get("summary", "").strip()
        detail = diag.get("detail", "").strip()
        text = (f"{where}: " if where else "") + summary + (f"\n  {detail}" if detail else "")
        self.errors.append(text)
        self.progress(Event("message", where, text=text))


def _tail(text: str, lines: int = 15) -> str:
    kept = [line for line in (text or "").strip().splitlines() if line.strip()]
    return "\n".join(kept[-lines:])


def _cache_dir() -> Path:
    base = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(base) / "vpcwire"


def state_resources(workdir: Path) -> list[str]:
    """Managed resource addresses in a directory's local state (without running terraform)."""
    out = []
    for res in _read_state(workdir).get("resources", []):
        if res.get("mode") != "managed":
            continue
        for inst in res.get("instances", []):
            key = inst.get("index_key")
            suffix = "" if key is None else f"[{json.dumps(key)}]"
            out.append(f"{res['type']}.{res['name']}{suffix}")
    return out


def _read_state(workdir: Path) -> dict[str, Any]:
    path = workdir / "terraform.tfstate"
    try:
        state = json.loads(path.read_bytes())
    except (OSError, ValueError):  # JSONDecodeError and UnicodeDecodeError are ValueErrors
        return {}
    return state if isinstance(state, dict) else {}
