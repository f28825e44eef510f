"""One scan from start to end: configuration -> Network -> rules -> intents -> verdicts.

The configuration's values come from terraform where it can run (``tf_eval.py``), else
from vpcwire's own HCL evaluation; the report says which, and why (``evaluation.py``).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

from vpcwire.errors import Location
from vpcwire.network import Network
from vpcwire.network.unknown import ACCOUNT_FIELDS
from vpcwire.rules import Finding, Severity, all_rules, judge_network
from vpcwire.rules.terraform_unresolved import TerraformUnresolved
from vpcwire.scan.collector import collector_paused
from vpcwire.scan.evaluation import Evaluation
from vpcwire.scan.intents import derive_intents, load_expectations
from vpcwire.scan.report import ScanReport
from vpcwire.scan.result import ScanResult
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
    terraform: bool | None = False,
) -> ScanReport:
    """``terraform``: True lets terraform evaluate the configuration (falling back to
    vpcwire's evaluation where it cannot run), None the same up to a size (``AUTO_LIMIT``:
    the CLI's default), False never (the library's default: no subprocess, no sandbox)."""
    with collector_paused():  # the whole scan allocates like a parser: see collector.py
        result, evaluation = _evaluate(path, var_files, variables or {}, terraform)
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
    return ScanReport(path, network, findings, verdicts, differences, applied, evaluation)


def _evaluate(
    path: Path, var_files: Sequence[Path], variables: Mapping[str, str], terraform: bool | None
) -> tuple[ScanResult, Evaluation]:
    if path.is_file():
        exact = Evaluation(
            "plan-json",
            "your plan's JSON: terraform's evaluation with your credentials, exact",
        )
        return scan(path, var_files=var_files, variables=variables), exact
    if terraform is False or not path.is_dir() or not any(path.glob("*.tf")):
        why = "terraform evaluation not asked for (--no-terraform, VPCWIRE_SCAN_TERRAFORM=0)"
        return scan(path, var_files=var_files, variables=variables), Evaluation("hcl", why)
    from vpcwire.scan.tf_eval import CannotRun, evaluate_with_terraform

    try:
        plan, evaluation = evaluate_with_terraform(
            path, var_files, variables, force=terraform is True
        )
    except CannotRun as cannot:
        fallback = Evaluation("hcl", f"fell back: {cannot}", guessed=True)
        return scan(path, var_files=var_files, variables=variables), fallback
    except Exception as exc:  # any failure of terraform's run falls back, and is named
        fallback = Evaluation(
            "hcl",
            f"fell back: terraform's evaluation failed ({type(exc).__name__}: {exc})",
            guessed=True,
        )
        return scan(path, var_files=var_files, variables=variables), fallback
    return _from_plan(path, plan, var_files, variables), evaluation


def _from_plan(
    root: Path, plan: dict[str, Any], var_files: Sequence[Path], variables: Mapping[str, str]
) -> ScanResult:
    """The configuration read at ``root`` (for file:line) with terraform's planned values
    and variables, as for a plan's JSON the user gives (plan_json.py)."""
    from vpcwire.scan.build import build_network
    from vpcwire.scan.config import load_configuration
    from vpcwire.scan.plan_json import planned_values

    typed = {k: v.get("value") for k, v in (plan.get("variables") or {}).items()}
    config = load_configuration(
        root, list(var_files), variables, typed=typed, planned=planned_values(plan)
    )
    return ScanResult(build_network(config), tuple(config.unresolved), root)
