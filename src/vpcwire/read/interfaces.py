"""Network interfaces (ENIs) and instances.

AWS → model:

* ENI: subnet, primary private IP, groups, and a kind with its owner. The owner is found
  the most reliable way available: an ENI that an endpoint or NAT gateway lists as its own
  is that endpoint's / gateway's (true on AWS and on moto, which labels them all
  ``interface``); then ``InterfaceType`` with the owner id from the Description AWS writes
  (``vpc_endpoint`` "VPC Endpoint Interface vpce-…", ``nat_gateway`` "Interface for NAT
  Gateway nat-…", ``network_load_balancer`` "ELB net/<name>/<id>", whose ``net/<name>/<id>``
  is the tail of the NLB's ARN, the NLB's model id); then an attachment to an instance.
  Name: the Name tag, else the instance's name for an instance's primary ENI (as planned).
  Public address: ``Association.PublicIp`` (an auto-assigned public IPv4 or an Elastic IP).
  An address outside the ENI's own subnet (moto invents such addresses for endpoint and
  NAT ENIs) is recorded as unknown (None), with a warning.
* Instance: state (terminated ones are left out: AWS lists them for an hour after their ENIs
  are gone), primary ENI = the one at device index 0, Name tag, role from the
  ``vpcwire:role`` tag ("" if absent).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from ipaddress import IPv4Address
from typing import Literal

from vpcwire.network import Instance, NetworkBuilder, NetworkInterface
from vpcwire.read.convert import Raw, add_new, address, name_of, tags_of
from vpcwire.read.snapshot import Snapshot, Unit
from vpcwire.read.tasks import Scheduler

__all__ = ["EniOwners", "classify", "map_interfaces", "schedule"]

EniKind = Literal["instance", "vpc_endpoint", "load_balancer", "nat_gateway", "external", "other"]
ROLE_TAG = "vpcwire:role"
_ENDPOINT_DESCRIPTION = "VPC Endpoint Interface "
_NAT_DESCRIPTION = "Interface for NAT Gateway "
_NLB_DESCRIPTION = "ELB net/"


def schedule(sched: Scheduler, unit: Unit) -> None:
    snap = unit.snap

    def store_instances(reservations: list[Raw]) -> None:
        snap.instances.extend(i for r in reservations for i in r.get("Instances") or ())

    sched.list_all(
        unit,
        "interfaces",
        unit.ec2,
        "describe_network_interfaces",
        snap.interfaces.extend,
        f"network interfaces of {unit.where} are not in the network",
        vpc_filter="vpc-id",
    )
    sched.list_all(
        unit,
        "instances",
        unit.ec2,
        "describe_instances",
        store_instances,
        f"instances of {unit.where} are not in the network",
        vpc_filter="vpc-id",
    )


@dataclass(frozen=True, slots=True)
class EniOwners:
    """Who owns which ENI, from the owners' side of one snapshot."""

    endpoints: dict[str, str]  # ENI id -> vpce id
    nat_gateways: dict[str, str]  # ENI id -> nat id
    load_balancers: dict[str, str]  # "net/<name>/<id>" -> NLB ARN

    @classmethod
    def of(cls, snap: Snapshot) -> EniOwners:
        return cls(
            {
                eni: ep["VpcEndpointId"]
                for ep in snap.endpoints
                for eni in ep.get("NetworkInterfaceIds") or ()
            },
            {
                a["NetworkInterfaceId"]: nat["NatGatewayId"]
                for nat in snap.nat_gateways
                for a in nat.get("NatGatewayAddresses") or ()
                if a.get("NetworkInterfaceId")
            },
            {
                lb["LoadBalancerArn"].split(":loadbalancer/", 1)[-1]: lb["LoadBalancerArn"]
                for lb in snap.load_balancers
            },
        )


def classify(raw: Raw, owners: EniOwners) -> tuple[EniKind, str | None]:
    eni_id = raw["NetworkInterfaceId"]
    if eni_id in owners.endpoints:
        return "vpc_endpoint", owners.endpoints[eni_id]
    if eni_id in owners.nat_gateways:
        return "nat_gateway", owners.nat_gateways[eni_id]
    kind = raw.get("InterfaceType") or "interface"
    description = raw.get("Description") or ""
    if kind == "vpc_endpoint":
        return "vpc_endpoint", _after(description, _ENDPOINT_DESCRIPTION)
    if kind in ("nat_gateway", "natGateway"):
        return "nat_gateway", _after(description, _NAT_DESCRIPTION)
    if kind == "network_load_balancer" or description.startswith(_NLB_DESCRIPTION):
        return "load_balancer", owners.load_balancers.get(description.removeprefix("ELB "))
    instance = (raw.get("Attachment") or {}).get("InstanceId")
    if instance:
        return "instance", instance
    return "other", None


def _after(text: str, prefix: str) -> str | None:
    return (
        text[len(prefix) :].split()[0] if text.startswith(prefix) and text[len(prefix) :] else None
    )


def map_interfaces(snap: Snapshot, b: NetworkBuilder) -> None:
    owners = EniOwners.of(snap)
    names = _primary_eni_names(snap.instances)
    for raw in snap.interfaces:
        if raw.get("VpcId") not in snap.selected:
            continue
        kind, owner = classify(raw, owners)
        tags = tags_of(raw)
        eni_id = raw["NetworkInterfaceId"]
        groups = tuple(g["GroupId"] for g in raw.get("Groups") or ())
        add_new(
            b,
            NetworkInterface(
                eni_id,
                name_of(tags, names.get(eni_id, "")),
                raw["VpcId"],
                raw["SubnetId"],
                _checked_address(raw, b, snap),
                groups,
                kind=kind,
                owner=owner,
                public_ip=address((raw.get("Association") or {}).get("PublicIp")),
            ),
        )
    for raw in snap.instances:
        instance = _instance(raw, snap)
        if instance is not None:
            add_new(b, instance)


def _checked_address(raw: Raw, b: NetworkBuilder, snap: Snapshot) -> IPv4Address | None:
    ip = address(raw.get("PrivateIpAddress"))
    subnet = b.get_or_none("subnet", raw["SubnetId"])
    if ip is not None and subnet is not None and ip not in subnet.cidr:
        snap.warnings.append(
            f"{raw['NetworkInterfaceId']}: AWS reports address {ip}, outside its subnet "
            f"{subnet.id} ({subnet.cidr}); the address is treated as unknown"
        )
        return None
    return ip


def _primary_eni(raw: Raw) -> str | None:
    for eni in raw.get("NetworkInterfaces") or ():
        if (eni.get("Attachment") or {}).get("DeviceIndex") == 0:
            return str(eni["NetworkInterfaceId"])
    return None


def _primary_eni_names(instances: Iterable[Raw]) -> dict[str, str]:
    out: dict[str, str] = {}
    for raw in instances:
        eni, name = _primary_eni(raw), name_of(tags_of(raw))
        if eni and name:
            out[eni] = name
    return out


def _instance(raw: Raw, snap: Snapshot) -> Instance | None:
    state = (raw.get("State") or {}).get("Name", "running")
    eni = _primary_eni(raw)
    if state == "terminated" or raw.get("VpcId") not in snap.selected or eni is None:
        return None
    tags = tags_of(raw)
    return Instance(
        raw["InstanceId"],
        name_of(tags),
        raw["VpcId"],
        raw["SubnetId"],
        eni,
        state,
        role=tags.get(ROLE_TAG, ""),
        tags=tags,
    )
