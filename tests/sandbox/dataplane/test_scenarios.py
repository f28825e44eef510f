"""The kernel judges the engine on the verifier's own scenarios, working and broken.

Each case states the expected packet result outright (so a data plane that drops or passes
everything fails), and requires the engine to say the same. Breakage cases take one
working path and break it the way people do — a route deleted, an SG rule removed, a
NACL deny added, a peering or endpoint not active — and both columns must turn.
"""

from __future__ import annotations

import contextlib
import socket
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.verify import scenarios
from tests.verify.builder import ACCOUNT_B, Net, Target, entry, rule
from vpcwire.network import Network
from vpcwire.sandbox.dataplane import materialise, probe_flows
from vpcwire.sandbox.dataplane.system import socket_in
from vpcwire.verify import Flow

from .helpers import disagreements, outcomes

pytestmark = pytest.mark.filterwarnings("error")


def _check(net: Network, cases: list[tuple[Flow, bool]], state: Path) -> None:
    found = outcomes(net, [f for f, _ in cases], state)
    assert disagreements(found) == []
    assert [(str(o.flow), o.packets) for o in found] == [(str(f), want) for f, want in cases]


def test_peering_both_ways_only_where_groups_allow(plane_dir: Path) -> None:
    cases = [
        (Flow("client", "api", "tcp", 8080), True),
        (Flow("client", "api", "tcp", 22), False),
        (Flow("api", "client", "tcp", 8080), False),
        (Flow("client", "api", "icmp", 8), False),
    ]
    _check(scenarios.peered().build(), cases, plane_dir)


def test_peering_breakages(plane_dir: Path) -> None:
    flow = Flow("client", "api", "tcp", 8080)
    no_route = scenarios.peered()
    no_route.drop_routes("rtb-a", "pcx-a-b")
    no_rule = scenarios.peered()
    no_rule.set_rules("sg-api", ingress=())
    deny = scenarios.peered()
    deny.nacl(
        "vpc-b",
        "b-deny",
        ("subnet-b1",),
        entry(90, egress=False, allow=False, protocol="tcp", ports=8080),
        entry(100, egress=False),
        entry(100, egress=True),
    )
    inactive = Net()
    inactive.b = scenarios.peered().b
    pcx = inactive.b.get("peering", "pcx-a-b")
    inactive.b.update(pcx, status="pending-acceptance")
    for broken in (no_route, no_rule, deny, inactive):
        _check(broken.build(), [(flow, False)], plane_dir)


def test_nacl_is_stateless_and_ordered(plane_dir: Path) -> None:
    n = scenarios.peered()
    # Admit the request but no reply ports back into a: the reply is dropped.
    n.nacl(
        "vpc-a",
        "a-strict",
        ("subnet-a1",),
        entry(100, egress=True),
        entry(100, egress=False, protocol="tcp", ports=(1, 1023)),
    )
    _check(n.build(), [(Flow("client", "api", "tcp", 8080), False)], plane_dir)
    n.nacl(
        "vpc-a",
        "a-replies",
        (),
        entry(100, egress=True),
    )
    ok = scenarios.peered()
    ok.nacl(
        "vpc-a",
        "a-ephemeral",
        ("subnet-a1",),
        entry(100, egress=True),
        entry(100, egress=False, protocol="tcp", ports=(49152, 65535)),
    )
    _check(ok.build(), [(Flow("client", "api", "tcp", 8080), True)], plane_dir)


def test_privatelink_is_one_way_and_port_bound(plane_dir: Path) -> None:
    cases = [
        (Flow("client", "vpce-svc", "tcp", 8080), True),
        (Flow("client", "vpce-svc", "tcp", 22), False),
        (Flow("client", "vpce-svc", "icmp", 8), False),
        (Flow("client", "vpce-svc", "udp", 8080), False),
        (Flow("client", "app1", "tcp", 8080), False),
        (Flow("app1", "client", "tcp", 8080), False),
        # instance targets keep the client address: the node in app1's AZ sends app1 its own
        # connection back (AWS: no loopback, it times out), the other node reaches app2
        (Flow("app1", "nlb-svc", "tcp", 8080), False),
        (Flow("app2", "nlb-svc", "tcp", 8080), False),
    ]
    found = outcomes(scenarios.privatelink().build(), [f for f, _ in cases], plane_dir)
    assert disagreements(found) == []
    assert [(str(o.flow), o.packets) for o in found] == [(str(f), want) for f, want in cases]
    for o in found[-2:]:
        assert o.result.word == "partial" and sorted(r for _, r in o.result.entries) == [
            False,
            True,
        ]


