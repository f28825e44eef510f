"""What `vpcwire check` reads: regions, accounts and endpoint, decided before reading.

Against AWS: the regions given (or AWS_REGION), the caller's account and each
`--assume-role` account. Against the sandbox: additionally every account and region in
which the sandbox holds resources (it says so itself, sandbox_inventory.py), so the
README's `check --sandbox …` finds what `vpcwire up` made in any account. When a name is
still not found, the error lists what was read and how to read more.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path
from typing import Any

from vpcwire.errors import UsageError
from vpcwire.read.arguments import (
    parse_endpoint_url,
    parse_profiles,
    parse_regions,
    parse_role_arns,
)

__all__ = ["ReadScope", "SnapshotScope", "default_region", "read_scope", "unknown_name_hint"]

SANDBOX_ROLE = "vpcwire-sandbox"  # any role name works in the sandbox; this one says whose


@dataclass(frozen=True, slots=True)
class ReadScope:
    regions: tuple[str, ...]
    role_arns: tuple[str, ...]
    include_caller: bool
    endpoint_url: str | None
    sandbox: bool
    session: Any = None  # boto3.Session for the sandbox; None = the caller's own
    profiles: tuple[str, ...] = ()  # named AWS profiles, each reaching one more account

    def read(self) -> Any:
        """The ReadResult of this scope; an unenabled region becomes a usage error."""
        from vpcwire.read import read_network

        return self._refuse_opt_in(read_network(**self._options()))

    def read_raw(self) -> Any:
        """What the API answered in this scope (a RawRead): ``vpcwire snapshot`` saves it."""
        from vpcwire.read.reader import read_snapshots

        return self._refuse_opt_in(read_snapshots(**self._options()))

    def _options(self) -> dict[str, Any]:
        return {
            "regions": list(self.regions),
            "endpoint_url": self.endpoint_url,
            "role_arns": list(self.role_arns),
            "include_caller": self.include_caller,
            "session": self.session,
            "profiles": list(self.profiles),
        }

    def _refuse_opt_in(self, result: Any) -> Any:
        for region in self.regions:
            if any(region in w and "OptInRequired" in w for w in result.warnings):
                raise UsageError(
                    f"--regions: {region} is not enabled for the account (OptInRequired)\n"
                    "  fix: enable the region for the account, or leave it out of --regions"
                )
        return result

    def describe(self) -> str:
        who = (
            (["the caller's account"] if self.include_caller else [])
            + [_account_of(arn) + f" (role {arn})" for arn in self.role_arns]
            + [f"the account of profile {name}" for name in self.profiles]
        )
        where = f" at {self.endpoint_url}" if self.endpoint_url else ""
        return f"read regions {', '.join(self.regions)}; accounts {', '.join(who)}{where}"


class SnapshotScope:
    """A snapshot directory in place of the live API: ``check --snapshot DIR``. Loaded once,
    on first use (check reads it, then names what it holds when a name is not found)."""

    sandbox = False

    def __init__(self, directory: Path) -> None:
        self.directory = directory

    @cached_property
    def loaded(self) -> Any:
        from vpcwire.read.snapshot_dir import load_snapshot

        return load_snapshot(self.directory)

    def read(self) -> Any:
        from vpcwire.read.snapshot_dir import snapshot_network

        return snapshot_network(self.loaded)

    def describe(self) -> str:
        accounts = sorted({s.account for s in self.loaded.raw.snapshots})
        regions = sorted({s.region for s in self.loaded.raw.snapshots})
        return (
            f"read snapshot {self.directory}: regions {', '.join(regions)}; "
            f"accounts {', '.join(accounts)}"
        )


def _account_of(role_arn: str) -> str:
    return role_arn.split(":")[4]


def read_scope(
    *,
    regions: str | None,
    endpoint_url: str | None,
    assume_role: str | None,
    sandbox: bool,
    default_region: str,
    profiles: str | None = None,
) -> ReadScope:
    """Validate the options (UsageError, exit 2) and decide what to read."""
    region_list = parse_regions(regions) if regions is not None else [default_region]
    if regions is None:
        parse_regions(default_region, option="AWS_REGION")
    endpoint = parse_endpoint_url(endpoint_url)
    roles = parse_role_arns(assume_role)
    names = parse_profiles(profiles) if profiles is not None else []
    if not sandbox:
        return ReadScope(
            tuple(region_list), tuple(roles), True, endpoint, False, profiles=tuple(names)
        )
    if names:
        raise UsageError(
            "--profile reads accounts on AWS; the sandbox is read as each account it holds\n"
            "  fix: leave out --profile, or use --target aws"
        )

    from vpcwire.sandbox.background import find_running
    from vpcwire.sandbox.clients import boto3_session, sandbox_holdings

    info = find_running()
    if info is None:
        raise UsageError(
            "no sandbox is running: start one with `vpcwire sandbox start` "
            "(or `vpcwire up SPEC`, which starts it)"
        )
    # Stacks applied from this directory that a restart removed. deploy.stack imports the
    # planner, renderer and terraform runner (0.1 s): only when there are stacks to look at.
    if any(Path(".vpcwire").glob("*/sandbox")):
        from vpcwire.cli._app import err, escape
        from vpcwire.deploy.stack import stale_sandbox_stacks

        for note in stale_sandbox_stacks(info):
            err.print(f"[yellow]warning: {escape(note)}[/]")
    endpoint = endpoint or info.endpoint_url
    try:
        holdings = sandbox_holdings(endpoint)
    except (OSError, ValueError, KeyError, TypeError):
        # a sandbox started by an older vpcwire has no inventory: read what was named
        holdings = []
    accounts = {_account_of(arn) for arn in roles}
    for account, region in holdings:
        if region not in region_list:
            region_list.append(region)
        if account not in accounts:
            accounts.add(account)
            roles.append(f"arn:aws:iam::{account}:role/{SANDBOX_ROLE}")
    # the caller's own account (moto's default) only when nothing else is named: an empty
    # sandbox still answers "unknown source" rather than "nothing to read"
    return ReadScope(
        tuple(region_list),
        tuple(roles),
        not roles,
        endpoint,
        True,
        boto3_session(endpoint).session,
    )


def unknown_name_hint(error: UsageError, scope: ReadScope | SnapshotScope) -> UsageError:
    """`error` with what was read and how to read more, when it is about a name not found."""
    text = str(error)
    if not text.startswith("unknown "):
        return error
    if isinstance(scope, SnapshotScope):
        more = "  fix: check the name, or take a snapshot that includes its account and region"
    elif scope.sandbox:
        more = "  fix: check the name (`vpcwire up` tags each resource with its Name)"
    else:
        more = (
            "  fix: if it is in another region, add it to --regions r1,r2; if it is in "
            "another account, add --assume-role arn:aws:iam::<account>:role/<name>"
        )
    return UsageError(f"{text}\n  {scope.describe()}\n{more}")


def default_region() -> str:
    """The region to read when --regions is not given: AWS_REGION, as the AWS tools use it."""
    return os.environ.get("AWS_REGION") or os.environ.get("AWS_DEFAULT_REGION") or "us-east-1"
