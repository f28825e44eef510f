"""A scan's outcome for people (text), machines (JSON) and CI (SARIF 2.1.0).

Findings are the rules' (each located at ``file.tf:LINE`` and its Terraform address);
verdicts are the derived and expected intents, each failing one located at the Terraform
block the trace blames, so that a CI annotation lands on the block to change.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from vpcwire.errors import EXIT_OK, EXIT_USAGE, EXIT_VERIFY_FAILED
from vpcwire.network import Network
from vpcwire.report.findings import findings_sarif, summary
from vpcwire.rules.base import UNRESOLVED_RULE, Finding, Severity
from vpcwire.scan.evaluation import Evaluation
from vpcwire.verify.intents import Verdict

__all__ = ["INTENT_RULE", "ScanReport", "scan_json", "scan_sarif", "scan_text"]

INTENT_RULE = "VW-V001"


@dataclass(frozen=True)
class ScanReport:
    source: Path
    network: Network
    findings: Sequence[Finding]
    verdicts: Sequence[Verdict]
    differences: Sequence[str] = ()
    applied: Sequence[Verdict] | None = None
    evaluation: Evaluation | None = None  # where the values came from (terraform or HCL)
    # --strict: what was left unresolved, or no intent verified, fails the scan (exit 1)
    strict: bool = False

    @property
    def unresolved(self) -> int:
        """Findings that say part of the configuration is unknown (VW-W701)."""
        return sum(f.rule == UNRESOLVED_RULE for f in self.findings)

    @property
    def verified(self) -> int:
        """Intents decided either way (passed or failed, not undecided)."""
        return sum(not v.undecided for v in self.verdicts)

    @property
    def strict_failures(self) -> list[str]:
        """Why --strict fails this scan (empty: it does not)."""
        out = []
        undecided = sum(v.undecided for v in self.verdicts)
        if self.unresolved:
            out.append(
                f"{self.unresolved} unresolved part{'' if self.unresolved == 1 else 's'} (VW-W701)"
            )
        if undecided:
            out.append(f"{undecided} intent{'' if undecided == 1 else 's'} undecided")
        if not self.verified:
            out.append("no intent verified")
        return out

    @property
    def exit_code(self) -> int:
        if any(f.severity is Severity.ERROR for f in self.findings):
            return EXIT_USAGE
        failed = [
            v for v in (*self.verdicts, *(self.applied or ())) if not v.ok and not v.undecided
        ]
        if failed or (self.strict and self.strict_failures):
            return EXIT_VERIFY_FAILED
        return EXIT_OK


def blame(network: Network, verdict: Verdict) -> tuple[str, str | None, int | None]:
    """The Terraform block a failing verdict's trace blames: (address, file, line)."""
    for block in verdict.trace.blocks:
        r = network.get(block.resource)
        if r is not None and r.origin is not None and r.origin.file:
            return r.origin.address or r.id, r.origin.file, r.origin.line
    return "", None, None


def _counts(network: Network) -> str:
    n = network
    parts = [
        (len(n.vpcs), "VPC"),
        (len(n.subnets), "subnet"),
        (len(n.peerings), "peering"),
        (len(n.security_groups), "security group"),
        (len(n.instances), "instance"),
        (len(n.load_balancers), "load balancer"),
        (len(n.endpoint_services), "endpoint service"),
        (len(n.endpoints), "endpoint"),
        (len(n.transit_gateways), "transit gateway"),
        (len(n.tgw_attachments), "TGW attachment"),
        (len(n.tgw_route_tables), "TGW route table"),
    ]
    return ", ".join(f"{c} {w}{'' if c == 1 else 's'}" for c, w in parts if c)


def _verdict_lines(network: Network, verdicts: Sequence[Verdict], where: str) -> list[str]:
    passed = sum(v.ok for v in verdicts)
    undecided = sum(v.undecided for v in verdicts)
    failed = len(verdicts) - passed - undecided
    head = f"verify ({where}): {len(verdicts)} intents, {passed} passed, {failed} failed"
    lines = [head + (f", {undecided} undecided" if undecided else "")]
    for v in verdicts:
        mark = "✓" if v.ok else "?" if v.undecided else "✗"
        lines.append(f"  {mark} {v.intent.key}  {str(v.trace.disposition).lower()}")
    for v in verdicts:
        if v.undecided:
            lines += ["", f"? {v.intent.key}: undecided ({v.intent.why})"]
            lines += ["  " + note for note in v.trace.notes if note]
    for v in verdicts:
        if v.ok or v.undecided:
            continue
        expected = "reach" if v.intent.expect == "reachable" else "be blocked"
        lines += [
            "",
            f"✗ {v.intent.key}: expected to {expected} ({v.intent.why}), "
            f"but it is {str(v.trace.disposition).lower()}",
        ]
        lines += ["  " + line for line in str(v.trace).splitlines()]
        address, file, line = blame(network, v)
        if file:
            lines.append(f"  change: {file}:{line} {address}")
    return lines


