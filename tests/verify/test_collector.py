"""The engine keeps Python's cyclic collector off its long-lived data (verify/collector.py):
the index is built with the collector paused, then frozen; what traces memoise is frozen
as it accumulates. Checked in a child process, because freezing is process-wide."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]

CHILD = """
import gc, json, sys
sys.path.insert(0, sys.argv[1])
import synthetic
from vpcwire.verify import Engine
from vpcwire.verify.collector import FREEZE_ABOVE

estate = synthetic.build(int(sys.argv[2]), 10 * int(sys.argv[2]))
flows = synthetic.flows(estate, 3000)
collections = {"during build": 0, "gen2 while tracing": 0}
phase = ["during build"]

def count(stage, info):
    if stage == "start" and (phase[0] == "during build" or info["generation"] == 2):
        collections[phase[0]] += 1

gc.callbacks.append(count)
engine = Engine(estate.network)
phase[0] = "gen2 while tracing"
frozen = gc.get_freeze_count()
for flow in flows:
    engine.trace(flow)  # one at a time, collector on, as a long-lived user would
gc.callbacks.remove(count)
print(json.dumps({
    **collections,
    "big": len(estate.network) > FREEZE_ABOVE,
    "frozen": frozen,
    "enabled": gc.isenabled(),
}))
"""


def run(vpcs: int) -> dict[str, object]:
    proc = subprocess.run(
        [sys.executable, "-c", CHILD, str(ROOT / "benchmarks"), str(vpcs)],
        capture_output=True,
        text=True,
        check=True,
        timeout=300,
    )
    result: dict[str, object] = json.loads(proc.stdout.strip().splitlines()[-1])
    return result


def test_a_big_network_is_built_without_the_collector_and_frozen() -> None:
    result = run(300)
    assert result["big"] is True
    assert result["during build"] == 0
    assert isinstance(result["frozen"], int) and result["frozen"] > 50_000
    # without the freezes, 3,000 traces on this network run several full collections
    assert result["gen2 while tracing"] == 0
    assert result["enabled"] is True


def test_a_small_network_is_not_frozen() -> None:
    result = run(20)
    assert result["big"] is False
    assert result["frozen"] == 0
