"""The embedded AWS sandbox: moto's server on 127.0.0.1, patched to answer like AWS.

vpcwire can apply its Terraform to real AWS or to this sandbox; the HCL is the same, only
the terraform process's environment differs (`sandbox_env`). Two ways to run it:

    with Sandbox() as sandbox:          # in this process, for tests and one-shot commands
        sandbox.endpoint_url

    start_background()                  # `vpcwire sandbox start`: a detached daemon that
    find_running() / stop_background()  # outlives the command, so later commands (`up`,
                                        # `verify --live`, `check`, `down`) see one state

Accounts: moto picks the account from the request's credentials. Keys it did not issue map
to DEFAULT_ACCOUNT_ID; `sts:AssumeRole` on "arn:aws:iam::<ACCOUNT>:role/<any>" returns keys
of <ACCOUNT> (the role need not exist), so a multi-account config with provider
`assume_role` blocks works unchanged. MOTO_ACCOUNT_ID must stay unset: it forces one account.

moto keeps its state in module globals: every Sandbox in one process shares it, and it dies
with the process. The sandbox listens on the loopback address only, never on 0.0.0.0.
"""

from __future__ import annotations

import contextlib
import json
import logging
import os
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Iterator, Mapping
from dataclasses import asdict, dataclass
from datetime import UTC, datetime
from pathlib import Path
from types import TracebackType
from typing import Any, Self

from moto.moto_server.werkzeug_app import DomainDispatcherApplication, create_backend_app
from moto.server import ThreadedMotoServer
from werkzeug.serving import WSGIRequestHandler, make_server

from vpcwire.deploy.sandbox_patches import apply_patches, patches_applied
from vpcwire.errors import SandboxError

__all__ = [
    "DEFAULT_ACCOUNT_ID",
    "DEFAULT_REGION",
    "LOOPBACK",
    "Sandbox",
    "SandboxInfo",
    "SandboxSession",
    "answers",
    "boto3_session",
    "find_running",
    "resolve_state_dir",
    "sandbox_env",
    "start_background",
    "stop_background",
]

LOOPBACK = "127.0.0.1"
DEFAULT_ACCOUNT_ID = "123456789012"  # moto's account for credentials it did not issue
DEFAULT_REGION = "us-east-1"
# Credentials for the sandbox only: obviously fake, so they are harmless wherever they leak.
SANDBOX_ACCESS_KEY_ID = "vpcwire-sandbox"
SANDBOX_SECRET_ACCESS_KEY = "vpcwire-sandbox-not-a-secret"

STATE_FILE = "sandbox.json"
LOG_FILE = "sandbox.log"
LOCK_FILE = "sandbox.lock"
START_TIMEOUT_S = 20.0
STOP_TIMEOUT_S = 10.0
DAEMON_MODULE = "vpcwire.deploy.sandbox_daemon"

_log = logging.getLogger("vpcwire.sandbox")
_http_log = logging.getLogger("vpcwire.sandbox.http")
_LEVELS = {"info": logging.DEBUG, "warning": logging.WARNING, "error": logging.ERROR}


# --------------------------------------------------------------------------- the server


class _QuietRequestHandler(WSGIRequestHandler):
    """werkzeug's handler, logging each request at DEBUG on our logger instead of stderr."""

    def log(self, type: str, message: str, *args: Any) -> None:
        _http_log.log(_LEVELS.get(type, logging.INFO), message.rstrip(), *args)


def _log_server_message(type: str, message: str, *args: Any) -> None:
    """werkzeug's server-level messages (tracebacks of HTTP 500s) go to our logger too."""
    level = logging.ERROR if type == "error" else logging.DEBUG
    _log.log(level, message.rstrip(), *args)


class _LoopbackMotoServer(ThreadedMotoServer):
    """ThreadedMotoServer serving a socket we bound ourselves, with our request handler.

    moto binds inside its server thread, where werkzeug answers a busy port with
    `sys.exit(1)`: the thread dies and `start()` waits forever. Binding first, in the
    caller's thread, turns that into an ordinary exception.
    """

    def __init__(self, listener: socket.socket) -> None:
        host, port = listener.getsockname()[:2]
        super().__init__(ip_address=host, port=port, verbose=False)
        self._listener = listener

    def _server_entry(self) -> None:
        try:
            server = make_server(
                self._ip_address,
                self._port,
                DomainDispatcherApplication(create_backend_app),
                threaded=True,
                request_handler=_QuietRequestHandler,
                fd=self._listener.fileno(),  # werkzeug serves a duplicate of it
            )
            server.log = _log_server_message  # type: ignore[method-assign]
            self._server = server
        finally:
            self._server_ready_event.set()  # start() must return even if this failed
        server.serve_forever()


def _listen_on_loopback(port: int) -> socket.socket:
    listener = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    try:
        listener.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)  # as werkzeug does
        listener.bind((LOOPBACK, port))
        listener.listen(128)
    except OSError as error:
        listener.close()
        raise SandboxError(
            f"the sandbox cannot listen on {LOOPBACK}:{port}", detail=str(error)
        ) from error
    return listener


