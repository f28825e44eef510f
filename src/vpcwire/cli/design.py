"""Commands that work on the spec alone: plan, render, schema, rules, cost."""

from __future__ import annotations

from enum import StrEnum
from pathlib import Path
from typing import Annotated, Any

import typer

from vpcwire.cli._app import (
    JsonOpt,
    RenderTargetOpt,
    SpecArg,
    TargetChoice,
    app,
    err,
    escape,
    handled,
    out,
    plan_spec,
    print_document,
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


# Only a spec with existing VPCs reads anything: the others plan offline.
EstateTargetOpt = Annotated[
    TargetChoice,
    typer.Option(
        "--target",
        help="where the spec's existing VPCs are read from: sandbox or aws (a spec without "
        "existing: reads nothing)",
    ),
]


@app.command()
@handled
def plan(
    spec: SpecArg,
    as_json: JsonOpt = False,
    fmt: FormatOpt = None,
    target: EstateTargetOpt = TargetChoice.sandbox,
) -> None:
    """Choose a mechanism per connection and show why, the alternatives and the resources.

    Exit 2 if a rule finds an error (findings still printed in the chosen format), else 0.
    """
    from vpcwire.errors import SpecError
    from vpcwire.pipeline import PlanRejected
    from vpcwire.report.findings import findings_json, findings_sarif, problems_as_findings
    from vpcwire.report.plan_text import plan_json, plan_text

    chosen = fmt or (FormatChoice.json if as_json else FormatChoice.text)
    try:
        result = plan_spec(spec, target.value)
    except SpecError as rejected:
        # every refusal, from the YAML text to the last rule, in the format asked for
        findings = (
            rejected.findings
            if isinstance(rejected, PlanRejected)
            else problems_as_findings(rejected.problems)
        )
        if chosen is FormatChoice.json:
            print_document({**findings_json(findings), "rejected": True})
        elif chosen is FormatChoice.sarif:
            print_document(findings_sarif(findings))
        raise
    if chosen is FormatChoice.sarif:
        print_document(findings_sarif(result.findings))
        return
    from vpcwire.render import render as render_files
    from vpcwire.report.resource_counts import terraform_count_line

    # the model's count leaves out routes, rules and associations that Terraform holds as
    # resources of their own (and the reverse): render, count, and say how the two relate
    addresses = render_files(result).resources
    if chosen is FormatChoice.json:
        print_document({**plan_json(result), "terraform_resources": len(addresses)})
        return
    print_findings(result)
    from vpcwire.deploy.collisions import recorded_collisions

    for warning in recorded_collisions(result):
        err.print(f"[yellow]warning: {escape(warning)}[/]")
    out.print(escape(plan_text(result)))
    out.print(escape(terraform_count_line(result.network, addresses)))


@app.command()
@handled
def render(
    spec: SpecArg,
    out_dir: Annotated[Path, typer.Option("--out", help="directory to write the Terraform into")],
    target: RenderTargetOpt = TargetChoice.sandbox,
    as_json: JsonOpt = False,
) -> None:
    """Write readable, fmt- and validate-clean Terraform for the spec.

    The default target is the same as `up`'s (sandbox); the output says which was written.
    """
    from vpcwire.render import render as render_files
    from vpcwire.render import write

    result = plan_spec(spec, target.value)
    if not as_json:
        print_findings(result)
    rendered = render_files(result, target=target.value, source=str(spec))
    paths = write(rendered, out_dir)
    if as_json:
        print_document(
            {
                "target": target.value,
                "directory": str(out_dir),
                "files": [str(p) for p in paths],
                "resources": rendered.resource_count,
            }
        )
        return
    for path in paths:
        out.print(f"wrote {path}")
    out.print(
        f"rendered {rendered.resource_count} resources for target {target.value}"
        + (" (with sandbox_override.tf)" if target is TargetChoice.sandbox else "")
    )


@app.command()
@handled
def schema() -> None:
    """Print the JSON Schema of the spec (for editors and CI validation)."""
    from vpcwire.spec.models import Spec

    print_document(Spec.model_json_schema())


@app.command("rules")
@handled
def rules_command(
    rule_id: Annotated[
        str | None, typer.Argument(help="a rule id, to show it in full", show_default=False)
    ] = None,
    as_json: JsonOpt = False,
) -> None:
    """List the rules catalogue (id, severity, stage, title), or one rule in full."""
    from vpcwire.report.findings import LOADER_CHECKS
    from vpcwire.rules import all_rules

    # the loader's checks (VW-E00x) first: they refuse a spec before any rule can run
    catalogue: list[Any] = [*LOADER_CHECKS, *all_rules()]
    rules = list(catalogue)
    if rule_id is not None:
        from vpcwire.errors import UsageError

        wanted = rule_id.upper()
        rules = [r for r in rules if r.id == wanted]
        if not rules:
            import difflib

            close = difflib.get_close_matches(wanted, [r.id for r in catalogue], n=3)
            hint = f"; did you mean {' or '.join(close)}?" if close else ""
            raise UsageError(f"no rule {rule_id!r}{hint} (`vpcwire rules` lists them)")
    if as_json:
        print_document(
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
    target: EstateTargetOpt = TargetChoice.sandbox,
) -> None:
    """Monthly cost per connection: the chosen mechanism, each viable alternative, and the
    traffic volume at which the cheapest one changes."""
    from vpcwire.report.cost_mechanisms import estimate
    from vpcwire.report.cost_text import cost_json, cost_text
    from vpcwire.report.pricing import load_prices

    result = plan_spec(spec, target.value)
    report = estimate(result, load_prices(prices), default_gb=gb_month, up_to=up_to)
    if as_json:
        print_document(cost_json(report))
        return
    print_findings(result)
    out.print(escape(cost_text(report)))
