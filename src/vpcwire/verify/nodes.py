"""Nodes: the places traffic starts or ends (ENIs), with what the checks need to know.

An ENI alone does not say which security groups filter it (an endpoint's ENIs take the
endpoint's groups; an NLB node is filtered only if the NLB has groups), nor how a person
names it (an instance's ENI is best shown as the instance). A :class:`Node` settles that
once. Interfaces AWS has not created yet (plans list an NLB's subnets, not its ENIs) become
nodes whose address is "somewhere in the subnet".
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field

from vpcwire.network import Instance, LoadBalancer, Network, NetworkInterface, VpcEndpoint
from vpcwire.verify.addresses import Cidr, Where

__all__ = ["Node", "NodeFactory"]


@dataclass(frozen=True, slots=True)
class Node:
    id: str  # the ENI id, or "<owner id>@<subnet id>" for an interface AWS has not placed yet
    resource: str  # what a person recognises: the instance for an instance's ENI
    name: str
    kind: str  # "instance", "network interface", "endpoint interface", "load balancer node"
    vpc: str
    subnet: str
    where: Where
    groups: tuple[str, ...]
    filtered: bool  # False: no security group applies (an NLB created without groups)
    owner: str | None
    az: str
    az_id: str | None
    state: str | None = None  # the instance's state, for instance nodes
    note: str = ""  # what was assumed about this node
    public_ip: int | None = None  # its public IPv4 address or Elastic IP, if any
    label: str = field(init=False, compare=False)
    detail: str = field(init=False, compare=False)  # where it is, for the hop line

    def __post_init__(self) -> None:
        # Computed once: every hop through this node prints them.
        named = self.name and self.name != self.resource
        object.__setattr__(
            self, "label", f"{self.resource} ({self.name})" if named else self.resource
        )
        address = str(self.where) if self.where.exact else "address not known yet"
        head = f"{self.id} " if self.id != self.resource else ""
        text = f"{head}{address} in {self.subnet} ({self.az})"
        object.__setattr__(self, "detail", f"{text}; {self.note}" if self.note else text)

    def same_az(self, other: Node) -> bool:
        """AZ names differ between accounts, AZ ids do not: compare ids when both are known."""
        if self.az_id and other.az_id:
            return self.az_id == other.az_id
        return self.az == other.az


class NodeFactory:
    """Turns ENIs (and not-yet-created interfaces) into :class:`Node` values."""

    def __init__(self, network: Network, default_sg: Mapping[str, str]) -> None:
        self.network = network
        self.default_sg = default_sg
        self.instance_of_eni: dict[str, Instance] = {
            inst.interface: inst for inst in network.instances.values()
        }
        self._blocks: dict[str, Cidr] = {}  # a subnet's CIDR as integers, per subnet

    def _where(self, subnet_id: str, address: int | None) -> tuple[Where, str]:
        subnet = self.network.subnets.get(subnet_id)
        if subnet is None:
            where = Where(address) if address is not None else Where(0, 0, subnet_id)
            return where, f"its subnet {subnet_id} is not in the network"
        block = self._blocks.get(subnet_id)
        if block is None:
            block = self._blocks[subnet_id] = Cidr.of(subnet.cidr)
        if address is not None:
            exact = Where(address)
            if block.contains(exact):
                return exact, ""
            return (
                Where(block.net, block.plen, subnet_id),
                f"its recorded address {Where(address)} is outside {subnet_id} ({block}), "
                "so any address of the subnet is assumed",
            )
        return Where(block.net, block.plen, subnet_id), ""

    def _az(self, subnet_id: str) -> tuple[str, str | None]:
        subnet = self.network.subnets.get(subnet_id)
        return (subnet.az, subnet.az_id) if subnet else ("?", None)

    def _groups_or_default(self, vpc: str, groups: tuple[str, ...]) -> tuple[tuple[str, ...], str]:
        if groups:
            return groups, ""
        default = self.default_sg.get(vpc)
        if default is None:
            return (), "it has no security group"
        return (default,), f"no security group recorded, so the VPC's default {default} applies"

    def of_eni(self, eni: NetworkInterface) -> Node:
        address = int(eni.private_ip) if eni.private_ip is not None else None
        public = int(eni.public_ip) if eni.public_ip is not None else None
        where, note = self._where(eni.subnet, address)
        az, az_id = self._az(eni.subnet)
        net = self.network
        instance = self.instance_of_eni.get(eni.id) or net.instances.get(eni.owner or "")
        if instance is not None:
            groups, why = self._groups_or_default(eni.vpc, eni.security_groups)
            return Node(
                eni.id,
                instance.id,
                instance.name,
                "instance",
                eni.vpc,
                eni.subnet,
                where,
                groups,
                True,
                instance.id,
                az,
                az_id,
                instance.state,
                _join(note, why),
                public_ip=public,
            )
        owner = eni.owner or ""
        if eni.kind == "vpc_endpoint" and owner in net.endpoints:
            ep = net.endpoints[owner]
            groups, why = self._groups_or_default(
                eni.vpc, ep.security_groups or eni.security_groups
            )
            return Node(
                eni.id,
                eni.id,
                eni.name or f"{ep.name or ep.id} in {az}",
                "endpoint interface",
                eni.vpc,
                eni.subnet,
                where,
                groups,
                True,
                ep.id,
                az,
                az_id,
                None,
                _join(note, why),
            )
        if eni.kind == "load_balancer" and owner in net.load_balancers:
            lb = net.load_balancers[owner]
            return Node(
                eni.id,
                eni.id,
                eni.name or f"{lb.name or lb.id} node in {az}",
                "load balancer node",
                eni.vpc,
                eni.subnet,
                where,
                lb.security_groups,
                bool(lb.security_groups),
                lb.id,
                az,
                az_id,
                None,
                note,
            )
        groups, why = self._groups_or_default(eni.vpc, eni.security_groups)
        kind = {"nat_gateway": "NAT gateway interface"}.get(eni.kind, "network interface")
        return Node(
            eni.id,
            eni.id,
            eni.name,
            kind,
            eni.vpc,
            eni.subnet,
            where,
            groups,
            True,
            eni.owner,
            az,
            az_id,
            None,
            _join(note, why),
            public_ip=public,
        )

    def lb_node(self, lb: LoadBalancer, subnet_id: str) -> Node:
        where, note = self._where(subnet_id, None)
        az, az_id = self._az(subnet_id)
        return Node(
            f"{lb.id}@{subnet_id}",
            f"{lb.id}@{subnet_id}",
            f"{lb.name or lb.id} node in {az}",
            "load balancer node",
            lb.vpc,
            subnet_id,
            where,
            lb.security_groups,
            bool(lb.security_groups),
            lb.id,
            az,
            az_id,
            None,
            note,
        )

    def endpoint_node(self, ep: VpcEndpoint, subnet_id: str) -> Node:
        where, note = self._where(subnet_id, None)
        az, az_id = self._az(subnet_id)
        groups, why = self._groups_or_default(ep.vpc, ep.security_groups)
        return Node(
            f"{ep.id}@{subnet_id}",
            f"{ep.id}@{subnet_id}",
            f"{ep.name or ep.id} in {az}",
            "endpoint interface",
            ep.vpc,
            subnet_id,
            where,
            groups,
            True,
            ep.id,
            az,
            az_id,
            None,
            _join(note, why),
        )


def _join(*parts: str) -> str:
    return "; ".join(p for p in parts if p)
