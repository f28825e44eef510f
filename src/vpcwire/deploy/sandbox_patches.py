"""Small, documented corrections that make moto 5.2.1 answer like AWS for what vpcwire deploys.

The sandbox (`vpcwire.deploy.sandbox`) runs moto's server in-process. Where moto differs from
AWS in a way that breaks a Terraform apply → re-plan → destroy cycle, or that would make the
live reader see a network AWS would never build, one function below corrects it. Each
docstring has three parts:

    AWS:    what AWS does,
    moto:   what moto 5.2.1 does instead,
    patch:  what the patch changes.

The patches replace methods of moto's model and response classes, so they depend on moto's
internals: `apply_patches` refuses any moto but the pinned version (SandboxError) rather
than mis-patch silently. Every patch has a `test_aws_*` test in
tests/deploy/test_sandbox_patches.py that fails on plain moto; docs/sandbox.md lists them, and
the deviations deliberately left alone.

moto keeps its state in module globals, so the patches are process-wide and applied once.
"""

from __future__ import annotations

import copy
import functools
import inspect
import ipaddress
import threading
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any

import moto

from vpcwire.errors import SandboxError

__all__ = [
    "PATCHES",
    "PINNED_MOTO_VERSION",
    "Patch",
    "apply_patches",
    "check_moto_version",
    "patches_applied",
]

PINNED_MOTO_VERSION = "5.2.1"

# AWS's status message for a peering that cannot be set up (overlapping CIDRs among others).
PEERING_FAILED_MESSAGE = "Failed due to incorrect VPC-ID, Account ID, or overlapping CIDR range"
IMPLICIT_DENY_RULE = 32767

_lock = threading.Lock()
_applied = False


@dataclass(frozen=True, slots=True)
class Patch:
    """One correction: a name (used in docs and tests) and the function that installs it."""

    name: str
    install: Callable[[], None]

    @property
    def summary(self) -> str:
        doc = inspect.getdoc(self.install) or ""
        return doc.splitlines()[0] if doc else ""


def check_moto_version(version: str | None = None) -> None:
    """Raise SandboxError unless moto is the version the patches were written and tested for."""
    found = moto.__version__ if version is None else version
    if found != PINNED_MOTO_VERSION:
        raise SandboxError(
            f"the sandbox needs moto {PINNED_MOTO_VERSION}, found moto {found}",
            detail=(
                "vpcwire patches a few moto internals and tests them against one version; "
                f"install it with: pip install 'moto[server]=={PINNED_MOTO_VERSION}'"
            ),
        )


def apply_patches() -> None:
    """Install every patch once per process (later calls do nothing)."""
    global _applied
    with _lock:
        if _applied:
            return
        check_moto_version()
        for patch in PATCHES:
            patch.install()
        _applied = True


def patches_applied() -> bool:
    """Whether this process's moto is patched (patches cannot be taken back)."""
    return _applied


# --------------------------------------------------------------------------- helpers


def _replace(owner: object, name: str, new: Callable[..., Any]) -> None:
    """Put `new` in place of `owner.name` (class or module attribute), keeping name and doc."""
    functools.update_wrapper(new, getattr(owner, name))
    setattr(owner, name, new)


def _bind(func: Callable[..., Any], *args: Any, **kwargs: Any) -> dict[str, Any]:
    """The arguments of a call to `func` by parameter name (moto calls its models both ways)."""
    bound = inspect.signature(func).bind(*args, **kwargs)
    bound.apply_defaults()
    return dict(bound.arguments)


def _extra(obj: object) -> dict[str, Any]:
    """The bookkeeping the patches keep on one moto object, under a single attribute."""
    store: dict[str, Any] = vars(obj).setdefault("_vpcwire", {})
    return store


def _random_hex(length: int) -> str:
    from moto.moto_api._internal import mock_random

    return str(mock_random.get_random_hex(length=length))


def _claim_address(subnet: Any, wanted: str | None = None) -> str:
    """Reserve `wanted`, or the subnet's next free address, the way instance launches do."""
    if wanted is None:
        return str(subnet.get_available_subnet_ip(instance=None))
    subnet.request_ip(wanted, instance=None)
    return wanted


