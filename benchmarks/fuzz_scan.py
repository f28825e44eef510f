"""Fuzz `vpcwire scan`: thousands of mutated configurations and plans, and what became of them.

    .venv/bin/python benchmarks/fuzz_scan.py                  # 2,000 cases (half mutated HCL,
                                                              # half mutated plan JSON)
    .venv/bin/python benchmarks/fuzz_scan.py --cases 500 --seed 7 --show 3

Each case is scanned at the command line (``tests/scan/fuzz_cases.py`` draws them, the same
strategies the test suite runs a few dozen of). A case ends in exit 0/1 (scanned), exit 2
with a located error, or a crash: an internal error, a traceback, another exit code, an
unlocated error, a hang or a runaway allocation. Printed: cases, exits, distinct errors
(first message with names and numbers blurred), crashes (distinct, with one case each),
the slowest case and the wall time.
"""

from __future__ import annotations

import argparse
import collections
import statistics
import sys
import time
import traceback
import warnings
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from hypothesis import HealthCheck, Phase, given, seed, settings

from tests.scan.fuzz_cases import Case, hcl_cases, plan_cases, run_case


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--cases", type=int, default=2_000)
    parser.add_argument("--seed", type=int, default=20261207)
    parser.add_argument("--show", type=int, default=1, help="tracebacks shown per crash kind")
    args = parser.parse_args()
    warnings.simplefilter("error")  # as the test suite runs: a warning is a crash

    exits: collections.Counter[int] = collections.Counter()
    errors: collections.Counter[str] = collections.Counter()
    crashes: dict[str, tuple[int, str, str]] = {}
    times: list[float] = []
    slowest: list[tuple[float, str]] = [(0.0, "")]

    def one(case: Case) -> None:
        try:
            outcome = run_case(case)
        except BaseException as exc:
            if isinstance(exc, KeyboardInterrupt):
                raise
            cause = exc.__cause__ or exc  # under VPCWIRE_DEBUG=1: vpcwire's own traceback
            trace = "".join(traceback.format_exception(cause))
            frames = traceback.extract_tb(cause.__traceback__)
            ours = [f for f in frames if "/vpcwire/" in f.filename] or frames
            where = ours[-1]  # the last frame in vpcwire: crashes grouped by where they are
            text = " | ".join(str(cause).splitlines()[:2])[:160]
            key = f"{type(cause).__name__}: {text} (at {Path(where.filename).name}:{where.lineno})"
            count, first, trace = crashes.get(key, (0, case.describe(), trace))
            crashes[key] = (count + 1, first, trace)
            return
        exits[outcome.code] += 1
        times.append(outcome.seconds)
        if outcome.seconds > slowest[0][0]:
            slowest[0] = (outcome.seconds, case.describe())
        if outcome.key:
            errors[outcome.key] += 1

    half = args.cases // 2
    config = settings(
        max_examples=half,
        deadline=None,
        database=None,
        phases=[Phase.generate],
        suppress_health_check=list(HealthCheck),
    )
    start = time.perf_counter()
    for strategy, count in ((hcl_cases(), half), (plan_cases(), args.cases - half)):
        run = seed(args.seed)(config.__class__(config, max_examples=count)(given(strategy)(one)))
        run()
    wall = time.perf_counter() - start

    crashed = sum(n for n, _, _ in crashes.values())
    print(f"cases            {sum(exits.values()) + crashed}")
    for code, what in ((0, "clean"), (1, "an intent failed"), (2, "refused, located")):
        print(f"  exit {code}         {exits[code]}  ({what})")
    print(f"  distinct errors {len(errors)}")
    print(f"  crashed        {crashed}  ({len(crashes)} distinct crashes)")
    if times:
        print(
            f"per case         median {statistics.median(times) * 1000:.0f} ms, "
            f"max {max(times) * 1000:.0f} ms"
        )
    print(f"wall time        {wall:.1f} s")
    if args.show and slowest[0][1]:
        print(f"slowest case ({slowest[0][0] * 1000:.0f} ms): {slowest[0][1][:300]!r}")
    print("most common errors (cases showing each):")
    for key, n in errors.most_common(15):
        print(f"  {n:5}  {key}")
    for key, (n, text, trace) in crashes.items():
        print(f"\nCRASH x{n}: {key}")
        if args.show:
            print(trace[-2500:])
            print("case:", text[:800])
    return 1 if crashes else 0


if __name__ == "__main__":
    sys.exit(main())
