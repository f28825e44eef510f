"""Verdicts that rest on unknown parts of a scanned network: neither a pass nor a failure.

The engine reasons over the stand-ins a scan puts in fields it could not resolve (see
:mod:`vpcwire.network.unknown`); a verdict whose trace passes or is stopped by such a part
proves nothing. Rather than teach every leg of the engine about unknowns, the verdict is
judged after the fact: if a resource the trace names (a hop, a check at a hop, a block, the
flow's ends) or one such a resource names (an interface's subnet, a subnet's VPC) has an
unknown field the engine reads, the disposition becomes UNKNOWN and the trace's notes say
what is unknown, where it is written, and how to make it known.

Some fields are left out on purpose, because the leg that reads them says UNKNOWN itself
where they decide. Allowed principals: they matter only when the consumer is not the
service's owner (verify/privatelink.py). Accounts: a provider's stand-in account is a
symbol shared by everything created through that provider, so comparing accounts still
proves "same account", and where two unknown accounts decide (a PrivateLink principal) the
engine says UNKNOWN itself. Availability zones: only zonal legs read them (an NLB node, an
endpoint's interface); a trace with no load balancer or endpoint ignores them, else every
flow in the subnets of a module whose AZs are unknown would be undecided for no reason.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import replace

from vpcwire.network import Network
from vpcwire.network.model import UnknownValue
from vpcwire.network.unknown import ACCOUNT_FIELDS, resting_on
from vpcwire.verify.trace import Disposition, Trace

__all__ = ["undecided_trace", "undecided_traces", "unknowns_in_trace"]

_ZONAL_ENIS = frozenset({"load_balancer", "vpc_endpoint"})


def _named(trace: Trace) -> Iterator[str]:
    yield trace.flow.source
    yield trace.flow.destination
    for hop in trace.hops:
        yield hop.resource
        for step in hop.steps:
            if step.resource:
                yield step.resource
    for block in trace.blocks:
        yield block.resource


def _fields(network: Network) -> frozenset[str]:
    return frozenset(u.field for r in network.resources() for u in r.unknowns)


def _zonal(network: Network, rid: str) -> bool:
    if rid in network.load_balancers or rid in network.endpoints:
        return True
    eni = network.interfaces.get(rid)
    return eni is not None and eni.kind in _ZONAL_ENIS


def unknowns_in_trace(
    network: Network, trace: Trace, marked: frozenset[str] | None = None
) -> list[UnknownValue]:
    """``marked``: the fields marked unknown anywhere in the network (computed once by the
    caller of many traces)."""
    ids = list(dict.fromkeys(_named(trace)))
    zonal = any(_zonal(network, rid) for rid in ids)
    if marked is None:
        marked = _fields(network)
    ignored = ACCOUNT_FIELDS | {"allowed_principals"} | (frozenset() if zonal else {"az"})
    fields = marked - ignored
    if not fields:
        return []
    return resting_on(network, ids, fields)


def undecided_traces(network: Network, traces: list[Trace]) -> list[Trace]:
    marked = _fields(network)
    return [undecided_trace(network, t, marked) for t in traces]


def undecided_trace(network: Network, trace: Trace, marked: frozenset[str] | None = None) -> Trace:
    """The trace itself when it rests on nothing unknown; else the same trace, UNKNOWN."""
    if trace.disposition is Disposition.UNKNOWN:
        return trace
    unknowns = unknowns_in_trace(network, trace, marked)
    if not unknowns:
        return trace
    was = str(trace.disposition).lower()
    notes = [f"undecided: with the stand-ins it would be {was}, but it rests on:"]
    notes += [f"  {u}" for u in unknowns]
    return replace(trace, disposition=Disposition.UNKNOWN, notes=(*trace.notes, *notes))
