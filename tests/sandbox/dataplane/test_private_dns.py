"""Private DNS of an endpoint service, resolved and connected to inside the namespaces.

The service's private DNS name (DescribeVpcEndpointServiceConfigurations' PrivateDnsName,
read back from the sandbox) resolves to the endpoint ENIs only in a consumer VPC whose
endpoint enables private DNS and whose DNS support and hostnames are on, as AWS associates
the private hosted zone only there. A second consumer whose endpoint disables private DNS
cannot resolve the name, yet still reaches the service by the endpoint's own DNS name.
"""

from __future__ import annotations

import subprocess
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.integration.check_world import Region, Vpc, permission
from tests.read.helpers import Aws, read
from tests.verify.builder import Net, Target, rule
from vpcwire.network import Network
from vpcwire.sandbox.dataplane import build_layout, materialise
from vpcwire.sandbox.dataplane.responders import Responders
from vpcwire.sandbox.server import Sandbox

NAME = "api.example.internal"
CONNECT = (
    "import socket, sys\n"
    "s = socket.create_connection((sys.argv[1], 8080), timeout=3)\n"
    "s.sendall(b'GET / HTTP/1.0\\r\\n\\r\\n')\n"
    "print(s.recv(200).decode().splitlines()[-1])\n"
)


@pytest.fixture(scope="module")
def url() -> Iterator[str]:
    with Sandbox() as sandbox:
        yield sandbox.endpoint_url


def _consumer(r: Region, name: str, cidr: str, service_name: str, private_dns: bool) -> Vpc:
    vpc = r.vpc(name, cidr)
    for attribute in ("EnableDnsSupport", "EnableDnsHostnames"):
        r.ec2.modify_vpc_attribute(VpcId=vpc.id, **{attribute: {"Value": True}})
    subnet = r.subnet(vpc, cidr.replace("0.0/16", "1.0/24"), f"{name}-a")
    r.instance(
        subnet, f"{name}-client", cidr.replace("0.0/16", "1.10"), r.security_group(vpc, name)
    )
    r.ec2.create_vpc_endpoint(
        VpcId=vpc.id,
        ServiceName=service_name,
        VpcEndpointType="Interface",
        SubnetIds=[subnet],
        SecurityGroupIds=[r.security_group(vpc, f"{name}-ep", [permission(8080, cidr=cidr)])],
        PrivateDnsEnabled=private_dns,
    )
    return vpc


def _estate(url: str) -> Network:
    aws = Aws.new(url)
    r = Region(aws)
    p = r.vpc("provider", "10.60.0.0/16")
    p1 = r.subnet(p, "10.60.1.0/24", "provider-a")
    app_sg = r.security_group(p, "app", [permission(8080, cidr="10.60.0.0/16")])
    r.instance(p1, "app", "10.60.1.10", app_sg)
    lb = r.nlb("svc", p1)
    r.forward(lb, p, "svc", 8080, "10.60.1.10")
    service_name = r.ec2.create_vpc_endpoint_service_configuration(
        NetworkLoadBalancerArns=[lb], AcceptanceRequired=False, PrivateDnsName=NAME
    )["ServiceConfiguration"]["ServiceName"]
    _consumer(r, "with", "10.61.0.0/16", service_name, private_dns=True)
    _consumer(r, "without", "10.62.0.0/16", service_name, private_dns=False)
    return read([aws], ["us-east-1"]).network


def _run(ns: str, *argv: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        ["ip", "netns", "exec", ns, *argv], capture_output=True, text=True, timeout=10
    )


def _namespace(network: Network, plane_ns: dict[str, str], label: str) -> str:
    layout = build_layout(network, "x")
    (slot,) = [s for s in layout.slots.values() if s.label == label]
    return plane_ns[slot.id]


