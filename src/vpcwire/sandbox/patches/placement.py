"""Patches for where things are: a subnet's zone and an interface endpoint's DNS names."""

from __future__ import annotations

import re
from typing import Any

from vpcwire.sandbox.patches._helpers import _bind, _random_hex, _replace

# com.amazonaws.vpce.<region>.vpce-svc-<id> (an endpoint service) or
# com.amazonaws.<region>.<service> (an AWS service such as s3, ssm, execute-api)
_CUSTOM_SERVICE = re.compile(r"com\.amazonaws\.vpce\.[a-z0-9-]+\.(vpce-svc-[0-9a-f]+)")
_AWS_SERVICE = re.compile(r"com\.amazonaws\.[a-z]{2}(?:-[a-z]+)+-\d+\.([a-z0-9.-]+)")


def subnet_zone_in_region() -> None:
    """A subnet's availability zone must be one of its region's.

    AWS:   CreateSubnet in us-east-1 with AvailabilityZone us-west-2a (or a zone id of
           another region) fails with InvalidParameterValue ("Value (us-west-2a) for
           parameter availabilityZone is invalid. Subnets can currently only be created
           in the following availability zones: …").
    moto:  looks the zone up among every region's zones and creates the subnet, reporting
           a zone of another region.
    patch: refuse a zone (by name or id) that is not one of the backend's region, with
           AWS's error code and the region's zones listed.
    """
    from moto.ec2.exceptions import EC2ClientError
    from moto.ec2.models.availability_zones_and_regions import RegionsAndZonesBackend
    from moto.ec2.models.subnets import SubnetBackend

    original = SubnetBackend.create_subnet

    def create_subnet(self: Any, *args: Any, **kwargs: Any) -> Any:
        call = _bind(original, self, *args, **kwargs)
        zone, zone_id = call.get("availability_zone"), call.get("availability_zone_id")
        zones = RegionsAndZonesBackend.zones.get(self.region_name, [])
        names = [z.name for z in zones]
        if zones and (
            (zone and zone not in names)
            or (not zone and zone_id and zone_id not in [z.zone_id for z in zones])
        ):
            raise EC2ClientError(
                "InvalidParameterValue",
                f"Value ({zone or zone_id}) for parameter "
                f"{'availabilityZone' if zone else 'availabilityZoneId'} is invalid. Subnets "
                "can currently only be created in the following availability zones: "
                + ", ".join(names)
                + ".",
            )
        return original(self, *args, **kwargs)

    _replace(SubnetBackend, "create_subnet", create_subnet)


def aws_dns_name(endpoint_id: str, service_name: str, region: str) -> str | None:
    """The regional DNS name AWS gives an interface endpoint, or None for a service name of
    another shape: `vpce-<id>-<8 chars>.vpce-svc-<id>.<region>.vpce.amazonaws.com` for an
    endpoint service, `vpce-<id>-<8 chars>.<service>.<region>.vpce.amazonaws.com` for an AWS
    service. The region is the endpoint's (a cross-region endpoint lives in its own region)."""
    if (match := _CUSTOM_SERVICE.fullmatch(service_name)) or (
        match := _AWS_SERVICE.fullmatch(service_name)
    ):
        service = match[1]
    else:
        return None
    return f"{endpoint_id}-{_random_hex(8)}.{service}.{region}.vpce.amazonaws.com"


def endpoint_dns_names() -> None:
    """Interface endpoint DNS names have AWS's shape.

    AWS:   an interface endpoint's first DnsEntries name is
           `vpce-0abc…-1a2b3c4d.vpce-svc-0def….us-east-1.vpce.amazonaws.com` (for an AWS
           service: `vpce-…-….s3.us-east-1.vpce.amazonaws.com`).
    moto:  `vpce-0abc…-1a2b3c4d.com.amazonaws.vpce.us-east-1.vpce-svc-0def…`: the service
           name with the endpoint id in front, which no resolver or certificate matches.
    patch: rewrite the DNS entry of each new interface endpoint into AWS's shape.
    """
    from moto.ec2.models.vpcs import VPCBackend

    original = VPCBackend.create_vpc_endpoint

    def create_vpc_endpoint(self: Any, *args: Any, **kwargs: Any) -> Any:
        endpoint = original(self, *args, **kwargs)
        for entry in endpoint.dns_entries or []:
            name = aws_dns_name(endpoint.id, endpoint.service_name, self.region_name)
            if name is not None and isinstance(entry, dict) and "dns_name" in entry:
                entry["dns_name"] = name
        return endpoint

    _replace(VPCBackend, "create_vpc_endpoint", create_vpc_endpoint)
