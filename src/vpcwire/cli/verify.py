"""Commands that prove reachability: verify (a spec's intents) and check (one question)."""

from __future__ import annotations

import os
from typing import TYPE_CHECKING, Annotated, Any

import typer

from vpcwire.cli._app import (
    JsonOpt,
    SpecArg,
    TargetChoice,
    VerifyTargetOpt,
    app,
    err,
    escape,
    handled,
    out,
    plan_spec,
    print_document,
)
from vpcwire.errors import EXIT_VERIFY_FAILED

if TYPE_CHECKING:
    from vpcwire.deploy.stack import Target


def live_verdicts(plan: Any, target: Target, endpoint_url: str | None) -> tuple[Any, str, Any]:
    """Read the deployed stack back and judge every intent on it: (verdicts, where, drift)."""
    from vpcwire.deploy.stack import read_stack
    from vpcwire.verify.intents import derive_intents, evaluate

    result = read_stack(plan, target=target, endpoint_url=endpoint_url)
    if not result.network.vpcs:
        from vpcwire.errors import DeployError

        raise DeployError(
            f"stack {plan.spec.stack} is not deployed on {target}: run vpcwire up"
            + (" --target aws" if target == "aws" else ""),
            detail="no VPC tagged vpcwire:stack=" + plan.spec.stack + " was found",
        )
    for warning in result.warnings:
        err.print(f"[yellow]warning: {escape(warning)}[/]")
    where = f"live network on {target}" + (f" {endpoint_url}" if endpoint_url else "")
    verdicts = evaluate(result.network, derive_intents(plan))
    return verdicts, where, drift_of(plan, result.network)


def verify_live(plan: Any, target: Target, endpoint_url: str | None, *, as_json: bool) -> int:
    """Verify the live network; returns the exit code (0, or 1 if an intent fails)."""
    verdicts, where, drift = live_verdicts(plan, target, endpoint_url)
    return report_verdicts(verdicts, where, as_json, drift=drift)


def drift_of(plan: Any, live: Any) -> list[Any]:
    """Resources that differ between the plan and the live network (vpcwire.diff)."""
    from vpcwire.diff import resource_changes

    return resource_changes(plan.network, live)


def verdicts_document(verdicts: Any, where: str, drift: list[Any] | None = None) -> dict[str, Any]:
    """The JSON document of `verify --json` (also embedded in `up --json`)."""
    from vpcwire.report.verify_text import verify_json

    payload: dict[str, Any] = verify_json(verdicts, where=where)
    if drift is not None:
        payload["drift"] = [d.to_dict() for d in drift]
    return payload


def verdicts_exit_code(verdicts: Any) -> int:
    return EXIT_VERIFY_FAILED if any(not v.ok for v in verdicts) else 0


def report_verdicts(
    verdicts: Any, where: str, as_json: bool, drift: list[Any] | None = None
) -> int:
    """Print the verdicts (and, for a live network, the drift from the plan)."""
    from vpcwire.report.verify_text import verify_text

    if as_json:
        print_document(verdicts_document(verdicts, where, drift))
    else:
        out.print(escape(verify_text(verdicts, where=where)))
        if drift:
            out.print(f"drift from the plan ({len(drift)} resources differ):")
            for d in drift:
                out.print(f"  {escape(str(d))}")
        elif drift is not None:
            out.print("drift from the plan: none")
    return verdicts_exit_code(verdicts)


@app.command()
@handled
def verify(
    spec: SpecArg,
    live: Annotated[
        bool, typer.Option("--live", help="verify the deployed network, read back with boto3")
    ] = False,
    target: VerifyTargetOpt = TargetChoice.sandbox,
    endpoint_url: Annotated[
        str | None, typer.Option("--endpoint-url", help="AWS API endpoint (with --live)")
    ] = None,
    as_json: JsonOpt = False,
) -> None:
    """Prove every intended path works and every other one is closed. Exit 1 if not."""
    from vpcwire.read.arguments import parse_endpoint_url
    from vpcwire.verify.intents import derive_intents, evaluate

    endpoint_url = parse_endpoint_url(endpoint_url)
    result = plan_spec(spec)
    if live:
        code = verify_live(result, target.value, endpoint_url, as_json=as_json)
    else:
        code = report_verdicts(
            evaluate(result.network, derive_intents(result)), "planned network", as_json
        )
    if code:
        raise typer.Exit(code)


