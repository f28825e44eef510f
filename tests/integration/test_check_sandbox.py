"""`vpcwire check` end to end: networks built with boto3 in the sandbox, read back, traced.

boto3 → the embedded sandbox (moto, patched to answer like AWS) → the live reader → the
reachability engine → the CLI. Each test asks `vpcwire check` the way a user would
(``--endpoint-url``, ``--assume-role`` per account, ``--regions``) and asserts the exit
code, the reason codes of ``--json``, and, for every flow that is blocked, that the
printed trace names the blocking resource and says how to fix it.

Isolation: the sandbox runs in this process and moto's state is shared by every test of
this worker, so each network lives in accounts of its own (``Aws.new``) and the caller's
own account (always read by `check`) is an empty one. Worlds that several tests only read
are built once per module; a test that changes its network builds its own.
"""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from types import SimpleNamespace
from typing import Any

import boto3
import botocore.loaders
import botocore.session
import pytest
from typer.testing import CliRunner, Result

import vpcwire.read.reader
from tests.integration.check_world import (
    Acls,
    Chain,
    Groups,
    PrivateLink,
    Region,
    Routes,
    acls,
    chain,
    groups,
    pair,
    permission,
    privatelink,
    routes,
)
from tests.read.helpers import Aws
from vpcwire.cli import app
from vpcwire.sandbox.server import Sandbox

# one worker builds the module's sandbox and worlds once (README: Development)
pytestmark = [pytest.mark.integration, pytest.mark.xdist_group("check_sandbox")]

runner = CliRunner()
EAST, WEST = "us-east-1", "us-west-2"


# -- the sandbox, the caller, and asking `check` ------------------------------------------------


@pytest.fixture(scope="module")
def url() -> Iterator[str]:
    with Sandbox() as sandbox:
        yield sandbox.endpoint_url


@pytest.fixture(scope="module")
def nobody(url: str) -> Aws:
    """The caller's own account: empty, so that only the --assume-role accounts matter."""
    return Aws.new(url)


@pytest.fixture(scope="module")
def models() -> botocore.loaders.Loader:
    return botocore.loaders.create_loader()


@pytest.fixture(autouse=True)
def _caller(nobody: Aws, models: botocore.loaders.Loader, monkeypatch: pytest.MonkeyPatch) -> None:
    """`check` signs as the caller: nobody's keys, and no profile or endpoint from outside.

    Every `check` makes a new boto3 Session, which parses the EC2 service model again
    (about a third of a check's time here). In this process the reader's Sessions share
    one botocore loader instead; credentials, endpoint and clients are made as usual. The
    entry-point test runs `python -m vpcwire` unchanged."""
    for var in [v for v in os.environ if v.startswith("AWS_")]:
        monkeypatch.delenv(var)
    for key, value in nobody.keys.items():
        monkeypatch.setenv(key.upper(), value)
    monkeypatch.setenv("AWS_CONFIG_FILE", os.devnull)
    monkeypatch.setenv("AWS_SHARED_CREDENTIALS_FILE", os.devnull)
    monkeypatch.setenv("AWS_EC2_METADATA_DISABLED", "true")

    def session(**kwargs: Any) -> boto3.Session:
        core = botocore.session.Session()
        core.register_component("data_loader", models)
        return boto3.Session(botocore_session=core, **kwargs)

    monkeypatch.setattr(vpcwire.read.reader, "boto3", SimpleNamespace(Session=session))


@pytest.fixture
def fresh(url: str) -> Callable[[], Aws]:
    """Make a new account of this test's own."""
    return lambda: Aws.new(url)


@dataclass(frozen=True)
class Printed:
    """One block of the printed trace: ``N. REASON at LABEL``, its detail and its fix."""

    reason: str
    label: str
    detail: str
    fix: str


