"""Verify: trace flows over a Network and explain, hop by hop, why they pass or not.

    >>> from vpcwire.verify import Engine, Flow
    >>> engine = Engine(network)                       # indexes built once
    >>> result = engine.trace(Flow("client", "api", "tcp", 8080))
    >>> result.disposition, result.reasons
    >>> print(result)                                  # the hop-by-hop story and the fixes
    >>> results = engine.trace_many(flows)             # many flows: faster (see its docstring)

Reason codes and their meanings: :data:`vpcwire.verify.reasons.MEANINGS`. A flow naming
something unknown or ambiguous raises :class:`vpcwire.errors.UsageError`.
"""

from vpcwire.verify.engine import Engine, trace
from vpcwire.verify.flow import EPHEMERAL_PORT, Flow
from vpcwire.verify.reasons import MEANINGS, Reason
from vpcwire.verify.trace import Block, Branch, Disposition, Hop, Step, Trace

__all__ = [
    "EPHEMERAL_PORT",
    "MEANINGS",
    "Block",
    "Branch",
    "Disposition",
    "Engine",
    "Flow",
    "Hop",
    "Reason",
    "Step",
    "Trace",
    "trace",
]
