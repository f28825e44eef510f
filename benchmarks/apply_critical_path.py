"""Apply and destroy time of every example on the sandbox, and the critical path of each apply.

    .venv/bin/python benchmarks/apply_critical_path.py                 # every example
    .venv/bin/python benchmarks/apply_critical_path.py --examples privatelink
    .venv/bin/python benchmarks/apply_critical_path.py --json          # one JSON document

One background sandbox (reset between examples). Per example: render for the sandbox into a
fresh directory, `terraform init` (not timed), `terraform apply -json` and `terraform apply
-destroy -json`, wall-clock timed. The apply's JSON UI messages give each resource's start
and completion time; the critical path is walked back from the resource that finished last:
a resource's predecessor is the one that completed last before it started (terraform starts a
resource the moment its last dependency completes; a heuristic: an unrelated resource that
happened to finish just before can stand in for the real dependency). Most of an apply on the sandbox is fixed
sleeps inside the AWS provider (sandbox-facts.md), so one run per example is representative;
the load (`uptime`) is printed with the figures.

The count of created resources is printed next to what `vpcwire plan` announces for the
spec, so a mismatch between the two shows here too.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
import urllib.request
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
EXAMPLES = ROOT / "examples"


@dataclass
class Run:
    """One terraform apply (or destroy): wall seconds and per-resource start/end times."""

    seconds: float = 0.0
    starts: dict[str, float] = field(default_factory=dict)
    ends: dict[str, float] = field(default_factory=dict)

    def critical_path(self) -> list[tuple[str, float]]:
        """(resource, seconds it took), from the first resource to the one finished last."""
        if not self.ends:
            return []
        current = max(self.ends, key=lambda a: self.ends[a])
        chain: list[tuple[str, float]] = []
        seen: set[str] = set()
        while current:
            seen.add(current)
            start = self.starts.get(current, 0.0)
            chain.append((current, self.ends[current] - start))
            # completed before this one started (timestamps are to the microsecond; 50 ms
            # of slack for terraform's own scheduling), strictly earlier than it finished
            before = [
                a
                for a, end in self.ends.items()
                if a not in seen and end <= start + 0.05 and end < self.ends[current]
            ]
            current = max(before, key=lambda a: self.ends[a]) if before else ""
        return chain[::-1]


def run_terraform(args: list[str], cwd: Path, env: dict[str, str]) -> Run:
    run = Run()
    started = time.monotonic()
    proc = subprocess.run(
        ["terraform", *args, "-auto-approve", "-input=false", "-json"],
        cwd=cwd,
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    run.seconds = time.monotonic() - started
    if proc.returncode != 0:
        raise SystemExit(f"terraform {' '.join(args)} failed in {cwd}:\n{proc.stdout[-3000:]}")
    base: float | None = None
    for line in proc.stdout.splitlines():
        try:
            message = json.loads(line)
        except json.JSONDecodeError:
            continue
        kind = message.get("type")
        if kind not in ("apply_start", "apply_complete"):
            continue
        stamp = datetime.fromisoformat(message["@timestamp"].replace("Z", "+00:00")).timestamp()
        base = stamp if base is None else base
        address = message["hook"]["resource"]["addr"]
        (run.starts if kind == "apply_start" else run.ends)[address] = stamp - base
    return run


def planned_count(spec: Path) -> int:
    proc = subprocess.run(
        [sys.executable, "-m", "vpcwire", "plan", str(spec), "--json"],
        capture_output=True,
        text=True,
        check=True,
    )
    return int(json.loads(proc.stdout)["terraform_resources"])


def measure(spec: Path, endpoint_url: str, tmp: Path) -> dict[str, Any]:
    from vpcwire.deploy.terraform import Terraform
    from vpcwire.pipeline import plan
    from vpcwire.render import render, write
    from vpcwire.sandbox.clients import sandbox_env
    from vpcwire.spec.load import load_spec

    workdir = tmp / spec.stem
    write(render(plan(load_spec(spec)), target="sandbox", source=spec.name), workdir)
    tf = Terraform(workdir, sandbox_env(endpoint_url))
    tf.init()
    apply = run_terraform(["apply"], workdir, tf.env)
    destroy = run_terraform(["apply", "-destroy"], workdir, tf.env)
    try:
        planned: int | None = planned_count(spec)
    except (subprocess.CalledProcessError, KeyError):
        planned = None  # a vpcwire without the count (the "before" tree)
    return {
        "example": spec.stem,
        "apply_s": apply.seconds,
        "destroy_s": destroy.seconds,
        # data sources (the AMI parameter) are read during the apply too: not resources
        "created": len([a for a in apply.ends if not a.startswith("data.")]),
        "planned": planned,
        "critical_path": apply.critical_path(),
        "destroy_path": destroy.critical_path(),
    }


def reset(endpoint_url: str) -> None:
    """Empty the sandbox; signed with its own key (the sandbox refuses anyone else)."""
    try:
        from vpcwire.sandbox.clients import sandbox_keys
    except ImportError:  # a tree from before the sandbox had keys (--src runs)
        headers = {}
    else:
        key = sandbox_keys(endpoint_url)[0]
        headers = {
            "Authorization": (
                f"AWS4-HMAC-SHA256 Credential={key}/20240101/us-east-1/ec2/aws4_request, "
                "SignedHeaders=host, Signature=0"
            )
        }
    request = urllib.request.Request(
        f"{endpoint_url}/moto-api/reset", method="POST", headers=headers
    )
    urllib.request.urlopen(request, timeout=10).close()


def print_report(rows: list[dict[str, Any]], load: str) -> None:
    print(f"load while measuring: {load}")
    print(f"{'example':<28} {'apply':>7} {'destroy':>8} {'created':>8} {'plan says':>10}")
    for r in rows:
        planned = "-" if r["planned"] is None else str(r["planned"])
        print(
            f"{r['example']:<28} {r['apply_s']:>6.1f}s {r['destroy_s']:>7.1f}s "
            f"{r['created']:>8} {planned:>10}"
        )
    print(f"{'target':<60} {'target':>7} {'measured':>9} {'ratio':>6}")
    for r in rows:
        on_path = [a for a, _ in r["critical_path"] if a.startswith("aws_instance.")]
        waits = any(a.startswith(("aws_vpc_endpoint", "aws_lb")) for a, _ in r["critical_path"])
        if waits:
            print(
                f"{r['example'] + ': instances after the endpoint chain':<60} {0:>7} "
                f"{len(on_path):>9} {'-':>6}"
            )
        if r["planned"] is not None:
            print(
                f"{r['example'] + ': resources created = plan count':<60} {r['planned']:>7} "
                f"{r['created']:>9} {r['created'] / r['planned']:>6.2f}"
            )
    for r in rows:
        chain = " -> ".join(f"{a} ({s:.0f}s)" for a, s in r["critical_path"])
        print(f"critical path of {r['example']} apply: {chain}")
        chain = " -> ".join(f"{a} ({s:.0f}s)" for a, s in r["destroy_path"])
        print(f"critical path of {r['example']} destroy: {chain}")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--examples",
        default=",".join(sorted(p.stem for p in EXAMPLES.glob("*.yaml"))),
        help="comma-separated example names (default: all)",
    )
    parser.add_argument("--json", action="store_true", help="print one JSON document")
    args = parser.parse_args()
    from vpcwire.sandbox.background import start_background, stop_background

    rows = []
    with tempfile.TemporaryDirectory() as name:
        tmp = Path(name)
        home = tmp / "home"
        os.environ["VPCWIRE_HOME"] = str(home)
        info = start_background(home)
        try:
            for example in args.examples.split(","):
                reset(info.endpoint_url)
                rows.append(measure(EXAMPLES / f"{example}.yaml", info.endpoint_url, tmp))
                print(f"{example}: apply {rows[-1]['apply_s']:.1f}s", file=sys.stderr)
        finally:
            stop_background(home)
    load = os.getloadavg()
    load_text = f"load average {load[0]:.2f} {load[1]:.2f} {load[2]:.2f}"
    if args.json:
        print(json.dumps({"load": load_text, "rows": rows}))
    else:
        print_report(rows, load_text)
    return 0


if __name__ == "__main__":
    sys.exit(main())
