"""Trace a pair's classes only when its path exists: one probe first, the rest if needed.

Every class of one (source, destination) pair starts from the same host to the same address;
only protocol and port differ. A route lookup on the way out (``NO_ROUTE``, never the reply's
``NO_RETURN_ROUTE``) and a stopped instance (``INSTANCE_NOT_RUNNING``) depend on neither, so
when the pair's first class is closed by one of them, every class of the pair is closed by
the same block, and its trace stands for them all (a quarter of the classes of the synthetic
estate: mostly private hosts with no way out to the internet).
"""

from __future__ import annotations

from collections.abc import Hashable, Sequence

from vpcwire.verify.engine import Engine
from vpcwire.verify.flow import Flow
from vpcwire.verify.reasons import Reason
from vpcwire.verify.trace import Disposition, Trace

__all__ = ["trace_by_pair"]

_PAIR_WIDE = frozenset({Reason.NO_ROUTE, Reason.INSTANCE_NOT_RUNNING})


def trace_by_pair(engine: Engine, flows: Sequence[Flow], pairs: Sequence[Hashable]) -> list[Trace]:
    """A trace for each flow (``pairs[i]`` names flow i's pair): its own, or its pair's
    probe's when that is closed for every protocol and port."""
    first: dict[Hashable, int] = {}
    for n, key in enumerate(pairs):
        first.setdefault(key, n)
    probes = list(first.values())
    out: list[Trace | None] = [None] * len(flows)
    closed: dict[Hashable, Trace] = {}
    for n, trace in zip(probes, engine.trace_many(flows[n] for n in probes), strict=True):
        out[n] = trace
        if _pair_wide(trace):
            closed[pairs[n]] = trace
    rest = [n for n in range(len(flows)) if out[n] is None and pairs[n] not in closed]
    for n, trace in zip(rest, engine.trace_many(flows[n] for n in rest), strict=True):
        out[n] = trace
    return [t if t is not None else closed[pairs[n]] for n, t in enumerate(out)]


def _pair_wide(trace: Trace) -> bool:
    if trace.disposition is not Disposition.UNREACHABLE or any(b.unknown for b in trace.blocks):
        return False
    return any(b.reason in _PAIR_WIDE for b in trace.blocks)
