"""Transit Gateway rules that judge a Network (VW-E801..E807, VW-W801..W804), one case list per
rule: small configurations written by hand in the patterns AWS documents (one default table;
segments with their own tables and the defaults off), scanned from a temporary directory, and
for the quotas that need thousands of resources a Network built in memory. Expected counts
were written from reading each configuration, before the rules ran on it."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from ipaddress import IPv4Network

import pytest

from tests.rules.helpers import Case
from tests.rules.test_terraform import scanned
from vpcwire.network import NetworkBuilder, Vpc
from vpcwire.network.model import Origin, TgwAttachment, TgwRoute, TgwRouteTable, TransitGateway
from vpcwire.rules import Finding, judge_network


def net_vpc(name: str, cidr: str, azs: Sequence[str] = ("us-east-1a",)) -> str:
    """A VPC, one subnet per AZ (cidrsubnet index = position), one route table for them all."""
    out = f"""
resource "aws_vpc" "{name}" {{
  cidr_block = "{cidr}"
}}
resource "aws_route_table" "{name}" {{
  vpc_id = aws_vpc.{name}.id
}}
"""
    for i, az in enumerate(azs):
        out += f"""
resource "aws_subnet" "{name}_{i}" {{
  vpc_id            = aws_vpc.{name}.id
  cidr_block        = cidrsubnet(aws_vpc.{name}.cidr_block, 8, {i})
  availability_zone = "{az}"
}}
resource "aws_route_table_association" "{name}_{i}" {{
  subnet_id      = aws_subnet.{name}_{i}.id
  route_table_id = aws_route_table.{name}.id
}}
"""
    return out


def hub(name: str = "hub", defaults: bool = True, extra: str = "") -> str:
    flags = (
        ""
        if defaults
        else (
            '\n  default_route_table_association = "disable"'
            '\n  default_route_table_propagation = "disable"'
        )
    )
    return f'\nresource "aws_ec2_transit_gateway" "{name}" {{{flags}{extra}\n}}\n'


def attach(
    vpc: str, subnets: Sequence[int] = (0,), name: str | None = None, tgw: str = "hub"
) -> str:
    ids = ", ".join(f"aws_subnet.{vpc}_{i}.id" for i in subnets)
    return f"""
resource "aws_ec2_transit_gateway_vpc_attachment" "{name or vpc}" {{
  transit_gateway_id = aws_ec2_transit_gateway.{tgw}.id
  vpc_id             = aws_vpc.{vpc}.id
  subnet_ids         = [{ids}]
}}
"""


def to_tgw(vpc: str, dest: str, name: str | None = None, tgw: str = "hub") -> str:
    return f"""
resource "aws_route" "{name or vpc + "_tgw"}" {{
  route_table_id         = aws_route_table.{vpc}.id
  destination_cidr_block = "{dest}"
  transit_gateway_id     = aws_ec2_transit_gateway.{tgw}.id
}}
"""


def segment(name: str, associate: str, propagate: Sequence[str] = (), tgw: str = "hub") -> str:
    """A TGW route table of its own, one association, the given propagations."""
    out = f"""
resource "aws_ec2_transit_gateway_route_table" "{name}" {{
  transit_gateway_id = aws_ec2_transit_gateway.{tgw}.id
}}
resource "aws_ec2_transit_gateway_route_table_association" "{name}" {{
  transit_gateway_attachment_id  = aws_ec2_transit_gateway_vpc_attachment.{associate}.id
  transit_gateway_route_table_id = aws_ec2_transit_gateway_route_table.{name}.id
}}
"""
    for att in propagate:
        out += f"""
resource "aws_ec2_transit_gateway_route_table_propagation" "{name}_{att}" {{
  transit_gateway_attachment_id  = aws_ec2_transit_gateway_vpc_attachment.{att}.id
  transit_gateway_route_table_id = aws_ec2_transit_gateway_route_table.{name}.id
}}
"""
    return out


def tgw_route(table: str, dest: str, att: str | None, name: str = "static") -> str:
    target = (
        "blackhole = true"
        if att is None
        else f"transit_gateway_attachment_id = aws_ec2_transit_gateway_vpc_attachment.{att}.id"
    )
    return f"""
