"""The background sandbox: a detached daemon that outlives the command that started it.

`vpcwire sandbox start` (and `vpcwire up` when none runs) starts it; later commands find it
through a state file (`sandbox.json` in `resolve_state_dir()`), so `up`, `verify --live`,
`check` and `down` all see one state. No moto here: finding or stopping the daemon must not
pay for importing it.
"""

from __future__ import annotations

import contextlib
import json
import logging
import os
import signal
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from dataclasses import asdict, dataclass, field
from datetime import UTC, datetime
from pathlib import Path

from vpcwire.errors import SandboxError
from vpcwire.sandbox.defaults import (
    DEFAULT_REGION,
    LOOPBACK,
    SANDBOX_ACCESS_KEY_ID,
    SANDBOX_SECRET_ACCESS_KEY,
)

__all__ = [
    "SandboxInfo",
    "answers",
    "find_running",
    "keys_for",
    "new_keys",
    "remove_state",
    "resolve_state_dir",
    "start_background",
    "stop_background",
    "write_state",
]

STATE_FILE = "sandbox.json"
LOG_FILE = "sandbox.log"
LOCK_FILE = "sandbox.lock"
START_TIMEOUT_S = 20.0
STOP_TIMEOUT_S = 10.0
DAEMON_MODULE = "vpcwire.sandbox.daemon"

_log = logging.getLogger("vpcwire.sandbox")


# --------------------------------------------------------------------------- background


@dataclass(frozen=True, slots=True)
class SandboxInfo:
    """What `sandbox.json` records about a background sandbox."""

    pid: int
    port: int
    endpoint_url: str
    started_at: str  # ISO 8601, UTC
    moto_version: str
    # The sandbox's own keys (sandbox_gate.py): the only ones it accepts besides those its
    # STS hands out. Kept out of repr; the state file holding them is 0600.
    access_key_id: str = field(default=SANDBOX_ACCESS_KEY_ID, repr=False)
    secret_access_key: str = field(default=SANDBOX_SECRET_ACCESS_KEY, repr=False)

    @classmethod
    def for_this_process(cls, port: int, access_key_id: str, secret_access_key: str) -> SandboxInfo:
        import moto

        return cls(
            pid=os.getpid(),
            port=port,
            endpoint_url=f"http://{LOOPBACK}:{port}",
            started_at=datetime.now(UTC).isoformat(timespec="seconds"),
            moto_version=moto.__version__,
            access_key_id=access_key_id,
            secret_access_key=secret_access_key,
        )

    @property
    def keys(self) -> tuple[str, str]:
        """(access key id, secret access key) to sign requests to this sandbox with."""
        return self.access_key_id, self.secret_access_key

    def to_json(self) -> str:
        return json.dumps(asdict(self), indent=2) + "\n"

    @classmethod
    def from_json(cls, text: str) -> SandboxInfo:
        """Parse a state file; ValueError if it is not one (e.g. truncated)."""
        data = json.loads(text)
        if not isinstance(data, dict):
            raise ValueError("not a JSON object")
        try:
            return cls(
                pid=int(data["pid"]),
                port=int(data["port"]),
                endpoint_url=str(data["endpoint_url"]),
                started_at=str(data["started_at"]),
                moto_version=str(data["moto_version"]),
                # a sandbox started by an older vpcwire has no gate and no keys of its own
                access_key_id=str(data.get("access_key_id", SANDBOX_ACCESS_KEY_ID)),
                secret_access_key=str(data.get("secret_access_key", SANDBOX_SECRET_ACCESS_KEY)),
            )
        except (KeyError, TypeError) as error:
            raise ValueError(f"missing or bad field: {error}") from error


def resolve_state_dir(state_dir: Path | None = None) -> Path:
    """Where the background sandbox keeps sandbox.json and sandbox.log.

    `state_dir` if given, else $VPCWIRE_HOME, else $XDG_STATE_HOME/vpcwire, else
    ~/.local/state/vpcwire.
    """
    if state_dir is not None:
        return state_dir
    if home := os.environ.get("VPCWIRE_HOME"):
        return Path(home)
    xdg = os.environ.get("XDG_STATE_HOME") or str(Path.home() / ".local" / "state")
    return Path(xdg) / "vpcwire"


def new_keys() -> tuple[str, str]:
    """A fresh random key pair for a sandbox: the access key id is its secret (sandbox_gate)."""
    import secrets

    return "VWSB" + secrets.token_hex(16).upper(), secrets.token_urlsafe(30)