@dataclass(frozen=True)
class Verdict:
    """What `check` answered: exit code, the --json document and (when blocked) the text."""

    exit_code: int
    data: dict[str, Any]
    text: str = ""

    @property
    def reasons(self) -> list[str]:
        return list(self.data["reasons"])

    @property
    def blocks(self) -> list[dict[str, Any]]:
        return list(self.data["trace"]["blocks"])

    @property
    def hop_kinds(self) -> list[str]:
        return [hop["kind"] for hop in self.data["trace"]["hops"]]

    def steps(self, action: str) -> list[dict[str, Any]]:
        return [
            step
            for hop in self.data["trace"]["hops"]
            for step in hop["steps"]
            if step["action"] == action
        ]

    def printed(self) -> list[Printed]:
        lines = self.text.splitlines()
        found = []
        for n, line in enumerate(lines):
            match = re.match(r"  \d+\. ([A-Z_]+) at (.+)$", line)
            if match and n + 2 < len(lines) and lines[n + 2].startswith("     fix: "):
                found.append(
                    Printed(
                        match[1],
                        match[2],
                        lines[n + 1].strip(),
                        lines[n + 2].removeprefix("     fix: "),
                    )
                )
        return found

    def __str__(self) -> str:
        return self.text or json.dumps(self.data, indent=1)


@dataclass(frozen=True)
class Estate:
    """The accounts and regions `check` is told to read."""

    url: str
    accounts: tuple[Aws, ...]
    regions: tuple[str, ...] = (EAST,)

    def args(self, source: str, destination: str, port: int, protocol: str = "tcp") -> list[str]:
        return [
            "check",
            "--from",
            source,
            "--to",
            destination,
            "--port",
            str(port),
            "--protocol",
            protocol,
            "--regions",
            ",".join(self.regions),
            "--endpoint-url",
            self.url,
            "--assume-role",
            ",".join(a.role for a in self.accounts),
        ]

    def run(self, *args: str) -> Result:
        result = runner.invoke(app, list(args))
        assert "Traceback" not in result.stdout + result.stderr, result.stdout + result.stderr
        return result

    def check(self, source: str, destination: str, port: int, protocol: str = "tcp") -> Verdict:
        """Ask with --json; when the flow is not reachable, ask again for the printed trace."""
        args = self.args(source, destination, port, protocol)
        answer = self.run(*args, "--json")
        assert answer.exit_code in (0, 1), answer.stdout + answer.stderr
        data = json.loads(answer.stdout)
        assert (answer.exit_code == 0) is data["reachable"], data
        if data["reachable"]:
            return Verdict(answer.exit_code, data)
        printed = self.run(*args)
        assert printed.exit_code == answer.exit_code
        return Verdict(answer.exit_code, data, printed.stdout)


def assert_reachable(verdict: Verdict) -> None:
    assert verdict.exit_code == 0, verdict
    assert verdict.data["disposition"] == "REACHABLE", verdict
    assert verdict.reasons == [] and verdict.blocks == [], verdict


def assert_blocked(
    verdict: Verdict, reasons: list[str], *, at: str, fix: str, reason: str | None = None
) -> Printed:
    """Exit 1 with exactly ``reasons``; the printed trace blames ``at`` (an id) for
    ``reason`` (default: the first) with a fix that says ``fix``. Returns that block."""
    assert verdict.exit_code == 1, verdict
    assert verdict.reasons == reasons, verdict
    wanted = reason or reasons[0]
    assert any(b["reason"] == wanted and b["resource"] == at for b in verdict.blocks), verdict
    for block in verdict.printed():
        if block.reason == wanted and block.label.split(" ")[0] == at and fix in block.fix:
            return block
    raise AssertionError(f"no printed {wanted} at {at} with fix {fix!r}:\n{verdict}")


# -- shared worlds (read only) ------------------------------------------------------------------


@pytest.fixture(scope="module")
def chained(url: str) -> tuple[Estate, Chain]:
    aws = Aws.new(url)
    return Estate(url, (aws,)), chain(Region(aws))


@pytest.fixture(scope="module")
def grouped(url: str) -> tuple[Estate, Groups]:
    aws = Aws.new(url)
    return Estate(url, (aws,)), groups(Region(aws))


@pytest.fixture(scope="module")
def acled(url: str) -> tuple[Estate, Acls]:
    aws = Aws.new(url)
    return Estate(url, (aws,)), acls(Region(aws))


@pytest.fixture(scope="module")
def routed(url: str) -> tuple[Estate, Routes]:
    aws = Aws.new(url)
    return Estate(url, (aws,)), routes(Region(aws))


@pytest.fixture(scope="module")
def linked(url: str) -> tuple[Estate, PrivateLink]:
    aws = Aws.new(url)
    return Estate(url, (aws,)), privatelink(Region(aws))


# -- 1. VPC peering in one region ----------------------------------------------------------------


