"""Spec -> Plan by the planner's ordered passes (``plan/passes``), without the rules.

Apart from ``plan.py`` (the values the passes share) so that the passes, which import those
values, are imported by this module only: no import circle inside the planner.
"""

from __future__ import annotations

from collections.abc import Callable

from vpcwire.plan.existing import Estate
from vpcwire.plan.passes import (
    adopt_existing,
    attach_security,
    choose_mechanism,
    collect_vpcs,
    connect_peerings,
    connect_privatelink,
    connect_transit,
    describe_workloads,
    lay_out_vpcs,
    open_existing_groups,
    place_workloads,
)
from vpcwire.plan.plan import Plan, PlanContext
from vpcwire.spec.models import Spec

__all__ = ["build"]


def _passes() -> list[Callable[[PlanContext], PlanContext]]:
    return [
        choose_mechanism.run,
        collect_vpcs.run,
        lay_out_vpcs.run,
        adopt_existing.run,
        place_workloads.run,
        connect_peerings.run,
        connect_transit.run,
        connect_privatelink.run,
        attach_security.run,
        open_existing_groups.run,
        describe_workloads.run,
    ]


def build(spec: Spec, estate: Estate | None = None) -> Plan:
    """Spec -> Plan by the passes alone, without the rules (``vpcwire.pipeline.plan`` runs
    them before and after). ``estate``: the read of the target, for a spec (already
    resolved, plan/existing.py) with existing VPCs. The plan's findings are empty here."""
    ctx = PlanContext(spec, estate=estate)
    for step in _passes():
        ctx = step(ctx)
    return Plan(
        spec=spec,
        network=ctx.builder.build(),
        decisions=tuple(ctx.decisions),
        findings=(),
        workloads=ctx.workloads,
        vpcs=ctx.vpcs,
        existing=ctx.existing,
        added_rules=tuple(ctx.added_rules),
        vpc_ids=ctx.vpc_ids,
    )
