"""How the reachability engine scales: build time, trace time, per-trace latency, memory.

    .venv/bin/python benchmarks/verify_scale.py            # 100, 300, 1,000 VPCs; 5,000 flows
    .venv/bin/python benchmarks/verify_scale.py --quick    # 1,000 VPCs only (the targets)
    .venv/bin/python benchmarks/verify_scale.py --full     # and 10,100 VPCs / 50,000 flows
    .venv/bin/python benchmarks/verify_scale.py --quick --src /path/to/other/src  # "before"

Each size runs 3 times (``--repeat``) and the median run (by index build + all flows) is
reported; ``--src`` measures another tree with this script and this synthetic estate.

Each size runs in a fresh child process pinned to one CPU, so that its peak RSS is its own
and the figures are single-core figures; times are CPU times of that process, so other
load on the machine does not inflate them (wall time for all flows is printed too). Per
size: the Engine's index build time, the time to trace every flow (``trace_many``), the
median / p99 / max time of one ``trace`` call on a fresh engine (engine time only: the
Network is built before timing starts), the peak RSS of the process and the tracemalloc
peak of the engine (indexes, memo and every trace kept). On the largest network it also
traces the first 1k, 2k and 5k flows with a fresh engine each, to show that time grows
linearly with the number of flows.

The 10,100-VPC run (``--full``: 10,000 VPCs + 100 outposts, 100,000 instances, 50,000
flows) measures only the index build, all flows and the peak RSS (a per-flow pass on a
fresh engine and tracemalloc would take minutes there).

Targets (one core, issue 12): 1,000 VPCs / 5,000 flows ≤ 0.6 s including the index; no
single trace over 5 ms at 1,000 VPCs (the max, with the collector running as it does for a
user); 10,100 VPCs / 50,000 flows ≤ 8 s and ≤ 700 MiB peak RSS.
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
FULL = (10_000, 100_000)
FLOWS = 5_000
FULL_FLOWS = 50_000


def light_child(vpcs: int, instances: int, flow_count: int) -> dict[str, Any]:
    """Index build, all flows and peak RSS only: the 10k-VPC run."""
    sys.path.insert(0, str(HERE))
    import synthetic  # type: ignore[import-not-found]  # benchmarks/ is not a package

    from vpcwire.verify import Engine

    if hasattr(os, "sched_setaffinity"):
        os.sched_setaffinity(0, {0})
    estate = synthetic.build(vpcs, instances)
    flows = synthetic.flows(estate, flow_count)
    network = estate.network
    gc.collect()
    network_rss = _rss_mib()
    clock = time.process_time
    started = clock()
    engine = Engine(network)
    index_build = clock() - started
    index_rss = _rss_mib()
    started = clock()
    traces = engine.trace_many(flows)
    total = clock() - started
    return {
        "vpcs": len(network.vpcs),
        "resources": len(network),
        "flows": len(traces),
        "index_build_s": index_build,
        "trace_all_s": total,
        "network_rss_mib": network_rss,
        "index_rss_mib": index_rss,
        "peak_rss_mib": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
    }


def _rss_mib() -> float:
    with open("/proc/self/statm") as statm:
        return int(statm.read().split()[1]) * os.sysconf("SC_PAGE_SIZE") / 2**20


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


# set by --src / --repeat in main()
CHILD_ENV: dict[str, str] | None = None
REPEAT = 3


def run_child(
    vpcs: int, instances: int, curve: bool, flows: int = FLOWS, light: bool = False
) -> dict[str, Any]:
    """The median run of REPEAT fresh child processes (by index build + all flows)."""
    command = [sys.executable, __file__, "--child", str(vpcs), str(instances), str(flows)]
    if curve:
        command.append("--curve")
    if light:
        command.append("--light")
    runs = []
    for _ in range(REPEAT):
        done = subprocess.run(command, check=True, capture_output=True, text=True, env=CHILD_ENV)
        runs.append(json.loads(done.stdout.strip().splitlines()[-1]))
    runs.sort(key=lambda r: r["index_build_s"] + r["trace_all_s"])
    result: dict[str, Any] = runs[len(runs) // 2]
    result["runs"] = [round(r["index_build_s"] + r["trace_all_s"], 3) for r in runs]
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


def targets(rows: list[dict[str, Any]], full: dict[str, Any] | None) -> list[tuple[str, str, str]]:
    """(what, target, measured) rows for benchmarks/run_all.py's table."""
    out = []
    for r in rows:
        if r["vpcs"] >= 1_000:
            out.append(
                (
                    f"{r['vpcs']} VPCs / {r['flows']} flows incl. index (CPU s)",
                    "0.6",
                    f"{r['index_build_s'] + r['trace_all_s']:.3f}",
                )
            )
            out.append(
                (f"max single trace, {r['vpcs']} VPCs, GC on (ms)", "5", f"{r['gc_on_ms'][2]:.2f}")
            )
            out.append(
                (f"max single trace, {r['vpcs']} VPCs, GC paused (ms)", "5", f"{r['max_ms']:.2f}")
            )
    if full is not None:
        out.append(
            (
                f"{full['vpcs']} VPCs / {full['flows']} flows incl. index (CPU s)",
                "8",
                f"{full['index_build_s'] + full['trace_all_s']:.2f}",
            )
        )
        out.append(
            (
                f"{full['vpcs']} VPCs / {full['flows']} flows peak RSS (MiB)",
                "700",
                f"{full['peak_rss_mib']:.0f}",
            )
        )
    return out


