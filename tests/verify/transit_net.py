"""Transit Gateway pieces for hand-built test Networks (on top of :mod:`.builder`).

``hub()`` is the estate most TGW tests start from: VPCs ``a`` (10.0.0.0/16) and ``b``
(10.1.0.0/16) in us-east-1, each with a workload subnet and an attachment subnet in AZ
us-east-1a, attached to ``tgw-hub`` whose one route table ``tgw-rtb-main`` has both
attachments associated and propagating, and each VPC's main table routing the other's CIDR
to the TGW. ``api`` in b admits tcp/8080 from 10.0.0.0/8.
"""

from __future__ import annotations

from ipaddress import IPv4Network
from typing import Any

from vpcwire.network import TgwAttachment, TgwRoute, TgwRouteTable, TransitGateway

from .builder import ACCOUNT_A, Net, entry, rule
from .scenarios import privatelink


def tgw(n: Net, name: str, *, region: str = "us-east-1", account: str = ACCOUNT_A) -> str:
    tid = f"tgw-{name}"
    n.b.add(TransitGateway(tid, name, account=account, region=region))
    return tid


def attach(n: Net, tgw_id: str, vpc: str, *subnets: str, **kw: Any) -> str:
    name = n.b.get("vpc", vpc).name
    aid = f"tgw-attach-{name}-{tgw_id.removeprefix('tgw-')}"
    account = n.b.get("vpc", vpc).account
    n.b.add(TgwAttachment(aid, name, transit_gateway=tgw_id, vpc=vpc, subnets=subnets,
                          account=account, **kw))  # fmt: skip
    return aid


def peer_tgws(n: Net, a: str, b: str) -> str:
    pid = f"tgw-attach-peer-{a.removeprefix('tgw-')}-{b.removeprefix('tgw-')}"
    ta, tb = n.b.get("transit_gateway", a), n.b.get("transit_gateway", b)
    n.b.add(
        TgwAttachment(pid, "peer", transit_gateway=a, kind="peering", peer_transit_gateway=b,
                      account=ta.account, peer_account=tb.account, peer_region=tb.region)
    )  # fmt: skip
    return pid


def table(
    n: Net,
    tgw_id: str,
    name: str,
    *,
    associations: tuple[str, ...] = (),
    propagations: tuple[str, ...] = (),
    routes: tuple[tuple[str, str | None], ...] = (),
) -> str:
    """A TGW route table; ``routes`` are static (destination, attachment or None: blackhole)."""
    rid = f"tgw-rtb-{name}"
    static = tuple(
        TgwRoute(IPv4Network(d), a, state="active" if a else "blackhole") for d, a in routes
    )
    n.b.add(TgwRouteTable(rid, name, transit_gateway=tgw_id, routes=static,
                          associations=associations, propagations=propagations))  # fmt: skip
    return rid


def add_route(n: Net, rid: str, destination: str, attachment: str | None) -> None:
    rt = n.b.get("tgw_route_table", rid)
    new = TgwRoute(
        IPv4Network(destination), attachment, state="active" if attachment else "blackhole"
    )
    n.b.update(rt, routes=(*rt.routes, new))


def spoke(n: Net, name: str, second: int, *, region: str = "us-east-1", az: str = "a") -> str:
    """A VPC 10.<second>.0.0/16 with a workload subnet .1.0/24 (instance ``name`` at .1.10,
    admitting tcp/8080 from 10.0.0.0/8) and an attachment subnet .0.0/28, both in AZ ``az``."""
    v = n.vpc(name, f"10.{second}.0.0/16", region=region)
    work = n.subnet(v, f"{name}1", f"10.{second}.1.0/24", az=f"{region}{az}")
    n.subnet(v, f"{name}-tgw", f"10.{second}.0.0/28", az=f"{region}{az}")
    n.sg(
        v,
        f"{name}-app",
        ingress=(rule("tcp", 8080, cidr="10.0.0.0/8"), rule("icmp", cidr="10.0.0.0/8")),
    )
    n.instance(work, f"10.{second}.1.10", name=name, sgs=(f"sg-{name}-app",))
    return v


def hub() -> Net:
    n = Net()
    a = spoke(n, "a", 0)
    b = spoke(n, "b", 1)
    t = tgw(n, "hub")
    aa = attach(n, t, a, "subnet-a-tgw")
    ab = attach(n, t, b, "subnet-b-tgw")
    table(n, t, "main", associations=(aa, ab), propagations=(aa, ab))
    n.route("rtb-a", "10.1.0.0/16", t, "transit_gateway")
    n.route("rtb-b", "10.0.0.0/16", t, "transit_gateway")
    return n


