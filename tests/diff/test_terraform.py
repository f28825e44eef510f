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
    assert "~ changed vpc service-outpost: region: us-east-1 -> us-west-2" in out
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