def print_targets(rows: list[tuple[str, str, str]]) -> None:
    print(f"{'target':<52} {'target':>7} {'measured':>9} {'ratio':>6}")
    for what, target, measured in rows:
        print(f"{what:<52} {target:>7} {measured:>9} {float(measured) / float(target):>6.2f}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--quick", action="store_true", help="1,000 VPCs only")
    parser.add_argument("--full", action="store_true", help="also 10,100 VPCs / 50,000 flows")
    parser.add_argument("--json", action="store_true", help="print one JSON document")
    parser.add_argument(
        "--child", nargs=3, type=int, metavar=("VPCS", "INSTANCES", "FLOWS"), help=argparse.SUPPRESS
    )
    parser.add_argument("--curve", action="store_true", help=argparse.SUPPRESS)
    parser.add_argument("--light", action="store_true", help=argparse.SUPPRESS)
    parser.add_argument("--repeat", type=int, default=3, help="runs per size; the median shows")
    parser.add_argument("--src", help="measure another tree (its src/ directory), e.g. before")
    args = parser.parse_args()
    global CHILD_ENV, REPEAT
    REPEAT = max(1, args.repeat)
    if args.src:
        CHILD_ENV = dict(os.environ, PYTHONPATH=str(Path(args.src).resolve()))
    if args.child:
        vpcs, instances, count = args.child
        if args.light:
            print(json.dumps(light_child(vpcs, instances, count)))
        else:
            print(json.dumps(child(vpcs, instances, count, curve=args.curve)))
        return
    sizes = SIZES[-1:] if args.quick else SIZES
    rows = [run_child(v, i, curve=(v, i) == sizes[-1] and not args.quick) for v, i in sizes]
    full = run_child(*FULL, curve=False, flows=FULL_FLOWS, light=True) if args.full else None
    load = os.getloadavg()
    if args.json:
        print(json.dumps({"rows": rows, "full": full, "targets": targets(rows, full)}))
        return
    print(f"load average {load[0]:.2f} {load[1]:.2f} {load[2]:.2f}")
    report(rows)
    if full is not None:
        print(
            f"{full['vpcs']} VPCs, {full['resources']} resources, {full['flows']} flows: index "
            f"{full['index_build_s']:.2f}s, all flows {full['trace_all_s']:.2f}s (CPU); RSS: "
            f"network {full['network_rss_mib']:.0f} MiB, + index {full['index_rss_mib']:.0f} "
            f"MiB, peak {full['peak_rss_mib']:.0f} MiB (median of {REPEAT}: "
            f"{', '.join(f'{t}s' for t in full['runs'])})"
        )
    print_targets(targets(rows, full))


if __name__ == "__main__":
    main()
