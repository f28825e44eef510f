"""Patches for RAM resource shares and Transit Gateways shared through them.

A TGW reaches VPCs of other accounts through a RAM share: the owner shares the TGW, the
other account accepts the invitation, sees the TGW, attaches its VPC, and the owner accepts
the attachment (or lets it be accepted automatically). moto 5.2.1 has the share itself but
none of the rest; these patches add what Terraform's `aws_ram_*` resources and a
cross-account `aws_ec2_transit_gateway_vpc_attachment(_accepter)` call.
"""

from __future__ import annotations

import json
from typing import Any

from vpcwire.sandbox.patches._helpers import _bind, _extra, _replace

_RAM_ACTIONS = (
    "associateresourceshare",
    "disassociateresourceshare",
    "getresourceshareinvitations",
    "acceptresourceshareinvitation",
    "listresources",
    "listresourcesharepermissions",
)


def _ram_backends(region: str) -> list[Any]:
    """Every account's RAM backend of one region that exists so far."""
    from moto.ram.models import ram_backends

    found = []
    for account in list(ram_backends.keys()):
        backends = ram_backends[account]
        if region in backends:
            found.append(backends[region])
    return found


def _error(kind: str, message: str) -> Exception:
    from moto.ram import exceptions

    return getattr(exceptions, kind)(message)  # type: ignore[no-any-return]


def _find_share(backend: Any, arn: str) -> Any:
    for share in backend.resource_shares:
        if share.arn == arn and share.status != "DELETED":
            return share
    raise _error("UnknownResourceException", f"ResourceShare {arn} could not be found.")


def _invitations(share: Any) -> list[dict[str, Any]]:
    found: list[dict[str, Any]] = _extra(share).setdefault("invitations", [])
    return found


def _invite(share: Any, principals: list[str]) -> None:
    """An invitation per other account (no organisation in the sandbox: every account is
    external, as two standalone AWS accounts are)."""
    from moto.core.utils import unix_time
    from moto.moto_api._internal import mock_random

    for principal in principals:
        if not principal.isdigit() or principal == share.account_id:
            continue
        if any(i["receiverAccountId"] == principal for i in _invitations(share)):
            continue
        _invitations(share).append(
            {
                "resourceShareInvitationArn": f"arn:aws:ram:{share.region}:{share.account_id}:"
                f"resource-share-invitation/{mock_random.uuid4()}",
                "resourceShareName": share.name,
                "resourceShareArn": share.arn,
                "senderAccountId": share.account_id,
                "receiverAccountId": principal,
                "invitationTimestamp": unix_time(),
                "status": "PENDING",
            }
        )


def _accepted_by(share: Any, account: str) -> bool:
    return (
        share.status == "ACTIVE"
        and account in share.principals
        and any(
            i["receiverAccountId"] == account and i["status"] == "ACCEPTED"
            for i in _invitations(share)
        )
    )


def shared_with(account: str, region: str) -> list[Any]:
    """The active shares of other accounts in ``region`` that ``account`` accepted."""
    return [
        share
        for backend in _ram_backends(region)
        if backend.account_id != account
        for share in backend.resource_shares
        if _accepted_by(share, account)
    ]


def _shares(backend: Any, owner: str | None) -> list[Any]:
    """The shares a RAM call of ``backend``'s account sees as ``resourceOwner``."""
    if owner == "SELF":
        return list(backend.resource_shares)
    return shared_with(backend.account_id, backend.region_name)


