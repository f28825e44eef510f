"""Snapshot directories: live -> files -> the same network; files others wrote; gaps unknown.

The estate written by hand in the AWS CLI's shapes (tests/fixtures/snapshots/cli-written,
its EXPECTED.md written before vpcwire read it) is checked through the command line, as a
user runs it; the round trips use networks built on the sandbox with boto3.
"""

from __future__ import annotations

import json
import os
import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest
from hypothesis import HealthCheck, Phase, given, settings
from typer.testing import CliRunner

from tests.read.helpers import Aws, caller_session
from tests.read.world import STACK, World, build
from tests.sandbox.dataplane.estates import Recipe, recipes
from tests.sandbox.dataplane.estates import build as build_estate
from vpcwire.cli import app
from vpcwire.network import Network
from vpcwire.read.reader import RawRead, read_snapshots
from vpcwire.read.snapshot_dir import (
    FAMILIES,
    MANIFEST,
    is_snapshot_dir,
    load_snapshot,
    snapshot_network,
    write_snapshot,
)
from vpcwire.verify import Engine

REGIONS = ["us-east-1", "us-west-2"]
HAND = Path(__file__).parent.parent / "fixtures" / "snapshots" / "cli-written"
HAND_REGION = ("aws_configs", "accounts", "111111111111", "us-east-1")
runner = CliRunner()


def raw_read(accounts: list[Aws], regions: list[str]) -> RawRead:
    return read_snapshots(
        regions,
        endpoint_url=accounts[0].url,
        include_caller=False,
        role_arns=[a.role for a in accounts],
        session=caller_session(),
    )


def same_network(a: Network, b: Network) -> None:
    assert sorted(map(repr, a.resources())) == sorted(map(repr, b.resources()))
    assert a.accounts == b.accounts


