"""Commands that prove reachability: verify (a spec's intents) and check (one question)."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import typer

from vpcwire.cli._app import (
    AssumeRoleOpt,
    EndpointOpt,
    JsonOpt,
    ProfileOpt,
    RegionsOpt,
    SnapshotOpt,
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
    require_deployed,
)
from vpcwire.errors import EXIT_VERIFY_FAILED, UsageError

if TYPE_CHECKING:
    from vpcwire.deploy.stack import Target


def live_verdicts(plan: Any, target: Target, endpoint_url: str | None) -> tuple[Any, str, Any]:
    """Read the deployed stack back and judge every intent on it: (verdicts, where, drift)."""
    from vpcwire.deploy.stack import read_stack
    from vpcwire.verify.intents import derive_intents, evaluate

    result = read_stack(plan, target=target, endpoint_url=endpoint_url)
    require_deployed(plan, result.network, target)
    for warning in result.warnings:
        err.print(f"[yellow]warning: {escape(warning)}[/]")
    where = f"live network on {target}" + (f" {endpoint_url}" if endpoint_url else "")
    verdicts = evaluate(result.network, derive_intents(plan))
    return verdicts, where, drift_of(plan, result.network)


def verify_live(plan: Any, target: Target, endpoint_url: str | None, *, as_json: bool) -> int:
    """Verify the live network; returns the exit code (0, or 1 if an intent fails)."""
    verdicts, where, drift = live_verdicts(plan, target, endpoint_url)
    return report_verdicts(verdicts, where, as_json, drift=drift)


def verify_snapshot(plan: Any, directory: Path, *, as_json: bool) -> int:
    """Verify the stack as a snapshot directory holds it (the same judgement as --live)."""
    from vpcwire.read.snapshot_dir import load_snapshot, snapshot_network, unknown_through_gaps
    from vpcwire.verify.intents import Verdict, derive_intents, evaluate

    loaded = load_snapshot(directory)
    result = snapshot_network(loaded, {"vpcwire:stack": plan.spec.stack})
    if not result.network.vpcs:
        raise UsageError(
            f"snapshot {directory} holds no VPC of stack {plan.spec.stack} "
            f"(tagged vpcwire:stack={plan.spec.stack})\n"
            "  fix: take the snapshot where the stack is deployed (`vpcwire snapshot DIR "
            "--target …`), or check the spec's name"
        )
    for warning in result.warnings:
        err.print(f"[yellow]warning: {escape(warning)}[/]")
    verdicts = [
        Verdict(v.intent, unknown_through_gaps(v.trace, result.network, loaded))
        for v in evaluate(result.network, derive_intents(plan))
    ]
    where = f"snapshot {directory}"
    return report_verdicts(verdicts, where, as_json, drift=drift_of(plan, result.network))


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
    snapshot: SnapshotOpt = None,
    as_json: JsonOpt = False,
    exhaustive: Annotated[
        bool,
        typer.Option(
            "--exhaustive",
            help="trace every class of flows (every pair, protocol and port, and the "
            "internet): exit 1 on any open flow the spec does not ask for",
        ),
    ] = False,
) -> None:
    """Prove every intended path works and every other one is closed. Exit 1 if not."""
    from vpcwire.read.arguments import parse_endpoint_url
    from vpcwire.verify.intents import derive_intents, evaluate

    endpoint_url = parse_endpoint_url(endpoint_url)
    if snapshot is not None and (live or endpoint_url):
        raise UsageError(
            "--snapshot reads a saved network; --live and --endpoint-url read a live one\n"
            "  fix: give one of them"
        )
    result = plan_spec(spec, target.value)
    if exhaustive:
        from vpcwire.cli.audit import verify_exhaustive

        code = verify_exhaustive(
            result,
            live=live,
            target=target.value,
            endpoint_url=endpoint_url,
            snapshot=snapshot,
            as_json=as_json,
        )
    elif snapshot is not None:
        code = verify_snapshot(result, snapshot, as_json=as_json)
    elif live:
        code = verify_live(result, target.value, endpoint_url, as_json=as_json)
    else:
        code = report_verdicts(
            evaluate(result.network, derive_intents(result)), "planned network", as_json
        )
    if code:
        raise typer.Exit(code)


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
    port: Annotated[
        int | None,
        typer.Option(
            "--port",
            help="port (for icmp: the ICMP type, 8 = echo); none for all or a protocol number",
        ),
    ] = None,
    protocol: Annotated[
        str,
        typer.Option(
            "--protocol",
            help="tcp, udp, icmp, all (every protocol and port, as a rule's -1), or an IP "
            "protocol number (50 = ESP)",
        ),
    ] = "tcp",
    regions: RegionsOpt = None,
    endpoint_url: EndpointOpt = None,
    assume_role: AssumeRoleOpt = None,
    profile: ProfileOpt = None,
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
    snapshot: SnapshotOpt = None,
) -> None:
    """Ask one reachability question of any AWS estate. Exit 0 reachable, 1 not, 2 bad input."""
    from vpcwire.cli.check_scope import (
        ReadScope,
        SnapshotScope,
        default_region,
        read_scope,
        unknown_name_hint,
    )
    from vpcwire.network.model import canonical_protocol
    from vpcwire.verify import Engine, Flow
    from vpcwire.verify.flow import HAS_PORTS

    canonical = canonical_protocol(protocol)
    if canonical is None:
        raise UsageError(
            "--protocol must be tcp, udp, icmp, all, or an IP protocol number 0-255 "
            f"(50 = ESP), not {protocol!r}"
        )
    if canonical in HAS_PORTS and port is None:
        what = "the ICMP type (8 = echo request)" if canonical == "icmp" else "the port"
        raise UsageError(f"--port is needed with --protocol {canonical}: give {what}")
    if canonical not in HAS_PORTS and port is not None:
        raise UsageError(
            f"--protocol {protocol} has no ports: leave out --port (only tcp, udp and icmp "
            "have them)"
        )
    if canonical in ("tcp", "udp") and port == 0:
        # `--port -0` is 0 too: port 0 is reserved, no service listens on it, and a security
        # group rule cannot name it; checking it would answer a question nobody asks
        raise UsageError(
            f"--port 0: {canonical.upper()} ports are 1 to 65535 (port 0 is reserved)\n"
            "  fix: give the port the service listens on, e.g. --port 443"
        )
    if sandbox and target is TargetChoice.aws:
        raise UsageError("--sandbox and --target aws contradict each other: give one of them")
    on_sandbox = sandbox or target is TargetChoice.sandbox
    flow = Flow(source, destination, canonical, port or 0)
    scope: ReadScope | SnapshotScope
    if snapshot is not None:
        given = {
            "--target": target is not None or sandbox,
            "--regions": regions is not None,
            "--endpoint-url": endpoint_url is not None,
            "--assume-role": assume_role is not None,
            "--profile": profile is not None,
            "--packets": packets,
        }
        if clash := [name for name, on in given.items() if on]:
            raise UsageError(
                f"--snapshot answers from saved files; {', '.join(clash)} read a live network\n"
                "  fix: leave them out, or leave out --snapshot"
            )
        scope = SnapshotScope(snapshot)
    else:
        scope = read_scope(
            regions=regions,
            endpoint_url=endpoint_url,
            assume_role=assume_role,
            profiles=profile,
            sandbox=on_sandbox,
            default_region=default_region(),
        )
    result = scope.read()
    for warning in result.warnings:
        err.print(f"[yellow]warning: {escape(warning)}[/]")
    try:
        trace = Engine(result.network).trace(flow)
    except UsageError as error:
        raise unknown_name_hint(error, scope) from None
    if isinstance(scope, SnapshotScope):
        from vpcwire.read.snapshot_dir import unknown_through_gaps

        trace = unknown_through_gaps(trace, result.network, scope.loaded)
    if packets:
        from vpcwire.cli.probe import check_packets

        if not on_sandbox:
            raise UsageError(
                "--packets needs --target sandbox (packets run on the sandbox data plane)"
            )
        if canonical not in HAS_PORTS:
            raise UsageError("--packets sends tcp, udp and icmp: give one of them")
        reached = check_packets(result.network, flow, trace, as_json=as_json)
        if not (reached and trace.reachable):
            raise typer.Exit(EXIT_VERIFY_FAILED)
        return
    if as_json:
        from vpcwire.report.verify_text import trace_document

        print_document(trace_document(trace))
    else:
        out.print(escape(str(trace)))
    if not trace.reachable:
        raise typer.Exit(EXIT_VERIFY_FAILED)
