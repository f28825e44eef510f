"""Commands that change infrastructure: up and down.

Both follow terraform's conventions: progress while terraform waits on AWS (each resource as
it completes, and terraform's "still creating … [20s elapsed]" every 10 s), a "no changes"
line when nothing had to change, and ``--json`` for scripts (one JSON document on stdout;
progress then goes to stderr). One Ctrl-C lets terraform finish and save its state.
"""

from __future__ import annotations

import json
import shlex
import sys
import time
from pathlib import Path
from typing import Annotated, Any

import typer
from rich.console import Console

from vpcwire.cli._app import (
    DownTargetOpt,
    JsonOpt,
    SpecArg,
    TargetChoice,
    TargetOpt,
    WorkdirOpt,
    app,
    err,
    escape,
    handled,
    load_spec_file,
    out,
    plan_spec,
    print_document,
    print_findings,
)
from vpcwire.cli.diagram import write_up_diagram
from vpcwire.cli.verify import (
    live_verdicts,
    verdicts_document,
    verdicts_exit_code,
    verify_live,
)
from vpcwire.errors import EXIT_DEPLOY

_VERBS = {"create": "created", "delete": "destroyed", "update": "updated", "replace": "replaced"}
_ING = {"create": "creating", "delete": "destroying", "update": "updating", "replace": "replacing"}


def deploy_progress(console: Console) -> Any:
    """A progress printer for terraform events, on ``console`` (stderr under --json)."""

    def show(event: Any) -> None:
        width = len(str(event.total or 0))
        counter = f"[{event.done:>{width}}/{event.total}]"
        if event.kind == "done":
            verb = _VERBS.get(event.action, event.action)
            console.print(f"  {counter} {verb} {event.address} ({event.seconds:.0f}s)")
        elif event.kind == "progress":
            doing = _ING.get(event.action, event.action)
            console.print(
                f"  {counter} still {doing} {event.address} [{event.seconds:.0f}s elapsed]"
            )
        elif event.kind == "failed":
            err.print(f"  [red]{counter} FAILED {event.address}[/]")
        # "message" events (terraform's error diagnostics) are not printed as they come:
        # the DeployError that ends the run carries each of them, so each is printed once.
        elif event.kind == "notice":
            err.print(f"[yellow]{escape(event.text)}[/]")

    return show


def _rerun(command: str, spec: Path, target: TargetChoice, workdir: Path | None) -> str:
    words = ["vpcwire", command, str(spec)]
    if target != TargetChoice.sandbox:
        words += ["--target", target.value]
    if workdir is not None:
        words += ["--workdir", str(workdir)]
    return shlex.join(words)


