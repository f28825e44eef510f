"""One scan from start to end: configuration -> Network -> rules -> intents -> verdicts."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from pathlib import Path

from vpcwire.errors import Location
from vpcwire.network import Network
from vpcwire.network.unknown import ACCOUNT_FIELDS
from vpcwire.plan.rules import Finding, Severity, all_rules, judge_network
from vpcwire.plan.rules.terraform_unresolved import TerraformUnresolved
from vpcwire.scan.collector import collector_paused
from vpcwire.scan.intents import derive_intents, load_expectations
from vpcwire.scan.report import ScanReport
from vpcwire.scan.scanner import scan
from vpcwire.verify.intents import Verdict, evaluate

__all__ = ["run_scan", "unreported_unknowns"]


def unreported_unknowns(
    network: Network, findings: Sequence[Finding], rule: TerraformUnresolved
) -> list[Finding]:
    """A VW-W701 for each value marked unknown on the network that no finding reports yet
    (a note of the scan, or an error it left undecided): every unknown is said once, where
    it is written, with how to make it known. Not a provider's unknown account: alone it
    decides nothing (same provider, same account); where it would, the finding says so."""
    said = {f.path for f in findings if f.rule == rule.id}
    out: dict[tuple[str, str], Finding] = {}
    for resource in network.resources():
        for u in resource.unknowns:
            if u.field in ACCOUNT_FIELDS:
                continue  # a provider's stand-in account decides nothing by itself
            origin = u.origin
            address = origin.address if origin is not None and origin.address else resource.id
            if address in said or (address, u.expression) in out:
                continue
            where = (
                Location(Path(origin.file), origin.line)
                if origin is not None and origin.file
                else Location(None)
            )
            out[(address, u.expression)] = Finding(
                rule=rule.id,
                severity=rule.severity,
                message=f"`{u.expression}` is unknown ({u.why}): the {u.field} of "
                f"{resource.origin.address if resource.origin and resource.origin.address else resource.id}"
                " is unknown: no error and no failed intent rests on it",
                path=address,
                location=where,
                fix=u.resolve or rule.fix,
                url=rule.url,
            )
    return list(out.values())


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
        findings += unreported_unknowns(network, findings, unresolved_rule)
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
