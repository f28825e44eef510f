"""Which target a working directory was applied to, so no command acts on another.

`vpcwire up` writes ``vpcwire-target.json`` next to the state: for the sandbox, which
sandbox instance (its VPCWIRE_HOME, process id and start time); for AWS, the accounts and
regions. A later command compares the target it is pointed at with the record:

* another sandbox home (e.g. a different VPCWIRE_HOME) or other accounts: refused, both
  named — acting on it would report success about resources that are somewhere else;
* the same home but another sandbox instance (the sandbox was restarted): the resources
  lived in the old sandbox's memory and are gone; commands say so.
"""

from __future__ import annotations

import json
import os
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any, Literal

from vpcwire.errors import UsageError

__all__ = [
    "RECORD_NAME",
    "TargetRecord",
    "WrongTarget",
    "compare",
    "read_record",
    "write_record",
]

RECORD_NAME = "vpcwire-target.json"


class WrongTarget(UsageError):
    """The command points at another target than the one the working directory holds."""


@dataclass(frozen=True, slots=True)
class TargetRecord:
    kind: Literal["sandbox", "aws"]
    stack: str
    sandbox_home: str = ""  # the VPCWIRE_HOME (state directory) of the sandbox
    sandbox_instance: str = ""  # "<pid>@<started_at>": one run of the sandbox
    sandbox_started_at: str = ""
    endpoint_url: str = ""
    accounts: tuple[str, ...] = ()
    regions: tuple[str, ...] = ()
    aws_names: tuple[str, ...] = ()  # NLB and target group names (unique per account+region)
    places: tuple[str, ...] = ()  # "<account>/<region>" where the stack has lived

    def describe(self) -> str:
        if self.kind == "sandbox" and not self.sandbox_instance:
            return f"the sandbox of VPCWIRE_HOME={self.sandbox_home} (none running)"
        if self.kind == "sandbox":
            return (
                f"the sandbox of VPCWIRE_HOME={self.sandbox_home} "
                f"(started {self.sandbox_started_at}, {self.endpoint_url})"
            )
        return f"AWS account(s) {', '.join(self.accounts)} in {', '.join(self.regions)}"

    @classmethod
    def for_sandbox(
        cls,
        stack: str,
        home: Path,
        info: Any,
        aws_names: tuple[str, ...] = (),
        places: tuple[str, ...] = (),
    ) -> TargetRecord:
        return cls(
            "sandbox",
            stack,
            sandbox_home=str(Path(home).resolve()),
            sandbox_instance=f"{info.pid}@{info.started_at}",
            sandbox_started_at=info.started_at,
            endpoint_url=info.endpoint_url,
            aws_names=aws_names,
            places=places,
        )


def write_record(workdir: Path, record: TargetRecord) -> None:
    workdir.mkdir(parents=True, exist_ok=True)
    temporary = workdir / f".{RECORD_NAME}.tmp"
    temporary.write_text(json.dumps(asdict(record), indent=2) + "\n", encoding="utf-8")
    os.replace(temporary, workdir / RECORD_NAME)


def read_record(workdir: Path) -> TargetRecord | None:
    """The record, or None when there is none (or it is unreadable: then nothing is known)."""
    try:
        data = json.loads((workdir / RECORD_NAME).read_text(encoding="utf-8"))
        fields: dict[str, Any] = {
            k: tuple(v) if isinstance(v, list) else v
            for k, v in data.items()
            if k in TargetRecord.__dataclass_fields__
        }
        return TargetRecord(**fields)
    except (OSError, ValueError, TypeError):
        return None


def compare(
    workdir: Path, recorded: TargetRecord | None, current: TargetRecord
) -> Literal["same", "new", "restarted"]:
    """How the target a command points at relates to the recorded one (WrongTarget if other).

    "new": nothing recorded; "restarted": the same sandbox home, another sandbox run.
    """
    if recorded is None:
        return "new"
    if recorded.kind != current.kind:
        raise _wrong(workdir, recorded, current)
    if current.kind == "sandbox":
        if recorded.sandbox_home != current.sandbox_home:
            raise _wrong(workdir, recorded, current)
        return "same" if recorded.sandbox_instance == current.sandbox_instance else "restarted"
    if set(recorded.accounts) != set(current.accounts):
        raise _wrong(workdir, recorded, current)
    return "same"


def _wrong(workdir: Path, recorded: TargetRecord, current: TargetRecord) -> WrongTarget:
    fix = (
        f"set VPCWIRE_HOME={recorded.sandbox_home} to act on the stack where it was applied"
        if recorded.kind == "sandbox" and current.kind == "sandbox"
        else "point the command at the target the stack was applied to"
    )
    return WrongTarget(
        f"{workdir} holds stack {recorded.stack} applied to {recorded.describe()}, but this "
        f"command points at {current.describe()}: refusing to act on the wrong target\n"
        f"  fix: {fix}, or use another --workdir for a separate copy of the stack"
    )
