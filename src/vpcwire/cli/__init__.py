"""The vpcwire command line: options in, public API called, formatter out, exit code.

One module per group of commands, each registering on the shared Typer app in ``_app``:
``design`` (plan, render, schema, rules, cost), ``deploy`` (up, down), ``verify`` (verify,
check), ``diagram``, ``diff``, ``scan``, ``sandbox`` (sandbox start|stop|status). Exit codes:
0 ok; 1 a verification failed; 2 bad input or usage; 3 deploy or infrastructure error.
"""

from __future__ import annotations

import sys

from vpcwire.cli import (  # noqa: F401  (register commands)
    deploy,
    design,
    diagram,
    diff,
    probe,
    sandbox,
    scan,
    verify,
)
from vpcwire.cli._app import app
from vpcwire.errors import EXIT_USAGE

__all__ = ["app", "main"]


def main() -> None:
    try:
        app()
    except SystemExit as exc:
        code = exc.code if isinstance(exc.code, int) else (EXIT_USAGE if exc.code else 0)
        sys.exit(code)