def test_privatelink_breakages(plane_dir: Path) -> None:
    flow = Flow("client", "vpce-svc", "tcp", 8080)
    closed = scenarios.privatelink()
    closed.set_rules("sg-ep", ingress=())
    pending = scenarios.privatelink()
    pending.update("vpc_endpoint", "vpce-svc", state="pendingAcceptance")
    stranger = scenarios.privatelink()
    stranger.update("endpoint_service", "vpce-svc-svc", allowed_principals=())
    for broken in (closed, pending, stranger):
        _check(broken.build(), [(flow, False)], plane_dir)


def test_outpost_crosses_regions_through_the_peering(plane_dir: Path) -> None:
    cases = [
        (Flow("client", "vpce-outpost", "tcp", 8080), True),
        (Flow("client", "vpce-outpost", "tcp", 22), False),
        (Flow("client", "app", "tcp", 8080), False),
        (Flow("app", "client", "tcp", 8080), False),
    ]
    _check(scenarios.outpost().build(), cases, plane_dir)
    no_route = scenarios.outpost()
    no_route.drop_routes("rtb-outpost", "pcx-prov-outpost")
    _check(no_route.build(), [(cases[0][0], False)], plane_dir)
    narrow = scenarios.outpost()
    narrow.set_rules("sg-app", ingress=(rule("tcp", 8080, cidr="10.20.0.0/16"),))
    _check(narrow.build(), [(cases[0][0], False)], plane_dir)


def test_overlapping_cidrs_coexist_across_privatelink(plane_dir: Path) -> None:
    n = Net()
    p = n.vpc("p", "10.0.0.0/16")
    p1 = n.subnet(p, "p1", "10.0.1.0/24")
    n.sg(p, "app", ingress=(rule("tcp", 8080, cidr="10.0.0.0/16"),))
    n.instance(p1, "10.0.1.10", name="app", sgs=("sg-app",))
    lb = n.nlb(p, "svc", (p1,), ips=("10.0.1.5",))
    tg = n.target_group(p, "svc", 8080, "ip", Target("10.0.1.10"))
    n.listener(lb, 8080, "TCP", tg)
    svc = n.service("svc", (lb,), principals=(f"arn:aws:iam::{ACCOUNT_B}:root",))
    c = n.vpc("c", "10.0.0.0/16", account=ACCOUNT_B)  # the very same block
    c1 = n.subnet(c, "c1", "10.0.1.0/24")
    n.sg(c, "client")
    n.sg(c, "ep", ingress=(rule("tcp", 8080, cidr="10.0.0.0/16"),))
    n.instance(c1, "10.0.1.20", name="client", sgs=("sg-client",))
    # the provider's app address, held by another host in the consumer VPC
    n.sg(c, "open", ingress=(rule(cidr="10.0.0.0/16"),))
    n.instance(c1, "10.0.1.10", name="twin", sgs=("sg-open",))
    n.endpoint(c, "svc", svc, (c1,), ips=("10.0.1.50",), sgs=("sg-ep",))
    cases = [
        (Flow("client", "vpce-svc", "tcp", 8080), True),
        (Flow("app", "client", "tcp", 8080), False),
        # found by the examples: the packet reaches the twin, never the provider's app
        (Flow("client", "app", "tcp", 8080), False),
        (Flow("client", "app", "icmp", 8), False),
        (Flow("client", "twin", "tcp", 8080), True),
    ]
    _check(n.build(), cases, plane_dir)