resource "aws_ec2_transit_gateway_route" "{name}" {{
  transit_gateway_route_table_id = aws_ec2_transit_gateway_route_table.{table}.id
  destination_cidr_block         = "{dest}"
  {target}
}}
"""


A = net_vpc("a", "10.1.0.0/16")
B = net_vpc("b", "10.2.0.0/16")
MESH = hub() + A + B + attach("a") + attach("b")  # one default table: everyone reaches everyone
BOTH_ROUTES = to_tgw("a", "10.2.0.0/16") + to_tgw("b", "10.1.0.0/16")
SEGMENTED = hub(defaults=False) + A + B + attach("a") + attach("b") + BOTH_ROUTES
UNSET = 'variable "unknown_id" {}\n'

E801 = [
    Case(
        "a subnet in us-east-1b routes to the TGW, the attachment has only us-east-1a",
        scanned(
            hub(),
            net_vpc("a", "10.1.0.0/16", ("us-east-1a", "us-east-1b")),
            B,
            attach("a", (0,)),
            attach("b"),
            BOTH_ROUTES,
        ),
        1,
        "from us-east-1b, where attachment aws_ec2_transit_gateway_vpc_attachment.a has no subnet",
        "aws_ec2_transit_gateway_vpc_attachment.a",
    ),
    Case(
        "the attachment has a subnet in each AZ",
        scanned(
            hub(),
            net_vpc("a", "10.1.0.0/16", ("us-east-1a", "us-east-1b")),
            B,
            attach("a", (0, 1)),
            attach("b"),
            BOTH_ROUTES,
        ),
        0,
    ),
    Case(
        "the uncovered AZ's subnet does not route to the TGW (it keeps the main table)",
        scanned(
            hub(),
            net_vpc("a", "10.1.0.0/16", ("us-east-1a",)),
            """
resource "aws_subnet" "a_other" {
  vpc_id            = aws_vpc.a.id
  cidr_block        = "10.1.200.0/24"
  availability_zone = "us-east-1b"
}
""",
            B,
            attach("a", (0,)),
            attach("b"),
            BOTH_ROUTES,
        ),
        0,
    ),
    Case(
        "a subnet placed by AZ id beside attachment subnets placed by AZ name: not comparable",
        scanned(
            hub(),
            net_vpc("a", "10.1.0.0/16", ("us-east-1a",)),
            """
resource "aws_subnet" "a_by_id" {
  vpc_id               = aws_vpc.a.id
  cidr_block           = "10.1.200.0/24"
  availability_zone_id = "use1-az2"
}
resource "aws_route_table_association" "a_by_id" {
  subnet_id      = aws_subnet.a_by_id.id
  route_table_id = aws_route_table.a.id
}
""",
            B,
            attach("a", (0,)),
            attach("b"),
            BOTH_ROUTES,
        ),
        0,
    ),
    Case(
        "the attachment's subnet is another configuration's (a literal id): its AZ is unknown",
        scanned(
            hub(),
            net_vpc("a", "10.1.0.0/16", ("us-east-1a", "us-east-1b")),
            B,
            attach("a", (0,)).replace("aws_subnet.a_0.id", '"subnet-0123456789abcdef0"'),
            attach("b"),
            BOTH_ROUTES,
        ),
        0,
    ),
    Case(
        "the uncovered subnet's AZ is a variable without a value: not decided",
        scanned(
            'variable "zone" {}\n',
            hub(),
            net_vpc("a", "10.1.0.0/16", ("us-east-1a",)).replace('"us-east-1a"', "var.zone"),
            B,
            """
