"""What a scan could not know, attached to the resources it leaves partly unknown.

The builder (``build.py``) meets an unknown value in an argument that a resource still
exists without (an AZ, an account, one route of a table, one rule of a group): it keeps the
resource, puts a stand-in in the field, and marks the field here. Each mark is an
:class:`~vpcwire.network.model.UnknownValue` that names the expression as written (its
source line), where it is, why it is unknown and how to make it known, so that a rule or an
intent that would rest on it becomes a located ``VW-W701`` instead of an error.
"""

from __future__ import annotations

import linecache
from collections.abc import Iterator
from dataclasses import replace
from pathlib import Path
from typing import TYPE_CHECKING, Any

from vpcwire.errors import Location
from vpcwire.network import NetworkBuilder
from vpcwire.network.model import Origin, UnknownValue
from vpcwire.network.network import KINDS

if TYPE_CHECKING:
    from vpcwire.scan.config import Configuration, ResourceBlock, ResourceInstance

__all__ = ["Marks", "note_fix", "resolve_hint", "source_text", "unexpanded", "why_of"]

_MAX_SHOWN = 120


def source_text(file: Path | str | None, line: int | None) -> str:
    """The line an expression is written on, trimmed, as the user would find it."""
    if file is None or line is None:
        return ""
    text = " ".join(linecache.getline(str(file), line).split())  # aligned `=` collapsed
    return text if len(text) <= _MAX_SHOWN else text[: _MAX_SHOWN - 1] + "…"


def resolve_hint(why: str) -> str:
    """How to make a value known, from why it is not."""
    if "has no value" in why:
        name = why.split("variable ", 1)[-1].split(" ", 1)[0]
        return f"pass --var {name}=VALUE or --var-file FILE"
    if "module" in why and ("not loaded" in why or "terraform init" in why):
        return "run `terraform init` so that the module is in .terraform/modules"
    if "account" in why:
        return (
            'say the provider\'s account: allowed_account_ids = ["<12 digits>"], '
            "assume_role { role_arn = ... }, or a profile with role_arn/sso_account_id"
        )
    return (
        "scan a saved plan's JSON (terraform plan -out=PLAN && terraform show -json PLAN "
        "> plan.json), where terraform resolved it"
    )


def note_fix(address: str, what: str) -> str:
    """The fix of a scan note (VW-W701): the variable to pass, the init to run, or the
    plan's JSON to scan."""
    if what == "variable has no value":
        name = address.rpartition("var.")[2]
        return f"pass --var {name}=VALUE (or --var-file FILE, or a default in the variable block)"
    if "not modelled by scan" in what or "is not modelled" in what:
        return "nothing to pass: scan does not model this yet, so no verdict covers it"
    return resolve_hint(what)


class Marks:
    """Unknown fields collected per resource id while the builder runs, attached at the end
    (resources are frozen and are replaced as the builder refines them)."""

    def __init__(self) -> None:
        self._marks: dict[str, dict[tuple[str, str], UnknownValue]] = {}

    def mark(
        self,
        resource_id: str,
        field: str,
        inst: ResourceInstance,
        argument: str,
        why: str,
        *,
        line: int | None = None,
        resolve: str | None = None,
        at: Location | None = None,
    ) -> None:
        """``at``: where the expression is written when not in the resource's own block
        (a provider block's missing account)."""
        file = at.file if at is not None else inst.block.file
        where = (
            at.line
            if at is not None
            else line or inst.block.attribute_lines.get(argument) or inst.block.line
        )
        shown = source_text(file, where) or argument
        value = UnknownValue(
            field,
            shown,
            why,
            Origin(str(file) if file else None, where, inst.address),
            resolve or resolve_hint(why),
        )
        self._marks.setdefault(resource_id, {}).setdefault((field, shown), value)

    def of(self, resource_id: str) -> tuple[UnknownValue, ...]:
        return tuple(self._marks.get(resource_id, {}).values())

    def attach(self, builder: NetworkBuilder) -> None:
        for _, attr in KINDS.values():
            kind = next(k for k, (_, a) in KINDS.items() if a == attr)
            for resource in builder.all(kind):
                marks = self._marks.get(resource.id)
                if marks:
                    known = tuple(resource.unknowns)
                    builder.put(replace(resource, unknowns=known + tuple(marks.values())))


def why_of(value: Any, default: str = "not known before apply") -> str:
    return str(getattr(value, "why", default))


def unexpanded(config: Configuration, rtype: str) -> Iterator[ResourceBlock]:
    """Resource blocks of a type whose count/for_each is unknown: how many instances they
    make (target attachments, routes) nobody can tell before apply."""
    from vpcwire.scan.expr import Unknown

    def walk(module: Any) -> Iterator[ResourceBlock]:
        for rb in module.resources.get(rtype, {}).values():
            if not rb.instances() and isinstance(rb.value(), Unknown):
                yield rb
        for call in module.calls.values():
            for child in call.instances():
                yield from walk(child)

    yield from walk(config.module)
