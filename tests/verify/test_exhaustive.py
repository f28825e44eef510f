"""The exhaustive proof (verify --exhaustive, audit): every reported class agrees with the
engine's single-flow traces, every flow falls in exactly one class, unknown is never closed,
and an out-of-band change shows as UNINTENDED naming the resource."""

from __future__ import annotations

import random
from ipaddress import IPv4Address

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from vpcwire.network import Network, NetworkBuilder, PeeringConnection, Route
from vpcwire.verify import Disposition, Engine, Flow
from vpcwire.verify.exhaustive import FlowClass, Proof, asked_by_intents, prove

from .builder import ALL_OUT, Net, rule
from .strategies import Drawn, networks
from .transit_net import hub
from .transit_strategies import tgw_networks

FAST = settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
_STATUS = {
    Disposition.REACHABLE: "open",
    Disposition.UNREACHABLE: "closed",
    Disposition.UNKNOWN: "unknown",
}
PROTOCOLS = ("tcp", "udp", "icmp", "50", "47")


def _random_flow(rng: random.Random, names: list[str]) -> Flow:
    source, destination = rng.sample(names, 2)
    protocol = rng.choice(PROTOCOLS)
    top = {"tcp": 65535, "udp": 65535, "icmp": 255}.get(protocol)
    port = rng.choice([0, 8, 22, 53, 8080, 8081, 9000, 9001, rng.randint(0, top)]) if top else 0
    return Flow(source, destination, protocol, min(port, top or 0))


def _member_flow(rng: random.Random, network: Network, c: FlowClass) -> Flow:
    """A random flow of class ``c`` (host to host, endpoint, balancer or public block)."""
    source = rng.choice(c.sources)
    if c.block is not None:
        destination = str(IPv4Address(rng.randint(c.block.low, c.block.high)))
    else:
        destination = rng.choice([d for d in c.destinations if d != source])
    port = rng.randint(c.ports.low, c.ports.high) if c.ports is not None else 0
    return Flow(source, destination, c.protocol, port)


def _check_agreement(network: Network, proof: Proof, seed: int, samples: int = 40) -> None:
    rng = random.Random(seed)
    engine = Engine(network)
    from_hosts = [c for c in proof.classes if c.sources != ("internet",)]
    for c in rng.sample(from_hosts, min(samples, len(from_hosts))):
        flow = _member_flow(rng, network, c)
        got = _STATUS[engine.trace(flow).disposition]
        assert got == c.status, f"{flow}: traced {got}, class says {c.status} ({c})"


@FAST
@given(networks(), st.integers(0, 2**32))
def test_every_class_agrees_with_traces_of_random_members(drawn: Drawn, seed: int) -> None:
    network = drawn.net.build()
    _check_agreement(network, prove(network), seed)


@FAST
@given(networks(), st.integers(0, 2**32))
def test_every_flow_falls_in_exactly_one_class_with_its_verdict(drawn: Drawn, seed: int) -> None:
    network = drawn.net.build()
    proof = prove(network)
    engine = Engine(network)
    rng = random.Random(seed)
    for _ in range(15):
        flow = _random_flow(rng, drawn.instances)
        found = proof.classify(network, flow)
        assert len(found) == 1, f"{flow} falls in {len(found)} classes: {found}"
        assert found[0].status == _STATUS[engine.trace(flow).disposition], (flow, found[0])


def _internet_net(seed: int) -> tuple[Net, list[str]]:
    """Two peered VPCs, one with an internet gateway, public addresses and rules that cut the
    public space (a /24, a single address) and the ports."""
    rng = random.Random(seed)
    n = Net()
    a, b = n.vpc("a", "10.0.0.0/16"), n.vpc("b", "10.1.0.0/16")
    n.igw(a, "a")
    n.route("rtb-a", "0.0.0.0/0", "igw-a", "internet_gateway")
    pick = [
        rule("tcp", 443, cidr="0.0.0.0/0"),
        rule("tcp", (20, 25), cidr="203.0.113.0/24"),
        rule("udp", 53, cidr="198.51.100.7/32"),
        rule("icmp", 8, cidr="0.0.0.0/0"),
        rule("all", cidr="10.0.0.0/8"),
    ]
    n.sg(a, "a", ingress=tuple(rng.sample(pick, 3)), egress=tuple(rng.sample(pick, 2)))
    n.sg(b, "b", ingress=(rule(cidr="10.0.0.0/8"),), egress=(ALL_OUT,))
    sa, sb = n.subnet(a, "a1", "10.0.1.0/24"), n.subnet(b, "b1", "10.1.1.0/24")
    n.instance(sa, "10.0.1.10", name="web", sgs=("sg-a",), public_ip="54.0.0.10")
    n.instance(sa, "10.0.1.11", name="web2", sgs=("sg-a",), public_ip="54.0.0.11")
    n.instance(sa, "10.0.1.12", name="inner", sgs=("sg-a",))
    n.instance(sb, "10.1.1.10", name="db", sgs=("sg-b",))
    n.peer(a, b)
    return n, ["web", "web2", "inner", "db"]


