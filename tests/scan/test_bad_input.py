"""Bad input never crashes or hangs `vpcwire scan` (issue 17): each case seen in adversarial
trials, at the command line, gets a located error (file:line, the attribute, the value, a
fix; exit 2) or is accepted where Terraform accepts it.

Terraform's own verdict for each case (terraform 1.11 validate/plan) is quoted beside it.
Time and memory are bounded by ``guard.py`` only to turn a hang into a failure; the times
measured are in benchmarks/fuzz_scan.py's report, not asserted here.
"""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest
from typer.testing import CliRunner

from tests.scan.guard import bounded
from vpcwire.cli import app

runner = CliRunner()
PROVIDER = 'provider "aws" {\n  region = "eu-west-1"\n}\n\n'  # lines 1-4
VPC = 'resource "aws_vpc" "a" {\n  %s\n  cidr_block = "10.0.0.0/16"\n}\n'  # the meta on line 6
MODULE_VPC = 'resource "aws_vpc" "m" {\n  cidr_block = "10.9.0.0/16"\n}\n'


def scan(target: Path) -> tuple[int, str, str]:
    with bounded(60.0, 2000):
        result = runner.invoke(app, ["scan", str(target)])
    assert result.exception is None or isinstance(result.exception, SystemExit), result.exception
    assert "internal error" not in result.stderr and "Traceback" not in result.stderr
    return result.exit_code, result.stdout, result.stderr


def write(root: Path, files: dict[str, str | bytes]) -> Path:
    for name, content in files.items():
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(content, bytes):
            path.write_bytes(content)
        else:
            path.write_text(content)
    return root


@pytest.mark.parametrize(
    ("meta", "says"),
    [
        # terraform: "Incorrect value type: Invalid expression value: a number is required."
        ('count = "abc"', "aws_vpc.a.count: count must be a number, not a string (got 'abc')"),
        # terraform: 'The given "count" argument value is null. An integer is required.'
        ("count = null", "aws_vpc.a.count: count is null"),
        # terraform: "Incorrect value type: Invalid expression value: number required."
        ("count = [1]", "aws_vpc.a.count: count must be a number, not a list (got [1])"),
        # terraform: "Invalid count argument ... must be greater than or equal to zero."
        ("count = -3", "aws_vpc.a.count: count must be 0 or more (got -3)"),
        # terraform: "Invalid count argument ... value must be a whole number"
        ("count = 2.5", "aws_vpc.a.count: count must be a whole number (got 2.5)"),
        # terraform: 'the "for_each" argument must be a map, or set of strings, and you have
        # provided a value of type number.'
        ("for_each = 42", "aws_vpc.a.for_each: for_each must be a map, or a set of strings"),
        # terraform: '"for_each" sets must not contain null values.'
        (
            'for_each = toset(["a", null])',
            "aws_vpc.a.for_each: a for_each set must not contain null",
        ),
        # terraform: '"for_each" supports maps and sets of strings, but you have provided a
        # set containing type number.'
        (
            "for_each = toset([1, 2])",
            "aws_vpc.a.for_each: for_each must be a map, or a set of strings; this is a set of numbers",
        ),
        # terraform plan runs out of memory; a scan stops at its bound
        (
            "count = 1000000000",
            "aws_vpc.a.count: 1,000,000,000 more instances would take this scan past the 100,000",
        ),
        (
            "for_each = toset([for i in range(100000000) : tostring(i)])",
            "aws_vpc.a.for_each: the expression range() of 100,000,000 numbers",
        ),
    ],
    ids=[
        "count-string",
        "count-null",
        "count-list",
        "count-negative",
        "count-fraction",
        "for_each-number",
        "for_each-null-element",
        "for_each-numbers",
        "count-huge",
        "for_each-huge-range",
    ],
)
def test_meta_argument_terraform_refuses_is_located(tmp_path: Path, meta: str, says: str) -> None:
    write(tmp_path, {"main.tf": PROVIDER + VPC % meta})
    code, _, err = scan(tmp_path)
    assert code == 2, err
    assert f"main.tf:6: {says}" in err, err
    assert "fix: " in err


@pytest.mark.parametrize(
    ("meta", "vpcs"),
    [('count = "2"', 2), ("count = 2.0", 2), ("for_each = {}", 0), ("count = 0", 0)],
    ids=["count-numeric-string", "count-whole-float", "for_each-empty", "count-zero"],
)
def test_meta_argument_terraform_accepts_is_accepted(tmp_path: Path, meta: str, vpcs: int) -> None:
    write(tmp_path, {"main.tf": PROVIDER + VPC % meta})
    code, out, err = scan(tmp_path)
    assert code == 0, err
    assert f"{vpcs} VPC" in out if vpcs else "VPC" not in out.splitlines()[0]


