"""Fuzz the spec loader and planner: 10,000 cases, and what became of them.

    .venv/bin/python benchmarks/fuzz_spec.py                 # 10,000 cases (half structured
                                                             # specs, half mutated YAML text)
    .venv/bin/python benchmarks/fuzz_spec.py --cases 1000 --seed 7 --show 3

Each case is loaded and planned (``tests/spec/fuzz_cases.py`` draws them, the same
strategies the test suite runs a few hundred of). A case ends in a plan, in a SpecError
whose every problem is located, short and has a fix, or in a crash: any other exception,
or a SpecError breaking those promises. Printed: cases, plans, errors, distinct errors
(first message with names and numbers blurred), crashes (distinct by type and message,
with one spec text each under --save), the slowest case and the wall time.
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

from tests.spec.fuzz_cases import mutated_texts, run_case, structured_texts


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--cases", type=int, default=10_000)
    parser.add_argument("--seed", type=int, default=20261202)
    parser.add_argument("--show", type=int, default=1, help="tracebacks shown per crash kind")
    parser.add_argument(
        "--save", type=Path, help="directory to write one spec per crash kind, and the slowest"
    )
    parser.add_argument(
        "--downstream",
        action="store_true",
        help="also render (sandbox and aws) and price every spec that plans",
    )
    args = parser.parse_args()
    warnings.simplefilter("error")  # as the test suite runs: a warning is a crash

    kinds: collections.Counter[str] = collections.Counter()
    errors: collections.Counter[str] = collections.Counter()
    crashes: dict[str, tuple[int, str, str]] = {}
    times: list[float] = []
    slowest: list[tuple[float, str]] = [(0.0, "")]

    def one(text: str) -> None:
        try:
            outcome = run_case(text, downstream=args.downstream)
        except BaseException as exc:
            if isinstance(exc, KeyboardInterrupt):
                raise
            key = f"{type(exc).__name__}: {str(exc)[:150]}"
            count, first, trace = crashes.get(key, (0, text, traceback.format_exc()))
            crashes[key] = (count + 1, first, trace)
            kinds["crash"] += 1
            return
        kinds[outcome.kind] += 1
        times.append(outcome.seconds)
        if outcome.seconds > slowest[0][0]:
            slowest[0] = (outcome.seconds, text)
        errors.update(set(outcome.keys))

    half = args.cases // 2
    config = settings(
        max_examples=half,
        deadline=None,
        database=None,
        phases=[Phase.generate],
        suppress_health_check=list(HealthCheck),
    )
    start = time.perf_counter()
    for strategy, count in ((structured_texts(), half), (mutated_texts(), args.cases - half)):
        run = seed(args.seed)(config.__class__(config, max_examples=count)(given(strategy)(one)))
        run()
    wall = time.perf_counter() - start

    total = sum(kinds.values())
    print(f"cases            {total}")
    print(f"  planned        {kinds['plan']}")
    print(f"  refused        {kinds['error']}  ({len(errors)} distinct error messages)")
    print(f"  crashed        {kinds['crash']}  ({len(crashes)} distinct crashes)")
    if times:
        print(
            f"per case         median {statistics.median(times) * 1000:.1f} ms, "
            f"max {max(times) * 1000:.0f} ms"
        )
    print(f"wall time        {wall:.1f} s")
    if args.show and slowest[0][1]:
        print(f"slowest case ({slowest[0][0] * 1000:.0f} ms): {slowest[0][1][:300]!r}")
    print("most common error messages (cases showing each):")
    for key, n in errors.most_common(12):
        print(f"  {n:5}  {key}")
    for key, (n, text, trace) in crashes.items():
        print(f"\nCRASH x{n}: {key}")
        if args.show:
            print(trace[-1500:])
            print("spec:", repr(text[:600]))
    if args.save:
        args.save.mkdir(parents=True, exist_ok=True)
        (args.save / "slowest.yaml").write_text(slowest[0][1], encoding="utf-8")
        for i, (_, text, _) in enumerate(crashes.values()):
            (args.save / f"crash_{i}.yaml").write_text(text, encoding="utf-8")
    return 1 if crashes else 0


if __name__ == "__main__":
    sys.exit(main())
