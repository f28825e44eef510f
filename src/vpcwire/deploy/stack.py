"""A stack: one spec's rendered directory and Terraform state, for one target.

``deploy`` renders into the working directory, points terraform at the sandbox or at AWS,
and applies; ``destroy`` removes what the state holds. The working directory defaults to
``.vpcwire/<stack>/<target>`` under the current directory, so sandbox and real-AWS state
can never be mixed up, and ``vpcwire down`` finds what ``vpcwire up`` made.
"""

from __future__ import annotations

import re
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal

from vpcwire.deploy.abandoned import split_abandoned
from vpcwire.deploy.collisions import aws_names, names_taken_on_target
from vpcwire.deploy.inventory import Place, Tagged, read_tagged
from vpcwire.deploy.places import places_for, stack_places
from vpcwire.deploy.private_files import make_private
from vpcwire.deploy.state_file import (
    archive_state,
    keep_copy,
    keep_readable_copy,
    read_state,
    state_ids,
    state_resources,
)
from vpcwire.deploy.sweep import sweep as sweep_resources
from vpcwire.deploy.target_record import TargetRecord, compare, read_record, write_record
from vpcwire.deploy.terraform import ProgressFn, Terraform, find_terraform, wait_for_earlier_run
from vpcwire.errors import DeployError
from vpcwire.plan.plan import Plan
from vpcwire.render import GENERATED_MARK, render, write
from vpcwire.render.sandbox import SANDBOX_FILE

__all__ = [
    "DeployResult",
    "DestroyResult",
    "Target",
    "deploy",
    "destroy",
    "read_stack",
    "restarted_message",
    "stale_sandbox_stacks",
    "target_env",
    "workdir_for",
]

Target = Literal["sandbox", "aws"]


@dataclass
class DeployResult:
    workdir: Path
    outputs: dict[str, Any]
    endpoint_url: str | None  # the sandbox's, when the target is the sandbox
    seconds: dict[str, float] = field(default_factory=dict)  # phase -> wall seconds
    changes: dict[str, int] = field(default_factory=dict)  # terraform's add/change/remove
    swept: list[str] = field(default_factory=list)  # found by tag, not in state, removed
    adopted: list[str] = field(default_factory=list)  # found by tag, imported into the state


@dataclass
class DestroyResult:
    held: int  # resources the state listed
    destroyed: int = 0  # of those, destroyed by terraform (0 when they were already gone)
    swept: list[str] = field(default_factory=list)  # left over after terraform, removed by API
    state_copy: Path | None = None  # the timestamped copy kept before destroying
    note: str = ""  # e.g. why nothing had to be destroyed


def workdir_for(stack: str, target: Target, override: Path | None = None) -> Path:
    return override if override is not None else Path(".vpcwire") / stack / target


@dataclass(frozen=True, slots=True)
class _Connected:
    env: dict[str, str]
    endpoint_url: str | None
    record: TargetRecord
    verdict: str  # "same" | "new" | "restarted" (see target_record.compare)


def _connect(
    plan: Plan,
    target: Target,
    workdir: Path,
    *,
    start: bool,
    announce: Callable[[str], None] | None,
) -> _Connected | None:
    """Point at the target after checking it is the one the workdir was applied to.

    None when the target is the sandbox, none runs and ``start`` is False.
    """
    stack = plan.spec.stack
    recorded = read_record(workdir)
    # where the stack lives now, and where an earlier apply from this directory put it
    places = tuple(sorted({*stack_places(plan), *(recorded.places if recorded else ())}))
    if target == "aws":
        regions = tuple(sorted({v.region for v in plan.network.vpcs.values()}))
        accounts = tuple(sorted(a.id for a in plan.spec.accounts.values()))
        record = TargetRecord(
            "aws",
            stack,
            accounts=accounts,
            regions=regions,
            aws_names=aws_names(plan),
            places=places,
        )
        return _Connected({}, None, record, compare(workdir, recorded, record))
    from vpcwire.sandbox.background import find_running, resolve_state_dir
    from vpcwire.sandbox.clients import sandbox_env

    home = resolve_state_dir().resolve()
    info = find_running()
    if recorded is not None and recorded.kind == "sandbox" and recorded.sandbox_home != str(home):
        elsewhere = (
            TargetRecord.for_sandbox(stack, home, info)
            if info is not None
            else TargetRecord("sandbox", stack, sandbox_home=str(home))
        )
        compare(workdir, recorded, elsewhere)
    if info is None:
        if not start:
            return None
        target_env(target, announce=announce)
        info = find_running()
        assert info is not None
    record = TargetRecord.for_sandbox(stack, home, info, aws_names(plan), places)
    verdict = compare(workdir, recorded, record)
    return _Connected(sandbox_env(info.endpoint_url), info.endpoint_url, record, verdict)


