"""The scan fixtures: each bug of the hand-written inter-region PrivateLink found at its
file and line, the fixed version clean with every derived intent proved, and the other
shapes (peering pair, module with count/for_each, two accounts with assume_role)."""

from __future__ import annotations

from pathlib import Path

import pytest

from vpcwire.scan.run import run_scan

FIXTURES = Path(__file__).parent.parent / "fixtures" / "scan"
BUGGY = FIXTURES / "privatelink-buggy"
MODULE = FIXTURES / "modules" / "vpc" / "main.tf"


def line_of(path: Path, text: str) -> int:
    """The 1-based line of the first line containing ``text`` (so fixture edits move it)."""
    for n, line in enumerate(path.read_text().splitlines(), 1):
        if text in line:
            return n
    raise AssertionError(f"{text!r} not in {path}")


SUBNET_BLOCK = 'resource "aws_subnet" "private"'

# (rule, Terraform address, file, the text of the block's first line)
BUGS = [
    ("VW-E101", "module.vpc_service_consumer.aws_subnet.private[0]", MODULE, SUBNET_BLOCK),
    ("VW-E101", "module.vpc_service_consumer.aws_subnet.private[1]", MODULE, SUBNET_BLOCK),
    ("VW-E103", "module.vpc_service_outpost.aws_subnet.private[0]", MODULE, SUBNET_BLOCK),
    ("VW-E307", "aws_lb.api", BUGGY / "outpost.tf", 'resource "aws_lb" "api"'),
    ("VW-W402", "aws_vpc_endpoint.api", BUGGY / "consumer.tf", 'resource "aws_vpc_endpoint" "api"'),
    ("VW-E308", "aws_lb_target_group.api", BUGGY / "outpost.tf", 'resource "aws_lb_target_group"'),
    (
        "VW-E205",
        "aws_vpc_peering_connection.provider_outpost",
        BUGGY / "peering.tf",
        'resource "aws_vpc_peering_connection" "provider_outpost"',
    ),
]


@pytest.fixture(scope="module")
def buggy() -> object:
    return run_scan(BUGGY)


@pytest.mark.parametrize("bug", BUGS, ids=lambda b: f"{b[0]}-{b[1]}")
def test_each_bug_is_found_at_its_block(buggy: object, bug: tuple[str, str, Path, str]) -> None:
    rule, address, file, first_line = bug
    hits = [f for f in buggy.findings if f.rule == rule and f.path == address]  # type: ignore[attr-defined]
    assert hits, f"{rule} not reported for {address}"
    assert Path(str(hits[0].location.file)).resolve() == file.resolve()
    assert hits[0].location.line == line_of(file, first_line)


def test_buggy_exits_2_and_the_endpoint_intent_fails(buggy: object) -> None:
    assert buggy.exit_code == 2  # type: ignore[attr-defined]
    failed = [v for v in buggy.verdicts if not v.ok]  # type: ignore[attr-defined]
    assert [v.intent.key for v in failed] == [
        "endpoint: aws_instance.client -> aws_vpc_endpoint.api tcp/8080"
    ]
    reasons = {str(r) for r in failed[0].trace.reasons}
    assert {"SG_INGRESS_DENIED", "NO_TARGETS"} <= reasons


def test_fixed_version_scans_clean_with_every_intent_proved() -> None:
    report = run_scan(FIXTURES / "privatelink-fixed")
    # Only what it cannot know: the account of provider aws.west, which no assume_role,
    # allowed_account_ids or profile says (the allowed principal is built from it).
    # Said where it is read and where it is used (the service's allowed principals).
    assert [(f.rule, f.path) for f in report.findings] == [
        ("VW-W701", "data.aws_caller_identity.current"),
        ("VW-W701", "aws_vpc_endpoint_service.api"),
    ]
    assert report.verdicts and all(v.ok for v in report.verdicts)
    assert any(v.intent.key.startswith("endpoint:") for v in report.verdicts)
    assert report.exit_code == 0