def test_peering_reaches_over_routes_both_ways_and_needs_the_return_route(
    url: str, fresh: Callable[[], Aws]
) -> None:
    aws = fresh()
    r, estate = Region(aws), Estate(url, (aws,))
    p = pair(r)
    ok = estate.check("client", "server", 443)
    assert_reachable(ok)
    assert ok.hop_kinds.count("peering connection") == 2  # there and back
    assert all(s["detail"].endswith("is active") for s in ok.steps("peering status"))

    r.unroute(p.b.main_rt, "10.10.0.0/16")
    assert_blocked(
        estate.check("client", "server", 443),
        ["NO_RETURN_ROUTE"],
        at=p.b.main_rt,
        fix=f"add a route to 10.10.0.0/16 via {p.pcx} (a-b) in {p.b.main_rt}",
    )


def test_peering_carries_nothing_until_accepted(url: str, fresh: Callable[[], Aws]) -> None:
    aws = fresh()
    r, estate = Region(aws), Estate(url, (aws,))
    p = pair(r, accept=False)
    assert r.peering_status(p.pcx) == "pending-acceptance"
    # moto keeps routes to a pending peering active (AWS too, until it is accepted):
    # only the peering's own status says that nothing passes.
    assert_blocked(
        estate.check("client", "server", 443),
        ["PEERING_NOT_ACTIVE"],
        at=p.pcx,
        fix=f"accept {p.pcx} (a-b) in account {aws.account} ({EAST})",
    )
    r.accept(p.pcx)
    assert_reachable(estate.check("client", "server", 443))


@pytest.mark.parametrize(
    ("b_cidr", "b_secondary", "server_ip", "reasons"),
    [
        # b = a: the local route keeps the packet in a; the peering is never even used
        ("10.10.0.0/16", (), "10.10.2.10", ["PEERING_OVERLAP"]),
        # only b's secondary block overlaps a: the route leads to a failed peering
        (
            "10.20.0.0/16",
            ("10.10.128.0/17",),
            "10.20.1.10",
            ["PEERING_NOT_ACTIVE", "PEERING_OVERLAP"],
        ),
    ],
    ids=["primary-blocks", "secondary-block"],
)
def test_overlapping_vpcs_cannot_peer(
    url: str,
    fresh: Callable[[], Aws],
    b_cidr: str,
    b_secondary: tuple[str, ...],
    server_ip: str,
    reasons: list[str],
) -> None:
    aws = fresh()
    r, estate = Region(aws), Estate(url, (aws,))
    # with identical primary blocks there is no route to make: b's CIDR is a's own
    p = pair(
        r,
        b_cidr=b_cidr,
        b_secondary=b_secondary,
        server_ip=server_ip,
        accept=False,
        routes=bool(b_secondary),
    )
    assert r.peering_status(p.pcx) == "failed"  # the sandbox fails it, as AWS does
    verdict = estate.check("client", "server", 443)
    assert_blocked(
        verdict,
        reasons,
        at=p.pcx,
        fix="so that their CIDRs do not overlap",
        reason="PEERING_OVERLAP",
    )
    if "PEERING_NOT_ACTIVE" in reasons:
        assert_blocked(verdict, reasons, at=p.pcx, fix="re-create the peering between")


def test_a_peer_vpcs_security_group_can_be_referenced_over_same_region_peering(
    chained: tuple[Estate, Chain],
) -> None:
    estate, w = chained
    ok = estate.check("client", "peer-ref", 443)
    assert_reachable(ok)
    assert any(w.peer_ref_sg in s["detail"] for s in ok.steps("security group ingress"))
    assert_blocked(
        estate.check("other-client", "peer-ref", 443),
        ["SG_INGRESS_DENIED"],
        at=w.peer_ref_sg,
        fix=f"in {w.peer_ref_sg} (peer-ref) ingress",
    )


# -- 2. never transitive, no edge-to-edge routing -------------------------------------------------


def test_peering_is_never_transitive(chained: tuple[Estate, Chain]) -> None:
    estate, w = chained
    assert_reachable(estate.check("client", "middle", 443))
    assert_reachable(estate.check("middle", "far", 443))
    for destination in ("far", "10.30.1.10"):
        blocked = assert_blocked(
            estate.check("client", destination, 443),
            ["NOT_TRANSITIVE"],
            at=w.ab,
            fix=f"peer {w.a.id} with {w.c.id} directly and route 10.30.0.0/16 via that peering",
        )
        assert "VPC peering is not transitive" in blocked.detail


