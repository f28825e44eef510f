"""Patches for Transit Gateways: default route tables, associations, propagations, routes.

moto 5.2.1 keeps a TGW attachment's association in three places that disagree (the
attachment, the route table and a per-backend dict filled only by explicit calls), keys
propagations by attachment alone, and never derives routes from propagations. These patches
make the route tables the one source of truth, as they are on AWS: an attachment is
associated with the table whose association list holds it (at most one per TGW side) and
propagates into every table whose propagation list holds it.

A peering attachment is one moto object shared by the requester's and the accepter's
backends; each side's tables say how that side routes it, which is what AWS shows too.
"""

from __future__ import annotations

import ipaddress
from collections.abc import Iterator
from typing import Any

from vpcwire.sandbox.patches._helpers import _bind, _replace

_LIVE_ATTACHMENT_STATES = {"available", "pending", "pendingAcceptance", "initiating", "modifying"}


def _error(code: str, message: str) -> Exception:
    from moto.ec2.exceptions import EC2ClientError

    return EC2ClientError(code, message)


def _tables(backend: Any, tgw_id: str | None = None) -> Iterator[Any]:
    """The live route tables of a backend (of one TGW when ``tgw_id`` is given)."""
    for table in backend.transit_gateways_route_tables.values():
        if table.state != "deleted" and (tgw_id is None or table.transit_gateway_id == tgw_id):
            yield table


def _table(backend: Any, table_id: str) -> Any:
    table = backend.transit_gateways_route_tables.get(table_id)
    if table is None or table.state == "deleted":
        raise _error(
            "InvalidRouteTableID.NotFound",
            f"Transit Gateway Route Table {table_id} was deleted or does not exist.",
        )
    return table


def _attachment(backend: Any, attachment_id: str) -> Any:
    attachment = backend.transit_gateway_attachments.get(attachment_id)
    if attachment is None or attachment.state == "deleted":
        raise _error(
            "InvalidTransitGatewayAttachmentID.NotFound",
            f"Transit Gateway Attachment {attachment_id} was deleted or does not exist.",
        )
    return attachment


def _relation(backend: Any, attachment: Any, table_id: str, state: str) -> Any:
    """What Associate/Disassociate/Enable/Disable answer (moto's own response object)."""
    from moto.ec2.models.transit_gateway_route_tables import TransitGatewayRelations

    relation = TransitGatewayRelations.__new__(TransitGatewayRelations)
    relation.ec2_backend = backend
    relation.transit_gateway_attachment_id = attachment.id
    relation.transit_gateway_route_table_id = table_id
    relation.resource_id = attachment.resource_id
    relation.resource_type = attachment.resource_type
    relation.state = state
    return relation


def _associate(backend: Any, attachment: Any, table: Any) -> None:
    from moto.ec2.models.transit_gateway_route_tables import RouteTableAssociation

    table.route_table_associations[attachment.id] = RouteTableAssociation(
        resource_id=attachment.resource_id,
        resource_type=attachment.resource_type,
        state="associated",
        transit_gateway_attachment_id=attachment.id,
    )


def _propagate(attachment: Any, table: Any) -> None:
    from moto.ec2.models.transit_gateway_route_tables import RouteTablePropagation

    table.route_table_propagation.append(
        RouteTablePropagation(
            resource_id=attachment.resource_id,
            resource_type=attachment.resource_type,
            state="enabled",
            transit_gateway_attachment_id=attachment.id,
        )
    )


def _propagates(attachment_id: str, table: Any) -> bool:
    return any(p.transitGatewayAttachmentId == attachment_id for p in table.route_table_propagation)


def _associated_table(backend: Any, attachment: Any, tgw_id: str) -> Any | None:
    """The table of TGW ``tgw_id`` the attachment is associated with (a peering attachment
    is associated once on each side)."""
    return next(
        (t for t in _tables(backend, tgw_id) if attachment.id in t.route_table_associations),
        None,
    )


