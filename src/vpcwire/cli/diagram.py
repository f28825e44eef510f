"""``vpcwire diagram``: the picture of a spec's network, planned or live, with its proven paths."""

from __future__ import annotations

from enum import StrEnum
from pathlib import Path
from typing import Annotated, Any

import typer

from vpcwire.cli._app import (
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

__all__ = ["DiagramFormat", "render_diagram", "write_up_diagram"]


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
) -> str:
    """The diagram text of a plan; with ``live``, of the network read back, drift marked."""
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
    when Graphviz is missing (the deployment itself succeeded)."""
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
) -> None:
    """Draw accounts, regions, VPCs and their connections, with every intent as a path."""
    from vpcwire.errors import UsageError

    text = render_diagram(
        plan_spec(spec), fmt, live=live, target=target.value, endpoint_url=endpoint_url
    )
    if out_file is None:
        out.file.write(text)
        return
    try:
        out_file.write_text(text, encoding="utf-8")
    except OSError as exc:
        raise UsageError(f"--out {out_file}: cannot write: {exc.strerror}") from None
    out.print(f"wrote {out_file}")
