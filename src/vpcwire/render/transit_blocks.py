"""transit.tf: Transit Gateways, their attachments, route tables, peerings and RAM shares,
and the VPC routes that lead to them.

Each resource is created with the credentials of the account that owns it: the gateway, its
route tables, routes, associations, propagations, RAM share and attachment accepters by the
gateway's owner; a VPC attachment by the VPC's owner (after it accepted the RAM share); a
peering attachment by the requester's owner, its accepter by the other side's.

Anything that uses an attachment refers to the attachment's *accepter* where there is one
(same id): Terraform then waits until the attachment is accepted, and AWS refuses routes,
associations and propagations for a pending attachment.
"""

from __future__ import annotations

from vpcwire.network import ResourceShare, RouteTable, TgwAttachment, TgwRouteTable
from vpcwire.network import TransitGateway as Gateway
from vpcwire.plan.naming import stack_scoped_name
from vpcwire.render.base import FileName, RendererBase, address, ref
from vpcwire.render.hcl import Attr, Expr, Node

__all__ = ["TransitBlocks"]

FILE: FileName = "transit.tf"


def _enable(flag: bool) -> str:
    return "enable" if flag else "disable"


def _slug(destination: object) -> str:
    return str(destination).replace(".", "_").replace("/", "_")


class TransitBlocks(RendererBase):
    # -- the gateway --------------------------------------------------------------------------

    def transit_gateway(self, gateway: Gateway) -> None:
        body: list[Node] = [
            Attr("description", f"vpcwire {self.plan.spec.stack}: {gateway.region}"),
        ]
        if gateway.asn is not None:
            body.append(Attr("amazon_side_asn", gateway.asn))
        body += [
            Attr("default_route_table_association", _enable(gateway.default_association)),
            Attr("default_route_table_propagation", _enable(gateway.default_propagation)),
            Attr("auto_accept_shared_attachments", _enable(gateway.auto_accept_shared_attachments)),
            Attr("dns_support", "enable"),
        ]
        p = self.provider_for(gateway.account, gateway.region)
        self.resource(FILE, gateway.id, p, *body, name_tag=gateway.name)

    # -- RAM: the gateway shared with the other accounts ------------------------------------

    def resource_share(self, share: ResourceShare) -> None:
        owner = self.provider_for(share.account, share.region)
        name = address(share.id)[1]
        self.resource(
            FILE,
            share.id,
            owner,
            Attr("name", stack_scoped_name(self.plan.spec.stack, share.name, limit=64)),
            Attr("allow_external_principals", share.allow_external_principals),
            name_tag=share.name,
        )
        for resource in share.resources:
            self.resource(
                FILE,
                f"aws_ram_resource_association.{name}",
                owner,
                Attr("resource_arn", ref(resource, "arn")),
                Attr("resource_share_arn", ref(share.id, "arn")),
            )
        for principal in share.principals:
            label = f"{name}_{self.account_names[principal]}"
            self.resource(
                FILE,
                f"aws_ram_principal_association.{label}",
                owner,
                Attr("principal", principal),
                Attr("resource_share_arn", ref(share.id, "arn")),
            )
            # accepted with the other account's credentials (needed outside one AWS
            # Organization with RAM sharing enabled, harmless inside)
            self.resource(
                FILE,
                f"aws_ram_resource_share_accepter.{label}",
                self.provider_for(principal, share.region),
                Attr(
                    "share_arn",
                    ref(f"aws_ram_principal_association.{label}", "resource_share_arn"),
                ),
            )

    # -- attachments --------------------------------------------------------------------------

    def tgw_attachment(self, att: TgwAttachment) -> None:
        if att.kind == "vpc":
            self._vpc_attachment(att)
        elif att.kind == "peering":
            self._peering_attachment(att)

    def _vpc_attachment(self, att: TgwAttachment) -> None:
        assert att.vpc is not None
        gateway = self.net.transit_gateways[att.transit_gateway]
        shared = att.account != gateway.account
        body: list[Node] = [
            Attr("transit_gateway_id", ref(gateway.id)),
            Attr("vpc_id", ref(att.vpc)),
            Attr("subnet_ids", [ref(s) for s in att.subnets]),
            Attr("dns_support", _enable(att.dns_support)),
            Attr("appliance_mode_support", _enable(att.appliance_mode)),
        ]
        defaults: list[Node] = []
        if not gateway.default_association:
            defaults.append(Attr("transit_gateway_default_route_table_association", False))
        if not gateway.default_propagation:
            defaults.append(Attr("transit_gateway_default_route_table_propagation", False))
        tail: tuple[Node, ...] = ()
        if shared:
            # these two cannot be set from the VPC's account on a shared gateway: the
            # owner's accepter sets them
            share = next(s for s in self.net.resource_shares.values() if gateway.id in s.resources)
            label = f"{address(share.id)[1]}_{self.account_names[att.account]}"
            tail = (
                Attr(
                    "depends_on",
                    [
                        Expr(f"aws_ram_resource_share_accepter.{label}"),
                        Expr(f"aws_ram_resource_association.{address(share.id)[1]}"),
                    ],
                ),
            )
        else:
            body += defaults
        self.resource(
            FILE, att.id, self.provider_of_vpc(att.vpc), *body, name_tag=att.name, tail=tail
        )
        if shared:
            self.resource(
                FILE,
                f"aws_ec2_transit_gateway_vpc_attachment_accepter.{address(att.id)[1]}",
                self.provider_for(gateway.account, gateway.region),
                Attr("transit_gateway_attachment_id", ref(att.id)),
                *defaults,
                name_tag=att.name,
            )

    def _peering_attachment(self, att: TgwAttachment) -> None:
        assert att.peer_transit_gateway is not None
        requester = self.net.transit_gateways[att.transit_gateway]
        accepter = self.net.transit_gateways[att.peer_transit_gateway]
        body: list[Node] = [
            Attr("transit_gateway_id", ref(requester.id)),
            Attr("peer_transit_gateway_id", ref(accepter.id)),
            Attr("peer_region", accepter.region),
        ]
        if accepter.account != requester.account:
            body.append(Attr("peer_account_id", accepter.account))
        self.resource(
            FILE,
            att.id,
            self.provider_for(requester.account, requester.region),
            *body,
            name_tag=att.name,
        )
        self.resource(
            FILE,
            f"aws_ec2_transit_gateway_peering_attachment_accepter.{address(att.id)[1]}",
            self.provider_for(accepter.account, accepter.region),
            Attr("transit_gateway_attachment_id", ref(att.id)),
            name_tag=att.name,
        )

    def attachment_ref(self, attachment_id: str) -> Expr:
        """The attachment's id once it is usable: its accepter's, where it has one."""
        att = self.net.tgw_attachments[attachment_id]
        kind, name = address(att.id)
        if att.kind == "peering":
            return ref(f"{kind}_accepter.{name}")
        gateway = self.net.transit_gateways[att.transit_gateway]
        if att.account != gateway.account:
            return ref(f"{kind}_accepter.{name}")
        return ref(att.id)

    # -- route tables -------------------------------------------------------------------------

    def tgw_route_table(self, table: TgwRouteTable) -> None:
        gateway = self.net.transit_gateways[table.transit_gateway]
        p = self.provider_for(gateway.account, gateway.region)
        is_default = table.id == gateway.association_default_route_table
        if not is_default:  # the default table is AWS's, made with the gateway
            self.resource(
                FILE,
                table.id,
                p,
                Attr("transit_gateway_id", ref(gateway.id)),
                name_tag=table.name,
            )
        for att_id in table.associations if not is_default else ():
            self.resource(
                FILE,
                f"aws_ec2_transit_gateway_route_table_association.{self._pair(table, att_id)}",
                p,
                Attr("transit_gateway_attachment_id", self.attachment_ref(att_id)),
                Attr("transit_gateway_route_table_id", ref(table.id)),
            )
        for att_id in table.propagations if not is_default else ():
            self.resource(
                FILE,
                f"aws_ec2_transit_gateway_route_table_propagation.{self._pair(table, att_id)}",
                p,
                Attr("transit_gateway_attachment_id", self.attachment_ref(att_id)),
                Attr("transit_gateway_route_table_id", ref(table.id)),
            )
        for route in table.routes:
            if route.kind != "static" or route.destination is None:
                continue
            body: list[Node] = [
                Attr("destination_cidr_block", str(route.destination)),
                Attr("transit_gateway_route_table_id", ref(table.id)),
            ]
            if route.attachment is None:
                body.append(Attr("blackhole", True))
            else:
                body.append(
                    Attr("transit_gateway_attachment_id", self.attachment_ref(route.attachment))
                )
            self.resource(
                FILE,
                f"aws_ec2_transit_gateway_route.{table.name}_{_slug(route.destination)}",
                p,
                *body,
            )

    def _pair(self, table: TgwRouteTable, attachment_id: str) -> str:
        return f"{table.name}_{self.net.tgw_attachments[attachment_id].name}"

    # -- VPC routes to the gateway ------------------------------------------------------------

    def transit_routes(self, rt: RouteTable) -> None:
        """A VPC route table's routes to a Transit Gateway: they wait for the VPC's
        attachment (AWS refuses a route to a gateway the VPC is not attached to)."""
        p = self.provider_of_vpc(rt.vpc)
        attachments = self.net.tgw_attachments_of_vpc.get(rt.vpc, [])
        for route in rt.routes:
            if route.kind != "transit_gateway" or route.destination is None:
                continue
            gateway = self.net.transit_gateways.get(route.target)
            waits = [
                Expr(self.attachment_ref(a.id).text.removesuffix(".id"))
                for a in attachments
                if a.transit_gateway == route.target
            ]
            target = gateway.name if gateway is not None else "transit_gateway"
            self.resource(
                FILE,
                f"aws_route.{rt.name}_to_{target}_{_slug(route.destination)}",
                p,
                Attr("route_table_id", ref(rt.id)),
                Attr("destination_cidr_block", str(route.destination)),
                Attr("transit_gateway_id", ref(route.target)),
                tail=(Attr("depends_on", waits),) if waits else (),
            )
