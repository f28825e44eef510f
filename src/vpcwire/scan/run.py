"""One scan from start to end: configuration -> Network -> rules -> intents -> verdicts."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from pathlib import Path

from vpcwire.rules import Finding, Severity, all_rules, judge_network
from vpcwire.rules.terraform_unresolved import TerraformUnresolved
from vpcwire.scan.collector import collector_paused
from vpcwire.scan.intents import derive_intents, load_expectations
from vpcwire.scan.report import ScanReport
from vpcwire.scan.scanner import scan
from vpcwire.verify.intents import Verdict, evaluate

__all__ = ["run_scan"]


def run_scan(
    path: Path,
    *,
    var_files: Sequence[Path] = (),
    variables: Mapping[str, str] | None = None,
    expect: Path | None = None,
    sandbox: bool = False,
) -> ScanReport:
    with collector_paused():  # the whole scan allocates like a parser: see collector.py
        result = scan(path, var_files=var_files, variables=variables)
        network = result.network
        unresolved_rule = next(r for r in all_rules() if isinstance(r, TerraformUnresolved))
        by_id = {r.id: r for r in all_rules()}
        faults = [
            Finding(
                u.rule,
                by_id[u.rule].severity,
                u.what,
                u.address,
                u.location,
                u.fix,
                by_id[u.rule].url,
            )
            for u in result.unresolved
            if u.rule
        ]
        findings = [*judge_network(network), *faults, *unresolved_rule.report(result.unresolved)]
        intents = derive_intents(network)
        if expect is not None:
            intents += load_expectations(expect, network)
        verdicts = evaluate(network, intents)
    applied: list[Verdict] | None = None
    differences: list[str] = []
    if sandbox:
        from vpcwire.scan.sandbox import apply_and_verify

        if any(f.severity is Severity.ERROR for f in findings):
            applied = []
            differences = ["not applied: the error findings above are applies AWS would refuse"]
        else:
            applied, differences = apply_and_verify(
                path, network, intents, var_files, variables or {}
            )
    return ScanReport(path, network, findings, verdicts, differences, applied)
