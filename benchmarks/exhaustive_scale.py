"""How the exhaustive proof scales (`verify --exhaustive`, `audit`; issue 21).

    .venv/bin/python benchmarks/exhaustive_scale.py                 # reference + 1,010 VPCs
    .venv/bin/python benchmarks/exhaustive_scale.py --vpcs 100,300  # other synthetic sizes

Each run is a fresh child process pinned to one CPU, so its peak RSS is its own and its
times are single-core CPU times (other load on a shared machine does not inflate them; wall
time is printed too). Timed: ``prove(network, asked)`` — host classes, every class traced
(host to host, endpoint and load balancer, to every public block, from the internet),
statuses — on a Network built before timing starts (the reference architecture is planned
from examples/inter-region-privatelink.yaml; the synthetic one is benchmarks/synthetic.py's,
1,000 VPCs + 10 outposts as benchmarks/verify_scale.py builds it).

Targets (issue 21, one core): the reference architecture ≤ 0.5 s; the 1,010-VPC synthetic
network ≤ 10 s and ≤ 1 GiB peak RSS.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent


def child(kind: str, vpcs: int) -> dict[str, Any]:
    sys.path.insert(0, str(HERE))
    if hasattr(os, "sched_setaffinity"):
        os.sched_setaffinity(0, {0})
    from vpcwire.verify.exhaustive import asked_by_intents, prove

    if kind == "reference":
        from vpcwire.cli._app import load_spec_file
        from vpcwire.pipeline import plan
        from vpcwire.verify.intents import derive_intents

        planned = plan(load_spec_file(ROOT / "examples" / "inter-region-privatelink.yaml"))
        network, intents = planned.network, derive_intents(planned)
    else:
        import synthetic  # type: ignore[import-not-found]  # benchmarks/ is not a package

        network, intents = synthetic.build(vpcs, vpcs * 10).network, []
    started, wall = time.process_time(), time.perf_counter()
    proof = prove(network, asked_by_intents(network, intents))
    cpu, wall = time.process_time() - started, time.perf_counter() - wall
    return {
        "vpcs": len(network.vpcs),
        "instances": len(network.instances),
        "cpu_s": cpu,
        "wall_s": wall,
        "classes": len(proof.classes),
        "open": len(proof.open),
        "unknown": len(proof.unknown),
        "rss_mib": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
    }


def measure(kind: str, vpcs: int = 0) -> dict[str, Any]:
    out = subprocess.run(
        [sys.executable, __file__, "--child", kind, "--vpcs", str(vpcs)],
        check=True,
        capture_output=True,
        text=True,
    ).stdout
    result: dict[str, Any] = json.loads(out.splitlines()[-1])
    return result


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--vpcs", default="1000", help="synthetic sizes, comma-separated")
    parser.add_argument("--child", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        print(json.dumps(child(args.child, int(args.vpcs))))
        return 0
    rows: list[tuple[str, float | None, float]] = []
    ref = measure("reference")
    print(
        f"reference architecture: {ref['cpu_s']:.3f} s CPU ({ref['wall_s']:.3f} s wall), "
        f"{ref['classes']} classes, {ref['open']} open, {ref['unknown']} unknown"
    )
    rows.append(("reference architecture, s CPU", 0.5, ref["cpu_s"]))
    for size in (int(s) for s in args.vpcs.split(",")):
        r = measure("synthetic", size)
        print(
            f"{r['vpcs']:>5} VPCs, {r['instances']:>6} instances: {r['cpu_s']:.2f} s CPU "
            f"({r['wall_s']:.2f} s wall), {r['classes']} classes, {r['open']} open, "
            f"{r['unknown']} unknown, peak RSS {r['rss_mib']:.0f} MiB"
        )
        if r["vpcs"] >= 1000:
            rows.append((f"{r['vpcs']} VPCs, s CPU", 10.0, r["cpu_s"]))
            rows.append((f"{r['vpcs']} VPCs, peak RSS MiB", 1024.0, r["rss_mib"]))
        else:
            rows.append((f"{r['vpcs']} VPCs, s CPU (no target)", None, r["cpu_s"]))
    print(f"{'target':<44} {'target':>7} {'measured':>9} {'ratio':>6}")
    for what, target, measured in rows:
        ratio = f"{measured / target:.2f}" if target else "-"
        shown = f"{target:g}" if target is not None else "-"
        print(f"{what:<44} {shown:>7} {measured:>9.2f} {ratio:>6}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