def scan_text(report: ScanReport) -> str:
    lines = [f"scan of {report.source}: {_counts(report.network)}"]
    if report.evaluation is not None:
        lines += report.evaluation.lines()
    if report.findings:
        lines.append("")
        lines += [str(f) for f in report.findings]
    lines.append("")
    lines += _verdict_lines(report.network, report.verdicts, "predicted network")
    if report.applied is not None:
        lines.append("")
        lines += _verdict_lines(report.network, report.applied, "applied to the sandbox")
        lines.append("")
        if report.differences:
            lines.append("predicted vs applied: differences")
            lines += [f"  {d}" for d in report.differences]
        else:
            lines.append("predicted vs applied: no difference")
    failed = sum(not v.ok and not v.undecided for v in report.verdicts)
    lines += ["", f"{summary(report.findings)}; {failed} intent{'' if failed == 1 else 's'} failed"]
    lines += _honesty(report)
    return "\n".join(lines)


def _honesty(report: ScanReport) -> list[str]:
    """Say plainly when the scan proved nothing, instead of looking clean."""
    out: list[str] = []
    if not report.verdicts:
        out.append(
            "no intent was verified: the configuration implies none (no interface endpoint, "
            "peering, or instances in two VPCs); give the flows you expect with --expect FILE"
        )
    elif not report.verified:
        out.append(
            f"no intent was verified: all {len(report.verdicts)} rest on unknown values "
            "(see the VW-W701 findings for what to pass or run)"
        )
    if report.strict and report.strict_failures:
        out.append("--strict: failing: " + "; ".join(report.strict_failures))
    return out


def scan_json(report: ScanReport) -> dict[str, Any]:
    def verdicts(vs: Sequence[Verdict]) -> list[dict[str, Any]]:
        out = []
        for v in vs:
            d = v.to_dict()
            address, file, line = blame(report.network, v)
            d["blame"] = {"address": address, "file": file, "line": line} if file else None
            out.append(d)
        return out

    return {
        "source": str(report.source),
        "evaluation": report.evaluation.to_dict() if report.evaluation else None,
        "resources": len(report.network),
        "findings": [f.to_dict() for f in report.findings],
        "counts": {sev.value: sum(f.severity is sev for f in report.findings) for sev in Severity},
        "intents": verdicts(report.verdicts),
        "verified": report.verified,
        "undecided": sum(v.undecided for v in report.verdicts),
        "applied": None if report.applied is None else verdicts(report.applied),
        "differences": list(report.differences),
        "exit_code": report.exit_code,
    }


def scan_sarif(report: ScanReport, *, root: Path | None = None) -> dict[str, Any]:
    """The findings' SARIF log, plus one result per failing intent at the blamed block."""
    log = findings_sarif(list(report.findings), root=root)
    run = log["runs"][0]
    rules = run["tool"]["driver"]["rules"]
    rules.append(
        {
            "id": INTENT_RULE,
            "name": "IntentFails",
            "shortDescription": {"text": "A flow the configuration implies does not get through"},
            "fullDescription": {
                "text": "vpcwire derived this intent from the configuration (an interface "
                "endpoint, a peering, isolation) or read it from --expect, and the "
                "reachability engine proved it fails; the trace names the blocking resource."
            },
            "helpUri": "https://docs.aws.amazon.com/vpc/latest/reachability/what-is-reachability-analyzer.html",
            "defaultConfiguration": {"level": "error"},
        }
    )
    if report.evaluation is not None:
        run.setdefault("properties", {})["evaluation"] = report.evaluation.to_dict()
    base = (root or Path.cwd()).resolve()
    for v in [*report.verdicts, *(report.applied or ())]:
        if v.ok or v.undecided:
            continue
        address, file, line = blame(report.network, v)
        location: dict[str, Any] = {
            "logicalLocations": [
                {"fullyQualifiedName": address or v.intent.key, "kind": "resource"}
            ]
        }
        if file:
            resolved = Path(file).resolve()
            try:
                artifact = {"uri": resolved.relative_to(base).as_posix(), "uriBaseId": "SRCROOT"}
            except ValueError:
                artifact = {"uri": resolved.as_uri()}
            location["physicalLocation"] = {
                "artifactLocation": artifact,
                "region": {"startLine": line or 1},
            }
        reasons = "; ".join(f"{b.resource}: {b.detail} (fix: {b.fix})" for b in v.trace.blocks)
        run["results"].append(
            {
                "ruleId": INTENT_RULE,
                "ruleIndex": len(rules) - 1,
                "level": "error",
                "message": {
                    "text": f"{v.intent.key}: expected {v.intent.expect}, got "
                    f"{str(v.trace.disposition).lower()}. {reasons}"
                },
                "locations": [location],
            }
        )
    return log
