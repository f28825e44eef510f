"""`vpcwire snapshot DIR`: save what the live reader reads, to answer from it offline."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from vpcwire.cli._app import (
    AssumeRoleOpt,
    EndpointOpt,
    JsonOpt,
    ProfileOpt,
    RegionsOpt,
    TargetChoice,
    app,
    err,
    escape,
    handled,
    out,
    print_document,
)


@app.command()
@handled
def snapshot(
    directory: Annotated[
        Path, typer.Argument(metavar="DIR", help="folder to write (created if missing)")
    ],
    target: Annotated[
        TargetChoice,
        typer.Option(
            "--target",
            help="aws: your credentials (and --assume-role, --profile); sandbox: every account "
            "and region of the running vpcwire sandbox",
        ),
    ] = TargetChoice.aws,
    regions: RegionsOpt = None,
    endpoint_url: EndpointOpt = None,
    assume_role: AssumeRoleOpt = None,
    profile: ProfileOpt = None,
    as_json: JsonOpt = False,
) -> None:
    """Save the network (describe-* JSON per account and region, Batfish's layout) to DIR.

    `check`, `verify`, `diagram` and `diff` then answer from it with `--snapshot DIR`
    (or, for diff, a snapshot folder as OLD or NEW): offline, reproducibly, the same as live.
    """
    import vpcwire
    from vpcwire.cli.check_scope import default_region, read_scope
    from vpcwire.errors import UsageError
    from vpcwire.read.snapshot_dir import write_snapshot

    if directory.exists() and not directory.is_dir():
        raise UsageError(f"snapshot {directory}: exists and is not a directory")
    scope = read_scope(
        regions=regions,
        endpoint_url=endpoint_url,
        assume_role=assume_role,
        profiles=profile,
        sandbox=target is TargetChoice.sandbox,
        default_region=default_region(),
    )
    raw = scope.read_raw()
    for warning in raw.warnings:
        err.print(f"[yellow]warning: {escape(warning)}[/]")
    source = "sandbox" if scope.sandbox else "aws"
    written = write_snapshot(directory, raw, source=source, version=vpcwire.__version__)
    vpcs = sum(len(s.vpcs) for s in raw.snapshots)
    summary = {
        "directory": str(directory),
        "accounts": sorted({s.account for s in raw.snapshots}),
        "regions": sorted({s.region for s in raw.snapshots}),
        "vpcs": vpcs,
        "files": len(written),
        "calls": raw.calls,
        "seconds": round(raw.seconds, 3),
        "warnings": list(raw.warnings),
    }
    if as_json:
        print_document(summary)
        return
    out.print(
        f"snapshot {escape(str(directory))}: {vpcs} VPCs in "
        f"{len(summary['accounts'])} account(s) × {len(summary['regions'])} region(s) "
        f"({', '.join(summary['regions'])}), {len(written)} files, {raw.calls} API calls "
        f"in {raw.seconds:.1f} s"
    )
    out.print(
        f"  answer from it: vpcwire check --snapshot {escape(str(directory))} --from … --to …"
    )