def write_state(directory: Path, info: SandboxInfo) -> None:
    """Write sandbox.json atomically (a reader never sees half a file), readable by its
    owner only: it holds the sandbox's key."""
    directory.mkdir(parents=True, exist_ok=True, mode=0o700)
    temporary = directory / f".{STATE_FILE}.{info.pid}.tmp"
    descriptor = os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(descriptor, "w", encoding="utf-8") as handle:
        os.fchmod(handle.fileno(), 0o600)  # also when the file was left by a killed writer
        handle.write(info.to_json())
    os.replace(temporary, directory / STATE_FILE)


def keys_for(endpoint_url: str, state_dir: Path | None = None) -> tuple[str, str]:
    """The keys to sign requests to the sandbox at `endpoint_url` with.

    The background sandbox's own keys when the state file describes that endpoint; else the
    fixed placeholder keys, which an in-process sandbox without a gate accepts.
    """
    wanted = endpoint_url.rstrip("/")
    with _seen_lock:
        seen = _seen.get(wanted)
    if seen is not None:
        return seen.keys
    info = _read_state(resolve_state_dir(state_dir))
    if info is not None and info.endpoint_url == wanted:
        return info.keys
    return SANDBOX_ACCESS_KEY_ID, SANDBOX_SECRET_ACCESS_KEY


# Sandboxes this process started or found, by endpoint: `keys_for` knows their keys even
# when they live in a state directory other than the default one.
_seen: dict[str, SandboxInfo] = {}
_seen_lock = threading.Lock()


def _remember(info: SandboxInfo) -> SandboxInfo:
    with _seen_lock:
        _seen[info.endpoint_url] = info
    return info


def remove_state(directory: Path, pid: int | None = None) -> None:
    """Remove sandbox.json; with `pid`, only if it still describes that process."""
    path = directory / STATE_FILE
    if pid is not None:
        info = _read_state(directory)
        if info is None or info.pid != pid:
            return
    path.unlink(missing_ok=True)


