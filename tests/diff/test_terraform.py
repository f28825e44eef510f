"""`diff` and `diagram` on Terraform (read as `vpcwire scan` reads it), not only on specs."""

from __future__ import annotations

from pathlib import Path

from typer.testing import CliRunner

from tests.conftest import ROOT
from vpcwire.cli import app

runner = CliRunner()
SCAN = ROOT / "tests" / "fixtures" / "scan"


def run(*args: str | Path) -> tuple[int, str, str]:
    result = runner.invoke(app, [str(a) for a in args])
    return result.exit_code, result.stdout, result.stderr


def test_fixing_a_privatelink_configuration_opens_only_the_intended_flow() -> None:
    code, out, _ = run("diff", SCAN / "privatelink-buggy", SCAN / "privatelink-fixed")
    assert code == 0, out
    assert (
        "flows opened (1):\n  + service-consumer (10.2.0.0/16) -> endpoint api: tcp/8080 opened via PrivateLink (api)\n"
        in out
    )
    # the outpost VPC moves from provider aws.east to aws.west: neither says its account
    assert (
        "~ changed vpc service-outpost: account: (account of provider aws.east) -> "
        "(account of provider aws.west); region: us-east-1 -> us-west-2" in out
    )
    assert "origin" not in out  # where a resource was read from is not a change
    # a target is its address: moving the NLB's IP targets shows as the addresses themselves
    assert "targets: +id=10.0.1.10 port=8080 availability_zone=all" in out


def test_breaking_it_again_closes_the_flow_and_does_not_fail_the_gate() -> None:
    code, out, _ = run("diff", SCAN / "privatelink-fixed", SCAN / "privatelink-buggy")
    assert code == 0, out
    assert (
        "  - service-consumer (10.2.0.0/16) -> endpoint api: tcp/8080 closed via PrivateLink (api)"
        in out
    )


def test_diagram_of_terraform_and_live_needs_a_spec() -> None:
    code, out, _ = run("diagram", SCAN / "privatelink-fixed", "--format", "mermaid")
    assert code == 0
    assert 'vpc_service_provider <==>|"peering (inter-region)"| vpc_service_outpost' in out
    code, _, err = run("diagram", SCAN / "privatelink-fixed", "--live")
    assert code == 2 and "--live and --snapshot read the deployment of a spec" in err
    code, _, err = run("diff", SCAN / "privatelink-fixed", "--live")
    assert code == 2 and "--live compares a spec with its deployment" in err


UNSET_CIDR = """
variable "app_cidr" {
  type = string
}
resource "aws_vpc" "app" {
  cidr_block = var.app_cidr
}
resource "aws_subnet" "app" {
  vpc_id            = aws_vpc.app.id
  cidr_block        = cidrsubnet(aws_vpc.app.cidr_block, 8, 1)
  availability_zone = "us-east-1a"
}
"""


def test_diff_and_diagram_take_terraform_variables_and_locate_what_is_unresolved(
    tmp_path: Path,
) -> None:
    """Issue 17: they took no --var/--var-file, and printed what a scan could not resolve as
    `Unresolved(location=Location(file=PosixPath(…` object dumps."""
    old, new = tmp_path / "old", tmp_path / "new"
    for root in (old, new):
        root.mkdir()
        (root / "main.tf").write_text(UNSET_CIDR)
    (new / "main.tf").write_text(UNSET_CIDR.replace("8, 1)", "8, 2)"))
    for command in (["diff", old, new], ["diagram", new, "--format", "mermaid"]):
        code, _, err = run(*command)
        assert code == 0
        assert "Unresolved(" not in err and "PosixPath" not in err
        assert f"{new / 'main.tf'}:2: warning VW-W701: var.app_cidr: variable has no value" in err
        assert "fix: pass --var app_cidr=VALUE" in err
    (tmp_path / "vars.tfvars").write_text('app_cidr = "10.7.0.0/16"\n')
    for given in (["--var", "app_cidr=10.7.0.0/16"], ["--var-file", tmp_path / "vars.tfvars"]):
        code, out, err = run("diff", old, new, *given)
        assert code == 0 and "VW-W701" not in err, err
        assert "10.7.1.0/24 -> 10.7.2.0/24" in out, out
        code, out, err = run("diagram", new, "--format", "mermaid", *given)
        assert code == 0 and "VW-W701" not in err and "10.7.0.0/16" in out