def test_a_peers_internet_gateway_is_never_used(chained: tuple[Estate, Chain]) -> None:
    estate, w = chained
    blocked = assert_blocked(
        estate.check("client", "8.8.8.8", 443),
        ["EDGE_TO_EDGE"],
        at=w.ab,
        fix=f"give {w.a.id} its own way to 8.8.8.8 (its own internet gateway)",
    )
    assert w.igw in blocked.detail


# -- 3. security groups ---------------------------------------------------------------------------


def test_security_groups_are_stateful_and_referenced_groups_work_in_one_vpc(
    grouped: tuple[Estate, Groups],
) -> None:
    estate, w = grouped
    ok = estate.check("client", "server", 443)  # server admits members of client's group
    assert_reachable(ok)
    assert any(
        "rule tcp/443 " + w.client in s["detail"] for s in ok.steps("security group ingress")
    )
    # client's group has no inbound rule at all: the reply passes because groups are stateful
    stateful = [s for s in ok.steps("security group") if s["detail"].startswith("stateful")]
    assert len(stateful) == 2  # leaving the server, entering the client
    # ...while a new connection towards the client is refused
    assert_blocked(
        estate.check("server", "client", 443),
        ["SG_INGRESS_DENIED"],
        at=w.client,
        fix=f"in {w.client} (client) ingress",
    )
    assert_blocked(
        estate.check("outsider", "server", 443),
        ["SG_INGRESS_DENIED"],
        at=w.server,
        fix=f"in {w.server} (server) ingress",
    )


def test_missing_ingress_rule(grouped: tuple[Estate, Groups]) -> None:
    estate, w = grouped
    assert_blocked(
        estate.check("client", "closed", 443),
        ["SG_INGRESS_DENIED"],
        at=w.closed,
        fix=f"allow tcp/443 from 10.40.0.0/16 in {w.closed} (closed) ingress",
    )


def test_missing_egress_rule(grouped: tuple[Estate, Groups]) -> None:
    estate, w = grouped
    assert_reachable(estate.check("client", "open", 443))
    assert_blocked(
        estate.check("mute", "open", 443),
        ["SG_EGRESS_DENIED"],
        at=w.mute,
        fix=f"allow tcp/443 to 10.40.0.0/16 in {w.mute} (mute) egress",
    )


def test_prefix_list_rule(grouped: tuple[Estate, Groups]) -> None:
    estate, w = grouped
    ok = estate.check("corp", "corp-server", 443)
    assert_reachable(ok)
    assert any(w.prefix_list in s["detail"] for s in ok.steps("security group ingress"))
    assert_blocked(
        estate.check("client", "corp-server", 443),
        ["SG_INGRESS_DENIED"],
        at=w.corp_only,
        fix=f"in {w.corp_only} (corp-only) ingress",
    )


# -- 4. network ACLs ------------------------------------------------------------------------------


def test_custom_network_acl_denies_by_default(acled: tuple[Estate, Acls]) -> None:
    estate, w = acled
    verdict = estate.check("client", "sealed", 443)
    going = assert_blocked(
        verdict,
        ["NACL_INGRESS_DENIED", "NACL_EGRESS_DENIED"],
        at=w.sealed,
        fix="add an inbound rule allowing tcp/443",
    )
    back = assert_blocked(
        verdict,
        ["NACL_INGRESS_DENIED", "NACL_EGRESS_DENIED"],
        at=w.sealed,
        fix="add an outbound rule allowing tcp/1024-65535",
        reason="NACL_EGRESS_DENIED",
    )
    assert "rule 32767 denies" in going.detail and "rule 32767 denies" in back.detail


def test_network_acls_are_stateless_the_reply_needs_ephemeral_ports(
    acled: tuple[Estate, Acls],
) -> None:
    estate, w = acled
    # the server's subnet lets 443 in but nothing out: the reply dies leaving the server
    back = assert_blocked(
        estate.check("client", "one-way", 443),
        ["NACL_EGRESS_DENIED"],
        at=w.one_way,
        fix=(
            "add an outbound rule allowing tcp/1024-65535 (the replies to tcp/443) to "
            f"10.50.0.0/16 to {w.one_way} (one-way), numbered below 32767"
        ),
    )
    assert "reply to tcp/443, an ephemeral port" in back.detail
    # the client's subnet lets 443 out but nothing in: the reply dies entering the client
    into = assert_blocked(
        estate.check("locked-client", "open", 443),
        ["NACL_INGRESS_DENIED"],
        at=w.locked,
        fix="add an inbound rule allowing",
    )
    assert "reply to tcp/443" in into.detail