def two_az() -> Net:
    """b's attachment has a subnet in each of two AZs; the one in us-east-1a sits behind a
    network ACL that lets nothing out of it."""
    n = hub()
    b2 = n.subnet("vpc-b", "b-tgw2", "10.1.0.16/28", az="us-east-1b")
    a2 = n.subnet("vpc-a", "a-tgw2", "10.0.0.16/28", az="us-east-1b")
    n.b.update(n.b.get("tgw_attachment", "tgw-attach-b-hub"), subnets=("subnet-b-tgw", b2))
    n.b.update(n.b.get("tgw_attachment", "tgw-attach-a-hub"), subnets=("subnet-a-tgw", a2))
    n.nacl("vpc-b", "closed", ("subnet-b-tgw",), entry(100, egress=False))
    n.instance(n.subnet("vpc-a", "a2", "10.0.2.0/24", az="us-east-1b"), "10.0.2.10", name="a-b",
               sgs=("sg-a-app",))  # fmt: skip
    return n


def segments() -> Net:
    """prod and dev each reach shared, never each other (a table per segment)."""
    n = Net()
    vpcs = {x: spoke(n, x, i) for i, x in enumerate(("shared", "prod", "dev"))}
    t = tgw(n, "hub")
    att = {x: attach(n, t, v, f"subnet-{x}-tgw") for x, v in vpcs.items()}
    table(n, t, "prod", associations=(att["prod"],), propagations=(att["shared"],))
    table(n, t, "dev", associations=(att["dev"],), propagations=(att["shared"],))
    table(n, t, "shared", associations=(att["shared"],), propagations=(att["prod"], att["dev"]))
    for x in vpcs:
        n.route(f"rtb-{x}", "10.0.0.0/8", t, "transit_gateway")
    return n


def two_regions(*, static: bool = True) -> Net:
    n = Net()
    a = spoke(n, "a", 0)
    w = spoke(n, "w", 2, region="us-west-2")
    east, west = tgw(n, "east"), tgw(n, "west", region="us-west-2")
    aa, aw = attach(n, east, a, "subnet-a-tgw"), attach(n, west, w, "subnet-w-tgw")
    p = peer_tgws(n, east, west)
    table(n, east, "east", associations=(aa, p), propagations=(aa, p),
          routes=(("10.2.0.0/16", p),) if static else ())  # fmt: skip
    table(n, west, "west", associations=(aw, p), propagations=(aw,),
          routes=(("10.0.0.0/16", p),))  # fmt: skip
    n.route("rtb-a", "10.2.0.0/16", east, "transit_gateway")
    n.route("rtb-w", "10.0.0.0/16", west, "transit_gateway")
    return n


def endpoint_behind_tgw() -> Net:
    """privatelink(): consumer VPC c (10.20.0.0/16, account B) holds the interface endpoint
    (an ENI in each of two AZ ids); VPC x (10.30.0.0/16), attached to the same TGW as c,
    reaches the endpoint's ENIs through it. c's attachment has a subnet in each AZ, so the
    replies of both ENIs reach the TGW."""
    n = privatelink()
    x = n.vpc("x", "10.30.0.0/16")
    n.subnet(x, "x-tgw", "10.30.0.0/28", az="us-east-1c", az_id="use1-az1")
    n.instance(n.subnet(x, "x1", "10.30.1.0/24", az="us-east-1c", az_id="use1-az1"), "10.30.1.10",
               name="x-client")  # fmt: skip
    n.subnet("vpc-c", "c-tgw", "10.20.0.0/28", az="us-east-1c", az_id="use1-az1")
    n.subnet("vpc-c", "c-tgw2", "10.20.0.16/28", az="us-east-1d", az_id="use1-az2")
    n.add_rule("sg-ep", rule("tcp", 8080, cidr="10.30.0.0/16"))
    t = tgw(n, "hub")
    ax = attach(n, t, x, "subnet-x-tgw")
    ac = attach(n, t, "vpc-c", "subnet-c-tgw", "subnet-c-tgw2")
    table(n, t, "main", associations=(ax, ac), propagations=(ax, ac))
    n.route("rtb-x", "10.20.0.0/16", t, "transit_gateway")
    n.route("rtb-c", "10.30.0.0/16", t, "transit_gateway")
    return n


def through_x() -> Net:
    """a's traffic to b goes through VPC x first (a hairpin, as an inspection VPC without its
    appliance): a's table sends 10.1.0.0/16 to x's attachment; x's attachment subnet sends
    it back to the TGW, whose table for x's attachment sends it on to b. b answers a
    directly (b's table propagates a)."""
    n = Net()
    a, b, x = spoke(n, "a", 0), spoke(n, "b", 1), spoke(n, "x", 2)
    t = tgw(n, "hub")
    aa, ab, ax = (attach(n, t, v, f"subnet-{v[4:]}-tgw") for v in (a, b, x))
    table(n, t, "spokes", associations=(aa,), routes=(("10.1.0.0/16", ax),))
    table(n, t, "inspect", associations=(ax,), propagations=(ab,))
    table(n, t, "back", associations=(ab,), propagations=(aa,))
    n.route("rtb-a", "10.1.0.0/16", t, "transit_gateway")
    n.route("rtb-b", "10.0.0.0/16", t, "transit_gateway")
    rt = n.table(x, "x-tgw", "subnet-x-tgw")
    n.route(rt, "10.1.0.0/16", t, "transit_gateway")
    return n