def restarted_message(stack: str, started_at: str) -> str:
    return (
        f"the sandbox was restarted at {started_at}; the resources of stack {stack} are gone: "
        "run `vpcwire up` to recreate them"
    )


def _orphans(plan: Plan, places: list[Place], workdir: Path) -> list[Tagged]:
    known = state_ids(workdir)
    return [t for t in read_tagged(places, plan.spec.stack) if t.id not in known]


def deploy(
    plan: Plan,
    *,
    target: Target = "sandbox",
    workdir: Path,
    source: str = "",
    progress: ProgressFn | None = None,
    announce: Callable[[str], None] | None = None,
    adopt: bool = False,
    sweep: bool = False,
    rerun: str = "vpcwire up",
) -> DeployResult:
    """Apply the plan, after checking the target and what of the stack already exists there.

    ``rerun`` is the command line the user typed (without --adopt/--sweep): the refusal for
    resources found by tag but missing from the state tells them the exact command to run.
    """
    say = announce or (lambda _: None)
    find_terraform()  # fail before anything is written or started
    wait_for_earlier_run(workdir, progress or (lambda _: None))
    read_state(workdir)  # a damaged state stops everything here, with how to restore it
    seconds: dict[str, float] = {}
    started = time.monotonic()
    files = render(plan, target=target, source=source)
    seconds["render"] = time.monotonic() - started

    started = time.monotonic()
    connected = _connect(plan, target, workdir, start=True, announce=announce)
    assert connected is not None
    seconds["sandbox"] = time.monotonic() - started
    if connected.verdict == "restarted" and state_resources(workdir):
        say(
            f"the sandbox was restarted at {connected.record.sandbox_started_at}; the resources "
            f"of stack {plan.spec.stack} are gone: recreating them"
        )
        copy = archive_state(workdir, "sandbox-restarted")
        say(f"the old state is kept as {copy}")

    make_private(workdir)  # before anything is written there: 0700, states 0600
    write(files, workdir)
    if target == "aws":
        _remove_sandbox_override(workdir)
    keep_copy(workdir, "up")
    write_record(workdir, connected.record)  # before apply: a killed run still knows its target

    tf = Terraform(workdir, connected.env, progress=progress)
    tf.init()
    result = DeployResult(workdir, {}, connected.endpoint_url, seconds)
    started = time.monotonic()
    places = places_for(
        plan, target=target, endpoint_url=connected.endpoint_url, also=connected.record.places
    )
    taken = names_taken_on_target(plan, places)
    if taken:
        raise DeployError(
            f"names stack {plan.spec.stack} needs are taken on the target by another stack:",
            detail="\n".join(f"  {t}" for t in taken)
            + "\nfix: rename the stack (`name:` in the spec) or remove the other one",
        )
    orphans = _remove_abandoned(plan, _orphans(plan, places, workdir), places, workdir, say)
    if orphans:
        _handle_orphans(plan, orphans, places, tf, files, result, adopt, sweep, rerun, say)
    seconds["inventory"] = time.monotonic() - started
    try:
        tf.apply()
    except DeployError as error:
        raise _with_orphans(error, plan, places, workdir, rerun) from None
    finally:
        keep_readable_copy(workdir, "applied")
    result.outputs = tf.outputs()
    result.changes = dict(tf.summary)
    seconds.update({f"terraform {k}": v for k, v in tf.timings.seconds.items()})
    return result


