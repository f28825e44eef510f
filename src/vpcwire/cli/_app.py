"""The Typer application, its consoles, the shared options and the error handler.

Every command module (``vpcwire.cli.<group>``) registers its commands on :data:`app` when
imported; ``vpcwire.cli`` imports them all. Exit codes: 0 ok; 1 a verification failed; 2 bad
input or usage; 3 deploy or infrastructure error. Errors print as one located message on
stderr, never a traceback (set VPCWIRE_DEBUG=1 to see one for an internal error).
"""

from __future__ import annotations

import json
import os
import sys
from collections.abc import Callable
from enum import StrEnum
from functools import wraps
from pathlib import Path
from typing import Annotated, Any, TypeVar

import typer
from rich.console import Console
from typer.core import TyperGroup

from vpcwire.errors import EXIT_DEPLOY, VpcwireError

# Rich help panels draw boxes: fine in a terminal, noise in a pipe, a log or `less`. When
# stdout is not a terminal, help is plain click text (as terraform and cfn-lint print it).
HELP_MARKUP: Any = "rich" if sys.stdout.isatty() else None
HELP_OPTIONS = {"help_option_names": ["-h", "--help"]}

# `vpcwire --help` lists commands in the order a newcomer uses them (design, deploy, prove,
# compare, existing estates, set-up), not in the order their modules happen to be imported.
COMMAND_ORDER = (
    "plan",
    "render",
    "cost",
    "up",
    "verify",
    "check",
    "probe",
    "diff",
    "diagram",
    "init",
    "scan",
    "audit",
    "snapshot",
    "down",
    "sandbox",
    "schema",
    "rules",
)


_RANK = {name: n for n, name in enumerate(COMMAND_ORDER)}


class _WorkflowGroup(TyperGroup):
    def list_commands(self, ctx: Any) -> list[str]:
        return sorted(super().list_commands(ctx), key=lambda name: _RANK.get(name, len(_RANK)))


app = typer.Typer(
    name="vpcwire",
    cls=_WorkflowGroup,
    help="From 'these VPCs and services must talk privately' to working, verified AWS networking.",
    no_args_is_help=True,
    add_completion=True,
    pretty_exceptions_enable=False,
    rich_markup_mode=HELP_MARKUP,
    context_settings=HELP_OPTIONS,
)
sandbox_app = typer.Typer(
    help="The embedded AWS sandbox (moto on 127.0.0.1).",
    no_args_is_help=True,
    rich_markup_mode=HELP_MARKUP,
    context_settings=HELP_OPTIONS,
)
app.add_typer(sandbox_app, name="sandbox")


def _print_version(value: bool) -> None:
    if value:
        from vpcwire import __version__

        out.print(f"vpcwire {__version__}")
        raise typer.Exit(0)


@app.callback()
def _root(
    version: Annotated[
        bool,
        typer.Option(
            "--version",
            "-V",
            help="print the version and exit",
            callback=_print_version,
            is_eager=True,
        ),
    ] = False,
) -> None:
    """From 'these VPCs and services must talk privately' to working, verified AWS networking."""


out = Console(highlight=False, soft_wrap=True)
err = Console(stderr=True, highlight=False, soft_wrap=True)


def print_document(document: object) -> None:
    """A JSON or SARIF document on stdout.

    To a terminal, rich lays it out in colour (``print_json``). Anywhere else (a pipe, a
    file, another tool) the same text is written as is, indent 2 with non-ASCII kept:
    rich's layout and highlighting cost ~1 s per MB (45 s of a 500-VPC scan's 42 MB).
    """
    if out.is_terminal:
        out.print_json(json.dumps(document))
    else:
        out.file.write(json.dumps(document, indent=2, ensure_ascii=False) + "\n")


F = TypeVar("F", bound=Callable[..., Any])


class TargetChoice(StrEnum):
    sandbox = "sandbox"
    aws = "aws"