def _set_primary_address(eni: Any, address: str) -> None:
    """Give an ENI a new primary private address (moto chose a random 10.x one)."""
    from moto.ec2.utils import generate_dns_from_ip

    eni.private_ip_address = address
    entry: dict[str, Any] = {"Primary": True, "PrivateIpAddress": address}
    if getattr(eni, "private_dns_name", None):
        eni.private_dns_name = generate_dns_from_ip(address)
        entry["PrivateDnsName"] = eni.private_dns_name
    eni.private_ip_addresses = [entry]


def _make_managed(
    eni: Any, *, description: str, interface_type: str, groups: Iterable[Any], requester: str = ""
) -> None:
    """Dress an ENI as one AWS creates on a service's behalf (requester-managed, in use)."""
    eni.description = description
    eni.interface_type = interface_type
    eni.requester_managed = True
    if requester:
        eni.requester_id = requester
    eni.status = "in-use"
    eni._group_set = list(groups)
    _extra(eni)["managed"] = True


def _delete_eni(ec2_backend: Any, eni: Any) -> None:
    """Remove an ENI and give its addresses back to the subnet."""
    ec2_backend.enis.pop(eni.id, None)
    for entry in eni.private_ip_addresses:
        eni.subnet.del_subnet_ip(entry["PrivateIpAddress"])


def _groups(ec2_backend: Any, group_ids: Iterable[str]) -> list[Any]:
    found = (ec2_backend.get_security_group_from_id(group_id) for group_id in group_ids)
    return [group for group in found if group is not None]


# --------------------------------------------------------------------------- a. instances


def instance_security_groups() -> None:
    """An instance's security groups are its primary ENI's groups.

    AWS:   DescribeInstances reports the groups of the instance's primary network interface,
           however the instance was launched.
    moto:  keeps a separate list on the instance, filled only from SecurityGroupIds; launched
           through NetworkInterfaces[].Groups (what the Terraform provider does for
           `aws_instance` with `private_ip`) the instance reports no groups, so every plan
           shows drift on `vpc_security_group_ids`.
    patch: `Instance.security_groups` becomes a view of the primary ENI's groups; assigning it
           (ModifyInstanceAttribute groupSet) sets the ENI's groups.
    """
    from moto.ec2.models.instances import Instance

    def get_groups(self: Any) -> list[Any]:
        nics = vars(self).get("nics") or {}
        if 0 in nics:
            return list(nics[0]._group_set)
        return list(_extra(self).get("groups", []))

    def set_groups(self: Any, groups: list[Any]) -> None:
        _extra(self)["groups"] = list(groups)
        nics = vars(self).get("nics") or {}
        if 0 in nics and groups:
            nics[0]._group_set = list(groups)

    Instance.security_groups = property(get_groups, set_groups)  # type: ignore[assignment]


def instance_addresses_released_on_termination() -> None:
    """Terminating an instance deletes the ENIs it launched with and frees their addresses.

    AWS:   a network interface created by RunInstances has DeleteOnTermination = true unless
           asked otherwise; terminating the instance deletes it and its private address can
           be used again at once.
    moto:  creates it with DeleteOnTermination = false and keeps the address reserved, so
           replacing an instance that has a fixed `private_ip` (e.g. after a `user_data`
           change) fails with HTTP 500 "IP already in use".
    patch: launch-created ENIs default to DeleteOnTermination = true; termination deletes them
           and releases every address the instance held.
    """
    from moto.ec2.models.instances import Instance

    original_prep = Instance.prep_nics
    original_terminate = Instance.terminate

    def prep_nics(self: Any, nic_spec: list[dict[str, Any]], *args: Any, **kwargs: Any) -> None:
        original_prep(self, nic_spec, *args, **kwargs)
        explicit = {
            int(spec.get("DeviceIndex", 0))
            for spec in nic_spec
            if "DeleteOnTermination" in spec or spec.get("NetworkInterfaceId")
        }
        for index, nic in self.nics.items():
            if index not in explicit:
                nic.delete_on_termination = True

    def terminate(self: Any) -> Any:
        if self._state.name == "terminated":  # AWS: a no-op; moto would delete ENIs twice
            return copy.copy(self._state)
        subnets = {nic.subnet.id: nic.subnet for nic in self.nics.values()}
        previous = original_terminate(self)  # deletes the ENIs marked DeleteOnTermination
        for subnet in subnets.values():
            for address in self._private_ips:
                subnet.del_subnet_ip(address)
        self._private_ips.clear()
        return previous

    _replace(Instance, "prep_nics", prep_nics)
    _replace(Instance, "terminate", terminate)