def _remove_abandoned(
    plan: Plan,
    orphans: list[Tagged],
    places: list[Place],
    workdir: Path,
    say: Callable[[str], None],
) -> list[Tagged]:
    """Delete what an interrupted run of this directory was creating (abandoned.py proves
    it from terraform.log): half-made, it is created again by this apply. The rest is
    returned for --adopt/--sweep or the refusal."""
    abandoned, others = split_abandoned(orphans, workdir)
    if not abandoned:
        return orphans
    say(
        f"removing {len(abandoned)} resources an interrupted run in {workdir} was creating and "
        f"never recorded ({workdir / 'terraform.log'}); terraform creates them again:"
    )
    failures = sweep_resources(abandoned, places, announce=lambda m: say(f"  {m}"))
    left = {t.id for t in _orphans(plan, places, workdir)} & {t.id for t in abandoned}
    if failures or left:
        raise DeployError(
            f"could not remove resources of stack {plan.spec.stack} that an interrupted run "
            "was creating",
            detail="\n".join(
                [
                    *(f"  {f}" for f in failures),
                    *(f"  still there: {t}" for t in abandoned if t.id in left),
                ]
            )
            + "\nfix: delete them by hand (the ids above), then rerun",
        )
    return others


def _handle_orphans(
    plan: Plan,
    orphans: list[Tagged],
    places: list[Place],
    tf: Terraform,
    files: Any,
    result: DeployResult,
    adopt: bool,
    sweep: bool,
    rerun: str,
    say: Callable[[str], None],
) -> None:
    listing = "\n".join(f"  {t}" for t in orphans)
    if sweep:
        say(
            f"removing {len(orphans)} resources of stack {plan.spec.stack} the state does not list:"
        )
        failures = sweep_resources(orphans, places, announce=lambda m: say(f"  {m}"))
        left = _orphans(plan, places, tf.workdir)
        if failures or left:
            raise DeployError(
                f"could not remove every resource of stack {plan.spec.stack} found by tag",
                detail="\n".join(
                    [*(f"  {f}" for f in failures), *(f"  still there: {t}" for t in left)]
                ),
            )
        result.swept = [str(t) for t in orphans]
        return
    if adopt:
        # routes have no tags and nothing to import into: removed, terraform recreates them
        routes = [t for t in orphans if t.kind == "route"]
        orphans = [t for t in orphans if t.kind != "route"]
        for route in routes:
            say(f"removing {route} (terraform creates it again)")
        failures = sweep_resources(routes, places)
        if failures:
            raise DeployError(
                "could not remove routes the state does not list",
                detail="\n".join(f"  {f}" for f in failures),
            )
        declared = _declared(files)
        recorded = set(tf.state_resources())
        cannot = [
            t
            for t in orphans
            if f"{t.tf_type}.{t.name}" not in declared or f"{t.tf_type}.{t.name}" in recorded
        ]
        if cannot:
            raise DeployError(
                f"{len(cannot)} resources of stack {plan.spec.stack} found by tag cannot be adopted "
                "(no resource of that name in the configuration, or one already recorded)",
                detail="\n".join(f"  {t}" for t in cannot)
                + f"\nfix: remove them instead with `{rerun} --sweep`",
            )
        for t in orphans:
            address = f"{t.tf_type}.{t.name}"
            say(f"adopting {t} as {address}")
            tf.import_resource(address, t.id)
            result.adopted.append(f"{address} = {t.id}")
        return
    raise DeployError(
        f"{len(orphans)} resources of stack {plan.spec.stack} (found by its tag, and routes in "
        "its route tables) exist on the target but are not in the state (an earlier run was "
        "interrupted or killed, or the state was restored from an older copy):",
        detail=listing
        + f"\nfix: `{rerun} --adopt` to import them into the state, or `{rerun} --sweep` to "
        "delete them first; vpcwire will not apply next to them (it would build duplicates)",
    )


def _declared(files: Any) -> set[str]:
    out: set[str] = set()
    for name, text in files.files.items():
        if name.endswith(".tf"):
            out.update(
                f"{t}.{n}" for t, n in re.findall(r'^resource "([^"]+)" "([^"]+)"', text, re.M)
            )
    return out