SpecArg = Annotated[Path, typer.Argument(help="the spec file (YAML)", show_default=False)]
TargetOpt = Annotated[
    TargetChoice,
    typer.Option(
        "--target",
        help="where to apply: sandbox (the embedded AWS sandbox, started if needed) or aws "
        "(your AWS credentials)",
    ),
]
DownTargetOpt = Annotated[
    TargetChoice,
    typer.Option("--target", help="which deployment to destroy: sandbox or aws"),
]
# What to read of a live estate (check, snapshot): the same words wherever they appear.
RegionsOpt = Annotated[
    str | None,
    typer.Option(
        "--regions",
        help="comma-separated; default: AWS_REGION (on the sandbox: also every region "
        "holding resources)",
    ),
]
EndpointOpt = Annotated[
    str | None, typer.Option("--endpoint-url", help="AWS API endpoint, e.g. the sandbox")
]
AssumeRoleOpt = Annotated[
    str | None,
    typer.Option("--assume-role", help="role ARN(s) to read more accounts, comma-separated"),
]
ProfileOpt = Annotated[
    str | None,
    typer.Option(
        "--profile", help="AWS profile(s) to read more accounts (SSO or keys), comma-separated"
    ),
]
SnapshotOpt = Annotated[
    Path | None,
    typer.Option(
        "--snapshot",
        help="answer from a snapshot directory (`vpcwire snapshot DIR`, or AWS CLI / Batfish "
        "describe-* JSON) instead of the live API",
    ),
]
VerifyTargetOpt = Annotated[
    TargetChoice,
    typer.Option(
        "--target",
        help="with --live: which deployment to read back, sandbox or aws; also where a spec's "
        "existing VPCs are read from (else ignored without --live)",
    ),
]
RenderTargetOpt = Annotated[
    TargetChoice,
    typer.Option(
        "--target",
        help="sandbox (as `up` uses by default) adds sandbox_override.tf for the embedded "
        "sandbox; aws writes only what a real apply uses; also where a spec's existing VPCs "
        "are read from",
    ),
]
WorkdirOpt = Annotated[
    Path | None,
    typer.Option(
        "--workdir", help="Terraform working directory [default: .vpcwire/<stack>/<target>]"
    ),
]
JsonOpt = Annotated[bool, typer.Option("--json", help="machine-readable output")]


def handled(func: F) -> F:
    """Turn our errors into a message and an exit code; keep tracebacks for real bugs."""

    @wraps(func)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        try:
            return func(*args, **kwargs)
        except VpcwireError as exc:
            err.print(f"[bold red]error:[/] {escape(str(exc))}")
            raise typer.Exit(exc.exit_code) from None
        except KeyboardInterrupt:
            err.print("[bold red]interrupted[/]")
            raise typer.Exit(EXIT_DEPLOY) from None
        except typer.Exit:
            raise
        except Exception as exc:
            if os.environ.get("VPCWIRE_DEBUG"):
                raise
            err.print(
                f"[bold red]internal error:[/] {type(exc).__name__}: {escape(str(exc))}\n"
                "  this is a bug in vpcwire; rerun with VPCWIRE_DEBUG=1 for the traceback"
            )
            raise typer.Exit(EXIT_DEPLOY) from None

    return wrapper  # type: ignore[return-value]


def escape(text: str) -> str:
    return text.replace("[", "\\[")


def load_spec_file(spec: Path) -> Any:
    from vpcwire.spec.load import load_spec

    return load_spec(spec)


def plan_spec(spec: Path, target: str = "sandbox") -> Any:
    """Load and plan a spec file (the first step of most commands). A spec with existing
    VPCs is planned with a read of them from ``target`` (sandbox or aws)."""
    from vpcwire.pipeline import plan

    loaded = load_spec_file(spec)
    if not loaded.has_existing:
        return plan(loaded)
    from vpcwire.deploy.estate import read_estate

    return plan(loaded, read_estate(loaded, "aws" if target == "aws" else "sandbox"))


def print_findings(plan: Any) -> None:
    for finding in plan.findings:
        colour = {"warning": "yellow", "info": "cyan"}.get(str(finding.severity), "red")
        err.print(f"[{colour}]{escape(str(finding))}[/]")


def progress(event: Any) -> None:
    width = len(str(event.total or 0))
    counter = f"[{event.done:>{width}}/{event.total}]"
    if event.kind == "done":
        verb = {
            "create": "created",
            "delete": "destroyed",
            "update": "updated",
            "replace": "replaced",
        }.get(event.action, event.action)
        out.print(f"  {counter} {verb} {event.address} ({event.seconds:.0f}s)")
    elif event.kind == "failed":
        err.print(f"  [red]{counter} FAILED {event.address}[/]")
    # "message" events (terraform's error diagnostics) are not printed as they come: the
    # DeployError that ends the run carries every one of them, so each is printed once.


def require_deployed(plan: Any, network: Any, target: str) -> None:
    """Refuse (DeployError, exit 3) a live network in which the stack has no VPC: every
    command that reads the stack back says so the same way (`verify --live`, `probe`),
    rather than failing later on a name the empty network lacks."""
    if not network.vpcs:
        from vpcwire.errors import DeployError

        raise DeployError(
            f"stack {plan.spec.stack} is not deployed on {target}: run vpcwire up"
            + (" --target aws" if target == "aws" else ""),
            detail="no VPC tagged vpcwire:stack=" + plan.spec.stack + " was found",
        )
