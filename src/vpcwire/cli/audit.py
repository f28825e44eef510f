"""Exhaustive proofs on the command line: `verify --exhaustive` and `audit` (issue 21).

Both trace every class of flows (:mod:`vpcwire.verify.exhaustive`); `verify` marks what the
spec asks for (its connections and intents) as intended, `audit` what an expect file lists
(or nothing). Exit 1 when a class is open that nothing asks for, or a class is unknown (the
proof is then not complete); 0 with a one-line proof otherwise.
"""

from __future__ import annotations

from collections.abc import Iterable
from enum import StrEnum
from pathlib import Path
from typing import Annotated, Any

import typer

from vpcwire.cli._app import (
    AssumeRoleOpt,
    EndpointOpt,
    ProfileOpt,
    RegionsOpt,
    SnapshotOpt,
    TargetChoice,
    app,
    err,
    escape,
    handled,
    out,
    print_document,
)
from vpcwire.errors import EXIT_VERIFY_FAILED, UsageError

__all__ = ["AuditFormat", "audit", "proof_exit_code", "report_proof", "snapshot_gaps"]


class AuditFormat(StrEnum):
    text = "text"
    json = "json"
    sarif = "sarif"
    markdown = "markdown"


def snapshot_gaps(network: Any, loaded: Any) -> Any:
    """``unknown_in`` for a snapshot: a path through a VPC whose snapshot lacks a file that
    decides reachability is unknown (as `check --snapshot` judges)."""
    from vpcwire.read.snapshot_dir import gap_note

    if not loaded.gap_vpcs:
        return None

    def unknown_in(resources: Iterable[str]) -> str | None:
        return gap_note(network, loaded, resources)

    return unknown_in


def proof_exit_code(proof: Any) -> int:
    return EXIT_VERIFY_FAILED if proof.unintended or proof.unknown else 0


def report_proof(proof: Any, where: str, fmt: AuditFormat) -> int:
    from vpcwire.report.access_map import access_json, access_markdown, access_sarif, access_text

    if fmt is AuditFormat.json:
        print_document(access_json(proof, where))
    elif fmt is AuditFormat.sarif:
        print_document(access_sarif(proof, where))
    elif fmt is AuditFormat.markdown:
        out.print(escape(access_markdown(proof, where)))
    else:
        out.print(escape(access_text(proof, where)))
    return proof_exit_code(proof)


def verify_exhaustive(
    plan: Any,
    *,
    live: bool,
    target: Any,
    endpoint_url: str | None,
    snapshot: Path | None,
    as_json: bool,
) -> int:
    """`verify SPEC --exhaustive`: the planned, live or snapshot network, every class."""
    from vpcwire.verify.exhaustive import asked_by_spec, prove

    unknown_in = None
    if snapshot is not None:
        from vpcwire.read.snapshot_dir import load_snapshot, snapshot_network

        loaded = load_snapshot(snapshot)
        read = snapshot_network(loaded, {"vpcwire:stack": plan.spec.stack})
        if not read.network.vpcs:
            raise UsageError(
                f"snapshot {snapshot} holds no VPC of stack {plan.spec.stack} "
                f"(tagged vpcwire:stack={plan.spec.stack})\n"
                "  fix: take the snapshot where the stack is deployed, or check the spec's name"
            )
        for warning in read.warnings:
            err.print(f"[yellow]warning: {escape(warning)}[/]")
        network, where = read.network, f"snapshot {snapshot}"
        unknown_in = snapshot_gaps(network, loaded)
    elif live:
        from vpcwire.cli._app import require_deployed
        from vpcwire.deploy.stack import read_stack

        read = read_stack(plan, target=target, endpoint_url=endpoint_url)
        require_deployed(plan, read.network, target)
        for warning in read.warnings:
            err.print(f"[yellow]warning: {escape(warning)}[/]")
        network, where = read.network, f"live network on {target}"
    else:
        network, where = plan.network, "planned network"
    # the spec's intents name the plan's resources; the live network carries the same Names
    proof = prove(network, asked_by_spec(plan, network), unknown_in=unknown_in)
    return report_proof(proof, where, AuditFormat.json if as_json else AuditFormat.text)


@app.command()
@handled
def audit(
    terraform: Annotated[
        Path | None,
        typer.Argument(help="a Terraform directory to scan (else --target or --snapshot)"),
    ] = None,
    target: Annotated[
        TargetChoice | None,
        typer.Option("--target", help="read the live estate: sandbox, or aws (your credentials)"),
    ] = None,
    snapshot: SnapshotOpt = None,
    regions: RegionsOpt = None,
    endpoint_url: EndpointOpt = None,
    assume_role: AssumeRoleOpt = None,
    profile: ProfileOpt = None,
    fmt: Annotated[AuditFormat, typer.Option("--format", help="text, json, sarif, markdown")] = (
        AuditFormat.text
    ),
    expect: Annotated[
        Path | None,
        typer.Option("--expect", help="YAML file of intended flows; exit 1 on every other"),
    ] = None,
) -> None:
    """Every open flow of an estate, as classes: its complete access map. Exit 1 if a class
    is open that --expect does not list (with --expect) or is unknown."""
    from vpcwire.verify.exhaustive import prove

    sources = [terraform is not None, target is not None, snapshot is not None]
    if sum(sources) != 1:
        raise UsageError(
            "audit reads one estate: give a Terraform directory, --target sandbox|aws, or "
            "--snapshot DIR"
        )
    live_only = {
        "--regions": regions,
        "--endpoint-url": endpoint_url,
        "--assume-role": assume_role,
        "--profile": profile,
    }
    if target is None and (clash := [k for k, v in live_only.items() if v is not None]):
        raise UsageError(f"{', '.join(clash)} read a live estate: give --target too")
    unknown_in = None
    if terraform is not None:
        from vpcwire.cli.diagram import is_terraform
        from vpcwire.scan import scan

        if not is_terraform(terraform):
            raise UsageError(f"{terraform}: no Terraform files (*.tf) in it")
        scanned = scan(terraform)
        for item in scanned.unresolved:
            err.print(f"[yellow]warning: unresolved: {escape(str(item))}[/]")
        network, where = scanned.network, f"Terraform {terraform}"
    else:
        from vpcwire.cli.check_scope import SnapshotScope, default_region, read_scope

        if snapshot is not None:
            scope: Any = SnapshotScope(snapshot)
        else:
            scope = read_scope(
                regions=regions,
                endpoint_url=endpoint_url,
                assume_role=assume_role,
                profiles=profile,
                sandbox=target is TargetChoice.sandbox,
                default_region=default_region(),
            )
        read = scope.read()
        for warning in read.warnings:
            err.print(f"[yellow]warning: {escape(warning)}[/]")
        network = read.network
        where = f"snapshot {snapshot}" if snapshot is not None else f"live estate ({target})"
        if snapshot is not None:
            unknown_in = snapshot_gaps(network, scope.loaded)
    asked = None
    if expect is not None:
        from vpcwire.verify.expect import load_expect

        asked = load_expect(expect, network)
    proof = prove(network, asked, unknown_in=unknown_in)
    code = report_proof(proof, where, fmt)
    if code:
        raise typer.Exit(code)
