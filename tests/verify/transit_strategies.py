"""Hypothesis strategy: random Transit Gateway estates, for the exhaustive proof's properties
(and the shapes the data plane's agreement benchmark draws too).

2-4 VPCs (10.i.0.0/16) with workload subnets in AZ a or b; a hub TGW in us-east-1 and
sometimes a second in us-west-2 joined by a peering; each VPC attached to one of them
(sometimes not at all), the attachment having a subnet in a random set of AZs; one to three
TGW route tables (segments) with random associations, propagations, static routes (some
over the peering) and blackholes; VPC routes to the TGW for 10.0.0.0/8 or a single /16;
random security groups and network ACLs, on attachment subnets too; now and then an
attachment not accepted yet or a VPC route to the TGW gone blackhole.
"""

from __future__ import annotations

from hypothesis import strategies as st

from .builder import ALL_OUT, Net, entry, rule
from .strategies import Drawn
from .transit_net import attach, peer_tgws, table, tgw

_RULES = (
    rule("tcp", 8080, cidr="10.0.0.0/8"),
    rule("all", cidr="10.0.0.0/8"),
    rule("udp", 53, cidr="10.0.0.0/8"),
    rule("icmp", 8, cidr="10.0.0.0/8"),
    rule("tcp", (0, 9000), cidr="10.1.0.0/16"),
)


@st.composite
def tgw_networks(draw: st.DrawFn) -> Drawn:
    n = Net()
    count = draw(st.integers(2, 4))
    two = draw(st.booleans())
    hubs = [tgw(n, "hub")]
    if two:
        hubs.append(tgw(n, "west", region="us-west-2"))
    vpcs, instances, atts = [], [], []
    home: dict[str, str] = {}
    block: dict[str, str] = {}
    for i in range(count):
        t = draw(st.sampled_from(hubs))
        region = "us-west-2" if t == "tgw-west" else "us-east-1"
        v = n.vpc(f"x{i}", f"10.{i}.0.0/16", region=region)
        vpcs.append(v)
        ingress = (
            (rule(cidr="10.0.0.0/8"),)
            if not draw(st.booleans())
            else tuple(draw(st.lists(st.sampled_from(_RULES), max_size=3, unique=True)))
        )
        n.sg(v, f"x{i}", ingress=ingress, egress=(ALL_OUT,))
        for s in range(draw(st.integers(1, 2))):
            az = draw(st.sampled_from("ab"))
            sid = n.subnet(v, f"x{i}s{s}", f"10.{i}.{s + 1}.0/24", az=f"{region}{az}")
            n.instance(sid, f"10.{i}.{s + 1}.10", name=f"h{i}{s}", sgs=(f"sg-x{i}",))
            instances.append(f"h{i}{s}")
        legs = []
        for k, az in enumerate("ab"):
            leg = n.subnet(v, f"x{i}t{az}", f"10.{i}.0.{16 * k}/28", az=f"{region}{az}")
            if draw(st.integers(0, 3)) < 3:
                legs.append(leg)
            if draw(st.integers(0, 4)) == 4:
                n.nacl(
                    v,
                    f"x{i}t{az}-acl",
                    (leg,),
                    entry(100, egress=False, allow=draw(st.booleans()), protocol="tcp",
                          cidr="10.0.0.0/8", ports=(0, 9000)),
                    entry(200, egress=False, cidr="10.0.0.0/8"),
                    entry(100, egress=True, allow=draw(st.booleans()), protocol="udp",
                          cidr="10.0.0.0/8", ports=53),
                    entry(200, egress=True, cidr="10.0.0.0/8"),
                )  # fmt: skip
        if legs and draw(st.integers(0, 9)) < 9:
            pending = draw(st.integers(0, 9)) == 9  # not accepted yet: carries nothing
            atts.append(
                attach(n, t, v, *legs, state="pendingAcceptance" if pending else "available")
            )
            home[atts[-1]] = t
            block[atts[-1]] = f"10.{i}.0.0/16"
        target = "10.0.0.0/8" if draw(st.integers(0, 3)) < 3 else f"10.{(i + 1) % count}.0.0/16"
        if draw(st.integers(0, 5)) < 5:
            state = "blackhole" if draw(st.integers(0, 9)) == 9 else "active"
            n.route(f"rtb-x{i}", target, t, "transit_gateway", state=state)
    peering = peer_tgws(n, hubs[0], hubs[1]) if two else None
    for t in hubs:
        mine = [a for a in atts if home[a] == t] + ([peering] if peering else [])
        tables = draw(st.integers(1, 3))
        assoc: dict[int, list[str]] = {k: [] for k in range(tables)}
        for a in mine:
            k = draw(st.integers(0, 2 * tables))  # >= tables: none (1 in 3 or less)
            k = k if k <= tables else 0
            if k < tables:
                assoc[k].append(a)
        for k in range(tables):
            props = (
                mine
                if not draw(st.booleans())
                else draw(st.lists(st.sampled_from(mine), unique=True))
                if mine
                else []
            )
            routes: list[tuple[str, str | None]] = []
            if peering and draw(st.integers(0, 3)) < 3:  # the static routes a peering needs
                routes += [(block[a], peering) for a in atts if home[a] != t]
            for _ in range(draw(st.integers(0, 2))):
                dest = f"10.{draw(st.integers(0, count - 1))}.0.0/16"
                if draw(st.booleans()):
                    dest = dest.replace(".0.0/16", ".1.0/24")
                via = draw(st.sampled_from([*mine, None])) if mine else None
                routes.append((dest, via))
            table(n, t, f"{t.removeprefix('tgw-')}{k}", associations=tuple(assoc[k]),
                  propagations=tuple(props), routes=tuple(routes))  # fmt: skip
    return Drawn(n, instances, vpcs)
