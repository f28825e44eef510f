"""`vpcwire scan --sandbox`: the configuration applied to a private sandbox, verified live,
destroyed, and the prediction compared with what was applied."""

from __future__ import annotations

import pytest
from typer.testing import CliRunner

from tests.scan.test_fixtures import BUGGY, FIXTURES
from vpcwire.cli import app
from vpcwire.scan.config import load_configuration
from vpcwire.scan.sandbox import override_text

runner = CliRunner()


def test_override_keeps_each_alias_and_its_role() -> None:
    text, fallback = override_text(load_configuration(FIXTURES / "multi-account"))
    assert text.count('provider "aws"') == 2
    assert 'alias       = "shared"' in text and 'alias       = "app"' in text
    assert "arn:aws:iam::222222222222:role/network-admin" in text
    assert "arn:aws:iam::333333333333:role/network-admin" in text
    assert "region" not in text  # kept from the user's block, never overridden
    assert "max_retries = 2" in text and fallback == ""


def test_buggy_configuration_is_not_applied() -> None:
    result = runner.invoke(app, ["scan", str(BUGGY), "--sandbox"])
    assert result.exit_code == 2
    assert "not applied: the error findings above are applies AWS would refuse" in result.stdout


@pytest.mark.integration
def test_peering_applies_verifies_and_destroys() -> None:
    result = runner.invoke(app, ["scan", str(FIXTURES / "peering"), "--sandbox"])
    assert result.exit_code == 0, result.stdout + result.stderr
    assert "verify (applied to the sandbox): 2 intents, 2 passed, 0 failed" in result.stdout
    assert "predicted vs applied: no difference" in result.stdout


def test_differences_name_what_the_apply_changed() -> None:
    from dataclasses import replace
    from ipaddress import IPv4Network

    from vpcwire.network import NetworkBuilder
    from vpcwire.scan import scan
    from vpcwire.scan.sandbox import differences

    predicted = scan(FIXTURES / "peering").network
    ids = {rid: f"live-{i}" for i, rid in enumerate(r.id for r in predicted.resources())}
    live = NetworkBuilder()
    for r in predicted.resources():
        changes: dict[str, object] = {"id": ids[r.id]}
        if hasattr(r, "subnet"):
            changes["subnet"] = ids[r.subnet]  # type: ignore[attr-defined]
        live.put(replace(r, **changes))  # type: ignore[arg-type]
    assert differences(predicted, live.build(), ids) == []

    app_subnet = predicted.subnets['aws_subnet.this["app"]']
    moved = replace(app_subnet, id=ids[app_subnet.id], cidr=IPv4Network("10.10.9.0/24"))
    live.put(moved)
    pcx = next(iter(predicted.peerings.values()))
    live.put(replace(pcx, id=ids[pcx.id], status="pending-acceptance"))
    said = differences(predicted, live.build(), ids)
    assert 'aws_subnet.this["app"]: cidr predicted 10.10.1.0/24, applied 10.10.9.0/24' in said
    assert (
        "aws_vpc_peering_connection.app_data: status predicted active, applied pending-acceptance"
        in said
    )


def test_a_failed_destroy_names_what_the_sandbox_still_holds() -> None:
    from ipaddress import IPv4Network

    from vpcwire.network import NetworkBuilder
    from vpcwire.network.model import Subnet, Vpc
    from vpcwire.scan.sandbox import _leftovers

    held = NetworkBuilder()
    net = IPv4Network("172.31.0.0/16")
    held.add(
        Vpc(
            id="vpc-default", name="default", account="1", region="r", cidrs=(net,), is_default=True
        )
    )
    held.add(Subnet(id="subnet-default", name="d", vpc="vpc-default", cidr=net, az="ra"))
    assert _leftovers(held.build()) == "  the sandbox read back holds nothing of it"
    app = IPv4Network("10.10.0.0/16")
    held.add(Vpc(id="vpc-app", name="app", account="1", region="r", cidrs=(app,)))
    held.add(
        Subnet(id="subnet-app", name="a", vpc="vpc-app", cidr=IPv4Network("10.10.1.0/24"), az="ra")
    )
    assert _leftovers(held.build()) == "  still in the sandbox: Subnet subnet-app, Vpc vpc-app"
