"""`vpcwire plan --format`, `vpcwire rules` and `vpcwire cost` from the command line."""

from __future__ import annotations

import json

import pytest
from typer.testing import CliRunner

from tests.conftest import EXAMPLES
from tests.rules.test_fixtures import FIXTURES
from vpcwire.cli import app
from vpcwire.report.findings import LOADER_CHECKS
from vpcwire.rules import all_rules

runner = CliRunner()


def run(*args: str) -> tuple[int, str, str]:
    result = runner.invoke(app, list(args))
    return result.exit_code, result.stdout, result.stderr


def test_plan_sarif_on_an_error_exits_2_with_the_log() -> None:
    code, out, err = run("plan", str(FIXTURES / "vw-e302.yaml"), "--format", "sarif")
    assert code == 2
    log = json.loads(out)
    assert {r["ruleId"] for r in log["runs"][0]["results"]} == {"VW-E301", "VW-E302"}
    assert "VW-E302" in err  # the human message still goes to stderr


def test_plan_sarif_with_warnings_only_exits_0() -> None:
    code, out, _ = run("plan", str(FIXTURES / "vw-w401.yaml"), "--format", "sarif")
    assert code == 0
    (result,) = json.loads(out)["runs"][0]["results"]
    assert result["ruleId"] == "VW-W401" and result["level"] == "warning"


def test_plan_json_on_an_error_prints_the_findings() -> None:
    for args in (["--json"], ["--format", "json"]):
        code, out, _ = run("plan", str(FIXTURES / "vw-e203.yaml"), *args)
        assert code == 2
        data = json.loads(out)
        assert data["rejected"] is True and data["findings"][0]["rule"] == "VW-E203"
        assert data["findings"][0]["line"] is not None


def test_plan_json_alias_still_prints_the_plan() -> None:
    code, out, _ = run("plan", str(EXAMPLES / "privatelink.yaml"), "--json")
    assert code == 0 and json.loads(out)["decisions"][0]["mechanism"] == "privatelink"


def test_plan_text_prints_decisions_and_findings() -> None:
    code, out, err = run("plan", str(EXAMPLES / "cross-region-native.yaml"))
    assert code == 0
    assert "because:" in out and "not chosen:" in out
    assert "VW-I603" in err


def test_rules_lists_the_catalogue() -> None:
    code, out, _ = run("rules")
    assert code == 0
    for r in all_rules():
        assert r.id in out
    for check in LOADER_CHECKS:  # the loader's own checks are part of the catalogue too
        assert check.id in out
    code, out, _ = run("rules", "--json")
    assert [r["id"] for r in json.loads(out)] == [c.id for c in LOADER_CHECKS] + [
        r.id for r in all_rules()
    ]
    code, out, _ = run("rules", "vw-e004")
    assert code == 0 and "load stage" in out and "fix:" in out


def test_rules_shows_one_rule() -> None:
    code, out, _ = run("rules", "vw-e203")
    assert code == 0 and "not transitive" in out and "https://" in out


def test_rules_unknown_id_suggests() -> None:
    code, _, err = run("rules", "VW-E2033")
    assert code == 2 and "did you mean VW-E203" in err


@pytest.mark.parametrize("name", ["privatelink", "inter-region-privatelink", "peering"])
def test_cost_text(name: str) -> None:
    code, out, _ = run("cost", str(EXAMPLES / f"{name}.yaml"))
    assert code == 0
    assert "crossover:" in out and "prices used" in out and "transit gateway" in out


def test_cost_json_and_options() -> None:
    code, out, _ = run(
        "cost", str(EXAMPLES / "peering.yaml"), "--json", "--gb-month", "250", "--up-to", "5000"
    )
    assert code == 0
    conn = json.loads(out)["connections"][0]
    assert conn["gb_month"] == 250 and conn["gb_month_given"] is False
    assert conn["crossover_search_up_to_gb"] == 5000


def test_cost_with_an_unreadable_price_list() -> None:
    code, _, err = run("cost", str(EXAMPLES / "peering.yaml"), "--prices", "/nonexistent.json")
    assert code == 2 and "cannot read the price list" in err


def test_cost_of_a_broken_spec_exits_2() -> None:
    code, _, err = run("cost", str(FIXTURES / "vw-e201.yaml"))
    assert code == 2 and "VW-E201" in err