@app.command()
@handled
def up(
    spec: SpecArg,
    target: TargetOpt = TargetChoice.sandbox,
    workdir: WorkdirOpt = None,
    verify: Annotated[
        bool, typer.Option("--verify/--no-verify", help="verify the live network afterwards")
    ] = True,
    packets: Annotated[
        bool,
        typer.Option(
            "--packets/--no-packets", help="sandbox: run the workload, probe with packets"
        ),
    ] = True,
    adopt: Annotated[
        bool,
        typer.Option(
            "--adopt",
            help="import resources tagged with the stack that the state does not list "
            "(left by an interrupted or killed run) instead of refusing",
        ),
    ] = False,
    sweep: Annotated[
        bool,
        typer.Option(
            "--sweep",
            help="delete resources tagged with the stack that the state does not list, then apply",
        ),
    ] = False,
    as_json: JsonOpt = False,
) -> None:
    """Plan, render and terraform-apply the spec (to the embedded sandbox by default)."""
    from vpcwire.deploy.stack import deploy, workdir_for
    from vpcwire.errors import UsageError

    if adopt and sweep:
        raise UsageError("--adopt and --sweep exclude each other: choose one")
    show = err if as_json else out
    started = time.monotonic()
    result_plan = plan_spec(spec, target.value)
    planned_in = time.monotonic() - started
    print_findings(result_plan)
    stack = result_plan.spec.stack
    directory = workdir_for(stack, target.value, workdir)
    if target is TargetChoice.aws:  # whose credentials, before terraform starts
        from vpcwire.deploy.credentials import check_aws_credentials

        for access in check_aws_credentials(result_plan.spec):
            show.print(f"credentials: {access}")
    show.print(f"applying stack {stack} to {target.value} in {directory}")
    result = deploy(
        result_plan,
        target=target.value,
        workdir=directory,
        source=str(spec),
        progress=deploy_progress(show),
        announce=lambda m: show.print(escape(m)),
        adopt=adopt,
        sweep=sweep,
        rerun=_rerun("up", spec, target, workdir),
    )
    changed = sum(result.changes.get(k, 0) for k in ("add", "change", "remove"))
    if result.changes and not changed:
        show.print(f"no changes: stack {stack} on {target.value} already matches the spec")
    else:
        c = result.changes
        show.print(
            f"apply complete in {time.monotonic() - started:.0f}s: {c.get('add', 0)} added, "
            f"{c.get('change', 0)} changed, {c.get('remove', 0)} destroyed"
        )
    if result.outputs and not as_json:
        out.print("outputs:")
        print_document(result.outputs)
    diagram = write_up_diagram(result_plan, directory)
    if diagram is not None:
        show.print(f"diagram: {diagram}")
    code = 0
    phases = {"plan": planned_in, **result.seconds}
    report: dict[str, Any] = {}
    if verify:
        verify_started = time.monotonic()
        if as_json:
            verdicts, where, drift = live_verdicts(result_plan, target.value, result.endpoint_url)
            report = verdicts_document(verdicts, where, drift)
            code = verdicts_exit_code(verdicts)
        else:
            code = verify_live(result_plan, target.value, result.endpoint_url, as_json=False)
        phases["live verify"] = time.monotonic() - verify_started
    probed: dict[str, Any] | None = None
    if packets and target is TargetChoice.sandbox:
        from vpcwire.cli.probe import packets_after_up

        packets_started = time.monotonic()
        packets_code, probed = packets_after_up(result_plan, as_json=as_json)
        code = packets_code or code
        phases["packets"] = time.monotonic() - packets_started
    show.print(
        "timings: "
        + ", ".join(f"{k} {v:.1f}s" for k, v in phases.items() if v >= 0.05 or k == "plan")
        + f"; total {time.monotonic() - started:.1f}s"
    )
    if as_json:
        document = {
            "stack": stack,
            "target": target.value,
            "workdir": str(directory),
            "changes": result.changes,
            "no_changes": bool(result.changes) and not changed,
            "adopted": result.adopted,
            "swept": result.swept,
            "outputs": result.outputs,
            "verify": report or None,
            "packets": probed,
            "seconds": {k: round(v, 2) for k, v in phases.items()},
            "exit_code": code,
        }
        sys.stdout.write(json.dumps(document, indent=2) + "\n")
    if code:
        raise typer.Exit(code)


