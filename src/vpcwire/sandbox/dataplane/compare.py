"""Engine verdict beside packet result, per intent: the kernel as an independent judge."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from vpcwire.network import Network
from vpcwire.sandbox.dataplane.layout import Layout
from vpcwire.sandbox.dataplane.packets import PacketResult, probe_flows
from vpcwire.verify.intents import Intent, Verdict, evaluate
from vpcwire.verify.trace import Disposition, Trace

__all__ = [
    "Comparison",
    "agrees",
    "compare",
    "comparison_json",
    "comparison_text",
    "engine_word",
    "entry_verdicts",
]


def engine_word(trace: Trace) -> str:
    """reachable, unreachable, unknown — or partial: some branches (e.g. an endpoint ENI
    to one NLB node) carry the flow and others do not, so AWS carries some connections and
    drops others. The engine's disposition is then UNREACHABLE (not every path works)."""
    if trace.disposition is Disposition.UNKNOWN:
        return "unknown"
    kinds = {b.disposition for b in trace.branches}
    if Disposition.REACHABLE in kinds and len(kinds) > 1:
        return "partial"
    return str(trace.disposition).lower()


def entry_verdicts(trace: Trace, entries: Iterable[str]) -> dict[str, bool | None]:
    """Per entry ENI (endpoint ENI or NLB node): does every engine branch through it carry
    the flow (True), none (False), or some (None: the NLB picks a target per connection)?
    Entries no branch passes are left out."""
    wanted = set(entries)
    seen: dict[str, set[bool]] = {}
    for branch in trace.branches:
        entry = next((h.resource for h in branch.hops if h.resource in wanted), None)
        if entry is not None:
            seen.setdefault(entry, set()).add(branch.disposition is Disposition.REACHABLE)
    return {e: (next(iter(v)) if len(v) == 1 else None) for e, v in seen.items()}


def agrees(trace: Trace, packets: PacketResult | bool | None) -> bool:
    """Engine and packets say the same (an UNKNOWN engine verdict agrees with nothing).

    Where the packets went through each entry ENI of an endpoint or NLB, each entry must
    agree with the engine's branches through it: exact, except where one NLB node sends
    to several targets of which the engine finds only some reachable (the kernel, like
    AWS, picks one per connection). A partial verdict without per-entry results agrees
    with either packet result."""
    reached = packets.reached if isinstance(packets, PacketResult) else packets
    word = engine_word(trace)
    if reached is None or word == "unknown":
        return False
    entries = packets.entries if isinstance(packets, PacketResult) else ()
    verdicts = entry_verdicts(trace, (e for e, _ in entries))
    if entries and verdicts:
        for entry, got in entries:
            want = verdicts.get(entry, None if word == "partial" else word == "reachable")
            if want is not None and want != got:
                return False
        return True
    if word == "partial":
        return True
    if isinstance(packets, PacketResult) and packets.partial:
        return False  # some entries carried it, and the engine says all or none do
    return (word == "reachable") == reached


@dataclass(frozen=True, slots=True)
class Comparison:
    verdict: Verdict
    packets: PacketResult

    @property
    def intent(self) -> Intent:
        return self.verdict.intent

    @property
    def engine(self) -> str:
        return engine_word(self.verdict.trace)

    @property
    def outside(self) -> bool:
        """Beyond the data plane (internet, AWS services): judged by the engine alone."""
        return self.packets.outside

    @property
    def ok(self) -> bool:
        """The packet result is what the intent expects (for a flow beyond the data plane,
        the engine's verdict is what the intent expects: nothing was sent to judge)."""
        if self.outside:
            return self.verdict.ok
        return self.packets.reached is not None and self.packets.word == self.intent.expect

    @property
    def agree(self) -> bool:
        """Engine and packets say the same (an UNKNOWN engine verdict agrees with nothing);
        a flow beyond the data plane has no packet to disagree with."""
        if self.outside:
            return True
        return agrees(self.verdict.trace, self.packets)

    def to_dict(self) -> dict[str, object]:
        return {
            **self.intent.to_dict(),
            "engine": self.engine,
            "packets": self.packets.to_dict(),
            "ok": self.ok,
            "agree": self.agree,
        }


def compare(
    network: Network, layout: Layout, intents: Sequence[Intent], *, timeout: float = 1.0
) -> list[Comparison]:
    verdicts = evaluate(network, intents)
    results = probe_flows(network, layout, [i.flow for i in intents], timeout=timeout)
    return [Comparison(v, r) for v, r in zip(verdicts, results, strict=True)]


def comparison_text(rows: Sequence[Comparison], *, where: str) -> str:
    ok = sum(r.ok for r in rows if not r.outside)
    agree = sum(r.agree for r in rows if not r.outside)
    outside = sum(r.outside for r in rows)
    lines = [
        f"probe ({where}): {len(rows) - outside} intents sent, {ok} packet results as intended, "
        f"{agree} where engine and packets agree"
        + (f"; {outside} beyond the data plane (engine only)" if outside else "")
    ]
    key_w = max((len(r.intent.key) for r in rows), default=0)
    lines.append(
        f"    {'intent'.ljust(key_w)}  {'engine':<11}  {'packets':<11}  what the packet did"
    )
    for r in rows:
        mark = "-" if r.outside else "✓" if r.ok else "✗"
        flag = " " if r.agree else "≠"
        lines.append(
            f"  {mark}{flag}{r.intent.key.ljust(key_w)}  {r.engine:<11}  "
            f"{r.packets.word:<11}  {r.packets.detail}"
        )
    if agree < len(rows) - outside:
        lines.append("  ≠ marks a disagreement between the engine and the kernel: please report it")
    return "\n".join(lines)


def comparison_json(rows: Sequence[Comparison], *, where: str) -> dict[str, object]:
    return {
        "network": where,
        "intents": len(rows),
        "packets_ok": sum(r.ok for r in rows if not r.outside),
        "agree": sum(r.agree for r in rows if not r.outside),
        "outside": sum(r.outside for r in rows),
        "results": [r.to_dict() for r in rows],
    }
