"""What a rule is, what it finds, and how all rules are collected.

A rule is a small class in a file of its own under ``vpcwire/plan/rules/``. Its id says
its severity (``VW-E…`` error, ``VW-W…`` warning, ``VW-I…`` info) and its area (first
digit: 1 addressing, 2 peering, 3 PrivateLink, 4 security, 5 scale and quotas, 6 cross
region). Findings are values with a path into the spec, never exceptions: the CLI decides
what to do with them (errors block ``up`` and exit 2; warnings are printed).

Rules run at one of two stages. ``spec`` rules see only the validated spec and guard the
planner from designs AWS would refuse. ``plan`` rules also see the planned Network and the
mechanism decisions, for traps that only show once resources exist (an endpoint's AZs, the
width of a security group rule).
"""

from __future__ import annotations

import importlib
import pkgutil
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from enum import StrEnum
from functools import cache
from typing import TYPE_CHECKING, ClassVar, Literal

from vpcwire.errors import Location
from vpcwire.spec.load import spec_location
from vpcwire.spec.source import PathKey, format_path

if TYPE_CHECKING:
    from vpcwire.plan.plan import Plan
    from vpcwire.spec.models import Spec

__all__ = ["Finding", "Rule", "RuleContext", "Severity", "all_rules"]


class Severity(StrEnum):
    ERROR = "error"
    WARNING = "warning"
    INFO = "info"

    @classmethod
    def of(cls, rule_id: str) -> Severity:
        return {"E": cls.ERROR, "W": cls.WARNING, "I": cls.INFO}[rule_id[3]]


@dataclass(frozen=True, slots=True)
class Finding:
    rule: str
    severity: Severity
    message: str
    path: str
    location: Location
    fix: str
    url: str = ""

    def __str__(self) -> str:
        return (
            f"{self.location}: {self.severity} {self.rule}: {self.path}: {self.message}\n"
            f"    fix: {self.fix}"
        )

    def to_dict(self) -> dict[str, object]:
        return {
            "rule": self.rule,
            "severity": str(self.severity),
            "message": self.message,
            "path": self.path,
            "file": str(self.location.file) if self.location.file else None,
            "line": self.location.line,
            "column": self.location.column,
            "fix": self.fix,
            "url": self.url,
        }


@dataclass(frozen=True, slots=True)
class RuleContext:
    spec: Spec
    plan: Plan | None = None


class Rule:
    """Subclass, set the metadata, implement :meth:`check`."""

    id: ClassVar[str]
    title: ClassVar[str]  # one line, no trailing period
    description: ClassVar[str]  # why it matters
    url: ClassVar[str]  # the AWS page that says so
    fix: ClassVar[str]  # the general fix; findings may give a more specific one
    stage: ClassVar[Literal["spec", "plan"]] = "spec"

    @property
    def severity(self) -> Severity:
        return Severity.of(self.id)

    def check(self, ctx: RuleContext) -> Iterable[Finding]:
        raise NotImplementedError

    def finding(
        self,
        ctx: RuleContext,
        path: PathKey,
        message: str,
        fix: str | None = None,
        *,
        key: bool = False,
    ) -> Finding:
        return Finding(
            rule=self.id,
            severity=self.severity,
            message=message,
            path=format_path(path),
            location=spec_location(ctx.spec, path, key=key),
            fix=fix or self.fix,
            url=self.url,
        )


@cache
def all_rules() -> tuple[Rule, ...]:
    """One instance of every rule in this package, in id order."""
    # By name, not `import vpcwire.plan.rules as package`: the top-level package exports a
    # function called `plan`, which shadows the `vpcwire.plan` attribute that form walks.
    package = importlib.import_module(__name__.rpartition(".")[0])

    for info in pkgutil.iter_modules(package.__path__):
        if info.name != "base":
            importlib.import_module(f"{package.__name__}.{info.name}")
    rules = [cls() for cls in _subclasses(Rule) if getattr(cls, "id", None)]
    ids = [r.id for r in rules]
    duplicates = {i for i in ids if ids.count(i) > 1}
    if duplicates:
        raise RuntimeError(f"duplicate rule ids: {sorted(duplicates)}")
    return tuple(sorted(rules, key=lambda r: r.id[4:]))


def _subclasses(cls: type[Rule]) -> Iterator[type[Rule]]:
    for sub in cls.__subclasses__():
        yield sub
        yield from _subclasses(sub)