def tgw_default_route_tables() -> None:
    """A TGW's default route table options are honoured, and recorded on each new attachment.

    AWS:   with DefaultRouteTableAssociation (DefaultRouteTablePropagation) `enable`, a new
           VPC attachment is associated with (propagates into) the TGW's default table, and
           both show in GetTransitGatewayRouteTableAssociations/Propagations and can be
           undone; with both `disable` no default table is made and the TGW has no
           Association/PropagationDefaultRouteTableId. A peering attachment is associated
           with each side's default association table once accepted (terraform-provider-aws
           issue #16452 reports the accepter side; the requester side is our reading), and
           never propagated.
    moto:  always makes a default table and associates every VPC attachment with it (even
           with `disable`), never records the default propagation, never associates an
           accepted peering with either side's table (yet describes it as associated with
           the requester's), and answers HTTP 500 to disassociating an attachment
           it associated by default (terraform's `transit_gateway_default_route_table_
           association = false` then retries for minutes).
    patch: the default table exists only when an option needs it; a new VPC attachment
           (an accepted peering, on each side) is associated/propagated exactly as the TGW's
           options say, as ordinary entries of the tables.
    """
    from moto.ec2.exceptions import (
        DuplicateTransitGatewayAttachmentError,
        InvalidTransitGatewayID,
    )
    from moto.ec2.models.transit_gateway import TransitGatewayBackend
    from moto.ec2.models.transit_gateway_attachments import (
        TransitGatewayAttachmentBackend,
        TransitGatewayVpcAttachment,
    )

    original_create = TransitGatewayBackend.create_transit_gateway

    def create_transit_gateway(self: Any, *args: Any, **kwargs: Any) -> Any:
        tgw = original_create(self, *args, **kwargs)
        options = tgw.options
        associate = options.get("DefaultRouteTableAssociation") == "enable"
        propagate = options.get("DefaultRouteTablePropagation") == "enable"
        table = tgw.default_route_table
        if not associate:
            options.pop("AssociationDefaultRouteTableId", None)
            table.default_association_route_table = False
        if not propagate:
            options.pop("PropagationDefaultRouteTableId", None)
            table.default_propagation_route_table = False
        if not associate and not propagate:
            self.transit_gateways_route_tables.pop(table.id, None)
            tgw.default_route_table = None
        return tgw

    _replace(TransitGatewayBackend, "create_transit_gateway", create_transit_gateway)

    def create_transit_gateway_vpc_attachment(
        self: Any,
        transit_gateway_id: str,
        vpc_id: str,
        subnet_ids: list[str],
        tags: dict[str, str] | None = None,
        options: dict[str, str] | None = None,
    ) -> Any:
        tgw = self.transit_gateways.get(transit_gateway_id)
        if tgw is None:
            raise InvalidTransitGatewayID(
                transit_gateway_id,
                f"Transit Gateway {transit_gateway_id} was deleted or does not exist.",
            )
        if any(
            a.state != "deleted"
            for a in self.describe_transit_gateway_vpc_attachments(
                filters={"transit-gateway-id": [transit_gateway_id], "vpc-id": [vpc_id]}
            )
        ):
            raise DuplicateTransitGatewayAttachmentError(transit_gateway_id)
        attachment = TransitGatewayVpcAttachment(
            self,
            transit_gateway=_DefaultFree(tgw),  # type: ignore[arg-type]
            tags=tags,
            vpc_id=vpc_id,
            subnet_ids=subnet_ids,
            options=options,
        )
        self.transit_gateway_attachments[attachment.id] = attachment
        _apply_defaults(tgw, tgw.ec2_backend, attachment)
        return attachment

    _replace(
        TransitGatewayAttachmentBackend,
        "create_transit_gateway_vpc_attachment",
        create_transit_gateway_vpc_attachment,
    )

    original_accept = TransitGatewayAttachmentBackend.accept_transit_gateway_peering_attachment

    def accept_transit_gateway_peering_attachment(
        self: Any, transit_gateway_attachment_id: str
    ) -> Any:
        attachment: Any = original_accept(self, transit_gateway_attachment_id)
        sides = (
            (attachment.ec2_backend, attachment.requester_tgw_info["TransitGatewayId"]),
            (self, attachment.accepter_tgw_info["TransitGatewayId"]),
        )
        for backend, tgw_id in sides:
            tgw = backend.transit_gateways.get(tgw_id)
            if tgw is not None and _associated_table(backend, attachment, tgw_id) is None:
                _apply_defaults(tgw, backend, attachment, propagate=False)
        return attachment

    _replace(
        TransitGatewayAttachmentBackend,
        "accept_transit_gateway_peering_attachment",
        accept_transit_gateway_peering_attachment,
    )