def test_network_acl_rules_apply_in_rule_number_order(acled: tuple[Estate, Acls]) -> None:
    estate, w = acled
    denied = assert_blocked(
        estate.check("client", "ordered", 22),  # 90 deny client/32 before 100 allow subnet
        ["NACL_INGRESS_DENIED"],
        at=w.ordered,
        fix="numbered below 90",
    )
    assert "rule 90 denies tcp/22" in denied.detail
    assert_reachable(estate.check("neighbour", "ordered", 22))  # the deny is for client only
    allowed = estate.check("client", "ordered", 8080)  # 80 allow before 120 deny
    assert_reachable(allowed)
    assert any(
        "rule 80 allows tcp/8080" in s["detail"] for s in allowed.steps("network ACL ingress")
    )


# -- 5. route selection ---------------------------------------------------------------------------


def test_the_longest_prefix_wins(routed: tuple[Estate, Routes]) -> None:
    estate, w = routed
    # main table: 10.20.0.0/16 via a-b beats the broader 10.0.0.0/8 via a-c
    ok = estate.check("main-client", "server", 443)
    assert_reachable(ok)
    assert ok.steps("route")[0]["matched"] == f"10.20.0.0/16 via {w.ab}"
    # a-detour: the more specific 10.20.1.0/24 via a-c wins, and c drops the packet
    verdict = estate.check("detour-client", "server", 443)
    assert verdict.steps("route")[0]["matched"] == f"10.20.1.0/24 via {w.ac}"
    assert_blocked(
        verdict, ["NOT_IN_PEER_VPC"], at=w.ac, fix=f"add a route to 10.20.0.0/16 via {w.ab}"
    )


def test_an_explicit_association_beats_the_main_table(routed: tuple[Estate, Routes]) -> None:
    estate, w = routed
    verdict = estate.check("isolated-client", "server", 443)
    assert_blocked(
        verdict,
        ["NO_ROUTE"],
        at=w.isolated,
        fix=f"add a route to 10.20.0.0/16 via {w.ab} (a-b) in {w.isolated} (a-isolated)",
    )
    decided_by = {s["resource"] for s in verdict.steps("route")}
    assert w.isolated in decided_by and w.a.main_rt not in decided_by


# -- 6. PrivateLink in one region -----------------------------------------------------------------


def test_privatelink_reaches_the_target_through_endpoint_service_and_nlb(
    linked: tuple[Estate, PrivateLink],
) -> None:
    estate, w = linked
    ok = estate.check("client", "svc-endpoint", 443)
    assert_reachable(ok)
    for kind in (
        "endpoint interface",
        "interface endpoint",
        "endpoint service",
        "network load balancer",
        "target group",
        "load balancer node",
    ):
        assert kind in ok.hop_kinds
    # the target is admitted from the NLB's own address (client IPs are not preserved)
    ingress = [s["detail"] for s in ok.steps("security group ingress")]
    assert any(f"from {address} " in d for d in ingress for address in w.node_addresses)
    # the endpoint's address is as good as its name
    regional = Region(estate.accounts[0])
    assert_reachable(estate.check("client", regional.endpoint_address(w.endpoint), 443))


def test_privatelink_needs_a_listener_for_the_port_and_protocol(
    linked: tuple[Estate, PrivateLink],
) -> None:
    estate, w = linked
    for port, protocol in ((80, "tcp"), (443, "udp")):
        assert_blocked(
            estate.check("client", "svc-endpoint", port, protocol),
            ["NO_LISTENER"],
            at=w.lb,
            fix=f"add a {protocol.upper()} listener on port {port} to {w.lb}",
        )


def test_privatelink_never_carries_icmp(linked: tuple[Estate, PrivateLink]) -> None:
    estate, w = linked
    assert_blocked(
        estate.check("client", "svc-endpoint", 8, "icmp"),
        ["PROTOCOL_NOT_SUPPORTED"],
        at=w.endpoint,
        fix="test with tcp or udp to a listener port",
    )


