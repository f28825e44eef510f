"""`vpcwire scan` from the command line: formats, exit codes, bad input located."""

from __future__ import annotations

import json
from pathlib import Path

import jsonschema
import pytest
from typer.testing import CliRunner

from tests.scan.test_fixtures import BUGGY, FIXTURES, MODULE, SUBNET_BLOCK, line_of
from vpcwire.cli import app

runner = CliRunner()
SCHEMA = json.loads((Path(__file__).parent / "sarif_structure.schema.json").read_text())


def run(*args: str) -> tuple[int, str, str]:
    result = runner.invoke(app, ["scan", *args])
    return result.exit_code, result.stdout, result.stderr


def test_fixed_exits_0_with_text() -> None:
    code, out, _ = run(str(FIXTURES / "privatelink-fixed"))
    assert code == 0, out
    assert "3 intents, 3 passed, 0 failed" in out
    # the one thing it cannot know: the account of a provider that does not say it (issue 17)
    assert "providers.tf:16: warning VW-W701: data.aws_caller_identity.current" in out
    assert "outpost.tf:43: warning VW-W701: aws_vpc_endpoint_service.api" in out  # where it is used
    assert out.rstrip().endswith("0 errors, 2 warnings, 0 notes; 0 intents failed")


def test_buggy_exits_2_and_prints_file_line_and_address() -> None:
    code, out, _ = run(str(BUGGY))
    assert code == 2
    line = line_of(MODULE, SUBNET_BLOCK)
    assert (
        f"main.tf:{line}: error VW-E101: module.vpc_service_consumer.aws_subnet.private[0]" in out
    )
    assert "change: " in out  # the failing intent names the block to change


def test_buggy_sarif_validates_and_points_at_the_files() -> None:
    code, out, _ = run(str(BUGGY), "--format", "sarif")
    assert code == 2
    log = json.loads(out)
    jsonschema.validate(log, SCHEMA)
    results = log["runs"][0]["results"]
    by_rule = {r["ruleId"]: r for r in results}
    assert {"VW-E101", "VW-E103", "VW-E205", "VW-E307", "VW-E308", "VW-W402", "VW-V001"} <= set(
        by_rule
    )
    lb = by_rule["VW-E307"]["locations"][0]["physicalLocation"]
    assert lb["artifactLocation"]["uri"].endswith("privatelink-buggy/outpost.tf")
    assert lb["region"]["startLine"] == line_of(BUGGY / "outpost.tf", 'resource "aws_lb" "api"')
    ids = [r["id"] for r in log["runs"][0]["tool"]["driver"]["rules"]]
    assert all(r.get("ruleIndex", -1) < len(ids) for r in results)


def test_json_carries_findings_intents_and_exit_code() -> None:
    code, out, _ = run(str(FIXTURES / "peering"), "--format", "json")
    data = json.loads(out)
    assert code == 0 and data["exit_code"] == 0
    assert len(data["intents"]) == 2 and all(i["ok"] for i in data["intents"])


def test_expect_file_adds_intents_and_a_failing_one_exits_1(tmp_path: Path) -> None:
    expect = tmp_path / "expect.yaml"
    expect.write_text(
        "- {from: app-host, to: data-host, port: 5432, protocol: tcp, reachable: true}\n"
        "- {from: 'aws_instance.host[\"app\"]', to: data-host, port: 22, protocol: tcp, reachable: true}\n"
    )
    code, out, _ = run(str(FIXTURES / "peering"), "--expect", str(expect))
    assert code == 1, out
    assert 'expect: aws_instance.host["app"] -> aws_instance.host["data"] tcp/22' in out
    assert "SG_INGRESS_DENIED" in out


def test_expect_unknown_name_is_located(tmp_path: Path) -> None:
    expect = tmp_path / "expect.yaml"
    expect.write_text("- {from: app-hots, to: data-host, port: 5432}\n")
    code, _, err = run(str(FIXTURES / "peering"), "--expect", str(expect))
    assert code == 2
    assert "[0].from" in err and "app-host" in err


@pytest.mark.parametrize(
    ("files", "says"),
    [
        ({}, "no such directory"),
        ({"README.md": "hi\n"}, "not a Terraform directory"),
        ({"main.tf": 'resource "aws_vpc" "a" {\n  cidr_block = \n}\n'}, "main.tf:2"),
    ],
    ids=["missing", "not-terraform", "syntax-error"],
)
def test_bad_input_exits_2_located(tmp_path: Path, files: dict[str, str], says: str) -> None:
    root = tmp_path / "tf"
    if files:
        root.mkdir()
        for name, text in files.items():
            (root / name).write_text(text)
    code, _, err = run(str(root))
    assert code == 2
    assert says in err
    assert "Traceback" not in err


def test_bad_var_is_usage_error() -> None:
    code, _, err = run(str(FIXTURES / "peering"), "--var", "novalue")
    assert code == 2 and "K=V" in err


def test_var_file_sets_variables(tmp_path: Path) -> None:
    tfvars = tmp_path / "small.tfvars"
    tfvars.write_text('environments = { qa = "10.33.0.0/16" }\nwith_sandbox = false\n')
    code, out, _ = run(
        str(FIXTURES / "module-count"), "--var-file", str(tfvars), "--format", "json"
    )
    data = json.loads(out)
    assert code == 0, out
    assert [i["key"] for i in data["intents"]] == []  # one VPC with an instance: nothing to isolate
    assert data["resources"] > 0


def test_var_file_syntax_error_is_located(tmp_path: Path) -> None:
    tfvars = tmp_path / "bad.tfvars"
    tfvars.write_text("region = \n")
    code, _, err = run(str(FIXTURES / "module-count"), "--var-file", str(tfvars))
    assert code == 2 and "bad.tfvars:1" in err


def test_syntax_error_in_sarif_is_a_located_result(tmp_path: Path) -> None:
    root = tmp_path / "tf"
    root.mkdir()
    (root / "main.tf").write_text('resource "aws_vpc" "a" {\n  cidr_block = \n}\n')
    code, out, err = run(str(root), "--format", "sarif")
    assert code == 2 and "main.tf:2" in err
    log = json.loads(out)
    jsonschema.validate(log, SCHEMA)
    (result,) = log["runs"][0]["results"]
    assert result["ruleId"] == "VW-E005"
    assert result["locations"][0]["physicalLocation"]["region"]["startLine"] == 2
