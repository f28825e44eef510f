"""`vpcwire scan`: verify the Terraform a team already has, before apply."""

from __future__ import annotations

import os
from dataclasses import replace
from enum import StrEnum
from pathlib import Path
from typing import Annotated

import typer

from vpcwire.cli._app import app, escape, handled, out, print_document
from vpcwire.cli._vars import VarFileOpt, VarOpt, terraform_vars
from vpcwire.errors import SpecError


class ScanFormat(StrEnum):
    text = "text"
    json = "json"
    sarif = "sarif"


@app.command()
@handled
def scan(
    directory: Annotated[
        Path,
        typer.Argument(
            help="a Terraform root module, or a plan's JSON (terraform show -json PLANFILE)",
            show_default=False,
            metavar="DIR",
        ),
    ],
    var_file: VarFileOpt = None,
    var: VarOpt = None,
    expect: Annotated[
        Path | None,
        typer.Option("--expect", help="YAML list of {from, to, port, protocol, reachable}"),
    ] = None,
    output: Annotated[
        ScanFormat, typer.Option("--format", help="text (default), json, or sarif (SARIF 2.1.0)")
    ] = ScanFormat.text,
    sandbox: Annotated[
        bool,
        typer.Option(
            "--sandbox",
            help="also apply to the embedded sandbox, verify the result, destroy it",
        ),
    ] = False,
    terraform: Annotated[
        bool | None,
        typer.Option(
            "--terraform/--no-terraform",
            help="let terraform evaluate the configuration against a private sandbox "
            "(default: yes where terraform runs, up to 2,000 blocks; the environment's "
            "VPCWIRE_SCAN_TERRAFORM=0|1 sets the default); --no-terraform: vpcwire's own "
            "HCL evaluation only",
            show_default=False,
        ),
    ] = None,
    strict: Annotated[
        bool,
        typer.Option(
            "--strict",
            help="exit 1 when anything was left unresolved (VW-W701) or no intent was verified",
        ),
    ] = False,
) -> None:
    """Find the connectivity bugs of an existing Terraform configuration, located at their
    file:line. Exit 0 clean, 1 an intent fails (with --strict also: something unresolved or
    no intent verified), 2 error findings or bad input, 3 terraform or sandbox failure."""
    from vpcwire.scan.report import scan_json, scan_sarif, scan_text
    from vpcwire.scan.run import run_scan

    var_files, variables = terraform_vars(var_file, var)
    if terraform is None:
        terraform = _terraform_default()
    try:
        report = run_scan(
            directory,
            var_files=var_files,
            variables=variables,
            expect=expect,
            sandbox=sandbox,
            terraform=terraform,
        )
    except SpecError as refused:
        # bad input in the format asked for too (CI reads the SARIF), then exit 2 as usual
        if output is not ScanFormat.text:
            from vpcwire.report.findings import findings_json, findings_sarif, problems_as_findings

            findings = problems_as_findings(refused.problems)
            if output is ScanFormat.json:
                print_document({**findings_json(findings), "rejected": True})
            else:
                print_document(findings_sarif(findings))
        raise
    if strict:
        report = replace(report, strict=True)
    if output is ScanFormat.json:
        print_document(scan_json(report))
    elif output is ScanFormat.sarif:
        print_document(scan_sarif(report))
    else:
        out.print(escape(scan_text(report)))
    if report.exit_code:
        raise typer.Exit(report.exit_code)


def _terraform_default() -> bool | None:
    """--terraform/--no-terraform when neither is given: VPCWIRE_SCAN_TERRAFORM (0/1), else
    None (terraform where it runs, up to a size). A CI that wants one evaluation sets it
    once; the test suite sets 0, so that a test asks for terraform when it means it."""
    setting = os.environ.get("VPCWIRE_SCAN_TERRAFORM", "").strip().lower()
    if setting in ("0", "no", "false", "off"):
        return False
    if setting in ("1", "yes", "true", "on"):
        return True
    return None
