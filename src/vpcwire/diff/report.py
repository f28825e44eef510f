"""A diff, said four ways: text for a terminal, JSON, SARIF for code scanning, Markdown for a
pull-request comment (with the Mermaid picture of the part that changed)."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from vpcwire.diagram.mermaid import to_mermaid
from vpcwire.diagram.scene import PathEdge, Scene, build_scene, slug
from vpcwire.diff.flows import FlowChange, FlowDiff
from vpcwire.diff.resources import ResourceChange
from vpcwire.network import Network

__all__ = ["DiffReport", "diff_json", "diff_markdown", "diff_sarif", "diff_text"]

SARIF_SCHEMA = (
    "https://docs.oasis-open.org/sarif/sarif/v2.1.0/errata01/os/schemas/sarif-schema-2.1.0.json"
)
_RULES = {
    "VW-DIFF-OPEN": ("error", "the change opens a flow that no intent asks for"),
    "VW-DIFF-OPEN-INTENDED": ("note", "the change opens a flow an intent asks for"),
    "VW-DIFF-CLOSE": ("warning", "the change closes a flow that was open"),
}


@dataclass(frozen=True)
class DiffReport:
    old: str  # what OLD was: a file name, or "live network on sandbox"
    new: str
    flows: FlowDiff
    resources: tuple[ResourceChange, ...]
    cost: tuple[float, float] | None  # (old, new) monthly USD, when both sides are specs
    old_network: Network
    new_network: Network
    new_file: Path | None = None
    # "via peering x" -> line in NEW's spec of the connection that made it (SARIF regions)
    lines: Mapping[str, int] = field(default_factory=dict)

    @property
    def exit_code(self) -> int:
        return 1 if self.flows.unintended else 0

    @property
    def cost_delta(self) -> float | None:
        return None if self.cost is None else self.cost[1] - self.cost[0]


def _money(x: float) -> str:
    sign = "+" if x > 0 else "-" if x < 0 else "±"
    return f"{sign}${abs(x):,.2f}/month"


_KINDS = ("added", "removed", "changed")


def diff_text(report: DiffReport) -> str:
    flows = report.flows
    lines = [f"diff {report.old} -> {report.new}"]
    opened = [c for c in flows.changes if c.change == "opened"]
    closed = [c for c in flows.changes if c.change == "closed"]
    lines.append(f"flows opened ({len(opened)}):" if opened else "flows opened: none")
    lines += [f"  + {c}" for c in opened]
    lines.append(f"flows closed ({len(closed)}):" if closed else "flows closed: none")
    lines += [f"  - {c}" for c in closed]
    counts = {kind: sum(r.change == kind for r in report.resources) for kind in _KINDS}
    tally = ", ".join(f"{n} {kind}" for kind, n in counts.items() if n)
    lines.append(f"resources: {tally}" if report.resources else "resources: no change")
    mark = {"added": "+", "removed": "-", "changed": "~"}
    lines += [f"  {mark[r.change]} {r}" for r in report.resources]
    if report.cost_delta is not None:
        old, new = report.cost  # type: ignore[misc]
        lines.append(f"cost: ${old:,.2f} -> ${new:,.2f} per month ({_money(report.cost_delta)})")
    lines.append(
        f"{flows.classes_traced} flow classes traced on each network (exhaustive over "
        "equivalence classes of addresses and ports)"
    )
    if flows.unintended:
        lines.append(f"FAIL: {len(flows.unintended)} opened flow group(s) no intent asks for")
    else:
        lines.append("ok: nothing opens that no intent asks for")
    return "\n".join(lines) + "\n"


def diff_json(report: DiffReport) -> dict[str, Any]:
    return {
        "old": report.old,
        "new": report.new,
        "ok": report.exit_code == 0,
        "opened": [c.to_dict() for c in report.flows.changes if c.change == "opened"],
        "closed": [c.to_dict() for c in report.flows.changes if c.change == "closed"],
        "unintended": [c.to_dict() for c in report.flows.unintended],
        "resources": [r.to_dict() for r in report.resources],
        "cost": None
        if report.cost is None
        else {
            "old_monthly": round(report.cost[0], 2),
            "new_monthly": round(report.cost[1], 2),
            "delta_monthly": round(report.cost[1] - report.cost[0], 2),
        },
        "classes_traced": report.flows.classes_traced,
    }


def _rule_of(change: FlowChange) -> str:
    if change.change == "closed":
        return "VW-DIFF-CLOSE"
    return "VW-DIFF-OPEN-INTENDED" if change.intended else "VW-DIFF-OPEN"


def diff_sarif(report: DiffReport, *, root: Path | None = None) -> dict[str, Any]:
    """SARIF 2.1.0: one result per flow group, located at the NEW spec file."""
    base = (root or Path.cwd()).resolve()
    rules = list(_RULES)
    results = []
    for change in report.flows.changes:
        rule = _rule_of(change)
        result: dict[str, Any] = {
            "ruleId": rule,
            "ruleIndex": rules.index(rule),
            "level": _RULES[rule][0],
            "message": {"text": str(change)},
            "locations": [
                {
                    "logicalLocations": [
                        {"fullyQualifiedName": f"{change.source_vpc} -> {change.destination}"}
                    ]
                }
            ],
        }
        if report.new_file is not None:
            resolved = report.new_file.resolve()
            try:
                artifact = {"uri": resolved.relative_to(base).as_posix(), "uriBaseId": "SRCROOT"}
            except ValueError:
                artifact = {"uri": resolved.as_uri()}
            result["locations"][0]["physicalLocation"] = {
                "artifactLocation": artifact,
                "region": {"startLine": report.lines.get(change.via, 1)},
            }
        results.append(result)
    return {
        "$schema": SARIF_SCHEMA,
        "version": "2.1.0",
        "runs": [
            {
                "tool": {
                    "driver": {
                        "name": "vpcwire diff",
                        "rules": [
                            {
                                "id": rid,
                                "shortDescription": {"text": text},
                                "defaultConfiguration": {"level": level},
                            }
                            for rid, (level, text) in _RULES.items()
                        ],
                    }
                },
                "originalUriBaseIds": {"SRCROOT": {"uri": base.as_uri() + "/"}},
                "results": results,
            }
        ],
    }


def changed_scene(report: DiffReport) -> Scene:
    """The VPCs a changed flow touches, from NEW (or OLD for what NEW lost), with each flow
    group as a path: opened green, closed red, unintended ones marked as failing."""
    touched = {c.source_vpc for c in report.flows.changes} | {
        c.destination_vpc for c in report.flows.changes
    }
    touched |= {r.name for r in report.resources if r.kind == "vpc"}
    new, old = build_scene(report.new_network), build_scene(report.old_network)
    boxes = {b.name: b for b in old.vpcs if b.name in touched}
    boxes.update({b.name: b for b in new.vpcs if b.name in touched})
    ids = {b.id for b in boxes.values()}
    comps = {c.id: c for c in (*old.components, *new.components) if c.vpc in ids}
    # the Transit Gateways the touched VPCs are attached to, as hubs with those attachments
    every = (*old.links, *new.links)
    hub_ids = {lk.target for lk in every if lk.kind == "tgw_attachment" and lk.source in ids}
    hubs = {h.id: h for h in (*old.hubs, *new.hubs) if h.id in hub_ids}
    present = ids | set(comps) | set(hubs)
    links = {
        (lk.source, lk.target, lk.kind): lk
        for lk in (*old.links, *new.links)
        if lk.source in present and lk.target in present
    }
    paths = []
    for c in report.flows.changes:
        if c.destination.startswith("endpoint "):
            target = f"ep_{slug(c.destination.removeprefix('endpoint '))}"
        elif c.destination.startswith("load balancer "):
            target = f"lb_{slug(c.destination.removeprefix('load balancer '))}"
        else:
            target = f"vpc_{slug(c.destination)}"
        ok = c.change == "closed" or c.intended
        source = f"vpc_{slug(c.source_vpc)}"
        if c.change == "opened":
            paths.append(PathEdge(source, target, "open", ok, c.traffic, (str(c),)))
        else:
            paths.append(PathEdge(source, target, "closed", ok, c.traffic, (str(c),)))
    return Scene(
        f"{report.old} -> {report.new}",
        tuple(boxes.values()),
        tuple(comps.values()),
        tuple(links.values()),
        tuple(paths),
        hubs=tuple(hubs.values()),
    )


def diff_markdown(report: DiffReport) -> str:
    flows = report.flows
    verdict = (
        f"❌ **opens {len(flows.unintended)} flow group(s) that no intent asks for**"
        if flows.unintended
        else "✅ nothing opens that no intent asks for"
    )
    out = [f"### vpcwire diff: `{report.old}` → `{report.new}`", "", verdict, ""]
    if flows.changes:
        out += ["| | from | to | traffic | how | intended |", "|---|---|---|---|---|---|"]
        for c in flows.changes:
            sign = "➕ opened" if c.change == "opened" else "➖ closed"
            intended = "—" if c.change == "closed" else ("yes" if c.intended else "**no**")
            out.append(
                f"| {sign} | {c.source_text} | {c.destination_text} | {c.traffic} | {c.via} | {intended} |"
            )
        out.append("")
    else:
        out += ["No flow opens or closes.", ""]
    if report.cost_delta is not None:
        old, new = report.cost  # type: ignore[misc]
        out += [f"**Cost**: ${old:,.2f} → ${new:,.2f} per month ({_money(report.cost_delta)})", ""]
    if report.resources:
        out += [f"<details><summary>{len(report.resources)} resource change(s)</summary>", ""]
        mark = {"added": "+", "removed": "-", "changed": "~"}
        out += [
            "```diff",
            *(f"{mark[r.change]} {r}" for r in report.resources),
            "```",
            "</details>",
            "",
        ]
    if flows.changes:
        out += ["```mermaid", to_mermaid(changed_scene(report)).rstrip(), "```", ""]
    out.append(
        f"<sub>{flows.classes_traced} flow classes traced on each network — exhaustive over "
        "equivalence classes of addresses and ports, not a sample.</sub>"
    )
    return "\n".join(out) + "\n"
