"""Run terraform in a working directory: init, apply, destroy, plan -detailed-exitcode.

Progress is read from terraform's machine-readable UI (``-json``): each completed resource
is reported as (done, total), and a failure names the resource that failed and keeps the
state, so the next ``vpcwire up`` continues where this one stopped. Credentials are never
passed on the command line or written here: terraform inherits them from the environment.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import shutil
import signal
import subprocess
import threading
import time
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal

from vpcwire.deploy.mirror import cli_config_text, find_provider_mirror
from vpcwire.deploy.private_files import TERRAFORM_UMASK, make_private
from vpcwire.deploy.state_file import read_state, state_resources
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
LOG_NAME = "terraform.log"  # terraform's output of the latest run, which vpcwire follows
PID_NAME = ".vpcwire-terraform.pid"  # the terraform of a run in progress (or of a killed one)
FOLLOW_INTERVAL_S = 0.1
EARLIER_RUN_TIMEOUT_S = 3600.0
INTERRUPT_MESSAGE = (
    "interrupting: waiting for terraform to save its state — press Ctrl-C again to abandon"
)
INIT_STAMP = ".terraform/vpcwire-init.sha256"


@dataclass(frozen=True, slots=True)
class Event:
    """One line of progress: a resource finished (or failed) during apply/destroy."""

    kind: Literal["start", "done", "failed", "planned", "message", "progress", "notice"]
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
        make_private(self.workdir)
        self.progress = progress or (lambda event: None)
        self.timings = TerraformTimings()
        self.env = self._environment(env)
        self.summary: dict[str, int] = {}  # the last run's change counts (add/change/remove)

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

    def destroy(self, *, refresh: bool = True) -> None:
        """terraform destroy. ``refresh=False`` deletes exactly what the state records: for a
        state written moments ago by this process, where a refresh can only lose a resource
        (a read that answers "not found" drops it from the state, undeleted)."""
        args = ["apply", "-destroy", "-auto-approve", "-input=false", "-json"]
        if not refresh:
            args.append("-refresh=false")
        self._run_streaming("destroy", args)

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

    def import_resource(self, address: str, resource_id: str) -> None:
        """terraform import: record an existing resource at ``address`` (for --adopt)."""
        self._run_plain("import", ["import", "-input=false", "-no-color", address, resource_id])

    # -- plumbing ------------------------------------------------------------------------------

    def _requirements_digest(self) -> str:
        versions = self.workdir / "versions.tf"
        text = versions.read_text(errors="replace") if versions.exists() else ""
        return hashlib.sha256((text + self.env.get("TF_CLI_CONFIG_FILE", "")).encode()).hexdigest()

    def _run_plain(
        self, name: str, args: list[str], *, check: bool = True
    ) -> subprocess.CompletedProcess[str]:
        """Run a short terraform command (init, validate, import) to completion.

        Like apply, it runs in its own process group with its output in files, not pipes: a
        Ctrl-C is passed on once (an import then finishes writing the state), and vpcwire's
        death cannot break terraform's output mid-write.
        """
        wait_for_earlier_run(self.workdir, self.progress)
        started = time.monotonic()
        self.workdir.mkdir(parents=True, exist_ok=True)
        out_path = self.workdir / f".terraform-{name}.out"
        err_path = self.workdir / f".terraform-{name}.err"
        try:
            with _private_open(out_path) as out_file, _private_open(err_path) as err_file:
                child = subprocess.Popen(
                    [self.binary, *args],
                    cwd=self.workdir,
                    env=self.env,
                    stdin=subprocess.DEVNULL,
                    stdout=out_file,
                    stderr=err_file,
                    start_new_session=True,
                    umask=TERRAFORM_UMASK,  # its state and lock file: 0600
                )
            pid_file = self.workdir / PID_NAME
            pid_file.write_text(f"{child.pid}\n")
            interrupts = _Interrupts(child.pid, self.progress)
            with interrupts.installed():
                while child.poll() is None:
                    time.sleep(FOLLOW_INTERVAL_S)
            pid_file.unlink(missing_ok=True)
        finally:
            self.timings.add(name, time.monotonic() - started)
        proc = subprocess.CompletedProcess(
            child.args,
            child.returncode,
            out_path.read_bytes().decode("utf-8", errors="replace"),
            err_path.read_bytes().decode("utf-8", errors="replace"),
        )
        if interrupts.count:
            raise DeployError(f"terraform {args[0]} interrupted", detail=self._state_note())
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
        """Run terraform detached from us, following its output through a log file.

        terraform runs in its own session (process group), writing to ``terraform.log`` in
        the working directory: the terminal's Ctrl-C reaches only vpcwire, which passes on
        exactly one interrupt per Ctrl-C (see :class:`_Interrupts`), and if vpcwire dies
        terraform still finishes and writes its state, since no pipe to us can break.
        """
        wait_for_earlier_run(self.workdir, self.progress)
        started = time.monotonic()
        tracker = _Tracker(self.progress, collect)
        log = self.workdir / LOG_NAME
        make_private(self.workdir)  # a state an older vpcwire left world-readable, too
        with _private_open(log) as sink:
            proc = subprocess.Popen(
                [self.binary, *args],
                cwd=self.workdir,
                env=self.env,
                stdin=subprocess.DEVNULL,
                stdout=sink,
                stderr=subprocess.STDOUT,
                start_new_session=True,
                umask=TERRAFORM_UMASK,  # its state and lock file: 0600
            )
        pid_file = self.workdir / PID_NAME
        pid_file.write_text(f"{proc.pid}\n")
        interrupts = _Interrupts(proc.pid, self.progress)
        try:
            with interrupts.installed():
                _test_hook("started", name)
                _follow(log, proc, tracker.feed)
        finally:
            self.timings.add(name, time.monotonic() - started)
        code = proc.returncode
        pid_file.unlink(missing_ok=True)
        self.summary = tracker.summary
        if interrupts.count:
            raise DeployError(
                f"terraform {name} interrupted"
                + (
                    ": terraform finished the resources in flight and saved its state"
                    if interrupts.count == 1
                    else ": abandoned at your second Ctrl-C; resources in flight may be "
                    "missing from the state (the next `vpcwire up` or `down` finds them by tag)"
                ),
                detail=self._state_note(),
            )
        if code < 0:
            raise DeployError(
                f"terraform {name} was killed by signal {-code}"
                + (f" while working on {tracker.in_flight()}" if tracker.in_flight() else ""),
                detail="resources it was creating may be missing from the state: the next "
                "`vpcwire up` or `vpcwire down` finds them by their stack tag\n"
                + self._state_note(),
            )
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
        try:
            existing = self.state_resources()
        except DeployError as error:
            return str(error)
        return (
            f"state kept in {self.workdir / 'terraform.tfstate'} ({len(existing)} resources "
            "recorded); rerun `vpcwire up` to continue (after fixing the cause of a failure), "
            "or `vpcwire down` to remove them"
        )


class _Interrupts:
    """Stop requests while terraform runs: each one is passed on once, never more.

    A Ctrl-C (SIGINT), and a SIGTERM or SIGHUP (what `timeout`, systemd, CI runners,
    `docker stop` and a closed terminal send), asks terraform to stop gracefully: it
    finishes the resources in flight and writes its state, and vpcwire waits for that. A
    second Ctrl-C, if the user gives one, makes terraform abandon at once. A repeated
    SIGTERM or SIGHUP is not passed on: a supervisor that repeats its request must not
    turn it into an abandon. vpcwire itself never sends a second interrupt: that double
    interrupt is what lost resources.
    """

    STOPS = (signal.SIGINT, signal.SIGTERM, signal.SIGHUP)

    def __init__(self, pid: int, progress: ProgressFn) -> None:
        self.pid = pid
        self.progress = progress
        self.count = 0  # interrupts passed on to terraform (a third Ctrl-C counts, unsent)
        self.received: list[str] = []  # every stop request, by signal name

    def _handle(self, signum: int, frame: object) -> None:
        name = signal.Signals(signum).name
        self.received.append(name)
        if signum != signal.SIGINT and self.count:
            return  # terraform is already stopping gracefully
        self.count += 1
        if self.count == 1:
            prefix = "" if signum == signal.SIGINT else f"{name} received: "
            self._say(prefix + INTERRUPT_MESSAGE)
        elif self.count == 2:
            self._say("abandoning: terraform stops now without saving what is in flight")
        else:
            return
        with contextlib.suppress(ProcessLookupError):
            os.kill(self.pid, signal.SIGINT)

    def _say(self, text: str) -> None:
        # after SIGHUP the terminal may be gone: the message is lost, the wait must not be
        with contextlib.suppress(OSError):
            self.progress(Event("notice", text=text))

    @contextlib.contextmanager
    def installed(self) -> Iterator[None]:
        if threading.current_thread() is not threading.main_thread():
            yield  # signals are delivered to the main thread only; nothing to install
            return
        previous = {
            signum: signal.signal(signum, self._handle)
            for signum in self.STOPS
            # a SIGHUP or SIGTERM the user chose to ignore (`nohup vpcwire up`) stays ignored
            if signum == signal.SIGINT or signal.getsignal(signum) is not signal.SIG_IGN
        }
        try:
            yield
        finally:
            for signum, handler in previous.items():
                signal.signal(signum, handler)


def _follow(log: Path, proc: subprocess.Popen[bytes], feed: Callable[[str], None]) -> None:
    """Feed each line terraform writes to ``log`` until it exits (and its last lines)."""
    pending = b""
    with log.open("rb") as source:
        while True:
            chunk = source.read(1 << 16)
            if chunk:
                pending += chunk
                *lines, pending = pending.split(b"\n")
                for line in lines:
                    feed(line.decode("utf-8", errors="replace"))
                continue
            if proc.poll() is not None:
                rest = source.read()
                if rest or pending:
                    for line in (pending + rest).split(b"\n"):
                        feed(line.decode("utf-8", errors="replace"))
                return
            time.sleep(FOLLOW_INTERVAL_S)


def wait_for_earlier_run(workdir: Path, progress: ProgressFn) -> None:
    """If a terraform from an earlier vpcwire (one that was killed) still runs here, wait.

    Its state write must finish before anyone reads or changes the state.
    """
    pid_file = workdir / PID_NAME
    try:
        pid = int(pid_file.read_text().strip())
    except (OSError, ValueError):
        return
    if not _is_terraform(pid):
        pid_file.unlink(missing_ok=True)
        return
    progress(
        Event(
            "notice",
            text=f"terraform (pid {pid}) from an earlier vpcwire run is still working in "
            f"{workdir}: waiting for it to finish and save its state",
        )
    )
    started = time.monotonic()
    while _is_terraform(pid):
        if time.monotonic() - started > EARLIER_RUN_TIMEOUT_S:
            raise DeployError(
                f"terraform (pid {pid}) from an earlier run still works in {workdir}",
                detail=f"wait for it to finish (its output: {workdir / LOG_NAME}), then rerun",
            )
        time.sleep(0.5)
    pid_file.unlink(missing_ok=True)


def _is_terraform(pid: int) -> bool:
    try:
        cmdline = Path(f"/proc/{pid}/cmdline").read_bytes()
        stat = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        try:
            os.kill(pid, 0)
        except (ProcessLookupError, PermissionError):
            return False
        return True  # no /proc: assume it is ours
    if stat.rsplit(")", 1)[-1].split()[0] == "Z":
        return False  # a zombie has finished
    program = cmdline.split(b"\0")[0]
    configured = os.environ.get("VPCWIRE_TERRAFORM", "").encode()
    return b"terraform" in program or bool(configured and program == configured)


def _test_hook(point: str, name: str) -> None:
    """Tests make interrupt timing deterministic: VPCWIRE_TEST_HOOK=<file> gets one line per
    point reached (``started apply``, ``start create aws_instance.a``), so a test signals
    exactly when terraform runs, or when a resource is in flight."""
    target = os.environ.get("VPCWIRE_TEST_HOOK")
    if target:
        with open(target, "a", encoding="utf-8") as hook:
            hook.write(f"{point} {name} {os.getpid()}\n")


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
        self.started: dict[str, float] = {}  # address -> monotonic time it started
        # what the run did, from terraform's last change summary: add/change/remove counts
        self.summary: dict[str, int] = {}

    def in_flight(self) -> str:
        return ", ".join(sorted(self.started))

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
        elif kind == "change_summary":
            c = msg.get("changes", {})
            counts = {k: int(c.get(k, 0) or 0) for k in ("add", "change", "remove", "import")}
            if c.get("operation") in ("plan", None):
                self.total = counts["add"] + counts["change"] + counts["remove"]
                self.progress(Event("planned", total=self.total, text=msg.get("@message", "")))
            self.summary = counts
        elif kind == "apply_progress":
            hook = msg.get("hook", {})
            address = hook.get("resource", {}).get("addr", "?")
            self.progress(
                Event(
                    "progress",
                    address,
                    hook.get("action", ""),
                    self.done,
                    self.total,
                    float(hook.get("elapsed_seconds", 0) or 0),
                )
            )
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
            _test_hook("start", f"{action} {address}")
            self.started[address] = time.monotonic()
            self.progress(Event("start", address, action, self.done, self.total))
            return
        self.started.pop(address, None)
        if kind == "apply_complete":
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


def _private_open(path: Path) -> Any:
    """Open terraform's output file for writing, 0600 from birth (it repeats resource details)."""
    path.unlink(missing_ok=True)
    return os.fdopen(os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600), "wb")


def _tail(text: str, lines: int = 15) -> str:
    kept = [line for line in (text or "").strip().splitlines() if line.strip()]
    return "\n".join(kept[-lines:])


def _cache_dir() -> Path:
    base = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(base) / "vpcwire"


def _read_state(workdir: Path) -> dict[str, Any]:
    return read_state(workdir)