resource "aws_subnet" "a_1" {
  vpc_id            = aws_vpc.a.id
  cidr_block        = "10.1.1.0/24"
  availability_zone = "us-east-1b"
}
""",
            attach("a", (1,)),
            attach("b"),
            BOTH_ROUTES,
        ),
        0,
    ),
]

E802 = [
    Case(
        "a routes to b through the TGW, b has no route back",
        scanned(MESH, to_tgw("a", "10.2.0.0/16")),
        1,
        "has no route to 10.1.0.0/16 through the TGW: replies are lost",
        "aws_ec2_transit_gateway_vpc_attachment.b",
    ),
    Case("routes on both sides", scanned(MESH, BOTH_ROUTES), 0),
    Case("no VPC routes to the TGW at all", scanned(MESH), 0),
    Case(
        "b's way back to a is another gateway (an appliance's interface)",
        scanned(
            MESH,
            to_tgw("a", "10.2.0.0/16"),
            """
resource "aws_route" "b_back" {
  route_table_id         = aws_route_table.b.id
  destination_cidr_block = "10.1.0.0/16"
  network_interface_id   = "eni-0123456789abcdef0"
}
""",
        ),
        0,
    ),
    Case(
        "a's 10.0.0.0/8 goes to the TGW but its more specific route to b is an appliance's",
        scanned(
            MESH,
            to_tgw("a", "10.0.0.0/8"),
            """
resource "aws_route" "a_to_b" {
  route_table_id         = aws_route_table.a.id
  destination_cidr_block = "10.2.0.0/16"
  network_interface_id   = "eni-0123456789abcdef0"
}
""",
        ),
        0,
    ),
    Case(
        "a 0.0.0.0/0 route to the TGW on b's side counts as the way back",
        scanned(MESH, to_tgw("a", "10.2.0.0/16"), to_tgw("b", "0.0.0.0/0")),
        0,
    ),
    Case(
        "the TGW itself does not carry a's traffic to b (segments apart): not this rule",
        scanned(
            SEGMENTED.replace(to_tgw("b", "10.1.0.0/16"), ""),
            segment("ra", "a"),
            segment("rb", "b"),
        ),
        0,
    ),
    Case(
        "b's routes come from a count nobody knows: not decided",
        scanned(
            UNSET,
            MESH,
            to_tgw("a", "10.2.0.0/16"),
            """
resource "aws_route" "b_some" {
  count                  = length(var.unknown_id)
  route_table_id         = aws_route_table.b.id
  destination_cidr_block = "10.1.0.0/16"
  transit_gateway_id     = aws_ec2_transit_gateway.hub.id
}
""",
        ),
        0,
    ),
]

E803 = [
    Case(
        "segments: a's table reaches b, b's table has no route back to a",
        scanned(SEGMENTED, segment("ra", "a", ("b",)), segment("rb", "b")),
        1,
        "has no route to 10.1.0.0/16: every reply is dropped at the Transit Gateway",
        "aws_ec2_transit_gateway_vpc_attachment.a",
    ),
    Case(
        "segments propagating into each other",
        scanned(SEGMENTED, segment("ra", "a", ("b",)), segment("rb", "b", ("a",))),
        0,
    ),
    Case(
        "isolated segments: no route either way (a design, not a defect)",
        scanned(SEGMENTED, segment("ra", "a"), segment("rb", "b")),
        0,
    ),
    Case(
        "b's table has a static route back to a instead of a propagation",
        scanned(
            SEGMENTED,
            segment("ra", "a", ("b",)),
            segment("rb", "b"),
            tgw_route("rb", "10.1.0.0/16", "a"),
        ),
        0,
    ),
    Case(
        "b's table blackholes a: dropped on purpose, still a route (not this rule)",
        scanned(
            SEGMENTED,
            segment("ra", "a", ("b",)),
            segment("rb", "b"),
            tgw_route("rb", "10.0.0.0/8", None),
        ),
        0,
    ),
    Case(
        "the default table with both defaults on (the module's default pattern)",
        scanned(MESH, BOTH_ROUTES),
        0,
    ),
    Case(
        "the propagation into b's table names an attachment nobody knows: not decided",
        scanned(
            UNSET,
            SEGMENTED,
            segment("ra", "a", ("b",)),
            segment("rb", "b"),
            """
