"""Commands that work on the spec alone: plan, render, schema, rules, cost."""

from __future__ import annotations

import json
from enum import StrEnum
from pathlib import Path
from typing import Annotated

import typer

from vpcwire.cli._app import (
    JsonOpt,
    SpecArg,
    TargetChoice,
    app,
    err,
    escape,
    handled,
    out,
    plan_spec,
    print_findings,
)


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
        result = plan_spec(spec)
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
    print_findings(result)
    from vpcwire.deploy.collisions import recorded_collisions

    for warning in recorded_collisions(result):
        err.print(f"[yellow]warning: {escape(warning)}[/]")
    out.print(escape(plan_text(result)))


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

    result = plan_spec(spec)
    print_findings(result)
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
            escape(
                f"{r.id} ({r.severity.value}, {r.stage} stage): {r.title}\n\n"
                f"{r.description}\n\nfix: {r.fix}\n{r.url}"
            )
        )
        return
    for r in rules:
        out.print(escape(f"{r.id}  {r.severity.value:<7}  {r.stage:<4}  {r.title}"))


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

    result = plan_spec(spec)
    report = estimate(result, load_prices(prices), default_gb=gb_month, up_to=up_to)
    if as_json:
        out.print_json(json.dumps(cost_json(report)))
        return
    print_findings(result)
    out.print(escape(cost_text(report)))
