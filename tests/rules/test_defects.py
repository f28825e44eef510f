"""Defects real Terraform has (issue 17), one case list per rule: each rule judges a
Network, so cases are scanned configurations (tests.rules.test_terraform.scanned) and a
planned network with the defect put in (tests.rules.helpers.recheck). Every rule stays
silent where what it judges rests on an unknown value. Expected counts were written down
from reading each configuration, before the scan's output was looked at."""

from __future__ import annotations

from functools import cache
from ipaddress import IPv4Network

import pytest

from tests.rules.helpers import Case, doc, planned, recheck, vpc
from tests.rules.test_terraform import TWO, peering, scanned
from tests.rules.test_terraform import vpc as tf_vpc
from vpcwire.network import NetworkBuilder, Route
from vpcwire.plan.plan import Plan
from vpcwire.rules import Finding

ACCOUNTS = """
provider "aws" {
  alias               = "acct_a"
  region              = "us-east-1"
  allowed_account_ids = ["111111111111"]
}
provider "aws" {
  alias  = "acct_b"
  region = "us-east-1"
  assume_role {
    role_arn = "arn:aws:iam::222222222222:role/network"
  }
}
"""
UNSET = """
variable "unset_x" {}
"""


def request(*, auto: str | None = None, peer_region: str | None = None, peer: str = "b") -> str:
    lines = ["  vpc_id      = aws_vpc.a.id", f"  peer_vpc_id = {peer}"]
    if auto is not None:
        lines.append(f"  auto_accept = {auto}")
    if peer_region:
        lines.append(f'  peer_region = "{peer_region}"')
    body = "\n".join(lines)
    return f'\nresource "aws_vpc_peering_connection" "ab" {{\n{body}\n}}\n'


SAME = tf_vpc("a", "10.1.0.0/16") + tf_vpc("b", "10.2.0.0/16")
ROUTES = """
resource "aws_route" "a" {
  route_table_id            = aws_vpc.a.main_route_table_id
  destination_cidr_block    = aws_vpc.b.cidr_block
  vpc_peering_connection_id = aws_vpc_peering_connection.ab.id
}
resource "aws_route" "b" {
  route_table_id            = aws_vpc.b.main_route_table_id
  destination_cidr_block    = aws_vpc.a.cidr_block
  vpc_peering_connection_id = aws_vpc_peering_connection.ab.id
}
"""


@cache
def peered_plan() -> Plan:
    return planned(
        doc(
            {"a": vpc(cidr="10.1.0.0/16"), "b": vpc(cidr="10.2.0.0/16")},
            connections=[{"peers": ["a", "b"]}],
        )
    )


def on_plan(rule_id: str, change: object) -> object:
    def run() -> list[Finding]:
        return recheck(rule_id, peered_plan(), change)  # type: ignore[arg-type]

    return run


def _pending(b: NetworkBuilder) -> None:
    for pcx in b.all("peering"):
        b.update(pcx, status="pending-acceptance")


def _unrouted(b: NetworkBuilder) -> None:
    for rt in b.all("route_table"):
        b.update(rt, routes=tuple(r for r in rt.routes if r.kind != "peering"))


E207 = [
    Case(
        "same account and region, no auto_accept, no accepter",
        scanned(SAME, request(peer="aws_vpc.b.id"), ROUTES),
        1,
        "no auto_accept and no aws_vpc_peering_connection_accepter",
        "aws_vpc_peering_connection.ab",
    ),
    Case(
        "auto_accept in one account and region",
        scanned(SAME, request(auto="true", peer="aws_vpc.b.id"), ROUTES),
        0,
    ),
    Case(
        "cross-region with auto_accept only",
        scanned(TWO, request(auto="true", peer_region="us-west-2", peer="aws_vpc.b.id")),
        1,
        "auto_accept cannot accept it",
    ),
    Case(
        "cross-region with an accepter on the accepter's provider",
        scanned(TWO, peering("us-west-2")),
        0,
    ),
    Case(
        "cross-account (both accounts known) with auto_accept only",
        scanned(
            ACCOUNTS,
            tf_vpc("a", "10.1.0.0/16", "aws.acct_a"),
            tf_vpc("b", "10.2.0.0/16", "aws.acct_b"),
            request(auto="true", peer="aws_vpc.b.id").replace(
                "  vpc_id",
                '  provider      = aws.acct_a\n  peer_owner_id = "222222222222"\n  vpc_id',
            ),
        ),
        1,
        "accounts (111111111111 to 222222222222)",
    ),
    Case(
        "auto_accept from a variable with no value (unknown)",
        scanned(UNSET, SAME, request(auto="var.unset_x", peer="aws_vpc.b.id"), ROUTES),
        0,
    ),
    Case(
        "accepter VPC outside the configuration (it may accept there)",
        scanned(SAME, request(peer='"vpc-0123456789abcdef0"')),
        0,
    ),
    Case("a planned peering left pending", on_plan("VW-E207", _pending), 1, "never accepted"),
    Case("a planned peering, active", on_plan("VW-E207", lambda b: None), 0),
]

