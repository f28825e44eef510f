"""The small networks most verifier tests start from, each working before a test breaks it.

* :func:`peered` — VPC a (client) peered with VPC b (api on tcp/8080).
* :func:`privatelink` — consumer VPC c reaches service svc in provider VPC p through an
  interface endpoint with one ENI per AZ; the NLB has a node and one instance target per AZ.
* :func:`outpost` — inter-region PrivateLink through an outpost VPC: consumer in eu-west-1,
  outpost NLB in eu-west-1 whose IP target lives in the provider VPC in us-east-1, reached
  over an inter-region peering. Node addresses are unknown, as in a plan.
"""

from __future__ import annotations

from vpcwire.network import Network
from vpcwire.verify import Engine, Flow, Step, Trace
from vpcwire.verify.flow import FlowProtocol

from .builder import ACCOUNT_A, ACCOUNT_B, Net, Target, rule

B_ROOT = f"arn:aws:iam::{ACCOUNT_B}:root"


def peered() -> Net:
    n = Net()
    a = n.vpc("a", "10.0.0.0/16")
    b = n.vpc("b", "10.1.0.0/16")
    sa = n.subnet(a, "a1", "10.0.1.0/24")
    sb = n.subnet(b, "b1", "10.1.1.0/24")
    n.sg(a, "client")
    n.sg(b, "api", ingress=(rule("tcp", 8080, cidr="10.0.0.0/16"),))
    n.instance(sa, "10.0.1.10", name="client", sgs=("sg-client",))
    n.instance(sb, "10.1.1.10", name="api", sgs=("sg-api",))
    n.peer(a, b)
    return n


def privatelink(*, node_ips: bool = True) -> Net:
    n = Net()
    p = n.vpc("p", "10.10.0.0/16")
    p1 = n.subnet(p, "p1", "10.10.1.0/24", az="us-east-1a", az_id="use1-az1")
    p2 = n.subnet(p, "p2", "10.10.2.0/24", az="us-east-1b", az_id="use1-az2")
    n.sg(p, "app", ingress=(rule("tcp", 8080, cidr="10.10.0.0/16"),))
    n.instance(p1, "10.10.1.10", name="app1", sgs=("sg-app",))
    n.instance(p2, "10.10.2.10", name="app2", sgs=("sg-app",))
    ips = ("10.10.1.5", "10.10.2.5") if node_ips else ()
    lb = n.nlb(p, "svc", (p1, p2), ips=ips)
    tg = n.target_group(p, "svc", 8080, "instance", Target("i-app1"), Target("i-app2"))
    n.listener(lb, 8080, "TCP", tg)
    svc = n.service("svc", (lb,), principals=(B_ROOT,))

    c = n.vpc("c", "10.20.0.0/16", account=ACCOUNT_B)
    # Account B calls these AZs by other names; the AZ ids say where they really are.
    c1 = n.subnet(c, "c1", "10.20.1.0/24", az="us-east-1c", az_id="use1-az1")
    c2 = n.subnet(c, "c2", "10.20.2.0/24", az="us-east-1d", az_id="use1-az2")
    n.sg(c, "client")
    n.sg(c, "ep", ingress=(rule("tcp", 8080, cidr="10.20.0.0/16"),))
    n.instance(c1, "10.20.1.10", name="client", sgs=("sg-client",))
    n.endpoint(c, "svc", svc, (c1, c2), ips=("10.20.1.50", "10.20.2.50"), sgs=("sg-ep",))
    return n