def test_errors_are_reported_together(tmp_path: Path) -> None:
    """Like terraform validate: every refusal at once, not the first one only."""
    second = VPC.replace('"a"', '"b"') % "for_each = 42"
    write(tmp_path, {"main.tf": PROVIDER + VPC % "count = -3" + second})
    code, _, err = scan(tmp_path)
    assert code == 2
    assert "the spec has 2 problems" in err
    assert "main.tf:6: aws_vpc.a.count" in err and "main.tf:10: aws_vpc.b.for_each" in err


def test_module_with_huge_count_is_located(tmp_path: Path) -> None:
    module = 'module "m" {\n  source = "./m"\n  count  = 100000000\n}\n'
    write(tmp_path, {"main.tf": PROVIDER + module, "m/main.tf": MODULE_VPC})
    code, _, err = scan(tmp_path)
    assert code == 2
    assert "main.tf:7: module.m.count: 100,000,000 more instances" in err


def test_dynamic_block_for_each_not_a_collection_is_located(tmp_path: Path) -> None:
    sg = (
        'resource "aws_security_group" "s" {\n'  # line 5
        "  vpc_id = aws_vpc.a.id\n"
        '  dynamic "ingress" {\n'
        "    for_each = 42\n"  # line 8
        "    content {\n"
        "      from_port   = 443\n"
        "      to_port     = 443\n"
        '      protocol    = "tcp"\n'
        '      cidr_blocks = ["10.0.0.0/8"]\n'
        "    }\n"
        "  }\n"
        "}\n"
    )
    write(tmp_path, {"main.tf": PROVIDER + sg + VPC % ""})
    code, _, err = scan(tmp_path)
    assert code == 2
    assert "main.tf:8: aws_security_group.s.dynamic.ingress.for_each" in err


def test_module_sourcing_itself_and_a_module_cycle_are_located(tmp_path: Path) -> None:
    """Was a RecursionError. terraform init fails on both ("file name too long" after 85
    levels of me.me.me...)."""
    root = 'module "me" {\n  source = "./"\n}\n\nmodule "a" {\n  source = "./a"\n}\n'
    write(
        tmp_path,
        {
            "main.tf": PROVIDER + root,
            "a/main.tf": 'module "b" {\n  source = "../b"\n}\n',
            "b/main.tf": 'module "a" {\n  source = "../a"\n}\n',
        },
    )
    code, _, err = scan(tmp_path)
    assert code == 2, err
    assert "main.tf:6: module.me.source: the module's source is" in err
    assert "b/main.tf:2: module.a.module.b.module.a.source" in err
    assert "a module cannot contain itself" in err


def test_module_source_leaving_the_repository_is_located(tmp_path: Path) -> None:
    """Terraform reads ../../../../etc as an empty module; a scan refuses to read outside
    the repository holding the root module (here tmp/repo, marked by its .git)."""
    root = tmp_path / "repo" / "envs" / "prod"
    (tmp_path / "repo" / ".git").mkdir(parents=True)
    up = "../" * (len(root.parts) + 1)
    module = f'module "m" {{\n  source = "{up}etc"\n}}\n'
    write(root, {"main.tf": PROVIDER + module})
    code, _, err = scan(root)
    assert code == 2
    assert "main.tf:6: module.m.source: the module's source leads out of the configuration" in err
    assert "/etc" in err


def test_module_source_inside_the_repository_is_read(tmp_path: Path) -> None:
    """../../modules/x from envs/prod is how repositories share modules: read, not refused."""
    repo = tmp_path / "repo"
    (repo / ".git").mkdir(parents=True)
    module = 'module "m" {\n  source = "../../modules/m"\n}\n'
    write(repo, {"envs/prod/main.tf": PROVIDER + module, "modules/m/main.tf": MODULE_VPC})
    code, out, err = scan(repo / "envs" / "prod")
    assert code == 0, err
    assert "1 VPC" in out


