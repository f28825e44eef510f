"""The pipeline from a spec to a checked plan: the rules around the planner.

The rules judge what the planner produces, so they sit above it (``vpcwire.rules`` imports
``vpcwire.plan``, never the reverse). ``plan(spec)`` runs the spec rules (errors stop here,
before anything is built), then the planner's passes (``vpcwire.plan.build.build``), then the
plan and network rules on the finished Network, and returns the Plan with every finding.
"""

from __future__ import annotations

from dataclasses import replace

from vpcwire.errors import SpecError, SpecProblem, UsageError
from vpcwire.findings import Finding, Severity
from vpcwire.plan.build import build
from vpcwire.plan.existing import Estate, match_vpcs, resolve_spec
from vpcwire.plan.plan import Plan
from vpcwire.rules.base import RuleContext, all_rules
from vpcwire.spec.models import Spec

__all__ = ["PlanRejected", "check_spec", "plan"]


def check_spec(spec: Spec, *, unplannable: bool = False) -> list[Finding]:
    """Run the spec-stage rules. Errors among them mean the spec cannot be planned.

    ``unplannable``: the loader refused the spec, so no plan will be made; network rules
    that can read their fault off the spec alone say it now (else they judge the plan)."""
    ctx = RuleContext(spec)
    return [
        f
        for rule in all_rules()
        for f in (
            rule.check(ctx)
            if rule.stage == "spec"
            else rule.check_spec_early(ctx)
            if unplannable and rule.early_on_spec
            else ()
        )
    ]


def plan(spec: Spec, estate: Estate | None = None) -> Plan:
    """Spec -> Plan. Raises SpecError (exit 2) if a rule finds an error in the spec.

    A spec with existing VPCs needs ``estate``, the read of the target
    (``vpcwire.deploy.estate.read_estate``): its VPCs are found there and the spec is
    resolved with their real blocks and subnets before anything is judged."""
    if spec.has_existing:
        if estate is None:
            raise UsageError(
                "the spec names existing VPCs: planning it needs a read of the target "
                "(vpcwire.deploy.estate.read_estate)"
            )
        estate = replace(estate, vpcs=match_vpcs(spec, estate.network, estate.where))
        spec = resolve_spec(spec, estate)
    else:
        estate = None
    findings = check_spec(spec)
    if any(f.severity is Severity.ERROR for f in findings):
        # No plan will be made, so the network rules will not run: those that can read
        # their fault off the spec say it now, so independent problems (an overlap in one
        # connection, a bad AZ in another VPC) are all reported in one run.
        _raise_on_errors(check_spec(spec, unplannable=True))
    result = replace(build(spec, estate), findings=tuple(findings))
    rule_ctx = RuleContext(spec, result)
    later = [
        f for rule in all_rules() if rule.stage in ("plan", "network") for f in rule.check(rule_ctx)
    ]
    _raise_on_errors([*findings, *later])
    return replace(result, findings=(*findings, *later))


class PlanRejected(SpecError):
    """The rules found errors: nothing can be planned. ``findings`` holds all of them,
    warnings included, so that formatters (text, JSON, SARIF) can show the full picture."""

    def __init__(self, findings: list[Finding]) -> None:
        self.findings = findings
        super().__init__(
            [
                SpecProblem(f.location, f.path, f"{f.rule}: {f.message}", hint=f.fix)
                for f in findings
                if f.severity is Severity.ERROR
            ]
        )


def _raise_on_errors(findings: list[Finding]) -> None:
    if any(f.severity is Severity.ERROR for f in findings):
        raise PlanRejected(findings)
