"""The registry: which namespaces and processes a sandbox's data plane holds.

Written *before* anything is created, so a run killed half-way (even with ``kill -9``)
leaves a record the next start, ``down`` or ``sandbox stop`` uses to remove it all. Every
name carries the sandbox id (``vw<id>-…``), derived from the sandbox's state directory, so
two sandboxes on one host never collide and a prefix alone finds every leftover.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import asdict, dataclass, field
from pathlib import Path

__all__ = ["REGISTRY_FILE", "Registry", "sandbox_id"]

REGISTRY_FILE = "dataplane.json"


def sandbox_id(state_dir: Path) -> str:
    """Six hex digits naming one sandbox (its state directory) on this host."""
    return hashlib.sha1(str(state_dir.resolve()).encode()).hexdigest()[:6]


@dataclass
class Registry:
    sid: str
    namespaces: list[str] = field(default_factory=list)
    pids: list[int] = field(default_factory=list)  # daemons and workloads we started
    # Name tag / id of an instance or ENI -> its namespace (for `sandbox exec`)
    names: dict[str, str] = field(default_factory=dict)
    workdir: str = ""
    # The instances' user data runs here (`up` started it): a rebuild starts it again.
    workload: bool = False

    @property
    def prefix(self) -> str:
        return f"vw{self.sid}-"

    @staticmethod
    def path(state_dir: Path) -> Path:
        return state_dir / REGISTRY_FILE

    def save(self, state_dir: Path) -> None:
        state_dir.mkdir(parents=True, exist_ok=True)
        tmp = self.path(state_dir).with_suffix(".tmp")
        tmp.write_text(json.dumps(asdict(self), indent=1))
        tmp.replace(self.path(state_dir))

    @classmethod
    def load(cls, state_dir: Path) -> Registry | None:
        try:
            data = json.loads(cls.path(state_dir).read_text())
            return cls(**data)
        except (OSError, ValueError, TypeError):
            return None