def test_the_endpoint_security_group_must_admit_the_client(
    linked: tuple[Estate, PrivateLink],
) -> None:
    estate, w = linked
    assert_blocked(
        estate.check("stranger", "svc-endpoint", 443),
        ["SG_INGRESS_DENIED"],
        at=w.endpoint_sg,
        fix=f"in {w.endpoint_sg} (endpoint-sg) ingress",
    )
    # created without a group, an endpoint gets the VPC's default group: members only
    assert_blocked(
        estate.check("client", "bare-endpoint", 443),
        ["SG_INGRESS_DENIED"],
        at=w.consumer.default_sg,
        fix=f"in {w.consumer.default_sg} (consumer_default) ingress",
    )


def test_targets_must_admit_the_nlb_not_the_consumer(linked: tuple[Estate, PrivateLink]) -> None:
    estate, w = linked
    blocked = assert_blocked(
        estate.check("client", "svc-endpoint", 8443),
        ["SG_INGRESS_DENIED"],
        at=w.wrong_targets_sg,
        fix=f"allow tcp/8443 from 10.60.0.0/16 in {w.wrong_targets_sg} (wrong-targets) ingress",
    )
    assert any(blocked.detail.endswith(f"from {a}") for a in w.node_addresses), blocked


def test_privatelink_is_one_way(linked: tuple[Estate, PrivateLink]) -> None:
    estate, w = linked
    assert_blocked(
        estate.check("target", "client", 443),
        ["ENDPOINT_ONE_WAY", "NO_ROUTE", "SG_INGRESS_DENIED", "NO_RETURN_ROUTE"],
        at=w.endpoint,
        fix=f"publish an endpoint service from {w.consumer.id} that {w.provider.id} consumes",
    )


def test_endpoint_waits_for_acceptance_and_the_owner_needs_no_principal(
    url: str, fresh: Callable[[], Aws]
) -> None:
    """The service allows no principal at all: its own account may still connect (AWS and
    the sandbox both let the owner in), so acceptance is the only thing missing."""
    aws = fresh()
    r, estate = Region(aws), Estate(url, (aws,))
    p = r.vpc("provider", "10.90.0.0/16")
    p1 = r.subnet(p, "10.90.1.0/24", "prov-a")
    lb = r.nlb("svc", p1)
    app_sg = r.security_group(p, "app", [permission(443, cidr="10.90.0.0/16")])
    r.instance(p1, "app", "10.90.1.10", app_sg)
    r.forward(lb, p, "app-443", 443, "10.90.1.10")
    service_id, service_name = r.service(lb, "svc", acceptance=True)
    c = r.vpc("consumer", "10.91.0.0/16")
    c1 = r.subnet(c, "10.91.1.0/24", "cons-a")
    ep_sg = r.security_group(c, "ep", [permission(443, cidr="10.91.0.0/16")])
    endpoint = r.endpoint(c, service_name, "svc-endpoint", c1, ep_sg)
    r.instance(c1, "client", "10.91.1.10", r.security_group(c, "client"))
    assert r.endpoint_state(endpoint) == "pendingAcceptance"

    assert_blocked(
        estate.check("client", "svc-endpoint", 443),
        ["ENDPOINT_NOT_ACCEPTED"],
        at=endpoint,
        fix=f"accept the connection from {endpoint} on {service_id} (svc) (account {aws.account})",
    )
    r.ec2.accept_vpc_endpoint_connections(ServiceId=service_id, VpcEndpointIds=[endpoint])
    ok = estate.check("client", "svc-endpoint", 443)
    assert_reachable(ok)
    assert ok.steps("allowed principals")[0]["detail"] == (
        f"account {aws.account} owns {service_id} (svc): it needs no allowed principal"
    )


# -- 7. the outpost pattern: PrivateLink across regions over a peering -----------------------------


