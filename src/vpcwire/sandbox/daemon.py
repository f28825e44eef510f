"""The background sandbox: `python -m vpcwire.sandbox.daemon --state-dir DIR`.

Started by `vpcwire.sandbox.background.start_background`, never by hand. It detaches with a
double fork — the launched process exits as soon as the sandbox listens (or fails), so the
CLI command that started it neither waits for it nor leaves a zombie behind — then serves
until SIGTERM or SIGINT. The grandchild writes `sandbox.json` once it listens and removes it
on the way out. Standard output and error are the state directory's `sandbox.log`.
"""

from __future__ import annotations

import argparse
import logging
import os
import signal
import sys
import threading
from pathlib import Path
from types import FrameType

from vpcwire.sandbox.background import SandboxInfo, new_keys, remove_state, write_state
from vpcwire.sandbox.server import Sandbox

_log = logging.getLogger("vpcwire.sandbox.daemon")


def _parse(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="python -m vpcwire.sandbox.daemon")
    parser.add_argument("--state-dir", type=Path, required=True)
    parser.add_argument("--port", type=int, default=0)
    parser.add_argument(
        "--log-requests", action="store_true", help="log every HTTP request (verbose)"
    )
    return parser.parse_args(argv)


def _relay_verdict(read_end: int) -> int:
    """Wait for the grandchild's verdict on the pipe; 0 if it serves, else 1 (message to log)."""
    chunks = []
    while chunk := os.read(read_end, 4096):
        chunks.append(chunk)
    verdict = b"".join(chunks).decode(errors="replace").strip()
    if verdict == "ready":
        return 0
    print(verdict or "error: the sandbox process died while starting", file=sys.stderr)
    return 1


def _serve(state_dir: Path, port: int, report: int) -> int:
    stop = threading.Event()

    def request_stop(signum: int, frame: FrameType | None) -> None:
        _log.info("received %s, stopping", signal.Signals(signum).name)
        stop.set()

    signal.signal(signal.SIGTERM, request_stop)
    signal.signal(signal.SIGINT, request_stop)
    signal.signal(signal.SIGHUP, signal.SIG_IGN)  # the starting terminal may go away
    try:
        access_key_id, secret_access_key = new_keys()
        sandbox = Sandbox(port, access_key_id=access_key_id).start()
        info = SandboxInfo.for_this_process(sandbox.port, access_key_id, secret_access_key)
        write_state(state_dir, info)
    except BaseException as error:
        os.write(report, f"error: {type(error).__name__}: {error}".encode())
        os.close(report)
        raise
    os.write(report, b"ready")
    os.close(report)
    _log.info("sandbox pid %s serving %s", os.getpid(), sandbox.endpoint_url)
    try:
        while not stop.wait(timeout=1.0):  # a timed wait lets the signal handler run
            pass
    finally:
        sandbox.stop()
        remove_state(state_dir, os.getpid())
        _log.info("sandbox stopped")
    return 0


def main(argv: list[str] | None = None) -> int:
    args = _parse(argv)
    logging.basicConfig(
        stream=sys.stderr,
        level=logging.INFO,
        format="%(asctime)s %(process)d %(name)s %(levelname)s %(message)s",
    )
    if args.log_requests:
        logging.getLogger("vpcwire.sandbox.http").setLevel(logging.DEBUG)
    if not hasattr(os, "fork"):
        print("error: the background sandbox needs a POSIX system (fork)", file=sys.stderr)
        return 1
    # Double fork: this process only relays the grandchild's verdict ("ready" or
    # "error: …") as its exit status, so the caller learns the outcome at once.
    read_end, write_end = os.pipe()
    if os.fork() > 0:
        os.close(write_end)
        return _relay_verdict(read_end)
    os.close(read_end)
    return _serve(args.state_dir, args.port, write_end)


if __name__ == "__main__":
    sys.exit(main())
