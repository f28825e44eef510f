"""Engine verdict and packet result for the same flows over one materialised Network."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from vpcwire.network import Network
from vpcwire.sandbox.dataplane import PacketResult, materialise, probe_flows
from vpcwire.sandbox.dataplane.compare import agrees
from vpcwire.verify import Disposition, Engine, Flow, Trace


@dataclass(frozen=True)
class Outcome:
    flow: Flow
    trace: Trace
    packets: bool | None
    detail: str
    result: PacketResult

    @property
    def engine(self) -> Disposition:
        return self.trace.disposition

    @property
    def agree(self) -> bool:
        return agrees(self.trace, self.result)


def outcomes(
    network: Network, flows: Sequence[Flow], state: Path, timeout: float = 2.0
) -> list[Outcome]:
    plane = materialise(network, state, imds=False)
    engine = Engine(network)
    results = probe_flows(network, plane.layout, flows, timeout=timeout)
    return [
        Outcome(f, engine.trace(f), r.reached, r.detail, r)
        for f, r in zip(flows, results, strict=True)
    ]


def disagreements(found: Sequence[Outcome]) -> list[str]:
    return [
        f"{o.flow}: engine {o.engine}, packets {o.packets} ({o.detail})"
        for o in found
        if not o.agree
    ]
