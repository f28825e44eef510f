"""Findings as text, JSON and SARIF 2.1.0, and the exit code by severity."""

from __future__ import annotations

import json
from pathlib import Path

from tests.rules.test_fixtures import FIXTURES, findings_of
from vpcwire.errors import Location
from vpcwire.report.findings import (
    LOADER_CHECKS,
    exit_code,
    findings_json,
    findings_sarif,
    findings_text,
)
from vpcwire.rules import Finding, Severity, all_rules

ROOT = FIXTURES.parents[2]  # the repository


def _mixed() -> list[Finding]:
    """One error (E301), one error (E302) and, from another spec, a warning and a note."""
    return [
        *findings_of(FIXTURES / "vw-e302.yaml"),
        *findings_of(FIXTURES / "vw-w401.yaml"),
        *findings_of(FIXTURES / "vw-i305.yaml"),
    ]


def test_exit_code_by_severity() -> None:
    assert exit_code(findings_of(FIXTURES / "vw-e302.yaml")) == 2
    assert exit_code(findings_of(FIXTURES / "vw-w401.yaml")) == 0
    assert exit_code(findings_of(FIXTURES / "vw-i305.yaml")) == 0
    assert exit_code([]) == 0


def test_text_is_one_located_block_per_finding_and_a_count() -> None:
    text = findings_text(_mixed())
    assert text.splitlines()[-1] == "2 errors, 1 warning, 1 note"
    assert f"{FIXTURES / 'vw-e302.yaml'}:" in text and "fix:" in text


def test_json_lists_findings_and_counts() -> None:
    data = findings_json(_mixed())
    assert data["counts"] == {"error": 2, "warning": 1, "info": 1}
    assert data["exit_code"] == 2
    first = data["findings"][0]
    keys = {"rule", "severity", "message", "path", "file", "line", "column", "fix", "url"}
    assert keys <= set(first)
    json.dumps(data)


def test_sarif_log_shape() -> None:
    found = _mixed()
    log = findings_sarif(found, root=ROOT)
    json.dumps(log)
    assert log["version"] == "2.1.0" and log["$schema"].endswith("sarif-schema-2.1.0.json")
    (run,) = log["runs"]
    driver = run["tool"]["driver"]
    assert driver["name"] == "vpcwire"
    ids = [r["id"] for r in driver["rules"]]
    assert ids == [c.id for c in LOADER_CHECKS] + [r.id for r in all_rules()]
    for descriptor in driver["rules"]:
        assert descriptor["shortDescription"]["text"] and descriptor["fullDescription"]["text"]
        assert descriptor["helpUri"].startswith("https://")
        assert descriptor["defaultConfiguration"]["level"] in ("error", "warning", "note")
    assert run["originalUriBaseIds"]["SRCROOT"]["uri"] == ROOT.resolve().as_uri() + "/"
    assert len(run["results"]) == len(found)
    for result, finding in zip(run["results"], found, strict=True):
        assert result["ruleId"] == finding.rule
        assert ids[result["ruleIndex"]] == finding.rule
        assert (
            result["level"]
            == {Severity.ERROR: "error", Severity.WARNING: "warning", Severity.INFO: "note"}[
                finding.severity
            ]
        )
        assert finding.message in result["message"]["text"]
        (location,) = result["locations"]
        physical = location["physicalLocation"]
        assert physical["artifactLocation"] == {
            "uri": Path(finding.location.file).resolve().relative_to(ROOT.resolve()).as_posix(),
            "uriBaseId": "SRCROOT",
        }
        assert physical["region"] == {
            "startLine": finding.location.line,
            "startColumn": finding.location.column,
        }
        assert location["logicalLocations"][0]["fullyQualifiedName"] == finding.path


def test_sarif_outside_root_and_without_a_file(tmp_path: Path) -> None:
    found = findings_of(FIXTURES / "vw-w401.yaml")
    log = findings_sarif(found, root=tmp_path)
    uri = log["runs"][0]["results"][0]["locations"][0]["physicalLocation"]["artifactLocation"]
    assert uri == {"uri": (FIXTURES / "vw-w401.yaml").resolve().as_uri()}
    bare = Finding("VW-W401", Severity.WARNING, "m", "services.api", Location(None), "f")
    (location,) = findings_sarif([bare])["runs"][0]["results"][0]["locations"]
    assert "physicalLocation" not in location
