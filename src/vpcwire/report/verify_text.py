"""`vpcwire verify` output: one line per intent, then the full story of each failure."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from vpcwire.verify.intents import Verdict
from vpcwire.verify.trace import Trace

__all__ = ["trace_document", "verify_json", "verify_text"]


def verify_text(verdicts: Sequence[Verdict], *, where: str) -> str:
    passed = sum(v.ok for v in verdicts)
    lines = [
        f"verify ({where}): {len(verdicts)} intents, {passed} passed, {len(verdicts) - passed} failed"
    ]
    width = max((len(v.intent.key) for v in verdicts), default=0)
    for v in verdicts:
        mark = "✓" if v.ok else "✗"
        result = str(v.trace.disposition).lower()
        reasons = sorted({str(r) for r in v.trace.reasons})
        detail = f" ({', '.join(reasons)})" if reasons and v.intent.expect == "unreachable" else ""
        lines.append(f"  {mark} {v.intent.key.ljust(width)}  {result}{detail}")
    for v in verdicts:
        if v.ok:
            continue
        lines.append("")
        expected = "reach" if v.intent.expect == "reachable" else "be blocked"
        lines.append(
            f"✗ {v.intent.key}: expected to {expected} ({v.intent.why}), "
            f"but it is {str(v.trace.disposition).lower()}"
        )
        lines.extend("  " + line for line in str(v.trace).splitlines())
    return "\n".join(lines)


def verify_json(verdicts: Sequence[Verdict], *, where: str) -> dict[str, object]:
    return {
        "network": where,
        "passed": sum(v.ok for v in verdicts),
        "failed": sum(not v.ok for v in verdicts),
        "intents": [v.to_dict() for v in verdicts],
    }


def trace_document(trace: Trace) -> dict[str, Any]:
    """`check --json`'s answer: the verdict, its reasons and the hop-by-hop trace."""
    return {
        "reachable": trace.reachable,
        "disposition": str(trace.disposition),
        "reasons": [str(r) for r in trace.reasons],
        "trace": trace.to_dict(),
    }