def ram_share_lifecycle() -> None:
    """Principals and resources can be added to and removed from a share, other accounts
    accept invitations, and each side lists the share.

    AWS:   AssociateResourceShare / DisassociateResourceShare add and remove principals and
           resources; an account outside the owner's organisation gets an invitation
           (GetResourceShareInvitations) to accept (AcceptResourceShareInvitation), then sees
           the share with GetResourceShares and ListResources (resourceOwner OTHER-ACCOUNTS);
           GetResourceShares honours resourceShareArns, name and status, and keeps tags.
    moto:  none of those five actions exists (HTTP 404/500), nor
           ListResourceSharePermissions; GetResourceShares ignores every filter and refuses
           OTHER-ACCOUNTS, tags are dropped: `aws_ram_resource_association`,
           `aws_ram_principal_association` and `aws_ram_resource_share_accepter` cannot apply.
    patch: implement the five actions (and ListResourceSharePermissions: the permissions the
           share was created with) over moto's shares, invitations per external account,
           the filters, OTHER-ACCOUNTS, and tags.
    """
    from moto.core.utils import unix_time, utcnow
    from moto.ram import urls
    from moto.ram.models import ResourceShare
    from moto.ram.responses import ResourceAccessManagerResponse

    for action in _RAM_ACTIONS:
        urls.url_paths["{0}/" + action + "$"] = ResourceAccessManagerResponse.dispatch

    original_add_principals = ResourceShare.add_principals

    def add_principals(self: Any, principals: list[str]) -> None:
        original_add_principals(self, principals)
        _invite(self, principals)

    _replace(ResourceShare, "add_principals", add_principals)

    original_describe = ResourceShare.describe

    def describe(self: Any) -> dict[str, Any]:
        found: dict[str, Any] = original_describe(self)
        tags = _extra(self).get("tags")
        if tags:
            found["tags"] = tags
        return found

    _replace(ResourceShare, "describe", describe)

    def params(self: Any) -> dict[str, Any]:
        try:
            return dict(json.loads(self.body or "{}"))
        except ValueError:
            return {}

    def create_resource_share(self: Any) -> str:
        request = params(self)
        answer = self.ram_backend.create_resource_share(**request)
        share = _find_share(self.ram_backend, answer["resourceShare"]["resourceShareArn"])
        _extra(share)["permissions"] = list(request.get("permissionArns") or [])
        if request.get("tags"):
            _extra(share)["tags"] = request["tags"]
            answer["resourceShare"]["tags"] = request["tags"]
        return json.dumps(answer)

    def get_resource_shares(self: Any) -> str:
        request = params(self)
        owner = request.get("resourceOwner")
        if owner not in ("SELF", "OTHER-ACCOUNTS"):
            raise _error(
                "InvalidParameterException",
                f"{owner} is not a valid resource owner. "
                "Specify either SELF or OTHER-ACCOUNTS and try again.",
            )
        shares = _shares(self.ram_backend, owner)
        arns, name = request.get("resourceShareArns"), request.get("name")
        status = request.get("resourceShareStatus")
        shares = [
            s
            for s in shares
            if (not arns or s.arn in arns)
            and (not name or s.name == name)
            and (not status or s.status == status)
        ]
        return json.dumps({"resourceShares": [s.describe() for s in shares]})

    def associate_resource_share(self: Any) -> str:
        request = params(self)
        share = _find_share(self.ram_backend, request.get("resourceShareArn", ""))
        principals = [p for p in request.get("principals") or [] if p not in share.principals]
        resources = [r for r in request.get("resourceArns") or [] if r not in share.resource_arns]
        share.add_principals(principals)
        share.add_resources(resources)
        share.last_updated_time = utcnow()
        entries = [("PRINCIPAL", p) for p in principals] + [("RESOURCE", r) for r in resources]
        return json.dumps(
            {"resourceShareAssociations": [_association(share, t, e) for t, e in entries]}
        )

    def disassociate_resource_share(self: Any) -> str:
        request = params(self)
        arn = request.get("resourceShareArn", "")
        backend = self.ram_backend
        owned = [s for s in backend.resource_shares if s.arn == arn and s.status != "DELETED"]
        if owned:
            share = owned[0]
        else:  # a receiver leaving a share of another account
            share = next(
                (s for s in shared_with(backend.account_id, backend.region_name) if s.arn == arn),
                None,
            )
            if share is None or set(request.get("principals") or []) - {backend.account_id}:
                raise _error("UnknownResourceException", f"ResourceShare {arn} could not be found.")
        principals = [p for p in request.get("principals") or [] if p in share.principals]
        resources = [r for r in request.get("resourceArns") or [] if r in share.resource_arns]
        share.principals = [p for p in share.principals if p not in principals]
        share.resource_arns = [r for r in share.resource_arns if r not in resources]
        invitations = _invitations(share)
        invitations[:] = [i for i in invitations if i["receiverAccountId"] not in principals]
        entries = [("PRINCIPAL", p) for p in principals] + [("RESOURCE", r) for r in resources]
        return json.dumps(
            {
                "resourceShareAssociations": [
                    {**_association(share, t, e), "status": "DISASSOCIATING"} for t, e in entries
                ]
            }
        )

    def get_resource_share_invitations(self: Any) -> str:
        request = params(self)
        backend = self.ram_backend
        arns = request.get("resourceShareInvitationArns")
        share_arns = request.get("resourceShareArns")
        found = []
        for other in _ram_backends(backend.region_name):
            for share in other.resource_shares:
                for invitation in _invitations(share):
                    mine = backend.account_id in (
                        invitation["receiverAccountId"],
                        invitation["senderAccountId"],
                    )
                    if (
                        mine
                        and (not arns or invitation["resourceShareInvitationArn"] in arns)
                        and (not share_arns or invitation["resourceShareArn"] in share_arns)
                    ):
                        found.append(dict(invitation))
        return json.dumps({"resourceShareInvitations": found})

    def accept_resource_share_invitation(self: Any) -> str:
        arn = params(self).get("resourceShareInvitationArn")
        backend = self.ram_backend
        for other in _ram_backends(backend.region_name):
            for share in other.resource_shares:
                for invitation in _invitations(share):
                    if (
                        invitation["resourceShareInvitationArn"] == arn
                        and invitation["receiverAccountId"] == backend.account_id
                    ):
                        if invitation["status"] != "PENDING":
                            raise _error(
                                "InvalidParameterException",
                                f"The invitation {arn} is already {invitation['status']}.",
                            )
                        invitation["status"] = "ACCEPTED"
                        return json.dumps({"resourceShareInvitation": dict(invitation)})
        raise _error(
            "UnknownResourceException", f"ResourceShareInvitation {arn} could not be found."
        )

    def list_resources(self: Any) -> str:
        request = params(self)
        backend = self.ram_backend
        shares = _shares(backend, request.get("resourceOwner"))
        share_arns = request.get("resourceShareArns")
        found = []
        for share in shares:
            if share.status == "DELETED" or (share_arns and share.arn not in share_arns):
                continue
            for resource in share.resource_arns:
                found.append(
                    {
                        "arn": resource,
                        "type": _resource_type(resource),
                        "resourceShareArn": share.arn,
                        "status": "AVAILABLE",
                        "creationTime": unix_time(share.creation_time),
                        "lastUpdatedTime": unix_time(share.last_updated_time),
                        "resourceRegionScope": "REGIONAL",
                    }
                )
        return json.dumps({"resources": found})

    for name, method in (
        ("create_resource_share", create_resource_share),
        ("get_resource_shares", get_resource_shares),
    ):
        _replace(ResourceAccessManagerResponse, name, method)

    def list_resource_share_permissions(self: Any) -> str:
        share = _find_share(self.ram_backend, params(self).get("resourceShareArn", ""))
        arns = _extra(share).get("permissions") or []
        return json.dumps({"permissions": [{"arn": arn, "status": "ASSOCIATED"} for arn in arns]})

    for name, method in (
        ("list_resource_share_permissions", list_resource_share_permissions),
        ("associate_resource_share", associate_resource_share),
        ("disassociate_resource_share", disassociate_resource_share),
        ("get_resource_share_invitations", get_resource_share_invitations),
        ("accept_resource_share_invitation", accept_resource_share_invitation),
        ("list_resources", list_resources),
    ):
        method.__name__ = name
        method.__doc__ = f"{name}, added by vpcwire (moto 5.2.1 lacks it)."
        setattr(ResourceAccessManagerResponse, name, method)


