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
from dataclasses import dataclass
from importlib import metadata
from pathlib import Path
from typing import Any

from vpcwire.errors import EXIT_OK, EXIT_USAGE, SpecProblem
from vpcwire.rules.base import Finding, Rule, Severity, all_rules

__all__ = [
    "LOADER_CHECKS",
    "SARIF_SCHEMA",
    "exit_code",
    "findings_json",
    "findings_sarif",
    "findings_text",
    "problems_as_findings",
    "summary",
]

SARIF_SCHEMA = (
    "https://docs.oasis-open.org/sarif/sarif/v2.1.0/errata01/os/schemas/sarif-schema-2.1.0.json"
)
_LEVEL = {Severity.ERROR: "error", Severity.WARNING: "warning", Severity.INFO: "note"}


@dataclass(frozen=True, slots=True)
class LoaderCheck:
    """The metadata of a check the spec loader makes (not a rule: it raises before any rule
    can run), so that its problems appear in JSON and SARIF like rule findings do."""

    id: str
    kind: str  # SpecProblem.kind it stands for
    title: str
    description: str
    fix: str
    url: str

    @property
    def severity(self) -> Severity:
        return Severity.ERROR

    @property
    def stage(self) -> str:
        return "load"


# what the spec's fields mean (VPCs, blocks, subnets, AZs), for the schema and name checks
_SPEC_DOCS = "https://docs.aws.amazon.com/vpc/latest/userguide/configure-your-vpc.html"
LOADER_CHECKS = (
    LoaderCheck(
        "VW-E001",
        "yaml",
        "The spec file cannot be read, or is not YAML that vpcwire accepts",
        "A missing or non-UTF-8 file, syntax errors, duplicate keys, tags other than plain scalars, lists and mappings, "
        "recursive or exploding aliases and nesting beyond 64 levels are refused before "
        "anything else is read.",
        "fix the YAML at the line shown",
        "https://yaml.org/spec/1.2.2/",
    ),
    LoaderCheck(
        "VW-E002",
        "schema",
        "The spec does not match its schema",
        "Unknown keys, missing fields, wrong types, values out of range or of the wrong "
        "shape (CIDR blocks, account ids, role ARNs, instance types).",
        "see `vpcwire schema` for what each field takes",
        _SPEC_DOCS,
    ),
    LoaderCheck(
        "VW-E003",
        "reference",
        "The spec names a VPC, service or account it does not declare",
        "Every name a connection, service or VPC refers to must be declared in its section.",
        "declare the name, or correct the spelling",
        _SPEC_DOCS,
    ),
    LoaderCheck(
        "VW-E004",
        "aws",
        "The spec asks for something AWS refuses",
        "Availability zones that do not exist in the region, a VPC's own blocks overlapping, "
        "subnets too small for the instances asked for, no free block for an outpost VPC.",
        "change the value as the message says",
        "https://docs.aws.amazon.com/vpc/latest/userguide/vpc-cidr-blocks.html",
    ),
    LoaderCheck(
        "VW-E005",
        "terraform",
        "The Terraform configuration cannot be read (vpcwire scan)",
        "A directory without *.tf files, an HCL syntax error, a .tfvars file that is not HCL, "
        "or an --expect file that names nothing in the configuration: the scan stops before "
        "any rule runs.",
        "fix the file at the line shown (`terraform fmt` and `terraform validate` point there too)",
        "https://developer.hashicorp.com/terraform/language/syntax/configuration",
    ),
)
_CHECK_OF_KIND = {c.kind: c for c in LOADER_CHECKS}


def problems_as_findings(problems: Sequence[SpecProblem]) -> list[Finding]:
    """Loader problems as error findings (rule id by kind), for JSON and SARIF output.

    A problem that already names a rule (a rule finding re-raised by the planner) keeps it.
    """
    rules = {r.id: r for r in all_rules()}
    out = []
    for p in problems:
        if p.rule is not None and p.rule in rules:
            rule = rules[p.rule]
            message = p.message.removeprefix(f"{p.rule}: ")
            out.append(
                Finding(p.rule, rule.severity, message, p.path, p.location, p.hint, rule.url)
            )
            continue
        check = _CHECK_OF_KIND.get(p.kind, _CHECK_OF_KIND["schema"])
        shown = p.shown_value
        out.append(
            Finding(
                rule=check.id,
                severity=Severity.ERROR,
                message=p.message + (f" (got {shown})" if shown is not None else ""),
                path=p.path,
                location=p.location,
                fix=p.hint or check.fix,
                url=check.url,
            )
        )
    return out


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
    described: list[Rule | LoaderCheck] = [
        *LOADER_CHECKS,
        *(rules if rules is not None else all_rules()),
    ]
    index = {r.id: i for i, r in enumerate(described)}
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
                        "rules": [_descriptor(r) for r in described],
                    }
                },
                "originalUriBaseIds": {"SRCROOT": {"uri": base.as_uri() + "/"}},
                "columnKind": "unicodeCodePoints",
                "results": [_result(f, index, base) for f in findings],
            }
        ],
    }


def _descriptor(rule: Rule | LoaderCheck) -> dict[str, Any]:
    name = type(rule).__name__ if isinstance(rule, Rule) else f"Spec{rule.kind.title()}Check"
    return {
        "id": rule.id,
        "name": name,
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