def trace_document(trace: Any) -> dict[str, Any]:
    """`check --json`'s answer: the verdict, its reasons and the hop-by-hop trace."""
    return {
        "reachable": trace.reachable,
        "disposition": str(trace.disposition),
        "reasons": [str(r) for r in trace.reasons],
        "trace": trace.to_dict(),
    }


@app.command()
@handled
def check(
    source: Annotated[str, typer.Option("--from", help="instance or ENI: Name tag or id")],
    destination: Annotated[
        str,
        typer.Option(
            "--to",
            help="instance, ENI, endpoint, NLB (Name or id), an IP (private or public), "
            "or internet / s3 / dynamodb (the region's prefix list)",
        ),
    ],
    port: Annotated[int, typer.Option("--port", help="port (for icmp: the ICMP type, 8 = echo)")],
    protocol: Annotated[str, typer.Option("--protocol", help="tcp, udp or icmp")] = "tcp",
    regions: Annotated[
        str | None,
        typer.Option(
            "--regions",
            help="comma-separated; default: AWS_REGION (on the sandbox: also every region "
            "holding resources)",
        ),
    ] = None,
    endpoint_url: Annotated[
        str | None, typer.Option("--endpoint-url", help="AWS API endpoint, e.g. the sandbox")
    ] = None,
    assume_role: Annotated[
        str | None,
        typer.Option("--assume-role", help="role ARN(s) to read more accounts, comma-separated"),
    ] = None,
    profile: Annotated[
        str | None,
        typer.Option(
            "--profile",
            help="AWS profile(s) to read more accounts (SSO or keys), comma-separated",
        ),
    ] = None,
    target: Annotated[
        TargetChoice | None,
        typer.Option(
            "--target",
            help="aws: your credentials (and --assume-role, --profile); sandbox: every account and "
            "region of the running vpcwire sandbox",
        ),
    ] = None,
    sandbox: Annotated[
        bool, typer.Option("--sandbox", help="the same as --target sandbox")
    ] = False,
    as_json: JsonOpt = False,
    packets: Annotated[
        bool,
        typer.Option(
            "--packets", help="with --target sandbox (or --sandbox): also send the packet for real"
        ),
    ] = False,
) -> None:
    """Ask one reachability question of any AWS estate. Exit 0 reachable, 1 not, 2 bad input."""
    from vpcwire.cli.check_scope import read_scope, unknown_name_hint
    from vpcwire.errors import UsageError
    from vpcwire.verify import Engine, Flow

    if protocol not in ("tcp", "udp", "icmp"):
        raise UsageError(f"--protocol must be tcp, udp or icmp, not {protocol!r}")
    if protocol != "icmp" and port == 0:
        # `--port -0` is 0 too: port 0 is reserved, no service listens on it, and a security
        # group rule cannot name it; checking it would answer a question nobody asks
        raise UsageError(
            f"--port 0: {protocol.upper()} ports are 1 to 65535 (port 0 is reserved)\n"
            "  fix: give the port the service listens on, e.g. --port 443"
        )
    if sandbox and target is TargetChoice.aws:
        raise UsageError("--sandbox and --target aws contradict each other: give one of them")
    on_sandbox = sandbox or target is TargetChoice.sandbox
    flow = Flow(source, destination, protocol, port)  # type: ignore[arg-type]
    scope = read_scope(
        regions=regions,
        endpoint_url=endpoint_url,
        assume_role=assume_role,
        profiles=profile,
        sandbox=on_sandbox,
        default_region=_default_region(),
    )
    result = scope.read()
    for warning in result.warnings:
        err.print(f"[yellow]warning: {escape(warning)}[/]")
    try:
        trace = Engine(result.network).trace(flow)
    except UsageError as error:
        raise unknown_name_hint(error, scope) from None
    if packets:
        from vpcwire.cli.probe import check_packets

        if not on_sandbox:
            raise UsageError(
                "--packets needs --target sandbox (packets run on the sandbox data plane)"
            )
        reached = check_packets(result.network, flow, trace, as_json=as_json)
        if not (reached and trace.reachable):
            raise typer.Exit(EXIT_VERIFY_FAILED)
        return
    if as_json:
        print_document(trace_document(trace))
    else:
        out.print(escape(str(trace)))
    if not trace.reachable:
        raise typer.Exit(EXIT_VERIFY_FAILED)


def _default_region() -> str:
    return os.environ.get("AWS_REGION") or os.environ.get("AWS_DEFAULT_REGION") or "us-east-1"
