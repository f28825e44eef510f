"""The printed form of a trace: the hop-by-hop story, then every block and its fix.

A flow that fans out over many targets would print the same hops many times; branches
whose checks are identical (same hops, same results) are printed once and the others are
listed in one line under it.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    # annotations only: trace.py imports this module to print itself
    from vpcwire.verify.trace import Block, Branch, Hop, Trace

__all__ = ["render_trace"]

OK, FAIL = "✓", "✗"


def render_trace(trace: Trace) -> str:
    lines = [f"Flow: {trace.flow}", f"Disposition: {trace.disposition}"]
    lines += [f"Note: {note}" for note in trace.notes]
    if len(trace.branches) <= 1:
        lines += _path(trace.hops, "")
    else:
        lines += _branches(trace)
    lines += _blocks(trace.blocks)
    return "\n".join(lines)


def _path(hops: Iterable[Hop], indent: str) -> list[str]:
    lines: list[str] = []
    direction = ""
    for number, hop in enumerate(hops, 1):
        if hop.direction != direction:
            direction = hop.direction
            lines.append(f"{indent}{'Forward' if direction == 'forward' else 'Return'} path")
        where = f"; {hop.detail}" if hop.detail else ""
        lines.append(f"{indent}{number:>3}. {hop.label} [{hop.kind}]{where}")
        for step in hop.steps:
            code = f" [{step.reason}]" if step.reason and not step.ok else ""
            mark = OK if step.ok else FAIL
            lines.append(f"{indent}       {mark} {step.action}: {step.detail}{code}")
    return lines


def _signature(branch: Branch) -> tuple[object, ...]:
    hops = tuple(
        (hop.kind, hop.direction, tuple((s.action, s.ok, s.reason) for s in hop.steps))
        for hop in branch.hops
    )
    return (branch.disposition, hops, tuple(sorted(b.key for b in branch.blocks)))


def _branches(trace: Trace) -> list[str]:
    total = len(trace.branches)
    good = sum(1 for b in trace.branches if b.disposition == "REACHABLE")
    lines = [f"{total} branches, {good} reachable"]
    first_of: dict[tuple[object, ...], int] = {}
    followers: dict[int, list[Branch]] = {}
    for branch in trace.branches:
        signature = _signature(branch)
        if signature in first_of:
            followers[first_of[signature]].append(branch)
        else:
            first_of[signature] = branch.index
            followers[branch.index] = []
    for branch in trace.branches:
        if branch.index not in followers:
            continue
        lines.append(f"Branch {branch.index}/{total}: {branch.label} — {branch.disposition}")
        lines += _path(branch.hops, "  ")
        same = followers[branch.index]
        if same:
            numbers = ", ".join(str(b.index) for b in same)
            labels = [b.label for b in same[:2]]
            if len(same) > 2:
                labels.append(f"and {len(same) - 2} more")
            word = "Branches" if len(same) > 1 else "Branch"
            lines.append(
                f"{word} {numbers} ({'; '.join(labels)}): same checks as branch "
                f"{branch.index} — {branch.disposition}"
            )
    return lines


def _blocks(blocks: tuple[Block, ...]) -> list[str]:
    if not blocks:
        return ["Result: every check passed, forward and back."]
    count = len(blocks)
    lines = [f"Blocked by {count} thing{'s' if count != 1 else ''}:"]
    for number, block in enumerate(blocks, 1):
        where = f" (branches {', '.join(map(str, block.branches))})" if block.branches else ""
        unknown = " (unknown: the network lacks data)" if block.unknown else ""
        at = block.label or block.resource
        lines.append(f"  {number}. {block.reason} at {at}{where}{unknown}")
        lines.append(f"     {block.detail}")
        lines.append(f"     fix: {block.fix}")
    return lines
