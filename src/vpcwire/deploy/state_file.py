"""The Terraform state file of a stack: read strictly, copied before risky commands.

A state file that cannot be parsed is never treated as "no state": terraform itself reads an
empty file as an empty state, and that is how `down` once said "nothing to destroy" with the
whole stack running. Every reader goes through :func:`read_state`, which refuses a damaged
file with a message naming the backup (``terraform.tfstate.backup``), the timestamped copies
vpcwire keeps, and how to restore one.
"""

from __future__ import annotations

import json
import shutil
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from vpcwire.deploy.private_files import PRIVATE_DIR, private_copy
from vpcwire.errors import DeployError

__all__ = [
    "BACKUP_NAME",
    "HISTORY_DIR",
    "STATE_NAME",
    "StateUnreadable",
    "archive_state",
    "keep_copy",
    "keep_readable_copy",
    "read_state",
    "state_ids",
    "state_resources",
]

STATE_NAME = "terraform.tfstate"
BACKUP_NAME = "terraform.tfstate.backup"
HISTORY_DIR = "state-history"  # timestamped copies, newest last
HISTORY_KEEP = 20


class StateUnreadable(DeployError):
    """The state file exists but is not a Terraform state; nothing may proceed on it."""


def _problem(path: Path) -> tuple[str, dict[str, Any] | None]:
    """Why ``path`` is not a usable state ("" if it is), and the parsed state."""
    try:
        raw = path.read_bytes()
    except OSError as error:
        return f"cannot be read ({error.strerror})", None
    if not raw.strip():
        return "is empty", None
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as error:
        return f"is not UTF-8 text (byte {error.start} is 0x{raw[error.start]:02x})", None
    try:
        data = json.loads(text)
    except json.JSONDecodeError as error:
        return (
            f"is not complete JSON (line {error.lineno}, column {error.colno}: {error.msg})",
            None,
        )
    if not isinstance(data, dict):
        return f"holds {type(data).__name__ if data is not None else 'null'}, not a state", None
    if not isinstance(data.get("version"), int) or not isinstance(data.get("resources", []), list):
        return "lacks the fields of a Terraform state (version, resources)", None
    return "", data


def read_state(workdir: Path) -> dict[str, Any]:
    """The state in ``workdir`` ({} when there is none yet); StateUnreadable when damaged."""
    path = workdir / STATE_NAME
    if not path.exists():
        return {}
    problem, data = _problem(path)
    if data is not None:
        return data
    raise StateUnreadable(
        f"{path}: the Terraform state {problem}; vpcwire will not plan, apply or destroy on it",
        detail=_restore_advice(workdir),
    )


def _restore_advice(workdir: Path) -> str:
    state = workdir / STATE_NAME
    backup = workdir / BACKUP_NAME
    candidates = [backup, *_history(workdir)]
    usable = [(p, d) for p in candidates if p.exists() for problem, d in [_problem(p)] if d]
    usable.sort(key=lambda item: item[0].stat().st_mtime, reverse=True)  # newest first
    lines = []
    if not any(p == backup for p, _ in usable):
        why = "does not exist" if not backup.exists() else "cannot be read either"
        lines.append(f"terraform's backup {backup} {why}")
    if usable:
        lines.append("earlier states you can restore, newest first:")
        for path, data in usable[:4]:
            count = len(_resources(data))
            when = datetime.fromtimestamp(path.stat().st_mtime, UTC).isoformat(timespec="seconds")
            lines.append(f"  {path} ({count} resources, written {when})")
        lines.append(
            f"fix: restore one with `cp {usable[0][0]} {state}` and rerun the command; "
            "`vpcwire up` then finds by their stack tag any resources the restored state "
            "does not list, and offers to adopt (--adopt) or remove (--sweep) them"
        )
    else:
        lines.append(
            f"no readable backup ({backup}) or copy in {workdir / HISTORY_DIR}\n"
            f"fix: move {state} aside and run `vpcwire up --adopt`: it finds the stack's "
            "resources by their tag and imports them into a new state"
        )
    return "\n".join(lines)