def _association(share: Any, kind: str, entity: str) -> dict[str, Any]:
    from moto.core.utils import unix_time

    return {
        "resourceShareArn": share.arn,
        "resourceShareName": share.name,
        "associatedEntity": entity,
        "associationType": kind,
        "status": "ASSOCIATED",
        "creationTime": unix_time(share.creation_time),
        "lastUpdatedTime": unix_time(share.last_updated_time),
        "external": kind == "PRINCIPAL" and entity != share.account_id,
    }


def _resource_type(arn: str) -> str:
    """``arn:aws:ec2:…:transit-gateway/tgw-…`` → ``ec2:TransitGateway``."""
    service = arn.split(":")[2] if arn.count(":") >= 5 else ""
    kind = arn.split(":")[5].split("/")[0] if arn.count(":") >= 5 else ""
    return f"{service}:{''.join(part.title() for part in kind.split('-'))}"


def tgw_shared_attachments() -> None:
    """A TGW shared through RAM is visible to the accounts that accepted the share, which
    can attach their VPCs; the owner accepts those attachments.

    AWS:   DescribeTransitGateways in an account that accepted a share of the TGW lists it
           (with the owner's OwnerId); that account's CreateTransitGatewayVpcAttachment
           attaches its own VPC to it (and its route tables route to it),
           `pendingAcceptance` unless the TGW has
           AutoAcceptSharedAttachments `enable`; the TGW owner lists the attachment and
           accepts it (AcceptTransitGatewayVpcAttachment), after which the default
           association/propagation apply.
    moto:  the other account never sees the TGW (`InvalidTransitGatewayID.NotFound`; a
           route to it is stored without its target), and
           AcceptTransitGatewayVpcAttachment does not exist: a multi-account TGW cannot be
           built.
    patch: list accepted shared TGWs, create the attachment in the VPC owner's account and
           show it to the TGW owner, and implement the accept.
    """
    from moto.core.responses import ActionResult
    from moto.ec2.models.transit_gateway import TransitGatewayBackend
    from moto.ec2.models.transit_gateway_attachments import TransitGatewayAttachmentBackend
    from moto.ec2.responses.transit_gateway_attachments import TransitGatewayAttachment

    from vpcwire.sandbox.patches.transit_gateway import _apply_defaults, _attachment

    def shared_gateways(backend: Any) -> dict[str, Any]:
        found: dict[str, Any] = {}
        for share in shared_with(backend.account_id, backend.region_name):
            for arn in share.resource_arns:
                if ":transit-gateway/" not in arn:
                    continue
                owner = arn.split(":")[4]
                tgw_id = arn.rsplit("/", 1)[1]
                owner_backend = _ec2_backend(owner, backend.region_name)
                tgw = owner_backend.transit_gateways.get(tgw_id) if owner_backend else None
                if tgw is not None:
                    found[tgw_id] = tgw
        return found

    original_describe = TransitGatewayBackend.describe_transit_gateways

    def describe_transit_gateways(
        self: Any, filters: Any, transit_gateway_ids: list[str] | None
    ) -> list[Any]:
        own: list[Any] = original_describe(self, filters, transit_gateway_ids)
        shared = [
            tgw
            for tgw_id, tgw in shared_gateways(self).items()
            if not transit_gateway_ids or tgw_id in transit_gateway_ids
        ]
        if shared and filters:
            from moto.ec2.utils import describe_tag_filter
            from moto.utilities.utils import filter_resources

            pairs = (("transit-gateway-id", "id"), ("state", "state"), ("owner-id", "owner_id"))
            shared = describe_tag_filter(filters, filter_resources(shared, filters, pairs))
        return own + [t for t in shared if t not in own]

    _replace(TransitGatewayBackend, "describe_transit_gateways", describe_transit_gateways)

    original_create = TransitGatewayAttachmentBackend.create_transit_gateway_vpc_attachment

    def create_transit_gateway_vpc_attachment(
        self: Any, transit_gateway_id: str, *args: Any, **kwargs: Any
    ) -> Any:
        tgw = shared_gateways(self).get(transit_gateway_id)
        if tgw is None or transit_gateway_id in self.transit_gateways:
            return original_create(self, transit_gateway_id, *args, **kwargs)
        # create it here (the VPC's account) against the owner's TGW, then show it there
        self.transit_gateways[transit_gateway_id] = tgw
        try:
            attachment = original_create(self, transit_gateway_id, *args, **kwargs)
        finally:
            self.transit_gateways.pop(transit_gateway_id, None)
        owner = tgw.ec2_backend
        _extra(attachment)["tgw_owner"] = owner.account_id
        for table in owner.transit_gateways_route_tables.values():  # defaults: on acceptance
            table.route_table_associations.pop(attachment.id, None)
            table.route_table_propagation = [
                p
                for p in table.route_table_propagation
                if p.transitGatewayAttachmentId != attachment.id
            ]
        owner.transit_gateway_attachments[attachment.id] = attachment
        if tgw.options.get("AutoAcceptSharedAttachments") == "enable":
            _apply_defaults(tgw, owner, attachment)
        else:
            attachment.state = "pendingAcceptance"
        return attachment

    _replace(
        TransitGatewayAttachmentBackend,
        "create_transit_gateway_vpc_attachment",
        create_transit_gateway_vpc_attachment,
    )

    from moto.ec2.models.route_tables import RouteBackend

    for name in ("create_route", "replace_route"):
        original_route = getattr(RouteBackend, name)

        def route_to_shared(
            self: Any, *args: Any, _original: Any = original_route, **kw: Any
        ) -> Any:
            tgw_id = _bind(_original, self, *args, **kw).get("transit_gateway_id")
            tgw = shared_gateways(self).get(tgw_id) if tgw_id else None
            if tgw is None or tgw_id in self.transit_gateways:
                return _original(self, *args, **kw)
            self.transit_gateways[tgw_id] = tgw  # seen for the route only
            try:
                return _original(self, *args, **kw)
            finally:
                self.transit_gateways.pop(tgw_id, None)

        _replace(RouteBackend, name, route_to_shared)

    def accept_transit_gateway_vpc_attachment(self: Any, transit_gateway_attachment_id: str) -> Any:
        from moto.ec2.exceptions import EC2ClientError

        attachment = _attachment(self, transit_gateway_attachment_id)
        tgw = self.transit_gateways.get(attachment.transit_gateway_id)
        if tgw is None or attachment.state != "pendingAcceptance":
            raise EC2ClientError(
                "IncorrectState",
                f"tgw-attachment {transit_gateway_attachment_id} is in invalid state",
            )
        attachment.state = "available"
        _apply_defaults(tgw, self, attachment)
        return attachment

    TransitGatewayAttachmentBackend.accept_transit_gateway_vpc_attachment = (  # type: ignore[attr-defined]
        accept_transit_gateway_vpc_attachment
    )

    def accept_response(self: Any) -> Any:
        attachment = self.ec2_backend.accept_transit_gateway_vpc_attachment(
            self._get_param("TransitGatewayAttachmentId")
        )
        return ActionResult({"TransitGatewayVpcAttachment": attachment})

    accept_response.__name__ = "accept_transit_gateway_vpc_attachment"
    TransitGatewayAttachment.accept_transit_gateway_vpc_attachment = accept_response  # type: ignore[attr-defined]


def _ec2_backend(account: str, region: str) -> Any | None:
    from moto.ec2.models import ec2_backends

    if account not in ec2_backends:
        return None
    backends = ec2_backends[account]
    # `in` first: indexing a region that was never used would create its backend
    return backends[region] if region in backends else None  # noqa: SIM401