@pytest.fixture(scope="module")
def world_read(
    moto_url: str, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[tuple[World, RawRead, Path]]:
    a, b = Aws.new(moto_url), Aws.new(moto_url)
    world = build(a, b)
    raw = raw_read([a, b], REGIONS)
    folder = tmp_path_factory.mktemp("snap")
    write_snapshot(folder, raw, source="sandbox", version="test")
    yield world, raw, folder


def test_a_snapshot_loads_back_into_the_network_the_live_read_gave(
    world_read: tuple[World, RawRead, Path],
) -> None:
    world, raw, folder = world_read
    loaded = load_snapshot(folder)
    same_network(raw.mapped().network, snapshot_network(loaded).network)
    assert loaded.incomplete() == {}
    # the stack's selection (tagged VPCs and their peers) is the live reader's, too
    filtered = snapshot_network(loaded, {"vpcwire:stack": STACK}).network
    assert set(filtered.vpcs) == {world.provider, world.consumer, world.peer}


def test_files_are_batfish_layout_in_the_aws_cli_shapes_and_hold_no_secret(
    world_read: tuple[World, RawRead, Path],
) -> None:
    world, _raw, folder = world_read
    assert is_snapshot_dir(folder)
    manifest = json.loads((folder / MANIFEST).read_text())
    assert manifest["accounts"] == sorted([world.a, world.b])
    assert manifest["regions"] == REGIONS
    for account in (world.a, world.b):
        for region in REGIONS:
            place = folder / "aws_configs" / "accounts" / account / region
            for family in FAMILIES:
                document = json.loads((place / family.file).read_text())
                assert list(document) == [family.key]
                assert isinstance(document[family.key], list)
    vpcs = json.loads(
        (folder / "aws_configs" / "accounts" / world.a / "us-east-1" / "Vpcs.json").read_text()
    )["Vpcs"]
    assert world.provider in {v["VpcId"] for v in vpcs}
    text = "".join(p.read_text() for p in folder.rglob("*.json"))
    secret = caller_session().get_credentials().secret_key
    assert secret not in text
    assert "UserData" not in text and "SecretAccessKey" not in text


def test_the_snapshot_command_writes_what_a_live_read_reads(
    world_read: tuple[World, RawRead, Path],
    moto_url: str,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    world, _raw, _ = world_read
    monkeypatch.setenv("AWS_ACCESS_KEY_ID", "testing")
    monkeypatch.setenv("AWS_SECRET_ACCESS_KEY", "testing")
    monkeypatch.delenv("AWS_PROFILE", raising=False)
    roles = ",".join(f"arn:aws:iam::{a}:role/x" for a in (world.a, world.b))
    result = runner.invoke(
        app,
        [
            "snapshot",
            str(tmp_path / "snap"),
            "--endpoint-url",
            moto_url,
            "--regions",
            ",".join(REGIONS),
            "--assume-role",
            roles,
            "--json",
        ],
    )
    assert result.exit_code == 0, result.output
    summary = json.loads(result.stdout)
    assert world.a in summary["accounts"] and summary["files"] > len(FAMILIES)
    loaded = snapshot_network(load_snapshot(tmp_path / "snap"), {"vpcwire:stack": STACK})
    assert set(loaded.network.vpcs) == {world.provider, world.consumer, world.peer}


@settings(
    max_examples=int(os.environ.get("VPCWIRE_SNAPSHOT_EXAMPLES", "4")),
    deadline=None,
    phases=[Phase.explicit, Phase.reuse, Phase.generate],
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(recipe=recipes())
def test_on_random_estates_a_snapshot_gives_the_live_verdicts(
    moto_url: str, tmp_path_factory: pytest.TempPathFactory, recipe: Recipe
) -> None:
    built = build_estate(moto_url, recipe)
    raw = raw_read(built.accounts, built.regions)
    folder = tmp_path_factory.mktemp("estate")
    write_snapshot(folder, raw, source="sandbox", version="test")
    live, saved = raw.mapped().network, snapshot_network(load_snapshot(folder)).network
    same_network(live, saved)
    assert [t.disposition for t in Engine(live).trace_many(built.flows)] == [
        t.disposition for t in Engine(saved).trace_many(built.flows)
    ]


# -- the hand-written estate, through the command line ---------------------------------------


def check(folder: Path, source: str, target: str, port: int, *extra: str) -> tuple[int, str]:
    result = runner.invoke(
        app,
        [
            "check",
            "--snapshot",
            str(folder),
            "--from",
            source,
            "--to",
            target,
            "--port",
            str(port),
            *extra,
        ],
    )
    return result.exit_code, result.output


def test_the_hand_written_estate_gives_the_verdicts_worked_out_by_hand() -> None:
    code, text = check(HAND, "app-1", "db-1", 5432)
    assert (code, "Disposition: REACHABLE" in text) == (0, True), text
    code, text = check(HAND, "app-1", "db-1", 22)
    assert code == 1 and "SG_INGRESS_DENIED at sg-0b000000000000001 (db)" in text
    code, text = check(HAND, "db-1", "app-1", 22)
    assert code == 1 and "SG_INGRESS_DENIED at sg-0a000000000000001 (app)" in text


@pytest.fixture
def hand(tmp_path: Path) -> Path:
    copy = tmp_path / "snapshot"
    shutil.copytree(HAND, copy)
    return copy


def edit(path: Path, change: object) -> None:
    document = json.loads(path.read_text())
    change(document)  # type: ignore[operator]
    path.write_text(json.dumps(document))


def test_a_rule_removed_by_hand_closes_the_path(hand: Path) -> None:
    groups = hand.joinpath(*HAND_REGION, "SecurityGroups.json")
    edit(groups, lambda d: d["SecurityGroups"][1]["IpPermissions"].clear())
    code, text = check(hand, "app-1", "db-1", 5432)
    assert code == 1 and "Disposition: UNREACHABLE" in text


def test_a_missing_file_makes_the_verdict_unknown_never_unreachable(hand: Path) -> None:
    hand.joinpath(*HAND_REGION, "RouteTables.json").unlink()
    for port in (5432, 22):
        code, text = check(hand, "app-1", "db-1", port)
        assert code == 1 and "Disposition: UNKNOWN" in text, text
        assert "no RouteTables.json" in text


def test_a_file_only_load_balancers_need_is_not_missing_without_load_balancers(hand: Path) -> None:
    hand.joinpath(*HAND_REGION, "InternetGateways.json").unlink()  # no route names an igw
    assert load_snapshot(hand).incomplete() == {}


def test_malformed_json_is_a_located_error(hand: Path) -> None:
    path = hand.joinpath(*HAND_REGION, "Subnets.json")
    path.write_text('{\n  "Subnets": [\n    {"SubnetId": }\n  ]\n}\n')
    code, text = check(hand, "app-1", "db-1", 5432)
    assert code == 2
    assert "Subnets.json:3:" in text and "malformed JSON" in text


def test_an_item_without_a_field_aws_always_returns_is_a_usage_error(hand: Path) -> None:
    subnets = hand.joinpath(*HAND_REGION, "Subnets.json")
    edit(subnets, lambda d: d["Subnets"][0].pop("VpcId"))
    code, text = check(hand, "app-1", "db-1", 5432)
    assert code == 2 and "Subnets.json: Subnets[0] lacks VpcId" in text, text
    tables = hand.joinpath(*HAND_REGION, "RouteTables.json")
    edit(tables, lambda d: d["RouteTables"][1]["Routes"][1].pop("DestinationCidrBlock"))
    edit(subnets, lambda d: d["Subnets"][0].update(VpcId="vpc-0a000000000000001"))
    edit(
        hand.joinpath(*HAND_REGION, "Reservations.json"),
        lambda d: d["Reservations"][0]["Instances"][0].pop("InstanceId"),
    )
    code, text = check(hand, "app-1", "db-1", 5432)
    assert code == 2 and "lacks the field 'InstanceId'" in text, text


@pytest.mark.parametrize("layout", ["region", "flat"])
def test_batfish_layouts_without_accounts_read_the_same(tmp_path: Path, layout: str) -> None:
    source = HAND.joinpath(*HAND_REGION)
    target = tmp_path / "aws_configs" / ("us-east-1" if layout == "region" else "")
    target.mkdir(parents=True, exist_ok=True)
    for path in source.iterdir():
        shutil.copy(path, target / path.name)
    assert check(tmp_path, "app-1", "db-1", 5432)[0] == 0
    assert check(tmp_path, "app-1", "db-1", 22)[0] == 1
    loaded = load_snapshot(tmp_path)
    # the account from the resources' OwnerId, the region from the subnets' AZs
    assert [(s.account, s.region) for s in loaded.raw.snapshots] == [("111111111111", "us-east-1")]


def test_pages_unknown_files_and_names_do_not_matter(hand: Path) -> None:
    folder = hand.joinpath(*HAND_REGION)
    subnets = json.loads((folder / "Subnets.json").read_text())["Subnets"]
    (folder / "Subnets.json").unlink()
    # one call's pages: as a JSON list of pages in one file, and as a second file
    (folder / "describe-subnets-page1.json").write_text(
        json.dumps([{"Subnets": subnets[:1], "NextToken": "x"}])
    )
    (folder / "more.json").write_text(json.dumps({"Subnets": subnets[1:]}))
    (folder / "Addresses.json").write_text(json.dumps({"Addresses": []}))
    (folder / "odd.json").write_text(json.dumps(["not an answer"]))
    assert check(hand, "app-1", "db-1", 5432)[0] == 0


def test_a_folder_that_is_not_a_snapshot_is_refused(tmp_path: Path) -> None:
    code, text = check(tmp_path, "app-1", "db-1", 5432)
    assert code == 2 and "no aws_configs/" in text


# -- protocols as AWS writes them ------------------------------------------------------------


def test_all_traffic_and_protocol_numbers_as_security_groups_speak_them(hand: Path) -> None:
    # db admits only tcp/5432 from app: "all traffic" is not open, ESP (50) is not either
    assert check_no_port(hand, "app-1", "db-1", "--protocol", "all")[0] == 1
    code, text = check_no_port(hand, "app-1", "db-1", "--protocol", "50")
    assert code == 1 and "IP protocol 50" in text
    groups = hand.joinpath(*HAND_REGION, "SecurityGroups.json")
    esp = {"IpProtocol": "50", "IpRanges": [{"CidrIp": "10.0.0.0/16"}]}
    edit(groups, lambda d: d["SecurityGroups"][1]["IpPermissions"].append(esp))
    assert check_no_port(hand, "app-1", "db-1", "--protocol", "50")[0] == 0
    assert check_no_port(hand, "app-1", "db-1", "--protocol", "47")[0] == 1  # GRE: no rule
    assert check_no_port(hand, "app-1", "db-1", "--protocol", "all")[0] == 1
    everything = {"IpProtocol": "-1", "IpRanges": [{"CidrIp": "10.0.0.0/16"}]}
    edit(groups, lambda d: d["SecurityGroups"][1]["IpPermissions"].append(everything))
    assert check_no_port(hand, "app-1", "db-1", "--protocol", "all")[0] == 0
    assert check_no_port(hand, "app-1", "db-1", "--protocol", "47")[0] == 0
    # 6 is tcp, by its number as by its name
    assert check(hand, "app-1", "db-1", 5432, "--protocol", "6")[0] == 0


@pytest.mark.parametrize(
    ("args", "said"),
    [
        (["--protocol", "50", "--port", "22"], "has no ports"),
        (["--protocol", "all", "--port", "0"], "has no ports"),
        (["--protocol", "tcp"], "--port is needed"),
        (["--protocol", "256"], "IP protocol number 0-255"),
        (["--protocol", "esp"], "IP protocol number 0-255"),
    ],
)
def test_ports_only_where_the_protocol_has_them(args: list[str], said: str) -> None:
    code, text = check_no_port(HAND, "app-1", "db-1", *args)
    assert code == 2 and said in text, text


def check_no_port(folder: Path, source: str, target: str, *extra: str) -> tuple[int, str]:
    result = runner.invoke(
        app, ["check", "--snapshot", str(folder), "--from", source, "--to", target, *extra]
    )
    return result.exit_code, result.output


BATFISH = Path(__file__).parent.parent / "fixtures" / "snapshots" / "batfish-hybrid-cloud-aws"


def test_batfish_own_example_snapshot_loads_as_its_files_say(tmp_path: Path) -> None:
    """Public input nobody here wrote (its SOURCE says what was expected before the run)."""
    loaded = load_snapshot(BATFISH)
    network = snapshot_network(loaded).network
    counts = (
        len(network.vpcs),
        len(network.subnets),
        len(network.security_groups),
        len(network.network_acls),
        len(network.interfaces),
        len(network.peerings),
    )
    assert counts == (4, 10, 11, 4, 9, 0)
    code, text = check(BATFISH, "border_01", "core_01", 22)
    assert code == 1 and "Disposition: UNKNOWN" in text and "no LoadBalancers.json" in text
    copy = tmp_path / "given"
    shutil.copytree(BATFISH, copy)
    (copy / "aws_configs" / "us-west-2" / "LoadBalancers.json").write_text('{"LoadBalancers": []}')
    code, text = check(copy, "border_01", "core_01", 22)
    assert "Disposition: UNKNOWN" not in text, text


def test_a_gap_is_found_by_vpc_even_when_the_files_name_another_owner(hand: Path) -> None:
    """Files saved by hand may give the VPC an owner other than the folder's account (the
    Batfish example does): the gap still covers that VPC's paths."""
    edit(
        hand.joinpath(*HAND_REGION, "Vpcs.json"),
        lambda d: [v.update(OwnerId="222222222222") for v in d["Vpcs"]],
    )
    hand.joinpath(*HAND_REGION, "RouteTables.json").unlink()
    code, text = check(hand, "app-1", "db-1", 5432)
    assert code == 1 and "Disposition: UNKNOWN" in text, text
