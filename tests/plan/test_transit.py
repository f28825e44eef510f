"""The connect_transit pass and the guide's choice for peers groups.

Expectations come from AWS's documented Transit Gateway behaviour (written before looking
at the plan): an attachment is associated with one route table and routes by its table; a
subnet reaches the TGW only through an attachment subnet in its AZ; TGW peerings carry
static routes only; another account's VPC attaches through a RAM share and the owner's
acceptance. https://docs.aws.amazon.com/vpc/latest/tgw/how-transit-gateways-work.html
"""

from __future__ import annotations

from ipaddress import IPv4Network
from pathlib import Path

from tests.conftest import EXAMPLES
from tests.helpers import load
from vpcwire.network import Network, TgwRouteTable
from vpcwire.pipeline import plan
from vpcwire.plan.plan import Plan
from vpcwire.spec.load import load_spec

CIDR = {
    "shared": IPv4Network("10.10.0.0/16"),
    "prod": IPv4Network("10.20.0.0/16"),
    "west": IPv4Network("10.30.0.0/16"),
    "dev": IPv4Network("10.40.0.0/16"),
}


def example() -> Plan:
    return plan(load_spec(EXAMPLES / "transit-gateway.yaml"))


def table_of(net: Network, vpc: str) -> TgwRouteTable:
    (att,) = net.tgw_attachments_of_vpc[f"aws_vpc.{vpc}"]
    return net.tgw_route_table_of[(att.transit_gateway, att.id)]


def destinations(net: Network, table: TgwRouteTable) -> set[IPv4Network]:
    return {r.destination for r in net.tgw_routes(table) if r.destination is not None}


def test_one_gateway_per_region_owned_by_the_account_with_most_vpcs() -> None:
    net = example().network
    gateways = {g.region: g for g in net.transit_gateways.values()}
    assert sorted(gateways) == ["us-east-1", "us-west-2"]
    assert {g.account for g in gateways.values()} == {"111111111111"}
    # peered gateways get distinct ASNs (AWS recommends it)
    assert len({g.asn for g in gateways.values()}) == 2
    # two segments: defaults off, tables of our own
    assert not any(g.default_association or g.default_propagation for g in gateways.values())


def test_attachments_sit_in_one_private_subnet_per_az() -> None:
    net = example().network
    for vpc, azs in {"shared": 2, "prod": 2, "west": 1, "dev": 1}.items():
        (att,) = net.tgw_attachments_of_vpc[f"aws_vpc.{vpc}"]
        subnets = [net.subnets[s] for s in att.subnets]
        assert len({s.az for s in subnets}) == len(subnets) == azs
        private = {s.id for s in net.subnets.values() if s.vpc == att.vpc and "private" in s.name}
        assert set(att.subnets) <= private


def test_segments_route_only_within_themselves_and_the_shared_vpc_reaches_both() -> None:
    net = example().network
    own = {v: {CIDR[v]} for v in CIDR}
    assert destinations(net, table_of(net, "shared")) == set(CIDR.values())
    assert destinations(net, table_of(net, "prod")) == own["shared"] | own["prod"] | own["west"]
    assert destinations(net, table_of(net, "west")) == own["shared"] | own["prod"] | own["west"]
    assert destinations(net, table_of(net, "dev")) == own["shared"] | own["dev"]


def test_the_remote_region_is_reached_by_static_routes_over_the_peering() -> None:
    net = example().network
    (peering,) = [a for a in net.tgw_attachments.values() if a.kind == "peering"]
    assert peering.peer_region == "us-west-2"
    west = table_of(net, "west")
    static = {r.destination: r.attachment for r in west.routes if r.kind == "static"}
    assert static == {CIDR["shared"]: peering.id, CIDR["prod"]: peering.id}
    # on the east side the peering's own table sends west's traffic only to its segment
    for gateway in (peering.transit_gateway, peering.peer_transit_gateway):
        assert gateway is not None
        table = net.tgw_route_table_of[(gateway, peering.id)]
        if gateway == peering.transit_gateway:
            assert destinations(net, table) == {CIDR["shared"], CIDR["prod"]}
        else:
            assert destinations(net, table) == {CIDR["west"]}