def test_peering_pair_derives_one_intent_per_admitted_port_each_way() -> None:
    report = run_scan(FIXTURES / "peering")
    keys = sorted(v.intent.key for v in report.verdicts)
    assert keys == [
        'peering: aws_instance.host["app"] -> aws_instance.host["data"] tcp/5432',
        'peering: aws_instance.host["data"] -> aws_instance.host["app"] tcp/443',
    ]
    assert all(v.ok for v in report.verdicts) and report.findings == []


def test_local_module_with_for_each_and_count() -> None:
    report = run_scan(FIXTURES / "module-count")
    net = report.network
    addresses = sorted(s.origin.address for s in net.subnets.values() if s.origin)  # type: ignore[misc]
    assert addresses == [
        'module.env["dev"].aws_subnet.private[0]',
        'module.env["dev"].aws_subnet.private[1]',
        'module.env["prod"].aws_subnet.private[0]',
        'module.env["prod"].aws_subnet.private[1]',
        "module.sandbox[0].aws_subnet.private[0]",
    ]
    cidrs = {s.origin.address: str(s.cidr) for s in net.subnets.values() if s.origin}  # type: ignore[union-attr]
    assert cidrs['module.env["prod"].aws_subnet.private[1]'] == "10.40.1.0/24"
    assert {v.region for v in net.vpcs.values()} == {"us-east-2"}
    assert sum(v.intent.key.startswith("isolation:") for v in report.verdicts) == 6
    assert report.exit_code == 0


def test_count_toggle_and_variables_from_the_command_line() -> None:
    report = run_scan(
        FIXTURES / "module-count",
        variables={"with_sandbox": "false", "region": "eu-west-3"},
    )
    names = sorted(v.name for v in report.network.vpcs.values())
    assert names == ["dev", "prod"]
    assert {v.region for v in report.network.vpcs.values()} == {"eu-west-3"}
    # the probe's for_each indexes module.sandbox[0], which no longer exists: reported
    assert any("sandbox" in f.message or "probe" in f.path for f in report.findings)


def test_two_accounts_from_assume_role() -> None:
    report = run_scan(FIXTURES / "multi-account")
    net = report.network
    accounts = {v.name: v.account for v in net.vpcs.values()}
    assert accounts == {"shared": "222222222222", "app": "333333333333"}
    svc = next(iter(net.endpoint_services.values()))
    assert svc.allowed_principals == ("arn:aws:iam::333333333333:root",)
    ep = next(iter(net.endpoints.values()))
    assert ep.account == "333333333333"
    assert all(v.ok for v in report.verdicts) and report.exit_code == 0


def test_plan_json_in_place_of_the_directory() -> None:
    """plan.json: `terraform show -json` of a plan of privatelink-fixed against the sandbox.
    Variables and the data source's account come from the plan; lines from the .tf files."""
    report = run_scan(FIXTURES / "privatelink-fixed" / "plan.json")
    assert report.findings == [] and report.verdicts and all(v.ok for v in report.verdicts)
    svc = report.network.endpoint_services["aws_vpc_endpoint_service.api"]
    assert svc.allowed_principals == ("arn:aws:iam::123456789012:root",)
    assert svc.origin is not None and svc.origin.file and svc.origin.file.endswith("outpost.tf")


def test_plan_json_without_its_configuration_is_refused(tmp_path: Path) -> None:
    from vpcwire.errors import UsageError

    moved = tmp_path / "plan.json"
    moved.write_text((FIXTURES / "privatelink-fixed" / "plan.json").read_text())
    with pytest.raises(UsageError, match="root module's directory"):
        run_scan(moved)