def keep_readable_copy(workdir: Path, reason: str) -> Path | None:
    """:func:`keep_copy`, only when the state is readable (e.g. after an apply, whatever
    its outcome: the newest good copy is then never older than the last run)."""
    path = workdir / STATE_NAME
    if not path.exists() or _problem(path)[1] is None:
        return None
    return keep_copy(workdir, reason)


def _resources(state: dict[str, Any]) -> list[str]:
    out = []
    for res in state.get("resources", []):
        if not isinstance(res, dict) or res.get("mode") != "managed":
            continue
        for inst in res.get("instances", []):
            key = inst.get("index_key")
            suffix = "" if key is None else f"[{json.dumps(key)}]"
            out.append(f"{res.get('type')}.{res.get('name')}{suffix}")
    return out


def state_resources(workdir: Path) -> list[str]:
    """Managed resource addresses in a directory's local state (without running terraform)."""
    return _resources(read_state(workdir))


def state_ids(workdir: Path) -> dict[str, str]:
    """Every AWS id and ARN the state records -> the address that holds it."""
    out: dict[str, str] = {}
    for res in read_state(workdir).get("resources", []):
        if res.get("mode") != "managed":
            continue
        for inst in res.get("instances", []):
            attrs = inst.get("attributes") or {}
            address = f"{res.get('type')}.{res.get('name')}"
            for key in ("id", "arn"):
                value = attrs.get(key)
                if isinstance(value, str) and value:
                    out[value] = address
            # routes are known by table and destination (inventory.route_id)
            routes: list[dict[str, Any]]
            if res.get("type") == "aws_route":
                routes = [{**attrs, "id": attrs.get("route_table_id")}]
            else:
                inline = attrs.get("route")
                routes = (
                    [r for r in inline if isinstance(r, dict)] if isinstance(inline, list) else []
                )
            for route in routes:
                destination = (
                    route.get("destination_cidr_block")
                    or route.get("cidr_block")
                    or route.get("destination_ipv6_cidr_block")
                    or route.get("ipv6_cidr_block")
                    or route.get("destination_prefix_list_id")
                )
                table = route.get("id") if res.get("type") == "aws_route" else attrs.get("id")
                if table and destination:
                    out[f"{table}_{destination}"] = address
    return out


def _history(workdir: Path) -> list[Path]:
    folder = workdir / HISTORY_DIR
    return sorted(folder.glob(f"{STATE_NAME}.*")) if folder.is_dir() else []


def keep_copy(workdir: Path, reason: str) -> Path | None:
    """Copy the state to ``state-history/terraform.tfstate.<UTC time>.<reason>``.

    Kept before every `down` and `up` (and before a state is set aside), the last
    HISTORY_KEEP of them, so a state is never lost even if terraform's single backup is
    overwritten. Returns the copy (None when there is no state).
    """
    state = workdir / STATE_NAME
    if not state.exists():
        return None
    folder = workdir / HISTORY_DIR
    folder.mkdir(mode=PRIVATE_DIR, parents=True, exist_ok=True)
    stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%S.%fZ")
    copy = folder / f"{STATE_NAME}.{stamp}.{reason}"
    shutil.copy2(state, copy)
    private_copy(copy)
    for old in _history(workdir)[:-HISTORY_KEEP]:
        old.unlink(missing_ok=True)
    return copy


def archive_state(workdir: Path, reason: str) -> Path | None:
    """Set the state (and its backup) aside as a timestamped copy instead of deleting it.

    Only for a state confirmed to describe nothing that exists (e.g. the sandbox that held
    it was restarted, and a read of the new one by tag found nothing of the stack).
    """
    copy = keep_copy(workdir, reason)
    for name in (STATE_NAME, BACKUP_NAME):
        (workdir / name).unlink(missing_ok=True)
    return copy