@pytest.mark.integration
def test_private_dns_name_resolves_and_connects_only_where_the_endpoint_enables_it(
    url: str, plane_dir: Path
) -> None:
    network = _estate(url)
    (service,) = network.endpoint_services.values()
    assert service.private_dns_name == NAME  # read back from the sandbox
    plane = materialise(network, plane_dir, imds=False)
    ns = dict(plane.layout.namespace_of)
    app = _namespace(network, ns, "app")
    with_ns = _namespace(network, ns, "with-client")
    without_ns = _namespace(network, ns, "without-client")
    endpoints = {ep.vpc: ep for ep in network.endpoints.values()}
    without_vpc = next(v.id for v in network.vpcs.values() if v.name == "without")
    regional = endpoints[without_vpc].dns_names[0]
    with Responders([(app, "tcp", 8080, "app")]):
        resolved = _run(with_ns, "getent", "hosts", NAME)
        assert resolved.returncode == 0, resolved.stderr
        eni = next(
            str(s.address)
            for s in plane.layout.slots.values()
            if s.role == "endpoint" and s.vpc != without_vpc
        )
        assert resolved.stdout.split()[0] == eni
        answer = _run(with_ns, "python3", "-c", CONNECT, NAME)
        assert answer.returncode == 0, answer.stderr
        assert answer.stdout.strip() == "vpcwire responder app"
        # private DNS off: the name is unknown there, the endpoint's own name still works
        assert _run(without_ns, "getent", "hosts", NAME).returncode != 0
        unresolved = _run(without_ns, "python3", "-c", CONNECT, NAME)
        assert unresolved.returncode != 0 and "gaierror" in unresolved.stderr
        by_regional = _run(without_ns, "python3", "-c", CONNECT, regional)
        assert by_regional.stdout.strip() == "vpcwire responder app", by_regional.stderr


def _hosts_net(*, private_dns: bool, hostnames: bool, support: bool = True) -> Network:
    n = Net()
    p = n.vpc("p", "10.0.0.0/16")
    p1 = n.subnet(p, "p1", "10.0.1.0/24")
    n.sg(p, "app", ingress=(rule("tcp", 8080, cidr="10.0.0.0/8"),))
    n.instance(p1, "10.0.1.10", name="app", sgs=("sg-app",))
    lb = n.nlb(p, "svc", (p1,), ips=("10.0.1.5",))
    n.listener(lb, 8080, "TCP", n.target_group(p, "svc", 8080, "ip", Target("10.0.1.10")))
    svc = n.service("svc", (lb,))
    n.update("endpoint_service", svc, private_dns_name=NAME)
    c = n.vpc("c", "10.1.0.0/16")
    n.update("vpc", c, dns_hostnames=hostnames, dns_support=support)
    c1 = n.subnet(c, "c1", "10.1.1.0/24")
    n.sg(c, "client")
    n.instance(c1, "10.1.1.10", name="client", sgs=("sg-client",))
    ep = n.endpoint(c, "svc", svc, (c1,), ips=("10.1.1.50",))
    n.update("vpc_endpoint", ep, private_dns=private_dns)
    return n.build()


@pytest.mark.parametrize(
    ("private_dns", "hostnames", "support", "listed"),
    [
        (True, True, True, True),
        (False, True, True, False),  # the endpoint does not enable it
        (True, False, True, False),  # AWS needs DNS hostnames for the private hosted zone
        (True, True, False, False),  # no Amazon DNS server at all
    ],
)
def test_hosts_list_the_private_dns_name_only_where_aws_would_resolve_it(
    private_dns: bool, hostnames: bool, support: bool, listed: bool
) -> None:
    network = _hosts_net(private_dns=private_dns, hostnames=hostnames, support=support)
    layout = build_layout(network, "t0")
    (client,) = [b for b in layout.boxes if b.label == "client"]
    assert (f"10.1.1.50 {NAME}" in client.hosts.splitlines()) is listed
    (app,) = [b for b in layout.boxes if b.label == "app"]
    assert NAME not in app.hosts  # the provider's own VPC has no endpoint: nothing to map
