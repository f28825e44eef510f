"""The scan entry point: a directory (or a plan's JSON) in, a Network and notes out."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from pathlib import Path

from vpcwire.errors import UsageError
from vpcwire.scan.build import build_network
from vpcwire.scan.collector import collector_paused
from vpcwire.scan.config import load_configuration
from vpcwire.scan.result import ScanResult

__all__ = ["scan"]


def scan(
    path: Path,
    *,
    var_files: Sequence[Path] = (),
    variables: Mapping[str, str] | None = None,
) -> ScanResult:
    """Scan a Terraform root module directory, or a ``terraform show -json`` plan file.

    The cyclic garbage collector is paused meanwhile (see ``collector.py``: it would spend
    two thirds of a large scan re-walking the parse trees)."""
    with collector_paused():
        return _scan(path, var_files, variables)


def _scan(path: Path, var_files: Sequence[Path], variables: Mapping[str, str] | None) -> ScanResult:
    if path.is_file() and path.suffix == ".json":
        from vpcwire.scan.plan_json import load_plan_json

        result: ScanResult = load_plan_json(path)
        return result
    if not path.is_dir():
        raise UsageError(f"{path}: no such directory (give a Terraform root module or a plan JSON)")
    if not any(path.glob("*.tf")):
        raise UsageError(
            f"{path} is not a Terraform directory: it has no *.tf files "
            "(give the root module's directory, or `terraform show -json PLANFILE` output)"
        )
    config = load_configuration(path, list(var_files), variables)
    network = build_network(config)
    config.check()  # what Terraform itself refuses (count = -3...), all of it, exit 2
    return ScanResult(network, tuple(config.unresolved), path)
