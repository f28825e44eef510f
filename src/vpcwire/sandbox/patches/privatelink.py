"""Patches for endpoint services: permissions, regions, access and connections."""

from __future__ import annotations

from typing import Any

from vpcwire.sandbox.patches._helpers import (
    _extra,
    _random_hex,
    _replace,
)


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
