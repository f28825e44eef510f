"""Every benchmark, one after the other, each printing its table (target, measured, ratio).

    .venv/bin/python benchmarks/run_all.py           # quick: ~10 minutes on a quiet machine
    .venv/bin/python benchmarks/run_all.py --full    # adds the 10k-VPC engine run and every
                                                     # example's apply/destroy (~30 minutes)

Quick mode runs: start-up (incl. one `vpcwire check` on the deployed reference
architecture), the engine at 1,000 VPCs, the live read of 100 VPCs, plan + render up to 500
VPCs, and apply/destroy of privatelink.yaml with its critical path. Each script also runs on
its own (see its docstring); the machine's load average is printed with each table, since
other work on a shared machine inflates wall times.
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent

# (script, quick arguments, full arguments)
SCRIPTS: list[tuple[str, list[str] | None, list[str]]] = [
    ("startup.py", [], []),
    ("verify_scale.py", ["--quick"], ["--full"]),
    ("exhaustive_scale.py", [], []),
    ("read_scale.py", ["--vpcs", "100"], ["--vpcs", "200"]),
    ("snapshot_scale.py", ["--vpcs", "100", "--copies", "10"], ["--vpcs", "200", "--copies", "5"]),
    ("plan_render.py", ["--sizes", "100,500"], []),
    ("scan_scale.py", ["--no-terraform"], []),
    ("scan_corpus.py", ["--repeat", "1"], []),
    ("apply_critical_path.py", ["--examples", "privatelink"], []),
    ("up_overhead.py", None, []),  # full mode only
]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--full", action="store_true", help="the long runs too")
    args = parser.parse_args()
    failed = []
    for script, quick, full in SCRIPTS:
        arguments = full if args.full else quick
        if arguments is None:
            continue
        load = os.getloadavg()
        print(f"\n=== {script} {' '.join(arguments)}  (load {load[0]:.2f})", flush=True)
        started = time.monotonic()
        code = subprocess.call([sys.executable, str(HERE / script), *arguments])
        print(f"--- {script}: exit {code}, {time.monotonic() - started:.0f}s", flush=True)
        if code:
            failed.append(script)
    if failed:
        print(f"\nfailed: {', '.join(failed)}")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