@pytest.mark.parametrize(("region", "reached"), [("us-east-1", True), ("eu-west-1", False)])
def test_group_references_cross_a_peering_only_within_a_region(
    plane_dir: Path, region: str, reached: bool
) -> None:
    # Found by benchmarks/dataplane_agreement.py --direct: the data plane let a reference to
    # a peer's group match across an inter-region peering; AWS (and the engine) do not.
    n = Net()
    a = n.vpc("a", "10.0.0.0/16")
    b = n.vpc("b", "10.1.0.0/16", region=region)
    n.sg(a, "client")
    n.sg(b, "api", ingress=(rule("tcp", 8080, group="sg-client"),))
    n.instance(n.subnet(a, "a1", "10.0.1.0/24"), "10.0.1.10", name="client", sgs=("sg-client",))
    n.instance(n.subnet(b, "b1", "10.1.1.0/24"), "10.1.1.10", name="api", sgs=("sg-api",))
    n.peer(a, b)
    _check(n.build(), [(Flow("client", "api", "tcp", 8080), reached)], plane_dir)


def test_an_ip_target_is_served_only_by_the_node_in_its_az(plane_dir: Path) -> None:
    # Found by benchmarks/dataplane_agreement.py: every node of the NLB used to forward to
    # an IP target of its own VPC; with cross-zone off only the node in the target's AZ
    # does, and the other node has nowhere to send (the engine's NO_TARGETS).
    n = Net()
    p = n.vpc("p", "10.1.0.0/16")
    a = n.subnet(p, "a", "10.1.1.0/24", az="us-east-1a")
    b = n.subnet(p, "b", "10.1.2.0/24", az="us-east-1b")
    n.sg(p, "h", ingress=(rule(cidr="10.0.0.0/8"),))
    n.instance(a, "10.1.1.11", name="host", sgs=("sg-h",))
    lb = n.nlb(p, "svc", (a, b), ips=("10.1.1.250", "10.1.2.250"))
    n.listener(lb, 8080, "TCP", n.target_group(p, "svc", 8080, "ip", Target("10.1.1.11")))
    (found,) = outcomes(n.build(), [Flow("host", "nlb-svc", "tcp", 8080)], plane_dir)
    assert disagreements([found]) == []
    assert found.result.entries == (("eni-svc-node1", True), ("eni-svc-node2", False))


@pytest.mark.parametrize("local", ["listed after", "replaced"])
def test_the_local_route_wins_over_a_route_to_the_same_block(plane_dir: Path, local: str) -> None:
    # Found by benchmarks/dataplane_agreement.py: the sandbox accepts a route to a peer
    # whose CIDR equals the VPC's own (AWS refuses it) and replaces the local route with
    # it; the data plane then blackholed the whole VPC, while on AWS local always wins.
    n = Net()
    a = n.vpc("a", "10.2.0.0/16")
    b = n.vpc("b", "10.2.0.0/16")
    n.sg(a, "h", ingress=(rule(cidr="10.0.0.0/8"),))
    n.instance(n.subnet(a, "a1", "10.2.1.0/24"), "10.2.1.10", name="one", sgs=("sg-h",))
    n.instance(n.subnet(a, "a2", "10.2.2.0/24"), "10.2.2.10", name="two", sgs=("sg-h",))
    n.subnet(b, "b1", "10.2.1.0/24")
    pcx = n.peer(a, b, status="failed", routes=False)
    n.route("rtb-a", "10.2.0.0/16", pcx)
    table = n.b.get("route_table", "rtb-a")
    routes = tuple(reversed(table.routes))  # peering first
    n.update("route_table", "rtb-a", routes=routes if local == "listed after" else routes[:1])
    _check(n.build(), [(Flow("one", "two", "tcp", 8080), True)], plane_dir)