class _DefaultFree:
    """A TGW as moto's attachment constructor sees it: without a default table to link to
    (association now lives in the tables alone)."""

    def __init__(self, tgw: Any) -> None:
        self.id = tgw.id
        self.default_route_table = None


def _apply_defaults(tgw: Any, backend: Any, attachment: Any, *, propagate: bool = True) -> None:
    """Associate/propagate a new attachment as the TGW's default options say (in the TGW
    owner's backend, where its tables are). Peering attachments never propagate."""
    options = tgw.options
    if options.get("DefaultRouteTableAssociation") == "enable":
        table_id = options.get("AssociationDefaultRouteTableId")
        if table_id in backend.transit_gateways_route_tables:
            _associate(backend, attachment, backend.transit_gateways_route_tables[table_id])
    if propagate and options.get("DefaultRouteTablePropagation") == "enable":
        table_id = options.get("PropagationDefaultRouteTableId")
        if table_id in backend.transit_gateways_route_tables:
            _propagate(attachment, backend.transit_gateways_route_tables[table_id])


def tgw_route_table_associations() -> None:
    """An attachment is associated with at most one route table, and disassociation shows.

    AWS:   AssociateTransitGatewayRouteTable refuses an attachment that is already
           associated (`Resource.AlreadyAssociated`); DisassociateTransitGatewayRouteTable
           of a pair that is not associated fails with `InvalidAssociation.NotFound`;
           DescribeTransitGatewayAttachments shows the current association or none.
    moto:  accepts a second association (the attachment is then listed by two tables),
           keeps showing the default table as the association after a disassociation,
           and shows peering attachments as associated before anything associated them.
    patch: association is read from and written to the tables only, with AWS's checks.
    """
    from moto.ec2.models.transit_gateway_attachments import TransitGatewayAttachment
    from moto.ec2.models.transit_gateway_route_tables import TransitGatewayRouteTableBackend

    def associate_transit_gateway_route_table(
        self: Any, transit_gateway_attachment_id: str, transit_gateway_route_table_id: str
    ) -> Any:
        table = _table(self, transit_gateway_route_table_id)
        attachment = _attachment(self, transit_gateway_attachment_id)
        if _associated_table(self, attachment, table.transit_gateway_id) is not None:
            raise _error(
                "Resource.AlreadyAssociated",
                f"Transit Gateway Attachment {attachment.id} is already associated "
                "to a route table.",
            )
        _associate(self, attachment, table)
        return _relation(self, attachment, table.id, "associating")

    def disassociate_transit_gateway_route_table(
        self: Any, tgw_attach_id: str, tgw_rt_id: str
    ) -> Any:
        table = _table(self, tgw_rt_id)
        attachment = _attachment(self, tgw_attach_id)
        if table.route_table_associations.pop(tgw_attach_id, None) is None:
            raise _error(
                "InvalidAssociation.NotFound",
                f"Association {tgw_rt_id}, {tgw_attach_id} does not exist.",
            )
        return _relation(self, attachment, table.id, "disassociating")

    def association(self: Any) -> dict[str, str] | None:
        table = _associated_table(self.ec2_backend, self, self.transit_gateway_id)
        if table is None:
            return None
        return {"State": "associated", "TransitGatewayRouteTableId": table.id}

    _replace(
        TransitGatewayRouteTableBackend,
        "associate_transit_gateway_route_table",
        associate_transit_gateway_route_table,
    )
    _replace(
        TransitGatewayRouteTableBackend,
        "disassociate_transit_gateway_route_table",
        disassociate_transit_gateway_route_table,
    )
    # a property: functools.update_wrapper cannot write a property's attributes
    TransitGatewayAttachment.association = property(association)  # type: ignore[assignment,method-assign]


