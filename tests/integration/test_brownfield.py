"""Connect VPCs that already exist (issue 18), on an estate made by Terraform that is not ours.

tests/fixtures/brownfield/estate (three VPCs from terraform-aws-modules/vpc, an API host, a
client host, a partner's host in a second account, nothing connecting them) is applied to
the sandbox by its own terraform. Then a spec of ``existing:`` VPCs goes ``up``, the client
and the partner reach the API through what vpcwire added (engine and real packets),
``down`` removes only that, and the estate's own ``terraform plan`` shows no change.

What we expect, written from the estate and AWS's rules before running vpcwire:

* a tag all of account A's estate VPCs carry (Estate=bf) matches two: exit 2, both listed;
* client -> api via peering: a route to 10.20.0.0/16 in each of bf-api's three tables that
  serve subnets (two private, one public), none in its main table (every subnet has its
  own), and to 10.10.0.0/16 in bf-client's two private tables;
* partner -> api: the partner's block is bf-api's (10.10.0.0/16), so PrivateLink, across
  accounts; the API host's group admits tcp/8080 from 10.20.0.0/16 only, so the NLB nodes
  (bf-api's private subnets) are blocked: reported by default, opened by two separate rule
  resources with ``existing_security_groups: add_rules``;
* after ``down``: the estate's tables and the group hold exactly what they held before, and
  its ``terraform plan`` has nothing to do.
"""

from __future__ import annotations

import re
import shutil
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from tests.helpers import write_spec
from tests.integration.conftest import ec2_as
from vpcwire.cli import app
from vpcwire.deploy.terraform import Terraform
from vpcwire.sandbox.background import SandboxInfo
from vpcwire.sandbox.clients import sandbox_env

pytestmark = [pytest.mark.integration, pytest.mark.slow]
runner = CliRunner()
TESTS = Path(__file__).parent.parent
ACCOUNT_A, ACCOUNT_B = "123456789012", "222222222222"  # the sandbox's caller; the partner

SPEC = """
name: bf-link
accounts:
  estate: {id: "123456789012"}
  partner: {id: "222222222222"}
vpcs:
  api: {account: estate, region: us-east-1, existing: {tags: {Name: bf-api}}}
  client: {account: estate, region: us-east-1, existing: {tags: {CLIENT_TAG}}}
  partner: {account: partner, region: us-east-1, existing: {id: PARTNER_ID}}
services:
  api:
    vpc: api
    port: 8080
    targets: {existing_instances: {tags: {Role: api}}}
connections:
  - {consumer: client, service: api, via: peering}
  - {consumer: partner, service: api}
existing_security_groups: MODE
"""


def _estate(tmp_path: Path, endpoint_url: str) -> Terraform:
    """The estate's own terraform, on a copy keeping the module's relative path."""
    root = tmp_path / "tests"
    shutil.copytree(TESTS / "fixtures" / "brownfield", root / "fixtures" / "brownfield")
    shutil.copytree(TESTS / "corpus" / "tam-vpc-v5", root / "corpus" / "tam-vpc-v5")
    return Terraform(root / "fixtures" / "brownfield" / "estate", sandbox_env(endpoint_url))


def _state(ec2: Any, vpc_id: str) -> dict[str, Any]:
    """Route tables (routes, associations) and groups (rules) of a VPC, comparable."""
    tables = ec2.describe_route_tables(Filters=[{"Name": "vpc-id", "Values": [vpc_id]}])
    groups = ec2.describe_security_groups(Filters=[{"Name": "vpc-id", "Values": [vpc_id]}])
    return {
        "tables": {
            t["RouteTableId"]: (
                sorted(
                    (
                        r.get("DestinationCidrBlock", ""),
                        r.get("GatewayId", ""),
                        r.get("VpcPeeringConnectionId", ""),
                    )
                    for r in t["Routes"]
                ),
                sorted((a.get("SubnetId", ""), a.get("Main", False)) for a in t["Associations"]),
            )
            for t in tables["RouteTables"]
        },
        "groups": {
            g["GroupId"]: (
                sorted(str(p) for p in g["IpPermissions"]),
                sorted(str(p) for p in g["IpPermissionsEgress"]),
            )
            for g in groups["SecurityGroups"]
        },
    }


def _vpc_id(ec2: Any, name: str) -> str:
    found = ec2.describe_vpcs(Filters=[{"Name": "tag:Name", "Values": [name]}])["Vpcs"]
    assert len(found) == 1, found
    return str(found[0]["VpcId"])


