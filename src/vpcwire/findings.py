"""A finding: what a rule says about a spec or a network, as a value.

It lives apart from ``vpcwire.rules`` so that the stages below the rules (the plan holds its
findings, the reports print them) need not import the rule catalogue: the rules sit above the
planner and judge what it produced.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import StrEnum

from vpcwire.errors import Location

__all__ = ["Finding", "Severity"]


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
    # The Network resources the finding is about (set by Rule.finding_on): how
    # judge_network tells whether an error rests on a value the network does not know.
    subjects: tuple[str, ...] = field(default=(), compare=False, repr=False)

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
