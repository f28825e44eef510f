"""PrivateLink: the endpoint services an account provides and the VPC endpoints it consumes.

AWS → model:

* Endpoint service (DescribeVpcEndpointServiceConfigurations: the account's own services,
  those behind one of the NLBs read): ServiceId, ServiceName, the reading account and
  region, NLB ARNs, AcceptanceRequired, ServiceState; allowed principals from
  DescribeVpcEndpointServicePermissions (one call per service), sorted; supported regions
  sorted, and () when the service is offered in its own region only (AWS lists the home
  region too) — the planner's spelling; PrivateDnsName (None when absent). Deleted
  services are left out.
* VPC endpoint: type (Interface, Gateway, GatewayLoadBalancer; newer kinds are left out
  with a warning), service name, subnets, groups, ENIs, route tables, state with AWS's
  capitalised enum values (``PendingAcceptance``) written the way the API sends them
  (``pendingAcceptance``), ServiceRegion (None when it is the endpoint's own region),
  OwnerId → account, PrivateDnsEnabled, DnsEntries' names.
"""

from __future__ import annotations

from typing import Literal, cast

from vpcwire.network import EndpointService, NetworkBuilder, VpcEndpoint
from vpcwire.read.convert import Raw, add_new, name_of, tags_of
from vpcwire.read.snapshot import Snapshot, Unit
from vpcwire.read.tasks import Scheduler, paginate

__all__ = ["map_endpoints", "schedule"]

EndpointType = Literal["Interface", "Gateway", "GatewayLoadBalancer"]
_TYPES = ("Interface", "Gateway", "GatewayLoadBalancer")


def schedule(sched: Scheduler, unit: Unit) -> None:
    snap = unit.snap
    sched.list_all(
        unit,
        "endpoint_services",
        unit.ec2,
        "describe_vpc_endpoint_service_configurations",
        snap.endpoint_services.extend,
        f"endpoint services of {unit.where} are not in the network",
    )
    sched.list_all(
        unit,
        "endpoints",
        unit.ec2,
        "describe_vpc_endpoints",
        snap.endpoints.extend,
        f"VPC endpoints of {unit.where} are not in the network",
        vpc_filter="vpc-id",
    )
    sched.after(unit, {"endpoint_services", "load_balancers"}, lambda: _permissions(sched, unit))


def _behind_read_nlb(snap: Snapshot) -> list[Raw]:
    arns = {lb["LoadBalancerArn"] for lb in snap.load_balancers}
    return [
        svc
        for svc in snap.endpoint_services
        if arns & set(svc.get("NetworkLoadBalancerArns") or ())
        and svc.get("ServiceState") != "Deleted"
    ]


def _permissions(sched: Scheduler, unit: Unit) -> None:
    for svc in _behind_read_nlb(unit.snap):
        service_id = svc["ServiceId"]

        def store(items: list[Raw], service_id: str = service_id) -> None:
            unit.snap.service_permissions[service_id] = [
                p["Principal"] for p in items if p.get("Principal")
            ]

        sched.call(
            unit,
            "service_permissions",
            "ec2:DescribeVpcEndpointServicePermissions",
            paginate(unit.ec2, "describe_vpc_endpoint_service_permissions", ServiceId=service_id),
            store,
            f"the allowed principals of {service_id} are unknown (none assumed)",
        )


def map_endpoints(snap: Snapshot, b: NetworkBuilder) -> None:
    for raw in _behind_read_nlb(snap):
        add_new(b, _service(raw, snap))
    for raw in snap.endpoints:
        if raw.get("VpcId") not in snap.selected or _state(raw) == "deleted":
            continue
        if raw.get("VpcEndpointType") not in _TYPES:
            snap.warnings.append(
                f"{raw['VpcEndpointId']}: endpoint type "
                f"{raw.get('VpcEndpointType')} is not modelled; left out"
            )
            continue
        add_new(b, _endpoint(raw, snap))


def _service(raw: Raw, snap: Snapshot) -> EndpointService:
    listed = {r["Region"] for r in raw.get("SupportedRegions") or () if r.get("Region")}
    supported = tuple(sorted(listed | {snap.region})) if listed - {snap.region} else ()
    return EndpointService(
        raw["ServiceId"],
        name_of(tags_of(raw)),
        raw.get("ServiceName", ""),
        snap.account,
        snap.region,
        tuple(raw.get("NetworkLoadBalancerArns") or ()),
        acceptance_required=bool(raw.get("AcceptanceRequired")),
        allowed_principals=tuple(sorted(snap.service_permissions.get(raw["ServiceId"], []))),
        supported_regions=supported,
        state=raw.get("ServiceState", "Available"),
        private_dns_name=raw.get("PrivateDnsName") or None,
    )


def _state(raw: Raw) -> str:
    state = str(raw.get("State") or "available")
    return state[:1].lower() + state[1:]


def _endpoint(raw: Raw, snap: Snapshot) -> VpcEndpoint:
    region = raw.get("ServiceRegion")
    return VpcEndpoint(
        raw["VpcEndpointId"],
        name_of(tags_of(raw)),
        raw["VpcId"],
        raw.get("ServiceName", ""),
        cast(EndpointType, raw["VpcEndpointType"]),
        subnets=tuple(raw.get("SubnetIds") or ()),
        security_groups=tuple(g["GroupId"] for g in raw.get("Groups") or ()),
        interfaces=tuple(raw.get("NetworkInterfaceIds") or ()),
        route_tables=tuple(raw.get("RouteTableIds") or ()),
        state=_state(raw),
        service_region=region if region and region != snap.region else None,
        account=raw.get("OwnerId") or snap.account,
        private_dns=bool(raw.get("PrivateDnsEnabled")),
        dns_names=tuple(e["DnsName"] for e in raw.get("DnsEntries") or () if e.get("DnsName")),
    )
