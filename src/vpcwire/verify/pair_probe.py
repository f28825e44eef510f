"""Trace a pair's classes only when its path exists: one probe first, the rest if needed.

Every class of one (source, destination) pair starts from the same host to the same address;
only protocol and port differ. A route lookup on the way out (``NO_ROUTE``, never the reply's
``NO_RETURN_ROUTE``) and a stopped instance (``INSTANCE_NOT_RUNNING``) depend on neither, so
when the pair's first class is closed by one of them, every class of the pair is closed by
the same block, and its trace stands for them all (a quarter of the classes of the synthetic
estate: mostly private hosts with no way out to the internet). So does a missing public
address on the way out through an internet gateway (``NO_PUBLIC_IP``): the gateway carries
no protocol or port of the host's. Before any of this, ``early`` may close a flow without a
trace (:mod:`vpcwire.verify.filter_probe`: a filter that blocks it); the probe is then the
pair's first flow it left open.
"""

from __future__ import annotations

from collections.abc import Callable, Hashable, Sequence

from vpcwire.verify.engine import Engine
from vpcwire.verify.flow import Flow
from vpcwire.verify.reasons import Reason
from vpcwire.verify.trace import Disposition, Trace

__all__ = ["trace_by_pair"]

_PAIR_WIDE = frozenset({Reason.NO_ROUTE, Reason.INSTANCE_NOT_RUNNING, Reason.NO_PUBLIC_IP})


def trace_by_pair(
    engine: Engine,
    flows: Sequence[Flow],
    pairs: Sequence[Hashable],
    early: Callable[[Flow], Trace | None] | None = None,
) -> list[Trace]:
    """A trace for each flow (``pairs[i]`` names flow i's pair): its own, or its pair's
    probe's when that is closed for every protocol and port, or ``early``'s verdict."""
    out: list[Trace | None] = [None] * len(flows)
    if early is not None:
        for n, flow in enumerate(flows):
            out[n] = early(flow)
    first: dict[Hashable, int] = {}
    for n, key in enumerate(pairs):
        if out[n] is None:
            first.setdefault(key, n)
    probes = list(first.values())
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
