"""The packet data plane as a user drives it: `up` ends with the probe, `probe`, `sandbox
exec`, breakage seen by both columns, and `down` leaving no namespace behind."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from typer.testing import CliRunner

from tests.conftest import EXAMPLES
from tests.helpers import write_spec
from tests.integration.conftest import ec2_as
from vpcwire.cli import app
from vpcwire.sandbox.background import SandboxInfo, resolve_state_dir
from vpcwire.sandbox.dataplane import sandbox_id
from vpcwire.sandbox.dataplane.system import list_namespaces

pytestmark = pytest.mark.integration
runner = CliRunner()

SPEC = """
name: packets
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
connections:
  - peers: [a, b]
    allow: [{protocol: tcp, ports: [22]}, {protocol: icmp}]
    dns_resolution: false
"""


def _probe(spec: Path) -> dict[str, dict[str, object]]:
    result = runner.invoke(app, ["probe", str(spec), "--json"])
    assert result.exit_code in (0, 1), result.stdout + result.stderr
    report = json.loads(result.stdout)
    return {r["key"]: r for r in report["results"]}


def test_up_probes_then_breakages_fail_both_columns_and_down_cleans_up(
    sandbox: SandboxInfo, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    spec = write_spec(tmp_path, SPEC)
    monkeypatch.chdir(tmp_path)
    prefix = f"vw{sandbox_id(resolve_state_dir())}-"
    try:
        up = runner.invoke(app, ["up", str(spec)])
        assert up.exit_code == 0, up.stdout + up.stderr
        assert "probe (packets on the sandbox data plane" in up.stdout
        assert "consumer a_client_1: " in up.stdout and "OK   ping 10.1." in up.stdout
        assert list_namespaces(prefix)

        key = "connections[0]: a_client_1 -> b_client_1 tcp/22"
        rows = _probe(spec)
        assert all(r["ok"] and r["agree"] for r in rows.values()), rows

        # up --json (nothing to change now) carries the probe and the consumer's answer
        again = runner.invoke(app, ["up", str(spec), "--json"])
        assert again.exit_code == 0, again.stdout + again.stderr
        document = json.loads(again.stdout)
        probed = document["packets"]
        assert probed["intents"] == len(rows) and probed["packets_ok"] == len(rows)
        by_key = {r["key"]: r for r in probed["results"]}
        assert set(by_key) == set(rows)
        assert set(by_key[key]) == set(rows[key])  # the rows of `probe --json`
        assert by_key[key]["packets"]["result"] == "reachable"
        answers = {c["instance"]: c["response"] for c in probed["consumers"]}
        assert "OK   ping 10.1." in answers["a_client_1"]  # a's client pings b
        assert rows[key]["engine"] == "reachable"
        assert rows[key]["packets"]["result"] == "reachable"  # type: ignore[index]

        # check --packets: the engine's trace and one real packet, for an open and a closed port
        base = ["check", "--target", "sandbox", "--from", "a_client_1", "--to", "b_client_1"]
        opened = runner.invoke(app, [*base, "--port", "22", "--packets", "--json"])
        assert opened.exit_code == 0, opened.stdout + opened.stderr
        answer = json.loads(opened.stdout)
        assert answer["reachable"] is True and answer["packets"]["result"] == "reachable"
        closed = runner.invoke(app, [*base, "--port", "5432", "--packets"])
        assert closed.exit_code == 1, closed.stdout + closed.stderr
        assert "packets: unreachable" in closed.stdout and "agrees with the engine" in closed.stdout
        _probe(spec)  # check --packets rebuilt the data plane from its own read; build it again

        # the command runs inside a_client_1's namespace, and its exit code comes back
        mine = "ip -4 -o addr show dev eth0 | grep -q 'inet 10.0.'"
        inside = runner.invoke(app, ["sandbox", "exec", "a_client_1", "--", "sh", "-c", mine])
        assert inside.exit_code == 0, inside.stdout + inside.stderr
        other = runner.invoke(app, ["sandbox", "exec", "b_client_1", "--", "sh", "-c", mine])
        assert other.exit_code == 1

        ec2 = ec2_as(sandbox.endpoint_url, "111111111111", "us-east-1")

        # 1. a route deleted: no return route, both columns unreachable
        tables = ec2.describe_route_tables(Filters=[{"Name": "tag:Name", "Values": ["b_private"]}])  # type: ignore[attr-defined]
        (table,) = tables["RouteTables"]
        ec2.delete_route(RouteTableId=table["RouteTableId"], DestinationCidrBlock="10.0.0.0/16")  # type: ignore[attr-defined]
        rows = _probe(spec)
        assert (rows[key]["engine"], rows[key]["packets"]["result"]) == (
            "unreachable",
            "unreachable",
        )  # type: ignore[index]
        pcx = next(
            r["VpcPeeringConnectionId"]
            for r in table["Routes"]
            if r.get("DestinationCidrBlock") == "10.0.0.0/16"
        )
        ec2.create_route(  # type: ignore[attr-defined]
            RouteTableId=table["RouteTableId"],
            DestinationCidrBlock="10.0.0.0/16",
            VpcPeeringConnectionId=pcx,
        )
        assert _probe(spec)[key]["packets"]["result"] == "reachable"  # type: ignore[index]

        # 2. a NACL deny added in front of b's subnet
        instance = ec2.describe_instances(Filters=[{"Name": "tag:Name", "Values": ["b_client_1"]}])  # type: ignore[attr-defined]
        subnet = instance["Reservations"][0]["Instances"][0]["SubnetId"]
        acl = ec2.describe_network_acls(
            Filters=[{"Name": "association.subnet-id", "Values": [subnet]}]
        )["NetworkAcls"][0]  # type: ignore[attr-defined]
        ec2.create_network_acl_entry(  # type: ignore[attr-defined]
            NetworkAclId=acl["NetworkAclId"],
            RuleNumber=1,
            Protocol="6",
            RuleAction="deny",
            Egress=False,
            CidrBlock="10.0.0.0/16",
            PortRange={"From": 22, "To": 22},
        )
        rows = _probe(spec)
        assert (rows[key]["engine"], rows[key]["packets"]["result"]) == (
            "unreachable",
            "unreachable",
        )  # type: ignore[index]
        ec2.delete_network_acl_entry(NetworkAclId=acl["NetworkAclId"], RuleNumber=1, Egress=False)  # type: ignore[attr-defined]

        # 3. the SG rule that admits a removed from b's groups
        groups = instance["Reservations"][0]["Instances"][0]["SecurityGroups"]
        for group in groups:
            sg = ec2.describe_security_groups(GroupIds=[group["GroupId"]])["SecurityGroups"][0]  # type: ignore[attr-defined]
            if sg["IpPermissions"]:
                ec2.revoke_security_group_ingress(
                    GroupId=sg["GroupId"], IpPermissions=sg["IpPermissions"]
                )  # type: ignore[attr-defined]
        rows = _probe(spec)
        assert (rows[key]["engine"], rows[key]["packets"]["result"]) == (
            "unreachable",
            "unreachable",
        )  # type: ignore[index]
        probe = runner.invoke(app, ["probe", str(spec)])
        assert probe.exit_code == 1

        down = runner.invoke(app, ["down", str(spec)])
        assert down.exit_code == 0, down.stdout + down.stderr
        assert "packet data plane removed" in down.stdout
        assert list_namespaces(prefix) == []
    finally:
        runner.invoke(app, ["down", str(spec)])


FETCH = (
    "import sys, urllib.request\n"
    "answer = urllib.request.urlopen(sys.argv[1], timeout=5).read().decode()\n"
    "open(sys.argv[2], 'w').write(answer)\n"
)


def test_the_readme_architecture_answers_through_the_outpost_endpoint(
    sandbox: SandboxInfo, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The README's first command and its packets sequence as a test: `up` of the reference
    architecture prints the consumer's real HTTP answer from the API (through the interface
    endpoint, the outpost NLB and the inter-region peering) and a probe whose endpoint row
    shows the API's JSON; `probe` (twice) and `check --packets` rebuild the data plane and
    still meet the real API, not a responder; `sandbox exec` then fetches the API by the
    endpoint's DNS name; `down` leaves no namespace, and `probe` then says the stack is
    not deployed."""
    monkeypatch.chdir(tmp_path)
    spec = EXAMPLES / "inter-region-privatelink.yaml"
    prefix = f"vw{sandbox_id(resolve_state_dir())}-"
    try:
        up = runner.invoke(app, ["up", str(spec)])
        assert up.exit_code == 0, up.stdout + up.stderr
        lines = up.stdout.splitlines()
        consumer = next(line for line in lines if line.startswith("consumer consumer_client_1: "))
        assert " OK   api tcp " in consumer and '"service": "api"' in consumer, consumer
        row = next(
            line
            for line in lines
            if "consumer_client_1 -> consumer_api tcp/8080" in line and "connected" in line
        )
        assert 'connected, answered: {"service": "api"' in row, row
        assert "6 intents sent, 6 packet results as intended, 6 where engine and packets agree" in (
            up.stdout
        )

        match = re.search(r"(vpce-\S+\.us-west-2\.vpce\.amazonaws\.com):8080", consumer)
        assert match, consumer

        # A rebuild of the data plane once killed the workload `up` started: the rows then
        # read "vpcwire responder api_1" and `sandbox exec … curl` was refused.
        key = "connections[0]: consumer_client_1 -> consumer_api tcp/8080"
        for _ in range(2):
            rows = _probe(spec)
            assert all(r["ok"] and r["agree"] for r in rows.values()), rows
            detail = rows[key]["packets"]["detail"]  # type: ignore[index]
            assert detail.startswith('connected, answered: {"service": "api"'), detail
        check = runner.invoke(
            app,
            [
                *("check", "--sandbox", "--from", "consumer_client_1", "--to", "consumer_api"),
                *("--port", "8080", "--regions", "us-east-1,us-west-2", "--packets", "--json"),
            ],
        )
        assert check.exit_code == 0, check.stdout + check.stderr
        checked = json.loads(check.stdout)
        assert checked["reachable"] is True and checked["packets"]["result"] == "reachable"
        assert '"service": "api"' in checked["packets"]["detail"], checked["packets"]
        answer_file = tmp_path / "answer.json"
        url = f"http://{match[1]}:8080/"
        fetched = runner.invoke(
            app,
            [
                "sandbox",
                "exec",
                "consumer_client_1",
                "--",
                "python3",
                "-c",
                FETCH,
                url,
                str(answer_file),
            ],
        )
        assert fetched.exit_code == 0, fetched.stdout + fetched.stderr
        answer = json.loads(answer_file.read_text())
        assert answer["service"] == "api" and answer["port"] == 8080
        assert answer["private_ip"].startswith("10.0.")  # a provider instance in us-east-1

        down = runner.invoke(app, ["down", str(spec)])
        assert down.exit_code == 0, down.stdout + down.stderr
        assert list_namespaces(prefix) == []

        gone = runner.invoke(app, ["probe", str(spec)])
        assert gone.exit_code == 3, gone.stdout + gone.stderr
        assert (
            "stack inter-region-privatelink is not deployed on sandbox: run vpcwire up"
            in gone.stderr
        )
        assert "unknown source" not in gone.stdout + gone.stderr
        assert list_namespaces(prefix) == []
    finally:
        runner.invoke(app, ["down", str(spec)])