def test_every_route_table_of_an_attached_vpc_routes_its_peers_to_its_gateway() -> None:
    net = example().network
    reach = {
        "shared": {"prod", "west", "dev"},
        "prod": {"shared", "west"},
        "west": {"shared", "prod"},
        "dev": {"shared"},
    }
    for vpc, peers in reach.items():
        (att,) = net.tgw_attachments_of_vpc[f"aws_vpc.{vpc}"]
        tables = [t for t in net.route_tables.values() if t.vpc == f"aws_vpc.{vpc}"]
        assert tables
        for table in tables:
            to_tgw = {r.destination for r in table.routes if r.kind == "transit_gateway"}
            assert to_tgw == {CIDR[p] for p in peers}, (vpc, table.name)
            assert {r.target for r in table.routes if r.kind == "transit_gateway"} == {
                att.transit_gateway
            }


def test_the_other_account_attaches_through_a_ram_share() -> None:
    net = example().network
    (share,) = net.resource_shares.values()
    east = next(g for g in net.transit_gateways.values() if g.region == "us-east-1")
    assert share.resources == (east.id,) and share.principals == ("222222222222",)
    (dev,) = net.tgw_attachments_of_vpc["aws_vpc.dev"]
    assert dev.account == "222222222222" and dev.transit_gateway == east.id


def test_security_groups_admit_exactly_the_segment_peers() -> None:
    net = example().network
    dev = net.security_groups["aws_security_group.dev_workload"]
    assert {r.cidr for r in dev.ingress} == {CIDR["shared"]}
    assert {(r.protocol, r.ports.low if r.ports else None) for r in dev.ingress} == {
        ("tcp", 443),
        ("icmp", None),
    }
    prod = net.security_groups["aws_security_group.prod_workload"]
    assert {r.cidr for r in prod.ingress} == {CIDR["shared"], CIDR["west"]}


def test_the_example_plans_without_findings_of_errors() -> None:
    assert example().errors == []


ONE_SEGMENT = """
accounts:
  main: {id: "111111111111"}
vpcs:
  a: {region: us-east-1, cidr: 10.0.0.0/16, azs: [us-east-1a, us-east-1b]}
  b: {region: us-east-1, cidr: 10.1.0.0/16, azs: [us-east-1a]}
  c: {region: us-east-1, cidr: 10.2.0.0/16, azs: [us-east-1b]}
connections:
  - {peers: [a, b, c], via: transit-gateway}
"""


def test_one_segment_in_one_region_uses_the_default_table(tmp_path: Path) -> None:
    net = plan(load(tmp_path, ONE_SEGMENT)).network
    (gateway,) = net.transit_gateways.values()
    assert gateway.default_association and gateway.default_propagation
    (table,) = net.tgw_route_tables.values()
    assert table.id == gateway.association_default_route_table
    assert len(table.associations) == len(table.propagations) == 3
    assert destinations(net, table) == {
        IPv4Network("10.0.0.0/16"),
        IPv4Network("10.1.0.0/16"),
        IPv4Network("10.2.0.0/16"),
    }


def _vpcs(n: int) -> str:
    return "".join(
        f"  v{i}: {{region: us-east-1, cidr: 10.{i}.0.0/16, azs: [us-east-1a]}}\n" for i in range(n)
    )


HEAD = 'accounts:\n  main: {id: "111111111111"}\nvpcs:\n'


def test_auto_keeps_a_small_group_on_a_peering_mesh(tmp_path: Path) -> None:
    p = plan(load(tmp_path, HEAD + _vpcs(3) + "connections:\n  - {peers: [v0, v1, v2]}\n"))
    (d,) = p.decisions
    assert d.mechanism == "peering"
    assert len(p.network.peerings) == 3
    assert not p.network.transit_gateways
    why = {a.mechanism: a.why_not for a in d.rejected}["transit gateway"]
    assert "3 attachment(s) x $0.05/attachment-hour = $109.50/month" in why