@settings(max_examples=25, deadline=None)
@given(st.integers(0, 2**32))
def test_internet_classes_agree_with_traces(seed: int) -> None:
    net, names = _internet_net(seed)
    network = net.build()
    proof = prove(network)
    outbound = [c for c in proof.classes if c.block is not None and c.sources != ("internet",)]
    inbound = [c for c in proof.classes if c.sources == ("internet",)]
    assert outbound and inbound
    _check_agreement(network, proof, seed, samples=60)
    engine = Engine(network)
    rng = random.Random(seed)
    for _ in range(30):  # to random public addresses: exactly one class, the same verdict
        address = rng.choice(["54.0.0.10", "198.51.100.7", "203.0.113.9", "8.8.8.8"])
        proto = rng.choice(("tcp", "udp", "icmp"))
        port = rng.choice([8, 22, 53, 443] if proto != "icmp" else [0, 3, 8])
        flow = Flow(rng.choice(names), address, proto, port)
        found = proof.classify(network, flow)
        assert len(found) == 1, (flow, found)
        assert found[0].status == _STATUS[engine.trace(flow).disposition], (flow, found[0])


def test_inbound_from_the_internet_is_open_only_where_a_rule_admits_it() -> None:
    net, _ = _internet_net(0)
    net.set_rules("sg-a", ingress=(rule("tcp", 443, cidr="0.0.0.0/0"),), egress=(ALL_OUT,))
    proof = prove(net.build())
    open_in = {
        (c.destinations, c.protocol, c.ports.low if c.ports else None)
        for c in proof.open
        if c.sources == ("internet",)
    }
    # web and web2 have public addresses and one class; "inner" has none
    assert open_in == {(("web", "web2"), "tcp", 443)}
    line = next(c for c in proof.open if c.sources == ("internet",))
    assert "igw-a" in line.resources and line.via == "via internet gateway igw-a"


def test_transit_gateway_paths_are_unknown_never_closed() -> None:
    n = Net()
    a, b = n.vpc("a", "10.0.0.0/16"), n.vpc("b", "10.1.0.0/16")
    n.sg(a, "a", ingress=(rule(cidr="10.0.0.0/8"),), egress=(ALL_OUT,))
    n.sg(b, "b", ingress=(rule(cidr="10.0.0.0/8"),), egress=(ALL_OUT,))
    n.instance(n.subnet(a, "a1", "10.0.1.0/24"), "10.0.1.10", name="x", sgs=("sg-a",))
    n.instance(n.subnet(b, "b1", "10.1.1.0/24"), "10.1.1.10", name="y", sgs=("sg-b",))
    n.route("rtb-a", "10.1.0.0/16", "tgw-1", "transit_gateway")
    n.route("rtb-b", "10.0.0.0/16", "tgw-1", "transit_gateway")  # else the reply has no route
    proof = prove(n.build())
    x_to_y = [c for c in proof.classes if c.sources == ("x",) and c.destinations == ("y",)]
    assert x_to_y and all(c.status == "unknown" for c in x_to_y)


def test_gaps_make_classes_through_them_unknown() -> None:
    n = Net()
    a = n.vpc("a", "10.0.0.0/16")
    n.sg(a, "a", ingress=(rule(cidr="10.0.0.0/8"),), egress=(ALL_OUT,))
    s = n.subnet(a, "a1", "10.0.1.0/24")
    n.instance(s, "10.0.1.10", name="x", sgs=("sg-a",))
    n.instance(s, "10.0.1.11", name="y", sgs=("sg-a",))
    network = n.build()
    # as a snapshot missing the files of VPC a: nothing through it is proved, open or closed
    proof = prove(network, unknown_in=lambda ids: "gap" if {"i-x", "i-y"} & set(ids) else None)
    assert proof.classes and all(c.status == "unknown" for c in proof.classes)
    assert not prove(network).unknown


def _reference() -> tuple[Network, list[object]]:
    from pathlib import Path

    from vpcwire.cli._app import load_spec_file
    from vpcwire.pipeline import plan
    from vpcwire.verify.intents import derive_intents

    root = Path(__file__).resolve().parents[2]
    planned = plan(load_spec_file(root / "examples" / "inter-region-privatelink.yaml"))
    return planned.network, list(derive_intents(planned))


def test_reference_architecture_is_proved_clean() -> None:
    network, intents = _reference()
    proof = prove(network, asked_by_intents(network, intents))  # type: ignore[arg-type]
    assert proof.open and not proof.unintended and not proof.unknown


