"""The vpcwire command line: options in, public API called, formatter out, exit code.

Exit codes: 0 ok; 1 a verification failed; 2 bad input or usage; 3 deploy or
infrastructure error. Errors print as one located message on stderr, never a traceback
(set VPCWIRE_DEBUG=1 to see one for an internal error).
"""

from __future__ import annotations

import json
import os
import sys
import time
from collections.abc import Callable
from enum import StrEnum
from functools import wraps
from pathlib import Path
from typing import Annotated, Any, TypeVar

import typer
from rich.console import Console

from vpcwire.deploy.stack import Target
from vpcwire.errors import EXIT_DEPLOY, EXIT_USAGE, EXIT_VERIFY_FAILED, VpcwireError

__all__ = ["app", "main"]

app = typer.Typer(
    name="vpcwire",
    help="From 'these VPCs and services must talk privately' to working, verified AWS networking.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)
sandbox_app = typer.Typer(
    help="The embedded AWS sandbox (moto on 127.0.0.1).", no_args_is_help=True
)
app.add_typer(sandbox_app, name="sandbox")

out = Console(highlight=False, soft_wrap=True)
err = Console(stderr=True, highlight=False, soft_wrap=True)

F = TypeVar("F", bound=Callable[..., Any])


class TargetChoice(StrEnum):
    sandbox = "sandbox"
    aws = "aws"


SpecArg = Annotated[Path, typer.Argument(help="the spec file (YAML)", show_default=False)]
TargetOpt = Annotated[TargetChoice, typer.Option("--target", help="where to deploy")]
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
            err.print(f"[bold red]error:[/] {_escape(str(exc))}")
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
                f"[bold red]internal error:[/] {type(exc).__name__}: {_escape(str(exc))}\n"
                "  this is a bug in vpcwire; rerun with VPCWIRE_DEBUG=1 for the traceback"
            )
            raise typer.Exit(EXIT_DEPLOY) from None

    return wrapper  # type: ignore[return-value]


def _escape(text: str) -> str:
    return text.replace("[", "\\[")


def _load(spec: Path) -> Any:
    from vpcwire.spec.load import load_spec

    return load_spec(spec)


def _plan(spec: Path) -> Any:
    from vpcwire.plan.plan import plan

    return plan(_load(spec))


def _print_findings(plan: Any) -> None:
    for finding in plan.findings:
        colour = {"warning": "yellow", "info": "cyan"}.get(str(finding.severity), "red")
        err.print(f"[{colour}]{_escape(str(finding))}[/]")


# -- spec and plan ------------------------------------------------------------------------------


class FormatChoice(StrEnum):
    text = "text"
    json = "json"
    sarif = "sarif"


FormatOpt = Annotated[
    FormatChoice | None,
    typer.Option("--format", help="text (default), json, or sarif (SARIF 2.1.0 findings for CI)"),
]


@app.command()
@handled
def plan(spec: SpecArg, as_json: JsonOpt = False, fmt: FormatOpt = None) -> None:
    """Choose a mechanism per connection and show why, the alternatives and the resources.

    Exit 2 if a rule finds an error (findings still printed in the chosen format), else 0.
    """
    from vpcwire.plan.plan import PlanRejected
    from vpcwire.report.findings import findings_json, findings_sarif
    from vpcwire.report.plan_text import plan_json, plan_text

    chosen = fmt or (FormatChoice.json if as_json else FormatChoice.text)
    try:
        result = _plan(spec)
    except PlanRejected as rejected:
        if chosen is FormatChoice.json:
            out.print_json(json.dumps({**findings_json(rejected.findings), "rejected": True}))
        elif chosen is FormatChoice.sarif:
            out.print_json(json.dumps(findings_sarif(rejected.findings)))
        raise
    if chosen is FormatChoice.json:
        out.print_json(json.dumps(plan_json(result)))
        return
    if chosen is FormatChoice.sarif:
        out.print_json(json.dumps(findings_sarif(result.findings)))
        return
    _print_findings(result)
    out.print(_escape(plan_text(result)))


