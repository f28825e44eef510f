"""Transit Gateway Terraform against the patched sandbox: apply, re-plan with no changes,
read back what the reader sees, destroy, nothing left.

The configurations (tests/fixtures/sandbox_tgw/<case>/main.tf) are written by hand with the
resources and arguments vpcwire's TGW renderer uses: a single default table; segments with
their own tables and the defaults off (the pattern moto could not apply: HTTP 500 on the
default disassociation); two regions peered with static routes; a second account through
RAM (share, principal and resource associations, the other account's accepter, its VPC
attachment accepted by the TGW owner). What the reader must see
was written down from the configurations before the first run.
"""

from __future__ import annotations

import json
import shutil
from collections.abc import Callable
from ipaddress import IPv4Network
from pathlib import Path
from typing import Any

import pytest

from tests.deploy.test_sandbox_terraform import check, terraform, terraform_env
from vpcwire.network import Network, TgwRoute
from vpcwire.read import read_network
from vpcwire.sandbox.clients import boto3_session
from vpcwire.sandbox.server import Sandbox

pytestmark = pytest.mark.integration

OWNER, ACCOUNT_B = "123456789012", "222222222222"
FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "sandbox_tgw"


def net(text: str) -> IPv4Network:
    return IPv4Network(text)


def check_single(network: Network, ids: dict[str, Any]) -> None:
    tgw = network.transit_gateways[ids["tgw"]]
    assert (tgw.asn, tgw.default_association, tgw.default_propagation) == (64600, True, True)
    table = network.tgw_route_tables[ids["default_table"]]
    assert table.associations == tuple(sorted([ids["app"], ids["data"]]))
    assert table.propagations == tuple(sorted([ids["app"], ids["data"]]))
    assert set(table.routes) == {
        TgwRoute(net("192.168.0.0/16"), ids["data"]),
        TgwRoute(net("10.99.0.0/16"), None, state="blackhole"),
    }
    assert TgwRoute(net("10.1.0.0/16"), ids["app"], kind="propagated") in network.tgw_routes(table)
    assert network.tgw_attachments[ids["data"]].appliance_mode
    assert len(network.tgw_attachments[ids["app"]].subnets) == 2


def check_segments(network: Network, ids: dict[str, Any]) -> None:
    tgw = network.transit_gateways[ids["tgw"]]
    assert (tgw.default_association, tgw.association_default_route_table) == (False, None)
    attachments, tables = ids["attachments"], ids["tables"]
    assert {
        t.id for t in network.tgw_route_tables.values() if t.transit_gateway == ids["tgw"]
    } == set(tables.values())  # no default table
    expected = {  # table: (associated, propagating)
        "prod": ([attachments["prod"]], [attachments["shared"]]),
        "dev": ([attachments["dev"]], [attachments["shared"]]),
        "shared": ([attachments["shared"]], [attachments["prod"], attachments["dev"]]),
    }
    for name, (associated, propagating) in expected.items():
        table = network.tgw_route_tables[tables[name]]
        assert table.associations == tuple(sorted(associated)), name
        assert table.propagations == tuple(sorted(propagating)), name
    assert set(network.tgw_route_tables[tables["dev"]].routes) == {
        TgwRoute(net("0.0.0.0/0"), attachments["shared"]),
        TgwRoute(net("10.11.0.0/16"), None, state="blackhole"),
    }
    assert network.tgw_attachments[attachments["shared"]].appliance_mode
    assert not network.tgw_attachments[attachments["prod"]].appliance_mode


