"""Whole-process wall time of the commands people run most, against the targets of issue 12.

    .venv/bin/python benchmarks/startup.py              # help, version, schema, rules, plan, check
    .venv/bin/python benchmarks/startup.py --no-check   # without the sandbox deployment (~2 min)
    .venv/bin/python benchmarks/startup.py --src /work/main/src   # another tree ("before")

Each command runs as a fresh `python -m vpcwire ...` process, 3 times in turn; the median
wall time is reported (the machine is shared: the load average is printed too). For
`check`, the reference architecture (examples/inter-region-privatelink.yaml) is deployed
once into a private sandbox with `vpcwire up --no-verify`, then `vpcwire check` asks one
question of it end to end (start-up, live read of two regions, engine, output): can the
consumer's client reach the service through its interface endpoint (exit 0 when it can).
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
EXAMPLES = ROOT / "examples"
REFERENCE = EXAMPLES / "inter-region-privatelink.yaml"
REPEAT = 3

# (label, arguments, target seconds or None)
COMMANDS: list[tuple[str, list[str], float | None]] = [
    ("python -c pass (floor)", [], None),
    ("vpcwire --help", ["--help"], 0.35),
    ("vpcwire --version", ["--version"], 0.35),
    ("vpcwire schema", ["schema"], None),
    ("vpcwire rules", ["rules"], None),
    ("vpcwire plan privatelink.yaml", ["plan", str(EXAMPLES / "privatelink.yaml")], 0.6),
]
CHECK = [
    "check",
    "--sandbox",
    "--assume-role",
    "arn:aws:iam::111111111111:role/vpcwire-sandbox",
    "--from",
    "consumer_client_1",
    "--to",
    "consumer_api",  # the interface endpoint: the question the architecture exists for
    "--port",
    "8080",
    "--regions",
    "us-east-1,us-west-2",
]


def timed(args: list[str], env: dict[str, str]) -> tuple[float, float]:
    """Wall seconds and CPU seconds (user + system) of one whole process."""
    command = [sys.executable, "-c", "pass"] if not args else [sys.executable, "-m", "vpcwire"]
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    started = time.perf_counter()
    subprocess.run([*command, *args], env=env, capture_output=True, check=False)
    wall = time.perf_counter() - started
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    return wall, cpu


def median_of(args: list[str], env: dict[str, str]) -> tuple[float, float]:
    runs = [timed(args, env) for _ in range(REPEAT)]
    return statistics.median(r[0] for r in runs), statistics.median(r[1] for r in runs)


# The read `check` makes, done once more in a child process to count its API calls (the
# reader counts them through botocore's before-call event; retries count once).
COUNT_CALLS = """
from vpcwire.cli.check_scope import read_scope
scope = read_scope(regions="us-east-1,us-west-2", endpoint_url=None,
    assume_role="arn:aws:iam::111111111111:role/vpcwire-sandbox", sandbox=True,
    default_region="us-east-1")
print(scope.read().calls)
"""


def api_calls(env: dict[str, str]) -> str:
    proc = subprocess.run(
        [sys.executable, "-c", COUNT_CALLS], env=env, capture_output=True, check=False
    )
    return proc.stdout.decode().strip() or "?"


def run(src: str | None, check: bool) -> dict[str, Any]:
    env = dict(os.environ)
    if src:
        env["PYTHONPATH"] = src
    rows = []
    with tempfile.TemporaryDirectory() as tmp:
        env["VPCWIRE_HOME"] = str(Path(tmp) / "home")
        for label, args, target in COMMANDS:
            wall, cpu = median_of(args, env)
            rows.append({"what": label, "target_s": target, "seconds": wall, "cpu_s": cpu})
        if check:
            workdir = str(Path(tmp) / "up")
            up = [sys.executable, "-m", "vpcwire", "up", str(REFERENCE), "--no-verify"]
            subprocess.run([*up, "--workdir", workdir], env=env, capture_output=True, check=True)
            try:
                proc = subprocess.run(
                    [sys.executable, "-m", "vpcwire", *CHECK], env=env, capture_output=True
                )
                answer = proc.stdout.decode().strip().splitlines()[:1]
                wall, cpu = median_of(CHECK, env)
                calls = api_calls(env)
                rows.append(
                    {
                        "what": "vpcwire check (reference, sandbox)",
                        "target_s": 1.0,
                        "seconds": wall,
                        "cpu_s": cpu,
                        "note": f"exit {proc.returncode}: {answer[0] if answer else ''}; "
                        f"{calls} API calls per check",
                    }
                )
            finally:
                stop = [sys.executable, "-m", "vpcwire", "sandbox", "stop"]
                subprocess.run(stop, env=env, capture_output=True, check=False)
    load = os.getloadavg()
    return {"load": f"{load[0]:.2f} {load[1]:.2f} {load[2]:.2f}", "rows": rows}


def print_table(result: dict[str, Any]) -> None:
    print(
        f"whole process, median of {REPEAT}: wall time (the target) and CPU time (user+system,"
        f" less sensitive to other load); load average {result['load']}"
    )
    print(f"{'what':<38} {'target':>8} {'measured':>9} {'ratio':>6} {'CPU':>8}")
    for row in result["rows"]:
        target = row["target_s"]
        ratio = f"{row['seconds'] / target:.2f}" if target else "-"
        target_text = f"{target:.2f}s" if target else "-"
        print(
            f"{row['what']:<38} {target_text:>8} {row['seconds']:>8.3f}s {ratio:>6} "
            f"{row['cpu_s']:>7.3f}s"
        )
        if row.get("note"):
            print(f"    {row['note']}")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--src", help="PYTHONPATH of the vpcwire tree to measure")
    parser.add_argument("--no-check", action="store_true", help="skip the sandbox `check` run")
    parser.add_argument("--json", action="store_true", help="print one JSON document")
    args = parser.parse_args()
    result = run(args.src, check=not args.no_check)
    if args.json:
        print(json.dumps(result))
    else:
        print_table(result)
    return 0


if __name__ == "__main__":
    sys.exit(main())
