"""What terraform's evaluation costs `vpcwire scan`: each scan fixture scanned in fresh
processes with --terraform and with --no-terraform, wall and CPU (the process and its
children: terraform, the provider plugin), and terraform's steps as the scan reports them.

    .venv/bin/python benchmarks/scan_terraform.py [--repeat 3] [FIXTURE...]

Medians of --repeat; the load average is printed (the machine is shared: CPU seconds are
the steadier figure). The sandbox's start overlaps `terraform init`: its cost on the
critical path is what it takes beyond init.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
FIXTURES = ROOT / "tests" / "fixtures" / "scan"
DEFAULT = [
    "privatelink-fixed",
    "peering",
    "multi-account",
    "module-count",
    "tf-eval/functions",
    "tf-eval/real-world",
    "tf-eval/remote-module",
]


def one(fixture: Path, flag: str) -> dict[str, Any]:
    env = dict(os.environ, VPCWIRE_HOME=os.environ.get("VPCWIRE_HOME", "/tmp/vpcwire-bench"))
    started = time.monotonic()
    proc = subprocess.Popen(
        [sys.executable, "-m", "vpcwire", "scan", str(fixture), flag, "--format", "json"],
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,
        env=env,
    )
    out = proc.stdout.read() if proc.stdout else b""
    _, _, usage = os.wait4(proc.pid, 0)
    wall = time.monotonic() - started
    report = json.loads(out)
    evaluation = report.get("evaluation") or {}
    return {
        "wall": wall,
        "cpu": usage.ru_utime + usage.ru_stime,
        "method": evaluation.get("method"),
        "steps": evaluation.get("steps", {}),
        "findings": sorted((f["rule"], f["path"]) for f in report["findings"]),
    }


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("fixtures", nargs="*", default=DEFAULT)
    args = parser.parse_args()
    print(f"load average {os.getloadavg()[0]:.1f}")
    print(f"{'fixture':24} {'mode':15} {'method':9} {'wall s':>7} {'cpu s':>6}  steps (wall s)")
    for name in args.fixtures:
        for flag in ("--no-terraform", "--terraform"):
            runs = [one(FIXTURES / name, flag) for _ in range(args.repeat)]
            steps: dict[str, float] = {}
            for key in runs[0]["steps"]:
                steps[key] = statistics.median(r["steps"].get(key, 0.0) for r in runs)
            print(
                f"{name:24} {flag:15} {runs[0]['method']:9} "
                f"{statistics.median(r['wall'] for r in runs):7.2f} "
                f"{statistics.median(r['cpu'] for r in runs):6.2f}  "
                + ", ".join(f"{k} {v:.1f}" for k, v in steps.items())
            )
    print(f"load average {os.getloadavg()[0]:.1f}")


if __name__ == "__main__":
    main()
