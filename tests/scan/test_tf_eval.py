"""Terraform evaluates Terraform: a scan whose values come from `terraform plan` against a
private sandbox gives today's findings where vpcwire's own evaluation was right, better
ones where it was not, and falls back -- saying why -- where terraform cannot run.

The tests that run terraform are marked `integration` (each plans against the sandbox:
10-40 s on a shared machine); the fallback paths run no terraform and are fast.
"""

from __future__ import annotations

import contextlib
import json
import os
import time
from collections.abc import Iterator
from pathlib import Path

import jsonschema
import pytest
from typer.testing import CliRunner

from tests.scan.test_fixtures import FIXTURES, line_of
from vpcwire.cli import app
from vpcwire.scan import tf_eval
from vpcwire.scan.report import ScanReport, scan_json, scan_sarif, scan_text
from vpcwire.scan.run import run_scan

TF_EVAL = FIXTURES / "tf-eval"
SCHEMA = json.loads((Path(__file__).parent / "sarif_structure.schema.json").read_text())
runner = CliRunner()


def outcome(report: ScanReport) -> tuple[list[tuple[str, str]], list[tuple[str, bool]]]:
    findings = sorted((f.rule, f.path) for f in report.findings)
    verdicts = sorted((v.intent.key, v.ok) for v in report.verdicts)
    return findings, verdicts


# ----------------------------------------------------------------------- fallback (fast)


