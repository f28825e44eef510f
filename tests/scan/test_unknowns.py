"""An error finding is a proof (issue 17): what rests on a value the configuration does
not say is a located VW-W701, never an error, and an intent through an unknown part is
undecided. Each case is one seen on public Terraform, cut down; expectations were written
from reading the configuration before vpcwire's output was looked at."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from typer.testing import CliRunner

from tests.scan.test_fixtures import FIXTURES
from vpcwire.cli import app
from vpcwire.network.unknown import account_known, same_account
from vpcwire.rules import Severity
from vpcwire.scan.accounts import provider_account
from vpcwire.scan.run import run_scan

runner = CliRunner()


def write(root: Path, text: str) -> Path:
    root.mkdir(parents=True, exist_ok=True)
    (root / "main.tf").write_text(text)
    return root


def line_of(path: Path, needle: str) -> int:
    return next(i for i, line in enumerate(path.read_text().splitlines(), 1) if needle in line)


VPC = """
provider "aws" {
  region = "us-east-1"
}
variable "unset_az" {}
resource "aws_vpc" "main" {
  cidr_block = "10.0.0.0/16"
}
"""


def test_an_unknown_az_is_a_located_w701_not_e103(tmp_path: Path) -> None:
    """terraform-aws-modules/vpc: every subnet's AZ came out as '(unknown: …)' and each got
    VW-E103 (the old code: AZ 'None' here)."""
    root = write(
        tmp_path,
        VPC
        + """
resource "aws_subnet" "a" {
  vpc_id            = aws_vpc.main.id
  cidr_block        = "10.0.1.0/24"
  availability_zone = var.unset_az
}
""",
    )
    report = run_scan(root)
    assert not [f for f in report.findings if f.severity is Severity.ERROR], report.findings
    subnet = report.network.subnets["aws_subnet.a"]
    assert [u.field for u in subnet.unknowns] == ["az"]
    (u,) = subnet.unknowns
    assert u.origin is not None
    assert u.origin.line == line_of(root / "main.tf", "availability_zone = var.unset_az")
    assert "availability_zone = var.unset_az" in u.expression
    assert "--var unset_az=" in u.resolve


def test_an_error_resting_on_an_unknown_field_becomes_the_w701_of_that_field(
    tmp_path: Path,
) -> None:
    """The generic guard: VW-E103 would fire on the stand-in AZ; judge_network reports the
    unknown value instead, at its own line, with how to resolve it."""
    from vpcwire.rules import judge_network

    root = write(
        tmp_path,
        VPC
        + """
resource "aws_subnet" "a" {
  vpc_id            = aws_vpc.main.id
  cidr_block        = "10.0.1.0/24"
  availability_zone = var.unset_az
}
""",
    )
    report = run_scan(root)
    from dataclasses import replace

    net = report.network
    subnet = net.subnets["aws_subnet.a"]
    wrong = replace(subnet, az="eu-west-1a")  # a stand-in that would trip VW-E103
    from vpcwire.network import NetworkBuilder

    b = NetworkBuilder(net)
    b.put(wrong)
    found = judge_network(b.build())
    assert not [f for f in found if f.rule == "VW-E103"]
    (w,) = [f for f in found if f.message.startswith("VW-E103 (Availability zone outside")]
    assert w.rule == "VW-W701" and w.severity is Severity.WARNING
    assert "is not decided for aws_subnet.a: it rests on `availability_zone = var.unset_az`" in (
        w.message
    )
    assert w.location.line == line_of(root / "main.tf", "availability_zone = var.unset_az")
    assert "--var unset_az=" in w.fix


def test_no_placeholder_account_is_compared(tmp_path: Path) -> None:
    """VW-E206 compared peer_owner_id with 123456789012, an account vpcwire made up for
    every provider, and told the user to write it."""
    root = write(
        tmp_path,
        """
