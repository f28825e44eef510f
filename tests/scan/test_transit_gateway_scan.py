"""Scan of Transit Gateway Terraform: what AWS does by itself (the default route table, the
default association and propagation, acceptance) is in the Network, and what the scan cannot
know is marked unknown rather than guessed. Expected values written from AWS's documentation
(tgw-route-tables.html, tgw-vpc-attachments.html, tgw-peering.html) before running."""

from __future__ import annotations

import tempfile
from pathlib import Path

from tests.scan.test_corpus import CASES, scanned
from vpcwire.network import Network
from vpcwire.network.unknown import unknown_fields
from vpcwire.scan.run import run_scan

TWO_ACCOUNTS = """
provider "aws" {
  region              = "us-east-1"
  allowed_account_ids = ["111111111111"]
}
provider "aws" {
  alias               = "spoke"
  region              = "us-east-1"
  allowed_account_ids = ["222222222222"]
}
"""
VPC = """
resource "aws_vpc" "v" {
  provider   = PROVIDER
  cidr_block = "10.5.0.0/16"
}
resource "aws_subnet" "v" {
  provider          = PROVIDER
  vpc_id            = aws_vpc.v.id
  cidr_block        = "10.5.1.0/24"
  availability_zone = "us-east-1a"
}
resource "aws_ec2_transit_gateway_vpc_attachment" "v" {
  provider           = PROVIDER
  transit_gateway_id = aws_ec2_transit_gateway.t.id
  vpc_id             = aws_vpc.v.id
  subnet_ids         = [aws_subnet.v.id]ATTACH
}
"""
DEFAULT = "aws_ec2_transit_gateway.t.association_default_route_table_id"
ATT = "aws_ec2_transit_gateway_vpc_attachment.v"


def scan(*parts: str, provider: str = "aws", attach: str = "") -> Network:
    root = Path(tempfile.mkdtemp(prefix="vpcwire-tgw-"))
    text = VPC.replace("PROVIDER", provider).replace("ATTACH", attach)
    (root / "main.tf").write_text(TWO_ACCOUNTS + "".join(parts) + text)
    return run_scan(root).network


def tgw(body: str = "") -> str:
    return f'resource "aws_ec2_transit_gateway" "t" {{\n{body}\n}}\n'


def test_the_default_table_takes_an_attachment_by_default() -> None:
    net = scan(tgw())
    table = net.tgw_route_tables[DEFAULT]
    assert table.associations == (ATT,) and table.propagations == (ATT,)
    assert [str(r.destination) for r in net.tgw_routes(table)] == ["10.5.0.0/16"]
    assert (
        net.transit_gateways["aws_ec2_transit_gateway.t"].association_default_route_table == DEFAULT
    )


def test_defaults_off_on_the_tgw_make_no_default_table() -> None:
    net = scan(
        tgw(
            '  default_route_table_association = "disable"\n'
            '  default_route_table_propagation = "disable"'
        )
    )
    assert net.tgw_route_tables == {}
    assert net.tgw_route_table_of == {}


def test_the_attachment_s_flags_keep_it_out_of_the_default_table() -> None:
    net = scan(tgw(), attach="\n  transit_gateway_default_route_table_propagation = false")
    table = net.tgw_route_tables[DEFAULT]
    assert table.associations == (ATT,) and table.propagations == ()


def test_propagation_default_route_table_id_names_the_same_table() -> None:
    net = scan(
        tgw(),
        """
resource "aws_ec2_transit_gateway_route" "r" {
  transit_gateway_route_table_id = aws_ec2_transit_gateway.t.propagation_default_route_table_id
  destination_cidr_block         = "0.0.0.0/0"
  blackhole                      = true
}
""",
    )
    routes = net.tgw_route_tables[DEFAULT].routes
    assert [(str(r.destination), r.attachment, r.state) for r in routes] == [
        ("0.0.0.0/0", None, "blackhole")
    ]


def test_default_route_table_association_moves_the_default() -> None:
    net = scan(
        tgw(),
        """
resource "aws_ec2_transit_gateway_route_table" "mine" {
  transit_gateway_id = aws_ec2_transit_gateway.t.id
}
resource "aws_ec2_transit_gateway_default_route_table_association" "d" {
  transit_gateway_id             = aws_ec2_transit_gateway.t.id
  transit_gateway_route_table_id = aws_ec2_transit_gateway_route_table.mine.id
}
""",
    )
    mine = net.tgw_route_tables["aws_ec2_transit_gateway_route_table.mine"]
    assert mine.associations == (ATT,) and mine.default_association
    assert net.tgw_route_tables[DEFAULT].associations == ()
    assert net.tgw_route_tables[DEFAULT].propagations == (ATT,)