@app.command()
@handled
def render(
    spec: SpecArg,
    out_dir: Annotated[Path, typer.Option("--out", help="directory to write the Terraform into")],
    target: Annotated[
        TargetChoice, typer.Option("--target", help="add the sandbox override file")
    ] = TargetChoice.aws,
) -> None:
    """Write readable, fmt- and validate-clean Terraform for the spec."""
    from vpcwire.render import render as render_files
    from vpcwire.render import write

    result = _plan(spec)
    _print_findings(result)
    paths = write(render_files(result, target=target.value, source=str(spec)), out_dir)
    for path in paths:
        out.print(f"wrote {path}")


@app.command()
@handled
def schema() -> None:
    """Print the JSON Schema of the spec (for editors and CI validation)."""
    from vpcwire.spec.models import Spec

    out.print_json(json.dumps(Spec.model_json_schema()))


@app.command("rules")
@handled
def rules_command(
    rule_id: Annotated[
        str | None, typer.Argument(help="a rule id, to show it in full", show_default=False)
    ] = None,
    as_json: JsonOpt = False,
) -> None:
    """List the rules catalogue (id, severity, stage, title), or one rule in full."""
    from vpcwire.plan.rules import all_rules

    rules = list(all_rules())
    if rule_id is not None:
        from vpcwire.errors import UsageError

        wanted = rule_id.upper()
        rules = [r for r in rules if r.id == wanted]
        if not rules:
            import difflib

            close = difflib.get_close_matches(wanted, [r.id for r in all_rules()], n=3)
            hint = f"; did you mean {' or '.join(close)}?" if close else ""
            raise UsageError(f"no rule {rule_id!r}{hint} (`vpcwire rules` lists them)")
    if as_json:
        out.print_json(
            json.dumps(
                [
                    {
                        "id": r.id,
                        "severity": r.severity.value,
                        "stage": r.stage,
                        "title": r.title,
                        "description": r.description,
                        "fix": r.fix,
                        "url": r.url,
                    }
                    for r in rules
                ]
            )
        )
        return
    if rule_id is not None:
        r = rules[0]
        out.print(
            _escape(
                f"{r.id} ({r.severity.value}, {r.stage} stage): {r.title}\n\n"
                f"{r.description}\n\nfix: {r.fix}\n{r.url}"
            )
        )
        return
    for r in rules:
        out.print(_escape(f"{r.id}  {r.severity.value:<7}  {r.stage:<4}  {r.title}"))


@app.command()
@handled
def cost(
    spec: SpecArg,
    as_json: JsonOpt = False,
    gb_month: Annotated[
        float | None,
        typer.Option("--gb-month", min=0, help="traffic for connections without traffic_gb_month"),
    ] = None,
    prices: Annotated[
        Path | None,
        typer.Option(
            "--prices", help="a price list of prices.json's shape [default: the built-in one]"
        ),
    ] = None,
    up_to: Annotated[
        float | None, typer.Option("--up-to", min=1, help="look for crossovers in 0..this GB/month")
    ] = None,
) -> None:
    """Monthly cost per connection: the chosen mechanism, each viable alternative, and the
    traffic volume at which the cheapest one changes."""
    from vpcwire.report.cost import estimate
    from vpcwire.report.cost_text import cost_json, cost_text
    from vpcwire.report.pricing import load_prices

    result = _plan(spec)
    report = estimate(result, load_prices(prices), default_gb=gb_month, up_to=up_to)
    if as_json:
        out.print_json(json.dumps(cost_json(report)))
        return
    _print_findings(result)
    out.print(_escape(cost_text(report)))


# -- deploy ---------------------------------------------------------------------------------


def _progress(event: Any) -> None:
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
    elif event.kind == "message":
        err.print(f"  [red]{_escape(event.text)}[/]")


