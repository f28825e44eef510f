"""The property behind "an error finding is a proof" (issue 17): making any known value of a
configuration unknown never adds an error and never turns a passing intent into a failing
one. It may only take away (an error becomes a VW-W701, a verdict becomes undecided).

Hypothesis picks a configuration (the scan fixtures, and small generated ones whose random
choices make real defects: overlapping blocks, a missing route, an unaccepted peering,
a closed port), then one literal argument in it, and replaces that literal by
``var.unset_x``, a variable with no value. Both versions are scanned and compared.
"""

from __future__ import annotations

import os
import re
import shutil
import tempfile
from dataclasses import dataclass
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.scan.test_fixtures import FIXTURES
from vpcwire.rules import Severity
from vpcwire.scan.report import ScanReport
from vpcwire.scan.run import run_scan

ROOTS = ["peering", "module-count", "multi-account", "privatelink-buggy", "privatelink-fixed"]
# `name = literal` on one line: a string without interpolation, a number, or a bool.
LITERAL = re.compile(r'^(\s+)([a-z_][a-z0-9_]*)(\s*=\s*)("[^"$%]*"|-?\d+|true|false)\s*$')
# Arguments whose value must be known for terraform itself to read the configuration.
STATIC = {"source", "version", "alias", "type", "default", "description", "sensitive"}
UNSET = 'variable "unset_x" {}\n'


@dataclass(frozen=True)
class Spot:
    file: str  # relative to the copy's top
    line: int  # 0-based


def _top_blocks(lines: list[str]) -> list[str]:
    """The kind of top-level block each line is in (`resource`, `provider`, `variable`…)."""
    kinds, current = [], ""
    for line in lines:
        m = re.match(r"^([a-z]+)\b", line)
        if m:
            current = m.group(1)
        kinds.append(current)
    return kinds


def literal_spots(top: Path) -> list[Spot]:
    out = []
    for path in sorted(top.rglob("*.tf")):
        lines = path.read_text().splitlines()
        for i, (line, kind) in enumerate(zip(lines, _top_blocks(lines), strict=True)):
            m = LITERAL.match(line)
            if (
                m
                and kind in ("resource", "provider", "locals", "module", "data")
                and m.group(2) not in STATIC
            ):
                out.append(Spot(str(path.relative_to(top)), i))
    return out


def made_unknown(top: Path, spot: Spot) -> Path:
    """A copy of ``top`` with the literal at ``spot`` replaced by var.unset_x (declared in
    that file's module)."""
    copy = Path(tempfile.mkdtemp(prefix="vpcwire-unknown-")) / "c"
    shutil.copytree(top, copy)
    path = copy / spot.file
    lines = path.read_text().splitlines()
    m = LITERAL.match(lines[spot.line])
    assert m is not None
    lines[spot.line] = f"{m.group(1)}{m.group(2)}{m.group(3)}var.unset_x"
    path.write_text("\n".join(lines) + "\n")
    (path.parent / "vpcwire_unset.tf").write_text(UNSET)
    return copy


def errors(report: ScanReport) -> set[tuple[str, str, str]]:
    return {
        (f.rule, f.path, f"{f.location.file}:{f.location.line}")
        for f in report.findings
        if f.severity is Severity.ERROR
    }


def failed(report: ScanReport) -> set[str]:
    return {v.intent.key for v in report.verdicts if not v.ok and not v.undecided}


def passed(report: ScanReport) -> set[str]:
    return {v.intent.key for v in report.verdicts if v.ok}


def check(top: Path, root: Path, spot: Spot) -> None:
    before = run_scan(root)
    copy = made_unknown(top, spot)
    after = run_scan(copy / root.relative_to(top))
    where = f"{spot.file}:{spot.line + 1}"
    rebased = {(r, p, loc.replace(str(copy), str(top))) for r, p, loc in errors(after)}
    added = rebased - errors(before)
    assert not added, f"making {where} unknown added errors: {added}"
    turned = (failed(after) - failed(before)) | (passed(before) & failed(after))
    assert not turned, f"making {where} unknown made intents fail: {turned}"