provider "aws" {
  region = "us-east-1"
}
provider "aws" {
  alias  = "peer"
  region = "us-east-1"
}
resource "aws_vpc" "a" {
  cidr_block = "10.1.0.0/16"
}
resource "aws_vpc" "b" {
  provider   = aws.peer
  cidr_block = "10.2.0.0/16"
}
resource "aws_vpc_peering_connection" "ab" {
  vpc_id        = aws_vpc.a.id
  peer_vpc_id   = aws_vpc.b.id
  peer_owner_id = "444444444444"
}
resource "aws_vpc_peering_connection_accepter" "ab" {
  provider                  = aws.peer
  vpc_peering_connection_id = aws_vpc_peering_connection.ab.id
  auto_accept               = true
}
""",
    )
    report = run_scan(root)
    assert not [f for f in report.findings if f.rule == "VW-E206"], report.findings
    text = "\n".join(map(str, report.findings))
    assert "123456789012" not in text
    assert not any(account_known(v.account) for v in report.network.vpcs.values())


def test_unresolved_attachments_are_not_no_registered_targets(tmp_path: Path) -> None:
    """VW-E308 fired where the attachments existed but were unresolved (and where an
    autoscaling group registers the targets at run time)."""
    base = """
variable "unset_x" {}
resource "aws_vpc" "t" {
  cidr_block = "10.9.0.0/16"
}
resource "aws_subnet" "t" {
  vpc_id            = aws_vpc.t.id
  cidr_block        = "10.9.1.0/24"
  availability_zone = "us-east-1a"
}
resource "aws_lb" "n" {
  load_balancer_type = "network"
  internal           = true
  subnets            = [aws_subnet.t.id]
}
resource "aws_lb_target_group" "g" {
  port        = 80
  protocol    = "TCP"
  target_type = "ip"
  vpc_id      = aws_vpc.t.id
}
resource "aws_lb_listener" "l" {
  load_balancer_arn = aws_lb.n.arn
  port              = 80
  protocol          = "TCP"
  default_action {
    type             = "forward"
    target_group_arn = aws_lb_target_group.g.arn
  }
}
resource "aws_vpc_endpoint_service" "s" {
  acceptance_required        = false
  network_load_balancer_arns = [aws_lb.n.arn]
}
"""
    attachment = """
resource "aws_lb_target_group_attachment" "t" {
  target_group_arn = aws_lb_target_group.g.arn
  target_id        = var.unset_x
}
"""
    counted = """
resource "aws_lb_target_group_attachment" "t" {
  count            = length(var.unset_x)
  target_group_arn = aws_lb_target_group.g.arn
  target_id        = "10.9.1.10"
}
"""
    asg = """
resource "aws_autoscaling_group" "a" {
  min_size            = 1
  max_size            = 2
  vpc_zone_identifier = [aws_subnet.t.id]
  target_group_arns   = [aws_lb_target_group.g.arn]
}
"""
    none = write(tmp_path / "none", base)
    assert [f.rule for f in run_scan(none).findings if f.rule == "VW-E308"] == ["VW-E308"]
    for name, extra in (("attachment", attachment), ("counted", counted), ("asg", asg)):
        report = run_scan(write(tmp_path / name, base + extra))
        assert not [f for f in report.findings if f.severity is Severity.ERROR], (
            name,
            report.findings,
        )
        tg = report.network.target_groups["aws_lb_target_group.g"]
        assert "targets" in {u.field for u in tg.unknowns}, name


def _peering_with_unknown_route(tmp_path: Path) -> Path:
    root = tmp_path / "peering"
    shutil.copytree(FIXTURES / "peering", root)
    with (root / "main.tf").open("a") as f:
        f.write(
            """
