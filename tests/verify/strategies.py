"""Hypothesis strategies: small random networks built with :class:`Net`, and flows over them.

Networks are 2-4 VPCs with non-overlapping /16s, one or two subnets and instances each,
random peerings (mostly active) with a route per direction drawn independently, random
security group rules and sometimes a custom network ACL. Routes only ever point at the
exact peer CIDR, so each route is the only way to its destination: that is what lets the
"remove a used route" property hold.
"""

from __future__ import annotations

from dataclasses import dataclass

from hypothesis import strategies as st

from vpcwire.network import SecurityGroupRule
from vpcwire.verify import Flow

from .builder import ALL_OUT, Net, entry, rule

REGIONS = ("us-east-1", "eu-west-1")
SERVICES = (("tcp", 8080), ("udp", 53), ("icmp", 8))


@dataclass
class Drawn:
    net: Net
    instances: list[str]  # instance names
    vpcs: list[str]


def _rule_pool(n_vpcs: int) -> list[SecurityGroupRule]:
    pool = [
        rule("tcp", 8080, cidr="10.0.0.0/8"),
        rule("all", cidr="10.0.0.0/8"),
        rule("udp", 53, cidr="10.0.0.0/8"),
        rule("icmp", 8, cidr="10.0.0.0/8"),
    ]
    for i in range(n_vpcs):
        pool += [
            rule("tcp", 8080, cidr=f"10.{i}.0.0/16"),
            rule("all", cidr=f"10.{i}.0.0/16"),
            rule("tcp", 8080, group=f"sg-x{i}"),
        ]
    return pool


@st.composite
def networks(draw: st.DrawFn, *, open_security: bool = False) -> Drawn:
    n = Net()
    count = draw(st.integers(2, 4))
    vpcs, instances = [], []
    pool = _rule_pool(count)
    for i in range(count):
        region = draw(st.sampled_from(REGIONS))
        v = n.vpc(f"x{i}", f"10.{i}.0.0/16", region=region)
        vpcs.append(v)
        if open_security:
            ingress: tuple[SecurityGroupRule, ...] = (rule(cidr="10.0.0.0/8"),)
        else:
            ingress = tuple(draw(st.lists(st.sampled_from(pool), max_size=3, unique=True)))
        egress = (
            (ALL_OUT,)
            if open_security or draw(st.booleans())
            else (rule("tcp", 8080, cidr="10.0.0.0/8"),)
        )
        n.sg(v, f"x{i}", ingress=ingress, egress=egress)
        subnets = []
        for s in range(draw(st.integers(1, 2))):
            sid = n.subnet(v, f"x{i}s{s}", f"10.{i}.{s}.0/24")
            subnets.append(sid)
            n.instance(sid, f"10.{i}.{s}.10", name=f"h{i}{s}", sgs=(f"sg-x{i}",))
            instances.append(f"h{i}{s}")
        if not open_security and draw(st.integers(0, 3)) == 0:
            n.nacl(
                v,
                f"x{i}-custom",
                tuple(subnets),
                entry(
                    100,
                    egress=False,
                    allow=draw(st.booleans()),
                    protocol="tcp",
                    cidr="10.0.0.0/8",
                    ports=(0, 9000),
                ),
                entry(200, egress=False, cidr="10.0.0.0/8"),
                entry(100, egress=True, cidr="10.0.0.0/8"),
            )
    for i in range(count):
        for j in range(i + 1, count):
            if not draw(st.booleans()):
                continue
            status = (
                "active"
                if open_security
                else draw(st.sampled_from(("active", "active", "active", "pending-acceptance")))
            )
            pcx = n.peer(vpcs[i], vpcs[j], status=status, routes=False)
            if draw(st.integers(0, 4)) > 0:
                n.route(f"rtb-x{i}", f"10.{j}.0.0/16", pcx)
            if draw(st.integers(0, 4)) > 0:
                n.route(f"rtb-x{j}", f"10.{i}.0.0/16", pcx)
    return Drawn(n, instances, vpcs)


@st.composite
def flows(draw: st.DrawFn, drawn: Drawn) -> Flow:
    source = draw(st.sampled_from(drawn.instances))
    destination = draw(st.sampled_from([i for i in drawn.instances if i != source]))
    protocol, port = draw(st.sampled_from(SERVICES))
    return Flow(source, destination, protocol, port)  # type: ignore[arg-type]


@st.composite
def chains(draw: st.DrawFn) -> Net:
    """VPCs peered in a chain x0 — x1 — … with open security and arbitrary routes, including
    routes to far VPCs through a neighbour's peering (which must never work)."""
    n = Net()
    length = draw(st.integers(3, 5))
    vpcs = []
    for i in range(length):
        v = n.vpc(f"x{i}", f"10.{i}.0.0/16", region=draw(st.sampled_from(REGIONS)))
        vpcs.append(v)
        n.sg(v, f"x{i}", ingress=(rule(cidr="10.0.0.0/8"),))
        n.instance(
            n.subnet(v, f"x{i}s", f"10.{i}.1.0/24"), f"10.{i}.1.10", name=f"h{i}", sgs=(f"sg-x{i}",)
        )
    links = [n.peer(vpcs[i], vpcs[i + 1], routes=True) for i in range(length - 1)]
    for i in range(length):
        for j in range(length):
            if abs(i - j) < 2 or not draw(st.booleans()):
                continue
            near = [k for k in (i - 1, i) if 0 <= k < length - 1]  # links touching x_i
            via = links[draw(st.sampled_from(near))]
            if draw(st.booleans()):
                n.route(f"rtb-x{i}", f"10.{j}.0.0/16", via)
            else:
                n.route(f"rtb-x{i}", "10.0.0.0/8", via)
    return n
