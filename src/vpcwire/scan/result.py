"""What a scan gives: the Network a configuration would create, and what it left unresolved.

A module of its own because both ways of scanning make one: the configuration's HCL
(``scanner``) and a plan's JSON (``plan_json``), which ``scanner`` hands plan files to.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from vpcwire.network import Network
from vpcwire.scan.config import Unresolved

__all__ = ["ScanResult"]


@dataclass(frozen=True, slots=True)
class ScanResult:
    network: Network
    unresolved: tuple[Unresolved, ...]
    root: Path
