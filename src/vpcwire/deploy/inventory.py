"""What of a stack exists on its target, found by the stack tag rather than by the state.

Every resource vpcwire creates carries ``vpcwire:stack = <stack>`` (the providers'
``default_tags``). Reading the target back by that tag, in every account and region of the
stack, is how vpcwire knows what exists independently of terraform's state: resources that
an interrupted or killed terraform created but never recorded, and what a `down` left
behind. `down` claims "nothing left" only after this read says so.

Resources AWS creates with a VPC (main route table, default security group and network
ACL) are not listed: they go with their VPC.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from typing import Any

from vpcwire.errors import DeployError

__all__ = ["KINDS", "Place", "Tagged", "read_tagged", "route_id", "tagged_in"]

STACK_TAG = "vpcwire:stack"

# Every kind vpcwire creates and tags, in the order they must be deleted (dependents
# first), with the Terraform type that manages each (for adoption by import).
KINDS: dict[str, str] = {
    "instance": "aws_instance",
    "vpc_endpoint": "aws_vpc_endpoint",
    "endpoint_service": "aws_vpc_endpoint_service",
    "load_balancer": "aws_lb",
    "target_group": "aws_lb_target_group",
    "nat_gateway": "aws_nat_gateway",
    "elastic_ip": "aws_eip",
    "peering": "aws_vpc_peering_connection",
    "internet_gateway": "aws_internet_gateway",
    "route": "aws_route",
    "network_interface": "aws_network_interface",
    "subnet": "aws_subnet",
    "route_table": "aws_route_table",
    "network_acl": "aws_network_acl",
    "ingress_rule": "aws_vpc_security_group_ingress_rule",
    "egress_rule": "aws_vpc_security_group_egress_rule",
    "security_group": "aws_security_group",
    "vpc": "aws_vpc",
}


@dataclass(frozen=True, slots=True)
class Tagged:
    """One resource of the stack found on the target."""

    kind: str  # a key of KINDS
    id: str  # the AWS id (ARN for load balancers and target groups)
    name: str  # its Name tag: vpcwire's logical name, also its Terraform resource name
    account: str
    region: str

    @property
    def tf_type(self) -> str:
        return KINDS[self.kind]

    def __str__(self) -> str:
        named = f" ({self.name})" if self.name else ""
        return f"{self.kind.replace('_', ' ')} {self.id}{named} in {self.account} {self.region}"


@dataclass(frozen=True, slots=True)
class Place:
    """One account and region of the stack, with a way to make API clients there."""

    account: str
    region: str
    client: Callable[[str], Any]  # service name -> boto3 client in this account and region


def _tags(items: Iterable[dict[str, Any]] | None) -> dict[str, str]:
    return {t.get("Key", ""): t.get("Value", "") for t in items or []}


def _mine(tags: dict[str, str], stack: str) -> bool:
    return tags.get(STACK_TAG) == stack


def _ec2_pages(ec2: Any, operation: str, key: str, **kwargs: Any) -> Iterator[dict[str, Any]]:
    if ec2.can_paginate(operation):
        for page in ec2.get_paginator(operation).paginate(**kwargs):
            yield from page.get(key, [])
    else:
        yield from getattr(ec2, operation)(**kwargs).get(key, [])


def _ec2(place: Place, stack: str) -> Iterator[Tagged]:
    ec2 = place.client("ec2")
    tag_filter = [{"Name": f"tag:{STACK_TAG}", "Values": [stack]}]

    def found(kind: str, rid: str, tags: dict[str, str]) -> Tagged:
        return Tagged(kind, rid, tags.get("Name", ""), place.account, place.region)

    for reservation in _ec2_pages(ec2, "describe_instances", "Reservations", Filters=tag_filter):
        for inst in reservation.get("Instances", []):
            if inst.get("State", {}).get("Name") not in ("terminated", "shutting-down"):
                yield found("instance", inst["InstanceId"], _tags(inst.get("Tags")))
    for ep in _ec2_pages(ec2, "describe_vpc_endpoints", "VpcEndpoints", Filters=tag_filter):
        if str(ep.get("State", "")).lower() not in ("deleted", "deleting"):
            yield found("vpc_endpoint", ep["VpcEndpointId"], _tags(ep.get("Tags")))
    for svc in ec2.describe_vpc_endpoint_service_configurations().get("ServiceConfigurations", []):
        tags = _tags(svc.get("Tags"))
        if _mine(tags, stack) and str(svc.get("ServiceState", "")).lower() != "deleted":
            yield found("endpoint_service", svc["ServiceId"], tags)
    for nat in _ec2_pages(ec2, "describe_nat_gateways", "NatGateways", Filter=tag_filter):
        if nat.get("State") not in ("deleted", "deleting", "failed"):
            yield found("nat_gateway", nat["NatGatewayId"], _tags(nat.get("Tags")))
    for eip in ec2.describe_addresses(Filters=tag_filter).get("Addresses", []):
        yield found("elastic_ip", eip["AllocationId"], _tags(eip.get("Tags")))
    for pcx in _ec2_pages(
        ec2, "describe_vpc_peering_connections", "VpcPeeringConnections", Filters=tag_filter
    ):
        if pcx.get("Status", {}).get("Code") not in ("deleted", "rejected", "failed", "expired"):
            yield found("peering", pcx["VpcPeeringConnectionId"], _tags(pcx.get("Tags")))
    for rule in _ec2_pages(
        ec2, "describe_security_group_rules", "SecurityGroupRules", Filters=tag_filter
    ):
        kind = "egress_rule" if rule.get("IsEgress") else "ingress_rule"
        yield found(kind, rule["SecurityGroupRuleId"], _tags(rule.get("Tags")))
    simple = [
        ("internet_gateway", "describe_internet_gateways", "InternetGateways", "InternetGatewayId"),
        (
            "network_interface",
            "describe_network_interfaces",
            "NetworkInterfaces",
            "NetworkInterfaceId",
        ),
        ("subnet", "describe_subnets", "Subnets", "SubnetId"),
        ("route_table", "describe_route_tables", "RouteTables", "RouteTableId"),
        ("network_acl", "describe_network_acls", "NetworkAcls", "NetworkAclId"),
        ("security_group", "describe_security_groups", "SecurityGroups", "GroupId"),
        ("vpc", "describe_vpcs", "Vpcs", "VpcId"),
    ]
    for kind, operation, key, id_key in simple:
        for item in _ec2_pages(ec2, operation, key, Filters=tag_filter):
            if _implicit(kind, item):
                continue
            yield found(kind, item[id_key], _tags(item.get("Tags") or item.get("TagSet")))


def _routes(place: Place, vpcs: list[str]) -> Iterator[Tagged]:
    """Routes someone created (not ``local``, not a gateway endpoint's) in every route table
    of the stack's VPCs, the main table included. Routes carry no tags: one that terraform
    created but never recorded (an abandoned or killed apply) is found here, and the next
    apply would otherwise fail on it with RouteAlreadyExists. Id: ``<table>_<destination>``,
    the form terraform's own import of aws_route takes."""
    ec2 = place.client("ec2")
    tables = _ec2_pages(
        ec2, "describe_route_tables", "RouteTables", Filters=[{"Name": "vpc-id", "Values": vpcs}]
    )
    for table in tables:
        label = _tags(table.get("Tags")).get("Name") or table["RouteTableId"]
        for route in table.get("Routes", []):
            if route.get("Origin") != "CreateRoute" or str(route.get("GatewayId", "")).startswith(
                ("local", "vpce-")
            ):
                continue
            destination = _destination(route)
            if destination:
                yield Tagged(
                    "route",
                    f"{table['RouteTableId']}_{destination}",
                    f"{label} to {destination}",
                    place.account,
                    place.region,
                )


def _destination(route: dict[str, Any]) -> str:
    return str(
        route.get("DestinationCidrBlock")
        or route.get("DestinationIpv6CidrBlock")
        or route.get("DestinationPrefixListId")
        or ""
    )


def _implicit(kind: str, item: dict[str, Any]) -> bool:
    """Made by AWS with the VPC (tagged only because vpcwire names it): goes with the VPC."""
    if kind == "route_table":
        return any(a.get("Main") for a in item.get("Associations", []))
    if kind == "network_acl":
        return bool(item.get("IsDefault"))
    if kind == "security_group":
        return item.get("GroupName") == "default"
    if kind == "network_interface":
        # ENIs of instances, endpoints, NLBs and NAT gateways go with their owner
        return (
            bool(item.get("Attachment"))
            or item.get("InterfaceType", "interface") not in ("interface",)
            or bool(item.get("RequesterManaged"))
        )
    return False


def route_id(table_id: str, destination: str) -> str:
    """How a route is named in the inventory (and in ``terraform import aws_route``)."""
    return f"{table_id}_{destination}"


def _elbv2(place: Place, stack: str) -> Iterator[Tagged]:
    elb = place.client("elbv2")
    found: list[tuple[str, str]] = []
    for page in elb.get_paginator("describe_load_balancers").paginate():
        found += [("load_balancer", lb["LoadBalancerArn"]) for lb in page["LoadBalancers"]]
    for page in elb.get_paginator("describe_target_groups").paginate():
        found += [("target_group", tg["TargetGroupArn"]) for tg in page["TargetGroups"]]
    kinds = dict((arn, kind) for kind, arn in found)
    arns = list(kinds)
    for start in range(0, len(arns), 20):
        for desc in elb.describe_tags(ResourceArns=arns[start : start + 20])["TagDescriptions"]:
            tags = _tags(desc.get("Tags"))
            if _mine(tags, stack):
                arn = desc["ResourceArn"]
                yield Tagged(kinds[arn], arn, tags.get("Name", ""), place.account, place.region)


def tagged_in(place: Place, stack: str) -> list[Tagged]:
    """The stack's resources in one account and region."""
    from botocore.exceptions import BotoCoreError, ClientError

    try:
        found = [*_ec2(place, stack), *_elbv2(place, stack)]
        vpcs = [t.id for t in found if t.kind == "vpc"]
        return found + list(_routes(place, vpcs)) if vpcs else found
    except (ClientError, BotoCoreError) as error:
        raise DeployError(
            f"cannot read what exists of stack {stack} in account {place.account} "
            f"{place.region} by its tag",
            detail=f"{error}\nvpcwire does not claim anything about this target without "
            "that read: fix access (credentials, region) and rerun",
        ) from error


def read_tagged(places: Iterable[Place], stack: str) -> list[Tagged]:
    """The stack's resources in every account and region given, in deletion order.

    Peerings appear in both the requester's and the accepter's region: kept once.
    """
    seen: dict[str, Tagged] = {}
    for place in places:
        for item in tagged_in(place, stack):
            seen.setdefault(item.id, item)
    order = list(KINDS)
    return sorted(seen.values(), key=lambda t: (order.index(t.kind), t.account, t.region, t.id))