def test_registry_module_after_init_and_missing_before(tmp_path: Path) -> None:
    """A registry module is read from where `terraform init` put it (modules.json);
    without init it is reported, not silently dropped."""
    import json
    import shutil

    root = tmp_path / "root"
    root.mkdir()
    (root / "main.tf").write_text(
        'provider "aws" {\n  region = "ap-south-1"\n}\n\n'
        'module "vpc" {\n  source  = "example-org/vpc/aws"\n  version = "1.0.0"\n\n'
        '  name            = "reg"\n  cidr            = "10.90.0.0/16"\n'
        '  azs             = ["ap-south-1a"]\n  private_subnets = ["10.90.1.0/24"]\n}\n'
    )
    before = run_scan(root)
    assert not before.network.vpcs
    assert any(f.rule == "VW-W701" and "terraform init" in f.message for f in before.findings)

    downloaded = root / ".terraform" / "modules" / "vpc"
    shutil.copytree(FIXTURES / "modules" / "vpc", downloaded)
    manifest = {
        "Modules": [
            {"Key": "", "Source": "", "Dir": "."},
            {
                "Key": "vpc",
                "Source": "registry.terraform.io/example-org/vpc/aws",
                "Version": "1.0.0",
                "Dir": ".terraform/modules/vpc",
            },
        ]
    }
    (root / ".terraform" / "modules" / "modules.json").write_text(json.dumps(manifest))
    after = run_scan(root)
    subnet = after.network.subnets["module.vpc.aws_subnet.private[0]"]
    assert str(subnet.cidr) == "10.90.1.0/24" and subnet.az == "ap-south-1a"
    assert subnet.origin is not None and subnet.origin.file is not None
    assert ".terraform/modules/vpc/main.tf" in subnet.origin.file


def test_managed_prefix_list_feeds_security_group_rules(tmp_path: Path) -> None:
    (tmp_path / "main.tf").write_text(
        'resource "aws_ec2_managed_prefix_list" "office" {\n'
        '  name           = "office"\n  address_family = "IPv4"\n  max_entries    = 2\n'
        '  entry {\n    cidr = "10.77.0.0/24"\n  }\n}\n\n'
        'resource "aws_ec2_managed_prefix_list_entry" "vpn" {\n'
        "  prefix_list_id = aws_ec2_managed_prefix_list.office.id\n"
        '  cidr           = "10.78.0.0/24"\n}\n'
    )
    net = run_scan(tmp_path).network
    pl = net.prefix_lists["aws_ec2_managed_prefix_list.office"]
    assert [str(c) for c in pl.cidrs] == ["10.77.0.0/24", "10.78.0.0/24"]


def test_buggy_reports_exactly_these_rules(buggy: object) -> None:
    """Pinned: the bugs above, plus what follows from them (the NLB on the provider VPC puts
    its nodes in us-east-1 AZs the endpoint cannot use: VW-E303; the swapped alias moves the
    outpost VPC to us-east-1, where the peering's peer_region does not look: VW-E206)."""
    rules = sorted({f.rule for f in buggy.findings})  # type: ignore[attr-defined]
    assert rules == [
        "VW-E101",
        "VW-E103",
        "VW-E205",
        "VW-E206",
        "VW-E303",
        "VW-E307",
        "VW-E308",
        "VW-W402",
        "VW-W701",  # the account of provider aws.west is unknown (see the fixed version)
    ]


def test_endpoint_service_private_dns_name_is_read(tmp_path: Path) -> None:
    """The service's private DNS name reaches the Network (the data plane answers it inside
    consumers whose endpoint enables private DNS); an unknown value leaves it unset."""
    (tmp_path / "main.tf").write_text(
        'variable "dns" {\n  type = string\n}\n\n'
        'resource "aws_vpc_endpoint_service" "named" {\n'
        "  acceptance_required = false\n"
        '  private_dns_name    = "api.example.internal"\n}\n\n'
        'resource "aws_vpc_endpoint_service" "unset" {\n'
        "  acceptance_required = false\n"
        "  private_dns_name    = var.dns\n}\n"
    )
    services = run_scan(tmp_path).network.endpoint_services
    assert services["aws_vpc_endpoint_service.named"].private_dns_name == "api.example.internal"
    assert services["aws_vpc_endpoint_service.unset"].private_dns_name is None
