"""network.tf and peering.tf: VPCs, subnets, gateways, route tables, routes and peerings."""

from __future__ import annotations

from vpcwire.network import (
    InternetGateway,
    NatGateway,
    Network,
    PeeringConnection,
    Route,
    RouteTable,
    Subnet,
    Vpc,
)
from vpcwire.plan.naming import implicit_name
from vpcwire.render.base import RendererBase, address, is_existing, ref
from vpcwire.render.hcl import Attr, Block, Expr, Node

__all__ = ["NetworkBlocks"]


class NetworkBlocks(RendererBase):
    def vpc(self, vpc: Vpc) -> None:
        if is_existing(vpc.id):
            return
        p = self.provider_of_vpc(vpc.id)
        body: list[Node] = [
            Attr("cidr_block", str(vpc.cidr)),
            Attr("enable_dns_support", vpc.dns_support),
        ]
        if vpc.dns_hostnames:
            body.append(Attr("enable_dns_hostnames", True))
        self.resource("network.tf", vpc.id, p, *body, name_tag=vpc.name)
        for i, extra in enumerate(vpc.cidrs[1:], start=2):
            self.resource(
                "network.tf",
                f"aws_vpc_ipv4_cidr_block_association.{vpc.name}_{i}",
                p,
                Attr("vpc_id", ref(vpc.id)),
                Attr("cidr_block", str(extra)),
            )
        # AWS's default group admits its own members and sends anywhere; nothing of ours uses
        # it, so it is emptied (CIS AWS Foundations Benchmark 5.4).
        self.resource(
            "network.tf",
            f"aws_default_security_group.{vpc.name}",
            p,
            Attr("vpc_id", ref(vpc.id)),
            name_tag=implicit_name(vpc.name, "default_security_group"),
        )

    def subnet(self, subnet: Subnet) -> None:
        if is_existing(subnet.id):
            return
        vpc = self.net.vpcs[subnet.vpc]
        tail: tuple[Node, ...] = ()
        secondary = [
            f"aws_vpc_ipv4_cidr_block_association.{vpc.name}_{i}"
            for i, c in enumerate(vpc.cidrs[1:], start=2)
            if subnet.cidr.subnet_of(c)
        ]
        if secondary:
            tail = (Attr("depends_on", [Expr(a) for a in secondary]),)
        self.resource(
            "network.tf",
            subnet.id,
            self.provider_of_vpc(subnet.vpc),
            Attr("vpc_id", ref(subnet.vpc)),
            Attr("cidr_block", str(subnet.cidr)),
            Attr("availability_zone", subnet.az),
            name_tag=subnet.name,
            tail=tail,
        )

    def internet_gateway(self, igw: InternetGateway) -> None:
        assert igw.vpc is not None
        if is_existing(igw.id):
            return
        self.resource(
            "network.tf",
            igw.id,
            self.provider_of_vpc(igw.vpc),
            Attr("vpc_id", ref(igw.vpc)),
            name_tag=igw.name,
        )

    def nat_gateway(self, nat: NatGateway) -> None:
        if is_existing(nat.id):
            return
        p = self.provider_of_vpc(nat.vpc)
        eip = f"aws_eip.{nat.name}_nat"
        self.resource("network.tf", eip, p, Attr("domain", "vpc"), name_tag=f"{nat.name}_nat")
        igw = next((g.id for g in self.net.internet_gateways.values() if g.vpc == nat.vpc), None)
        self.resource(
            "network.tf",
            nat.id,
            p,
            Attr("allocation_id", ref(eip)),
            Attr("subnet_id", ref(nat.subnet)),
            name_tag=nat.name,
            tail=(Attr("depends_on", [Expr(igw)]),) if igw else (),
        )

    def route_table(self, rt: RouteTable) -> None:
        p = self.provider_of_vpc(rt.vpc)
        if is_existing(rt.id):
            # a table of the estate: only the routes vpcwire adds (to a peering of ours)
            for route in rt.routes:
                if route.target.startswith("aws_vpc_peering_connection."):
                    self.route(rt, route, p)
            return
        if not rt.main:
            self.resource("network.tf", rt.id, p, Attr("vpc_id", ref(rt.vpc)), name_tag=rt.name)
            for sid in rt.subnets:
                subnet = self.net.subnets[sid]
                self.resource(
                    "network.tf",
                    f"aws_route_table_association.{subnet.name}",
                    p,
                    Attr("subnet_id", ref(sid)),
                    Attr("route_table_id", ref(rt.id)),
                )
        for route in rt.routes:
            if route.kind not in ("local", "transit_gateway"):  # transit.tf has those
                self.route(rt, route, p)

    def route(self, rt: RouteTable, route: Route, provider: Expr) -> None:
        target = self.net.get(route.target)
        target_name = target.name if target is not None else route.kind
        slug = str(route.destination).replace(".", "_").replace("/", "_")
        name = f"{rt.name}_to_{target_name}" + ("" if _is_primary(self.net, route) else f"_{slug}")
        argument = {
            "peering": "vpc_peering_connection_id",
            "internet_gateway": "gateway_id",
            "nat_gateway": "nat_gateway_id",
            "transit_gateway": "transit_gateway_id",
            "network_interface": "network_interface_id",
        }[route.kind]
        target_ref = ref(route.target)
        if route.kind == "peering":
            # the accepter's id is the peering's id, and waits for the peering to be active
            target_ref = ref(f"aws_vpc_peering_connection_accepter.{address(route.target)[1]}")
        self.resource(
            "peering.tf" if route.kind == "peering" else "network.tf",
            f"aws_route.{name}",
            provider,
            Attr("route_table_id", ref(rt.id)),
            Attr("destination_cidr_block", str(route.destination)),
            Attr(argument, target_ref),
        )

    def peering(self, pcx: PeeringConnection) -> None:
        req = self.provider_for(pcx.requester_account, pcx.requester_region)
        acc = self.provider_for(pcx.accepter_account, pcx.accepter_region)
        body: list[Node] = [
            Attr("vpc_id", ref(pcx.requester_vpc)),
            Attr("peer_vpc_id", ref(pcx.accepter_vpc)),
        ]
        if pcx.accepter_account != pcx.requester_account:
            body.append(Attr("peer_owner_id", pcx.accepter_account))
        if pcx.inter_region:
            body.append(Attr("peer_region", pcx.accepter_region))
        body.append(Attr("auto_accept", False))
        self.resource("peering.tf", pcx.id, req, *body, name_tag=pcx.name)
        accepter = f"aws_vpc_peering_connection_accepter.{pcx.name}"
        self.resource(
            "peering.tf",
            accepter,
            acc,
            Attr("vpc_peering_connection_id", ref(pcx.id)),
            Attr("auto_accept", True),
            name_tag=pcx.name,
        )
        if pcx.requester_allows_remote_dns or pcx.accepter_allows_remote_dns:
            for side, provider, allow in (
                ("requester", req, pcx.requester_allows_remote_dns),
                ("accepter", acc, pcx.accepter_allows_remote_dns),
            ):
                # each side sets its own options, with its own account's credentials
                self.resource(
                    "peering.tf",
                    f"aws_vpc_peering_connection_options.{pcx.name}_{side}",
                    provider,
                    Attr("vpc_peering_connection_id", ref(accepter)),
                    Block(side, (), [Attr("allow_remote_vpc_dns_resolution", allow)]),
                )


def _is_primary(net: Network, route: Route) -> bool:
    """Whether a route goes to its target's primary block (no suffix in its name)."""
    if route.kind != "peering":
        return True
    pcx = net.peerings[route.target]
    primaries = {c[0] for c in (pcx.requester_cidrs, pcx.accepter_cidrs) if c}
    return route.destination in primaries
