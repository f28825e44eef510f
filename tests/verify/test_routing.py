"""Routing: the subnet's table (explicit, else main), local first, longest prefix match,
blackholes, prefix-list routes, routes both ways, targets the verifier does not follow."""

from __future__ import annotations

from ipaddress import IPv4Address

from vpcwire.verify import Disposition

from .builder import Net, rule
from .scenarios import blocked, peered, run, step


def test_missing_route_names_the_table_peering_and_cidr() -> None:
    n = peered()
    n.drop_routes("rtb-a", "pcx-a-b")
    result = run(n, "client", "api")
    assert blocked(result) == {"NO_ROUTE"}
    (block,) = result.blocks
    assert block.resource == "rtb-a"
    assert block.fix == "add a route to 10.1.0.0/16 via pcx-a-b (a-b) in rtb-a (a)"


def test_missing_return_route_is_its_own_reason() -> None:
    n = peered()
    n.drop_routes("rtb-b", "pcx-a-b")
    result = run(n, "client", "api")
    assert blocked(result) == {"NO_RETURN_ROUTE"}
    assert result.blocks[0].fix == "add a route to 10.0.0.0/16 via pcx-a-b (a-b) in rtb-b (b)"
    assert "(return path)" in step(result, "route", direction="return").detail


def test_explicit_association_overrides_the_main_table() -> None:
    n = peered()
    n.drop_routes("rtb-a", "pcx-a-b")  # the main table no longer routes to b...
    table = n.table("vpc-a", "a-private", "subnet-a1")  # ...but the subnet has its own
    n.route(table, "10.1.0.0/16", "pcx-a-b")
    result = run(n, "client", "api")
    assert result.reachable
    assert step(result, "route").resource == "rtb-a-private"


def test_longest_prefix_wins() -> None:
    n = peered()
    n.route("rtb-a", "10.1.1.0/24", "pcx-gone", state="blackhole")
    result = run(n, "client", "api")
    assert blocked(result) == {"BLACKHOLE_ROUTE"}
    assert step(result, "route").matched == "10.1.1.0/24 via pcx-gone"
    n.route("rtb-a", "10.1.1.10/32", "pcx-a-b")  # more specific again, and live
    assert run(n, "client", "api").reachable


def test_local_route_cannot_be_overridden() -> None:
    n = Net()
    v = n.vpc("v", "10.0.0.0/16")
    s1 = n.subnet(v, "s1", "10.0.1.0/24")
    s2 = n.subnet(v, "s2", "10.0.2.0/24")
    n.sg(v, "open", ingress=(rule(cidr="10.0.0.0/16"),))
    n.instance(s1, "10.0.1.10", name="one", sgs=("sg-open",))
    n.instance(s2, "10.0.2.10", name="two", sgs=("sg-open",))
    n.route("rtb-v", "10.0.2.0/24", "pcx-elsewhere", state="blackhole")
    result = run(n, "one", "two")
    assert result.reachable
    assert step(result, "route").matched == "local"


def test_blackhole_route_drops() -> None:
    n = peered()
    n.drop_routes("rtb-a", "pcx-a-b")
    n.route("rtb-a", "10.1.0.0/16", "pcx-a-b", state="blackhole")
    result = run(n, "client", "api")
    assert blocked(result) == {"BLACKHOLE_ROUTE"}
    assert "blackhole" in result.blocks[0].detail


def test_route_to_a_peering_not_in_the_network_is_a_blackhole() -> None:
    n = peered()
    n.drop_routes("rtb-a", "pcx-a-b")
    n.route("rtb-a", "10.1.0.0/16", "pcx-deleted")
    assert blocked(run(n, "client", "api")) == {"BLACKHOLE_ROUTE"}


def test_prefix_list_route() -> None:
    n = peered()
    n.drop_routes("rtb-a", "pcx-a-b")
    pl = n.prefix_list("b-blocks", "10.1.0.0/16")
    n.route("rtb-a", None, "pcx-a-b", pl=pl)
    result = run(n, "client", "api")
    assert result.reachable
    assert step(result, "route").matched == "10.1.0.0/16 via pcx-a-b"


def test_internet_gateway_route_never_reaches_a_private_peer() -> None:
    n = peered()
    n.drop_routes("rtb-a", "pcx-a-b")
    n.route("rtb-a", "0.0.0.0/0", n.igw("vpc-a", "a"), "internet_gateway")
    result = run(n, "client", "api")
    assert result.disposition is Disposition.UNREACHABLE
    assert blocked(result) == {"PRIVATE_VIA_GATEWAY"}
    assert "internet gateway never delivers to vpc-b" in result.blocks[0].detail


def test_a_public_address_through_the_own_internet_gateway_is_traced() -> None:
    n = peered()
    n.route("rtb-a", "0.0.0.0/0", n.igw("vpc-a", "a"), "internet_gateway")
    result = run(n, "client", "8.8.8.8")
    assert result.disposition is Disposition.UNREACHABLE
    assert blocked(result) == {"NO_PUBLIC_IP"}
    n.update("network_interface", "eni-client", public_ip=IPv4Address("198.51.100.7"))
    assert run(n, "client", "8.8.8.8").reachable


def test_a_route_to_a_transit_gateway_not_in_the_network_is_unknown() -> None:
    # TGWs are followed (tests/verify/test_transit.py); one that was not read (another
    # account's) leaves the flow unknown, never closed.
    n = peered()
    n.drop_routes("rtb-a", "pcx-a-b")
    n.route("rtb-a", "10.0.0.0/8", "tgw-1", "transit_gateway")
    result = run(n, "client", "api")
    assert result.disposition is Disposition.UNKNOWN
    assert blocked(result) == {"NOT_IN_NETWORK"}
    assert result.blocks[0].unknown


def test_subnet_without_any_route_table() -> None:
    n = peered()
    n.update("route_table", "rtb-a", main=False)
    result = run(n, "client", "api")
    assert "NO_ROUTE" in blocked(result)
    assert "has no route table" in step(result, "route").detail