def test_a_peering_added_out_of_band_shows_as_unintended_naming_it() -> None:
    network, intents = _reference()
    vpcs = sorted(network.vpcs.values(), key=lambda v: v.id)
    consumer = next(v for v in vpcs if "consumer" in (v.name or v.id))
    provider = next(v for v in vpcs if v.id != consumer.id and v.region == consumer.region)
    b = NetworkBuilder(network)
    b.add(
        PeeringConnection(
            "pcx-oob",
            "",
            consumer.id,
            provider.id,
            consumer.account,
            provider.account,
            consumer.region,
            provider.region,
        )
    )
    for rt in list(network.route_tables.values()):
        peer = provider if rt.vpc == consumer.id else consumer if rt.vpc == provider.id else None
        if peer is not None:
            new = tuple(Route(c, "pcx-oob", "peering") for c in peer.cidrs)
            b.update(rt, routes=(*rt.routes, *new))
    for sg in list(network.security_groups.values()):
        if sg.vpc in (consumer.id, provider.id):
            b.update(sg, ingress=(*sg.ingress, rule(cidr="10.0.0.0/8")), egress=(ALL_OUT,))
    drifted = b.build()
    proof = prove(drifted, asked_by_intents(drifted, intents))  # type: ignore[arg-type]
    assert proof.unintended
    assert any(
        c.via == "via peering pcx-oob" and "pcx-oob" in c.resources for c in proof.unintended
    )


@settings(max_examples=20, deadline=None)
@given(st.integers(0, 2**32), st.booleans(), st.booleans())
def test_pairs_closed_by_a_missing_route_or_a_stopped_host_agree_with_traces(
    seed: int, stopped: bool, routed: bool
) -> None:
    """A pair's classes are closed wholesale only by blocks no protocol or port escapes."""
    net, names = _internet_net(seed)
    if stopped:
        net.b.update(net.b.get("instance", "i-db"), state="stopped")
    if not routed:
        net.drop_routes("rtb-a", "pcx-a-b")
    network = net.build()
    proof = prove(network)
    _check_agreement(network, proof, seed, samples=80)
    db = [c for c in proof.classes if c.destinations == ("db",) and c.sources != ("internet",)]
    if stopped or not routed:
        assert db and all(c.status == "closed" for c in db)
    engine, rng = Engine(network), random.Random(seed)
    for _ in range(20):
        flow = _random_flow(rng, names)
        (found,) = proof.classify(network, flow)
        assert found.status == _STATUS[engine.trace(flow).disposition], (flow, found)


def test_public_blocks_and_the_excluded_ranges_partition_the_address_space() -> None:
    from ipaddress import IPv4Network

    from vpcwire.verify.outside_space import EXCLUDED, outside_blocks

    net, _ = _internet_net(1)
    net.vpc("c", "100.64.0.0/16")  # inside an excluded range: counted once
    net.vpc("d", "52.10.0.0/16")  # a VPC on public addresses: not outside
    network = net.build()
    blocks = outside_blocks(network)
    ranges = sorted(
        [(b.low, b.high) for b in blocks]
        + [(int(n.network_address), int(n.broadcast_address)) for n in EXCLUDED]
        + [
            (int(c.network_address), int(c.broadcast_address))
            for v in network.vpcs.values()
            for c in v.cidrs
            if not any(c.subnet_of(e) for e in EXCLUDED)
        ]
    )
    low = 0
    for a, b in ranges:
        assert a == low, f"gap or overlap at {IPv4Network((a, 32))}"
        low = b + 1
    assert low == 1 << 32
    owned = {b.owner for b in blocks if b.owner}
    assert owned == {"i-web", "i-web2"}


TGW = settings(max_examples=120, deadline=None, suppress_health_check=[HealthCheck.too_slow])


@TGW
@given(tgw_networks(), st.integers(0, 2**32))
def test_tgw_classes_agree_with_traces_of_random_members(drawn: Drawn, seed: int) -> None:
    network = drawn.net.build()
    _check_agreement(network, prove(network), seed)


@TGW
@given(tgw_networks(), st.integers(0, 2**32))
def test_every_tgw_flow_falls_in_exactly_one_class_with_its_verdict(
    drawn: Drawn, seed: int
) -> None:
    network = drawn.net.build()
    proof = prove(network)
    engine = Engine(network)
    rng = random.Random(seed)
    for _ in range(15):
        flow = _random_flow(rng, drawn.instances)
        found = proof.classify(network, flow)
        assert len(found) == 1, f"{flow} falls in {len(found)} classes: {found}"
        assert found[0].status == _STATUS[engine.trace(flow).disposition], (flow, found[0])


def test_hosts_of_one_table_and_acl_in_two_azs_are_two_classes_behind_a_tgw() -> None:
    # h-a (us-east-1a) and h-b (us-east-1b) share a's main table and ACL; a's attachment has a
    # subnet in us-east-1a only, so only h-a reaches the TGW (AZ affinity): one class each.
    n = hub()
    n.instance(n.subnet("vpc-a", "a2", "10.0.2.0/24", az="us-east-1b"), "10.0.2.10", name="a-b",
               sgs=("sg-a-app",))  # fmt: skip
    network = n.build()
    proof = prove(network)
    to_b = {
        c.sources: c.status
        for c in proof.classes
        if c.destinations == ("b",) and c.protocol == "tcp" and c.ports and c.ports.low <= 8080
        and c.ports.high >= 8080
    }  # fmt: skip
    assert to_b == {("a",): "open", ("a-b",): "closed"}
    line = next(c for c in proof.open if c.sources == ("a",) and c.destinations == ("b",))
    assert line.via == "via transit gateway hub" and "tgw-hub" in line.resources
