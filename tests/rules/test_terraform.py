"""Rules that Terraform written by hand needs (and a spec could never express): one case
list per rule, each case a small configuration scanned from a temporary directory."""

from __future__ import annotations

import tempfile
from collections.abc import Callable
from pathlib import Path

import pytest

from tests.rules.helpers import Case
from vpcwire.rules import Finding
from vpcwire.scan.run import run_scan

PROVIDERS = """
provider "aws" {
  region = "us-east-1"
}
provider "aws" {
  alias  = "west"
  region = "us-west-2"
}
"""


def vpc(name: str, cidr: str, provider: str = "aws", az: str = "us-east-1a") -> str:
    return f"""
resource "aws_vpc" "{name}" {{
  provider   = {provider}
  cidr_block = "{cidr}"
  tags = {{ Name = "{name}" }}
}}
resource "aws_subnet" "{name}" {{
  provider          = {provider}
  vpc_id            = aws_vpc.{name}.id
  cidr_block        = cidrsubnet(aws_vpc.{name}.cidr_block, 8, 1)
  availability_zone = "{az}"
}}
"""


def scanned(*parts: str) -> Callable[[], list[Finding]]:
    def run() -> list[Finding]:
        root = Path(tempfile.mkdtemp(prefix="vpcwire-rules-"))
        (root / "main.tf").write_text(PROVIDERS + "".join(parts))
        return list(run_scan(root).findings)

    return run


def peering(peer_region: str | None = None, *, routes: tuple[bool, bool] = (True, True)) -> str:
    region = f'\n  peer_region = "{peer_region}"' if peer_region else ""
    out = f"""
resource "aws_vpc_peering_connection" "ab" {{
  vpc_id      = aws_vpc.a.id
  peer_vpc_id = aws_vpc.b.id{region}
}}
resource "aws_vpc_peering_connection_accepter" "ab" {{
  provider                  = aws.west
  vpc_peering_connection_id = aws_vpc_peering_connection.ab.id
  auto_accept               = true
}}
"""
    if routes[0]:
        out += """
resource "aws_route" "a" {
  route_table_id            = aws_vpc.a.main_route_table_id
  destination_cidr_block    = aws_vpc.b.cidr_block
  vpc_peering_connection_id = aws_vpc_peering_connection.ab.id
}
"""
    if routes[1]:
        out += """
resource "aws_route" "b" {
  provider                  = aws.west
  route_table_id            = aws_vpc.b.main_route_table_id
  destination_cidr_block    = aws_vpc.a.cidr_block
  vpc_peering_connection_id = aws_vpc_peering_connection_accepter.ab.id
}
"""
    return out


TWO = vpc("a", "10.1.0.0/16") + vpc("b", "10.2.0.0/16", "aws.west", "us-west-2a")

OWN_BLOCK_ROUTE = """
resource "aws_route" "mine" {
  route_table_id            = aws_vpc.a.main_route_table_id
  destination_cidr_block    = "DEST"
  vpc_peering_connection_id = aws_vpc_peering_connection.ab.id
}
"""

E108 = [
    Case(
        "a peering route to a block inside the VPC's own",
        scanned(TWO, peering("us-west-2"), OWN_BLOCK_ROUTE.replace("DEST", "10.1.8.0/24")),
        1,
        "is inside VPC aws_vpc.a's own block 10.1.0.0/16: AWS refuses the route",
        "aws_route.mine",
    ),
    Case(
        "a peering route to the VPC's own CIDR (a peer with the same CIDR)",
        scanned(TWO, peering("us-west-2"), OWN_BLOCK_ROUTE.replace("DEST", "10.1.0.0/16")),
        1,
        "sends 10.1.0.0/16 to peering",
    ),
    Case(
        "a peering route to the peer's CIDR only",
        scanned(TWO, peering("us-west-2"), OWN_BLOCK_ROUTE.replace("DEST", "10.2.0.0/16")),
        0,
    ),
]

