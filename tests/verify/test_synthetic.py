"""The benchmark's synthetic estate, small: every flow traces, prints and serialises, and
the engine's memo never changes an answer."""

from __future__ import annotations

import importlib.util
import json
import sys
from pathlib import Path
from types import ModuleType

from vpcwire.verify import Disposition, Engine

ROOT = Path(__file__).resolve().parents[2]


def _synthetic() -> ModuleType:
    name = "vpcwire_benchmarks_synthetic"
    if name not in sys.modules:
        spec = importlib.util.spec_from_file_location(name, ROOT / "benchmarks" / "synthetic.py")
        assert spec is not None and spec.loader is not None
        module = importlib.util.module_from_spec(spec)
        sys.modules[name] = module  # dataclasses look their module up while being created
        spec.loader.exec_module(module)
    return sys.modules[name]


def test_synthetic_estate_traces_end_to_end() -> None:
    synthetic = _synthetic()
    estate = synthetic.build(40, 400, seed=3)
    flows = synthetic.flows(estate, 400, seed=5)
    engine = Engine(estate.network)
    traces = engine.trace_many(flows)
    assert len(traces) == len(flows)
    seen = {t.disposition for t in traces}
    assert {Disposition.REACHABLE, Disposition.UNREACHABLE} <= seen
    assert any(len(t.branches) > 1 for t in traces)
    for result in traces:
        assert str(result).startswith("Flow: ")
        json.dumps(result.to_dict())
        if not result.reachable:
            assert result.blocks and all(b.fix for b in result.blocks)


def test_memoised_answers_equal_fresh_ones() -> None:
    synthetic = _synthetic()
    estate = synthetic.build(20, 200, seed=9)
    flows = synthetic.flows(estate, 120, seed=2)
    warm = Engine(estate.network)
    warm.trace_many(flows)  # everything memoised now
    for flow in flows[::3]:
        assert warm.trace(flow) == Engine(estate.network).trace(flow)
