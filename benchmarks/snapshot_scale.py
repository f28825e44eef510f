"""Snapshots: writing one costs less than the live read it saves; loading is fast.

    .venv/bin/python benchmarks/snapshot_scale.py              # 200 VPCs read, 1,000 loaded
    .venv/bin/python benchmarks/snapshot_scale.py --vpcs 100 --copies 3

A private background sandbox gets N VPCs in us-east-1 (read_scale.py's estate: one subnet
each, every fourth pair peered). Then, medians of 3:
- the live read (``read_snapshots``, 8 workers) and writing what it read as a snapshot
  directory (``write_snapshot``): the target is that writing takes no longer than reading;
- loading: the snapshot is copied into ``--copies`` accounts (ids renamed so nothing
  collides) and ``load_snapshot`` + ``snapshot_network`` turn the files into one Network:
  the target is at most 1 s per 1,000 VPCs.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import shutil
import statistics
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))

from read_scale import build

_ID = re.compile(
    r"\b(vpc|subnet|rtb|sg|acl|eni|i|pcx|igw|nat|rtbassoc|aclassoc|vpce)-([0-9a-f]{6,})"
)


def _median(runs: list[float]) -> float:
    return statistics.median(runs)


def measure(count: int, copies: int) -> dict[str, Any]:
    from vpcwire.read.reader import read_snapshots
    from vpcwire.read.snapshot_dir import load_snapshot, snapshot_network, write_snapshot
    from vpcwire.sandbox.background import start_background, stop_background
    from vpcwire.sandbox.clients import boto3_session

    with tempfile.TemporaryDirectory() as tmp:
        home = Path(tmp) / "home"
        os.environ["VPCWIRE_HOME"] = str(home)
        info = start_background(home)
        try:
            sandbox = boto3_session(info.endpoint_url)
            build(sandbox.client("ec2", "us-east-1"), count)
            reads, writes = [], []
            raw = None
            for k in range(3):
                raw = read_snapshots(
                    ["us-east-1"], endpoint_url=info.endpoint_url, session=sandbox.session
                )
                reads.append(raw.seconds)
                started = time.perf_counter()
                write_snapshot(Path(tmp) / f"snap{k}", raw, source="sandbox", version="bench")
                writes.append(time.perf_counter() - started)
        finally:
            stop_background(home)
        assert raw is not None
        vpcs_read = sum(len(s.vpcs) for s in raw.snapshots)
        big = Path(tmp) / "big"
        _replicate(Path(tmp) / "snap0", big, copies)
        loads, vpcs_loaded = [], 0
        for _ in range(3):
            started = time.perf_counter()
            network = snapshot_network(load_snapshot(big)).network
            loads.append(time.perf_counter() - started)
            vpcs_loaded = len(network.vpcs)
    load = os.getloadavg()
    return {
        "vpcs_read": vpcs_read,
        "read_seconds": _median(reads),
        "write_seconds": _median(writes),
        "vpcs_loaded": vpcs_loaded,
        "load_seconds": _median(loads),
        "load_average": f"{load[0]:.2f} {load[1]:.2f} {load[2]:.2f}",
    }


def _replicate(source: Path, target: Path, copies: int) -> None:
    """``copies`` accounts holding the source's region, each with ids made its own."""
    (account_dir,) = (source / "aws_configs" / "accounts").iterdir()
    for n in range(copies):
        account = f"{900000000000 + n}"
        for path in account_dir.rglob("*.json"):
            text = _ID.sub(lambda m, n=n: f"{m.group(1)}-{m.group(2)}{n:02d}", path.read_text())
            text = text.replace(account_dir.name, account)
            out = target / "aws_configs" / "accounts" / account / path.relative_to(account_dir)
            out.parent.mkdir(parents=True, exist_ok=True)
            out.write_text(text)
    shutil.copy(source / "vpcwire.json", target / "vpcwire.json")


def print_table(r: dict[str, Any]) -> None:
    print(f"snapshot of {r['vpcs_read']} VPCs; medians of 3; load average {r['load_average']}")
    print(f"  live read (8 workers)   {r['read_seconds']:7.2f} s")
    print(f"  write the snapshot      {r['write_seconds']:7.2f} s")
    print(f"  load {r['vpcs_loaded']} VPCs        {r['load_seconds']:7.2f} s")
    per_thousand = r["load_seconds"] * 1000 / max(r["vpcs_loaded"], 1)
    print(f"{'target':<44} {'target':>8} {'measured':>9} {'ratio':>6}")
    rows = [
        ("write time ≤ live read time (s)", r["read_seconds"], r["write_seconds"]),
        ("load time per 1,000 VPCs (s)", 1.0, per_thousand),
    ]
    for what, target, measured in rows:
        print(f"{what:<44} {target:>8.2f} {measured:>9.2f} {measured / target:>6.2f}")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--vpcs", type=int, default=200)
    parser.add_argument("--copies", type=int, default=5, help="accounts the loaded copy spans")
    parser.add_argument("--json", action="store_true", help="print one JSON document")
    args = parser.parse_args()
    result = measure(args.vpcs, args.copies)
    if args.json:
        print(json.dumps(result))
    else:
        print_table(result)
    return 0


if __name__ == "__main__":
    sys.exit(main())
