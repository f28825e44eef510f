"""``vpcwire diff``: what a change opens and closes, before it merges (the CI gate)."""

from __future__ import annotations

from enum import StrEnum
from pathlib import Path
from typing import Annotated, Any

import typer

from vpcwire.cli._app import (
    TargetChoice,
    VerifyTargetOpt,
    app,
    err,
    escape,
    handled,
    out,
    print_document,
)
from vpcwire.cli._vars import VarFileOpt, VarOpt, terraform_vars

__all__ = ["DiffFormat", "connection_lines", "monthly_cost"]


class DiffFormat(StrEnum):
    text = "text"
    json = "json"
    sarif = "sarif"
    markdown = "markdown"


def connection_lines(plan: Any) -> dict[str, int]:
    """How a diff names a mechanism ("via peering x") -> the line of the spec's connection
    that made it, so SARIF annotations land on the connection a reviewer should read."""
    source = getattr(plan.spec, "_source", None)
    if source is None:
        return {}
    out: dict[str, int] = {}
    for decision in plan.decisions:
        line = source.locate(("connections", decision.index)).line
        if line is None:
            continue
        for rid in decision.resources:
            kind = rid.split(".", 1)[0]
            resource = plan.network.get(rid)
            if resource is None:
                continue
            via = {
                "aws_vpc_peering_connection": f"via peering {resource.name}",
                "aws_vpc_endpoint": f"via PrivateLink ({resource.name})",
                "aws_lb": f"via load balancer {resource.name}",
            }.get(kind)
            if via is not None:
                out.setdefault(via, line)
    return out


def monthly_cost(plan: Any) -> float:
    """The plan's monthly estimate: each connection's chosen mechanism, plus shared items."""
    from vpcwire.report.cost_mechanisms import estimate
    from vpcwire.report.pricing import load_prices

    report = estimate(plan, load_prices())
    total = sum(item.monthly for item in report.shared)
    for conn in report.connections:
        chosen = next((e for e in conn.estimates if e.mechanism == conn.chosen), None)
        total += chosen.total if chosen is not None else 0.0
    return total


@app.command()
@handled
def diff(
    old: Annotated[
        Path,
        typer.Argument(help="before the change: a spec, or Terraform (a directory or plan JSON)"),
    ],
    new: Annotated[
        Path | None, typer.Argument(help="after the change, the same way (omit with --live)")
    ] = None,
    live: Annotated[
        bool, typer.Option("--live", help="compare OLD's plan with its deployed network")
    ] = False,
    as_json: Annotated[bool, typer.Option("--json", help="same as --format json")] = False,
    fmt: Annotated[
        DiffFormat, typer.Option("--format", help="text, json, sarif or markdown (PR comment)")
    ] = DiffFormat.text,
    target: VerifyTargetOpt = TargetChoice.sandbox,
    endpoint_url: Annotated[
        str | None, typer.Option("--endpoint-url", help="AWS API endpoint (with --live)")
    ] = None,
    var_file: VarFileOpt = None,
    var: VarOpt = None,
) -> None:
    """Flows a change opens and closes, resources and cost. Exit 1 if it opens an unintended flow.

    OLD and NEW are specs, snapshot directories (`vpcwire snapshot DIR`: "what changed since
    yesterday" is `vpcwire diff yesterday/ today/`), or Terraform as `vpcwire scan` reads it
    (a root module directory or a plan's JSON); the intents are NEW's (for a snapshot or
    Terraform: those `scan` derives from the network)."""
    from vpcwire.cli.diagram import load_input
    from vpcwire.diff import flow_changes, resource_changes
    from vpcwire.diff.report import DiffReport, diff_json, diff_markdown, diff_sarif, diff_text
    from vpcwire.errors import UsageError

    if (new is None) == (not live):
        raise UsageError(
            "give two specs (vpcwire diff OLD NEW) or one spec and --live (vpcwire diff SPEC --live)"
        )
    tf_vars = terraform_vars(var_file, var)  # for OLD and NEW alike, like two `scan`s
    before = load_input(old, tf_vars)
    intents = before.intents
    cost: tuple[float, float] | None = None
    lines: dict[str, int] = {}
    if new is not None:
        after = load_input(new, tf_vars)
        new_network = after.network
        intents = after.intents
        new_label = str(new)
        if before.plan is not None and after.plan is not None:
            cost = (monthly_cost(before.plan), monthly_cost(after.plan))
        if after.plan is not None:
            lines = connection_lines(after.plan)
    else:
        from vpcwire.deploy.stack import read_stack

        if before.plan is None:
            raise UsageError("--live compares a spec with its deployment: give the spec file")
        result = read_stack(before.plan, target=target.value, endpoint_url=endpoint_url)
        for warning in result.warnings:
            err.print(f"[yellow]warning: {escape(warning)}[/]")
        new_network = result.network
        new_label = f"live network on {target.value}"
    report = DiffReport(
        str(old),
        new_label,
        flow_changes(before.network, new_network, intents),
        tuple(resource_changes(before.network, new_network)),
        cost,
        before.network,
        new_network,
        new if new is not None else old,
        lines,
    )
    chosen = DiffFormat.json if as_json else fmt
    if chosen is DiffFormat.json:
        print_document(diff_json(report))
    elif chosen is DiffFormat.sarif:
        print_document(diff_sarif(report))
    elif chosen is DiffFormat.markdown:
        out.file.write(diff_markdown(report))
    else:
        out.file.write(diff_text(report))
    if report.exit_code:
        raise typer.Exit(report.exit_code)