resource "aws_ec2_transit_gateway_route_table_propagation" "rb_unknown" {
  transit_gateway_attachment_id  = var.unknown_id
  transit_gateway_route_table_id = aws_ec2_transit_gateway_route_table.rb.id
}
""",
        ),
        0,
    ),
]

E804 = [
    Case(
        "two VPCs with one CIDR propagate into the default table",
        scanned(MESH, net_vpc("c", "10.1.0.0/16"), attach("c")),
        1,
        "AWS propagates only the first of the two",
        "aws_ec2_transit_gateway.hub",
    ),
    Case(
        "a /24 VPC inside a /16 VPC whose subnet lies in it",
        scanned(MESH, net_vpc("c", "10.1.0.0/24"), attach("c")),
        1,
        "takes aws_subnet.a_0",
    ),
    Case(
        "a /24 VPC inside a /16 VPC with no subnet in the overlap",
        scanned(MESH, net_vpc("c", "10.1.9.0/24"), attach("c")),
        0,
    ),
    Case(
        "the same CIDRs in two segments of their own",
        scanned(
            SEGMENTED,
            net_vpc("c", "10.1.0.0/16"),
            attach("c"),
            segment("ra", "a", ("b",)),
            segment("rb", "b", ("a",)),
            segment("rc", "c", ("b",)),
        ),
        0,
    ),
    Case("distinct CIDRs", scanned(MESH), 0),
]

E805 = [
    Case(
        "one VPC attached twice to one TGW",
        scanned(MESH, attach("a", name="a_again")),
        1,
        "AWS refuses a second attachment of one VPC to one TGW",
        "aws_ec2_transit_gateway_vpc_attachment.a_again",
    ),
    Case(
        "one VPC attached to two TGWs",
        scanned(MESH, hub("other"), attach("a", name="a_other", tgw="other")),
        0,
    ),
]


def _twice(second_state: str) -> Callable[[], list[Finding]]:
    """A live-like network: one VPC with two attachments to one TGW, the second in a state."""

    def run() -> list[Finding]:
        b = NetworkBuilder()
        b.add(
            Vpc(
                "vpc-1",
                "one",
                "111111111111",
                "us-east-1",
                (IPv4Network("10.0.0.0/16"),),
                origin=HERE,
            )
        )
        b.add(TransitGateway("tgw-1", "hub", "111111111111", "us-east-1", origin=HERE))
        for i, state in ((1, "available"), (2, second_state)):
            b.add(
                TgwAttachment(
                    f"tgw-attach-{i}",
                    f"one{i}",
                    "tgw-1",
                    "vpc",
                    "111111111111",
                    "vpc-1",
                    state=state,
                    origin=HERE,
                )
            )
        return judge_network(b.build())

    return run


E805 += [
    Case("a live VPC with a second attachment still there", _twice("pending"), 1),
    Case("a live VPC whose earlier attachment is deleted", _twice("deleted"), 0),
]


def _peering(name: str, peer: str, accept: bool = True) -> str:
    out = f"""
resource "aws_ec2_transit_gateway_peering_attachment" "{name}" {{
  transit_gateway_id      = aws_ec2_transit_gateway.hub.id
  peer_transit_gateway_id = aws_ec2_transit_gateway.{peer}.id
  peer_region             = "us-west-2"
}}
"""
    if accept:
        out += f"""