def generated(choices: tuple[str, str, bool, bool, bool, int, str]) -> str:
    cidr_a, cidr_b, auto, route_a, route_b, port, az = choices
    out = f"""
provider "aws" {{
  region = "us-east-1"
}}
resource "aws_vpc" "a" {{
  cidr_block = "{cidr_a}"
}}
resource "aws_vpc" "b" {{
  cidr_block = "{cidr_b}"
}}
resource "aws_subnet" "a" {{
  vpc_id            = aws_vpc.a.id
  cidr_block        = cidrsubnet(aws_vpc.a.cidr_block, 8, 1)
  availability_zone = "{az}"
}}
resource "aws_subnet" "b" {{
  vpc_id            = aws_vpc.b.id
  cidr_block        = cidrsubnet(aws_vpc.b.cidr_block, 8, 1)
  availability_zone = "us-east-1b"
}}
resource "aws_vpc_peering_connection" "ab" {{
  vpc_id      = aws_vpc.a.id
  peer_vpc_id = aws_vpc.b.id
  auto_accept = {str(auto).lower()}
}}
resource "aws_security_group" "b" {{
  vpc_id = aws_vpc.b.id
  ingress {{
    protocol    = "tcp"
    from_port   = {port}
    to_port     = {port}
    cidr_blocks = ["10.0.0.0/8"]
  }}
}}
resource "aws_security_group" "a" {{
  vpc_id = aws_vpc.a.id
  egress {{
    protocol    = "-1"
    from_port   = 0
    to_port     = 0
    cidr_blocks = ["0.0.0.0/0"]
  }}
}}
resource "aws_instance" "a" {{
  ami                    = "ami-1"
  instance_type          = "t3.micro"
  subnet_id              = aws_subnet.a.id
  vpc_security_group_ids = [aws_security_group.a.id]
}}
resource "aws_instance" "b" {{
  ami                    = "ami-1"
  instance_type          = "t3.micro"
  subnet_id              = aws_subnet.b.id
  vpc_security_group_ids = [aws_security_group.b.id]
}}
"""
    for side, _other, wanted in (("a", "b", route_a), ("b", "a", route_b)):
        if wanted:
            out += f"""
resource "aws_route" "{side}" {{
  route_table_id            = aws_vpc.{side}.main_route_table_id
  destination_cidr_block    = "{cidr_b if side == "a" else cidr_a}"
  vpc_peering_connection_id = aws_vpc_peering_connection.ab.id
}}
"""
    return out


CIDRS = st.sampled_from(["10.1.0.0/16", "10.2.0.0/16", "10.1.0.0/20", "172.0.0.0/16"])
CHOICES = st.tuples(
    CIDRS,
    CIDRS,
    st.booleans(),
    st.booleans(),
    st.booleans(),
    st.sampled_from([22, 443]),
    st.sampled_from(["us-east-1a", "eu-west-1a"]),
)

PROPERTY = settings(
    max_examples=int(os.environ.get("VPCWIRE_PROPERTY_EXAMPLES", "25")),
    deadline=None,
    database=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
)


@PROPERTY
@given(st.sampled_from(ROOTS), st.data())
def test_unknown_in_a_fixture_adds_no_error_and_no_failure(name: str, data: st.DataObject) -> None:
    top = FIXTURES
    root = FIXTURES / name
    spots = [
        s
        for s in literal_spots(top)
        if s.file.startswith((f"{name}/", "modules/"))
        and (not s.file.startswith("modules/") or name.startswith("privatelink"))
    ]
    spot = data.draw(st.sampled_from(spots), label="literal")
    check(top, root, spot)


@PROPERTY
@given(CHOICES, st.data())
def test_unknown_in_a_generated_configuration_adds_no_error_and_no_failure(
    choices: tuple[str, str, bool, bool, bool, int, str], data: st.DataObject
) -> None:
    top = Path(tempfile.mkdtemp(prefix="vpcwire-generated-"))
    (top / "main.tf").write_text(generated(choices))
    spot = data.draw(st.sampled_from(literal_spots(top)), label="literal")
    check(top, top, spot)


def test_the_generator_makes_defects_the_property_can_lose() -> None:
    """The property is not vacuous: the generated configurations do have errors and
    failing intents to lose (overlap, no route back, an AZ of another region)."""
    top = Path(tempfile.mkdtemp(prefix="vpcwire-generated-"))
    (top / "main.tf").write_text(
        generated(("10.1.0.0/16", "10.1.0.0/20", True, True, False, 22, "eu-west-1a"))
    )
    report = run_scan(top)
    assert {r for r, _, _ in errors(report)} >= {"VW-E201", "VW-E103"}
    assert literal_spots(top)
