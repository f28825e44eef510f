"""`vpcwire plan` output: each decision with its reasons, alternatives and resources."""

from __future__ import annotations

from collections import Counter
from typing import Any

from vpcwire.network import kind_of
from vpcwire.plan.plan import Plan

__all__ = ["plan_json", "plan_text"]


def plan_text(plan: Plan) -> str:
    net = plan.network
    lines = [
        f"stack {plan.spec.stack}: {len(plan.decisions)} connection(s), {len(net)} network "
        "resources (by kind at the end, beside Terraform's count)"
    ]
    for d in plan.decisions:
        lines.append("")
        lines.append(
            f"connections[{d.index}] {d.label}: {d.mechanism}"
            + ("" if d.requested in ("auto", d.mechanism) else f" (requested {d.requested})")
        )
        lines.append("  because:")
        for r in d.reasons:
            lines.append(f"    - {r.text}" + (f"\n      {r.url}" if r.url else ""))
        if d.rejected:
            lines.append("  not chosen:")
            lines.extend(f"    - {a.mechanism}: {a.why_not}" for a in d.rejected)
        if d.resources:
            lines.append("  implies:")
            lines.extend(f"    - {rid}" for rid in d.resources)
    if plan.vpcs:
        outposts = [v for v in plan.vpcs.values() if v.outpost_for]
        for v in outposts:
            lines.append("")
            lines.append(
                f"outpost VPC {v.name}: {v.cidrs[0]} in {v.region}, fronting {v.outpost_for}"
            )
    lines.append("")
    counts = Counter(kind_of(r) for r in net.resources())
    lines.append("network resources: " + ", ".join(f"{n} {k}" for k, n in counts.items()))
    return "\n".join(lines)


def plan_json(plan: Plan) -> dict[str, Any]:
    net = plan.network
    resources: dict[str, list[str]] = {}
    for r in net.resources():
        resources.setdefault(kind_of(r), []).append(r.id)
    return {
        "stack": plan.spec.stack,
        "decisions": [d.to_dict() for d in plan.decisions],
        "findings": [f.to_dict() for f in plan.findings],
        "outposts": {
            v.name: {"cidr": str(v.cidrs[0]), "region": v.region, "provider_vpc": v.outpost_for}
            for v in plan.vpcs.values()
            if v.outpost_for
        },
        "resources": resources,
    }
