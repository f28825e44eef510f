"""The vpcwire command line: options in, public API called, formatter out, exit code.

One module per group of commands, each registering on the shared Typer app in ``_app``:
``design`` (plan, render, schema, rules, cost), ``deploy`` (up, down), ``verify`` (verify,
check), ``audit``, ``diagram``, ``diff``, ``init``, ``scan``, ``snapshot``, ``sandbox`` (sandbox
start|stop|status|env|exec). Exit codes:
0 ok; 1 a verification failed; 2 bad input or usage; 3 deploy or infrastructure error.
"""

from __future__ import annotations

import signal
import sys
import threading

from vpcwire.cli import (  # noqa: F401  (register commands)
    audit,
    deploy,
    design,
    diagram,
    diff,
    init,
    probe,
    sandbox,
    scan,
    snapshot,
    verify,
)
from vpcwire.cli._app import app
from vpcwire.errors import EXIT_USAGE

__all__ = ["app", "main"]


# What `timeout`, systemd, CI runners, `docker stop` (SIGTERM) and a closed terminal (SIGHUP)
# send: handled like a Ctrl-C, so vpcwire stops the way it does for one (a terraform run
# is asked once to stop, waited for, and the command exits 3) instead of dying silently.
STOP_SIGNALS = (signal.SIGTERM, signal.SIGHUP)


def main() -> None:
    code: int = 0
    if threading.current_thread() is threading.main_thread():
        for signum in STOP_SIGNALS:
            if signal.getsignal(signum) is not signal.SIG_IGN:  # `nohup` keeps its choice
                signal.signal(signum, signal.default_int_handler)
    try:
        app()
    except SystemExit as exc:
        code = exc.code if isinstance(exc.code, int) else (EXIT_USAGE if exc.code else 0)
    finally:
        # The command has said what happened and chosen its exit code: a Ctrl-C that lands
        # now (a user's second press, while Python waits for threads at exit) must not turn
        # that code into "killed by SIGINT" (-2). Found by the two-Ctrl-C state test.
        if threading.current_thread() is threading.main_thread():
            for signum in (signal.SIGINT, *STOP_SIGNALS):
                signal.signal(signum, signal.SIG_IGN)
    sys.exit(code)
