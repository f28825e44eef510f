from __future__ import annotations

from collections.abc import Iterator

from vpcwire.rules.base import Finding, NetworkView, Rule

# What AWS lets a route equal to (or inside) a VPC block target: the middlebox routing
# targets. Peerings and gateways are refused; "other" is a target we do not model.
_MIDDLEBOX = {"local", "network_interface", "nat_gateway", "gateway_endpoint", "other"}


class RouteInsideVpc(Rule):
    id = "VW-E108"
    title = "Route to the VPC's own addresses through a peering or gateway"
    description = (
        "A VPC's own blocks are always delivered by its `local` route. AWS refuses "
        "CreateRoute for a destination equal to or inside one of them unless the target is "
        "a network interface, instance, NAT gateway or Gateway Load Balancer endpoint "
        "(InvalidParameterValue: 'is equal to or more specific than one of this VPC's CIDR "
        "blocks'). Such a route usually means two peers share a CIDR, or a peer's block was "
        "mistyped."
    )
    url = "https://docs.aws.amazon.com/vpc/latest/userguide/VPC_Route_Tables.html"
    fix = "route the peer's own CIDR (not this VPC's), or re-address one of the overlapping VPCs"
    stage = "network"
    judges_networks = True

    def judge(self, view: NetworkView) -> Iterator[Finding]:
        net = view.network
        for table in net.route_tables.values():
            vpc = net.vpcs.get(table.vpc)
            if vpc is None:
                continue
            for route in table.routes:
                if route.destination is None or route.kind in _MIDDLEBOX:
                    continue
                inside = [b for b in vpc.cidrs if route.destination.subnet_of(b)]
                if not inside:
                    continue
                yield self.finding_on(
                    view,
                    table,
                    f"route table {view.name(table)} sends {route.destination} to "
                    f"{route.kind.replace('_', ' ')} {route.target}, but {route.destination} "
                    f"is inside VPC {view.name(vpc)}'s own block {inside[0]}: AWS refuses the "
                    "route (InvalidParameterValue), and `local` would deliver it anyway",
                    f"route the peer's own CIDR instead of {route.destination}, or re-address "
                    f"one of the VPCs so that they do not share {inside[0]}",
                    anchor=vpc,
                    origin=route.origin,  # a scanned `aws_route`: its own line
                )
