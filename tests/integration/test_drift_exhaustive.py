"""Drift found by the exhaustive proof (issue 21): after `up`, security group rules, a
peering and routes added with boto3 behind vpcwire's back open flows the spec never asked
for; `verify --live --exhaustive` lists them as UNINTENDED, naming those resources, and
exits 1; once they are removed again it proves the network clean and exits 0.

Expected before running it, from AWS's rules alone: a peering carries nothing until both
route tables send the other's CIDR over it and both security groups admit the traffic
(egress at the sender, ingress at the receiver); the spec's connections admit tcp/22 between
a and b and between b and c (a and c are not connected), so tcp/3306 from a to b and
tcp/5432 from a to c are new, and nothing else.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from tests.helpers import write_spec
from tests.integration.conftest import ec2_as
from vpcwire.cli import app
from vpcwire.sandbox.background import SandboxInfo

pytestmark = [pytest.mark.integration, pytest.mark.slow]
runner = CliRunner()

SPEC = """
name: drift
accounts:
  main: {id: "111111111111"}
vpcs:
  a:
    region: us-east-1
    cidr: 10.0.0.0/16
    azs: [us-east-1a]
  b:
    region: us-east-1
    cidr: 10.1.0.0/16
    azs: [us-east-1a]
  c:
    region: us-east-1
    cidr: 10.2.0.0/16
    azs: [us-east-1a]
connections:
  - peers: [a, b]
    allow: [{protocol: tcp, ports: [22]}]
    dns_resolution: false
  - peers: [b, c]
    allow: [{protocol: tcp, ports: [22]}]
    dns_resolution: false
"""


def _one(items: list[dict[str, Any]], what: str) -> dict[str, Any]:
    assert len(items) == 1, f"{what}: {items}"
    return items[0]


def _by_name(ec2: Any, call: str, key: str, name: str) -> dict[str, Any]:
    found = getattr(ec2, call)(Filters=[{"Name": "tag:Name", "Values": [name]}])[key]
    return _one(found, name)


def _rule(protocol: str, port: int, cidr: str) -> list[dict[str, Any]]:
    return [
        {"IpProtocol": protocol, "FromPort": port, "ToPort": port, "IpRanges": [{"CidrIp": cidr}]}
    ]


def _unintended(stdout: str) -> str:
    """The UNINTENDED lines with their "opened by" lines."""
    lines = stdout.splitlines()
    out = []
    for n, line in enumerate(lines):
        if line.strip().startswith("UNINTENDED:"):
            out.append(line)
            if n + 1 < len(lines) and "opened by:" in lines[n + 1]:
                out.append(lines[n + 1])
    return "\n".join(out)


def test_rules_a_peering_and_routes_added_out_of_band_are_unintended(
    sandbox: SandboxInfo, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    spec = write_spec(tmp_path, SPEC)
    monkeypatch.chdir(tmp_path)
    up = runner.invoke(app, ["up", str(spec)])
    assert up.exit_code == 0, up.stdout + up.stderr
    clean = runner.invoke(app, ["verify", str(spec), "--live", "--exhaustive"])
    assert clean.exit_code == 0, clean.stdout + clean.stderr
    assert "open flow classes, all intended" in clean.stdout

    ec2: Any = ec2_as(sandbox.endpoint_url, "111111111111", "us-east-1")
    vpc = {n: _by_name(ec2, "describe_vpcs", "Vpcs", n)["VpcId"] for n in "abc"}
    sg = {
        n: _by_name(ec2, "describe_security_groups", "SecurityGroups", f"{n}_workload")["GroupId"]
        for n in "abc"
    }
    table = {
        n: _by_name(ec2, "describe_route_tables", "RouteTables", f"{n}_private")["RouteTableId"]
        for n in "ac"
    }
    # 1. two security group rules: tcp/3306 from a to b over the spec's own peering
    added = [
        (ec2.authorize_security_group_egress, sg["a"], _rule("tcp", 3306, "10.1.0.0/16")),
        (ec2.authorize_security_group_ingress, sg["b"], _rule("tcp", 3306, "10.0.0.0/16")),
        # 2. a peering of a with c, its routes, and the rules for tcp/5432 from a to c
        (ec2.authorize_security_group_egress, sg["a"], _rule("tcp", 5432, "10.2.0.0/16")),
        (ec2.authorize_security_group_ingress, sg["c"], _rule("tcp", 5432, "10.0.0.0/16")),
    ]
    for call, group, permissions in added:
        call(GroupId=group, IpPermissions=permissions)
    pcx = ec2.create_vpc_peering_connection(VpcId=vpc["a"], PeerVpcId=vpc["c"])[
        "VpcPeeringConnection"
    ]["VpcPeeringConnectionId"]
    ec2.accept_vpc_peering_connection(VpcPeeringConnectionId=pcx)
    routes = [(table["a"], "10.2.0.0/16"), (table["c"], "10.0.0.0/16")]
    for rtb, cidr in routes:
        ec2.create_route(RouteTableId=rtb, DestinationCidrBlock=cidr, VpcPeeringConnectionId=pcx)

    drifted = runner.invoke(app, ["verify", str(spec), "--live", "--exhaustive"])
    assert drifted.exit_code == 1, drifted.stdout + drifted.stderr
    found = _unintended(drifted.stdout)
    assert "tcp/3306" in found and "tcp/5432" in found, drifted.stdout
    assert "tcp/22" not in found, drifted.stdout  # what the spec asks stays intended
    # the resources that open them, by their AWS ids: both groups' new rules, the peering,
    # and the route that sends a's packets over it
    assert f"{sg['a']} (tcp/3306 10.1.0.0/16)" in found, found
    assert f"{sg['b']} (tcp/3306 10.0.0.0/16)" in found, found
    assert f"{sg['c']} (tcp/5432 10.0.0.0/16)" in found, found
    assert f"via peering {pcx}" in found and f"{pcx}," in found, found
    assert f"{table['a']} (10.2.0.0/16 via {pcx})" in found, found
    assert "result: 2 of 6 open flow classes UNINTENDED" in drifted.stdout, drifted.stdout

    # removed again: proved clean
    for call, group, permissions in added:
        revoke = call.__name__.replace("authorize", "revoke")
        getattr(ec2, revoke)(GroupId=group, IpPermissions=permissions)
    for rtb, cidr in routes:
        ec2.delete_route(RouteTableId=rtb, DestinationCidrBlock=cidr)
    ec2.delete_vpc_peering_connection(VpcPeeringConnectionId=pcx)
    again = runner.invoke(app, ["verify", str(spec), "--live", "--exhaustive"])
    assert again.exit_code == 0, again.stdout + again.stderr
    assert "UNINTENDED" not in again.stdout

    down = runner.invoke(app, ["down", str(spec)])
    assert down.exit_code == 0, down.stdout + down.stderr
