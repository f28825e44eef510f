"""Slots: every place a packet can start or end, with a concrete address.

An ENI the Network lists becomes a slot. Interfaces AWS would have (an NLB node per
subnet, an endpoint ENI per subnet) but the Network does not list with an address get one
here: the highest free address of their subnet, so the data plane can always be built.
"""

from __future__ import annotations

from dataclasses import dataclass
from ipaddress import IPv4Address
from typing import Literal

from vpcwire.network import Network, NetworkInterface

__all__ = ["Slot", "collect_slots"]

Role = Literal["instance", "endpoint", "node", "interface"]


@dataclass(frozen=True, slots=True)
class Slot:
    id: str  # ENI id, or "<owner>@<subnet>" for an interface given an address here
    role: Role
    vpc: str
    subnet: str
    address: IPv4Address
    groups: tuple[str, ...]  # the security groups that filter it
    filtered: bool  # False: nothing filters it (an NLB without security groups)
    owner: str  # instance, endpoint or load balancer id ("" for a bare ENI)
    label: str  # how a person names it


def collect_slots(network: Network) -> list[Slot]:
    used: dict[str, set[IPv4Address]] = {}
    for iface in network.interfaces.values():
        if iface.private_ip is not None:
            used.setdefault(iface.subnet, set()).add(iface.private_ip)
    default_sg = {sg.vpc: sg.id for sg in network.security_groups.values() if sg.is_default}

    def groups_or_default(vpc: str, groups: tuple[str, ...]) -> tuple[str, ...]:
        if groups:
            return groups
        return (default_sg[vpc],) if vpc in default_sg else ()

    def allocate(subnet_id: str) -> IPv4Address | None:
        subnet = network.subnets[subnet_id]
        taken = used.setdefault(subnet_id, set())
        candidate = subnet.cidr.broadcast_address - 1
        while candidate > subnet.cidr.network_address + 3:
            if candidate not in taken:
                taken.add(candidate)
                return candidate
            candidate -= 1
        return None

    slots: list[Slot] = []
    claimed: set[str] = set()
    owner_of_eni: dict[str, str] = {}
    for ep in network.endpoints.values():
        for eni_id in ep.interfaces:
            owner_of_eni[eni_id] = ep.id
    for lb in network.load_balancers.values():
        for eni_id in lb.interfaces:
            owner_of_eni[eni_id] = lb.id
    enis_of_owner: dict[str, list[str]] = {}
    for eni in network.interfaces.values():
        owner = owner_of_eni.get(eni.id) or eni.owner or ""
        enis_of_owner.setdefault(owner, []).append(eni.id)

    def ok(subnet_id: str, vpc: str) -> bool:
        return subnet_id in network.subnets and vpc in network.vpcs

    # Load balancer nodes: one per subnet.
    for lb in sorted(network.load_balancers.values(), key=lambda x: x.id):
        if lb.kind != "network":
            continue
        for subnet_id in lb.subnets:
            if not ok(subnet_id, lb.vpc):
                continue
            owned = _owned(network, enis_of_owner.get(lb.id, []), subnet_id, claimed)
            address = owned.private_ip if owned is not None else allocate(subnet_id)
            if address is None:
                continue
            sid = owned.id if owned is not None else f"{lb.id}@{subnet_id}"
            claimed.add(sid)
            az = network.subnets[subnet_id].az
            slots.append(
                Slot(
                    sid,
                    "node",
                    lb.vpc,
                    subnet_id,
                    address,
                    lb.security_groups,
                    bool(lb.security_groups),
                    lb.id,
                    f"{lb.name or lb.id} node in {az}",
                )
            )
    # Interface endpoints: one ENI per subnet.
    for ep in sorted(network.endpoints.values(), key=lambda x: x.id):
        if ep.type != "Interface":
            continue
        for subnet_id in ep.subnets:
            if not ok(subnet_id, ep.vpc):
                continue
            owned = _owned(network, enis_of_owner.get(ep.id, []), subnet_id, claimed)
            address = owned.private_ip if owned is not None else allocate(subnet_id)
            if address is None:
                continue
            sid = owned.id if owned is not None else f"{ep.id}@{subnet_id}"
            claimed.add(sid)
            eni_groups = owned.security_groups if owned is not None else ()
            groups = groups_or_default(ep.vpc, ep.security_groups or eni_groups)
            az = network.subnets[subnet_id].az
            slots.append(
                Slot(
                    sid,
                    "endpoint",
                    ep.vpc,
                    subnet_id,
                    address,
                    groups,
                    True,
                    ep.id,
                    f"{ep.name or ep.id} ENI in {az}",
                )
            )
    # Instances and every other ENI with an address.
    instance_of_eni = {i.interface: i for i in network.instances.values()}
    for eni in sorted(network.interfaces.values(), key=lambda x: x.id):
        if eni.id in claimed or eni.private_ip is None or not ok(eni.subnet, eni.vpc):
            continue
        if eni.id in owner_of_eni or eni.kind in ("vpc_endpoint", "load_balancer"):
            continue  # an endpoint's or NLB's ENI that its owner no longer lists
        inst = instance_of_eni.get(eni.id)
        if inst is None and eni.owner is not None:
            inst = network.instances.get(eni.owner)
        if inst is not None and inst.state != "running":
            continue  # a stopped instance answers nothing
        groups = groups_or_default(eni.vpc, eni.security_groups)
        slots.append(
            Slot(
                eni.id,
                "instance" if inst is not None else "interface",
                eni.vpc,
                eni.subnet,
                eni.private_ip,
                groups,
                True,
                inst.id if inst is not None else "",
                (inst.name or inst.id) if inst is not None else (eni.name or eni.id),
            )
        )
    return slots


def _owned(
    network: Network, eni_ids: list[str], subnet_id: str, claimed: set[str]
) -> NetworkInterface | None:
    """The owner's ENI in this subnet that has an address and no slot yet."""
    for eni_id in eni_ids:
        eni = network.interfaces[eni_id]
        if eni.subnet == subnet_id and eni.private_ip is not None and eni_id not in claimed:
            return eni
    return None
