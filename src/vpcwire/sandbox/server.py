"""The embedded AWS sandbox: moto's server on 127.0.0.1, patched to answer like AWS.

vpcwire can apply its Terraform to real AWS or to this sandbox; the HCL is the same, only
the terraform process's environment differs (`sandbox_env`). Two ways to run it:

    with Sandbox() as sandbox:          # in this process, for tests and one-shot commands
        sandbox.endpoint_url

    start_background()                  # `vpcwire sandbox start`: a detached daemon that
    find_running() / stop_background()  # outlives the command (sandbox_background.py)

The environment for terraform and boto3 sessions for the sandbox are in sandbox_clients.py.

Accounts: moto picks the account from the request's credentials. Keys it did not issue map
to DEFAULT_ACCOUNT_ID; `sts:AssumeRole` on "arn:aws:iam::<ACCOUNT>:role/<any>" returns keys
of <ACCOUNT> (the role need not exist), so a multi-account config with provider
`assume_role` blocks works unchanged. MOTO_ACCOUNT_ID must stay unset: it forces one account.

moto keeps its state in module globals: every Sandbox in one process shares it, and it dies
with the process. The sandbox listens on the loopback address only, never on 0.0.0.0.
"""

from __future__ import annotations

import logging
import os
import socket
import threading
from types import TracebackType
from typing import Any, Self

from moto.moto_server.werkzeug_app import DomainDispatcherApplication, create_backend_app
from moto.server import ThreadedMotoServer
from werkzeug.serving import WSGIRequestHandler, make_server

from vpcwire.errors import SandboxError
from vpcwire.sandbox.clients import LOOPBACK
from vpcwire.sandbox.gate import SandboxGate
from vpcwire.sandbox.inventory import InventoryRoute
from vpcwire.sandbox.patches import apply_patches, patches_applied

__all__ = ["OneAtATime", "Sandbox"]

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


class OneAtATime:
    """WSGI middleware: one request at a time into moto.

    moto's backends are plain dicts and lists, not thread-safe, while terraform sends up to
    ten requests at once (its parallelism) and the server answers each in a thread of its
    own. Two creations interleaved inside moto can leave a resource half-made — seen once
    in a full test run: a new security group's default egress rule missing when terraform
    revoked it (InvalidPermission.NotFound), which AWS never answers. moto holds the GIL for
    its work anyway, so serialising costs nothing measurable (benchmarks/read_scale.py).
    """

    def __init__(self, app: Any) -> None:
        self._app = app
        self._lock = threading.Lock()

    def __call__(self, environ: dict[str, Any], start_response: Any) -> list[bytes]:
        with self._lock:
            return list(self._app(environ, start_response))


class _LoopbackMotoServer(ThreadedMotoServer):
    """ThreadedMotoServer serving a socket we bound ourselves, with our request handler.

    moto binds inside its server thread, where werkzeug answers a busy port with
    `sys.exit(1)`: the thread dies and `start()` waits forever. Binding first, in the
    caller's thread, turns that into an ordinary exception.
    """

    def __init__(self, listener: socket.socket, access_key_id: str | None) -> None:
        host, port = listener.getsockname()[:2]
        super().__init__(ip_address=host, port=port, verbose=False)
        self._listener = listener
        self._access_key_id = access_key_id

    def _server_entry(self) -> None:
        app: Any = OneAtATime(InventoryRoute(DomainDispatcherApplication(create_backend_app)))
        if self._access_key_id is not None:
            app = SandboxGate(app, self._access_key_id)
        try:
            server = make_server(
                self._ip_address,
                self._port,
                app,
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
    `access_key_id` puts the sandbox behind its gate (sandbox_gate.py): only requests signed
    with that key, or with keys its STS hands out, are served. The background sandbox always
    has one; an in-process sandbox (tests) is reachable only from this process's callers and
    may go without.
    """

    def __init__(
        self, port: int = 0, *, patched: bool = True, access_key_id: str | None = None
    ) -> None:
        self._requested_port = port
        self._patched = patched
        self._access_key_id = access_key_id
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
        server = _LoopbackMotoServer(listener, self._access_key_id)
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