E208 = [
    Case(
        "accepted peering, no route on either side",
        scanned(SAME, request(auto="true", peer="aws_vpc.b.id")),
        1,
        "connects nothing",
        "aws_vpc_peering_connection.ab",
    ),
    Case(
        "routes on both sides", scanned(SAME, request(auto="true", peer="aws_vpc.b.id"), ROUTES), 0
    ),
    Case(
        "route on one side only (VW-E205's)",
        scanned(TWO, peering("us-west-2", routes=(True, False))),
        0,
    ),
    Case(
        "a route whose target is unknown",
        scanned(
            UNSET,
            SAME,
            request(auto="true", peer="aws_vpc.b.id"),
            """
resource "aws_route" "a" {
  route_table_id            = aws_vpc.a.main_route_table_id
  destination_cidr_block    = aws_vpc.b.cidr_block
  vpc_peering_connection_id = var.unset_x
}
""",
        ),
        0,
    ),
    Case(
        "routes made by a block whose count is unknown (grem11n/vpc-peering's setproduct)",
        scanned(
            UNSET,
            SAME,
            request(auto="true", peer="aws_vpc.b.id"),
            """
resource "aws_route" "a" {
  count                     = length(var.unset_x)
  route_table_id            = aws_vpc.a.main_route_table_id
  destination_cidr_block    = aws_vpc.b.cidr_block
  vpc_peering_connection_id = aws_vpc_peering_connection.ab.id
}
""",
        ),
        0,
    ),
    Case(
        "a planned peering whose routes were removed",
        on_plan("VW-E208", _unrouted),
        1,
        "connects nothing",
    ),
    Case("a planned peering, routed", on_plan("VW-E208", lambda b: None), 0),
]

NAT_VPC = (
    tf_vpc("a", "10.1.0.0/16")
    + """
resource "aws_subnet" "public" {
  vpc_id            = aws_vpc.a.id
  cidr_block        = "10.1.200.0/24"
  availability_zone = "us-east-1a"
}
resource "aws_internet_gateway" "igw" {
  vpc_id = aws_vpc.a.id
}
resource "aws_eip" "nat" {
  domain = "vpc"
}
resource "aws_nat_gateway" "nat" {
  allocation_id = aws_eip.nat.id
  subnet_id     = aws_subnet.NAT_SUBNET.id
}
resource "aws_route_table" "private" {
  vpc_id = aws_vpc.a.id
  route {
    cidr_block     = "0.0.0.0/0"
    nat_gateway_id = aws_nat_gateway.nat.id
  }
}
resource "aws_route_table_association" "private" {
  subnet_id      = aws_subnet.a.id
  route_table_id = ASSOCIATED
}
resource "aws_route_table" "public" {
  vpc_id = aws_vpc.a.id
  route {
    cidr_block = "0.0.0.0/0"
    gateway_id = aws_internet_gateway.igw.id
  }
}
resource "aws_route_table_association" "public" {
  subnet_id      = aws_subnet.public.id
  route_table_id = aws_route_table.public.id
}
"""
)


MAIN_TO_NAT = """
resource "aws_route" "main_default" {
  route_table_id         = aws_vpc.a.main_route_table_id
  destination_cidr_block = "0.0.0.0/0"
  nat_gateway_id         = aws_nat_gateway.nat.id
}
"""


def nat(subnet: str, associated: str = "aws_route_table.private.id") -> str:
    return NAT_VPC.replace("NAT_SUBNET", subnet).replace("ASSOCIATED", associated)


E109 = [
    Case(
        "NAT gateway in the private subnet its own default route points at",
        scanned(nat("a")),
        1,
        "loops into itself",
        "aws_nat_gateway.nat",
    ),
    Case("NAT gateway in the public subnet", scanned(nat("public")), 0),
    Case(
        "the main table loops, and the private subnet's own table is unknown",
        scanned(UNSET, nat("a", "var.unset_x"), MAIN_TO_NAT),
        0,
    ),
    Case(
        "the main table loops, and the private subnet is associated with it",
        scanned(nat("a", "aws_vpc.a.main_route_table_id"), MAIN_TO_NAT),
        1,
        "the main route table of aws_vpc.a",
    ),
]

E109_PLANNED = [
    Case(
        "a planned NAT gateway whose subnet's table routes 0.0.0.0/0 to it",
        lambda: recheck("VW-E109", nat_plan(), _loop),
        1,
        "loops into itself",
    ),
    Case(
        "a planned NAT gateway as planned",
        lambda: recheck("VW-E109", nat_plan(), lambda b: None),
        0,
    ),
]
E109 += E109_PLANNED


