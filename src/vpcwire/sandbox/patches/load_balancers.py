"""Patches for Network Load Balancers: ARNs, node ENIs, IP targets."""

from __future__ import annotations

import ipaddress
from collections.abc import Iterable
from typing import Any

from vpcwire.sandbox.patches._helpers import (
    _bind,
    _claim_address,
    _delete_eni,
    _extra,
    _groups,
    _make_managed,
    _replace,
)


def _nlb_description(arn: str) -> str:
    """AWS's NLB node ENI description: "ELB net/<name>/<id>", taken from the ARN."""
    return "ELB " + arn.split(":loadbalancer/", 1)[1]


def _sync_nlb_enis(elbv2_backend: Any, balancer: Any) -> None:
    """One requester-managed ENI per NLB subnet, at the mapped address if one was asked for."""
    ec2_backend = elbv2_backend.ec2_backend
    enis: dict[str, Any] = _extra(balancer).setdefault("enis", {})
    wanted: dict[str, str] = _extra(balancer).setdefault("addresses", {})
    current = {subnet.id: subnet for subnet in balancer.subnets}
    for subnet_id in list(enis):
        if subnet_id not in current:
            _delete_eni(ec2_backend, enis.pop(subnet_id))
    groups = _groups(ec2_backend, balancer.security_groups or [])
    for subnet_id, subnet in current.items():
        eni = enis.get(subnet_id)
        if eni is None:
            address = _claim_address(subnet, wanted.get(subnet_id))
            eni = enis[subnet_id] = ec2_backend.create_network_interface(subnet, address)
        _make_managed(
            eni,
            description=_nlb_description(balancer.arn),
            interface_type="network_load_balancer",
            groups=groups,
            requester="amazon-elb",
        )


def _mapped_addresses(ec2_backend: Any, mappings: Iterable[dict[str, Any]]) -> dict[str, str]:
    """SubnetMappings' requested private addresses, checked the way AWS refuses bad ones."""
    from moto.elbv2.exceptions import ELBClientError

    wanted: dict[str, str] = {}
    for mapping in mappings:
        address = mapping.get("PrivateIPv4Address")
        if not address:
            continue
        subnet = ec2_backend.get_subnet(mapping["SubnetId"])
        if ipaddress.ip_address(address) not in ipaddress.ip_network(subnet.cidr_block):
            raise ELBClientError(
                "InvalidConfigurationRequest",
                f"Private IPv4 address '{address}' is not in subnet '{subnet.id}'",
            )
        wanted[subnet.id] = address
    return wanted


def network_load_balancers() -> None:
    """NLBs get ARNs of type `net`, one node ENI per subnet, and echo requested addresses.

    AWS:   NLB ARNs read `…:loadbalancer/net/<name>/<id>`; each enabled subnet holds a
           requester-managed ENI (InterfaceType `network_load_balancer`, Description
           "ELB net/<name>/<id>", at SubnetMappings[].PrivateIPv4Address when given), whose
           address is what targets see as the source; DescribeLoadBalancers echoes requested
           addresses in AvailabilityZones[].LoadBalancerAddresses; deleting the NLB deletes
           the ENIs.
    moto:  ARNs say `loadbalancer/app/` for every type; no ENIs; requested addresses are
           dropped (a Terraform `subnet_mapping` with `private_ipv4_address` re-plans as a
           replacement).
    patch: rename the ARN of network load balancers, create/remove the ENIs on create,
           SetSubnets, SetSecurityGroups and delete, and echo requested addresses.
    """
    from moto.elbv2.models import AvailabilityZone, ELBv2Backend, FakeLoadBalancer

    original_create = ELBv2Backend.create_load_balancer
    original_delete = ELBv2Backend.delete_load_balancer
    original_set_subnets = ELBv2Backend.set_subnets
    original_set_groups = ELBv2Backend.set_security_groups

    def create_load_balancer(self: Any, *args: Any, **kwargs: Any) -> Any:
        arguments = _bind(original_create, self, *args, **kwargs)
        wanted = _mapped_addresses(self.ec2_backend, arguments.get("subnet_mappings") or [])
        balancer = original_create(self, *args, **kwargs)
        if balancer.type != "network":
            return balancer
        old_arn = balancer.arn
        balancer.arn = old_arn.replace(":loadbalancer/app/", ":loadbalancer/net/", 1)
        self.load_balancers[balancer.arn] = self.load_balancers.pop(old_arn)
        self.tagging_service.copy_tags(old_arn, balancer.arn)
        self.tagging_service.delete_all_tags_for_resource(old_arn)
        _extra(balancer)["addresses"] = wanted
        _sync_nlb_enis(self, balancer)
        return balancer

    def delete_load_balancer(self: Any, arn: str) -> None:
        balancer = self.load_balancers.get(arn)
        original_delete(self, arn)
        if balancer is not None:
            for eni in _extra(balancer).get("enis", {}).values():
                _delete_eni(self.ec2_backend, eni)

    def set_subnets(self: Any, arn: str, subnets: list[str], subnet_mappings: Any) -> Any:
        wanted = _mapped_addresses(self.ec2_backend, subnet_mappings or [])
        zones = original_set_subnets(self, arn, subnets, subnet_mappings)
        balancer = self.load_balancers[arn]
        if balancer.type == "network":
            _extra(balancer).setdefault("addresses", {}).update(wanted)
            _sync_nlb_enis(self, balancer)
        return zones

    def set_security_groups(self: Any, arn: str, sec_groups: list[str]) -> None:
        original_set_groups(self, arn, sec_groups)
        balancer = self.load_balancers.get(arn)
        if balancer is not None and balancer.type == "network":
            _sync_nlb_enis(self, balancer)

    def availability_zones(self: Any) -> list[Any]:
        addresses: dict[str, str] = _extra(self).get("addresses", {})
        zones = []
        for subnet in self.subnets:
            zone = AvailabilityZone(subnet)
            if subnet.id in addresses:
                vars(zone)["load_balancer_addresses"] = [
                    {"PrivateIPv4Address": addresses[subnet.id]}
                ]
            zones.append(zone)
        return zones

    _replace(ELBv2Backend, "create_load_balancer", create_load_balancer)
    _replace(ELBv2Backend, "delete_load_balancer", delete_load_balancer)
    _replace(ELBv2Backend, "set_subnets", set_subnets)
    _replace(ELBv2Backend, "set_security_groups", set_security_groups)
    FakeLoadBalancer.availability_zones = property(availability_zones)  # type: ignore[assignment,method-assign]


