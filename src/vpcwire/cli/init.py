"""`vpcwire init`: a starter spec listing the VPCs that already exist (issue 18).

Reads one estate — live (``--target``), a snapshot (``--snapshot``) or Terraform
(``--from``) — into the Network, and writes :func:`vpcwire.spec.starter.starter_spec` of it.
The spec goes to stdout (notes and warnings to stderr, so a pipe gets YAML only) or to
``--out``, which never overwrites a file without ``--force``.
"""

from __future__ import annotations

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
)
from vpcwire.cli._vars import VarFileOpt, VarOpt, terraform_vars
from vpcwire.errors import UsageError

__all__ = ["init"]


@app.command()
@handled
def init(
    target: Annotated[
        TargetChoice | None,
        typer.Option(
            "--target",
            help="read the live estate: sandbox (every account and region of the running "
            "sandbox, plus --regions) or aws (your credentials, --assume-role, --profile)",
        ),
    ] = None,
    from_dir: Annotated[
        Path | None,
        typer.Option(
            "--from",
            metavar="DIR",
            help="read a Terraform root module (or a plan's JSON) as `vpcwire scan` does",
        ),
    ] = None,
    snapshot: SnapshotOpt = None,
    regions: RegionsOpt = None,
    endpoint_url: EndpointOpt = None,
    assume_role: AssumeRoleOpt = None,
    profile: ProfileOpt = None,
    var_file: VarFileOpt = None,
    var: VarOpt = None,
    out_file: Annotated[
        Path | None,
        typer.Option("--out", metavar="FILE", help="write the spec here [default: stdout]"),
    ] = None,
    force: Annotated[bool, typer.Option("--force", help="let --out overwrite a file")] = False,
) -> None:
    """Write a starter spec: every VPC found, as an `existing:` entry, for you to add
    services and connections to.

    Give one source: --target sandbox|aws (with --regions r1,r2), --snapshot DIR, or
    --from DIR (Terraform). Each VPC is keyed by its Name tag and selected by
    `existing: {tags: {Name: …}}` where that Name is unique, else `{id: vpc-…}`; its CIDR
    blocks, subnets per AZ, instances and peerings are written as comments. Default VPCs,
    and VPCs a vpcwire stack made (tag vpcwire:stack), are listed commented out. From
    Terraform, a VPC whose Name tag is not known before apply is written commented out with
    what to fill in, and an account or region the configuration does not state gets a
    placeholder the spec loader refuses until you fill it in.

    Exit 0: written. Exit 2: bad input — no source or two, --out exists (without --force),
    or no VPC to list (none found, or only default, vpcwire-made or unnamed ones). Exit 3:
    the estate could not be read (credentials, endpoint).
    """
    sources = [target is not None, from_dir is not None, snapshot is not None]
    if sum(sources) != 1:
        raise UsageError(
            "init reads one estate: give --target sandbox|aws, --snapshot DIR or --from DIR"
        )
    live_only = {
        "--regions": regions,
        "--endpoint-url": endpoint_url,
        "--assume-role": assume_role,
        "--profile": profile,
    }
    if target is None and (clash := [k for k, v in live_only.items() if v is not None]):
        raise UsageError(f"{', '.join(clash)} read a live estate: give --target too")
    if from_dir is None and (var_file or var):
        raise UsageError("--var and --var-file are Terraform's: give --from DIR too")
    if out_file is not None:
        _check_out(out_file, force)

    from vpcwire.spec.starter import starter_spec

    if from_dir is not None:
        network, source, notes = _scanned(from_dir, var_file, var)
        starter = starter_spec(network, source=source, aws_ids=False, notes=notes)
    else:
        network, source, hints = _read(
            target, snapshot, regions, endpoint_url, assume_role, profile
        )
        starter = starter_spec(network, source=source, aws_ids=True, accounts=hints)
    if not starter.listed:
        raise _nothing_to_list(starter, source, terraform=from_dir is not None)
    if out_file is None:
        out.file.write(starter.text)
        return
    try:
        out_file.write_text(starter.text, encoding="utf-8")
    except OSError as exc:
        raise UsageError(f"init --out {out_file}: cannot write it ({exc.strerror})") from None
    err.print(
        f"wrote {escape(str(out_file))}: {len(starter.listed)} VPC(s) as existing: "
        f"{escape(', '.join(starter.listed))}\n"
        f"  next: add services and connections, then vpcwire plan {escape(str(out_file))}"
    )