def _with_orphans(
    error: DeployError, plan: Plan, places: list[Place], workdir: Path, rerun: str
) -> DeployError:
    """After a failed, interrupted or killed apply: say what exists outside the state."""
    try:
        orphans = _orphans(plan, places, workdir)
    except DeployError:
        return error
    if not orphans:
        return error
    abandoned, others = split_abandoned(orphans, workdir)
    notes = []
    if abandoned:
        notes.append(
            f"{len(abandoned)} resources terraform was creating when it stopped exist on the "
            "target but not in the state:\n"
            + "\n".join(f"  {t}" for t in abandoned)
            + f"\nthe next `{rerun}` deletes them and creates them again (`vpcwire down` "
            "deletes them)"
        )
    if others:
        notes.append(
            f"{len(others)} resources exist on the target that the state does not list:\n"
            + "\n".join(f"  {t}" for t in others)
            + f"\nfix: `{rerun} --adopt` (import them) or `{rerun} --sweep` (delete them first)"
        )
    return DeployError(
        str(error).split("\n", 1)[0],
        detail="\n".join([error.detail, *notes]),
        resource=error.resource,
    )


def destroy(
    plan: Plan,
    *,
    target: Target = "sandbox",
    workdir: Path,
    source: str = "",
    progress: ProgressFn | None = None,
    announce: Callable[[str], None] | None = None,
) -> DestroyResult:
    """Destroy what the state holds, then prove by a read by tag that nothing is left.

    Resources found by tag after terraform's destroy (created by a run that never recorded
    them) are removed with the AWS API; what cannot be removed is listed (DeployError, exit
    3). The state is never deleted: a timestamped copy is kept first.
    """
    say = announce or (lambda _: None)
    stack = plan.spec.stack
    wait_for_earlier_run(workdir, progress or (lambda _: None))
    held = len(state_resources(workdir))  # a damaged state stops everything here
    connected = _connect(plan, target, workdir, start=False, announce=announce)
    if connected is None:
        # the sandbox keeps everything in its memory: none runs, so nothing of it exists
        copy = archive_state(workdir, "sandbox-stopped") if held else None
        return DestroyResult(
            held,
            state_copy=copy,
            note="no sandbox is running in this VPCWIRE_HOME: the stack's resources ended with "
            "the sandbox that held them",
        )
    result = DestroyResult(held, state_copy=keep_copy(workdir, "down"))
    if connected.verdict == "restarted" and held:
        say(restarted_message(stack, connected.record.sandbox_started_at))
        archive_state(workdir, "sandbox-restarted")
    elif held:
        has_config = any(
            GENERATED_MARK.encode() in p.read_bytes()[:2000] for p in workdir.glob("*.tf")
        )
        if not has_config:
            write(render(plan, target=target, source=source), workdir)
        tf = Terraform(workdir, connected.env, progress=progress)
        tf.init()
        try:
            tf.destroy()
        finally:
            keep_readable_copy(workdir, "destroyed")
        result.destroyed = held
    places = places_for(
        plan, target=target, endpoint_url=connected.endpoint_url, also=connected.record.places
    )
    left = read_tagged(places, stack)
    if left:
        say(f"{len(left)} resources of stack {stack} remain (not in the state): removing them")
        failures = sweep_resources(left, places, announce=lambda m: say(f"  {m}"))
        result.swept = [str(t) for t in left]
        still = read_tagged(places, stack)
        if still:
            reasons = {f.resource.id: f.reason for f in failures}
            raise DeployError(
                f"{len(still)} resources of stack {stack} are still there after `down`:",
                detail="\n".join(
                    f"  {t}" + (f": {reasons[t.id]}" if t.id in reasons else "") for t in still
                )
                + "\nfix: remove them (AWS console or CLI, by these ids) and rerun `vpcwire down`",
            )
    return result