def test_an_example_unpacked_without_git_reads_its_module_above_it(tmp_path: Path) -> None:
    """`source = "../../"` from examples/complete, with no .git anywhere (a tarball, a temp
    copy): the module above is a real module, so it is read, as terraform reads it."""
    module = 'module "m" {\n  source = "../../"\n}\n'
    write(tmp_path / "mod", {"examples/complete/main.tf": PROVIDER + module, "main.tf": MODULE_VPC})
    code, out, err = scan(tmp_path / "mod" / "examples" / "complete")
    assert code == 0, err
    assert "1 VPC" in out


def test_tf_symlink_loop_is_located(tmp_path: Path) -> None:
    # terraform: 'Failed to read file: The file "loop.tf" could not be read.'
    write(tmp_path, {"main.tf": PROVIDER + VPC % ""})
    os.symlink("loop.tf", tmp_path / "loop.tf")
    code, _, err = scan(tmp_path)
    assert code == 2
    assert "loop.tf: <root>: cannot read the file: Too many levels of symbolic links" in err


def test_tf_link_to_a_device_is_refused_not_read_forever(tmp_path: Path) -> None:
    write(tmp_path, {"main.tf": PROVIDER + VPC % ""})
    os.symlink("/dev/zero", tmp_path / "zero.tf")
    code, _, err = scan(tmp_path)
    assert code == 2
    assert "zero.tf: <root>: not a regular file" in err


def test_directory_named_tf_is_skipped_as_terraform_does(tmp_path: Path) -> None:
    write(tmp_path, {"main.tf": PROVIDER + VPC % ""})
    (tmp_path / "x.tf").mkdir()
    code, out, err = scan(tmp_path)
    assert code == 0, err
    assert "1 VPC" in out


@pytest.mark.parametrize(
    ("where", "data", "code", "says"),
    [
        # terraform: "Invalid character encoding ... All input files must be UTF-8 encoded."
        ("string", b'  tags = { Name = "caf\xe9" }\n', 2, "bad.tf:3: <root>: invalid character"),
        ("name", b"  \xff\xfe = 1\n", 2, "bad.tf:3: <root>: invalid character encoding"),
        # terraform: valid (a comment may hold any bytes)
        ("comment", b"  # caf\xe9 \xff\n", 0, ""),
    ],
)
def test_tf_bytes_not_utf8(tmp_path: Path, where: str, data: bytes, code: int, says: str) -> None:
    bad = b'resource "aws_vpc" "b" {\n  cidr_block = "10.1.0.0/16"\n' + data + b"}\n"
    write(tmp_path, {"main.tf": PROVIDER + VPC % "", "bad.tf": bad})
    got, out, err = scan(tmp_path)
    assert got == code, err
    assert says in err
    if code == 0:
        assert "2 VPCs" in out


def plan_dir(tmp_path: Path, plan: bytes) -> Path:
    write(tmp_path, {"main.tf": PROVIDER + VPC % "", "plan.json": plan})
    return tmp_path / "plan.json"


def test_plan_json_not_utf8_is_located(tmp_path: Path) -> None:
    plan = b'{"planned_values": {"root_module": {}},\n "x": "\xff\xfe"}'
    code, _, err = scan(plan_dir(tmp_path, plan))
    assert code == 2
    assert "plan.json:2:8: <root>: not UTF-8" in err


def test_plan_json_nested_100000_deep_is_located(tmp_path: Path) -> None:
    deep = "[" * 100_000 + "]" * 100_000
    plan = f'{{"planned_values": {{"root_module": {{"x": {deep}}}}}}}'.encode()
    code, _, err = scan(plan_dir(tmp_path, plan))
    assert code == 2
    column = len('{"planned_values": {"root_module": {"x": ') + 198
    assert f"plan.json:1:{column}: <root>: nested more than 200 levels deep" in err


def test_plan_json_of_another_shape_is_read_as_empty(tmp_path: Path) -> None:
    """A plan whose parts have the wrong types: nothing planned, the configuration scanned."""
    plan = {
        "planned_values": {"root_module": {"resources": [1, {"address": 2}, {"values": []}]}},
        "prior_state": [],
        "variables": {"x": 1},
    }
    code, out, err = scan(plan_dir(tmp_path, json.dumps(plan).encode()))
    assert code == 0, err
    assert "1 VPC" in out


