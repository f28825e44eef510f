"""A saved plan's JSON (``terraform show -json PLANFILE``) in place of a directory.

Terraform's JSON keeps no source positions and flattens references, so the configuration
itself is still read from the root module next to the JSON (where ``terraform show`` ran);
the plan supplies what only terraform knew: the variables it was given, data sources it
read (``aws_caller_identity``, ``aws_availability_zones``), counts and for_each keys that
depend on them, and every attribute value known at plan time. Values the plan leaves
unknown (ids) stay symbolic exactly as in a directory scan.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from vpcwire.errors import UsageError
from vpcwire.scan.build import build_network
from vpcwire.scan.config import load_configuration

__all__ = ["load_plan_json", "planned_values"]


def _modules(module: dict[str, Any]) -> Iterator[dict[str, Any]]:
    yield module
    for child in module.get("child_modules", []) or []:
        yield from _modules(child)


def planned_values(plan: dict[str, Any]) -> dict[str, dict[str, Any]]:
    """Terraform address -> known attribute values (resources planned, data sources read)."""
    out: dict[str, dict[str, Any]] = {}
    roots = [
        plan.get("prior_state", {}).get("values", {}).get("root_module", {}),
        plan.get("planned_values", {}).get("root_module", {}),
    ]
    for root in roots:
        for module in _modules(root or {}):
            for res in module.get("resources", []) or []:
                values = {k: v for k, v in (res.get("values") or {}).items() if v is not None}
                out.setdefault(res["address"], {}).update(values)
    return out


def load_plan_json(path: Path) -> Any:
    from vpcwire.scan.scanner import ScanResult

    try:
        plan = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, json.JSONDecodeError) as exc:
        raise UsageError(f"{path}: not a plan JSON ({exc})") from None
    if not isinstance(plan, dict) or "planned_values" not in plan:
        raise UsageError(
            f"{path}: not the JSON of a saved plan (expected `terraform show -json PLANFILE` output)"
        )
    root = path.parent
    if not any(root.glob("*.tf")):
        raise UsageError(
            f"{path}: put the plan JSON in the root module's directory (where `terraform show` "
            "ran): vpcwire reads file and line of every resource from the configuration there"
        )
    variables = {k: v.get("value") for k, v in (plan.get("variables") or {}).items()}
    config = load_configuration(root, typed=variables, planned=planned_values(plan))
    network = build_network(config)
    config.check()
    return ScanResult(network, tuple(config.unresolved), root)