def test_an_nlb_behind_an_overlapping_address_is_not_reached_through_the_twin(
    plane_dir: Path,
) -> None:
    # Found by benchmarks/dataplane_agreement.py: the consumer's endpoint ENI holds the
    # very address of the provider's NLB node; a flow "to the NLB" from the consumer stays
    # in its own VPC (local route) and reaches the endpoint ENI, which is not the NLB.
    n = Net()
    p = n.vpc("p", "10.0.0.0/16")
    p1 = n.subnet(p, "p1", "10.0.1.0/24")
    n.sg(p, "app", ingress=(rule("tcp", 8080, cidr="10.0.0.0/16"),))
    n.instance(p1, "10.0.1.10", name="app", sgs=("sg-app",))
    lb = n.nlb(p, "svc", (p1,), ips=("10.0.1.5",))
    n.listener(lb, 8080, "TCP", n.target_group(p, "svc", 8080, "ip", Target("10.0.1.10")))
    svc = n.service("svc", (lb,), principals=(f"arn:aws:iam::{ACCOUNT_B}:root",))
    c = n.vpc("c", "10.0.0.0/16", account=ACCOUNT_B)
    c1 = n.subnet(c, "c1", "10.0.1.0/24")
    n.sg(c, "client")
    n.sg(c, "ep", ingress=(rule("tcp", 8080, cidr="10.0.0.0/16"),))
    n.instance(c1, "10.0.1.20", name="client", sgs=("sg-client",))
    n.endpoint(c, "svc", svc, (c1,), ips=("10.0.1.5",), sgs=("sg-ep",))
    cases = [
        (Flow("client", "nlb-svc", "tcp", 8080), False),
        (Flow("client", "vpce-svc", "tcp", 8080), True),
    ]
    found = outcomes(n.build(), [f for f, _ in cases], plane_dir)
    assert disagreements(found) == []
    assert [o.packets for o in found] == [want for _, want in cases]
    assert "overlapping CIDRs" in found[0].detail


@pytest.mark.parametrize("protocol", ["tcp", "udp"])
def test_a_packet_to_the_sources_own_address_is_not_the_twin_reached_whatever_answers(
    plane_dir: Path, protocol: str
) -> None:
    # Found by `vpcwire up examples/cross-account.yaml`: both VPCs are 10.0.0.0/16, api_1
    # and consumer_client_1 both hold 10.0.0.10, and a packet from api_1 "to
    # consumer_client_1" stays on api_1 itself. A responder there names itself and the
    # probe saw the wrong host; the real API `up` starts answers in its own words, and the
    # probe counted it as consumer_client_1 reached. A service of our own stands in for it.
    n = Net()
    p = n.vpc("p", "10.0.0.0/16")
    n.sg(p, "app", ingress=(rule(protocol, 8080, cidr="10.0.0.0/16"),))
    n.instance(n.subnet(p, "p1", "10.0.1.0/24"), "10.0.1.10", name="app", sgs=("sg-app",))
    c = n.vpc("c", "10.0.0.0/16", account=ACCOUNT_B)  # the very same block
    n.sg(c, "client", ingress=(rule(protocol, 8080, cidr="10.0.0.0/16"),))
    n.instance(n.subnet(c, "c1", "10.0.1.0/24"), "10.0.1.10", name="client", sgs=("sg-client",))
    network = n.build()
    plane = materialise(network, plane_dir, imds=False)
    app = next(s for s in plane.layout.slots.values() if s.label == "app")
    flow = Flow("app", "client", protocol, 8080)
    with _service(plane.layout.namespace_of[app.id], protocol, 8080):
        (result,) = probe_flows(network, plane.layout, [flow], timeout=1.0)
    assert result.reached is False, result.detail
    assert "10.0.1.10 is app in the source's own VPC" in result.detail
    assert "overlapping CIDRs" in result.detail


@contextlib.contextmanager
def _service(namespace: str, protocol: str, port: int) -> Iterator[None]:
    """A real service on ``port`` in ``namespace`` answering like the rendered API (not a
    responder: its answer does not say who it is)."""
    tcp = protocol == "tcp"
    sock = socket_in(namespace, socket.SOCK_STREAM if tcp else socket.SOCK_DGRAM)
    sock.bind(("0.0.0.0", port))
    if tcp:
        sock.listen(8)
    sock.settimeout(0.1)
    answer = b'{"service": "api", "port": 8080}'
    stop = threading.Event()

    def serve() -> None:
        while not stop.is_set():
            try:
                if tcp:
                    conn, _ = sock.accept()
                    with conn:
                        conn.recv(4096)
                        conn.sendall(b"HTTP/1.0 200 OK\r\n\r\n" + answer)
                else:
                    _, peer = sock.recvfrom(2048)
                    sock.sendto(answer, peer)
            except TimeoutError:
                continue

    thread = threading.Thread(target=serve)
    thread.start()
    try:
        yield
    finally:
        stop.set()
        thread.join()
        sock.close()
