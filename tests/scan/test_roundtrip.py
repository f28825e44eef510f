"""Round trip: spec -> render -> scan gives `vpcwire verify`'s verdicts on every example.

The spec's own intents are evaluated on the scanned Network (same flows, same engine) and
must match, disposition for disposition, what verify says on the planned Network; and the
intents scan derives on its own must all pass, as verify's do.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.conftest import EXAMPLES
from vpcwire import derive_intents, evaluate, load_spec, plan, render
from vpcwire.render import write
from vpcwire.rules import judge_network
from vpcwire.scan import scan
from vpcwire.scan.intents import derive_intents as scan_intents

SPECS = sorted(EXAMPLES.glob("*.yaml"))


@pytest.mark.parametrize("spec", SPECS, ids=lambda p: p.stem)
def test_scan_of_rendered_example_gives_verify_verdicts(spec: Path, tmp_path: Path) -> None:
    planned = plan(load_spec(spec))
    write(render(planned), tmp_path)
    scanned = scan(tmp_path)
    assert scanned.unresolved == ()
    intents = derive_intents(planned)
    want = [(v.intent.key, v.trace.disposition) for v in evaluate(planned.network, intents)]
    got = [(v.intent.key, v.trace.disposition) for v in evaluate(scanned.network, intents)]
    assert got == want
    assert all(v.ok for v in evaluate(planned.network, intents))
    own = evaluate(scanned.network, scan_intents(scanned.network))
    assert own and all(v.ok for v in own), [str(v.trace) for v in own if not v.ok][:1]
    errors = [f for f in judge_network(scanned.network) if f.severity == "error"]
    assert errors == []


@pytest.mark.parametrize("spec", SPECS, ids=lambda p: p.stem)
def test_scanned_resources_match_the_planned_ones(spec: Path, tmp_path: Path) -> None:
    planned = plan(load_spec(spec))
    write(render(planned), tmp_path)
    net = scan(tmp_path).network
    for kind in ("vpcs", "subnets", "peerings", "instances", "target_groups", "listeners"):
        want = {r.name for r in getattr(planned.network, kind).values()}
        got = {r.name for r in getattr(net, kind).values()}
        assert got == want, kind
    for vpc in planned.network.vpcs.values():
        twin = next(v for v in net.vpcs.values() if v.name == vpc.name)
        assert (twin.region, twin.account, twin.cidrs) == (vpc.region, vpc.account, vpc.cidrs)