def check_peered(network: Network, ids: dict[str, Any]) -> None:
    peering = network.tgw_attachments[ids["peering"]]
    assert (peering.kind, peering.state) == ("peering", "available")
    assert (peering.transit_gateway, peering.peer_transit_gateway) == (
        ids["tgw_east"],
        ids["tgw_west"],
    )
    assert peering.peer_region == "us-west-2"
    east, west = (
        network.tgw_route_tables[ids["table_east"]],
        network.tgw_route_tables[ids["table_west"]],
    )
    assert TgwRoute(net("10.22.0.0/16"), ids["peering"]) in east.routes
    assert TgwRoute(net("10.21.0.0/16"), ids["peering"]) in west.routes
    # an accepted peering is associated on each side, never propagated
    assert network.tgw_route_table_of[(ids["tgw_east"], ids["peering"])].id == east.id
    assert network.tgw_route_table_of[(ids["tgw_west"], ids["peering"])].id == west.id
    assert ids["peering"] not in east.propagations + west.propagations


def check_shared(network: Network, ids: dict[str, Any]) -> None:
    tgw = network.transit_gateways[ids["tgw"]]
    assert tgw.account == OWNER  # also listed in the app account, once in the network
    app = network.tgw_attachments[ids["app"]]
    assert (app.account, app.vpc, app.state, app.transit_gateway) == (
        ACCOUNT_B,
        ids["vpc_app"],
        "available",
        ids["tgw"],
    )
    table = network.tgw_route_tables[ids["default_table"]]
    assert table.associations == tuple(sorted([ids["network"], ids["app"]]))
    assert table.propagations == tuple(sorted([ids["network"], ids["app"]]))
    share = network.resource_shares[ids["share"]]
    assert (share.account, share.resources, share.principals) == (
        OWNER,
        (ids["tgw"],),
        (ACCOUNT_B,),
    )


CASES: dict[str, Callable[[Network, dict[str, Any]], None]] = {
    "single": check_single,
    "segments": check_segments,
    "peered": check_peered,
    "shared": check_shared,
}


def _left_behind(sandbox: Sandbox, tgw_ids: list[str]) -> list[Any]:
    """The stack's TGWs and their attachments that still exist (other tests share the
    sandbox's default account, so only this stack's are looked at)."""
    found = []
    mine = [{"Name": "transit-gateway-id", "Values": tgw_ids}]
    for region in ("us-east-1", "us-west-2"):
        ec2 = boto3_session(sandbox.endpoint_url, None, region).client("ec2")
        found += [
            a
            for a in ec2.describe_transit_gateway_attachments(Filters=mine)[
                "TransitGatewayAttachments"
            ]
            if a["State"] != "deleted"
        ]
        found += [
            t
            for t in ec2.describe_transit_gateways()["TransitGateways"]
            if t["TransitGatewayId"] in tgw_ids
        ]
    return found


@pytest.mark.parametrize("case", sorted(CASES))
def test_tgw_terraform_applies_replans_clean_and_destroys(
    sandbox: Sandbox, tmp_path: Path, case: str, record_property: Any
) -> None:
    shutil.copy(FIXTURES / case / "main.tf", tmp_path / "main.tf")
    env = terraform_env(sandbox, tmp_path)
    timings: dict[str, float] = {}
    completed, timings["init"] = terraform(tmp_path, env, "init")
    check(completed)
    completed, timings["apply"] = terraform(tmp_path, env, "apply", "-auto-approve")
    check(completed)
    completed, timings["plan"] = terraform(tmp_path, env, "plan", "-detailed-exitcode")
    check(completed, expected=0)  # 2 would be a perpetual diff
    completed, _ = terraform(tmp_path, env, "output", "-json")
    check(completed)
    ids = json.loads(completed.stdout)["ids"]["value"]
    result = read_network(
        ["us-east-1", "us-west-2"],
        endpoint_url=sandbox.endpoint_url,
        role_arns=[f"arn:aws:iam::{ACCOUNT_B}:role/x"],
    )
    CASES[case](result.network, ids)
    completed, timings["destroy"] = terraform(tmp_path, env, "destroy", "-auto-approve")
    check(completed)
    assert _left_behind(sandbox, [v for k, v in ids.items() if k.startswith("tgw")]) == []
    for step, seconds in timings.items():
        record_property(f"{step}_s", round(seconds, 1))
    print(case, "terraform timings (s):", {k: round(v, 1) for k, v in timings.items()})
