"""How the reachability engine scales: build time, trace time, per-trace latency, memory.

    .venv/bin/python benchmarks/verify_scale.py            # 100, 300, 1,000 VPCs; 5,000 flows
    .venv/bin/python benchmarks/verify_scale.py --quick    # 100 VPCs only

Each size runs in a fresh child process pinned to one CPU, so that its peak RSS is its own
and the figures are single-core figures; times are CPU times of that process, so other
load on the machine does not inflate them (wall time for all flows is printed too). Per
size: the Engine's index build time, the time to trace every flow (``trace_many``), the
median / p99 / max time of one ``trace`` call on a fresh engine (engine time only: the
Network is built before timing starts), the peak RSS of the process and the tracemalloc
peak of the engine (indexes, memo and every trace kept). On the largest network it also
traces the first 1k, 2k and 5k flows with a fresh engine each, to show that time grows
linearly with the number of flows.

Targets (one core): 5,000 flows on 1,000 VPCs ≤ 5 s, one trace ≤ 1 ms, peak ≤ 1 GiB.
"""

from __future__ import annotations

import argparse
import collections
import gc
import json
import os
import resource
import statistics
import subprocess
import sys
import time
import tracemalloc
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
SIZES = ((100, 1_000), (300, 3_000), (1_000, 10_000))
FLOWS = 5_000


def child(vpcs: int, instances: int, flow_count: int, curve: bool) -> dict[str, Any]:
    sys.path.insert(0, str(HERE))
    import synthetic  # type: ignore[import-not-found]  # benchmarks/ is not a package

    from vpcwire.verify import Engine

    if hasattr(os, "sched_setaffinity"):
        os.sched_setaffinity(0, {0})
    started = time.perf_counter()
    estate = synthetic.build(vpcs, instances)
    flows = synthetic.flows(estate, flow_count)
    generated = time.perf_counter() - started
    network = estate.network

    # CPU time of this process, not wall time: the figures then hold on a busy machine too.
    clock = time.process_time
    started = clock()
    engine = Engine(network)
    index_build = clock() - started

    started, wall = clock(), time.perf_counter()
    traces = engine.trace_many(flows)
    total, total_wall = clock() - started, time.perf_counter() - wall

    # One trace at a time, on a fresh engine (nothing memoised yet), in the same conditions
    # as trace_many (collector paused), then once more with the collector running.
    latencies = {}
    for label, paused in (("paused", True), ("gc", False)):
        del engine
        gc.collect()
        engine = Engine(network)
        times: list[float] = []
        if paused:
            gc.disable()
        for flow in flows:
            t0 = clock()
            engine.trace(flow)
            times.append(clock() - t0)
        gc.enable()
        times.sort()
        latencies[label] = (
            statistics.median(times) * 1e3,
            times[int(len(times) * 0.99) - 1] * 1e3,
            times[-1] * 1e3,
        )
    out: dict[str, Any] = {
        "vpcs": len(network.vpcs),
        "instances": len(network.instances),
        "resources": len(network),
        "flows": len(flows),
        "generate_s": generated,
        "index_build_s": index_build,
        "trace_all_s": total,
        "trace_all_wall_s": total_wall,
        "median_ms": latencies["paused"][0],
        "p99_ms": latencies["paused"][1],
        "max_ms": latencies["paused"][2],
        "gc_on_ms": latencies["gc"],
        "branches_max": max(len(t.branches) for t in traces),
        "dispositions": dict(collections.Counter(str(t.disposition) for t in traces)),
    }
    del traces, engine
    gc.collect()

    tracemalloc.start()
    engine = Engine(network)
    kept = [engine.trace(flow) for flow in flows]
    out["tracemalloc_peak_mib"] = tracemalloc.get_traced_memory()[1] / 2**20
    tracemalloc.stop()
    del kept, engine
    out["peak_rss_mib"] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024

    if curve:
        points = []
        for count in (1_000, 2_000, 5_000):
            gc.collect()
            fresh = Engine(network)
            t0 = clock()
            fresh.trace_many(flows[:count])
            points.append((count, clock() - t0))
        out["curve"] = points
    return out


def run_child(vpcs: int, instances: int, curve: bool) -> dict[str, Any]:
    command = [sys.executable, __file__, "--child", str(vpcs), str(instances), str(FLOWS)]
    if curve:
        command.append("--curve")
    done = subprocess.run(command, check=True, capture_output=True, text=True)
    result: dict[str, Any] = json.loads(done.stdout.strip().splitlines()[-1])
    return result


def report(rows: list[dict[str, Any]]) -> None:
    head = (
        f"{'VPCs':>5} {'inst':>6} {'res':>7} {'flows':>6} {'index':>7} {'all flows':>10} "
        f"{'median':>8} {'p99':>8} {'max':>8} {'RSS':>7} {'tracemalloc':>11}"
    )
    print("CPU seconds on one core; per-trace figures are engine time only.")
    print(head)
    print("-" * len(head))
    for r in rows:
        print(
            f"{r['vpcs']:>5} {r['instances']:>6} {r['resources']:>7} {r['flows']:>6} "
            f"{r['index_build_s'] * 1e3:>5.0f}ms {r['trace_all_s']:>9.2f}s "
            f"{r['median_ms']:>6.3f}ms {r['p99_ms']:>6.3f}ms {r['max_ms']:>6.2f}ms "
            f"{r['peak_rss_mib']:>4.0f}MiB {r['tracemalloc_peak_mib']:>8.0f}MiB"
        )
    for r in rows:
        med, p99, top = r["gc_on_ms"]
        print(
            f"  {r['vpcs']} VPCs: all flows took {r['trace_all_wall_s']:.2f}s wall; one at a "
            f"time with the collector on: median {med:.3f}ms, p99 {p99:.3f}ms, max {top:.1f}ms; "
            f"widest flow {r['branches_max']} branches; {r['dispositions']}; network "
            f"generated in {r['generate_s']:.1f}s (not counted)"
        )
    for r in rows:
        if "curve" in r:
            print(f"Flow-count scaling on {r['vpcs']} VPCs (fresh engine each, CPU seconds):")
            base_n, base_t = r["curve"][0]
            for count, seconds in r["curve"]:
                per = seconds / count * 1e3
                ratio = (seconds / base_t) / (count / base_n)
                print(
                    f"  {count:>5} flows: {seconds:6.2f}s  {per:.3f} ms/flow  "
                    f"(x{ratio:.2f} of linear)"
                )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--quick", action="store_true", help="100 VPCs only")
    parser.add_argument(
        "--child", nargs=3, type=int, metavar=("VPCS", "INSTANCES", "FLOWS"), help=argparse.SUPPRESS
    )
    parser.add_argument("--curve", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        vpcs, instances, count = args.child
        print(json.dumps(child(vpcs, instances, count, curve=args.curve)))
        return
    sizes = SIZES[:1] if args.quick else SIZES
    rows = [run_child(v, i, curve=(v, i) == sizes[-1]) for v, i in sizes]
    report(rows)


if __name__ == "__main__":
    main()
