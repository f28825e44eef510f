"""`vpcwire diff` and `vpcwire diagram` on the command line: formats and exit codes."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
import yaml
from typer.testing import CliRunner

from tests.conftest import EXAMPLES
from vpcwire.cli import app

runner = CliRunner()
GOLDEN = EXAMPLES.parent / "tests" / "diagram" / "golden"


def run(*args: str) -> tuple[int, str, str]:
    result = runner.invoke(app, list(args))
    return result.exit_code, result.stdout, result.stderr


@pytest.fixture
def with_peering(tmp_path: Path) -> Path:
    data = yaml.safe_load((EXAMPLES / "privatelink.yaml").read_text())
    data["connections"].append({"peers": ["consumer", "provider"]})
    path = tmp_path / "privatelink-peered.yaml"
    path.write_text(yaml.safe_dump(data, sort_keys=False))
    return path


def test_extra_peering_lists_opened_flows_and_exits_1(with_peering: Path) -> None:
    code, out, _ = run("diff", str(EXAMPLES / "privatelink.yaml"), str(with_peering))
    assert code == 1
    assert (
        "consumer (10.1.0.0/16) -> provider (10.0.0.0/16): all traffic opened via peering consumer_provider"
        in out
    )
    assert (
        "provider (10.0.0.0/16) -> consumer (10.1.0.0/16): all traffic opened via peering consumer_provider"
        in out
    )
    assert "+ added peering consumer_provider" in out
    # the tally counts each kind of change as the lines below it show them
    tally = next(line for line in out.splitlines() if line.startswith("resources: "))
    marks = {"added": "  + added ", "removed": "  - removed ", "changed": "  ~ changed "}
    expected = [f"{out.count(m)} {kind}" for kind, m in marks.items() if m in out]
    assert tally == "resources: " + ", ".join(expected) and "1 added" in tally
    assert "cost: $" in out
    assert out.rstrip().endswith("opened flow group(s) no intent asks for")


def test_same_spec_exits_0(tmp_path: Path) -> None:
    spec = str(EXAMPLES / "inter-region-privatelink.yaml")
    code, out, _ = run("diff", spec, spec)
    assert code == 0
    assert "flows opened: none" in out and "flows closed: none" in out
    assert "resources: no change" in out


def test_json_sarif_and_markdown(with_peering: Path) -> None:
    old = str(EXAMPLES / "privatelink.yaml")
    code, out, _ = run("diff", old, str(with_peering), "--json")
    data = json.loads(out)
    assert code == 1 and data["ok"] is False
    assert {c["source_vpc"] for c in data["unintended"]} == {"consumer", "provider"}
    assert data["cost"]["delta_monthly"] == 0
    code, out, _ = run("diff", old, str(with_peering), "--format", "sarif")
    sarif = json.loads(out)
    assert code == 1 and sarif["version"] == "2.1.0"
    results = sarif["runs"][0]["results"]
    assert {r["ruleId"]: r["level"] for r in results} == {"VW-DIFF-OPEN": "error"}
    # annotations land on the line of the connection that opened the flows: `- peers: …`
    spec_lines = with_peering.read_text().splitlines()
    for result in results:
        line = result["locations"][0]["physicalLocation"]["region"]["startLine"]
        assert "peers" in spec_lines[line - 1], (line, spec_lines[line - 1])
    code, out, _ = run("diff", old, str(with_peering), "--format", "markdown")
    assert code == 1
    assert (
        "❌ **opens" in out
        and "| ➕ opened | consumer (10.1.0.0/16) | provider (10.0.0.0/16) | all traffic |" in out
    )
    assert "```mermaid\nflowchart LR" in out


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["diff", "examples/privatelink.yaml"], "give two specs"),
        (
            ["diff", "examples/privatelink.yaml", "examples/peering.yaml", "--live"],
            "give two specs",
        ),
        (["diff", "nowhere.yaml", "examples/peering.yaml"], "no such spec file"),
        (["diff", "examples/peering.yaml", "--format", "pdf"], "pdf"),
        (["diagram", "nowhere.yaml"], "no such spec file"),
        (["diagram", "examples/peering.yaml", "--format", "png"], "png"),
    ],
)
def test_bad_input_exits_2(args: list[str], message: str, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(EXAMPLES.parent)
    code, out, err = run(*args)
    assert code == 2
    assert message in err + out
    assert "Traceback" not in err + out


def test_diagram_formats(tmp_path: Path) -> None:
    spec = str(EXAMPLES / "inter-region-privatelink.yaml")
    code, out, _ = run("diagram", spec, "--format", "mermaid")
    assert code == 0 and out == (GOLDEN / "inter-region-privatelink.mmd").read_text()
    code, out, _ = run("diagram", spec, "--format", "svg")
    assert code == 0 and out.startswith("<svg") and 'id="vpc:provider"' in out
    page = tmp_path / "d.html"
    code, out, _ = run("diagram", spec, "--out", str(page))
    assert code == 0 and f"wrote {page}" in out
    html = page.read_text()
    assert html.startswith("<!DOCTYPE html>") and "<svg" in html
    assert "http://" not in html.replace("http://www.w3.org", "")  # self-contained