def instance_user_data_update() -> None:
    """ModifyInstanceAttribute accepts new user data as AWS does.

    AWS:   ModifyInstanceAttribute's UserData.Value is a blob: the SDK base64-encodes the
           raw script on the wire, and DescribeInstanceAttribute then returns the script
           base64-encoded once, as for RunInstances.
    moto:  decodes the blob to the raw script, then insists that script be base64 text:
           every real update fails with InvalidUserData.Malformed (Terraform changes
           `user_data` in place this way, unless `user_data_replace_on_change` is set).
    patch: in moto's instance responses, bytes (a decoded blob) are the raw script and are
           base64-encoded; text keeps moto's handling (RunInstances sends base64 text).
    """
    import base64

    from moto.core.types import Base64EncodedString
    from moto.ec2.responses import instances as responses
    from moto.ec2.utils import parse_user_data as original  # what `responses` imported

    def parse_user_data(value: Any) -> Base64EncodedString | None:
        if isinstance(value, bytes):
            return Base64EncodedString(base64.b64encode(value).decode("ascii"))
        return original(value)

    _replace(responses, "parse_user_data", parse_user_data)


# --------------------------------------------------------------------------- c. managed ENIs


def _sync_endpoint_enis(ec2_backend: Any, endpoint: Any) -> None:
    """One requester-managed ENI per endpoint subnet, inside it, with the endpoint's groups."""
    if (endpoint.vpc_endpoint_type or "").lower() != "interface":
        return
    if not endpoint.security_group_ids:
        default = ec2_backend.get_default_security_group(endpoint.vpc_id)
        endpoint.security_group_ids = [default.id] if default is not None else []
    groups = _groups(ec2_backend, endpoint.security_group_ids)
    subnet_ids = list(endpoint.subnet_ids or [])
    by_subnet: dict[str, Any] = {}
    for eni_id in list(endpoint.network_interface_ids):
        eni = ec2_backend.enis.get(eni_id)
        if eni is None or eni.subnet.id not in subnet_ids or eni.subnet.id in by_subnet:
            if eni is not None:
                _delete_eni(ec2_backend, eni)
            endpoint.network_interface_ids.remove(eni_id)
            continue
        by_subnet[eni.subnet.id] = eni
    for subnet_id in subnet_ids:
        eni = by_subnet.get(subnet_id)
        subnet = ec2_backend.get_subnet(subnet_id)
        if eni is None:
            eni = ec2_backend.create_network_interface(subnet, _claim_address(subnet))
            endpoint.network_interface_ids.append(eni.id)
        elif not _extra(eni).get("managed"):
            _set_primary_address(eni, _claim_address(subnet))
        _make_managed(
            eni,
            description=f"VPC Endpoint Interface {endpoint.id}",
            interface_type="vpc_endpoint",
            groups=groups,
        )


def endpoint_network_interfaces() -> None:
    """Interface-endpoint ENIs sit inside their subnet and carry the endpoint's groups.

    AWS:   an interface endpoint has one requester-managed ENI per subnet, addressed from
           that subnet, with the endpoint's security groups (the VPC's default group when
           none is given), InterfaceType `vpc_endpoint`, Description
           "VPC Endpoint Interface vpce-…"; ModifyVpcEndpoint adding or removing subnets adds
           or removes ENIs; deleting the endpoint deletes them.
    moto:  gives each ENI a random 10.x address outside its subnet, the VPC's default group,
           InterfaceType `interface`, no description; ignores subnet changes; never frees the
           addresses.
    patch: after create and modify, reconcile the endpoint's ENIs with its subnets and
           groups as above; on delete, remove them and free their addresses.
    """
    from moto.ec2.models.vpcs import VPCBackend

    original_create = VPCBackend.create_vpc_endpoint
    original_modify = VPCBackend.modify_vpc_endpoint
    original_delete = VPCBackend.delete_vpc_endpoints

    def create_vpc_endpoint(self: Any, *args: Any, **kwargs: Any) -> Any:
        endpoint = original_create(self, *args, **kwargs)
        _sync_endpoint_enis(self, endpoint)
        return endpoint

    def modify_vpc_endpoint(self: Any, *args: Any, **kwargs: Any) -> None:
        original_modify(self, *args, **kwargs)
        endpoint_id = _bind(original_modify, self, *args, **kwargs)["vpc_id"]
        _sync_endpoint_enis(self, self.get_vpc_end_point(endpoint_id))

    def delete_vpc_endpoints(self: Any, vpce_ids: list[str] | None = None) -> None:
        for endpoint_id in vpce_ids or []:
            endpoint = self.vpc_end_points.get(endpoint_id)
            if endpoint is not None and (endpoint.vpc_endpoint_type or "").lower() == "interface":
                for eni_id in endpoint.network_interface_ids:
                    if eni_id in self.enis:
                        _delete_eni(self, self.enis[eni_id])
        original_delete(self, vpce_ids)

    _replace(VPCBackend, "create_vpc_endpoint", create_vpc_endpoint)
    _replace(VPCBackend, "modify_vpc_endpoint", modify_vpc_endpoint)
    _replace(VPCBackend, "delete_vpc_endpoints", delete_vpc_endpoints)


