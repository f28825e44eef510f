"""Findings for people (text) and machines (JSON, SARIF 2.1.0), and the exit code they mean.

Text is one located line per finding with its fix, then a count. JSON is the findings as
``Finding.to_dict`` gives them plus the counts. SARIF is what CI systems (GitHub code
scanning, GitLab, Azure DevOps) read to annotate the spec file at the finding's line: one
run whose driver lists every rule's metadata (id, short and full description, help URI,
default level) and whose results point at the spec by a URI relative to the directory
vpcwire ran in (``%SRCROOT%``), so the same log works on any checkout.

Exit codes follow severity: any error finding means 2 (the spec cannot be built as is,
like every other bad input), warnings and notes alone mean 0.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Sequence
from importlib import metadata
from pathlib import Path
from typing import Any

from vpcwire.errors import EXIT_OK, EXIT_USAGE
from vpcwire.plan.rules.base import Finding, Rule, Severity, all_rules

__all__ = [
    "SARIF_SCHEMA",
    "exit_code",
    "findings_json",
    "findings_sarif",
    "findings_text",
    "summary",
]

SARIF_SCHEMA = (
    "https://docs.oasis-open.org/sarif/sarif/v2.1.0/errata01/os/schemas/sarif-schema-2.1.0.json"
)
_LEVEL = {Severity.ERROR: "error", Severity.WARNING: "warning", Severity.INFO: "note"}


def exit_code(findings: Iterable[Finding]) -> int:
    """2 if any finding is an error, else 0."""
    return EXIT_USAGE if any(f.severity is Severity.ERROR for f in findings) else EXIT_OK


def summary(findings: Sequence[Finding]) -> str:
    """'2 errors, 1 warning, 0 notes' -- every severity, always, for a stable last line."""
    counts = Counter(f.severity for f in findings)

    def n(sev: Severity, word: str) -> str:
        return f"{counts[sev]} {word}{'' if counts[sev] == 1 else 's'}"

    return ", ".join(
        (n(Severity.ERROR, "error"), n(Severity.WARNING, "warning"), n(Severity.INFO, "note"))
    )


def findings_text(findings: Sequence[Finding]) -> str:
    lines = [str(f) for f in findings]
    lines.append(summary(findings))
    return "\n".join(lines)


def findings_json(findings: Sequence[Finding]) -> dict[str, Any]:
    counts = Counter(str(f.severity) for f in findings)
    return {
        "findings": [f.to_dict() for f in findings],
        "counts": {sev.value: counts.get(sev.value, 0) for sev in Severity},
        "exit_code": exit_code(findings),
    }


def findings_sarif(
    findings: Sequence[Finding],
    rules: Sequence[Rule] | None = None,
    *,
    root: Path | None = None,
) -> dict[str, Any]:
    """A SARIF 2.1.0 log of one run. ``root`` is what artifact URIs are relative to
    (the current directory by default); files outside it get absolute file URIs."""
    rules = list(rules if rules is not None else all_rules())
    index = {r.id: i for i, r in enumerate(rules)}
    base = (root or Path.cwd()).resolve()
    return {
        "$schema": SARIF_SCHEMA,
        "version": "2.1.0",
        "runs": [
            {
                "tool": {
                    "driver": {
                        "name": "vpcwire",
                        "version": _version(),
                        "rules": [_descriptor(r) for r in rules],
                    }
                },
                "originalUriBaseIds": {"SRCROOT": {"uri": base.as_uri() + "/"}},
                "columnKind": "unicodeCodePoints",
                "results": [_result(f, index, base) for f in findings],
            }
        ],
    }


def _descriptor(rule: Rule) -> dict[str, Any]:
    return {
        "id": rule.id,
        "name": type(rule).__name__,
        "shortDescription": {"text": rule.title},
        "fullDescription": {"text": rule.description},
        "help": {"text": f"Fix: {rule.fix}. See {rule.url}"},
        "helpUri": rule.url,
        "defaultConfiguration": {"level": _LEVEL[rule.severity]},
        "properties": {"tags": ["vpcwire", rule.stage], "stage": rule.stage},
    }


def _result(finding: Finding, index: dict[str, int], base: Path) -> dict[str, Any]:
    location: dict[str, Any] = {
        "logicalLocations": [{"fullyQualifiedName": finding.path or "<root>", "kind": "member"}]
    }
    loc = finding.location
    if loc.file is not None:
        physical: dict[str, Any] = {"artifactLocation": _artifact(Path(loc.file), base)}
        if loc.line is not None:
            region = {"startLine": loc.line}
            if loc.column is not None:
                region["startColumn"] = loc.column
            physical["region"] = region
        location["physicalLocation"] = physical
    result: dict[str, Any] = {
        "ruleId": finding.rule,
        "level": _LEVEL[finding.severity],
        "message": {"text": f"{finding.path}: {finding.message}. Fix: {finding.fix}"},
        "locations": [location],
    }
    if finding.rule in index:
        result["ruleIndex"] = index[finding.rule]
    return result


def _artifact(file: Path, base: Path) -> dict[str, str]:
    resolved = file.resolve()
    try:
        return {"uri": resolved.relative_to(base).as_posix(), "uriBaseId": "SRCROOT"}
    except ValueError:
        return {"uri": resolved.as_uri()}


def _version() -> str:
    try:
        return metadata.version("vpcwire")
    except metadata.PackageNotFoundError:  # running from a source tree
        return "0+unknown"
