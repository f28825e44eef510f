"""One probe stands for a host's flows to several public blocks only where the route its
table picks closes them alike (verify/internet.py ``_way_out``): no route, or an internet
gateway for a host without a public address. Behind a NAT gateway the gateway's own table
decides, block by block."""

from __future__ import annotations

from vpcwire.verify import Disposition, Engine, Flow
from vpcwire.verify.exhaustive import prove

from .builder import ALL_OUT, Net, rule

_STATUS = {Disposition.REACHABLE: "open", Disposition.UNREACHABLE: "closed"}


def test_blocks_behind_a_nat_gateway_are_judged_each_by_the_gateways_table() -> None:
    n = Net()
    a = n.vpc("a", "10.0.0.0/16")
    n.igw(a, "a")
    n.sg(a, "a", ingress=(rule(cidr="10.0.0.0/8"),), egress=(ALL_OUT,))
    public = n.subnet(a, "pub", "10.0.0.0/24")  # the main table: one public /24 only
    n.route("rtb-a", "198.51.100.0/24", "igw-a", "internet_gateway")
    private = n.subnet(a, "priv", "10.0.1.0/24")
    table = n.table(a, "private", private)
    nat = n.nat(public, "n", "10.0.0.5", public_ip="54.1.1.1")
    n.route(table, "0.0.0.0/0", nat, "nat_gateway")
    n.instance(private, "10.0.1.10", name="x", sgs=("sg-a",))
    network = n.build()
    proof = prove(network)
    engine = Engine(network)
    # AWS: the NAT gateway forwards by its own subnet's table — only 198.51.100.0/24 leaves
    expected = {"198.51.100.7": "open", "8.8.8.8": "closed", "1.1.1.1": "closed"}
    for address, status in expected.items():
        flow = Flow("x", address, "tcp", 443)
        assert _STATUS[engine.trace(flow).disposition] == status, flow
        (found,) = proof.classify(network, flow)
        assert found.status == status, (flow, found)


def test_blocks_without_a_route_and_through_a_gateway_without_an_address_are_closed() -> None:
    n = Net()
    a, b = n.vpc("a", "10.0.0.0/16"), n.vpc("b", "10.1.0.0/16")
    n.igw(a, "a")
    n.route("rtb-a", "0.0.0.0/0", "igw-a", "internet_gateway")
    for v, name in ((a, "a"), (b, "b")):
        n.sg(v, name, ingress=(rule(cidr="10.0.0.0/8"),), egress=(ALL_OUT,))
    n.instance(n.subnet(a, "a1", "10.0.1.0/24"), "10.0.1.10", name="x", sgs=("sg-a",))
    n.instance(n.subnet(b, "b1", "10.1.1.0/24"), "10.1.1.10", name="y", sgs=("sg-b",))
    network = n.build()
    out = [c for c in prove(network).classes if c.block is not None and c.sources != ("internet",)]
    assert out and all(c.status == "closed" for c in out)
    engine = Engine(network)
    for c in out:  # each block's own trace agrees
        flow = Flow(c.sources[0], c.block.representative if c.block else "", c.protocol, 0)
        assert engine.trace(flow).disposition is Disposition.UNREACHABLE, flow


def test_a_block_with_a_route_is_not_closed_with_the_blocks_without_one() -> None:
    n = Net()
    c = n.vpc("c", "10.2.0.0/16")
    n.igw(c, "c")
    n.route("rtb-c", "198.51.100.0/24", "igw-c", "internet_gateway")  # no default route
    n.sg(c, "c", ingress=(rule(cidr="10.0.0.0/8"),), egress=(ALL_OUT,))
    n.instance(
        n.subnet(c, "c1", "10.2.1.0/24"), "10.2.1.10", name="z", sgs=("sg-c",), public_ip="54.2.2.2"
    )
    network = n.build()
    proof, engine = prove(network), Engine(network)
    # AWS: only the routed /24 leaves through the internet gateway
    for address, status in {"198.51.100.7": "open", "8.8.8.8": "closed"}.items():
        flow = Flow("z", address, "tcp", 443)
        assert _STATUS[engine.trace(flow).disposition] == status, flow
        (found,) = proof.classify(network, flow)
        assert found.status == status, (flow, found)