variable "unset_x" {}
resource "aws_route" "unknown" {
  route_table_id            = aws_vpc.this["app"].main_route_table_id
  destination_cidr_block    = var.unset_x
  vpc_peering_connection_id = aws_vpc_peering_connection.app_data.id
}
"""
        )
    return root


def test_an_intent_through_an_unknown_route_is_undecided(tmp_path: Path) -> None:
    """The peering fixture passes both intents; one route of app's table with an unknown
    destination leaves both undecided (the forward path of one, the return path of the
    other, cross that table): neither a pass nor a failure, and the scan exits 0."""
    report = run_scan(_peering_with_unknown_route(tmp_path))
    assert len(report.verdicts) == 2
    assert all(v.undecided and not v.ok for v in report.verdicts)
    assert report.exit_code == 0
    notes = "\n".join(n for v in report.verdicts for n in v.trace.notes)
    assert "destination_cidr_block = var.unset_x" in notes
    assert "would be reachable" in notes


def test_scan_text_says_undecided_and_strict_exits_1(tmp_path: Path) -> None:
    root = _peering_with_unknown_route(tmp_path)
    plain = runner.invoke(app, ["scan", str(root)])
    assert plain.exit_code == 0, plain.stdout
    assert "2 intents, 0 passed, 0 failed, 2 undecided" in plain.stdout
    assert "no intent was verified: all 2 rest on unknown values" in plain.stdout
    strict = runner.invoke(app, ["scan", str(root), "--strict"])
    assert strict.exit_code == 1, strict.stdout
    assert "--strict: failing:" in strict.stdout
    # given the value, the same configuration verifies both intents and passes --strict
    given = runner.invoke(app, ["scan", str(root), "--strict", "--var", "unset_x=10.20.9.0/24"])
    assert given.exit_code == 0, given.stdout
    assert "2 intents, 2 passed, 0 failed" in given.stdout


def test_a_scan_with_no_intent_says_so_and_strict_fails(tmp_path: Path) -> None:
    root = write(tmp_path, 'resource "aws_vpc" "main" {\n  cidr_block = "10.0.0.0/16"\n}\n')
    plain = runner.invoke(app, ["scan", str(root)])
    assert plain.exit_code == 0
    assert "no intent was verified: the configuration implies none" in plain.stdout
    strict = runner.invoke(app, ["scan", str(root), "--strict"])
    assert strict.exit_code == 1
    assert "no intent verified" in strict.stdout


def test_strict_passes_a_clean_fully_known_scan() -> None:
    result = runner.invoke(app, ["scan", str(FIXTURES / "peering"), "--strict"])
    assert result.exit_code == 0, result.stdout


@pytest.mark.parametrize(
    ("role", "allowed", "profile", "config", "want"),
    [
        pytest.param("arn:aws:iam::222222222222:role/x", None, None, "", "222222222222", id="role"),
        pytest.param(None, ["333333333333"], None, "", "333333333333", id="one allowed"),
        pytest.param(None, ["3", "4"], None, "", None, id="two allowed: unknown"),
        pytest.param(
            None,
            None,
            "prod",
            "[profile prod]\nrole_arn = arn:aws:iam::555555555555:role/admin\n",
            "555555555555",
            id="profile role_arn",
        ),
        pytest.param(
            None,
            None,
            "sso",
            "[profile sso]\nsso_account_id = 666666666666\n",
            "666666666666",
            id="profile sso",
        ),
        pytest.param(None, None, "nowhere", "", None, id="profile not in the file"),
        pytest.param(None, None, None, "", None, id="nothing said"),
    ],
)
def test_provider_account(
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    role: str | None,
    allowed: list[str] | None,
    profile: str | None,
    config: str,
    want: str | None,
) -> None:
    (tmp_path / "config").write_text(config)
    monkeypatch.setenv("AWS_CONFIG_FILE", str(tmp_path / "config"))
    got = provider_account(role, allowed, profile, "aws.x")
    if want is None:
        assert not account_known(got) and "123456789012" not in got
    else:
        assert got == want


def test_same_account_tells_proof_from_unknown() -> None:
    assert same_account("111111111111", "111111111111") is True
    assert same_account("111111111111", "222222222222") is False
    assert same_account("(account of provider aws)", "(account of provider aws)") is True
    assert same_account("(account of provider aws)", "111111111111") is None


def test_an_autoscaling_group_feeding_an_instance_group_gives_it_known_targets(
    tmp_path: Path,
) -> None:
    """Its instances do not exist before apply, but where they run and with which groups
    does: one stand-in per subnet is a known target, so the service's intents are decided."""
    root = write(
        tmp_path / "asg",
        """
resource "aws_vpc" "t" {
  cidr_block = "10.9.0.0/16"
}
resource "aws_subnet" "t" {
  vpc_id            = aws_vpc.t.id
  cidr_block        = "10.9.1.0/24"
  availability_zone = "us-east-1a"
}
resource "aws_lb_target_group" "g" {
  port        = 80
  protocol    = "TCP"
  target_type = "instance"
  vpc_id      = aws_vpc.t.id
}
resource "aws_autoscaling_group" "a" {
  min_size            = 1
  max_size            = 2
  vpc_zone_identifier = [aws_subnet.t.id]
  target_group_arns   = [aws_lb_target_group.g.arn]
}
""",
    )
    tg = run_scan(root).network.target_groups["aws_lb_target_group.g"]
    assert [t.id for t in tg.targets] == ["aws_autoscaling_group.a:aws_subnet.t"]
    assert "targets" not in {u.field for u in tg.unknowns}