@app.command()
@handled
def up(
    spec: SpecArg,
    target: TargetOpt = TargetChoice.sandbox,
    workdir: WorkdirOpt = None,
    verify: Annotated[
        bool, typer.Option("--verify/--no-verify", help="verify the live network afterwards")
    ] = True,
) -> None:
    """Plan, render and terraform-apply the spec (to the embedded sandbox by default)."""
    from vpcwire.deploy.stack import deploy, workdir_for

    started = time.monotonic()
    result_plan = _plan(spec)
    planned_in = time.monotonic() - started
    _print_findings(result_plan)
    directory = workdir_for(result_plan.spec.stack, target.value, workdir)
    out.print(f"applying stack {result_plan.spec.stack} to {target.value} in {directory}")
    result = deploy(
        result_plan,
        target=target.value,
        workdir=directory,
        source=str(spec),
        progress=_progress,
        announce=lambda m: out.print(m),
    )
    out.print(f"apply complete in {time.monotonic() - started:.0f}s")
    if result.outputs:
        out.print("outputs:")
        out.print_json(json.dumps(result.outputs))
    code = 0
    phases = {"plan": planned_in, **result.seconds}
    if verify:
        verify_started = time.monotonic()
        code = _verify_live(result_plan, target.value, result.endpoint_url, as_json=False)
        phases["live verify"] = time.monotonic() - verify_started
    out.print(
        "timings: "
        + ", ".join(f"{k} {v:.1f}s" for k, v in phases.items() if v >= 0.05)
        + f"; total {time.monotonic() - started:.1f}s"
    )
    if code:
        raise typer.Exit(code)


def _verify_live(plan: Any, target: Target, endpoint_url: str | None, *, as_json: bool) -> int:
    """Verify the live network; returns the exit code (0, or 1 if an intent fails)."""
    from vpcwire.deploy.stack import read_stack
    from vpcwire.verify.intents import derive_intents, evaluate

    result = read_stack(plan, target=target, endpoint_url=endpoint_url)
    for warning in result.warnings:
        err.print(f"[yellow]warning: {_escape(warning)}[/]")
    where = f"live network on {target}" + (f" {endpoint_url}" if endpoint_url else "")
    return _report(evaluate(result.network, derive_intents(plan)), where, as_json)


def _report(verdicts: Any, where: str, as_json: bool) -> int:
    from vpcwire.report.verify_text import verify_json, verify_text

    if as_json:
        out.print_json(json.dumps(verify_json(verdicts, where=where)))
    else:
        out.print(_escape(verify_text(verdicts, where=where)))
    return EXIT_VERIFY_FAILED if any(not v.ok for v in verdicts) else 0


@app.command()
@handled
def verify(
    spec: SpecArg,
    live: Annotated[
        bool, typer.Option("--live", help="verify the deployed network, read back with boto3")
    ] = False,
    target: TargetOpt = TargetChoice.sandbox,
    endpoint_url: Annotated[
        str | None, typer.Option("--endpoint-url", help="AWS API endpoint (with --live)")
    ] = None,
    as_json: JsonOpt = False,
) -> None:
    """Prove every intended path works and every other one is closed. Exit 1 if not."""
    from vpcwire.verify.intents import derive_intents, evaluate

    result = _plan(spec)
    if live:
        code = _verify_live(result, target.value, endpoint_url, as_json=as_json)
    else:
        code = _report(evaluate(result.network, derive_intents(result)), "planned network", as_json)
    if code:
        raise typer.Exit(code)


