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

from vpcwire.errors import Location, SpecError, SpecProblem, UsageError
from vpcwire.scan.build import build_network
from vpcwire.scan.config import load_configuration
from vpcwire.scan.limits import MAX_JSON_DEPTH

__all__ = ["load_plan_json", "planned_values", "read_plan"]


def _field(value: Any, *path: str) -> dict[str, Any]:
    """``value[path[0]][path[1]]...`` where every step is an object, else ``{}``: a JSON
    file of another shape reads as a plan with nothing in it, never as a crash."""
    for name in path:
        value = value.get(name) if isinstance(value, dict) else None
    return value if isinstance(value, dict) else {}


def _items(value: Any) -> list[dict[str, Any]]:
    return [v for v in value if isinstance(v, dict)] if isinstance(value, list) else []


def _modules(module: dict[str, Any]) -> Iterator[dict[str, Any]]:
    # a stack, not recursion: the nesting was bounded (_depth), but walk it without frames
    stack = [module]
    while stack:
        current = stack.pop()
        yield current
        stack.extend(reversed(_items(current.get("child_modules"))))


def planned_values(plan: dict[str, Any]) -> dict[str, dict[str, Any]]:
    """Terraform address -> known attribute values (resources planned, data sources read)."""
    out: dict[str, dict[str, Any]] = {}
    roots = [
        _field(plan, "prior_state", "values", "root_module"),
        _field(plan, "planned_values", "root_module"),
    ]
    for root in roots:
        for module in _modules(root):
            for res in _items(module.get("resources")):
                address = res.get("address")
                if not isinstance(address, str):
                    continue
                values = {k: v for k, v in _field(res, "values").items() if v is not None}
                out.setdefault(address, {}).update(values)
    return out


def _depth(value: Any) -> int:
    """How deeply a parsed JSON value nests (objects and arrays), without recursion."""
    deepest, stack = 0, [(value, 1)]
    while stack:
        item, depth = stack.pop()
        if isinstance(item, (dict, list)):
            deepest = max(deepest, depth)
            if depth <= MAX_JSON_DEPTH:
                children = item.values() if isinstance(item, dict) else item
                stack.extend((child, depth + 1) for child in children)
    return deepest


def _too_deep_at(data: bytes) -> tuple[int, int]:
    """Line and column where the nesting first passes MAX_JSON_DEPTH (strings skipped)."""
    depth, line, column, in_string, escaped = 0, 1, 0, False, False
    for byte in data:
        column += 1
        if in_string:
            if escaped:
                escaped = False
            elif byte == 0x5C:  # backslash
                escaped = True
            elif byte == 0x22:  # quote
                in_string = False
        elif byte == 0x22:
            in_string = True
        elif byte in b"[{":
            depth += 1
            if depth > MAX_JSON_DEPTH:
                return line, column
        elif byte in b"]}":
            depth -= 1
        if byte == 0x0A:
            line, column = line + 1, 0
    return line, 1


def _refused(path: Path, line: int | None, column: int | None, message: str) -> SpecError:
    return SpecError(
        [
            SpecProblem(
                Location(path, line, column),
                "",
                message,
                hint="give `terraform show -json PLANFILE` output, unedited",
                kind="terraform",
            )
        ]
    )


def read_plan(path: Path) -> dict[str, Any]:
    """A plan's JSON, refused with a located error where it is not one: bytes that are not
    UTF-8 (JSON must be), text that is not JSON, nesting deeper than any plan's
    (MAX_JSON_DEPTH: deeper would exhaust the recursion of everything that walks it)."""
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise UsageError(f"{path}: cannot read the plan JSON ({exc.strerror or exc})") from None
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = data.count(b"\n", 0, exc.start) + 1
        column = exc.start - (data.rfind(b"\n", 0, exc.start) + 1) + 1
        raise _refused(path, line, column, "not UTF-8 (a plan's JSON always is)") from None
    try:
        plan = json.loads(text)
    except json.JSONDecodeError as exc:
        raise _refused(path, exc.lineno, exc.colno, f"not JSON: {exc.msg}") from None
    except RecursionError:
        plan = None
    if plan is None or _depth(plan) > MAX_JSON_DEPTH:
        line, column = _too_deep_at(data)
        raise _refused(
            path, line, column, f"nested more than {MAX_JSON_DEPTH} levels deep: not a plan"
        )
    if not isinstance(plan, dict) or "planned_values" not in plan:
        raise UsageError(
            f"{path}: not the JSON of a saved plan (expected `terraform show -json PLANFILE` output)"
        )
    return plan


def load_plan_json(path: Path) -> Any:
    from vpcwire.scan.result import ScanResult

    plan = read_plan(path)
    root = path.parent
    if not any(root.glob("*.tf")):
        raise UsageError(
            f"{path}: put the plan JSON in the root module's directory (where `terraform show` "
            "ran): vpcwire reads file and line of every resource from the configuration there"
        )
    variables = {
        k: v.get("value") for k, v in _field(plan, "variables").items() if isinstance(v, dict)
    }
    config = load_configuration(root, typed=variables, planned=planned_values(plan))
    network = build_network(config)
    config.check()
    return ScanResult(network, tuple(config.unresolved), root)