def test_terraform_missing_falls_back_and_says_why(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("VPCWIRE_TERRAFORM", "/nonexistent/terraform")
    fixture = FIXTURES / "privatelink-buggy"
    report = run_scan(fixture, terraform=True)
    assert report.evaluation is not None and report.evaluation.method == "hcl"
    assert report.evaluation.reason.startswith("fell back: cannot run terraform ")
    assert "/nonexistent/terraform" in report.evaluation.reason
    assert outcome(report) == outcome(run_scan(fixture, terraform=False))


def test_terraform_not_on_path_falls_back(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("VPCWIRE_TERRAFORM", raising=False)
    monkeypatch.setenv("PATH", "/nonexistent")
    report = run_scan(FIXTURES / "peering", terraform=True)
    assert report.evaluation is not None and report.evaluation.method == "hcl"
    assert "fell back: terraform is not on PATH" in report.evaluation.reason


def test_default_leaves_terraform_out_of_a_large_configuration(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(tf_eval, "AUTO_LIMIT", 3)
    monkeypatch.setenv("VPCWIRE_TERRAFORM", "/nonexistent/terraform")  # never reached
    report = run_scan(FIXTURES / "peering", terraform=None)
    assert report.evaluation is not None and report.evaluation.method == "hcl"
    assert "resource, data and module blocks: terraform plan would take minutes" in (
        report.evaluation.reason
    )


def test_every_format_says_which_evaluation_and_why(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("VPCWIRE_TERRAFORM", "/nonexistent/terraform")
    fixture = str(FIXTURES / "privatelink-fixed")
    text = runner.invoke(app, ["scan", fixture, "--terraform"])
    assert text.exit_code == 0, text.stdout
    line = text.stdout.splitlines()[1]
    assert line.startswith("evaluated by vpcwire's own HCL evaluation: fell back: cannot run")
    assert "vpcwire scan plan.json" in text.stdout  # how to get the exact answer
    as_json = json.loads(runner.invoke(app, ["scan", fixture, "--format", "json"]).stdout)
    assert as_json["evaluation"]["method"] == "hcl"
    assert "--no-terraform" in as_json["evaluation"]["reason"]  # the suite's default: off
    sarif = json.loads(
        runner.invoke(app, ["scan", fixture, "--terraform", "--format", "sarif"]).stdout
    )
    jsonschema.validate(sarif, SCHEMA)
    assert sarif["runs"][0]["properties"]["evaluation"]["reason"].startswith("fell back")


def test_a_plan_json_is_said_to_be_exact() -> None:
    report = run_scan(FIXTURES / "privatelink-fixed" / "plan.json", terraform=True)
    assert report.evaluation is not None and report.evaluation.method == "plan-json"
    assert "exact" in scan_text(report).splitlines()[1]
    assert scan_json(report)["evaluation"]["guessed"] is False


# ------------------------------------------------------------- terraform runs (integration)


@pytest.mark.integration
@pytest.mark.parametrize(
    "name", ["privatelink-buggy", "privatelink-fixed", "peering", "multi-account", "module-count"]
)
def test_terraform_evaluation_agrees_where_vpcwires_was_right(name: str) -> None:
    fixture = FIXTURES / name
    report = run_scan(fixture, terraform=True)
    assert report.evaluation is not None
    assert report.evaluation.method == "terraform", report.evaluation.reason
    assert outcome(report) == outcome(run_scan(fixture, terraform=False))
    assert not (fixture / ".terraform").exists()  # terraform never ran in the user's directory


@pytest.mark.integration
def test_functions_vpcwire_does_not_evaluate_are_evaluated_by_terraform(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """jsondecode(file()) and a data source: vpcwire's evaluation leaves the VPC out (two
    W701s); terraform's finds the subnet outside the VPC, at its block. Through the CLI with
    no flag: terraform is scan's default."""
    monkeypatch.delenv("VPCWIRE_SCAN_TERRAFORM")
    fixture = TF_EVAL / "functions"
    ours = run_scan(fixture, terraform=False)
    assert not [f for f in ours.findings if f.rule == "VW-E101"]

    result = runner.invoke(app, ["scan", str(fixture), "--format", "json"])
    assert result.exit_code == 2, result.stdout
    report = json.loads(result.stdout)
    assert report["evaluation"]["method"] == "terraform"
    assert report["evaluation"]["notes"] == [
        "data.aws_availability_zones.available: answered by the embedded sandbox, not by your "
        "account"
    ]
    errors = [f for f in report["findings"] if f["severity"] == "error"]
    assert [(f["rule"], f["path"]) for f in errors] == [("VW-E101", "aws_subnet.app[1]")]
    assert errors[0]["file"].endswith("tf-eval/functions/main.tf")
    assert errors[0]["line"] == line_of(fixture / "main.tf", 'resource "aws_subnet"')
    assert not [f for f in report["findings"] if f["rule"] == "VW-W701"]


@pytest.mark.integration
def test_remote_backend_pin_profile_and_account_lookup_still_evaluate() -> None:
    """s3 backend, `~> 6.0` (the mirror has 5.x), a profile with allowed_account_ids and a
    data source only the user's account answers: terraform still evaluates; the pin is
    relaxed and the lookup unknown, both said; no error rests on the unknown."""
    fixture = TF_EVAL / "real-world"
    report = run_scan(fixture, terraform=True)
    evaluation = report.evaluation
    assert evaluation is not None and evaluation.method == "terraform", evaluation
    assert evaluation.guessed
    assert any("pin '~> 6.0' relaxed to 5." in n for n in evaluation.notes), evaluation.notes
    assert any(
        n.startswith("data.aws_vpc.shared: no matching EC2 VPC found on the sandbox")
        and n.endswith("its values are unknown")
        for n in evaluation.notes
    ), evaluation.notes
    assert not [f for f in report.findings if f.severity.value == "error"]
    assert [str(s.cidr) for s in report.network.subnets.values()] == ["10.20.1.0/24"]
    assert sorted(p.name for p in fixture.iterdir()) == ["main.tf"]  # nothing written there


@pytest.mark.integration
def test_a_module_that_cannot_be_installed_falls_back() -> None:
    fixture = TF_EVAL / "remote-module"
    report = run_scan(fixture, terraform=True)
    assert report.evaluation is not None and report.evaluation.method == "hcl"
    assert report.evaluation.reason.startswith("fell back: terraform init could not install")
    assert outcome(report) == outcome(run_scan(fixture, terraform=False))
    assert sarif_has_evaluation(report)


def sarif_has_evaluation(report: ScanReport) -> bool:
    sarif = scan_sarif(report)
    jsonschema.validate(sarif, SCHEMA)
    return bool(sarif["runs"][0]["properties"]["evaluation"]["method"] == "hcl")


def test_a_failure_while_init_runs_falls_back_and_leaves_no_terraform_running(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The sandbox starts while init runs; if it fails, init is stopped (it would otherwise
    outlive the scan in a removed directory) and the scan falls back, naming the failure."""
    pid_file = tmp_path / "pid"
    fake = tmp_path / "terraform"
    fake.write_text(f"#!/bin/sh\necho $$ > {pid_file}\nexec sleep 60\n")
    fake.chmod(0o755)
    monkeypatch.setenv("VPCWIRE_TERRAFORM", str(fake))

    @contextlib.contextmanager
    def broken(run: object) -> Iterator[str]:
        for _ in range(100):  # until the fake init has started
            if pid_file.exists() and pid_file.read_text().strip():
                break
            time.sleep(0.05)
        raise OSError("port in use")
        yield ""  # pragma: no cover

    monkeypatch.setattr(tf_eval, "_sandbox", broken)
    report = run_scan(FIXTURES / "peering", terraform=True)
    assert report.evaluation is not None and report.evaluation.method == "hcl"
    assert "(OSError: port in use)" in report.evaluation.reason
    pid = int(pid_file.read_text())
    with pytest.raises(ProcessLookupError):
        os.kill(pid, 0)


@pytest.mark.integration
def test_variables_reach_terraform_and_a_missing_one_is_the_fallbacks_reason(
    tmp_path: Path,
) -> None:
    fixture = TF_EVAL / "variables"
    missing = run_scan(fixture, terraform=True)
    assert missing.evaluation is not None and missing.evaluation.method == "hcl"
    assert "No value for required variable" in missing.evaluation.reason

    var_file = tmp_path / "azs.tfvars"
    var_file.write_text('azs = ["us-east-1a", "us-east-1b"]\n')
    given = run_scan(
        fixture, terraform=True, var_files=[var_file], variables={"cidr": "10.5.0.0/16"}
    )
    assert given.evaluation is not None and given.evaluation.method == "terraform"
    assert sorted(str(s.cidr) for s in given.network.subnets.values()) == [
        "10.5.1.0/24",
        "10.5.2.0/24",
    ]


@pytest.mark.integration
def test_a_registry_module_the_user_installed_needs_no_network(tmp_path: Path) -> None:
    """After the user's `terraform init`, .terraform/modules holds the registry module:
    the private copy takes it, and terraform's init there fetches nothing."""
    (tmp_path / "main.tf").write_text(
        'provider "aws" {\n  region = "us-east-1"\n}\n'
        'module "vpc" {\n  source  = "terraform-aws-modules/vpc/aws"\n  version = "5.8.1"\n'
        '  cidr    = "10.0.0.0/16"\n}\n'
    )
    installed = tmp_path / ".terraform" / "modules"
    (installed / "vpc").mkdir(parents=True)
    (installed / "vpc" / "main.tf").write_text(
        'variable "cidr" {}\nresource "aws_vpc" "this" {\n  cidr_block = var.cidr\n}\n'
    )
    (installed / "modules.json").write_text(
        json.dumps(
            {
                "Modules": [
                    {"Key": "", "Source": "", "Dir": "."},
                    {
                        "Key": "vpc",
                        "Source": "registry.terraform.io/terraform-aws-modules/vpc/aws",
                        "Version": "5.8.1",
                        "Dir": ".terraform/modules/vpc",
                    },
                ]
            }
        )
    )
    before = sorted(p.relative_to(tmp_path) for p in tmp_path.rglob("*"))
    report = run_scan(tmp_path, terraform=True)
    assert report.evaluation is not None
    assert report.evaluation.method == "terraform", report.evaluation.reason
    assert [str(v.cidrs[0]) for v in report.network.vpcs.values()] == ["10.0.0.0/16"]
    assert sorted(p.relative_to(tmp_path) for p in tmp_path.rglob("*")) == before
