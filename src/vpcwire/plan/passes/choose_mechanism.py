"""Pick peering / Transit Gateway / PrivateLink / outpost / native for each connection
(see plan/guide.py)."""

from __future__ import annotations

from vpcwire.plan.guide import choose
from vpcwire.plan.plan import Decision, PlanContext
from vpcwire.spec.models import PeerConnection


def run(ctx: PlanContext) -> PlanContext:
    for index, conn in enumerate(ctx.spec.connections):
        choice = choose(ctx.spec, conn)
        label = (
            conn.label if isinstance(conn, PeerConnection) else f"{conn.consumer} -> {conn.service}"
        )
        ctx.decisions.append(
            Decision(index, label, choice.mechanism, conn.via, choice.reasons, choice.rejected)
        )
    return ctx
