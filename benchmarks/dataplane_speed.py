"""How fast the packet data plane is built, probed and removed.

    sudo .venv/bin/python benchmarks/dataplane_speed.py [--quick]

1. The reference architecture (examples/inter-region-privatelink.yaml, its planned
   Network): materialise, probe every intent, teardown (targets: ≤ 2 s each).
2. Generated estates (benchmarks/synthetic.py: peering and PrivateLink mixed, several
   accounts and regions) of 10, 25, 50 and 100 VPCs: namespaces made, materialise,
   probe 200 drawn flows, teardown (target for 100 VPCs: materialise ≤ 30 s). Also prints
   how many probed flows the engine and the kernel agree on.
"""

from __future__ import annotations

import sys
import tempfile
import time
from pathlib import Path

from vpcwire.pipeline import plan
from vpcwire.sandbox.dataplane import materialise, probe_flows, teardown
from vpcwire.sandbox.dataplane.compare import agrees, engine_word
from vpcwire.spec.load import load_spec
from vpcwire.verify import Engine
from vpcwire.verify.intents import derive_intents

HERE = Path(__file__).resolve().parent


def timed(label: str, func, *args, **kwargs):  # type: ignore[no-untyped-def]
    started = time.monotonic()
    result = func(*args, **kwargs)
    took = time.monotonic() - started
    print(f"  {label:<28} {took:6.2f}s", flush=True)
    return result, took


def agreement(network, flows, results) -> tuple[int, list[str]]:  # type: ignore[no-untyped-def]
    engine = Engine(network)
    bad = []
    for flow, result, trace in zip(flows, results, engine.trace_many(flows), strict=True):
        if engine_word(trace) == "unknown":
            continue
        if not agrees(trace, result):
            bad.append(
                f"{flow}: engine {trace.disposition}, packets {result.word} ({result.detail})"
            )
    return len(flows) - len(bad), bad


def reference(state: Path) -> None:
    planned = plan(load_spec(HERE.parent / "examples" / "inter-region-privatelink.yaml"))
    intents = derive_intents(planned)
    print(f"reference architecture: {len(planned.network.vpcs)} VPCs, {len(intents)} intents")
    plane, _ = timed("materialise", materialise, planned.network, state, imds=False)
    print(f"  {'namespaces':<28} {len(plane.layout.boxes):6d}")
    flows = [i.flow for i in intents]
    results, _ = timed("probe all intents", probe_flows, planned.network, plane.layout, flows)
    ok, bad = agreement(planned.network, flows, results)
    print(f"  engine = packets on {ok}/{len(flows)} intents", *bad, sep="\n    ")
    timed("teardown", teardown, state)
    _, _ = timed("materialise with IMDS", materialise, planned.network, state)
    timed("teardown", teardown, state)


def estates(state: Path, sizes: list[int]) -> None:
    sys.path.insert(0, str(HERE))
    import synthetic  # type: ignore[import-not-found]  # benchmarks/ is not a package

    for size in sizes:
        estate = synthetic.build(size, size * 2)
        net = estate.network
        print(
            f"generated estate: {size} VPCs, {len(net.interfaces)} ENIs, {len(net.peerings)} "
            f"peerings, {len(net.endpoints)} endpoints"
        )
        plane, _ = timed("materialise", materialise, net, state, imds=False)
        print(f"  {'namespaces':<28} {len(plane.layout.boxes):6d}")
        flows = synthetic.flows(estate, 200)
        results, _ = timed("probe 200 flows", probe_flows, net, plane.layout, flows)
        ok, bad = agreement(net, flows, results)
        print(f"  engine = packets on {ok}/{len(flows)} flows (UNKNOWN left out; partial = either)")
        for line in bad[:10]:
            print(f"    {line}")
        timed("teardown", teardown, state)


def main() -> None:
    state = Path(tempfile.mkdtemp(prefix="vpcwire-dataplane-speed-"))
    try:
        reference(state)
        estates(state, [10, 25] if "--quick" in sys.argv else [10, 25, 50, 100])
    finally:
        teardown(state)


if __name__ == "__main__":
    main()
