"""Text built late is the text built early.

The engine formats a step's detail only when something reads it (printing, JSON). The
fixture holds the printed form and a digest of the JSON of 100 synthetic traces, captured
from the engine before any text was deferred (every 4th of 400 flows over 40 VPCs: both
dispositions, flows that fan out over many branches); the engine must reproduce them.
"""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

import pytest

from tests.verify.test_synthetic import _synthetic
from vpcwire.verify import Engine
from vpcwire.verify.trace import Step

FIXTURE = Path(__file__).resolve().parents[1] / "fixtures" / "traces" / "synthetic_40.json"


@pytest.fixture(scope="module")
def golden() -> list[dict[str, object]]:
    loaded: list[dict[str, object]] = json.loads(FIXTURE.read_text(encoding="utf-8"))
    return loaded


def test_lazily_built_text_equals_the_text_built_before(golden: list[dict[str, object]]) -> None:
    synthetic = _synthetic()
    estate = synthetic.build(40, 400, seed=3)
    flows = synthetic.flows(estate, 400, seed=5)
    traces = Engine(estate.network).trace_many(flows)
    assert len(golden) == 100
    for case in golden:
        index = case["flow"]
        assert isinstance(index, int)
        found = traces[index]
        assert str(found) == case["text"], f"flow {index}: {flows[index]}"
        digest = hashlib.sha256(
            json.dumps(found.to_dict(), sort_keys=True).encode("utf-8")
        ).hexdigest()
        assert digest == case["json_sha256"], f"flow {index}: {flows[index]}"


def test_a_deferred_detail_reads_and_compares_as_its_text() -> None:
    deferred = Step("route", ("{} via {}".format, "10.0.0.0/16", "pcx-1"), True)
    plain = Step("route", "10.0.0.0/16 via pcx-1", True)
    assert deferred == plain and hash(deferred) == hash(plain)
    assert deferred.detail == "10.0.0.0/16 via pcx-1"
    assert deferred.text == "10.0.0.0/16 via pcx-1"  # formatted once, then kept
    assert deferred != Step("route", ("{} via {}".format, "10.0.0.0/16", "pcx-2"), True)


def test_chained_stretches_join_their_hops_only_when_read() -> None:
    from vpcwire.verify.legs import Path
    from vpcwire.verify.trace import Hop

    reads: list[str] = []

    class Counted(Path):
        __slots__ = ()

        @property
        def forward(self) -> tuple[Hop, ...]:
            reads.append(self.label)
            return Path.forward.__get__(self)  # type: ignore[no-any-return]

    step = Step("route", "local", True)
    first = Counted((Hop("a", "", "instance", (step,)),), (), (), "one")
    second = Counted((Hop("b", "", "instance", (step,)),), (), (), "two")
    chained = first.then(second)
    assert reads == []  # chaining copied nothing
    assert chained.label == "one → two" and reads == []
    assert [h.resource for h in chained.forward] == ["a", "b"]
    assert reads == ["one", "two"]
    assert chained.forward is chained.forward and reads == ["one", "two"]  # joined once
