"""``vpcwire diagram``: the picture of a spec's network, planned or live, with its proven paths."""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum
from pathlib import Path
from typing import Annotated, Any

import typer

from vpcwire.cli._app import (
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
)
from vpcwire.cli._vars import TerraformVars, VarFileOpt, VarOpt, terraform_vars

__all__ = [
    "DiagramFormat",
    "NetworkInput",
    "is_terraform",
    "load_input",
    "render_diagram",
    "write_up_diagram",
]


def is_snapshot(path: Path) -> bool:
    """A snapshot directory (`vpcwire snapshot`, or Batfish's AWS layout)."""
    from vpcwire.read.snapshot_dir import is_snapshot_dir

    return is_snapshot_dir(path)


def is_terraform(path: Path) -> bool:
    """A Terraform root module (a directory) or a plan's JSON, rather than a spec."""
    return path.is_dir() or path.suffix == ".json"


@dataclass(frozen=True)
class NetworkInput:
    """What `diagram` and `diff` accept: a spec (planned) or Terraform (scanned)."""

    network: Any
    intents: list[Any]
    plan: Any | None  # the Plan for a spec; None for Terraform
    label: str


def load_input(path: Path, tf_vars: TerraformVars | None = None) -> NetworkInput:
    """Plan a spec, load a snapshot directory, or scan Terraform (`vpcwire scan`'s reading,
    with its derived intents; a snapshot gets the intents `scan` derives from a network;
    ``tf_vars``: its --var-file and --var). What the scan could not resolve is printed as
    `vpcwire scan` prints it: one located VW-W701 line each, with its fix."""

    from vpcwire.read.snapshot_dir import is_snapshot_dir

    if is_snapshot_dir(path):
        from vpcwire.read.snapshot_dir import load_snapshot, snapshot_network
        from vpcwire.scan.intents import derive_intents as network_intents

        read = snapshot_network(load_snapshot(path))
        for warning in read.warnings:
            err.print(f"[yellow]warning: {escape(warning)}[/]")
        return NetworkInput(read.network, network_intents(read.network), None, str(path))
    if is_terraform(path):
        from vpcwire.scan import scan
        from vpcwire.scan.intents import derive_intents as terraform_intents

        var_files, variables = tf_vars or ([], {})
        result = scan(path, var_files=var_files, variables=variables)
        for item in result.unresolved:
            err.print(f"[yellow]{escape(str(item))}[/]")
        return NetworkInput(result.network, terraform_intents(result.network), None, str(path))
    from vpcwire.verify.intents import derive_intents

    plan = plan_spec(path)
    return NetworkInput(plan.network, derive_intents(plan), plan, str(path))


class DiagramFormat(StrEnum):
    html = "html"
    svg = "svg"
    mermaid = "mermaid"


def render_diagram(
    plan: Any,
    fmt: DiagramFormat,
    *,
    live: bool = False,
    target: str = "sandbox",
    endpoint_url: str | None = None,
    snapshot: Path | None = None,
) -> str:
    """The diagram text of a plan; with ``live`` (or a ``snapshot`` directory), of the
    network read back, drift marked."""
    from vpcwire.diagram import build_scene, to_html, to_mermaid, to_svg
    from vpcwire.diagram.scene import mechanisms_of
    from vpcwire.verify.intents import derive_intents, evaluate

    network = plan.network
    drift: list[Any] = []
    title = f"{plan.spec.stack}: planned network"
    if live:
        from vpcwire.deploy.stack import read_stack
        from vpcwire.diff import resource_changes

        result = read_stack(plan, target=target, endpoint_url=endpoint_url)  # type: ignore[arg-type]
        for warning in result.warnings:
            err.print(f"[yellow]warning: {escape(warning)}[/]")
        network = result.network
        drift = resource_changes(plan.network, network)
        title = f"{plan.spec.stack}: live network on {target}"
    elif snapshot is not None:
        from vpcwire.diff import resource_changes
        from vpcwire.read.snapshot_dir import load_snapshot, snapshot_network

        result = snapshot_network(load_snapshot(snapshot), {"vpcwire:stack": plan.spec.stack})
        for warning in result.warnings:
            err.print(f"[yellow]warning: {escape(warning)}[/]")
        network = result.network
        drift = resource_changes(plan.network, network)
        title = f"{plan.spec.stack}: snapshot {snapshot}"
    scene = build_scene(
        network,
        evaluate(network, derive_intents(plan)),
        title=title,
        mechanisms=mechanisms_of(plan),
        drift=drift,
    )
    if fmt is DiagramFormat.mermaid:
        return to_mermaid(scene)
    if fmt is DiagramFormat.svg:
        return to_svg(scene)
    return to_html(scene)


def write_up_diagram(plan: Any, workdir: Path) -> Path | None:
    """For ``vpcwire up``: the HTML diagram in the workdir; a warning instead of a failure
    when it cannot be drawn (the deployment itself succeeded)."""
    from vpcwire.errors import VpcwireError

    try:
        text = render_diagram(plan, DiagramFormat.html)
    except VpcwireError as exc:
        err.print(f"[yellow]warning: no diagram: {escape(str(exc))}[/]")
        return None
    path = workdir / "diagram.html"
    path.write_text(text, encoding="utf-8")
    return path


@app.command()
@handled
def diagram(
    spec: SpecArg,
    live: Annotated[
        bool, typer.Option("--live", help="draw the deployed network, read back, drift marked")
    ] = False,
    fmt: Annotated[
        DiagramFormat, typer.Option("--format", help="html (self-contained), svg or mermaid")
    ] = DiagramFormat.html,
    out_file: Annotated[
        Path | None, typer.Option("--out", help="write here instead of to stdout")
    ] = None,
    target: VerifyTargetOpt = TargetChoice.sandbox,
    endpoint_url: Annotated[
        str | None, typer.Option("--endpoint-url", help="AWS API endpoint (with --live)")
    ] = None,
    snapshot: SnapshotOpt = None,
    var_file: VarFileOpt = None,
    var: VarOpt = None,
) -> None:
    """Draw accounts, regions, VPCs and their connections, with every intent as a path.

    SPEC is a spec file, or Terraform (a root module directory or a plan's JSON) as
    `vpcwire scan` reads it."""
    from vpcwire.errors import UsageError

    if snapshot is not None and live:
        raise UsageError("--snapshot and --live both say where to read: give one of them")
    if is_terraform(spec):
        if live or snapshot is not None:
            raise UsageError(
                "--live and --snapshot read the deployment of a spec: give the spec file, "
                "not Terraform"
            )
        from vpcwire.diagram import build_scene, to_html, to_mermaid, to_svg
        from vpcwire.verify.intents import evaluate

        given = load_input(spec, terraform_vars(var_file, var))
        scene = build_scene(
            given.network,
            evaluate(given.network, given.intents),
            title=f"{spec}: {'snapshot' if given.plan is None and is_snapshot(spec) else 'scanned Terraform'}",
        )
        drawers = {DiagramFormat.mermaid: to_mermaid, DiagramFormat.svg: to_svg}
        text = drawers.get(fmt, to_html)(scene)
    else:
        text = render_diagram(
            plan_spec(spec),
            fmt,
            live=live,
            target=target.value,
            endpoint_url=endpoint_url,
            snapshot=snapshot,
        )
    if out_file is None:
        out.file.write(text)
        return
    try:
        out_file.write_text(text, encoding="utf-8")
    except OSError as exc:
        raise UsageError(f"--out {out_file}: cannot write: {exc.strerror}") from None
    out.print(f"wrote {out_file}")