def test_an_unknown_option_leaves_the_default_table_s_members_unknown() -> None:
    net = scan(
        'variable "assoc" {}\n',
        tgw("  default_route_table_association = var.assoc"),
    )
    table = net.tgw_route_tables[DEFAULT]
    assert table.associations == ()
    assert "associations" in unknown_fields(table)


def test_a_cross_account_attachment_waits_for_acceptance_unless_accepted() -> None:
    pending = scan(tgw(), provider="aws.spoke")
    assert pending.tgw_attachments[ATT].state == "pendingAcceptance"
    auto = scan(tgw('  auto_accept_shared_attachments = "enable"'), provider="aws.spoke")
    assert auto.tgw_attachments[ATT].state == "available"
    accepted = scan(
        tgw(),
        f"""
resource "aws_ec2_transit_gateway_vpc_attachment_accepter" "v" {{
  transit_gateway_attachment_id                   = {ATT}.id
  transit_gateway_default_route_table_association = false
}}
""",
        provider="aws.spoke",
    )
    assert accepted.tgw_attachments[ATT].state == "available"
    # the accepter, in the TGW's account, decides the default association
    table = accepted.tgw_route_tables[DEFAULT]
    assert table.associations == () and table.propagations == (ATT,)


def test_the_ram_share_names_the_tgw_and_its_principals() -> None:
    net = scan(
        tgw(),
        """
resource "aws_ram_resource_share" "s" {
  name                      = "hub"
  allow_external_principals = false
}
resource "aws_ram_resource_association" "s" {
  resource_arn       = aws_ec2_transit_gateway.t.arn
  resource_share_arn = aws_ram_resource_share.s.arn
}
resource "aws_ram_principal_association" "s" {
  principal          = "222222222222"
  resource_share_arn = aws_ram_resource_share.s.arn
}
""",
    )
    share = net.resource_shares["aws_ram_resource_share.s"]
    assert share.resources == ("aws_ec2_transit_gateway.t",)
    assert share.principals == ("222222222222",)
    assert share.account == "111111111111" and not share.allow_external_principals


def test_terraform_aws_modules_complete_example_as_read() -> None:
    """tests/corpus/tam-transit-gateway/examples/complete: the network its EXPECTED.yaml notes
    describe (written before the first scan)."""
    case = next(c for c in CASES if c.name == "tam-transit-gateway/examples/complete")
    net = scanned(case).network
    vpc1 = 'module.tgw.aws_ec2_transit_gateway_vpc_attachment.this["vpc1"]'
    vpc2 = 'module.tgw.aws_ec2_transit_gateway_vpc_attachment.this["vpc2"]'
    default = net.tgw_route_tables[
        "module.tgw.aws_ec2_transit_gateway.this[0].association_default_route_table_id"
    ]
    custom = net.tgw_route_tables["module.tgw.aws_ec2_transit_gateway_route_table.this[0]"]
    assert (default.associations, default.propagations) == ((vpc2,), (vpc2,))
    assert (custom.associations, custom.propagations) == ((vpc1,), (vpc1,))
    assert sorted(
        (str(r.destination), r.attachment, r.kind) for r in net.tgw_routes(custom)
    ) == sorted(
        [
            ("30.0.0.0/16", vpc1, "static"),
            ("0.0.0.0/0", None, "static"),
            ("50.0.0.0/16", vpc2, "static"),
            ("10.10.10.10/32", None, "static"),
            ("10.10.0.0/16", vpc1, "propagated"),
        ]
    )
    tgw_ = net.transit_gateways["module.tgw.aws_ec2_transit_gateway.this[0]"]
    assert tgw_.asn == 64532 and tgw_.auto_accept_shared_attachments
    assert [len(a.subnets) for a in net.tgw_attachments.values()] == [3, 3]
    share = net.resource_shares["module.tgw.aws_ram_resource_share.this[0]"]
    assert share.principals == ("307990089504",) and share.allow_external_principals


def test_an_attachment_s_id_read_by_index_is_its_id() -> None:
    # cloudposse/transit-gateway writes aws_ec2_transit_gateway_vpc_attachment.default[k]["id"]:
    # "cannot index" left every association, propagation and static route out
    net = scan(
        tgw('  default_route_table_association = "disable"'),
        f"""
resource "aws_ec2_transit_gateway_route_table" "mine" {{
  transit_gateway_id = aws_ec2_transit_gateway.t["id"]
}}
resource "aws_ec2_transit_gateway_route_table_association" "mine" {{
  transit_gateway_attachment_id  = {ATT}["id"]
  transit_gateway_route_table_id = aws_ec2_transit_gateway_route_table.mine.id
}}
""",
    )
    assert net.tgw_route_tables["aws_ec2_transit_gateway_route_table.mine"].associations == (ATT,)
