"""Remove a stack's resources found by tag, with the AWS API, in dependency order.

Used by `down` for what terraform's state did not list (created by a run that was
interrupted or killed before recording them), and by `up --sweep`. Kinds are deleted one
after another across every account and region (instances before endpoints before endpoint
services before load balancers … before VPCs), so a dependent in one account never blocks
its dependency in another. What could not be deleted is returned with AWS's reason; the
caller reads the target again before claiming anything.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any

from vpcwire.deploy.inventory import KINDS, Place, Tagged

__all__ = ["Failure", "sweep"]

WAIT_TIMEOUT_S = 600.0
POLL_S = 1.0


@dataclass(frozen=True, slots=True)
class Failure:
    resource: Tagged
    reason: str

    def __str__(self) -> str:
        return f"{self.resource}: {self.reason}"


def sweep(
    items: Iterable[Tagged],
    places: Iterable[Place],
    *,
    announce: Callable[[str], None] = lambda _: None,
) -> list[Failure]:
    """Delete ``items``; returns those that failed (empty when every call succeeded)."""
    from botocore.exceptions import BotoCoreError, ClientError

    where = {(p.account, p.region): p for p in places}
    todo = list(items)
    failures: list[Failure] = []
    for kind in KINDS:
        batch = [t for t in todo if t.kind == kind]
        if kind == "security_group":
            for item in batch:  # groups that reference each other: free them all first
                try:
                    _revoke_rules(where[(item.account, item.region)], item)
                except (ClientError, BotoCoreError) as error:
                    failures.append(Failure(item, str(error)))
        for item in batch:
            place = where[(item.account, item.region)]
            try:
                _DELETE[kind](place, item)
                announce(f"removed {item}")
            except (ClientError, BotoCoreError) as error:
                failures.append(Failure(item, str(error)))
        waiter = _WAIT.get(kind)
        if waiter:
            for item in batch:
                waiter(where[(item.account, item.region)], item)
    return failures


def _ec2(place: Place) -> Any:
    return place.client("ec2")


def _delete_instance(place: Place, item: Tagged) -> None:
    _ec2(place).terminate_instances(InstanceIds=[item.id])


def _wait_instance(place: Place, item: Tagged) -> None:
    def gone() -> bool:
        reservations = _ec2(place).describe_instances(InstanceIds=[item.id])["Reservations"]
        states = [i["State"]["Name"] for r in reservations for i in r["Instances"]]
        return all(s == "terminated" for s in states)

    _until(gone)


def _wait_nat(place: Place, item: Tagged) -> None:
    def gone() -> bool:
        nats = _ec2(place).describe_nat_gateways(NatGatewayIds=[item.id])["NatGateways"]
        return all(n.get("State") in ("deleted", "failed") for n in nats)

    _until(gone)


def _until(done: Callable[[], bool]) -> None:
    from botocore.exceptions import ClientError

    deadline = time.monotonic() + WAIT_TIMEOUT_S
    while time.monotonic() < deadline:
        try:
            if done():
                return
        except ClientError:
            return  # not found any more
        time.sleep(POLL_S)


def _delete_internet_gateway(place: Place, item: Tagged) -> None:
    ec2 = _ec2(place)
    (igw,) = ec2.describe_internet_gateways(InternetGatewayIds=[item.id])["InternetGateways"]
    for attachment in igw.get("Attachments", []):
        ec2.detach_internet_gateway(InternetGatewayId=item.id, VpcId=attachment["VpcId"])
    ec2.delete_internet_gateway(InternetGatewayId=item.id)


def _delete_route_table(place: Place, item: Tagged) -> None:
    ec2 = _ec2(place)
    (table,) = ec2.describe_route_tables(RouteTableIds=[item.id])["RouteTables"]
    for association in table.get("Associations", []):
        if not association.get("Main") and association.get("RouteTableAssociationId"):
            ec2.disassociate_route_table(AssociationId=association["RouteTableAssociationId"])
    ec2.delete_route_table(RouteTableId=item.id)


def _revoke_rules(place: Place, item: Tagged) -> None:
    """Rules that reference other groups are revoked first: two groups that reference each
    other could otherwise never be deleted."""
    ec2 = _ec2(place)
    (group,) = ec2.describe_security_groups(GroupIds=[item.id])["SecurityGroups"]
    if group.get("IpPermissions"):
        ec2.revoke_security_group_ingress(GroupId=item.id, IpPermissions=group["IpPermissions"])
    if group.get("IpPermissionsEgress"):
        ec2.revoke_security_group_egress(
            GroupId=item.id, IpPermissions=group["IpPermissionsEgress"]
        )


def _revoke_rule(place: Place, item: Tagged) -> None:
    ec2 = _ec2(place)
    rules = ec2.describe_security_group_rules(SecurityGroupRuleIds=[item.id])["SecurityGroupRules"]
    for rule in rules:
        revoke = (
            ec2.revoke_security_group_egress
            if rule.get("IsEgress")
            else ec2.revoke_security_group_ingress
        )
        revoke(GroupId=rule["GroupId"], SecurityGroupRuleIds=[item.id])


def _delete_route(place: Place, item: Tagged) -> None:
    table, destination = item.id.split("_", 1)
    if destination.startswith("pl-"):
        _ec2(place).delete_route(RouteTableId=table, DestinationPrefixListId=destination)
    elif ":" in destination:
        _ec2(place).delete_route(RouteTableId=table, DestinationIpv6CidrBlock=destination)
    else:
        _ec2(place).delete_route(RouteTableId=table, DestinationCidrBlock=destination)


_DELETE: dict[str, Callable[[Place, Tagged], None]] = {
    "instance": _delete_instance,
    "vpc_endpoint": lambda p, t: _ec2(p).delete_vpc_endpoints(VpcEndpointIds=[t.id]),
    "endpoint_service": lambda p, t: _ec2(p).delete_vpc_endpoint_service_configurations(
        ServiceIds=[t.id]
    ),
    "load_balancer": lambda p, t: p.client("elbv2").delete_load_balancer(LoadBalancerArn=t.id),
    "target_group": lambda p, t: p.client("elbv2").delete_target_group(TargetGroupArn=t.id),
    "nat_gateway": lambda p, t: _ec2(p).delete_nat_gateway(NatGatewayId=t.id),
    "elastic_ip": lambda p, t: _ec2(p).release_address(AllocationId=t.id),
    "peering": lambda p, t: _ec2(p).delete_vpc_peering_connection(VpcPeeringConnectionId=t.id),
    "internet_gateway": _delete_internet_gateway,
    "route": _delete_route,
    "network_interface": lambda p, t: _ec2(p).delete_network_interface(NetworkInterfaceId=t.id),
    "subnet": lambda p, t: _ec2(p).delete_subnet(SubnetId=t.id),
    "route_table": _delete_route_table,
    "network_acl": lambda p, t: _ec2(p).delete_network_acl(NetworkAclId=t.id),
    "ingress_rule": _revoke_rule,
    "egress_rule": _revoke_rule,
    "security_group": lambda p, t: _ec2(p).delete_security_group(GroupId=t.id),
    "vpc": lambda p, t: _ec2(p).delete_vpc(VpcId=t.id),
}
_WAIT: dict[str, Callable[[Place, Tagged], None]] = {
    "instance": _wait_instance,
    "nat_gateway": _wait_nat,
}