def _nothing_to_list(starter: Any, source: str, *, terraform: bool) -> UsageError:
    """Zero VPCs to list is bad input (exit 2): the source or its scope names none."""
    found = "".join(f"\n  {note}" for note in starter.left_out)
    if terraform:
        fix = "check the directory and its --var/--var-file values"
    else:
        fix = "read where your VPCs are: --regions r1,r2, --assume-role or --profile for other accounts"
        if found:
            fix += "; or, to connect one of those left out, write its entry yourself: existing: {id: vpc-…}"
    return UsageError(
        f"init: no VPC to list in {source}"
        + (f"; left out:{found}" if found else " (no VPC found)")
        + f"\n  fix: {fix}"
    )


def _check_out(path: Path, force: bool) -> None:
    """Refuse before reading anything: a read of a large estate takes a while."""
    if path.is_dir():
        raise UsageError(f"init --out {path}: is a directory\n  fix: name a file, e.g. spec.yaml")
    if path.exists() and not force:
        raise UsageError(
            f"init --out {path}: the file exists\n"
            "  fix: choose another file, or add --force to overwrite it"
        )
    if not path.parent.is_dir():
        raise UsageError(
            f"init --out {path}: directory {path.parent} does not exist\n  fix: create it first"
        )


def _scanned(
    directory: Path, var_file: list[Path] | None, var: list[str] | None
) -> tuple[Any, str, list[str]]:
    from vpcwire.cli.diagram import is_terraform
    from vpcwire.scan import scan

    if not is_terraform(directory):
        raise UsageError(f"--from {directory}: not a Terraform directory or a plan's JSON")
    var_files, variables = terraform_vars(var_file, var)
    scanned = scan(directory, var_files=var_files, variables=variables)
    # a VPC the scan could not build (its CIDR block unknown before apply: an IPAM pool)
    # is not in the network: said, so that nothing is left out silently
    notes = [
        f"{item.location}: {item.address}: {item.what}"
        for item in scanned.unresolved
        if _is_vpc_address(item.address)
    ]
    if others := len(scanned.unresolved) - len(notes):
        # the rest (a route, a rule…) does not change which VPCs there are: counted, not
        # listed, so that the VPCs' own notes stand out
        err.print(
            f"[yellow]note: the scan left {others} other thing(s) unresolved; "
            f"`vpcwire scan {escape(str(directory))}` lists them[/]"
        )
    return scanned.network, f"Terraform {directory}", notes


def _is_vpc_address(address: str) -> bool:
    """module.vpc.aws_vpc.this[0], aws_default_vpc.this: a VPC the scan did not build."""
    parts = address.rsplit(".", 2)
    return len(parts) >= 2 and parts[-2] in ("aws_vpc", "aws_default_vpc")


def _read(
    target: TargetChoice | None,
    snapshot: Path | None,
    regions: str | None,
    endpoint_url: str | None,
    assume_role: str | None,
    profile: str | None,
) -> tuple[Any, str, dict[str, Any]]:
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
    if snapshot is not None:
        return read.network, f"snapshot {snapshot}", {}
    where = f"the {target} estate ({', '.join(scope.regions)})"
    return read.network, where, {} if scope.sandbox else _hints(scope, read.network)


def _hints(scope: Any, network: Any) -> dict[str, Any]:
    """How each account was reached: a role ARN names its account; the accounts reached
    by --profile are known by elimination, exactly only when there are as many as profiles
    (a profile reaching an account already read is read once, under the first way)."""
    from vpcwire.spec.starter import AccountHint

    hints: dict[str, Any] = {}
    accounts = list(network.accounts)
    caller = accounts[:1] if scope.include_caller else []
    for arn in scope.role_arns:
        hints.setdefault(arn.split(":")[4], AccountHint(role_arn=arn))
    rest = [a for a in accounts if a not in hints and a not in caller]
    if rest and len(rest) == len(scope.profiles):
        hints.update({a: AccountHint(profile=p) for a, p in zip(rest, scope.profiles, strict=True)})
    elif rest:
        note = f"reached by one of --profile {', '.join(scope.profiles)}: add profile: NAME"
        hints.update({a: AccountHint(note=note) for a in rest})
    return hints