class Sandbox:
    """moto's server, patched (see sandbox_patches), listening on 127.0.0.1.

    `port=0` lets the OS choose a free port (race-free); read it back from `port`.
    `patched=False` serves plain moto, to measure what the patches change; it is refused
    once this process has patched moto, since patches cannot be taken back.
    """

    def __init__(self, port: int = 0, *, patched: bool = True) -> None:
        self._requested_port = port
        self._patched = patched
        self._server: _LoopbackMotoServer | None = None
        self._port: int | None = None

    def start(self) -> Self:
        if self._server is not None:
            return self
        _refuse_forced_account()
        if self._patched:
            _apply_patches()
        elif patches_applied():
            raise SandboxError(
                "cannot serve plain moto: this process has already patched it",
                detail="start the unpatched sandbox in a fresh process",
            )
        listener = _listen_on_loopback(self._requested_port)
        server = _LoopbackMotoServer(listener)
        try:
            server.start()
        finally:
            listener.close()  # the server thread holds its own duplicate by now
        if server._server is None:
            raise SandboxError(
                "moto's server did not start", detail="see the log for its traceback"
            )
        self._server = server
        self._port = server.get_host_and_port()[1]
        _log.info("sandbox listening on %s", self.endpoint_url)
        return self

    def stop(self) -> None:
        """Stop serving (idempotent). moto's state stays in this process's memory."""
        if self._server is None:
            return
        self._server.stop()
        self._server = None
        self._port = None

    @property
    def running(self) -> bool:
        return self._server is not None

    @property
    def port(self) -> int:
        if self._port is None:
            raise SandboxError("the sandbox is not running", detail="call start() first")
        return self._port

    @property
    def endpoint_url(self) -> str:
        return f"http://{LOOPBACK}:{self.port}"

    def __enter__(self) -> Self:
        return self.start()

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.stop()


def _apply_patches() -> None:
    """Patch moto, turning botocore's complaint about a missing AWS_PROFILE into advice."""
    from botocore.exceptions import ProfileNotFound

    try:
        apply_patches()
    except ProfileNotFound as error:
        # moto builds a boto3 Session when its EC2 module is first imported.
        raise SandboxError(
            "moto cannot start: AWS_PROFILE names a profile that does not exist",
            detail=f"{error}; unset AWS_PROFILE (the sandbox needs no credentials)",
        ) from error


def _refuse_forced_account() -> None:
    if os.environ.get("MOTO_ACCOUNT_ID"):
        raise SandboxError(
            "MOTO_ACCOUNT_ID is set: it would force one account for the whole sandbox",
            detail="unset MOTO_ACCOUNT_ID; the sandbox tells accounts apart by credentials",
        )


# --------------------------------------------------------------------------- clients


def sandbox_env(
    endpoint_url: str, *, region: str = DEFAULT_REGION, base: Mapping[str, str] | None = None
) -> dict[str, str]:
    """The environment for a terraform (or aws CLI) process that must talk to the sandbox.

    Starts from `base` (default: os.environ), drops every AWS_* variable — a developer's
    profile, session token, role or endpoint overrides must never reach the sandbox, and
    their credentials must never be sent to it — and sets:

        AWS_ENDPOINT_URL             the sandbox, for every service
        AWS_ACCESS_KEY_ID            fake keys: moto maps them to DEFAULT_ACCOUNT_ID
        AWS_SECRET_ACCESS_KEY
        AWS_REGION, AWS_DEFAULT_REGION
        AWS_CONFIG_FILE              os.devnull: no profile, no credential_process, no SSO
        AWS_SHARED_CREDENTIALS_FILE  os.devnull
        AWS_EC2_METADATA_DISABLED    true: never ask an instance-metadata service

    Other accounts are reached from these keys by `assume_role` in the provider blocks.
    The provider still needs `max_retries = 2` in its configuration: it ignores
    AWS_MAX_ATTEMPTS, and retries an HTTP 500 from an action moto lacks for 15+ minutes.
    """
    env = {key: value for key, value in (os.environ if base is None else base).items()}
    for key in [key for key in env if key.startswith("AWS_")]:
        del env[key]
    env.update(
        AWS_ENDPOINT_URL=endpoint_url,
        AWS_ACCESS_KEY_ID=SANDBOX_ACCESS_KEY_ID,
        AWS_SECRET_ACCESS_KEY=SANDBOX_SECRET_ACCESS_KEY,
        AWS_REGION=region,
        AWS_DEFAULT_REGION=region,
        AWS_CONFIG_FILE=os.devnull,
        AWS_SHARED_CREDENTIALS_FILE=os.devnull,
        AWS_EC2_METADATA_DISABLED="true",
    )
    return env


