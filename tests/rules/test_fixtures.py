"""The broken specs in tests/fixtures/rules: each trips exactly the rules its first line
names (``# expect: VW-…``), and every finding is located in that file."""

from __future__ import annotations

from pathlib import Path

import pytest

from vpcwire.pipeline import PlanRejected, plan
from vpcwire.rules import Finding
from vpcwire.spec.load import load_spec

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "rules"
SPECS = sorted(FIXTURES.glob("*.yaml"))


def expected(path: Path) -> set[str]:
    head = path.read_text().splitlines()[0]
    assert head.startswith("# expect:"), f"{path.name} must start with '# expect: VW-…'"
    return set(head.removeprefix("# expect:").split())


def findings_of(path: Path) -> list[Finding]:
    try:
        return list(plan(load_spec(path)).findings)
    except PlanRejected as rejected:
        return list(rejected.findings)


@pytest.mark.parametrize("path", SPECS, ids=lambda p: p.stem)
def test_fixture_trips_its_rules_with_located_messages(path: Path) -> None:
    found = findings_of(path)
    assert {f.rule for f in found} == expected(path), "\n".join(map(str, found))
    for f in found:
        assert f.location.file == path and f.location.line is not None, str(f)
        assert str(f).startswith(f"{path}:{f.location.line}:")
        assert f.message and f.fix and f.path


def test_fixture_names_match_their_main_rule() -> None:
    for path in SPECS:
        assert path.stem.upper() in expected(path), path.name