def tgw_route_table_propagations() -> None:
    """An attachment may propagate into several tables; never a peering attachment.

    AWS:   EnableTransitGatewayRouteTablePropagation adds one (table, attachment) pair; the
           same attachment can propagate into any number of tables, and disabling one pair
           leaves the others. Peering attachments carry static routes only, so enabling
           propagation for one is refused; enabling a pair twice is refused.
    moto:  keeps one propagation per attachment: enabling a second table overwrites the
           first's bookkeeping, and disabling either then fails with HTTP 500; a peering
           attachment is accepted.
    patch: propagations are pairs kept in the tables, with AWS's refusals.
    """
    from moto.ec2.models.transit_gateway_route_tables import TransitGatewayRouteTableBackend

    def enable_transit_gateway_route_table_propagation(
        self: Any, transit_gateway_attachment_id: str, transit_gateway_route_table_id: str
    ) -> Any:
        table = _table(self, transit_gateway_route_table_id)
        attachment = _attachment(self, transit_gateway_attachment_id)
        if attachment.resource_type == "peering":
            raise _error(
                "InvalidParameterValue",
                f"Transit Gateway Attachment {attachment.id} is a peering attachment: "
                "peering attachments do not support route propagation.",
            )
        if _propagates(attachment.id, table):
            raise _error(
                "TransitGatewayRouteTablePropagation.Duplicate",
                f"Propagation {table.id}, {attachment.id} already exists.",
            )
        _propagate(attachment, table)
        return _relation(self, attachment, table.id, "enabling")

    def disable_transit_gateway_route_table_propagation(
        self: Any, transit_gateway_attachment_id: str, transit_gateway_route_table_id: str
    ) -> Any:
        table = _table(self, transit_gateway_route_table_id)
        attachment = _attachment(self, transit_gateway_attachment_id)
        if not _propagates(attachment.id, table):
            raise _error(
                "InvalidRouteTablePropagation.NotFound",
                f"Propagation {table.id}, {attachment.id} does not exist.",
            )
        table.route_table_propagation = [
            p
            for p in table.route_table_propagation
            if p.transitGatewayAttachmentId != attachment.id
        ]
        return _relation(self, attachment, table.id, "disabling")

    _replace(
        TransitGatewayRouteTableBackend,
        "enable_transit_gateway_route_table_propagation",
        enable_transit_gateway_route_table_propagation,
    )
    _replace(
        TransitGatewayRouteTableBackend,
        "disable_transit_gateway_route_table_propagation",
        disable_transit_gateway_route_table_propagation,
    )


