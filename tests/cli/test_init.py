"""`vpcwire init`: a starter spec from public Terraform and a public snapshot, and its
command line (sources, --out/--force, exit codes, stdout).

Expected VPCs written from reading the sources before init was run on them:

* tam-vpc examples/issues (terraform-aws-modules/vpc): three modules, each a VPC
  10.0.0.0/16 in eu-west-1 whose Name tag is a literal (asymmetrical, no-private-subnets,
  route-already-exists); the provider names no account.
* examples/secondary-cidr-blocks: one VPC, Name "ex-${basename(path.cwd)}" (terraform's
  working directory: run from the example, ex-secondary-cidr-blocks), 10.0.0.0/16 plus
  10.1.0.0/16 and 10.2.0.0/16.
* examples/ipam: two VPCs whose blocks come from an IPAM pool at apply: nothing can be
  listed, and both must be named as left out.
* examples/manage-default-vpc: create_vpc = false; only aws_default_vpc (adopting the
  region's default VPC): nothing to list.
* Batfish's hybrid-cloud-aws snapshot (Vpcs.json): vpc-b390fad5 "Arista Demo",
  vpc-925131f4 "Demo-Test2", vpc-815775e7 "GNS3-BGP-Test", and the default vpc-f8fad69d.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
import yaml
from pydantic import ValidationError
from typer.testing import CliRunner

from tests.cli.test_startup import HEAVY, imported_by
from tests.conftest import ROOT
from tests.spec.test_starter import loaded
from vpcwire.cli import app
from vpcwire.spec.models import AccountSpec

runner = CliRunner()
TAM = ROOT / "tests" / "corpus" / "tam-vpc" / "examples"
BATFISH = ROOT / "tests" / "fixtures" / "snapshots" / "batfish-hybrid-cloud-aws"


def init(*args: str) -> tuple[int, str, str]:
    result = runner.invoke(app, ["init", *args])
    return result.exit_code, result.stdout, result.stderr


def test_from_terraform_lists_each_vpc_by_its_name() -> None:
    code, stdout, stderr = init("--from", str(TAM / "issues"))
    assert code == 0, stderr
    document = yaml.safe_load(stdout)  # stdout is the spec alone
    assert document["vpcs"] == {
        name: {"account": "main", "region": "eu-west-1", "existing": {"tags": {"Name": name}}}
        for name in ("asymmetrical", "no-private-subnets", "route-already-exists")
    }
    assert stdout.count("Name asymmetrical: 10.0.0.0/16\n") == 1
    # the provider says no account: a placeholder the spec loader refuses until filled in
    with pytest.raises(ValidationError, match="exactly 12 digits"):
        AccountSpec.model_validate(document["accounts"]["main"])
    assert "other thing(s) unresolved" in stderr  # counted, not listed


def test_from_terraform_follows_the_working_directory(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(TAM / "secondary-cidr-blocks")
    code, stdout, stderr = init("--from", ".")
    assert code == 0, stderr
    assert list(yaml.safe_load(stdout)["vpcs"]) == ["ex-secondary-cidr-blocks"]
    assert ": 10.0.0.0/16 (+ 10.1.0.0/16, 10.2.0.0/16)\n" in stdout


@pytest.mark.parametrize(
    ("example", "named"),
    [
        ("ipam", ["module.vpc_ipam_set_netmask.aws_vpc.this[0]", "module.vpc_ipam_set_cidr"]),
        ("manage-default-vpc", ["module.vpc.aws_default_vpc.this[0]"]),
    ],
)
def test_from_terraform_with_nothing_to_list(example: str, named: list[str]) -> None:
    code, stdout, stderr = init("--from", str(TAM / example))
    assert code == 2 and stdout == ""
    assert f"no VPC to list in Terraform {TAM / example}; left out:" in stderr
    assert all(address in stderr for address in named), stderr
    assert "fix:" in stderr


def test_from_a_snapshot() -> None:
    code, stdout, stderr = init("--snapshot", str(BATFISH))
    assert code == 0, stderr
    vpcs = yaml.safe_load(stdout)["vpcs"]
    assert {k: v["existing"] for k, v in vpcs.items()} == {
        "arista-demo": {"tags": {"Name": "Arista Demo"}},
        "demo-test2": {"tags": {"Name": "Demo-Test2"}},
        "gns3-bgp-test": {"tags": {"Name": "GNS3-BGP-Test"}},
    }
    assert {v["region"] for v in vpcs.values()} == {"us-west-2"}
    assert "  # vpc-f8fad69d:\n" in stdout  # the default VPC, commented out
    assert "#   existing: {id: vpc-f8fad69d}" in stdout
    # the files name owner 111234 (an anonymised dump): refused until a real id is written
    assert "  # 111234: not a 12-digit AWS account id, as read; write its 12-digit id\n" in stdout
    with pytest.raises(ValidationError, match="exactly 12 digits"):
        AccountSpec.model_validate(yaml.safe_load(stdout)["accounts"]["main"])


def test_out_writes_the_file_and_never_overwrites_without_force(tmp_path: Path) -> None:
    spec = tmp_path / "spec.yaml"
    code, stdout, stderr = init("--from", str(TAM / "issues"), "--out", str(spec))
    assert code == 0 and stdout == ""
    assert f"wrote {spec}: 3 VPC(s) as existing:" in stderr
    first = spec.read_text()
    assert set(
        loaded(first.replace("FILL IN: (account of provider aws)", "111111111111")).vpcs
    ) == {
        "asymmetrical",
        "no-private-subnets",
        "route-already-exists",
    }
    spec.write_text("mine\n")
    code, _, stderr = init("--from", str(TAM / "issues"), "--out", str(spec))
    assert code == 2
    assert f"init --out {spec}: the file exists" in stderr and "--force" in stderr
    assert spec.read_text() == "mine\n"
    code, _, stderr = init("--from", str(TAM / "issues"), "--out", str(spec), "--force")
    assert code == 0, stderr
    assert spec.read_text() == first


def test_out_refused_before_anything_is_read(tmp_path: Path) -> None:
    # a file that exists is refused even when the source is bad: nothing was read
    spec = tmp_path / "spec.yaml"
    spec.write_text("mine\n")
    code, _, stderr = init("--from", str(tmp_path / "nowhere"), "--out", str(spec))
    assert code == 2 and "the file exists" in stderr
    code, _, stderr = init("--from", str(TAM / "issues"), "--out", str(tmp_path / "no" / "s.yaml"))
    assert code == 2 and "does not exist" in stderr
    code, _, stderr = init("--from", str(TAM / "issues"), "--out", str(tmp_path))
    assert code == 2 and "is a directory" in stderr


@pytest.mark.parametrize(
    ("args", "says"),
    [
        ([], "init reads one estate"),
        (["--from", str(TAM / "issues"), "--snapshot", str(BATFISH)], "init reads one estate"),
        (["--from", str(TAM / "issues"), "--regions", "us-east-1"], "--regions read a live"),
        (["--snapshot", str(BATFISH), "--var", "a=b"], "--var and --var-file are Terraform's"),
        (["--from", str(ROOT / "docs")], "is not a Terraform directory"),
        (["--from", str(BATFISH / "SOURCE")], "not a Terraform directory or a plan"),
    ],
)
def test_bad_usage_exits_2_with_one_message(args: list[str], says: str) -> None:
    code, stdout, stderr = init(*args)
    assert code == 2 and stdout == ""
    assert says in stderr and "Traceback" not in stderr


def test_help_imports_none_of_ours() -> None:
    modules = imported_by("init", "--help")
    assert "vpcwire.cli.init" in modules
    assert sorted(m for m in HEAVY if m in modules and m != "pydantic") == []
    assert "vpcwire.spec.starter" not in modules


def _accounts(*ids: str) -> Any:
    from vpcwire.network import Account, NetworkBuilder

    b = NetworkBuilder()
    for account in ids:
        b.add_account(Account(account))
    return b.build()


def test_how_each_live_account_was_reached() -> None:
    from vpcwire.cli.check_scope import ReadScope
    from vpcwire.cli.init import _hints
    from vpcwire.spec.starter import AccountHint

    role = "arn:aws:iam::222222222222:role/audit"
    scope = ReadScope(("us-east-1",), (role,), True, None, False, profiles=("team-c", "team-d"))
    # the reader's order: the caller, the roles, the profiles (each account read once)
    net = _accounts("111111111111", "222222222222", "333333333333", "444444444444")
    assert _hints(scope, net) == {
        "222222222222": AccountHint(role_arn=role),
        "333333333333": AccountHint(profile="team-c"),
        "444444444444": AccountHint(profile="team-d"),
    }
    # a profile that reached an account already read: which profile is which is not known
    net = _accounts("111111111111", "222222222222", "333333333333")
    note = "reached by one of --profile team-c, team-d: add profile: NAME"
    assert _hints(scope, net)["333333333333"] == AccountHint(note=note)


def test_from_a_snapshot_written_by_hand() -> None:
    # tests/fixtures/snapshots/cli-written/EXPECTED.md: app and db, peered, a host in each
    code, stdout, stderr = init("--snapshot", str(BATFISH.parent / "cli-written"))
    assert code == 0, stderr
    assert list(yaml.safe_load(stdout)["vpcs"]) == ["app", "db"]
    assert "# instances: app-1 10.0.1.10\n" in stdout
    assert "# peered with vpc-0b000000000000001 (pcx-0c000000000000001, active)" in stdout
    assert "#     targets: {ips: [10.0.1.10]}" in stdout


def test_vpcs_made_by_vpcwire_are_not_listed() -> None:
    # a snapshot of `vpcwire up examples/privatelink.yaml`: both VPCs are the stack's own
    code, stdout, stderr = init("--snapshot", str(BATFISH.parent / "privatelink-sandbox"))
    assert code == 2 and stdout == ""
    assert stderr.count("made by vpcwire stack privatelink") == 2
    assert "the region's default VPC" in stderr


def test_an_endpoint_that_does_not_answer_exits_3(monkeypatch: pytest.MonkeyPatch) -> None:
    for name, value in (("AWS_ACCESS_KEY_ID", "x"), ("AWS_SECRET_ACCESS_KEY", "y")):
        monkeypatch.setenv(name, value)
    code, stdout, stderr = init(
        "--target", "aws", "--regions", "us-east-1", "--endpoint-url", "http://127.0.0.1:1"
    )
    assert code == 3 and stdout == ""
    assert "127.0.0.1:1" in stderr and "Traceback" not in stderr