def target_env(
    target: Target, *, announce: Callable[[str], None] | None = None
) -> tuple[dict[str, str], str | None]:
    """Environment for terraform (and boto3) for this target, and the sandbox URL if any.

    The sandbox target uses the background sandbox, starting one if none runs, so that the
    resources outlive this command and ``verify --live`` / ``down`` find them.
    """
    if target == "aws":
        return {}, None
    from vpcwire.sandbox.background import find_running, start_background
    from vpcwire.sandbox.clients import sandbox_env

    info = find_running()
    if info is None:
        info = start_background()
        if announce:
            announce(
                f"started the AWS sandbox at {info.endpoint_url} (stop it with `vpcwire sandbox stop`)"
            )
    return sandbox_env(info.endpoint_url), info.endpoint_url


def _remove_sandbox_override(workdir: Path) -> None:
    override = workdir / SANDBOX_FILE
    if override.exists():
        override.unlink()


def _lost_to_restart(directory: Path, info: Any) -> str | None:
    """The stack in ``directory`` was applied to an earlier run of this sandbox: its
    resources went with that run. None if not (or nothing is known)."""
    from vpcwire.sandbox.background import resolve_state_dir

    recorded = read_record(directory)
    if recorded is None or recorded.kind != "sandbox":
        return None
    home = str(resolve_state_dir().resolve())
    if (
        recorded.sandbox_home != home
        or recorded.sandbox_instance == f"{info.pid}@{info.started_at}"
    ):
        return None
    try:
        held = state_resources(directory)
    except DeployError:
        held = ["(unreadable state)"]
    return restarted_message(recorded.stack, info.started_at) if held else None


def _refuse_restarted(plan: Plan, info: Any) -> None:
    """A stack applied to an earlier run of this sandbox is gone: say so, not "unknown"."""
    message = _lost_to_restart(workdir_for(plan.spec.stack, "sandbox"), info)
    if message:
        raise DeployError(message)


def stale_sandbox_stacks(info: Any, root: Path = Path(".vpcwire")) -> list[str]:
    """For commands without a spec (`check --sandbox`): every stack applied from this
    directory to an earlier run of the running sandbox, as the message to show."""
    if not root.is_dir():
        return []
    return [m for d in sorted(root.glob("*/sandbox")) if (m := _lost_to_restart(d, info))]


def read_stack(plan: Plan, *, target: Target, endpoint_url: str | None = None) -> Any:
    """Read the live network of a deployed stack (a ``vpcwire.read.ReadResult``).

    Every region and account of the plan is read; other accounts through their role (on
    the sandbox every account is reached by assuming a role in it, which is how the
    sandbox tells accounts apart). Only the stack's VPCs and their peers are read.
    """
    from vpcwire.read import read_network

    regions = sorted({v.region for v in plan.network.vpcs.values()})
    return read_network(
        regions,
        vpc_filter={"vpcwire:stack": plan.spec.stack},
        vpc_ids=sorted(v.existing for v in plan.vpcs.values() if v.existing),
        **read_access(plan.spec, target, endpoint_url, plan),
    )


def read_access(
    spec: Any, target: Target, endpoint_url: str | None, plan: Plan | None = None
) -> dict[str, Any]:
    """How to reach every account of the spec on the target: read_network's options."""
    accounts = spec.accounts.values()
    session = None
    if target == "sandbox":
        from vpcwire.sandbox.background import find_running
        from vpcwire.sandbox.clients import boto3_session

        if endpoint_url is None:
            info = find_running()
            if info is None:
                raise DeployError(
                    "no sandbox is running: `vpcwire up` (or `vpcwire sandbox start`) first"
                )
            endpoint_url = info.endpoint_url
            if plan is not None:
                _refuse_restarted(plan, info)
        session = boto3_session(endpoint_url).session
        roles = [a.role_arn or f"arn:aws:iam::{a.id}:role/vpcwire-sandbox" for a in accounts]
        include_caller = False
        profiles: list[str] = []
    else:
        roles = [a.role_arn for a in accounts if a.role_arn]
        # an account reached by a named profile (SSO, keys) is read with that profile too
        profiles = [a.profile for a in accounts if a.profile and not a.role_arn]
        include_caller = True
    return {
        "endpoint_url": endpoint_url,
        "role_arns": roles,
        "include_caller": include_caller,
        "session": session,
        "profiles": profiles,
    }