_TARGET_RANGES = tuple(
    ipaddress.IPv4Network(block)
    for block in ("10.0.0.0/8", "172.16.0.0/12", "192.168.0.0/16", "100.64.0.0/10")
)


def _check_ip_target(target_group: Any, target: dict[str, Any]) -> None:
    """Refuse an IP target the way AWS's RegisterTargets does (ValidationError)."""
    from moto.elbv2.exceptions import ELBClientError

    address = ipaddress.ip_address(target["Id"])
    zone = target.get("AvailabilityZone")
    home = next(
        (
            subnet
            for subnet in target_group.ec2_backend.describe_subnets()
            if subnet.vpc_id == target_group.vpc_id
            and address in ipaddress.ip_network(subnet.cidr_block)
        ),
        None,
    )
    if home is not None and zone == "all":
        raise ELBClientError(
            "ValidationError",
            f"The IP address '{address}' is within the VPC, and cannot have its Availability "
            f"Zone overridden to 'all' from '{home.availability_zone}'",
        )
    if home is None and zone != "all":
        raise ELBClientError(
            "ValidationError",
            f"The Availability Zone is required for IP address '{address}' "
            "because it is not in the VPC",
        )
    if home is None and not any(address in block for block in _TARGET_RANGES):
        raise ELBClientError(
            "ValidationError",
            f"The IP address '{address}' is outside the VPC and not a private (RFC 1918) or "
            "100.64.0.0/10 address",
        )


def load_balancer_ip_targets() -> None:
    """IP targets outside the target group's VPC need AvailabilityZone `all`, which is echoed.

    AWS:   RegisterTargets on an `ip` target group refuses (ValidationError) an address
           outside the VPC's subnets unless AvailabilityZone is `all`, `all` for an address
           inside them, and outside addresses that are not RFC 1918 or 100.64.0.0/10;
           DescribeTargetHealth returns each target's AvailabilityZone.
    moto:  registers any address with any zone and forgets the zone, so a rendered
           outpost NLB whose targets (in the peered VPC) lack `availability_zone = "all"`
           applies cleanly in the sandbox and fails on AWS.
    patch: validate `ip` targets as above before registering, remember their zone and
           return it in DescribeTargetHealth.
    """
    from moto.elbv2.models import FakeHealthStatus, FakeTargetGroup

    original_register = FakeTargetGroup.register
    original_health = FakeTargetGroup.health_for
    original_target = FakeHealthStatus.target

    def register(self: Any, targets: list[dict[str, Any]]) -> None:
        if self.target_type == "ip":
            for target in targets:
                _check_ip_target(self, target)
        original_register(self, targets)
        for target in targets:
            if target.get("AvailabilityZone") and target["Id"] in self.targets:
                self.targets[target["Id"]]["AvailabilityZone"] = target["AvailabilityZone"]

    def health_for(self: Any, target: dict[str, Any], ec2_backend: Any) -> Any:
        status = original_health(self, target, ec2_backend)
        zone = self.targets.get(target["Id"], {}).get("AvailabilityZone")
        if zone:
            _extra(status)["zone"] = zone
        return status

    def target_with_zone(self: Any) -> dict[str, str]:
        described: dict[str, str] = dict(original_target.fget(self))  # type: ignore[attr-defined]
        if zone := _extra(self).get("zone"):
            described["AvailabilityZone"] = zone
        return described

    _replace(FakeTargetGroup, "register", register)
    _replace(FakeTargetGroup, "health_for", health_for)
    FakeHealthStatus.target = property(target_with_zone)  # type: ignore[assignment,method-assign]