E205 = [
    Case(
        "route on the requester side only",
        scanned(TWO, peering("us-west-2", routes=(True, False))),
        1,
        "has no route back",
        "aws_vpc_peering_connection.ab",
    ),
    Case("routes on both sides", scanned(TWO, peering("us-west-2")), 0),
]
E206 = [
    Case(
        "inter-region peering without peer_region",
        scanned(TWO, peering()),
        1,
        "in region us-east-1 (the VPC is in us-west-2)",
        "aws_vpc_peering_connection.ab",
    ),
    Case(
        "accepter under the requester's provider",
        scanned(
            TWO,
            peering("us-west-2").replace(
                "provider                  = aws.west\n  vpc_peering_connection_id",
                "vpc_peering_connection_id",
            ),
        ),
        1,
        "runs under provider aws in region us-east-1",
        "aws_vpc_peering_connection_accepter.ab",
    ),
    Case("peer_region says where the accepter is", scanned(TWO, peering("us-west-2")), 0),
]


def nlb(
    subnet: str,
    tg_vpc: str,
    *,
    listener: bool = True,
    targets: bool = True,
    sg_cidr: str = "10.9.0.0/16",
) -> str:
    out = f"""
resource "aws_security_group" "t" {{
  vpc_id = aws_vpc.t.id
  ingress {{
    protocol    = "tcp"
    from_port   = 80
    to_port     = 80
    cidr_blocks = ["{sg_cidr}"]
  }}
}}
resource "aws_instance" "t" {{
  ami                    = "ami-1"
  instance_type          = "t3.micro"
  subnet_id              = aws_subnet.t.id
  private_ip             = "10.9.1.10"
  vpc_security_group_ids = [aws_security_group.t.id]
}}
resource "aws_lb" "n" {{
  load_balancer_type = "network"
  internal           = true
  subnets            = [aws_subnet.{subnet}.id]
}}
resource "aws_lb_target_group" "g" {{
  port        = 80
  protocol    = "TCP"
  target_type = "ip"
  vpc_id      = aws_vpc.{tg_vpc}.id
}}
resource "aws_vpc_endpoint_service" "s" {{
  acceptance_required        = false
  network_load_balancer_arns = [aws_lb.n.arn]
}}
"""
    if targets:
        out += """
resource "aws_lb_target_group_attachment" "t" {
  target_group_arn = aws_lb_target_group.g.arn
  target_id        = aws_instance.t.private_ip
}
"""
    if listener:
        out += """
resource "aws_lb_listener" "l" {
  load_balancer_arn = aws_lb.n.arn
  port              = 80
  protocol          = "TCP"
  default_action {
    type             = "forward"
    target_group_arn = aws_lb_target_group.g.arn
  }
}
"""
    return out


HOME = vpc("t", "10.9.0.0/16") + vpc("o", "10.8.0.0/16")

E307 = [
    Case(
        "NLB on another VPC's subnets",
        scanned(HOME, nlb("o", "t", sg_cidr="0.0.0.0/0")),
        1,
        "forwards to target group aws_lb_target_group.g",
        "aws_lb.n",
    ),
    Case("NLB in its target group's VPC", scanned(HOME, nlb("t", "t")), 0),
]
E308 = [
    Case(
        "no listener",
        scanned(HOME, nlb("t", "t", listener=False)),
        1,
        "has no listener",
        "aws_lb.n",
    ),
    Case(
        "no registered targets",
        scanned(HOME, nlb("t", "t", targets=False)),
        1,
        "no registered targets",
        "aws_lb_target_group.g",
    ),
    Case("listener and targets", scanned(HOME, nlb("t", "t")), 0),
]
E404 = [
    Case(
        "target group admits another range",
        scanned(HOME, nlb("t", "t", sg_cidr="10.7.0.0/16")),
        1,
        "do not admit NLB aws_lb.n's subnets 10.9.1.0/24",
        "aws_lb_target_group.g",
    ),
    Case("target group admits the NLB's VPC", scanned(HOME, nlb("t", "t")), 0),
]


def ip_target(address: str, az: str | None) -> str:
    zone = f'\n  availability_zone = "{az}"' if az else ""
    return f"""
resource "aws_lb_target_group" "ip" {{
  port        = 80
  protocol    = "TCP"
  target_type = "ip"
  vpc_id      = aws_vpc.t.id
}}
resource "aws_lb_target_group_attachment" "ip" {{
  target_group_arn = aws_lb_target_group.ip.arn
  target_id        = "{address}"{zone}
}}
"""


