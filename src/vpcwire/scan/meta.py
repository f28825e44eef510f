"""Terraform's meta-arguments checked as Terraform checks them, and where a module may come
from: the judgements ``config.py`` needs before it expands a block into instances.

Each check answers with a message (empty when the value is acceptable) instead of raising,
so that the caller reports every refusal of a configuration at once, located at the
attribute, as ``terraform validate``/``plan`` would.
"""

from __future__ import annotations

import json
import re
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import Any

from vpcwire.errors import Location, SpecError, SpecProblem
from vpcwire.scan.expr import EvalError, Unknown, to_string
from vpcwire.scan.limits import MAX_INSTANCES

__all__ = ["count_value", "for_each_pairs", "instances_problem", "module_tree", "read_manifest"]

# Terraform converts a string to a number when the string is one ("3", "2.0", "1e2").
_NUMBER = re.compile(r"-?[0-9]+(\.[0-9]+)?([eE][-+]?[0-9]+)?")


def kind_of(value: Any) -> str:
    """A value's type in Terraform's words, for messages."""
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "bool"
    if isinstance(value, (int, float)):
        return "number"
    if isinstance(value, str):
        return "string"
    if isinstance(value, list):
        return "list"
    if isinstance(value, dict):
        return "map"
    return "object"


def count_value(value: Any) -> tuple[int, str]:
    """``count`` as Terraform takes it: a whole number, 0 or more (a string that is one is
    converted). Returns the number, or 0 and why Terraform refuses the value."""
    if value is None:
        return 0, "count is null: Terraform needs a whole number (0 or more)"
    if isinstance(value, str) and _NUMBER.fullmatch(value):
        number: Any = Decimal(value)
    elif isinstance(value, (int, float)) and not isinstance(value, bool):
        try:
            number = Decimal(value)
        except (InvalidOperation, ValueError):  # pragma: no cover - Decimal takes any float
            number = None
    else:
        return 0, f"count must be a number, not a {kind_of(value)}"
    if number is None or not number.is_finite() or number != number.to_integral_value():
        return 0, "count must be a whole number"
    if number < 0:
        return 0, "count must be 0 or more"
    return int(number), ""


def for_each_pairs(value: Any) -> tuple[list[tuple[Any, Any]], str] | Unknown:
    """``for_each`` as Terraform takes it: a map, or a set of strings. Returns the (key,
    value) pairs, or no pairs and why Terraform refuses the value, or an Unknown when a set
    element is not known (Terraform cannot tell the instances before apply either).

    vpcwire holds Terraform's sets as lists (``toset`` gives a list), so a list of strings
    is accepted as the set it most likely is; a tuple literal Terraform would refuse."""
    if isinstance(value, dict):
        return list(value.items()), ""
    if not isinstance(value, list):
        if value is None:
            return [], "for_each is null: Terraform needs a map, or a set of strings"
        return [], f"for_each must be a map, or a set of strings, not a {kind_of(value)}"
    for item in value:
        if isinstance(item, Unknown):
            return Unknown(f"a for_each element is not known: {item.why}")
    kinds = {kind_of(item) for item in value}
    if "null" in kinds:
        return [], "a for_each set must not contain null"
    if kinds - {"string", "number", "bool"}:
        odd = sorted(kinds - {"string", "number", "bool"})[0]
        return [], f"for_each must be a map, or a set of strings; this set holds a {odd}"
    if value and "string" not in kinds:
        return [], (
            f"for_each must be a map, or a set of strings; this is a set of {sorted(kinds)[0]}s "
            "(convert them: toset([for x in ... : tostring(x)]))"
        )
    keys: dict[str, None] = {}
    for item in value:
        try:
            keys[to_string(item)] = None
        except EvalError:  # pragma: no cover - only lists/maps fail, refused above
            return [], "for_each must be a map, or a set of strings"
    return [(k, k) for k in keys], ""


def instances_problem(n: int, modelled: int) -> str:
    return (
        f"{n:,} more instances would take this scan past the {MAX_INSTANCES:,} resource, "
        f"data and module instances it models in total ({modelled:,} so far)"
    )


def module_tree(root: Path) -> Path:
    """The tree local module sources may read from: the repository holding the root module
    (the nearest directory up with ``.git``) -- ``source = "../../modules/vpc"`` is how
    repositories share modules -- or, outside a repository, the root module's directory."""
    resolved = root.resolve()
    for directory in (resolved, *resolved.parents):
        if (directory / ".git").exists():
            return directory
    return resolved


def read_manifest(path: Path) -> dict[str, str]:
    """``terraform init``'s module manifest: module key -> directory (relative to the root).
    Entries of another shape are skipped; a manifest that is not JSON is refused, located."""
    if not path.is_file():
        return {}
    try:
        data = json.loads(path.read_bytes())
    except (OSError, ValueError, RecursionError) as exc:
        problem = SpecProblem(
            Location(path),
            "Modules",
            f"terraform init's module manifest cannot be read: {exc}",
            hint="run `terraform init` again (it rewrites the manifest)",
            kind="terraform",
        )
        raise SpecError([problem]) from None
    modules = data.get("Modules") if isinstance(data, dict) else None
    out: dict[str, str] = {}
    for entry in modules if isinstance(modules, list) else []:
        if isinstance(entry, dict):
            key, directory = entry.get("Key"), entry.get("Dir")
            if isinstance(key, str) and isinstance(directory, str):
                out[key] = directory
    return out