def nat_gateway_network_interfaces() -> None:
    """A NAT gateway's ENI sits inside its subnet and goes away with the gateway.

    AWS:   the gateway's requester-managed ENI is addressed from its subnet, InterfaceType
           `nat_gateway`, Description "Interface for NAT Gateway nat-…", no security groups;
           deleting the gateway deletes the ENI and disassociates its Elastic IP.
    moto:  random 10.x address outside the subnet, InterfaceType `interface`, the VPC's
           default group; the ENI (still holding the Elastic IP) outlives the gateway.
    patch: re-address and label the ENI on create; on delete, disassociate the Elastic IP and
           delete the ENI.
    """
    from moto.ec2.models.nat_gateways import NatGatewayBackend

    original_create = NatGatewayBackend.create_nat_gateway
    original_delete = NatGatewayBackend.delete_nat_gateway

    def create_nat_gateway(self: Any, *args: Any, **kwargs: Any) -> Any:
        gateway = original_create(self, *args, **kwargs)
        eni = gateway._eni
        _set_primary_address(eni, _claim_address(eni.subnet))
        _make_managed(
            eni,
            description=f"Interface for NAT Gateway {gateway.id}",
            interface_type="nat_gateway",
            groups=[],
        )
        gateway.private_ip = eni.private_ip_address
        for address in gateway.address_set:
            address["privateIp"] = eni.private_ip_address
        return gateway

    def delete_nat_gateway(self: Any, nat_gateway_id: str) -> Any:
        gateway = original_delete(self, nat_gateway_id)
        eni = gateway._eni
        for eip in list(self.addresses):
            if eip.eni is eni:
                self.disassociate_address(address=eip.public_ip)
        _delete_eni(self, eni)
        return gateway

    _replace(NatGatewayBackend, "create_nat_gateway", create_nat_gateway)
    _replace(NatGatewayBackend, "delete_nat_gateway", delete_nat_gateway)


# --------------------------------------------------------------------------- d. NLBs


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


# --------------------------------------------------------------------------- f. network ACLs


def network_acl_implicit_deny() -> None:
    """Every network ACL ends with the implicit deny rule 32767, ingress and egress.

    AWS:   a network ACL's entries always end with rule 32767 (`*`), deny all, in both
           directions; it cannot be removed.
    moto:  default ACLs have it; ACLs made with CreateNetworkAcl have no entries at all.
    patch: add the two deny entries to any ACL created without them.
    """
    from moto.ec2.models.network_acls import NetworkAclBackend

    original = NetworkAclBackend.create_network_acl

    def create_network_acl(self: Any, *args: Any, **kwargs: Any) -> Any:
        acl = original(self, *args, **kwargs)
        for egress in (False, True):
            present = any(
                int(entry.rule_number) == IMPLICIT_DENY_RULE and bool(entry.egress) == egress
                for entry in acl.network_acl_entries
            )
            if not present:
                self.create_network_acl_entry(
                    network_acl_id=acl.id,
                    rule_number=IMPLICIT_DENY_RULE,
                    protocol="-1",
                    rule_action="deny",
                    egress=egress,
                    cidr_block="0.0.0.0/0",
                    icmp_code=None,
                    icmp_type=None,
                    port_range_from=None,
                    port_range_to=None,
                    ipv6_cidr_block=None,
                )
        return acl

    _replace(NetworkAclBackend, "create_network_acl", create_network_acl)


