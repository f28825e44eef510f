"""The catalogue as a whole: metadata complete, ids consistent, every rule tested both
ways, and docs/rules.md generated from it and in sync."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from tests.rules import (
    test_addressing,
    test_cross_region,
    test_defects,
    test_peering,
    test_privatelink,
    test_scale,
    test_security,
    test_terraform,
    test_tgw_network,
    test_transit,
)
from tests.rules.test_fixtures import SPECS, expected
from vpcwire.report.rules_doc import DEFAULT_PATH, main, rules_markdown
from vpcwire.rules import Severity, all_rules

RULES = list(all_rules())
MODULES = (
    test_addressing,
    test_peering,
    test_privatelink,
    test_security,
    test_scale,
    test_cross_region,
    test_terraform,
    test_defects,
    test_transit,
    test_tgw_network,
)
# Rules about things our planner never builds: only a changed Network trips them, so they
# have no broken-spec fixture (their cases use tests.rules.helpers.recheck).
NETWORK_ONLY = {"VW-W204", "VW-E306", "VW-W402", "VW-W403", "VW-E604"}
# Rules about hand-written Terraform, tripped by scanned configurations (tests/rules/test_terraform.py).
NETWORK_ONLY |= {"VW-E108", "VW-E205", "VW-E206", "VW-E307", "VW-E308", "VW-E404", "VW-W701"}
# Defects real Terraform has (issue 17; tests/rules/test_defects.py).
NETWORK_ONLY |= {"VW-E109", "VW-E207", "VW-E208", "VW-W309"}  # VW-W110: vw-e304.yaml
# Transit Gateway quotas the planner meets only with many VPCs (tests/rules/test_transit.py)
NETWORK_ONLY |= {"VW-E852"}
# Existing VPCs (issue 18): planned with a read of the target, which a spec file alone lacks.
NETWORK_ONLY |= {"VW-W405"}
# Transit Gateway rules about a Network, whatever produced it (tests/rules/test_tgw_network.py).
NETWORK_ONLY |= {f"VW-E80{i}" for i in range(1, 9)} | {f"VW-W80{i}" for i in range(1, 5)}


@pytest.mark.parametrize("rule", RULES, ids=lambda r: r.id)
def test_metadata_is_complete(rule: object) -> None:
    assert re.fullmatch(r"VW-[EWI][1-8]\d\d", rule.id)  # type: ignore[attr-defined]
    assert rule.severity is Severity.of(rule.id)  # type: ignore[attr-defined]
    assert rule.title and not rule.title.endswith(".")  # type: ignore[attr-defined]
    assert len(rule.description) > 80  # type: ignore[attr-defined]
    assert rule.url.startswith("https://")  # type: ignore[attr-defined]
    assert rule.fix and not rule.fix.endswith(".")  # type: ignore[attr-defined]
    assert rule.stage in ("spec", "plan", "network", "terraform")  # type: ignore[attr-defined]


def test_ids_are_unique_and_sorted() -> None:
    ids = [r.id for r in RULES]
    assert len(ids) == len(set(ids))
    assert ids == sorted(ids, key=lambda i: i[4:])


@pytest.mark.parametrize("rule", RULES, ids=lambda r: r.id)
def test_every_rule_has_a_trigger_and_a_no_trigger_case(rule: object) -> None:
    name = rule.id.replace("VW-", "").upper()  # type: ignore[attr-defined]
    cases = [getattr(m, name) for m in MODULES if hasattr(m, name)]
    assert cases, f"no case list {name} in tests/rules"
    counts = [c.count for c in cases[0]]
    assert any(counts) and 0 in counts


@pytest.mark.parametrize("rule", RULES, ids=lambda r: r.id)
def test_every_rule_has_a_broken_spec_or_is_network_only(rule: object) -> None:
    covered = {rid for path in SPECS for rid in expected(path)}
    assert (rule.id in covered) != (rule.id in NETWORK_ONLY)  # type: ignore[attr-defined]


def test_docs_page_is_in_sync() -> None:
    assert DEFAULT_PATH.read_text(encoding="utf-8") == rules_markdown(), (
        "docs/rules.md is stale: run python -m vpcwire.report.rules_doc"
    )


def test_generator_check_mode(tmp_path: Path) -> None:
    page = tmp_path / "rules.md"
    assert main([str(page), "--check"]) == 1
    assert main([str(page)]) == 0
    assert main([str(page), "--check"]) == 0
    text = page.read_text()
    for r in RULES:
        assert f"### {r.id}" in text and r.url in text
