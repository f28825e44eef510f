"""Time `vpcwire scan` on each configuration of the real-world corpus (tests/corpus/), with
what it found: error findings, VW-W701 notes, intents derived and failed.

    .venv/bin/python benchmarks/scan_corpus.py [--repeat 3]

Each case is scanned as ``run_scan`` runs it (configuration, Network, rules, intents,
verification) with the variables its EXPECTED.yaml names, --repeat times in this process;
the median wall time is printed. Public configurations are small (tens to hundreds of
resources), so the figure that matters is how much of it is evaluating modules like
terraform-aws-modules/vpc (~60 kB of HCL each): no target, a regression shows as a jump.
"""

from __future__ import annotations

import argparse
import os
import statistics
import time
from pathlib import Path

import yaml

from vpcwire.rules import Severity
from vpcwire.scan.run import run_scan

CORPUS = Path(__file__).resolve().parent.parent / "tests" / "corpus"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    load = os.getloadavg()[0]
    print(f"scan time per corpus configuration (median of {args.repeat}; load {load:.2f})")
    header = f"{'case':<66} {'time':>7} {'errors':>6} {'W701':>5} {'intents':>7} {'failed':>6}"
    print(header)
    print("-" * len(header))
    total = 0.0
    for expected in sorted(CORPUS.rglob("EXPECTED.yaml")):
        case = expected.parent
        spec = yaml.safe_load(expected.read_text()) or {}
        var_files = [case / f for f in spec.get("var_files", [])]
        variables = {k: str(v) for k, v in (spec.get("vars") or {}).items()}
        times = []
        for _ in range(args.repeat):
            started = time.perf_counter()
            report = run_scan(case, var_files=var_files, variables=variables)
            times.append(time.perf_counter() - started)
        median = statistics.median(times)
        total += median
        errors = sum(f.severity is Severity.ERROR for f in report.findings)
        notes = sum(f.rule == "VW-W701" for f in report.findings)
        failed = sum(not v.ok for v in report.verdicts)
        name = str(case.relative_to(CORPUS))
        print(
            f"{name:<66} {median:>6.2f}s {errors:>6} {notes:>5} "
            f"{len(report.verdicts):>7} {failed:>6}"
        )
    print(f"{'total':<66} {total:>6.2f}s")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