# --------------------------------------------------------------------------- h. peering


def _associated_cidrs(vpc: Any) -> list[ipaddress.IPv4Network | ipaddress.IPv6Network]:
    return [
        ipaddress.ip_network(association["cidr_block"])
        for association in vpc._cidr_block_association_set.values()
        if association.get("cidr_block_state", {}).get("state") == "associated"
    ]


def _cidrs_overlap(vpc: Any, peer_vpc: Any) -> bool:
    return any(
        mine.version == theirs.version and mine.overlaps(theirs)
        for mine in _associated_cidrs(vpc)
        for theirs in _associated_cidrs(peer_vpc)
    )


def peering_overlap_fails() -> None:
    """A peering between VPCs with overlapping CIDR blocks ends in status `failed`.

    AWS:   CreateVpcPeeringConnection succeeds, then the connection goes to `failed` with
           "Failed due to incorrect VPC-ID, Account ID, or overlapping CIDR range" when any
           associated block (primary or secondary, IPv4 or IPv6) of one VPC overlaps one of
           the other's; it can never be accepted.
    moto:  the connection goes to pending-acceptance and can be accepted and routed through.
    patch: on create, mark such a connection failed with AWS's message (moto's accept then
           refuses it, as AWS does).
    """
    from moto.ec2.models.vpc_peering_connections import VPCPeeringConnectionBackend

    original = VPCPeeringConnectionBackend.create_vpc_peering_connection

    def create_vpc_peering_connection(self: Any, *args: Any, **kwargs: Any) -> Any:
        connection = original(self, *args, **kwargs)
        if _cidrs_overlap(connection.vpc, connection.peer_vpc):
            connection._status.code = "failed"
            connection._status.message = PEERING_FAILED_MESSAGE
        return connection

    _replace(
        VPCPeeringConnectionBackend, "create_vpc_peering_connection", create_vpc_peering_connection
    )


# --------------------------------------------------------------------------- PrivateLink
# These patches work on moto's EC2 *response* classes: the facts they need (the caller's
# account, ServiceRegion) arrive with the request and never reach moto's model methods.


def _result_item(result: Any, key: str) -> Any:
    """The model object inside a moto ActionResult (serialised only after we return)."""
    return result.result[key]


def _principal_type(principal: str) -> str:
    """AWS's PrincipalType for an allowed-principal ARN."""
    if principal == "*":
        return "All"
    if principal.endswith(".amazonaws.com"):
        return "Service"
    resource = principal.split(":", 5)[-1]
    if resource == "root":
        return "Account"
    if resource.startswith("role/"):
        return "Role"
    if resource.startswith("user/"):
        return "User"
    if "/ou-" in resource:
        return "OrganizationUnit"
    return "Account"


def _allowed_principal(config: Any, principal: str) -> dict[str, Any]:
    ids: dict[str, str] = _extra(config).setdefault("permission_ids", {})
    permission_id = ids.setdefault(principal, f"vpce-spn-{_random_hex(17)}")
    return {
        "PrincipalType": _principal_type(principal),
        "Principal": principal,
        "ServicePermissionId": permission_id,
        "ServiceId": config.id,
        "Tags": [],
    }


def _matches(filters: dict[str, list[str]], values: dict[str, str]) -> bool:
    """EC2 filter semantics: every named filter must match one of its values."""
    from moto.ec2.exceptions import InvalidFilter

    for name, wanted in filters.items():
        if name not in values:
            raise InvalidFilter(name)
        if values[name] not in wanted:
            return False
    return True


