"""A hand-built read of an estate (issue 18): two VPCs laid out as terraform-aws-modules/vpc
leaves them, each with a host; and the spec that connects them. Shared by the planner's
tests (tests/plan/test_existing.py) and the rule's cases (tests/rules/test_security.py)."""

from __future__ import annotations

from ipaddress import IPv4Network
from pathlib import Path

from tests.helpers import write_spec
from vpcwire.network import (
    Account,
    Instance,
    InternetGateway,
    NaclEntry,
    NetworkAcl,
    NetworkBuilder,
    NetworkInterface,
    PortRange,
    Route,
    RouteTable,
    SecurityGroup,
    SecurityGroupRule,
    Subnet,
    Vpc,
)
from vpcwire.pipeline import plan
from vpcwire.plan.existing import Estate
from vpcwire.plan.plan import Plan
from vpcwire.spec.load import load_spec

A, B = "111111111111", "222222222222"
ANY = IPv4Network("0.0.0.0/0")


def _vpc(
    b: NetworkBuilder,
    key: str,
    name: str,
    cidr: str,
    *,
    account: str = A,
    admits: str | None = None,
    host_tags: dict[str, str] | None = None,
) -> None:
    """A VPC as terraform-aws-modules/vpc leaves it: two private subnets with a table each,
    one public subnet with the internet route, the main table serving no subnet, a spare
    table serving none, the default ACL on all, and one host in the first private subnet."""
    net = IPv4Network(cidr)
    blocks = list(net.subnets(new_prefix=24))
    vid = f"vpc-0{key * 16}"
    b.add_account(Account(account))
    b.add(Vpc(vid, name, account, "us-east-1", (net,), tags={"Name": name}))
    local = Route(net, "local", "local")
    private = []
    for k, az in enumerate(("us-east-1a", "us-east-1b")):
        sid = f"subnet-{key}{k}"
        b.add(Subnet(sid, f"{name}-private-{az}", vid, blocks[k + 1], az))
        b.add(RouteTable(f"rtb-{key}{k}", f"{name}-private-{az}", vid, (local,), subnets=(sid,)))
        private.append(sid)
    b.add(Subnet(f"subnet-{key}p", f"{name}-public", vid, blocks[101], "us-east-1a"))
    b.add(InternetGateway(f"igw-{key}", name, vid))
    b.add(
        RouteTable(
            f"rtb-{key}p",
            f"{name}-public",
            vid,
            (local, Route(ANY, f"igw-{key}", "internet_gateway")),
            subnets=(f"subnet-{key}p",),
        )
    )
    b.add(RouteTable(f"rtb-{key}m", f"{name}-default", vid, (local,), main=True))
    b.add(RouteTable(f"rtb-{key}s", f"{name}-spare", vid, (local,)))
    entries = (NaclEntry(100, False, True, "all", ANY), NaclEntry(100, True, True, "all", ANY))
    b.add(
        NetworkAcl(
            f"acl-{key}", "", vid, entries, subnets=(*private, f"subnet-{key}p"), is_default=True
        )
    )
    ingress = (
        (SecurityGroupRule("tcp", PortRange.one(8080), IPv4Network(admits)),) if admits else ()
    )
    b.add(
        SecurityGroup(
            f"sg-{key}", name, vid, ingress=ingress, egress=(SecurityGroupRule("all", None, ANY),)
        )
    )
    ip = blocks[1].network_address + 10
    b.add(
        NetworkInterface(
            f"eni-{key}", "", vid, private[0], ip, (f"sg-{key}",), kind="instance", owner=f"i-{key}"
        )
    )
    tags = {"Name": f"{name}-host", **(host_tags or {})}
    b.add(Instance(f"i-{key}", f"{name}-host", vid, private[0], f"eni-{key}", tags=tags))


def estate(
    *,
    client_cidr: str = "10.20.0.0/16",
    admits: str = "10.20.0.0/16",
    client_account: str = A,
    twin: bool = False,
) -> Estate:
    b = NetworkBuilder()
    _vpc(b, "a", "bf-api", "10.10.0.0/16", admits=admits, host_tags={"Role": "api"})
    _vpc(b, "c", "bf-client", client_cidr, account=client_account)
    if twin:  # a second VPC carrying the same Name tag
        _vpc(b, "d", "bf-client", "10.30.0.0/16")
    return Estate(b.build(), "the test estate")


SPEC = """
name: bf
accounts:
  main: {id: "111111111111"}
  other: {id: "222222222222"}
vpcs:
  provider: {account: main, region: us-east-1, existing: {tags: {Name: bf-api}}}
  consumer: {account: CONSUMER_ACCOUNT, region: us-east-1, existing: {tags: {Name: bf-client}}}
services:
  api:
    vpc: provider
    port: 8080
    targets: {existing_instances: {tags: {Role: api}}}
connections:
  - {consumer: consumer, service: api, via: VIA}
existing_security_groups: MODE
"""


def spec_text(via: str = "auto", mode: str = "report", consumer_account: str = "main") -> str:
    return (
        SPEC.replace("VIA", via).replace("MODE", mode).replace("CONSUMER_ACCOUNT", consumer_account)
    )


def planned(tmp_path: Path, the_estate: Estate, **kw: str) -> Plan:
    return plan(load_spec(write_spec(tmp_path, spec_text(**kw))), the_estate)