def test_outpost_pattern_across_regions(url: str, fresh: Callable[[], Aws]) -> None:
    """us-east-1 provider; us-west-2 outpost VPC whose NLB has the provider's instance as an
    IP target (availability zone "all") across an inter-region peering; us-west-2 consumer."""
    aws = fresh()
    east, west = Region(aws, EAST), Region(aws, WEST)
    estate = Estate(url, (aws,), regions=(EAST, WEST))
    provider = east.vpc("provider", "10.70.0.0/16")
    p1 = east.subnet(provider, "10.70.1.0/24", "prov-a")
    east.instance(
        p1,
        "app",
        "10.70.1.10",
        east.security_group(provider, "app", [permission(443, cidr="10.71.0.0/16")]),
    )
    outpost = west.vpc("outpost", "10.71.0.0/16")
    o1 = west.subnet(outpost, "10.71.1.0/24", "outpost-a")
    o2 = west.subnet(outpost, "10.71.2.0/24", "outpost-b", az="b")
    pcx = west.peer(outpost, provider, "outpost-provider", there=east)
    west.route(outpost.main_rt, "10.70.0.0/16", pcx=pcx)
    east.route(provider.main_rt, "10.71.0.0/16", pcx=pcx)
    lb = west.nlb("outpost", o1, o2)
    west.forward(lb, outpost, "app-443", 443, "10.70.1.10", all_zones=True)
    _, service_name = west.service(lb, "outpost-svc", aws.account)
    consumer = west.vpc("consumer", "10.72.0.0/16")
    c1 = west.subnet(consumer, "10.72.1.0/24", "cons-a")
    ep_sg = west.security_group(consumer, "ep", [permission(443, cidr="10.72.0.0/16")])
    west.endpoint(consumer, service_name, "app-endpoint", c1, ep_sg)
    west.instance(c1, "client", "10.72.1.10", west.security_group(consumer, "client"))

    ok = estate.check("client", "app-endpoint", 443)
    assert_reachable(ok)
    assert "peering connection" in ok.hop_kinds
    assert any("availability zone 'all'" in s["detail"] for s in ok.steps("target AZ"))
    assert any(pcx in s["detail"] and "active" in s["detail"] for s in ok.steps("peering status"))

    # read without the provider's region, the target is out of sight: unknown, not a verdict
    partial = Estate(url, (aws,), regions=(WEST,)).check("client", "app-endpoint", 443)
    assert partial.exit_code == 1 and partial.data["disposition"] == "UNKNOWN"
    assert partial.reasons == ["NOT_IN_NETWORK"]

    east.unroute(provider.main_rt, "10.71.0.0/16")
    assert_blocked(
        estate.check("client", "app-endpoint", 443),
        ["NO_RETURN_ROUTE"],
        at=provider.main_rt,
        fix=f"add a route to 10.71.0.0/16 via {pcx} (outpost-provider) in {provider.main_rt}",
    )


# -- 8. two accounts ------------------------------------------------------------------------------


def test_cross_account_peering(url: str, fresh: Callable[[], Aws]) -> None:
    mine, theirs = fresh(), fresh()
    here, there = Region(mine), Region(theirs)
    both = Estate(url, (mine, theirs))
    p = pair(here, there, accept=False)
    assert_blocked(
        both.check("client", "server", 443),
        ["PEERING_NOT_ACTIVE"],
        at=p.pcx,
        fix=f"accept {p.pcx} (a-b) in account {theirs.account} ({EAST})",
    )
    there.accept(p.pcx)
    ok = both.check("client", "server", 443)
    assert_reachable(ok)
    # the server's group, in the other account, is the one that admits the client
    assert {s["resource"] for s in ok.steps("security group ingress")} == {p.server_sg}
    # reading only my account, the peer VPC is out of sight: unknown, not unreachable
    mine_only = Estate(url, (mine,)).check("client", "10.20.1.10", 443)
    assert mine_only.exit_code == 1 and mine_only.data["disposition"] == "UNKNOWN"
    assert mine_only.reasons == ["NOT_IN_NETWORK"]