def endpoint_service_permission_ids() -> None:
    """Allowed principals carry ServicePermissionId and PrincipalType.

    AWS:   ModifyVpcEndpointServicePermissions returns AddedPrincipals and
           DescribeVpcEndpointServicePermissions returns AllowedPrincipals, each with
           Principal, PrincipalType, ServicePermissionId and ServiceId; the latter honours the
           `principal` and `principal-type` filters.
    moto:  returns only Principal (and ignores filters), so Terraform's
           `aws_vpc_endpoint_service_allowed_principal`, which takes its id from
           ServicePermissionId, fails with "Root object was present, but now absent".
    patch: give each (service, principal) a stable `vpce-spn-…` id and return the full shape.
    """
    from moto.core.responses import ActionResult
    from moto.ec2.responses.vpc_service_configuration import VPCEndpointServiceConfiguration

    original_modify = VPCEndpointServiceConfiguration.modify_vpc_endpoint_service_permissions

    def modify_vpc_endpoint_service_permissions(self: Any) -> ActionResult:
        original_modify(self)
        config = self.ec2_backend.get_vpc_endpoint_service(self._get_param("ServiceId"))
        for principal in self._get_param("RemoveAllowedPrincipals", []):
            _extra(config).get("permission_ids", {}).pop(principal, None)
        added = [
            {
                key: value
                for key, value in _allowed_principal(config, principal).items()
                if key != "Tags"
            }
            for principal in self._get_param("AddAllowedPrincipals", [])
        ]
        return ActionResult({"ReturnValue": True, "AddedPrincipals": added})

    def describe_vpc_endpoint_service_permissions(self: Any) -> ActionResult:
        service_id = self._get_param("ServiceId")
        principals = self.ec2_backend.describe_vpc_endpoint_service_permissions(service_id)
        config = self.ec2_backend.get_vpc_endpoint_service(service_id)
        filters = self._filters_from_querystring()
        allowed = [
            item
            for item in (_allowed_principal(config, p) for p in sorted(principals))
            if _matches(
                filters, {"principal": item["Principal"], "principal-type": item["PrincipalType"]}
            )
        ]
        return ActionResult({"AllowedPrincipals": allowed})

    owner = VPCEndpointServiceConfiguration
    _replace(
        owner, "modify_vpc_endpoint_service_permissions", modify_vpc_endpoint_service_permissions
    )
    _replace(
        owner,
        "describe_vpc_endpoint_service_permissions",
        describe_vpc_endpoint_service_permissions,
    )


def endpoint_service_region() -> None:
    """Interface endpoints keep their ServiceRegion (native cross-region PrivateLink).

    AWS:   CreateVpcEndpoint takes ServiceRegion for a service hosted in another region, and
           DescribeVpcEndpoints returns it.
    moto:  drops it, so Terraform plans to replace every `aws_vpc_endpoint` that sets
           `service_region`.
    patch: store ServiceRegion (the endpoint's own region when not given) on the endpoint.
    """
    from moto.ec2.responses.vpcs import VPCs

    original = VPCs.create_vpc_endpoint

    def create_vpc_endpoint(self: Any) -> Any:
        result = original(self)
        endpoint = _result_item(result, "VpcEndpoint")
        endpoint.service_region = self._get_param("ServiceRegion") or self.region
        return result

    _replace(VPCs, "create_vpc_endpoint", create_vpc_endpoint)


def _find_endpoint_service(service_name: str, region: str) -> tuple[str, Any] | None:
    """(owner account, configuration) of a PrivateLink service, looked up in every account."""
    from moto.ec2.models import ec2_backends

    for account_id, by_region in list(ec2_backends.items()):
        backend = by_region.get(region)  # dict.get: never creates a backend
        if backend is None:
            continue
        for config in list(backend.configurations.values()):
            if config.service_name == service_name:
                return account_id, config
    return None


def _principal_account(principal: str) -> str | None:
    parts = principal.split(":")
    return parts[4] if len(parts) >= 6 and parts[0] == "arn" else None


def _service_for_consumer(
    service_name: str, service_region: str, consumer_account: str, consumer_region: str
) -> Any:
    """The service an interface endpoint may connect to, or InvalidServiceName as AWS says it."""
    from moto.ec2.exceptions import InvalidServiceName

    found = _find_endpoint_service(service_name, service_region)
    if found is None:
        raise InvalidServiceName(service_name)
    owner, config = found
    allowed = consumer_account == owner or any(
        principal == "*" or _principal_account(principal) == consumer_account
        for principal in config.principals
    )
    offered_here = (
        service_region == consumer_region or consumer_region in config._supported_region_names
    )
    if not (allowed and offered_here):
        raise InvalidServiceName(service_name)
    return config