@pytest.mark.parametrize(
    ("name", "data", "says"),
    [
        ("terraform.tfvars", b'region = "caf\xe9"\n', "terraform.tfvars:1: <root>: not UTF-8"),
        ("x.auto.tfvars.json", b'["a"]', "x.auto.tfvars.json:1: <root>: a variables file must"),
        ("x.auto.tfvars.json", b'{"a": ', "x.auto.tfvars.json:1: <root>: not JSON"),
        ("x.auto.tfvars", b'a = "x" + 1\n', "x.auto.tfvars:1: a: cannot evaluate"),
    ],
    ids=["tfvars-not-utf8", "json-not-an-object", "json-cut", "value-of-wrong-type"],
)
def test_variables_file_bad_input_is_located(
    tmp_path: Path, name: str, data: bytes, says: str
) -> None:
    write(tmp_path, {"main.tf": PROVIDER + VPC % "", name: data})
    code, _, err = scan(tmp_path)
    assert code == 2, err
    assert says in err


@pytest.mark.parametrize(
    ("resource", "says"),
    [
        (
            'resource "aws_security_group" "s" {\n  vpc_id = aws_vpc.a.id\n  ingress {\n'
            '    from_port   = 443\n    to_port     = 443\n    protocol    = "tcp"\n'
            '    cidr_blocks = ["{10.0.0.0/8"]\n  }\n}\n',
            "aws_security_group.s: cidr_blocks: '{10.0.0.0/8' is not a CIDR block",
        ),
        (
            'resource "aws_route" "r" {\n  route_table_id = aws_vpc.a.main_route_table_id\n'
            '  destination_cidr_block = "2"\n  gateway_id = "igw-1"\n}\n',
            "aws_route.r: route destination '2' is not a CIDR block",
        ),
        (
            'resource "aws_vpc_endpoint_service" "e" {\n  acceptance_required = false\n'
            "  network_load_balancer_arns = []\n  allowed_principals = var.nothing\n"
            "  supported_regions = var.nothing\n}\n",
            "aws_vpc_endpoint_service.e",
        ),
        (
            'resource "aws_security_group" "s" {\n  vpc_id = aws_vpc.a.id\n  ingress {\n'
            '    from_port   = -65830\n    to_port     = 443\n    protocol    = "tcp"\n'
            '    cidr_blocks = ["10.0.0.0/8"]\n  }\n}\n',
            "aws_security_group.s: ports -65830-443 are not valid ports: rule left out",
        ),
    ],
    ids=["sg-cidr", "route-destination", "endpoint-service-lists", "sg-ports"],
)
def test_values_aws_refuses_are_left_out_with_a_note(
    tmp_path: Path, resource: str, says: str
) -> None:
    """Found by the fuzz (each crashed the build): a value of the wrong shape where a CIDR
    or a list belongs is left out, said where, and the rest is scanned."""
    write(tmp_path, {"main.tf": PROVIDER + VPC % "" + resource})
    code, out, err = scan(tmp_path)
    assert code == 0, err
    assert says in out


def test_modules_nested_past_the_bound_are_located(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A chain of modules deeper than MAX_MODULE_DEPTH (500; 3 here, so the test stays
    small) stops at the call that passes it."""
    import vpcwire.scan.config

    monkeypatch.setattr(vpcwire.scan.config, "MAX_MODULE_DEPTH", 3)
    files = {"main.tf": PROVIDER + 'module "m" {\n  source = "./m"\n}\n'}
    for depth in range(1, 6):
        files["m/" * depth + "main.tf"] = 'module "m" {\n  source = "./m"\n}\n' + MODULE_VPC
    write(tmp_path, files)
    code, _, err = scan(tmp_path)
    assert code == 2
    assert "m/m/m/main.tf:2: module.m.module.m.module.m.module.m.source: modules nested" in err


def test_evaluation_steps_of_the_whole_scan_are_bounded(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """One expression within its own bound, evaluated once per instance of a module with
    for_each, must not multiply without end: the scan's steps are bounded in all
    (MAX_SCAN_STEPS, 10,000,000; 2,000 here, so the test stays small)."""
    import vpcwire.scan.config

    monkeypatch.setattr(vpcwire.scan.config, "MAX_SCAN_STEPS", 2_000)
    module = 'module "m" {\n  source   = "./m"\n  for_each = toset(["a", "b", "c", "d"])\n}\n'
    inner = (
        'resource "aws_vpc" "m" {\n'
        "  count      = length([for a in range(300) : a]) > 0 ? 1 : 0\n"
        '  cidr_block = "10.9.0.0/16"\n}\n'
    )
    write(tmp_path, {"main.tf": PROVIDER + module, "m/main.tf": inner})
    code, _, err = scan(tmp_path)
    assert code == 2, err
    assert "m/main.tf:2: module.m[" in err
    assert "evaluation steps it spends in all" in err
