"""Engine vs kernel on many random estates built in the sandbox with boto3.

    sudo .venv/bin/python benchmarks/dataplane_agreement.py [N=500] [--seed S]
    sudo .venv/bin/python benchmarks/dataplane_agreement.py N --direct
    sudo .venv/bin/python benchmarks/dataplane_agreement.py N --direct --tgw

``--direct`` skips boto3 and the reader (seconds per estate): half the estates are the
verifier's random networks (tests/verify/strategies.py: peerings, SGs, NACLs, routes per
direction), half are generated estates (benchmarks/synthetic.py, 4-12 VPCs, PrivateLink,
outposts, native cross-region, accounts) with 60 drawn flows each. ``--tgw``: every estate a
random Transit Gateway estate (tests/verify/transit_strategies.py: one or two TGWs, inter-region
peering, segments of 1-3 route tables, blackholes, missing propagations, associations and AZs,
ACLs on attachment subnets), 4-10 drawn flows each.

Each estate (tests/sandbox/dataplane/estates.py: peering chains, overlapping CIDRs, SG and NACL
variations, PrivateLink with and without the outpost pattern, two regions, two accounts)
is read back, materialised as namespaces, and every drawn flow is sent for real. Prints
each disagreement (recipe, flow, engine verdict, packet result) and a summary; exits 1 if
any disagreement was found.
"""

from __future__ import annotations

import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from botocore.exceptions import ClientError
from hypothesis import Phase, given, settings

from tests.sandbox.dataplane.estates import Recipe, build, judge, recipes
from vpcwire.sandbox.dataplane import materialise, probe_flows, teardown
from vpcwire.sandbox.dataplane.compare import engine_word
from vpcwire.sandbox.server import Sandbox