resource "aws_ec2_transit_gateway_peering_attachment_accepter" "{name}" {{
  provider                      = aws.west
  transit_gateway_attachment_id = aws_ec2_transit_gateway_peering_attachment.{name}.id
}}
"""
    return out


WEST = '\nresource "aws_ec2_transit_gateway" "west" {\n  provider = aws.west\n}\n'
E807 = [
    Case(
        "two peering attachments between the same two TGWs",
        scanned(hub(), WEST, _peering("p1", "west"), _peering("p2", "west")),
        1,
        "AWS allows one peering attachment between two TGWs",
        "aws_ec2_transit_gateway_peering_attachment.p2",
    ),
    Case("one peering attachment", scanned(hub(), WEST, _peering("p1", "west")), 0),
]


ACCOUNTS = """
provider "aws" {
  alias               = "owner"
  region              = "us-east-1"
  allowed_account_ids = ["111111111111"]
}
provider "aws" {
  alias               = "spoke"
  region              = "us-east-1"
  allowed_account_ids = ["222222222222"]
}
"""


def _shared(tgw_body: str = "", extra: str = "", spoke: str = "aws.spoke") -> str:
    """A TGW of account 1111 and a VPC attachment of account 2222 (a RAM-shared TGW)."""
    return (
        ACCOUNTS
        + f'resource "aws_ec2_transit_gateway" "hub" {{\n  provider = aws.owner\n{tgw_body}}}\n'
        + net_vpc("a", "10.1.0.0/16")
        + attach("a").replace(
            "{\n  transit_gateway_id", f"{{\n  provider           = {spoke}\n  transit_gateway_id"
        )
        + extra
    )


E808 = [
    Case(
        "a VPC attachment of another account, no auto-accept, no accepter",
        scanned(_shared()),
        1,
        "of account 222222222222 to Transit Gateway aws_ec2_transit_gateway.hub of account "
        "111111111111 is never accepted",
        "aws_ec2_transit_gateway_vpc_attachment.a",
    ),
    Case(
        "the TGW auto-accepts shared attachments",
        scanned(_shared('  auto_accept_shared_attachments = "enable"\n')),
        0,
    ),
    Case(
        "the TGW owner's accepter accepts it",
        scanned(
            _shared(
                extra="""
resource "aws_ec2_transit_gateway_vpc_attachment_accepter" "a" {
  provider                      = aws.owner
  transit_gateway_attachment_id = aws_ec2_transit_gateway_vpc_attachment.a.id
}
"""
            )
        ),
        0,
    ),
    Case(
        "one account on both sides",
        scanned(_shared(spoke="aws.owner")),
        0,
    ),
    Case(
        "a peering attachment without its accepter",
        scanned(hub(), WEST, _peering("p1", "west", accept=False)),
        1,
        "is never accepted: no aws_ec2_transit_gateway_peering_attachment_accepter",
        "aws_ec2_transit_gateway_peering_attachment.p1",
    ),
    Case("a peering attachment with its accepter", scanned(hub(), WEST, _peering("p1", "west")), 0),
    Case(
        "a peering to a TGW of another configuration (it may accept there)",
        scanned(
            hub(),
            """