def tgw_deletion() -> None:
    """Deleting an attachment or a TGW cleans up after it, and a used TGW cannot be deleted.

    AWS:   a deleted attachment leaves every route table's associations and propagations
           and is still listed for a while with state `deleted`; DeleteTransitGateway is
           refused (`IncorrectState`) while the TGW has attachments that are not deleted,
           and takes its route tables with it.
    moto:  leaves a deleted VPC attachment associated (and propagating into all but one
           table) for ever but stops listing it (terraform's destroy then waits minutes
           for `deleted` and fails), deletes a TGW with live attachments, and keeps its
           route tables `available`.
    patch: both deletions clean up the tables; a deleted VPC attachment stays listed as
           `deleted`; a TGW with live attachments is refused.
    """
    from moto.ec2.models.transit_gateway import TransitGatewayBackend
    from moto.ec2.models.transit_gateway_attachments import TransitGatewayAttachmentBackend

    original_delete_attachment = (
        TransitGatewayAttachmentBackend.delete_transit_gateway_vpc_attachment
    )

    def delete_transit_gateway_vpc_attachment(self: Any, transit_gateway_attachment_id: str) -> Any:
        _attachment(self, transit_gateway_attachment_id)
        attachment = original_delete_attachment(self, transit_gateway_attachment_id)
        # listed as `deleted` for a while, as on AWS: terraform's delete waiter waits for it
        self.transit_gateway_attachments[attachment.id] = attachment
        _forget(self, attachment)
        tgw_backend = _owner_backend(self, attachment.transit_gateway_id)
        if tgw_backend is not None and tgw_backend is not self:
            _forget(tgw_backend, attachment)
        return attachment

    original_delete_peering = (
        TransitGatewayAttachmentBackend.delete_transit_gateway_peering_attachment
    )

    def delete_transit_gateway_peering_attachment(
        self: Any, transit_gateway_attachment_id: str
    ) -> Any:
        attachment = original_delete_peering(self, transit_gateway_attachment_id)
        for backend in TransitGatewayAttachmentBackend._get_peering_attachment_backend_refs():
            if backend.transit_gateway_attachments.get(attachment.id) is attachment:
                _forget(backend, attachment)
        return attachment

    original_delete_tgw = TransitGatewayBackend.delete_transit_gateway

    def delete_transit_gateway(self: Any, transit_gateway_id: str) -> Any:
        live = [
            a.id
            for a in self.transit_gateway_attachments.values()
            if a.state in _LIVE_ATTACHMENT_STATES
            and transit_gateway_id in (a.transit_gateway_id, _peer_tgw(a))
        ]
        if live:
            raise _error(
                "IncorrectState",
                f"tgw {transit_gateway_id} has non-deleted Transit Gateway Attachments: "
                + ", ".join(sorted(live)),
            )
        tgw = original_delete_tgw(self, transit_gateway_id)
        for table in _tables(self, transit_gateway_id):
            table.state = "deleted"
        return tgw

    _replace(
        TransitGatewayAttachmentBackend,
        "delete_transit_gateway_vpc_attachment",
        delete_transit_gateway_vpc_attachment,
    )
    _replace(
        TransitGatewayAttachmentBackend,
        "delete_transit_gateway_peering_attachment",
        delete_transit_gateway_peering_attachment,
    )
    _replace(TransitGatewayBackend, "delete_transit_gateway", delete_transit_gateway)


def _peer_tgw(attachment: Any) -> str | None:
    info = getattr(attachment, "accepter_tgw_info", None)
    return info.get("TransitGatewayId") if info else None


def _owner_backend(backend: Any, tgw_id: str) -> Any | None:
    """The backend (account, region) that owns ``tgw_id``: this one, or another one."""
    if tgw_id in backend.transit_gateways:
        return backend
    from moto.ec2.models.transit_gateway_attachments import TransitGatewayAttachmentBackend

    others: Any = TransitGatewayAttachmentBackend._get_peering_attachment_backend_refs()
    for other in others:
        if tgw_id in other.transit_gateways:
            return other
    return None


def _forget(backend: Any, attachment: Any) -> None:
    for table in _tables(backend):
        table.route_table_associations.pop(attachment.id, None)
        table.route_table_propagation = [
            p
            for p in table.route_table_propagation
            if p.transitGatewayAttachmentId != attachment.id
        ]