@app.command()
@handled
def check(
    source: Annotated[str, typer.Option("--from", help="instance or ENI: Name tag or id")],
    destination: Annotated[
        str, typer.Option("--to", help="instance, ENI, endpoint, NLB (Name or id) or an IP")
    ],
    port: Annotated[int, typer.Option("--port", help="port (for icmp: the ICMP type, 8 = echo)")],
    protocol: Annotated[str, typer.Option("--protocol", help="tcp, udp or icmp")] = "tcp",
    regions: Annotated[
        str | None, typer.Option("--regions", help="comma-separated; default: AWS_REGION")
    ] = None,
    endpoint_url: Annotated[
        str | None, typer.Option("--endpoint-url", help="AWS API endpoint, e.g. the sandbox")
    ] = None,
    assume_role: Annotated[
        str | None,
        typer.Option("--assume-role", help="role ARN(s) to read more accounts, comma-separated"),
    ] = None,
    sandbox: Annotated[
        bool, typer.Option("--sandbox", help="ask the running vpcwire sandbox")
    ] = False,
    as_json: JsonOpt = False,
) -> None:
    """Ask one reachability question of any AWS estate. Exit 0 reachable, 1 not, 2 bad input."""
    from vpcwire.errors import UsageError
    from vpcwire.read import read_network
    from vpcwire.verify import Engine, Flow

    if protocol not in ("tcp", "udp", "icmp"):
        raise UsageError(f"--protocol must be tcp, udp or icmp, not {protocol!r}")
    flow = Flow(source, destination, protocol, port)  # type: ignore[arg-type]
    region_list = [r.strip() for r in (regions or _default_region()).split(",") if r.strip()]
    roles = [r.strip() for r in (assume_role or "").split(",") if r.strip()]
    session = None
    if sandbox:
        from vpcwire.deploy.sandbox_background import find_running
        from vpcwire.deploy.sandbox_clients import boto3_session

        info = find_running()
        if info is None:
            raise UsageError("no sandbox is running: start one with `vpcwire sandbox start`")
        endpoint_url = endpoint_url or info.endpoint_url
        session = boto3_session(endpoint_url).session
    result = read_network(region_list, endpoint_url=endpoint_url, role_arns=roles, session=session)
    for warning in result.warnings:
        err.print(f"[yellow]warning: {_escape(warning)}[/]")
    trace = Engine(result.network).trace(flow)
    if as_json:
        out.print_json(
            json.dumps(
                {
                    "reachable": trace.reachable,
                    "disposition": str(trace.disposition),
                    "reasons": [str(r) for r in trace.reasons],
                    "trace": trace.to_dict(),
                }
            )
        )
    else:
        out.print(_escape(str(trace)))
    if not trace.reachable:
        raise typer.Exit(EXIT_VERIFY_FAILED)


def _default_region() -> str:
    return os.environ.get("AWS_REGION") or os.environ.get("AWS_DEFAULT_REGION") or "us-east-1"


@app.command()
@handled
def down(
    spec: SpecArg, target: TargetOpt = TargetChoice.sandbox, workdir: WorkdirOpt = None
) -> None:
    """Destroy everything `vpcwire up` created for the spec on that target."""
    from vpcwire.deploy.stack import destroy, workdir_for
    from vpcwire.deploy.terraform import state_resources
    from vpcwire.spec.load import load_spec

    loaded = load_spec(spec)
    directory = workdir_for(loaded.stack, target.value, workdir)
    if not state_resources(directory):
        out.print(f"nothing to destroy: no resources in the state in {directory}")
        return
    from vpcwire.plan.plan import plan as make_plan

    held = destroy(
        make_plan(loaded),
        target=target.value,
        workdir=directory,
        source=str(spec),
        progress=_progress,
        announce=lambda m: out.print(m),
    )
    out.print(f"destroyed {held} resources of stack {loaded.stack} on {target.value}")


# -- sandbox --------------------------------------------------------------------------------


@sandbox_app.command("start")
@handled
def sandbox_start() -> None:
    """Start the sandbox in the background (it keeps its state until stopped)."""
    from vpcwire.deploy.sandbox_background import find_running, start_background

    running = find_running()
    info = running or start_background()
    state = "already running" if running else "started"
    out.print(f"sandbox {state} at {info.endpoint_url} (pid {info.pid})")


@sandbox_app.command("stop")
@handled
def sandbox_stop() -> None:
    """Stop the background sandbox; everything deployed to it is gone."""
    from vpcwire.deploy.sandbox_background import stop_background

    out.print("sandbox stopped" if stop_background() else "no sandbox was running")


@sandbox_app.command("status")
@handled
def sandbox_status() -> None:
    """Say whether a background sandbox is running, and where. Exit 1 if none is."""
    from vpcwire.deploy.sandbox_background import find_running

    info = find_running()
    if info is None:
        out.print("no sandbox running")
        raise typer.Exit(1)
    out.print(f"sandbox running at {info.endpoint_url} (pid {info.pid})")


def main() -> None:
    try:
        app()
    except SystemExit as exc:
        code = exc.code if isinstance(exc.code, int) else (EXIT_USAGE if exc.code else 0)
        sys.exit(code)