@cache
def nat_plan() -> Plan:
    return planned(doc({"a": vpc(cidr="10.1.0.0/16", nat=True)}))


def _loop(b: NetworkBuilder) -> None:
    ngw = b.all("nat_gateway")[0]
    table = next(rt for rt in b.all("route_table") if ngw.subnet in rt.subnets)
    kept = tuple(r for r in table.routes if r.destination != IPv4Network("0.0.0.0/0"))
    b.update(table, routes=(*kept, Route(IPv4Network("0.0.0.0/0"), ngw.id, "nat_gateway")))


W110 = [
    Case(
        "172.0.0.0/16 (a typo for 172.16.0.0/16)",
        scanned(tf_vpc("a", "172.0.0.0/16")),
        1,
        "the private 172 block is 172.16.0.0/12",
        "aws_vpc.a",
    ),
    Case("10.0.0.0/16", scanned(tf_vpc("a", "10.0.0.0/16")), 0),
    Case("100.64.0.0/16 (shared address space)", scanned(tf_vpc("a", "100.64.0.0/16")), 0),
    Case(
        "a public secondary block",
        scanned(
            tf_vpc("a", "10.0.0.0/16"),
            """
resource "aws_vpc_ipv4_cidr_block_association" "more" {
  vpc_id     = aws_vpc.a.id
  cidr_block = "8.8.0.0/16"
}
""",
        ),
        1,
        "uses 8.8.0.0/16",
    ),
    Case(
        "a planned VPC given a public block",
        lambda: recheck("VW-W110", peered_plan(), _public_block),
        1,
        "11.0.0.0/16",
    ),
]


def _public_block(b: NetworkBuilder) -> None:
    first = b.all("vpc")[0]
    b.update(first, cidrs=(*first.cidrs, IPv4Network("11.0.0.0/16")))


def service(required: str, *, accepter: bool = False, auto: str | None = None) -> str:
    auto_line = "" if auto is None else f"\n  auto_accept         = {auto}"
    out = (
        tf_vpc("p", "10.5.0.0/16")
        + tf_vpc("c", "10.6.0.0/16")
        + f"""
resource "aws_lb" "n" {{
  load_balancer_type = "network"
  internal           = true
  subnets            = [aws_subnet.p.id]
}}
resource "aws_vpc_endpoint_service" "s" {{
  acceptance_required        = {required}
  network_load_balancer_arns = [aws_lb.n.arn]
}}
resource "aws_vpc_endpoint" "e" {{
  vpc_id              = aws_vpc.c.id
  service_name        = aws_vpc_endpoint_service.s.service_name
  vpc_endpoint_type   = "Interface"
  subnet_ids          = [aws_subnet.c.id]{auto_line}
}}
"""
    )
    if accepter:
        out += """
resource "aws_vpc_endpoint_connection_accepter" "e" {
  vpc_endpoint_service_id = aws_vpc_endpoint_service.s.id
  vpc_endpoint_id         = aws_vpc_endpoint.e.id
}
"""
    return out


W309 = [
    Case(
        "acceptance required, nothing accepts",
        scanned(service("true")),
        1,
        "nothing accepts it",
        "aws_vpc_endpoint.e",
    ),
    Case("an aws_vpc_endpoint_connection_accepter", scanned(service("true", accepter=True)), 0),
    Case("acceptance not required", scanned(service("false")), 0),
    Case("acceptance_required unknown", scanned(UNSET, service("var.unset_x")), 0),
    Case("the owner's own endpoint with auto_accept", scanned(service("true", auto="true")), 0),
    Case("auto_accept unknown", scanned(UNSET, service("true", auto="var.unset_x")), 0),
]


@pytest.mark.parametrize("case", E109, ids=lambda c: c.name)
def test_vw_e109_nat_gateway_routes_to_itself(case: Case) -> None:
    case.check("VW-E109")


@pytest.mark.parametrize("case", W110, ids=lambda c: c.name)
def test_vw_w110_vpc_cidr_not_private(case: Case) -> None:
    case.check("VW-W110")


@pytest.mark.parametrize("case", E207, ids=lambda c: c.name)
def test_vw_e207_peering_never_accepted(case: Case) -> None:
    case.check("VW-E207")


@pytest.mark.parametrize("case", E208, ids=lambda c: c.name)
def test_vw_e208_peering_no_routes(case: Case) -> None:
    case.check("VW-E208")


@pytest.mark.parametrize("case", W309, ids=lambda c: c.name)
def test_vw_w309_endpoint_never_accepted(case: Case) -> None:
    case.check("VW-W309")


def test_planned_peering_has_the_routes_the_cases_remove() -> None:
    """The planned cases above change something that is there: a pair of peering routes."""
    net = peered_plan().network
    assert [r for rt in net.route_tables.values() for r in rt.routes if r.kind == "peering"]
    assert all(p.status == "active" for p in net.peerings.values())