def tgw_static_route_targets() -> None:
    """A static route reads back with the attachment it sends to.

    AWS:   SearchTransitGatewayRoutes lists a static route's target in
           `TransitGatewayAttachments` (a list of attachment id, resource id and type).
    moto:  stores that as a single dict, which its serializer drops: every route reads back
           with `TransitGatewayAttachments: []`, so terraform sees `blackhole = true` and an
           empty attachment and plans to replace every route on every run.
    patch: store the attachment as a one-element list.
    """
    from moto.ec2.models.transit_gateway_route_tables import TransitGatewayRouteTableBackend

    original = TransitGatewayRouteTableBackend.create_transit_gateway_route

    def create_transit_gateway_route(self: Any, *args: Any, **kwargs: Any) -> Any:
        call = _bind(original, self, *args, **kwargs)
        _table(self, call["transit_gateway_route_table_id"])
        attachment_id = call.get("transit_gateway_attachment_id")
        if not call.get("blackhole"):
            if not attachment_id:
                raise _error(
                    "MissingParameter",
                    "Either TransitGatewayAttachmentId or Blackhole must be specified.",
                )
            _attachment(self, attachment_id)
        route: dict[str, Any] = original(self, *args, **kwargs)
        target: Any = route.get("transitGatewayAttachments")
        if isinstance(target, dict):
            route["transitGatewayAttachments"] = [target]
        return route

    _replace(
        TransitGatewayRouteTableBackend,
        "create_transit_gateway_route",
        create_transit_gateway_route,
    )


_SEARCH_FILTERS = {
    "type": lambda r: [r["type"]],
    "state": lambda r: [r["state"]],
    "route-search.exact-match": lambda r: [r["destinationCidrBlock"]],
    "attachment.transit-gateway-attachment-id": lambda r: [
        a["transitGatewayAttachmentId"] for a in r.get("transitGatewayAttachments") or ()
    ],
    "attachment.resource-id": lambda r: [
        a["resourceId"] for a in r.get("transitGatewayAttachments") or ()
    ],
    "attachment.resource-type": lambda r: [
        a["resourceType"] for a in r.get("transitGatewayAttachments") or ()
    ],
}


def _vpc_blocks(attachment: Any) -> list[str]:
    """The associated CIDR blocks of a VPC attachment's VPC (in the VPC owner's backend)."""
    vpc = attachment.ec2_backend.vpcs.get(attachment.vpc_id)
    if vpc is None:
        return []
    return [
        association["cidr_block"]
        for association in vpc._cidr_block_association_set.values()
        if association.get("cidr_block_state", {}).get("state") == "associated"
        and ipaddress.ip_network(association["cidr_block"]).version == 4
    ]


def _routes(backend: Any, table: Any) -> list[dict[str, Any]]:
    """A table's routes as AWS lists them: static ones, then one propagated route per block
    of each propagating VPC attachment (a static route for the same block wins)."""
    routes: dict[str, dict[str, Any]] = dict(table.routes)
    for propagation in table.route_table_propagation:
        attachment = backend.transit_gateway_attachments.get(propagation.transitGatewayAttachmentId)
        if attachment is None or attachment.resource_type != "vpc":
            continue
        for block in _vpc_blocks(attachment):
            routes.setdefault(
                block,
                {
                    "destinationCidrBlock": block,
                    "prefixListId": None,
                    "state": "active",
                    "type": "propagated",
                    "transitGatewayAttachments": [
                        {
                            "resourceId": attachment.resource_id,
                            "resourceType": attachment.resource_type,
                            "transitGatewayAttachmentId": attachment.id,
                        }
                    ],
                },
            )
    return list(routes.values())