def test_auto_takes_a_gateway_for_six_vpcs_any_to_any(tmp_path: Path) -> None:
    peers = ", ".join(f"v{i}" for i in range(6))
    p = plan(load(tmp_path, HEAD + _vpcs(6) + f"connections:\n  - {{peers: [{peers}]}}\n"))
    (d,) = p.decisions
    assert d.mechanism == "transit-gateway"
    assert [r.code for r in d.reasons][:2] == ["two-way", "many-vpcs"]
    assert "15 peerings" in d.reasons[1].text
    assert not p.network.peerings and len(p.network.tgw_attachments) == 6


def test_auto_pair_joins_the_gateway_only_when_both_are_attached(tmp_path: Path) -> None:
    text = (
        HEAD
        + _vpcs(4)
        + "connections:\n"
        + "  - {peers: [v0, v1, v2], via: transit-gateway}\n"
        + "  - {peers: [v0, v1]}\n"  # both attached already: joins (no second path)
        + "  - {peers: [v2, v3]}\n"  # v3 is not: a peering, no new attachment
    )
    p = plan(load(tmp_path, text))
    mechanisms = [d.mechanism for d in p.decisions]
    assert mechanisms == ["transit-gateway", "transit-gateway", "peering"]
    assert "all-attached" in [r.code for r in p.decisions[1].reasons]
    assert [pcx.name for pcx in p.network.peerings.values()] == ["v2_v3"]


def test_the_pass_says_its_own_choices_in_the_decision() -> None:
    seg, dev = example().decisions
    layout = next(r for r in seg.reasons if r.code == "tgw-layout")
    assert "us-east-1: account network, us-west-2: account network" in layout.text
    assert "shared: 2 AZ(s); prod: 2 AZ(s); west: 1 AZ(s)" in layout.text
    assert "defaults off" in layout.text
    assert "us-west-2" not in next(r for r in dev.reasons if r.code == "tgw-layout").text


def test_one_segment_says_it_keeps_the_defaults(tmp_path: Path) -> None:
    (d,) = plan(load(tmp_path, ONE_SEGMENT)).decisions
    layout = next(r for r in d.reasons if r.code == "tgw-layout")
    assert "default association and propagation on" in layout.text


def test_auto_takes_a_gateway_where_the_mesh_would_pass_the_peering_quota(
    tmp_path: Path,
) -> None:
    # hub already has 50 peerings (the default quota); a mesh of [hub, x, y] would add 2
    spokes = "".join(
        f"  s{i}: {{region: us-east-1, cidr: 10.{i}.0.0/16, azs: [us-east-1a]}}\n"
        for i in range(50)
    )
    vpcs = (
        spokes
        + "  hub: {region: us-east-1, cidr: 10.200.0.0/16, azs: [us-east-1a]}\n"
        + "  x: {region: us-east-1, cidr: 10.201.0.0/16, azs: [us-east-1a]}\n"
        + "  y: {region: us-east-1, cidr: 10.202.0.0/16, azs: [us-east-1a]}\n"
    )
    conns = "".join(f"  - {{peers: [hub, s{i}]}}\n" for i in range(50))
    conns += "  - {peers: [hub, x, y]}\n"
    p = plan(load(tmp_path, HEAD + vpcs + "connections:\n" + conns))
    *pairs, group = p.decisions
    assert {d.mechanism for d in pairs} == {"peering"}
    assert group.mechanism == "transit-gateway"
    assert "peering-quota" in [r.code for r in group.reasons]
    assert len(p.network.peerings) == 50


def test_the_cost_reason_prices_the_attachments_and_the_given_traffic(tmp_path: Path) -> None:
    text = ONE_SEGMENT.replace(
        "via: transit-gateway}", "via: transit-gateway, traffic_gb_month: 1000}"
    )
    (d,) = plan(load(tmp_path, text)).decisions
    cost = next(r for r in d.reasons if r.code == "cost")
    # 3 attachments x $0.05 x 730 h = $109.50; 1,000 GB x $0.02 = $20.00
    assert "3 attachment(s) x $0.05/attachment-hour = $109.50/month (one per VPC)" in cost.text
    assert "($20.00 at 1000 GB/month)" in cost.text
    assert "a mesh of 3 peering(s) has no hourly fee" in cost.text