E107_TF = [
    Case(
        "a peered address without AZ all",
        scanned(HOME, ip_target("10.8.1.20", None)),
        1,
        "without availability_zone",
        "aws_lb_target_group.ip",
    ),
    Case(
        "an address AWS reserves",
        scanned(HOME, ip_target("10.9.1.3", None)),
        1,
        "reserved by AWS",
        "aws_lb_target_group.ip",
    ),
    Case("a peered address with AZ all", scanned(HOME, ip_target("10.8.1.20", "all")), 0),
    Case("an address of the VPC", scanned(HOME, ip_target("10.9.1.20", None)), 0),
]
W401_TF = [
    Case(
        "principal * and no acceptance",
        scanned(
            HOME,
            nlb("t", "t").replace(
                "acceptance_required        = false",
                'acceptance_required = false\n  allowed_principals = ["*"]',
            ),
        ),
        1,
        "allows principal '*'",
        "aws_vpc_endpoint_service.s",
    ),
    Case("no principal listed", scanned(HOME, nlb("t", "t")), 0),
]
E202_TF = [
    Case(
        "one pair peered twice",
        scanned(
            TWO,
            peering("us-west-2"),
            peering("us-west-2")
            .split('resource "aws_route"')[0]
            .replace('"ab"', '"again"')
            .replace(".ab.", ".again."),
        ),
        1,
        "already peered by aws_vpc_peering_connection.ab",
        "aws_vpc_peering_connection.again",
    ),
    Case("one peering", scanned(TWO, peering("us-west-2")), 0),
]
W701 = [
    Case(
        "a variable with no value",
        scanned('variable "cidr" {}\n', 'resource "aws_vpc" "v" {\n  cidr_block = var.cidr\n}\n'),
        2,
        "variable has no value",
        "var.cidr",
    ),
    Case(
        "a count from a data source",
        scanned(
            vpc("a", "10.1.0.0/16"),
            'data "aws_vpcs" "all" {}\n',
            'resource "aws_subnet" "x" {\n  count = length(data.aws_vpcs.all.ids)\n'
            '  vpc_id = aws_vpc.a.id\n  cidr_block = "10.1.9.0/24"\n}\n',
        ),
        2,
        "only known once terraform reads the data source",
        "data.aws_vpcs.all",
    ),
    Case(
        "a VPN gateway",
        scanned('resource "aws_vpn_gateway" "t" {}\n'),
        1,
        "not modelled by scan yet",
        "aws_vpn_gateway.t",
    ),
    Case("everything resolved", scanned(vpc("a", "10.1.0.0/16")), 0),
]


@pytest.mark.parametrize("case", E108, ids=lambda c: c.name)
def test_e108(case: Case) -> None:
    case.check("VW-E108")


@pytest.mark.parametrize("case", E205, ids=lambda c: c.name)
def test_e205(case: Case) -> None:
    case.check("VW-E205")


@pytest.mark.parametrize("case", E206, ids=lambda c: c.name)
def test_e206(case: Case) -> None:
    case.check("VW-E206")


@pytest.mark.parametrize("case", E307, ids=lambda c: c.name)
def test_e307(case: Case) -> None:
    case.check("VW-E307")


@pytest.mark.parametrize("case", E308, ids=lambda c: c.name)
def test_e308(case: Case) -> None:
    case.check("VW-E308")


@pytest.mark.parametrize("case", E404, ids=lambda c: c.name)
def test_e404(case: Case) -> None:
    case.check("VW-E404")


@pytest.mark.parametrize("case", E107_TF, ids=lambda c: c.name)
def test_e107_on_terraform(case: Case) -> None:
    case.check("VW-E107")


@pytest.mark.parametrize("case", W401_TF, ids=lambda c: c.name)
def test_w401_on_terraform(case: Case) -> None:
    case.check("VW-W401")


@pytest.mark.parametrize("case", E202_TF, ids=lambda c: c.name)
def test_e202_on_terraform(case: Case) -> None:
    case.check("VW-E202")


@pytest.mark.parametrize("case", W701, ids=lambda c: c.name)
def test_w701(case: Case) -> None:
    case.check("VW-W701")