@app.command()
@handled
def down(
    spec: SpecArg,
    target: DownTargetOpt = TargetChoice.sandbox,
    workdir: WorkdirOpt = None,
    as_json: JsonOpt = False,
) -> None:
    """Destroy everything `vpcwire up` created for the spec on that target, then prove by a
    read of the target by the stack's tag that nothing of it is left."""
    from vpcwire.deploy.stack import destroy, workdir_for

    show = err if as_json else out
    loaded = load_spec_file(spec)
    planned, estate = _plan_for_down(loaded, target)
    directory = workdir_for(loaded.stack, target.value, workdir)
    result = destroy(
        planned,
        target=target.value,
        workdir=directory,
        source=str(spec),
        progress=deploy_progress(show),
        announce=lambda m: show.print(escape(m)),
    )
    if target is TargetChoice.sandbox:
        # Only once destroy has judged the state sound and removed the resources: a
        # refused `down` (a damaged state) must leave everything, the packets included.
        from vpcwire.cli.probe import remove_data_plane

        remove_data_plane(show)
    if result.note:
        show.print(escape(result.note))
    elif result.destroyed:
        show.print(
            f"destroyed {result.destroyed} resources of stack {loaded.stack} on {target.value}"
        )
    elif result.held:
        show.print(
            f"nothing to destroy: the {result.held} resources the state listed went with the "
            "sandbox that was restarted (the old state is kept)"
        )
    else:
        show.print(f"nothing to destroy: no resources in the state in {directory}")
    if result.swept:
        show.print(f"removed {len(result.swept)} resources the state did not list")
    if not result.note:
        show.print(
            f"nothing left: a read of {target.value} by the tag vpcwire:stack={loaded.stack} found no resource of it"
        )
    if result.state_copy:
        show.print(f"the state before this `down` is kept as {result.state_copy}")
    estate_lines = _estate_after_down(planned, estate, target, show) if estate else None
    if as_json:
        document = {
            "stack": loaded.stack,
            "target": target.value,
            "workdir": str(directory),
            "destroyed": result.destroyed,
            "state_listed": result.held,
            "swept": result.swept,
            "nothing_left": not result.note,
            "note": result.note or None,
            "state_copy": str(result.state_copy) if result.state_copy else None,
            "estate_changes": estate_lines,
        }
        sys.stdout.write(json.dumps(document, indent=2) + "\n")
    if estate_lines:
        raise typer.Exit(EXIT_DEPLOY)


def _estate_after_down(planned: Any, before: Any, target: TargetChoice, show: Any) -> list[str]:
    """Read the existing VPCs again and say whether they are as they were before the stack
    (its routes and rules left out of the earlier read): the lines that differ."""
    from vpcwire.deploy.estate import read_estate
    from vpcwire.plan.existing import estate_changes

    vpc_ids = {v.existing for v in planned.vpcs.values() if v.existing}
    after = read_estate(planned.spec, target.value)
    lines = estate_changes(before, after, vpc_ids, planned.spec.stack)
    if lines:
        err.print("[red]the existing VPCs are not as they were before the stack:[/]")
        for line in lines:
            err.print(f"  {escape(line)}")
    else:
        kinds = ("subnets", "route_tables", "network_acls", "security_groups", "instances")
        count = sum(
            1
            for kind in kinds
            for r in getattr(after.network, kind).values()
            if getattr(r, "vpc", None) in vpc_ids
        )
        show.print(
            f"the estate is as it was: {len(vpc_ids)} existing VPCs and their {count} subnets, "
            "route tables, network ACLs, security groups and instances read back unchanged "
            "(routes and rules included)"
        )
    return lines


def _plan_for_down(loaded: Any, target: TargetChoice) -> tuple[Any, Any]:
    """The plan `down` destroys by, and the read of the existing VPCs to check afterwards.

    Existing VPCs that cannot be read or found (no sandbox, a VPC deleted since) must not
    keep the stack's own resources alive: `down` then destroys what the state holds, finds
    leftovers by tag where `up` recorded them, and says that the estate is not checked."""
    from vpcwire.errors import DeployError, ReadError, SpecError
    from vpcwire.pipeline import plan as make_plan

    if not loaded.has_existing:
        return make_plan(loaded), None
    from vpcwire.deploy.estate import read_estate

    try:
        estate = read_estate(loaded, target.value)
        return make_plan(loaded, estate), estate
    except (DeployError, ReadError, SpecError) as error:
        from vpcwire.network import NetworkBuilder
        from vpcwire.plan.plan import Plan

        first = str(error).strip().splitlines()[0] if str(error).strip() else type(error).__name__
        err.print(
            f"[yellow]warning: the existing VPCs could not be read ({escape(first)}): "
            "destroying what the state holds; the estate is not checked[/]"
        )
        return Plan(loaded, NetworkBuilder().build(), (), ()), None