def _read_state(directory: Path) -> SandboxInfo | None:
    path = directory / STATE_FILE
    try:
        return SandboxInfo.from_json(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        return None
    except ValueError:
        _log.warning("ignoring unreadable sandbox state file %s", path)
        return None


def _pid_alive(pid: int) -> bool:
    """Whether `pid` runs (a zombie child of ours counts as gone, and is reaped)."""
    with contextlib.suppress(ChildProcessError):
        reaped, _ = os.waitpid(pid, os.WNOHANG)
        if reaped == pid:
            return False
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True  # alive, but someone else's
    return True


def _runs_our_daemon(pid: int) -> bool | None:
    """Whether a live `pid` is our daemon (not a recycled pid); None where we cannot tell."""
    if not Path("/proc/self").exists():
        return None  # no /proc (macOS): the caller decides by whether it answers
    try:
        return DAEMON_MODULE.encode() in Path(f"/proc/{pid}/cmdline").read_bytes()
    except (FileNotFoundError, PermissionError):
        return False


def _identify(info: SandboxInfo) -> bool | None:
    """True: our daemon runs; False: nothing of ours runs; None: it runs but cannot be told."""
    return _runs_our_daemon(info.pid) if _pid_alive(info.pid) else False


def _answers_within(info: SandboxInfo, timeout: float) -> bool:
    """Probe until `timeout`: a busy sandbox (terraform hammering it) may answer late."""
    deadline = time.monotonic() + timeout
    while True:
        remaining = deadline - time.monotonic()
        probe = max(0.2, min(2.0, remaining))
        if answers(info.endpoint_url, timeout=probe, access_key_id=info.access_key_id):
            return True
        if remaining <= 0:
            return False
        time.sleep(0.2)


def answers(endpoint_url: str, timeout: float = 2.0, *, access_key_id: str | None = None) -> bool:
    """Whether a moto server answers at `endpoint_url` (an STS GetCallerIdentity), signed
    with `access_key_id` (default: the key `keys_for` finds for that endpoint)."""
    key = access_key_id or keys_for(endpoint_url)[0]
    request = urllib.request.Request(
        endpoint_url + "/",
        data=b"Action=GetCallerIdentity&Version=2011-06-15",
        headers={
            "Content-Type": "application/x-www-form-urlencoded",
            "Authorization": (
                f"AWS4-HMAC-SHA256 Credential={key}/20240101/"
                f"{DEFAULT_REGION}/sts/aws4_request, SignedHeaders=host, Signature=0"
            ),
        },
    )
    try:
        with urllib.request.urlopen(request, timeout=timeout) as response:
            body: bytes = response.read()
    except (urllib.error.URLError, OSError):
        return False
    return b"GetCallerIdentityResponse" in body


def find_running(state_dir: Path | None = None, *, timeout: float = 5.0) -> SandboxInfo | None:
    """The background sandbox described by the state file, if it still runs and answers.

    A state file whose process is gone or is not our daemon is stale: it is removed and
    None returned. Our daemon that runs but does not answer within `timeout` seconds is a
    SandboxError, not stale: forgetting its file would leave it running with no way to
    stop it (`stop_background` still can).
    """
    directory = resolve_state_dir(state_dir)
    info = _read_state(directory)
    if info is None:
        (directory / STATE_FILE).unlink(missing_ok=True)  # unreadable: stale by definition
        return None
    ours = _identify(info)
    if ours is not False and _answers_within(info, timeout):
        return _remember(info)
    if ours is True:
        raise SandboxError(
            f"the sandbox (pid {info.pid}) runs but does not answer at {info.endpoint_url}",
            detail=(
                "stop it with `vpcwire sandbox stop` (its state is lost) and start it again; "
                f"its log is {directory / LOG_FILE}"
            ),
        )
    _log.info("removing stale sandbox state file (pid %s)", info.pid)
    remove_state(directory, info.pid)
    return None


@contextlib.contextmanager
def _exclusive(directory: Path) -> Iterator[None]:
    """Serialise start/stop across processes (two `sandbox start` at once start one)."""
    import fcntl

    directory.mkdir(parents=True, exist_ok=True, mode=0o700)  # holds the sandbox's key
    with open(directory / LOCK_FILE, "a+b") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(lock, fcntl.LOCK_UN)


def _log_tail(directory: Path, lines: int = 20) -> str:
    try:
        text = (directory / LOG_FILE).read_text(encoding="utf-8", errors="replace")
    except FileNotFoundError:
        return "(no log written)"
    return "\n".join(text.splitlines()[-lines:])


def _daemon_environment() -> dict[str, str]:
    """The daemon needs no AWS setting; a stray AWS_PROFILE would even stop moto importing."""
    return {
        key: value
        for key, value in os.environ.items()
        if not key.startswith("AWS_") and key != "MOTO_ACCOUNT_ID"  # that forces one account
    }


def start_background(
    state_dir: Path | None = None, *, port: int = 0, timeout: float = START_TIMEOUT_S
) -> SandboxInfo:
    """Start a detached sandbox daemon, or return the one already running.

    The daemon (`python -m vpcwire.sandbox.daemon`) detaches from this process
    (new session, double fork), writes `sandbox.json` once it listens, and logs to
    `sandbox.log` in the state directory. Raises SandboxError, with the log's tail, if it
    does not answer within `timeout` seconds.
    """
    directory = resolve_state_dir(state_dir)
    with _exclusive(directory):
        running = find_running(directory)
        if running is not None:
            return running
        command = [
            sys.executable,
            "-m",
            DAEMON_MODULE,
            "--state-dir",
            str(directory),
            "--port",
            str(port),
        ]
        with open(directory / LOG_FILE, "ab") as log:
            launcher = subprocess.Popen(
                command,
                stdin=subprocess.DEVNULL,
                stdout=log,
                stderr=log,
                start_new_session=True,
                env=_daemon_environment(),
                cwd=directory,
            )
        try:
            status = launcher.wait(timeout=timeout)
        except subprocess.TimeoutExpired:
            launcher.kill()
            launcher.wait()
            raise SandboxError(
                f"the sandbox did not start within {timeout:.0f} s",
                detail=f"log ({directory / LOG_FILE}):\n{_log_tail(directory)}",
            ) from None
        info = _read_state(directory) if status == 0 else None
        if info is None or not _answers_within(info, timeout):
            raise SandboxError(
                "the sandbox failed to start",
                detail=f"log ({directory / LOG_FILE}):\n{_log_tail(directory)}",
            )
        return _remember(info)


def stop_background(state_dir: Path | None = None, *, timeout: float = STOP_TIMEOUT_S) -> bool:
    """Stop the background sandbox; True if one was running. Always clears its state file."""
    directory = resolve_state_dir(state_dir)
    with _exclusive(directory):
        info = _read_state(directory)
        if info is None:
            (directory / STATE_FILE).unlink(missing_ok=True)
            return False
        ours = _identify(info)
        if ours is None:  # cannot tell from the process: only signal what answers as ours
            ours = answers(info.endpoint_url, access_key_id=info.access_key_id)
        if not ours:
            remove_state(directory, info.pid)
            return False
        os.kill(info.pid, signal.SIGTERM)
        if not _wait_gone(info.pid, timeout):
            _log.warning("sandbox pid %s ignored SIGTERM for %.0f s; killing it", info.pid, timeout)
            os.kill(info.pid, signal.SIGKILL)
            _wait_gone(info.pid, timeout)
        remove_state(directory, info.pid)
        return True


def _wait_gone(pid: int, timeout: float) -> bool:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if not _pid_alive(pid):
            return True
        time.sleep(0.05)
    return not _pid_alive(pid)