def test_connect_an_estate_made_by_terraform_and_leave_it_as_it_was(
    sandbox: SandboxInfo, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    estate = _estate(tmp_path, sandbox.endpoint_url)
    estate.init()
    estate.apply()
    ec2 = ec2_as(sandbox.endpoint_url, ACCOUNT_A, "us-east-1")
    partner_ec2 = ec2_as(sandbox.endpoint_url, ACCOUNT_B, "us-east-1")
    api, client = _vpc_id(ec2, "bf-api"), _vpc_id(ec2, "bf-client")
    partner = _vpc_id(partner_ec2, "bf-partner")
    before = {v: _state(ec2, v) for v in (api, client)} | {partner: _state(partner_ec2, partner)}
    monkeypatch.chdir(tmp_path)

    def spec(name: str, *, client_tag: str = "Name: bf-client", mode: str = "add_rules") -> Path:
        text = SPEC.replace("CLIENT_TAG", client_tag).replace("PARTNER_ID", partner)
        return write_spec(tmp_path, text.replace("MODE", mode), name)

    # a tag two VPCs carry: a located error listing what was found
    twin = runner.invoke(app, ["plan", str(spec("twin.yaml", client_tag="Estate: bf"))])
    assert twin.exit_code == 2, twin.stdout + twin.stderr
    assert (
        "twin.yaml:7:" in twin.stderr and "2 VPCs in account 123456789012 us-east-1" in twin.stderr
    )
    assert f"{api} Name=bf-api 10.10.0.0/16" in twin.stderr
    assert f"{client} Name=bf-client 10.20.0.0/16" in twin.stderr

    # by default, the blocking group is reported, with what it admits and the fix
    report = runner.invoke(app, ["plan", str(spec("report.yaml", mode="report"))])
    assert report.exit_code == 0, report.stdout + report.stderr
    sg = re.search(
        r"bf-api \((sg-[0-9a-f]+)\) of bf-api-host admits tcp/8080 only from 10\.20\.0\.0/16",
        report.stderr,
    )
    assert sg is not None, report.stderr
    assert f"add an ingress rule tcp/8080 from 10.10.1.0/24 to {sg[1]}" in report.stderr
    assert "connections[1] partner -> api: privatelink" in report.stdout
    assert "overlapping CIDRs (10.10.0.0/16 and 10.10.0.0/16)" in report.stdout

    # the module a team could call: the estate's ids are inputs, nothing of it is a resource
    link = spec("link.yaml")
    rendered = runner.invoke(app, ["render", str(link), "--out", str(tmp_path / "module")])
    assert rendered.exit_code == 0, rendered.stdout + rendered.stderr
    text = "".join(p.read_text() for p in (tmp_path / "module").glob("*.tf"))
    assert f'default     = "{api}"' in text and f'default     = "{partner}"' in text
    for kind in ("aws_vpc", "aws_subnet", "aws_route_table", "aws_instance", "aws_network_acl"):
        assert f'resource "{kind}" ' not in text
    # ... called from a team's own root, which passes one of the ids itself
    (tmp_path / "team").mkdir()
    (tmp_path / "team" / "main.tf").write_text(
        f'module "link" {{\n  source     = "../module"\n  api_vpc_id = "{api}"\n}}\n'
    )
    team = Terraform(tmp_path / "team", sandbox_env(sandbox.endpoint_url))
    team.init()
    assert team.validate() == []

    up = runner.invoke(app, ["up", str(link)])
    assert up.exit_code == 0, up.stdout + up.stderr
    assert "9 intents, 9 passed, 0 failed" in up.stdout
    assert "drift from the plan: none" in up.stdout
    assert (
        "9 intents sent, 9 packet results as intended, 9 where engine and packets agree"
        in up.stdout
    )
    assert "answered: vpcwire responder bf-api-host" in up.stdout

    during = _state(ec2, api)
    served = {
        rt: routes
        for rt, (routes, assocs) in during["tables"].items()
        if any(subnet for subnet, _ in assocs)
    }
    assert len(served) == 3
    assert all(
        any(d == "10.20.0.0/16" and pcx for d, _, pcx in routes) for routes in served.values()
    )
    main = [routes for rt, (routes, assocs) in during["tables"].items() if (("", True) in assocs)]
    assert main and not any(d == "10.20.0.0/16" for d, _, _ in main[0])
    client_routes = [r for r, a in _state(ec2, client)["tables"].values() if any(s for s, _ in a)]
    assert len(client_routes) == 2
    assert all(any(d == "10.10.0.0/16" and pcx for d, _, pcx in routes) for routes in client_routes)
    assert during["groups"][sg[1]] != before[api]["groups"][sg[1]]  # the two added rules

    again = runner.invoke(app, ["up", str(link), "--no-verify", "--no-packets"])
    assert again.exit_code == 0, again.stdout + again.stderr
    assert "no changes: stack bf-link on sandbox already matches the spec" in again.stdout

    down = runner.invoke(app, ["down", str(link)])
    assert down.exit_code == 0, down.stdout + down.stderr
    assert "the estate is as it was: 3 existing VPCs" in down.stdout
    after = {v: _state(ec2, v) for v in (api, client)} | {partner: _state(partner_ec2, partner)}
    assert after == before
    assert estate.plan_changes() == (0, [])