@dataclass(frozen=True, slots=True)
class SandboxSession:
    """boto3 clients that talk to the sandbox as one account."""

    endpoint_url: str
    account_id: str
    region: str
    session: Any  # boto3.Session

    def client(self, service: str, region: str | None = None) -> Any:
        """A client for the sandbox. It never retries: moto has no transient failures, and
        an HTTP 500 (an action moto lacks) should surface at once, not after backoff."""
        from botocore.config import Config

        return self.session.client(
            service,
            region_name=region or self.region,
            endpoint_url=self.endpoint_url,
            config=Config(retries={"total_max_attempts": 1, "mode": "standard"}),
        )


def _isolated_boto3_session(region: str, **credentials: str) -> Any:
    """A boto3 Session that reads no AWS config file or profile of the developer's."""
    import boto3
    import botocore.session

    # "profile" is read from nowhere (not AWS_PROFILE): a developer's profile must not apply.
    core = botocore.session.Session(session_vars={"profile": (None, None, None, None)})
    core.set_config_variable("config_file", os.devnull)
    core.set_config_variable("credentials_file", os.devnull)
    return boto3.Session(botocore_session=core, region_name=region, **credentials)


def boto3_session(
    endpoint_url: str, account_id: str | None = None, region: str = DEFAULT_REGION
) -> SandboxSession:
    """Clients for the sandbox as `account_id` (default: moto's default account).

    Another account is reached the way a real multi-account setup does: sts:AssumeRole on
    a role ARN in that account, which moto answers with keys of that account.
    """
    base = _isolated_boto3_session(
        region,
        aws_access_key_id=SANDBOX_ACCESS_KEY_ID,
        aws_secret_access_key=SANDBOX_SECRET_ACCESS_KEY,
    )
    account = account_id or DEFAULT_ACCOUNT_ID
    if account == DEFAULT_ACCOUNT_ID:
        return SandboxSession(endpoint_url, account, region, base)
    sts = SandboxSession(endpoint_url, DEFAULT_ACCOUNT_ID, region, base).client("sts")
    keys = sts.assume_role(
        RoleArn=f"arn:aws:iam::{account}:role/vpcwire-sandbox", RoleSessionName="vpcwire"
    )["Credentials"]
    session = _isolated_boto3_session(
        region,
        aws_access_key_id=keys["AccessKeyId"],
        aws_secret_access_key=keys["SecretAccessKey"],
        aws_session_token=keys["SessionToken"],
    )
    return SandboxSession(endpoint_url, account, region, session)


# --------------------------------------------------------------------------- background


@dataclass(frozen=True, slots=True)
class SandboxInfo:
    """What `sandbox.json` records about a background sandbox."""

    pid: int
    port: int
    endpoint_url: str
    started_at: str  # ISO 8601, UTC
    moto_version: str

    @classmethod
    def for_this_process(cls, port: int) -> SandboxInfo:
        import moto

        return cls(
            pid=os.getpid(),
            port=port,
            endpoint_url=f"http://{LOOPBACK}:{port}",
            started_at=datetime.now(UTC).isoformat(timespec="seconds"),
            moto_version=moto.__version__,
        )

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


def write_state(directory: Path, info: SandboxInfo) -> None:
    """Write sandbox.json atomically (a reader never sees half a file)."""
    directory.mkdir(parents=True, exist_ok=True)
    temporary = directory / f".{STATE_FILE}.{info.pid}.tmp"
    temporary.write_text(info.to_json(), encoding="utf-8")
    os.replace(temporary, directory / STATE_FILE)


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


def _answers_within(endpoint_url: str, timeout: float) -> bool:
    """Probe until `timeout`: a busy sandbox (terraform hammering it) may answer late."""
    deadline = time.monotonic() + timeout
    while True:
        remaining = deadline - time.monotonic()
        if answers(endpoint_url, timeout=max(0.2, min(2.0, remaining))):
            return True
        if remaining <= 0:
            return False
        time.sleep(0.2)


def answers(endpoint_url: str, timeout: float = 2.0) -> bool:
    """Whether a moto server answers at `endpoint_url` (an STS GetCallerIdentity)."""
    request = urllib.request.Request(
        endpoint_url + "/",
        data=b"Action=GetCallerIdentity&Version=2011-06-15",
        headers={
            "Content-Type": "application/x-www-form-urlencoded",
            "Authorization": (
                f"AWS4-HMAC-SHA256 Credential={SANDBOX_ACCESS_KEY_ID}/20240101/"
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
    if ours is not False and _answers_within(info.endpoint_url, timeout):
        return info
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

    directory.mkdir(parents=True, exist_ok=True)
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

    The daemon (`python -m vpcwire.deploy.sandbox_daemon`) detaches from this process
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
        if info is None or not _answers_within(info.endpoint_url, timeout):
            raise SandboxError(
                "the sandbox failed to start",
                detail=f"log ({directory / LOG_FILE}):\n{_log_tail(directory)}",
            )
        return info


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
            ours = answers(info.endpoint_url)
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
