"""`vpcwire audit` and `vpcwire verify --exhaustive` on the command line: what they print,
their formats and exit codes, drift edited into a snapshot by hand, gaps as UNKNOWN."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
from typer.testing import CliRunner

from tests.conftest import EXAMPLES
from vpcwire.cli import app

runner = CliRunner()
ROOT = EXAMPLES.parent
HAND = ROOT / "tests" / "fixtures" / "snapshots" / "cli-written"
REGION = ("aws_configs", "accounts", "111111111111", "us-east-1")
APP_DB = "{from: app-1, to: db-1, protocol: tcp, ports: 5432}"


def run(*args: str) -> tuple[int, str]:
    result = runner.invoke(app, list(args))
    return result.exit_code, result.output


@pytest.fixture
def hand(tmp_path: Path) -> Path:
    copy = tmp_path / "snapshot"
    shutil.copytree(HAND, copy)
    return copy


@pytest.fixture
def expect(tmp_path: Path) -> Path:
    path = tmp_path / "expect.yaml"
    path.write_text(f"expect:\n  - {APP_DB}\n")
    return path


def test_audit_maps_the_estate_and_exits_0_without_expectations() -> None:
    code, out = run("audit", "--snapshot", str(HAND))
    assert code == 0, out
    assert "open: app [app-1] -> db [db-1]: tcp/5432 via peering app-db" in out
    assert "pcx-0c000000000000001" in out
    assert out.rstrip().endswith("1 open flow classes (nothing said to be intended: see --expect)")


def test_expected_flows_are_intended_and_the_proof_is_one_line(expect: Path) -> None:
    code, out = run("audit", "--snapshot", str(HAND), "--expect", str(expect))
    assert code == 0, out
    assert "intended: app [app-1] -> db [db-1]: tcp/5432" in out
    assert out.rstrip().endswith("result: 1 open flow classes, all intended")


def _add_ssh_rule(hand: Path) -> None:
    path = hand.joinpath(*REGION, "SecurityGroups.json")
    document = json.loads(path.read_text())
    db = next(g for g in document["SecurityGroups"] if g["GroupId"] == "sg-0b000000000000001")
    db["IpPermissions"].append(
        {
            "IpProtocol": "tcp",
            "FromPort": 22,
            "ToPort": 22,
            "IpRanges": [{"CidrIp": "10.0.0.0/16"}],
            "Ipv6Ranges": [],
            "PrefixListIds": [],
            "UserIdGroupPairs": [],
        }
    )
    path.write_text(json.dumps(document))


def test_a_rule_added_out_of_band_is_unintended_naming_it(hand: Path, expect: Path) -> None:
    _add_ssh_rule(hand)
    code, out = run("audit", "--snapshot", str(hand), "--expect", str(expect))
    assert code == 1, out
    line = next(x for x in out.splitlines() if x.strip().startswith("UNINTENDED"))
    assert "app [app-1] -> db [db-1]: tcp/22 via peering app-db" in line
    assert "sg-0b000000000000001 (tcp/22 10.0.0.0/16)" in out
    assert "result: 1 of 2 open flow classes UNINTENDED" in out


def test_a_missing_file_makes_classes_unknown_never_closed(hand: Path, expect: Path) -> None:
    hand.joinpath(*REGION, "RouteTables.json").unlink()
    code, out = run("audit", "--snapshot", str(hand), "--expect", str(expect))
    assert code == 1, out
    assert "UNKNOWN: app [app-1] -> db [db-1]" in out and "no RouteTables.json" in out
    assert "classes UNKNOWN (not proved)" in out


@pytest.mark.parametrize("fmt", ["json", "sarif", "markdown"])
def test_formats(hand: Path, expect: Path, fmt: str) -> None:
    _add_ssh_rule(hand)
    code, out = run("audit", "--snapshot", str(hand), "--expect", str(expect), "--format", fmt)
    assert code == 1
    if fmt == "json":
        doc = json.loads(out)
        assert doc["unintended"] == 1 and doc["lines"][0]["verdict"] == "UNINTENDED"
        assert doc["lines"][0]["traffic"] == "tcp/22"
    elif fmt == "sarif":
        doc = json.loads(out)
        (result,) = doc["runs"][0]["results"]
        assert result["ruleId"] == "VW-AUDIT-UNINTENDED" and result["level"] == "error"
    else:
        assert "| UNINTENDED | app (app-1) | db (db-1) | tcp/22 |" in out


def test_audit_reads_terraform() -> None:
    code, out = run("audit", str(ROOT / "tests" / "fixtures" / "scan" / "peering"))
    assert code == 0, out
    assert "open: app [app-host] -> data [data-host]: tcp/5432 via peering app-data" in out


@pytest.mark.parametrize(
    ("body", "said"),
    [
        ("expect: {}\n", "needs a list under `expect:`"),
        ("expect:\n  - {from: app-1, to: nowhere, protocol: tcp}\n", "entry 1: field 'to'"),
        ("expect:\n  - {from: app-1, to: db-1, protocol: tcp, ports: 70000}\n", "'ports'"),
        ("expect:\n  - {from: app-1, to: db-1, protocol: gre}\n", "'protocol'"),
        ("expect:\n  - {from: app-1, to: db-1, protocol: tcp, port: 1}\n", "unknown field"),
    ],
)
def test_a_bad_expect_file_is_a_located_error(tmp_path: Path, body: str, said: str) -> None:
    path = tmp_path / "expect.yaml"
    path.write_text(body)
    code, out = run("audit", "--snapshot", str(HAND), "--expect", str(path))
    assert code == 2 and said in out and str(path) in out.replace("\n", ""), out


def test_audit_needs_exactly_one_estate(tmp_path: Path) -> None:
    assert run("audit")[0] == 2
    assert run("audit", str(tmp_path), "--snapshot", str(HAND))[0] == 2
    code, out = run("audit", "--snapshot", str(HAND), "--regions", "us-east-1")
    assert code == 2 and "--regions" in out


def test_verify_exhaustive_proves_the_reference_architecture() -> None:
    code, out = run("verify", str(EXAMPLES / "inter-region-privatelink.yaml"), "--exhaustive")
    assert code == 0, out
    assert "intended: consumer [consumer_client_1] -> endpoint consumer_api" in out
    assert out.rstrip().endswith("result: 1 open flow classes, all intended")


def test_a_peering_asks_for_everything_its_allow_admits(tmp_path: Path) -> None:
    """`peers` with the default allow (all traffic) asks for every protocol and port, not only
    the three its intents sample; a narrowed allow asks for only its port."""
    code, out = run("verify", str(EXAMPLES / "peering.yaml"), "--exhaustive")
    assert code == 0 and "open flow classes, all intended" in out, out
    spec = (EXAMPLES / "peering.yaml").read_text()
    narrowed = spec.replace(
        "  - peers: [app, data]",
        "  - peers: [app, data]\n    allow: [{protocol: tcp, ports: [5432]}]",
    )
    assert narrowed != spec
    path = tmp_path / "peering-5432.yaml"
    path.write_text(narrowed)
    code, out = run("verify", str(path), "--exhaustive")
    assert code == 0, out
    assert "app [app_client_1] -> data [data_client_1]: tcp/5432 via peering" in out


# -- drift after `up`: a snapshot of the deployed privatelink.yaml (taken from the sandbox by
# `vpcwire snapshot --target sandbox` after `vpcwire up`), then edited by hand ---------------

DEPLOYED = ROOT / "tests" / "fixtures" / "snapshots" / "privatelink-sandbox"
CONSUMER, PROVIDER = "vpc-f49e9bc5b5a90c84e", "vpc-e45e315c837ab4b29"


def _verify_snapshot(folder: Path) -> tuple[int, str]:
    spec = str(EXAMPLES / "privatelink.yaml")
    return run("verify", spec, "--snapshot", str(folder), "--exhaustive")


def _edit(folder: Path, name: str, change: object) -> None:
    path = folder.joinpath(*REGION, name)
    document = json.loads(path.read_text())
    change(document)  # type: ignore[operator]
    path.write_text(json.dumps(document))


def _peer_out_of_band(folder: Path) -> None:
    def info(vpc: str, cidr: str) -> dict[str, object]:
        return {
            "CidrBlock": cidr,
            "CidrBlockSet": [{"CidrBlock": cidr}],
            "OwnerId": "111111111111",
            "VpcId": vpc,
            "Region": "us-east-1",
        }

    peering = {
        "AccepterVpcInfo": info(PROVIDER, "10.0.0.0/16"),
        "RequesterVpcInfo": info(CONSUMER, "10.1.0.0/16"),
        "Status": {"Code": "active", "Message": "Active"},
        "Tags": [],
        "VpcPeeringConnectionId": "pcx-0000000000000b0b",
    }
    _edit(
        folder, "VpcPeeringConnections.json", lambda d: d["VpcPeeringConnections"].append(peering)
    )

    def routes(d: dict[str, list[dict[str, object]]]) -> None:
        for table in d["RouteTables"]:
            there = {CONSUMER: "10.0.0.0/16", PROVIDER: "10.1.0.0/16"}.get(str(table["VpcId"]))
            if there is not None:
                table["Routes"].append(  # type: ignore[attr-defined]
                    {
                        "DestinationCidrBlock": there,
                        "Origin": "CreateRoute",
                        "State": "active",
                        "VpcPeeringConnectionId": "pcx-0000000000000b0b",
                    }
                )

    _edit(folder, "RouteTables.json", routes)

    def rules(d: dict[str, list[dict[str, list[object]]]]) -> None:
        allow = {
            "IpProtocol": "tcp",
            "FromPort": 22,
            "ToPort": 22,
            "IpRanges": [{"CidrIp": "10.0.0.0/8"}],
            "Ipv6Ranges": [],
            "PrefixListIds": [],
            "UserIdGroupPairs": [],
        }
        for group in d["SecurityGroups"]:
            if group["GroupName"] == "consumer_workload":
                group["IpPermissionsEgress"].append(allow)
            if group["GroupName"] == "api_targets":
                group["IpPermissions"].append(allow)

    _edit(folder, "SecurityGroups.json", rules)


def test_the_deployed_stack_is_proved_clean() -> None:
    code, out = _verify_snapshot(DEPLOYED)
    assert code == 0, out
    assert out.rstrip().endswith("result: 1 open flow classes, all intended")


def test_a_peering_added_after_up_is_unintended_naming_it(tmp_path: Path) -> None:
    folder = tmp_path / "drifted"
    shutil.copytree(DEPLOYED, folder)
    _peer_out_of_band(folder)
    code, out = _verify_snapshot(folder)
    assert code == 1, out
    line = next(x for x in out.splitlines() if x.strip().startswith("UNINTENDED"))
    assert "consumer [consumer_client_1] -> provider [api_1, api_2]: tcp/22" in line
    assert "via peering pcx-0000000000000b0b" in line
    assert "sg-c353c872d9f95c246 (tcp/22 10.0.0.0/8)" in out  # the rule that opens it
