"""Commands that change infrastructure: up and down."""

from __future__ import annotations

import json
import time
from typing import Annotated

import typer

from vpcwire.cli._app import (
    DownTargetOpt,
    SpecArg,
    TargetChoice,
    TargetOpt,
    WorkdirOpt,
    app,
    handled,
    out,
    plan_spec,
    print_findings,
    progress,
)
from vpcwire.cli.verify import verify_live


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
) -> None:
    """Plan, render and terraform-apply the spec (to the embedded sandbox by default)."""
    from vpcwire.deploy.stack import deploy, workdir_for

    started = time.monotonic()
    result_plan = plan_spec(spec)
    planned_in = time.monotonic() - started
    print_findings(result_plan)
    directory = workdir_for(result_plan.spec.stack, target.value, workdir)
    if target is TargetChoice.aws:  # whose credentials, before terraform starts
        from vpcwire.deploy.credentials import check_aws_credentials

        for access in check_aws_credentials(result_plan.spec):
            out.print(f"credentials: {access}")
    out.print(f"applying stack {result_plan.spec.stack} to {target.value} in {directory}")
    result = deploy(
        result_plan,
        target=target.value,
        workdir=directory,
        source=str(spec),
        progress=progress,
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
        code = verify_live(result_plan, target.value, result.endpoint_url, as_json=False)
        phases["live verify"] = time.monotonic() - verify_started
    if packets and target is TargetChoice.sandbox:
        from vpcwire.cli.probe import packets_after_up

        packets_started = time.monotonic()
        code = packets_after_up(result_plan) or code
        phases["packets"] = time.monotonic() - packets_started
    out.print(
        "timings: "
        + ", ".join(f"{k} {v:.1f}s" for k, v in phases.items() if v >= 0.05)
        + f"; total {time.monotonic() - started:.1f}s"
    )
    if code:
        raise typer.Exit(code)


@app.command()
@handled
def down(
    spec: SpecArg, target: DownTargetOpt = TargetChoice.sandbox, workdir: WorkdirOpt = None
) -> None:
    """Destroy everything `vpcwire up` created for the spec on that target."""
    from vpcwire.deploy.stack import destroy, workdir_for
    from vpcwire.deploy.terraform import state_resources
    from vpcwire.spec.load import load_spec

    loaded = load_spec(spec)
    directory = workdir_for(loaded.stack, target.value, workdir)
    if target is TargetChoice.sandbox:
        from vpcwire.cli.probe import remove_data_plane

        remove_data_plane()
    if not state_resources(directory):
        out.print(f"nothing to destroy: no resources in the state in {directory}")
        return
    from vpcwire.plan.plan import plan as make_plan

    held = destroy(
        make_plan(loaded),
        target=target.value,
        workdir=directory,
        source=str(spec),
        progress=progress,
        announce=lambda m: out.print(m),
    )
    out.print(f"destroyed {held} resources of stack {loaded.stack} on {target.value}")
