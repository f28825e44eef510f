"""The exhaustive proof for people and machines: a few grouped lines, as text, JSON, SARIF or
Markdown (``verify --exhaustive``, ``audit``).

Classes are grouped per (verdict, source VPC, destination, path): one line says which hosts
reach which, over which protocols and ports, by which path and which resources open it.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from vpcwire.network import PortRange
from vpcwire.verify.cases import merge_ranges
from vpcwire.verify.exhaustive import FlowClass, Proof

__all__ = [
    "AccessLine",
    "access_json",
    "access_lines",
    "access_markdown",
    "access_sarif",
    "access_text",
]

_FULL = {"tcp": PortRange(0, 65535), "udp": PortRange(0, 65535), "icmp": PortRange(0, 255)}
_SHOWN = 8  # names and resources printed per line before "and N more"


@dataclass(frozen=True, slots=True)
class AccessLine:
    verdict: str  # "UNINTENDED", "intended", "UNKNOWN", or "open" (nothing judged)
    source_vpc: str
    destination: str
    via: str
    sources: tuple[str, ...]
    destinations: tuple[str, ...]
    traffic: str
    resources: tuple[str, ...]
    classes: int
    notes: tuple[str, ...] = ()

    def __str__(self) -> str:
        head = (
            f"{self.source_vpc} [{_few(self.sources)}] -> {self.destination} "
            f"[{_few(self.destinations)}]: {self.traffic} {self.via}".rstrip()
        )
        tail = ""
        if self.resources:
            tail += f"\n      opened by: {_few(self.resources)}"
        if self.notes:
            tail += f"\n      {'; '.join(self.notes)}"
        return f"{self.verdict}: {head}{tail}"

    def to_dict(self) -> dict[str, Any]:
        return {
            "verdict": self.verdict,
            "source_vpc": self.source_vpc,
            "destination": self.destination,
            "via": self.via,
            "sources": list(self.sources),
            "destinations": list(self.destinations),
            "traffic": self.traffic,
            "resources": list(self.resources),
            "classes": self.classes,
            "notes": list(self.notes),
        }


def _few(names: tuple[str, ...]) -> str:
    if len(names) <= _SHOWN:
        return ", ".join(names)
    return ", ".join(names[:_SHOWN]) + f" and {len(names) - _SHOWN} more"


def _verdict(c: FlowClass, judged: bool) -> str:
    if c.status == "unknown":
        return "UNKNOWN"
    if not judged:
        return "open"
    return "intended" if c.intended else "UNINTENDED"


def access_lines(proof: Proof) -> list[AccessLine]:
    """Open and unknown classes grouped into lines: UNINTENDED first, then UNKNOWN, intended."""
    groups: dict[tuple[str, str, str, str], list[FlowClass]] = {}
    for c in proof.classes:
        if c.status != "closed":
            groups.setdefault(
                (_verdict(c, proof.judged), c.source_vpc, c.destination, c.via), []
            ).append(c)
    out = []
    for (verdict, svpc, dest, via), members in groups.items():
        sources = sorted({s for c in members for s in c.sources})
        dests = sorted({d for c in members for d in c.destinations})
        resources = list(dict.fromkeys(r for c in members for r in c.resources))
        notes = sorted({c.note for c in members if c.note})
        out.append(
            AccessLine(
                verdict,
                svpc,
                dest,
                via,
                tuple(sources),
                tuple(dests),
                _traffic(members),
                tuple(resources),
                len(members),
                tuple(notes),
            )
        )
    order = {"UNINTENDED": 0, "UNKNOWN": 1, "open": 2, "intended": 3}
    return sorted(out, key=lambda a: (order[a.verdict], a.source_vpc, a.destination, a.via))


def _traffic(members: list[FlowClass]) -> str:
    by_proto: dict[str, list[PortRange]] = {}
    others: set[str] = set()
    rest = False  # the class of every IP protocol no rule or entry names
    for c in members:
        if c.rest_except is not None:
            rest = True
        elif c.ports is None:
            others.add(c.protocol)
        else:
            by_proto.setdefault(c.protocol, []).append(c.ports)
    parts = []
    for proto in ("tcp", "udp", "icmp"):
        if proto not in by_proto:
            continue
        ranges = merge_ranges(by_proto[proto])
        if ranges == (_FULL[proto],):
            parts.append(f"{proto} all")
        else:
            parts.append(
                f"{proto}/"
                + ",".join(str(r.low) if r.low == r.high else f"{r.low}-{r.high}" for r in ranges)
            )
    if others:
        parts.append("IP protocols " + ",".join(sorted(others, key=int)))
    if rest:
        parts.append("every other IP protocol")
    return ", ".join(parts)


def summary(proof: Proof) -> str:
    """The one-line result: the proof, or what stands in its way."""
    opened, bad, unknown = len(proof.open), len(proof.unintended), len(proof.unknown)
    if not proof.judged:
        tail = f"; {unknown} classes UNKNOWN (not proved)" if unknown else ""
        return (
            f"{opened} open flow classes (nothing said to be intended: see --expect){tail}"
            + _uncovered(proof)
        )
    if bad:
        return f"{bad} of {opened} open flow classes UNINTENDED" + _uncovered(proof)
    if unknown:
        return (
            f"{opened} open flow classes, all intended; {unknown} classes UNKNOWN (not proved)"
            + _uncovered(proof)
        )
    return f"{opened} open flow classes, all intended" + _uncovered(proof)


def _uncovered(proof: Proof) -> str:
    """Said with the result, so that a clean proof is never read as covering them."""
    n = len(proof.not_covered)
    return (
        f"; {n} part{'s' if n != 1 else ''} of the network not covered (listed above)" if n else ""
    )


def access_text(proof: Proof, where: str) -> str:
    lines = [
        f"exhaustive proof of the {where}: {len(proof.classes)} flow classes traced",
        f"  covers {proof.protocols_covered}",
    ]
    lines += [f"  not covered (neither proved open nor closed): {n}" for n in proof.not_covered]
    lines += [f"  {line}" for line in access_lines(proof)]
    lines.append(f"result: {summary(proof)}")
    return "\n".join(lines)


def access_markdown(proof: Proof, where: str) -> str:
    rows = [
        f"# Access map: {where}",
        "",
        f"{len(proof.classes)} flow classes traced; covers {proof.protocols_covered}.",
        "",
        *(f"- not covered (neither proved open nor closed): {n}" for n in proof.not_covered),
        *([""] if proof.not_covered else []),
        "| verdict | from | to | traffic | path | opened by |",
        "|---|---|---|---|---|---|",
    ]
    for a in access_lines(proof):
        rows.append(
            f"| {a.verdict} | {a.source_vpc} ({_few(a.sources)}) | {a.destination} "
            f"({_few(a.destinations)}) | {a.traffic} | {a.via} | {_few(a.resources)} |"
        )
    rows += ["", f"**{summary(proof)}**", ""]
    return "\n".join(rows)


def access_json(proof: Proof, where: str) -> dict[str, Any]:
    return {
        "where": where,
        "classes": len(proof.classes),
        "open": len(proof.open),
        "unintended": len(proof.unintended),
        "unknown": len(proof.unknown),
        "covers": proof.protocols_covered,
        "not_covered": list(proof.not_covered),
        "result": summary(proof),
        "lines": [a.to_dict() for a in access_lines(proof)],
    }


def access_sarif(proof: Proof, where: str) -> dict[str, Any]:
    """SARIF 2.1.0: one result per UNINTENDED (error) or UNKNOWN (warning) line, and a note
    per part of the network the proof does not cover."""
    rules = [
        {"id": "VW-AUDIT-UNINTENDED", "shortDescription": {"text": "open flow no one asked for"}},
        {
            "id": "VW-AUDIT-UNKNOWN",
            "shortDescription": {"text": "flow neither proved open nor closed"},
        },
        {
            "id": "VW-AUDIT-NOT-COVERED",
            "shortDescription": {"text": "part of the network the proof does not trace"},
        },
    ]
    results: list[dict[str, Any]] = [
        {"ruleId": "VW-AUDIT-NOT-COVERED", "level": "note", "message": {"text": n}}
        for n in proof.not_covered
    ]
    for a in access_lines(proof):
        if a.verdict == "intended":
            continue
        results.append(
            {
                "ruleId": f"VW-AUDIT-{a.verdict}",
                "level": "error" if a.verdict == "UNINTENDED" else "warning",
                "message": {"text": str(a)},
                "locations": [
                    {
                        "logicalLocations": [
                            {"name": r, "kind": "resource"} for r in a.resources[:20]
                        ]
                    }
                ],
            }
        )
    return {
        "version": "2.1.0",
        "$schema": "https://json.schemastore.org/sarif-2.1.0.json",
        "runs": [
            {
                "tool": {"driver": {"name": "vpcwire audit", "rules": rules}},
                "results": results,
                "properties": {"where": where, "result": summary(proof)},
            }
        ],
    }