def endpoint_service_access() -> None:
    """Interface endpoints need an existing service that admits the caller; acceptance waits.

    AWS:   CreateVpcEndpoint for a PrivateLink service (com.amazonaws.vpce.…) fails with
           InvalidServiceName ("The Vpc Endpoint Service '…' does not exist") when the
           service does not exist in ServiceRegion, the caller's account is neither the
           owner nor among the allowed principals (or `*`), or — across regions — the
           caller's region is not among the service's supported regions. With
           AcceptanceRequired the endpoint stays `pendingAcceptance` until the owner accepts.
    moto:  never looks the service up: any name works, every endpoint is `available`.
    patch: look the service up across accounts, refuse as above, record the endpoint as a
           connection of the service, and start it `pendingAcceptance` when acceptance is
           required. Principals are matched by account (the ARN's account field): the sandbox
           cannot tell which IAM principal of an account made the call.
    """
    from moto.ec2.responses.vpcs import VPCs

    original = VPCs.create_vpc_endpoint

    def create_vpc_endpoint(self: Any) -> Any:
        service_name = self._get_param("ServiceName") or ""
        kind = (self._get_param("VpcEndpointType") or "Gateway").lower()
        config = None
        if kind == "interface" and service_name.startswith("com.amazonaws.vpce."):
            service_region = self._get_param("ServiceRegion") or self.region
            config = _service_for_consumer(
                service_name, service_region, self.current_account, self.region
            )
        result = original(self)
        if config is not None:
            endpoint = _result_item(result, "VpcEndpoint")
            _extra(config).setdefault("connections", {})[endpoint.id] = endpoint
            if str(config.acceptance_required).lower() == "true":
                endpoint.state = "pendingAcceptance"
        return result

    _replace(VPCs, "create_vpc_endpoint", create_vpc_endpoint)


def _connection_view(config: Any, endpoint: Any) -> dict[str, Any]:
    connection_id = _extra(endpoint).setdefault("connection_id", f"vpce-con-{_random_hex(17)}")
    return {
        "ServiceId": config.id,
        "VpcEndpointId": endpoint.id,
        "VpcEndpointOwner": endpoint.owner_id,
        "VpcEndpointState": endpoint.state,
        "CreationTimestamp": endpoint.creation_timestamp,
        "DnsEntries": endpoint.dns_entries or [],
        "NetworkLoadBalancerArns": list(config.network_load_balancer_arns),
        "GatewayLoadBalancerArns": list(config.gateway_load_balancer_arns),
        "IpAddressType": "ipv4",
        "VpcEndpointConnectionId": connection_id,
        "VpcEndpointRegion": endpoint.ec2_backend.region_name,
        "Tags": [],
    }


def _decide_connections(response: Any, new_state: str, from_states: set[str]) -> Any:
    """Accept or reject endpoint connections of one of the caller's services."""
    from moto.core.responses import ActionResult
    from moto.ec2.exceptions import UnknownVpcEndpointService

    service_id = response._get_param("ServiceId")
    config = response.ec2_backend.get_vpc_endpoint_service(service_id)
    if config is None:
        raise UnknownVpcEndpointService(service_id)
    connections: dict[str, Any] = _extra(config).get("connections", {})
    unsuccessful = []
    for endpoint_id in response._get_param("VpcEndpointIds", []):
        endpoint = connections.get(endpoint_id)
        if endpoint is None:
            code, message = (
                "InvalidVpcEndpointId.NotFound",
                f"The Vpc Endpoint Id '{endpoint_id}' does not exist",
            )
        elif endpoint.state == new_state:
            continue
        elif endpoint.state not in from_states:
            code, message = "InvalidState", f"Endpoint {endpoint_id} is {endpoint.state}"
        else:
            endpoint.state = new_state
            continue
        unsuccessful.append(
            {"ResourceId": endpoint_id, "Error": {"Code": code, "Message": message}}
        )
    return ActionResult({"Unsuccessful": unsuccessful})