resource "aws_ec2_transit_gateway_peering_attachment" "far" {
  transit_gateway_id      = aws_ec2_transit_gateway.hub.id
  peer_transit_gateway_id = "tgw-0123456789abcdef0"
  peer_region             = "us-west-2"
}
""",
        ),
        0,
    ),
]


def _many(count: int, block: str) -> Callable[[], list[Finding]]:
    return scanned(block.replace("COUNT", str(count)))


def _gateways(n: int) -> str:
    return f'resource "aws_ec2_transit_gateway" "many" {{\n  count = {n}\n}}\n'


W801 = [
    Case("six TGWs in one account and region", scanned(_gateways(6)), 1, "the default quota is 5"),
    Case("five TGWs", scanned(_gateways(5)), 0),
    Case(
        "six TGWs over two regions",
        scanned(
            _gateways(3),
            hub("w1"),
            WEST,
            hub("w2").replace("{", "{\n  provider = aws.west", 1),
            hub("w3").replace("{", "{\n  provider = aws.west", 1),
        ),
        0,
    ),
]


def _tables(n: int) -> str:
    return hub() + (
        f'resource "aws_ec2_transit_gateway_route_table" "many" {{\n  count = {n}\n'
        "  transit_gateway_id = aws_ec2_transit_gateway.hub.id\n}\n"
    )


W802 = [
    Case("the default table and 20 more", scanned(_tables(20)), 1, "has 21 route tables"),
    Case("the default table and 19 more", scanned(_tables(19)), 0),
    Case(
        "20 tables, the defaults off", scanned(_tables(20).replace(hub(), hub(defaults=False))), 0
    ),
]


# In-memory networks say where each resource is written, as a scanned one would.
HERE = Origin("memory.tf", 1)


def _routes_network(static: int) -> Callable[[], list[Finding]]:
    """A TGW whose one table holds ``static`` static routes and one VPC's propagated route
    (routes count across all tables, propagated ones too)."""

    def run() -> list[Finding]:
        b = NetworkBuilder()
        b.add(Vpc("vpc-1", "one", "111111111111", "us-east-1", (IPv4Network("10.0.0.0/16"),)))
        b.add(TransitGateway("tgw-1", "hub", "111111111111", "us-east-1", origin=HERE))
        b.add(TgwAttachment("tgw-attach-1", "one", "tgw-1", "vpc", "111111111111", "vpc-1"))
        routes = tuple(
            TgwRoute(IPv4Network((0x0B000000 + i * 256, 24)), "tgw-attach-1") for i in range(static)
        )
        b.add(
            TgwRouteTable(
                "tgw-rtb-1", "main", "tgw-1", routes, ("tgw-attach-1",), ("tgw-attach-1",)
            )
        )
        return judge_network(b.build())

    return run


W803 = [
    Case("10,000 static routes and one propagated", _routes_network(10_000), 1, "10,001 routes"),
    Case("9,999 static routes and one propagated", _routes_network(9_999), 0),
]


def _peerings(n: int) -> str:
    return hub() + (
        'resource "aws_ec2_transit_gateway_peering_attachment" "many" {\n'
        f"  count = {n}\n"
        "  transit_gateway_id      = aws_ec2_transit_gateway.hub.id\n"
        '  peer_transit_gateway_id = "tgw-0000000000000${count.index + 1000}"\n'
        '  peer_region             = "us-west-2"\n}\n'
    )


W804 = [
    Case("51 peering attachments", scanned(_peerings(51)), 1, "has 51 peering attachments"),
    Case("50 peering attachments", scanned(_peerings(50)), 0),
]


def _attached_to(n: int) -> Callable[[], list[Finding]]:
    def run() -> list[Finding]:
        b = NetworkBuilder()
        b.add(
            Vpc(
                "vpc-1",
                "one",
                "111111111111",
                "us-east-1",
                (IPv4Network("10.0.0.0/16"),),
                origin=HERE,
            )
        )
        for i in range(n):
            b.add(TransitGateway(f"tgw-{i}", f"hub{i}", "111111111111", "us-east-1"))
            b.add(TgwAttachment(f"att-{i}", f"one{i}", f"tgw-{i}", "vpc", "111111111111", "vpc-1"))
        return judge_network(b.build())

    return run


E806 = [
    Case("one VPC on six TGWs", _attached_to(6), 1, "is attached to 6 Transit Gateways"),
    Case("one VPC on five TGWs", _attached_to(5), 0),
]


@pytest.mark.parametrize(
    ("rule_id", "case"),
    [
        (f"VW-{name}", case)
        for name, cases in (
            ("E801", E801),
            ("E802", E802),
            ("E803", E803),
            ("E804", E804),
            ("E805", E805),
            ("E806", E806),
            ("E807", E807),
            ("E808", E808),
            ("W801", W801),
            ("W802", W802),
            ("W803", W803),
            ("W804", W804),
        )
        for case in cases
    ],
    ids=lambda v: v if isinstance(v, str) else v.name,
)
def test_tgw_rule(rule_id: str, case: Case) -> None:
    case.check(rule_id)


UNDECIDED = [
    (f"VW-{rule}", case)
    for rule, cases in (("E801", E801), ("E802", E802), ("E803", E803))
    for case in cases
    if "not decided" in case.name
]


@pytest.mark.parametrize(
    ("rule_id", "case"), UNDECIDED, ids=lambda v: v if isinstance(v, str) else v.name
)
def test_an_error_resting_on_an_unknown_is_said_as_undecided(rule_id: str, case: Case) -> None:
    assert len(UNDECIDED) == 3
    assert callable(case.given)
    said = [f.message for f in case.given() if f.rule == "VW-W701"]
    assert any(m.startswith(f"{rule_id} (") and "is not decided" in m for m in said), said