def test_cross_account_privatelink_needs_the_consumer_among_allowed_principals(
    url: str, fresh: Callable[[], Aws]
) -> None:
    provider_acct, consumer_acct = fresh(), fresh()
    prov, cons = Region(provider_acct), Region(consumer_acct)
    estate = Estate(url, (provider_acct, consumer_acct))
    p = prov.vpc("provider", "10.60.0.0/16")
    p1 = prov.subnet(p, "10.60.1.0/24", "prov-a")
    lb = prov.nlb("svc", p1)
    prov.instance(
        p1,
        "app",
        "10.60.1.10",
        prov.security_group(p, "app", [permission(443, cidr="10.60.1.0/24")]),
    )
    prov.forward(lb, p, "app-443", 443, "10.60.1.10")
    service_id, service_name = prov.service(lb, "svc", consumer_acct.account)
    # the same CIDR on the consumer's side: PrivateLink does not care
    c = cons.vpc("consumer", "10.60.0.0/16")
    c1 = cons.subnet(c, "10.60.1.0/24", "cons-a")
    ep_sg = cons.security_group(c, "ep", [permission(443, cidr="10.60.0.0/16")])
    cons.endpoint(c, service_name, "svc-endpoint", c1, ep_sg)
    cons.instance(c1, "client", "10.60.1.20", cons.security_group(c, "client"))
    ok = estate.check("client", "svc-endpoint", 443)
    assert_reachable(ok)
    assert (
        ok.steps("allowed principals")[0]["matched"] == f"arn:aws:iam::{consumer_acct.account}:root"
    )

    # The sandbox (like AWS) refuses to create an endpoint for a consumer it does not
    # allow; so the consumer connects first and loses the permission afterwards.
    prov.ec2.modify_vpc_endpoint_service_permissions(
        ServiceId=service_id,
        RemoveAllowedPrincipals=[f"arn:aws:iam::{consumer_acct.account}:root"],
    )
    assert_blocked(
        estate.check("client", "svc-endpoint", 443),
        ["ENDPOINT_PRINCIPAL_NOT_ALLOWED"],
        at=service_id,
        fix=f"add arn:aws:iam::{consumer_acct.account}:root to the allowed principals of {service_id}",
    )


# -- 9. bad input, and the real entry point -------------------------------------------------------


def test_unknown_name_suggests_close_ones(grouped: tuple[Estate, Groups]) -> None:
    estate, _ = grouped
    result = estate.run(*estate.args("clinet", "server", 443))
    assert result.exit_code == 2
    assert "unknown source 'clinet'" in result.stderr
    assert "did you mean 'client'?" in result.stderr  # offered once, not per ENI


def test_ambiguous_name_lists_every_candidate(grouped: tuple[Estate, Groups]) -> None:
    estate, w = grouped
    result = estate.run(*estate.args("twin", "open", 443))
    assert result.exit_code == 2
    assert "source 'twin' is ambiguous" in result.stderr and "use an id instead" in result.stderr
    assert all(twin in result.stderr for twin in w.twins)
    assert_reachable(estate.check(w.twins[0], "open", 443))  # an id settles it


@pytest.mark.parametrize(
    ("change", "message"),
    [
        (
            ("--protocol", "sctp"),
            "--protocol must be tcp, udp, icmp, all, or an IP protocol number",
        ),
        (("--port", "70000"), "port must be between 0 and 65535, not 70000"),
    ],
)
def test_invalid_protocol_or_port_is_bad_input(
    grouped: tuple[Estate, Groups], change: tuple[str, str], message: str
) -> None:
    estate, _ = grouped
    args = estate.args("client", "server", 443)
    args[args.index(change[0]) + 1] = change[1]
    result = estate.run(*args)
    assert result.exit_code == 2 and message in result.stderr


def test_the_installed_entry_point_exits_0_1_2_without_a_traceback(
    grouped: tuple[Estate, Groups],
) -> None:
    estate, w = grouped

    def vpcwire(*args: str) -> subprocess.CompletedProcess[str]:
        done = subprocess.run(
            [sys.executable, "-m", "vpcwire", *args],
            capture_output=True,
            text=True,
            env=dict(os.environ),
            timeout=120,
            check=False,
        )
        assert "Traceback" not in done.stdout + done.stderr, done.stdout + done.stderr
        return done

    ok = vpcwire(*estate.args("client", "server", 443))
    assert ok.returncode == 0 and "Disposition: REACHABLE" in ok.stdout
    blocked = vpcwire(*estate.args("client", "closed", 443))
    assert blocked.returncode == 1
    assert f"SG_INGRESS_DENIED at {w.closed} (closed)" in blocked.stdout
    assert f"fix: allow tcp/443 from 10.40.0.0/16 in {w.closed} (closed) ingress" in blocked.stdout
    unknown = vpcwire(*estate.args("clinet", "server", 443))
    assert unknown.returncode == 2 and "did you mean 'client'?" in unknown.stderr