def endpoint_connections_api() -> None:
    """DescribeVpcEndpointConnections, AcceptVpcEndpointConnections, RejectVpcEndpointConnections.

    AWS:   the service owner lists the endpoints connected to its services (service id,
           endpoint id, owner, state, region, …; filters service-id, vpc-endpoint-id,
           vpc-endpoint-owner, vpc-endpoint-state, ip-address-type) and accepts or rejects
           those pending (`available` / `rejected`).
    moto:  none of the three actions exists (HTTP 500), so neither a reader nor Terraform's
           `aws_vpc_endpoint_connection_accepter` can see or change acceptance.
    patch: implement them over the connections `endpoint_service_access` records.
    """
    from moto.core.responses import ActionResult
    from moto.ec2.responses import EC2Response

    def describe_vpc_endpoint_connections(self: Any) -> ActionResult:
        filters = self._filters_from_querystring()
        rows = [
            _connection_view(config, endpoint)
            for config in list(self.ec2_backend.configurations.values())
            for endpoint in list(_extra(config).get("connections", {}).values())
        ]
        selected = [
            row
            for row in rows
            if _matches(
                filters,
                {
                    "service-id": row["ServiceId"],
                    "vpc-endpoint-id": row["VpcEndpointId"],
                    "vpc-endpoint-owner": row["VpcEndpointOwner"],
                    "vpc-endpoint-state": row["VpcEndpointState"],
                    "ip-address-type": row["IpAddressType"],
                },
            )
        ]
        return ActionResult({"VpcEndpointConnections": selected})

    def accept_vpc_endpoint_connections(self: Any) -> ActionResult:
        result: ActionResult = _decide_connections(self, "available", {"pendingAcceptance"})
        return result

    def reject_vpc_endpoint_connections(self: Any) -> ActionResult:
        result: ActionResult = _decide_connections(
            self, "rejected", {"pendingAcceptance", "available"}
        )
        return result

    EC2Response.describe_vpc_endpoint_connections = describe_vpc_endpoint_connections  # type: ignore[attr-defined]
    EC2Response.accept_vpc_endpoint_connections = accept_vpc_endpoint_connections  # type: ignore[attr-defined]
    EC2Response.reject_vpc_endpoint_connections = reject_vpc_endpoint_connections  # type: ignore[attr-defined]


# ----------------------------------------------------------------- security group rules


def security_group_rule_descriptions() -> None:
    """A rule's description is returned whatever its peer is.

    AWS:   DescribeSecurityGroupRules returns the Description of every rule: a CIDR rule, a
           rule referencing another group, a prefix-list rule.
    moto:  keeps the description of a group reference in the rule's source group and that of
           a prefix-list rule not at all, but reads it only from the CIDR range; the Terraform
           provider then sees an empty description on `aws_vpc_security_group_egress_rule`
           with `referenced_security_group_id` and plans an update on every run.
    patch: the rule remembers a prefix list's description and `description` falls back to
           the source group's and the prefix list's.
    """
    from moto.ec2.models.security_groups import SecurityGroupRule

    original_init = SecurityGroupRule.__init__

    def __init__(self: Any, *args: Any, **kwargs: Any) -> None:
        original_init(self, *args, **kwargs)
        prefix = _bind(original_init, self, *args, **kwargs).get("prefix_list_id") or {}
        if prefix.get("Description"):
            _extra(self)["prefix_description"] = prefix["Description"]

    def description(self: Any) -> str | None:
        return (
            self.ip_range.get("Description")
            or self.source_group.get("Description")
            or _extra(self).get("prefix_description")
        )

    SecurityGroupRule.__init__ = __init__  # type: ignore[method-assign]
    SecurityGroupRule.description = property(description)  # type: ignore[assignment,method-assign]


PATCHES: tuple[Patch, ...] = (
    Patch("security_group_rule_descriptions", security_group_rule_descriptions),
    Patch("instance_security_groups", instance_security_groups),
    Patch("instance_addresses_released_on_termination", instance_addresses_released_on_termination),
    Patch("instance_user_data_update", instance_user_data_update),
    Patch("endpoint_network_interfaces", endpoint_network_interfaces),
    Patch("nat_gateway_network_interfaces", nat_gateway_network_interfaces),
    Patch("network_load_balancers", network_load_balancers),
    Patch("load_balancer_ip_targets", load_balancer_ip_targets),
    Patch("network_acl_implicit_deny", network_acl_implicit_deny),
    Patch("peering_overlap_fails", peering_overlap_fails),
    Patch("endpoint_service_permission_ids", endpoint_service_permission_ids),
    Patch("endpoint_service_region", endpoint_service_region),
    # after endpoint_service_region: it wraps that wrapper, so it refuses before anything exists
    Patch("endpoint_service_access", endpoint_service_access),
    Patch("endpoint_connections_api", endpoint_connections_api),
)
