"""transit.tf: what the Transit Gateway plan renders to, and that terraform validates it
(offline, with the local provider mirror the deploy code finds)."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from tests.conftest import EXAMPLES
from tests.helpers import load
from tests.plan.test_transit import ONE_SEGMENT
from vpcwire.deploy.terraform import Terraform
from vpcwire.pipeline import plan
from vpcwire.render import render, write
from vpcwire.spec.load import load_spec


def example_files() -> dict[str, str]:
    return render(plan(load_spec(EXAMPLES / "transit-gateway.yaml")), target="aws").files


def blocks(text: str, kind: str) -> list[str]:
    return re.findall(rf'^resource "{kind}" "([a-z0-9_]+)"', text, re.M)


def body(text: str, kind: str, name: str) -> str:
    start = text.index(f'resource "{kind}" "{name}" {{')
    return text[start : text.index("\n}\n", start)]


def test_segments_render_their_own_tables_with_defaults_off() -> None:
    tf = example_files()["transit.tf"]
    assert blocks(tf, "aws_ec2_transit_gateway") == ["tgw_us_east_1", "tgw_us_west_2"]
    for name in ("tgw_us_east_1", "tgw_us_west_2"):
        gateway = body(tf, "aws_ec2_transit_gateway", name)
        assert 'default_route_table_association = "disable"' in gateway
        assert 'auto_accept_shared_attachments  = "disable"' in gateway
    # one association per attachment: 4 VPCs + both sides of the peering
    assert len(blocks(tf, "aws_ec2_transit_gateway_route_table_association")) == 6
    assert (
        len(blocks(tf, "aws_ec2_transit_gateway_route")) == 4
    )  # west->2 east, east 2 tables->west
    prod = body(tf, "aws_ec2_transit_gateway_vpc_attachment", "prod_tgw")
    assert "transit_gateway_default_route_table_association = false" in prod


def test_the_other_account_shares_accepts_and_is_accepted() -> None:
    tf = example_files()["transit.tf"]
    assert blocks(tf, "aws_ram_resource_share") == ["tgw_us_east_1"]
    accepter = body(tf, "aws_ram_resource_share_accepter", "tgw_us_east_1_dev")
    assert "provider = aws.dev_us_east_1" in accepter
    dev = body(tf, "aws_ec2_transit_gateway_vpc_attachment", "dev_tgw")
    assert "provider = aws.dev_us_east_1" in dev
    assert "aws_ram_resource_share_accepter.tgw_us_east_1_dev" in dev  # depends_on
    assert "default_route_table" not in dev  # not settable from the VPC's account
    owner = body(tf, "aws_ec2_transit_gateway_vpc_attachment_accepter", "dev_tgw")
    assert "provider = aws.network_us_east_1" in owner
    # only the accepter names the attachment itself: everything else waits for acceptance
    assert tf.count("aws_ec2_transit_gateway_vpc_attachment.dev_tgw.id") == 1
    assert "aws_ec2_transit_gateway_vpc_attachment.dev_tgw.id" in owner


def test_vpc_routes_name_the_gateway_and_wait_for_the_attachment() -> None:
    tf = example_files()["transit.tf"]
    route = body(tf, "aws_route", "dev_private_to_tgw_us_east_1_10_10_0_0_16")
    assert "transit_gateway_id     = aws_ec2_transit_gateway.tgw_us_east_1.id" in route
    assert "depends_on = [aws_ec2_transit_gateway_vpc_attachment_accepter.dev_tgw]" in route
    assert not [n for n in blocks(tf, "aws_route") if n.startswith("dev_") and "10_20" in n]


def test_one_segment_renders_no_route_table_of_its_own(tmp_path: Path) -> None:
    tf = render(plan(load(tmp_path, ONE_SEGMENT)), target="aws").files["transit.tf"]
    assert 'default_route_table_association = "enable"' in tf
    assert not blocks(tf, "aws_ec2_transit_gateway_route_table")
    assert not blocks(tf, "aws_ec2_transit_gateway_route_table_association")
    assert "transit_gateway_default_route_table_association" not in tf


CROSS_ACCOUNT_PEERING = """
accounts:
  east: {id: "111111111111"}
  west: {id: "222222222222"}
vpcs:
  a: {account: east, region: us-east-1, cidr: 10.0.0.0/16, azs: [us-east-1a]}
  b: {account: west, region: us-west-2, cidr: 10.1.0.0/16, azs: [us-west-2a]}
connections:
  - {peers: [a, b], via: transit-gateway}
"""


def test_gateways_of_two_accounts_peer_across_accounts(tmp_path: Path) -> None:
    tf = render(plan(load(tmp_path, CROSS_ACCOUNT_PEERING)), target="aws").files["transit.tf"]
    assert not blocks(tf, "aws_ram_resource_share")  # each VPC attaches to its own account's
    peering = body(tf, "aws_ec2_transit_gateway_peering_attachment", "tgw_us_east_1_us_west_2")
    assert 'peer_account_id         = "222222222222"' in peering
    assert "provider = aws.east_us_east_1" in peering
    accepter = body(
        tf, "aws_ec2_transit_gateway_peering_attachment_accepter", "tgw_us_east_1_us_west_2"
    )
    assert "provider = aws.west_us_west_2" in accepter


ONE_SEGMENT_TWO_ACCOUNTS = """
accounts:
  hub: {id: "111111111111"}
  team: {id: "222222222222"}
vpcs:
  a: {account: hub, region: us-east-1, cidr: 10.0.0.0/16, azs: [us-east-1a]}
  b: {account: hub, region: us-east-1, cidr: 10.1.0.0/16, azs: [us-east-1a]}
  c: {account: team, region: us-east-1, cidr: 10.2.0.0/16, azs: [us-east-1a]}
connections:
  - {peers: [a, b, c], via: transit-gateway}
"""


def test_one_segment_across_accounts_keeps_the_defaults_on_the_accepter(tmp_path: Path) -> None:
    tf = render(plan(load(tmp_path, ONE_SEGMENT_TWO_ACCOUNTS)), target="aws").files["transit.tf"]
    accepter = body(tf, "aws_ec2_transit_gateway_vpc_attachment_accepter", "c_tgw")
    assert "provider = aws.hub_us_east_1" in accepter
    assert "default_route_table" not in accepter  # AWS's default: associate and propagate
    assert not blocks(tf, "aws_ec2_transit_gateway_route_table_association")


@pytest.mark.parametrize(
    "case", ["example", "one segment", "cross-account peering", "one segment, two accounts"]
)
def test_terraform_validates_the_render(case: str, tmp_path: Path) -> None:
    spec = {
        "example": lambda: load_spec(EXAMPLES / "transit-gateway.yaml"),
        "one segment": lambda: load(tmp_path, ONE_SEGMENT),
        "cross-account peering": lambda: load(tmp_path, CROSS_ACCOUNT_PEERING),
        "one segment, two accounts": lambda: load(tmp_path, ONE_SEGMENT_TWO_ACCOUNTS),
    }[case]()
    out = tmp_path / "tf"
    write(render(plan(spec), target="aws"), out)
    tf = Terraform(out)
    tf.init()
    assert tf.validate() == []