def direct(count: int, seed: int, *, tgw: bool = False) -> int:
    """Engine vs kernel on Networks built in memory (no sandbox, no reader)."""
    import random

    from hypothesis import strategies as st

    from tests.sandbox.dataplane.helpers import outcomes
    from tests.verify.strategies import flows, networks

    sys.path.insert(0, str(Path(__file__).resolve().parent))
    import synthetic  # type: ignore[import-not-found]  # benchmarks/ is not a package

    state = Path(tempfile.mkdtemp(prefix="vpcwire-agreement-direct-"))
    found: list[str] = []
    tally = {"estates": 0, "flows": 0, "reachable": 0, "partial": 0, "late": 0}
    started = time.monotonic()

    def judge_one(network: object, drawn_flows: list[object], what: str) -> None:
        try:
            found_here = outcomes(network, drawn_flows, state, timeout=1.0)  # type: ignore[arg-type]
            late = [o for o in found_here if not o.agree and o.packets is False]
            if late:
                # A reply slower than the timeout on a loaded machine is not a verdict:
                # ask those flows again, patiently, before calling it a disagreement.
                plane = materialise(network, state, imds=False)  # type: ignore[arg-type]
                again = probe_flows(network, plane.layout, [o.flow for o in late], timeout=5.0)  # type: ignore[arg-type]
                fixed = {o.flow for o, r in zip(late, again, strict=True) if r.reached}
                tally["late"] += len(fixed)
                found_here = [o for o in found_here if o.flow not in fixed or o.agree]
        finally:
            teardown(state)
        tally["estates"] += 1
        tally["flows"] += len(found_here)
        tally["reachable"] += sum(bool(o.packets) for o in found_here)
        tally["partial"] += sum(engine_word(o.trace) == "partial" for o in found_here)
        for o in found_here:
            if not o.agree:
                found.append(
                    f"{what}: {o.flow}: engine {o.engine}, packets {o.packets} ({o.detail})"
                )
                print("DISAGREE", found[-1], flush=True)
        if tally["estates"] % 50 == 0:
            print(f"{tally['estates']} estates, {len(found)} disagreements", flush=True)

    @st.composite
    def drawn(draw: st.DrawFn) -> tuple[object, list[object]]:
        net = draw(networks())
        return net, draw(st.lists(flows(net), min_size=4, max_size=10))

    @st.composite
    def drawn_tgw(draw: st.DrawFn) -> tuple[object, list[object]]:
        from tests.verify.transit_strategies import tgw_networks

        net = draw(tgw_networks())
        return net, draw(st.lists(flows(net), min_size=4, max_size=10))

    # --tgw: every estate a Transit Gateway one (tests/verify/transit_strategies.py)
    examples = count if tgw else count // 2

    @settings(max_examples=examples, deadline=None, phases=[Phase.generate], database=None)
    @given(case=drawn_tgw() if tgw else drawn())
    def run(case: tuple[object, list[object]]) -> None:
        net, drawn_flows = case
        what = "random TGW network" if tgw else "random network"
        judge_one(net.net.build(), drawn_flows, what)  # type: ignore[attr-defined]

    import hypothesis

    hypothesis.seed(seed)(run)()
    rng = random.Random(seed)
    for k in range(0 if tgw else count - count // 2):
        estate = synthetic.build(rng.randint(8, 14), rng.randint(16, 40), seed=seed * 10_000 + k)
        judge_one(estate.network, synthetic.flows(estate, 60, seed=k), f"synthetic seed {k}")
    took = time.monotonic() - started
    print(
        f"direct: {tally['estates']} estates, {tally['flows']} flows ({tally['reachable']} "
        f"reachable by packets, {tally['partial']} partial, {tally['late']} answered only on a "
        f"patient retry), {len(found)} disagreements, {took:.0f}s"
    )
    return 1 if found else 0


def main() -> int:
    args = [a for a in sys.argv[1:] if not a.startswith("--")]
    count = int(args[0]) if args else 500
    if "--direct" in sys.argv:
        seed = int(sys.argv[sys.argv.index("--seed") + 1]) if "--seed" in sys.argv else 0
        return direct(count, seed, tgw="--tgw" in sys.argv)
    seed = int(sys.argv[sys.argv.index("--seed") + 1]) if "--seed" in sys.argv else 0
    state = Path(tempfile.mkdtemp(prefix="vpcwire-agreement-"))
    found: list[str] = []
    tally = {"estates": 0, "flows": 0, "reachable": 0, "refused": 0, "partial": 0}
    started = time.monotonic()
    with Sandbox() as sandbox:

        @settings(max_examples=count, deadline=None, phases=[Phase.generate], database=None)
        @given(recipe=recipes())
        def run(recipe: Recipe) -> None:
            try:
                _, outcomes = judge(build(sandbox.endpoint_url, recipe), state)
            except ClientError as exc:  # an estate the API refuses: not a disagreement
                tally["refused"] += 1
                print(f"refused by the API: {exc}", flush=True)
                return
            finally:
                teardown(state)
            tally["estates"] += 1
            tally["flows"] += len(outcomes)
            tally["reachable"] += sum(bool(o.packets) for o in outcomes)
            tally["partial"] += sum(engine_word(o.trace) == "partial" for o in outcomes)
            for o in outcomes:
                if not o.agree:
                    found.append(
                        f"{o.flow}: engine {o.engine}, packets {o.packets} ({o.detail})\n"
                        f"    recipe: {recipe}"
                    )
                    print("DISAGREE", found[-1], flush=True)
            if tally["estates"] % 25 == 0:
                print(f"{tally['estates']} estates, {len(found)} disagreements", flush=True)

        import hypothesis

        hypothesis.seed(seed)(run)()
    took = time.monotonic() - started
    print(
        f"{tally['estates']} estates, {tally['flows']} flows ({tally['reachable']} reachable by "
        f"packets, {tally['partial']} partial), {tally['refused']} refused by the API, "
        f"{len(found)} disagreements, {took:.0f}s ({took / max(tally['estates'], 1):.1f}s per estate)"
    )
    return 1 if found else 0


if __name__ == "__main__":
    import signal

    # A TERM (timeout, kill PID) unwinds through the teardowns: no namespace left behind.
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))
    sys.exit(main())
