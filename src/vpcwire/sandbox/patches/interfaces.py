"""Patches for ENIs AWS manages: interface endpoints' and NAT gateways'."""

from __future__ import annotations

from typing import Any

from vpcwire.sandbox.patches._helpers import (
    _bind,
    _claim_address,
    _delete_eni,
    _extra,
    _groups,
    _make_managed,
    _replace,
    _set_primary_address,
)


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
