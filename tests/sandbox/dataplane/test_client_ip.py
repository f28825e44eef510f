"""Client IP preservation: which source address the target's security group must admit.

AWS: instance targets (and UDP, or IP targets with ``preserve_client_ip`` on) see the
client's own address when the client talks to the NLB directly; IP targets over TCP see
the NLB node's address; PrivateLink traffic always arrives from the NLB's address.
https://docs.aws.amazon.com/elasticloadbalancing/latest/network/edit-target-group-attributes.html#client-ip-preservation

Every case states the packet result outright and requires the engine to say the same.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.verify.builder import ACCOUNT_B, Net, Target, rule
from vpcwire.network import Network
from vpcwire.sandbox.dataplane import build_layout
from vpcwire.verify import Flow

from .helpers import disagreements, outcomes

pytestmark = pytest.mark.filterwarnings("error")

CLIENT = "10.0.2.0/24"  # the direct client's subnet
NODES = "10.0.1.0/24"  # the NLB's subnet
DIRECT = Flow("client", "nlb-svc", "tcp", 8080)
VIA_ENDPOINT = Flow("consumer", "vpce-svc", "tcp", 8080)


def _net(
    target_type: str,
    admits: tuple[str, ...],
    *,
    preserve: bool | None = None,
    nlb_groups: bool = False,
) -> Network:
    """A client beside an NLB (direct), and a consumer in another account (PrivateLink)."""
    n = Net()
    p = n.vpc("p", "10.0.0.0/16")
    nodes = n.subnet(p, "nodes", NODES)
    clients = n.subnet(p, "clients", CLIENT)
    apps = n.subnet(p, "apps", "10.0.3.0/24")
    sgs: tuple[str, ...] = ()
    if nlb_groups:
        sgs = (n.sg(p, "nlb", ingress=(rule("tcp", 8080, cidr="10.0.0.0/8"),)),)
    n.sg(p, "app", ingress=tuple(rule("tcp", 8080, cidr=c) for c in admits if "/" in c))
    for ref in (c for c in admits if "/" not in c):
        n.add_rule("sg-app", rule("tcp", 8080, group=ref))
    n.sg(p, "client")
    n.instance(clients, "10.0.2.10", name="client", sgs=("sg-client",))
    n.instance(apps, "10.0.3.10", name="app", sgs=("sg-app",))
    lb = n.nlb(p, "svc", (nodes,), ips=("10.0.1.5",), sgs=sgs, enforce_sg_on_privatelink=False)
    target = Target("i-app") if target_type == "instance" else Target("10.0.3.10")
    tg = n.target_group(p, "svc", 8080, target_type, target, preserve_client_ip=preserve)
    n.listener(lb, 8080, "TCP", tg)
    svc = n.service("svc", (lb,), principals=(f"arn:aws:iam::{ACCOUNT_B}:root",))
    c = n.vpc("c", "10.9.0.0/16", account=ACCOUNT_B)
    c1 = n.subnet(c, "c1", "10.9.1.0/24")
    n.sg(c, "consumer")
    n.sg(c, "ep", ingress=(rule("tcp", 8080, cidr="10.9.0.0/16"),))
    n.instance(c1, "10.9.1.10", name="consumer", sgs=("sg-consumer",))
    n.endpoint(c, "svc", svc, (c1,), ips=("10.9.1.50",), sgs=("sg-ep",))
    return n.build()


def _check(net: Network, cases: list[tuple[Flow, bool]], state: Path) -> None:
    found = outcomes(net, [f for f, _ in cases], state)
    assert disagreements(found) == []
    assert [(str(o.flow), o.packets) for o in found] == [(str(f), want) for f, want in cases]


@pytest.mark.parametrize(
    ("target_type", "preserve", "admits", "direct", "via_endpoint"),
    [
        # instance targets see the direct client's address, PrivateLink traffic the node's
        ("instance", None, (CLIENT, NODES), True, True),
        ("instance", None, (NODES,), False, True),
        # TCP IP targets see the node's address either way
        ("ip", None, (NODES,), True, True),
        ("ip", None, (CLIENT,), False, False),
        # preserve_client_ip on for IP targets: like instance targets
        ("ip", True, (NODES,), False, True),
        ("ip", True, (CLIENT, NODES), True, True),
        # ... and off for instance targets: like TCP IP targets
        ("instance", False, (NODES,), True, True),
        # the only target fails the health checks (they come from the node): the NLB
        # fails open, and the preserved client is admitted
        ("instance", None, (CLIENT,), True, False),
    ],
)
def test_the_target_sees_the_address_aws_shows_it(
    plane_dir: Path,
    target_type: str,
    preserve: bool | None,
    admits: tuple[str, ...],
    direct: bool,
    via_endpoint: bool,
) -> None:
    net = _net(target_type, admits, preserve=preserve)
    _check(net, [(DIRECT, direct), (VIA_ENDPOINT, via_endpoint)], plane_dir)


def test_a_target_rule_referencing_the_nlb_group_admits_preserved_clients(
    plane_dir: Path,
) -> None:
    # The target admits only the NLB's own security group: AWS lets such a rule admit the
    # NLB's traffic whatever source address it carries (the engine does the same).
    net = _net("instance", ("sg-nlb",), nlb_groups=True)
    _check(net, [(DIRECT, True), (VIA_ENDPOINT, True)], plane_dir)
    # without the reference, the preserved client address is not admitted
    _check(_net("instance", (NODES,), nlb_groups=True), [(DIRECT, False)], plane_dir)


def test_only_preserving_nodes_steer_replies_and_only_direct_clients_are_marked() -> None:
    preserving = build_layout(_net("instance", (NODES,)), "t0")
    plain = build_layout(_net("ip", (NODES,)), "t0")
    (node,) = [b for b in preserving.boxes if b.role == "node"]
    assert 'iifname "eth0" ip protocol tcp tcp dport 8080 ct mark set 0x1 dnat' in node.nft
    assert "ct mark 0x1 accept" in node.nft  # no SNAT for the marked connections
    router = next(b for b in preserving.boxes if b.role == "vpc" and b.resource == "vpc-p")
    assert any("fwmark" in line for line in router.ip_lines)
    for box in plain.boxes:
        assert "ct mark set" not in box.nft
        assert not any("fwmark" in line for line in box.ip_lines)


def test_nodes_send_only_to_targets_that_pass_their_health_checks(plane_dir: Path) -> None:
    n = Net()
    p = n.vpc("p", "10.0.0.0/16")
    nodes = n.subnet(p, "nodes", NODES)
    apps = n.subnet(p, "apps", "10.0.3.0/24")
    n.sg(p, "client")
    n.sg(p, "sick", ingress=(rule("tcp", 8080, cidr=CLIENT),))  # health checks fail
    n.sg(p, "well", ingress=(rule("tcp", 8080, cidr="10.0.0.0/16"),))
    n.instance(n.subnet(p, "clients", CLIENT), "10.0.2.10", name="client", sgs=("sg-client",))
    n.instance(apps, "10.0.3.10", name="sick", sgs=("sg-sick",))
    n.instance(apps, "10.0.3.11", name="well", sgs=("sg-well",))
    lb = n.nlb(p, "svc", (nodes,), ips=("10.0.1.5",), cross_zone=True)
    tg = n.target_group(p, "svc", 8080, "instance", Target("i-sick"), Target("i-well"))
    n.listener(lb, 8080, "TCP", tg)
    flows = [DIRECT] * 8  # the node would pick "sick" about half of the time
    found = outcomes(n.build(), flows, plane_dir)
    assert [o.packets for o in found] == [True] * 8
    assert all("vpcwire responder well" in o.detail for o in found)
    assert disagreements(found) == []