def tgw_search_routes() -> None:
    """SearchTransitGatewayRoutes lists propagated routes, filters, and honours MaxResults.

    AWS:   the routes of a table include one `propagated` route per CIDR block of each VPC
           attachment propagating into it; the filters include the attachment's id, resource
           id and type; MaxResults caps the answer (and AdditionalRoutesAvailable says so).
    moto:  lists static routes only (propagation never makes a route), knows only the type,
           state and exact-match filters, and answers HTTP 500 to any MaxResults.
    patch: derive propagated routes from the propagations, apply AWS's filters, cap the
           list.
    """
    from moto.ec2.models.transit_gateway_route_tables import TransitGatewayRouteTableBackend
    from moto.ec2.responses.transit_gateway_route_tables import TransitGatewayRouteTable

    def search_transit_gateway_routes(
        self: Any,
        transit_gateway_route_table_id: str,
        filters: Any,
        max_results: int | None = None,
    ) -> list[dict[str, Any]]:
        table = _table(self, transit_gateway_route_table_id)
        found = []
        for route in _routes(self, table):
            wanted = all(
                set(_SEARCH_FILTERS[name](route)) & set(values)
                for name, values in (filters or {}).items()
                if name in _SEARCH_FILTERS and values
            )
            if wanted:
                found.append(route)
        return found if not max_results else found[: int(max_results)]

    def search_response(self: Any) -> Any:
        from moto.core.responses import ActionResult

        table_id = self._get_param("TransitGatewayRouteTableId")
        limit = self._get_param("MaxResults")
        every = self.ec2_backend.search_transit_gateway_routes(
            transit_gateway_route_table_id=table_id,
            filters=self._filters_from_querystring(),
        )
        shown = every if not limit else every[: int(limit)]
        return ActionResult(
            {"routeSet": shown, "additionalRoutesAvailable": len(shown) < len(every)}
        )

    _replace(
        TransitGatewayRouteTableBackend,
        "search_transit_gateway_routes",
        search_transit_gateway_routes,
    )
    _replace(TransitGatewayRouteTable, "search_transit_gateway_routes", search_response)


def tgw_attachment_tags() -> None:
    """A VPC attachment keeps the tags it was created with.

    AWS:   CreateTransitGatewayVpcAttachment tags the attachment with its TagSpecifications
           of ResourceType `transit-gateway-attachment`.
    moto:  reads the tags of ResourceType `transit-gateway-route-table` instead, so the
           attachment terraform creates has none and every plan wants to add them back.
    patch: read the `transit-gateway-attachment` specification.
    """
    from moto.core.responses import ActionResult
    from moto.ec2.responses.transit_gateway_attachments import TransitGatewayAttachment

    def create_transit_gateway_vpc_attachment(self: Any) -> Any:
        tags = self._parse_tag_specification().get("transit-gateway-attachment", {})
        attachment = self.ec2_backend.create_transit_gateway_vpc_attachment(
            transit_gateway_id=self._get_param("TransitGatewayId"),
            tags=tags,
            vpc_id=self._get_param("VpcId"),
            subnet_ids=self._get_param("SubnetIds", []),
            options=self._get_param("Options", {}),
        )
        return ActionResult({"TransitGatewayVpcAttachment": attachment})

    _replace(
        TransitGatewayAttachment,
        "create_transit_gateway_vpc_attachment",
        create_transit_gateway_vpc_attachment,
    )


def tgw_attachment_kinds() -> None:
    """Describe…VpcAttachments lists VPC attachments, Describe…PeeringAttachments peerings.

    AWS:   each call lists the attachments of its own kind only.
    moto:  both list every attachment of the account and region, whatever its kind: a
           peering shows up as a VPC attachment without a VPC, a VPC attachment as a
           peering without requester or accepter.
    patch: keep the items of the call's own kind.
    """
    from moto.ec2.models.transit_gateway_attachments import TransitGatewayAttachmentBackend

    for name, kind in (
        ("describe_transit_gateway_vpc_attachments", "vpc"),
        ("describe_transit_gateway_peering_attachments", "peering"),
    ):
        original = getattr(TransitGatewayAttachmentBackend, name)

        def describe(
            self: Any, *args: Any, _original: Any = original, _kind: str = kind, **kw: Any
        ) -> Any:
            return [a for a in _original(self, *args, **kw) if a.resource_type == _kind]

        _replace(TransitGatewayAttachmentBackend, name, describe)
