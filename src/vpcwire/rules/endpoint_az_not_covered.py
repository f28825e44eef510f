from __future__ import annotations

from collections.abc import Iterator

from vpcwire.network import Network, Subnet
from vpcwire.network.unknown import is_known
from vpcwire.rules.base import Finding, NetworkView, Rule
from vpcwire.rules.locate import same_az


class EndpointAzNotCovered(Rule):
    id = "VW-E303"
    title = "Consumer endpoint in an AZ where the provider's NLB has no node"
    description = (
        "An interface endpoint can only be created in the Availability Zones in which the "
        "endpoint service's Network Load Balancer is enabled. Zones are matched by AZ id "
        "(use1-az4), not by name: us-east-1a in one account may be another zone in the next. "
        "Native cross-region endpoints are exempt: they need not share the provider's zones."
    )
    url = "https://docs.aws.amazon.com/vpc/latest/privatelink/create-endpoint-service.html"
    fix = (
        "give the provider VPC a subnet in that AZ, or place the consumer's subnets in the "
        "provider's AZs"
    )
    stage = "network"

    judges_networks = True

    def judge(self, view: NetworkView) -> Iterator[Finding]:
        net = view.network
        for ep in net.endpoints.values():
            service = net.endpoint_service_by_name.get(ep.service_name)
            vpc = net.vpcs.get(ep.vpc)
            if ep.type != "Interface" or service is None or vpc is None:
                continue
            if vpc.region != service.region:
                continue  # native cross-region: no AZ matching
            if not all(lb in net.load_balancers for lb in service.load_balancers):
                continue  # a load balancer outside the network (or left out): AZs unknown
            nodes = [
                net.subnets[s]
                for lb in service.load_balancers
                if lb in net.load_balancers
                for s in net.load_balancers[lb].subnets
                if s in net.subnets
            ]
            shown = ", ".join(_az(s) for s in nodes) or "none"
            for sid in ep.subnets:
                subnet = net.subnets.get(sid)
                if subnet is None or not all(_comparable(net, subnet, n) for n in nodes):
                    continue  # across accounts without AZ ids: VW-I305 says so
                if not all(is_known(s, "az") for s in (subnet, *nodes)):
                    continue  # a scanned AZ nobody knows yet: VW-W701 says so
                if not any(same_az(subnet, n) for n in nodes):
                    yield self.finding_on(
                        view,
                        subnet if view.plan is not None else ep,
                        f"endpoint {view.name(ep)} would have an interface in {_az(subnet)}, but the NLB "
                        f"of {view.name(service)} is only in {shown}: AWS refuses the endpoint "
                        "there",
                        f"add {subnet.az} to the provider VPC "
                        f"({_provider(view, service.load_balancers)}), or move "
                        f"{view.name(vpc)}'s subnets to one of {shown}",
                    )


def _az(subnet: Subnet) -> str:
    return f"{subnet.az} ({subnet.az_id})" if subnet.az_id else subnet.az


def _provider(view: NetworkView, lbs: tuple[str, ...]) -> str:
    net = view.network
    lb = net.load_balancers.get(lbs[0]) if lbs else None
    vpc = net.vpcs.get(lb.vpc) if lb is not None else None
    return view.name(vpc) if vpc is not None else "?"


def _comparable(net: Network, a: Subnet, b: Subnet) -> bool:
    """Both AZ ids known, one account (where a name means one zone), or two regions (whose
    zones are never the same, whatever the accounts)."""
    if a.az_id and b.az_id:
        return True
    va, vb = net.vpcs.get(a.vpc), net.vpcs.get(b.vpc)
    if va is None or vb is None:
        return False
    if va.region != vb.region and is_known(va, "region") and is_known(vb, "region"):
        return True
    return va.account == vb.account