def outpost() -> Net:
    n = Net()
    prov = n.vpc("prov", "10.10.0.0/16", region="us-east-1")
    p1 = n.subnet(prov, "prov1", "10.10.1.0/24", az="us-east-1a", az_id="use1-az1")
    n.sg(prov, "app", ingress=(rule("tcp", 8080, cidr="10.30.0.0/16"),))
    n.instance(p1, "10.10.1.10", name="app", sgs=("sg-app",))

    out = n.vpc("outpost", "10.30.0.0/16", region="eu-west-1")
    o1 = n.subnet(out, "outpost1", "10.30.1.0/24", az="eu-west-1a", az_id="euw1-az1")
    lb = n.nlb(out, "outpost", (o1,))
    tg = n.target_group(out, "outpost", 8080, "ip", Target("10.10.1.10", 8080, "all"))
    n.listener(lb, 8080, "TCP", tg)
    svc = n.service("outpost", (lb,), region="eu-west-1", principals=(B_ROOT,))
    n.peer(prov, out)

    c = n.vpc("c", "10.20.0.0/16", region="eu-west-1", account=ACCOUNT_B)
    c1 = n.subnet(c, "c1", "10.20.1.0/24", az="eu-west-1b", az_id="euw1-az1")
    n.sg(c, "client")
    n.sg(c, "ep", ingress=(rule("tcp", 8080, cidr="10.20.0.0/16"),))
    n.instance(c1, "10.20.1.10", name="client", sgs=("sg-client",))
    n.endpoint(c, "outpost", svc, (c1,), ips=("10.20.1.50",), sgs=("sg-ep",))
    return n


def internet() -> Net:
    """VPC a in the terraform-aws-modules shape: a public subnet (``web``, with a public
    address) routed to the internet gateway, a private subnet (``worker``) whose default
    route goes to the NAT gateway in the public subnet. VPC b (``db``) is not connected.
    The S3 and DynamoDB prefix lists of us-east-1 exist, as AWS and moto list them."""
    n = Net()
    a = n.vpc("a", "10.0.0.0/16")
    pub = n.subnet(a, "pub", "10.0.0.0/24")
    priv = n.subnet(a, "priv", "10.0.1.0/24")
    n.sg(a, "out")
    igw = n.igw(a, "a")
    n.route(n.table(a, "a-public", pub), "0.0.0.0/0", igw, "internet_gateway")
    nat = n.nat(pub, "a", "10.0.0.5", public_ip="203.0.113.5")
    n.route(n.table(a, "a-private", priv), "0.0.0.0/0", nat, "nat_gateway")
    n.instance(pub, "10.0.0.10", name="web", sgs=("sg-out",), public_ip="198.51.100.10")
    n.instance(priv, "10.0.1.10", name="worker", sgs=("sg-out",))
    b = n.vpc("b", "10.1.0.0/16")
    n.sg(b, "db", ingress=(rule("tcp", 5432, cidr="10.0.0.0/8"),))
    n.instance(n.subnet(b, "b1", "10.1.1.0/24"), "10.1.1.10", name="db", sgs=("sg-db",))
    n.prefix_list("s3", "52.216.0.0/15", "3.5.0.0/19")
    n.update("prefix_list", "pl-s3", name="com.amazonaws.us-east-1.s3")
    n.prefix_list("ddb", "52.94.0.0/22")
    n.update("prefix_list", "pl-ddb", name="com.amazonaws.us-east-1.dynamodb")
    return n


__all__ = [
    "ACCOUNT_A",
    "ACCOUNT_B",
    "B_ROOT",
    "blocked",
    "internet",
    "outpost",
    "peered",
    "privatelink",
    "run",
    "step",
]


def run(
    n: Net | Network,
    source: str,
    destination: str,
    protocol: FlowProtocol = "tcp",
    port: int = 8080,
) -> Trace:
    """Trace one flow over a hand-built network."""
    network = n.build() if isinstance(n, Net) else n
    return Engine(network).trace(Flow(source, destination, protocol, port))


def blocked(result: Trace) -> set[str]:
    """The reason codes of a trace's blocks, as plain strings."""
    return {str(b.reason) for b in result.blocks}


def step(result: Trace, action: str, *, branch: int = 0, direction: str = "forward") -> Step:
    """The first step named ``action`` in the given direction and branch."""
    for hop in result.hops_of(branch):
        if hop.direction == direction:
            for s in hop.steps:
                if s.action == action:
                    return s
    raise AssertionError(f"no {action!r} step in {direction} branch {branch}:\n{result}")
