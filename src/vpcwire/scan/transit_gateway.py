"""Transit Gateway resources of a Terraform configuration -> the Network model.

What the configuration writes and what AWS does on its own are both modelled:

* ``aws_ec2_transit_gateway`` makes a TGW and, when either of its default options is on
  (``default_route_table_association``/``_propagation``, both ``enable`` unless said), the
  **default route table** AWS creates with it. That table has no resource of its own, so it
  gets the symbol the configuration uses for it, ``<tgw address>.association_default_route_table_id``
  (and ``…propagation_default_route_table_id`` names the same table, see
  ``scan/config.py``), as a VPC's main route table is ``<vpc>.main_route_table_id``.
  https://docs.aws.amazon.com/vpc/latest/tgw/tgw-route-tables.html
* A VPC attachment whose ``transit_gateway_default_route_table_association``
  (``…_propagation``) is true (the default) is associated with (propagates into) the TGW's
  default association (propagation) table when the TGW has that option on; an
  ``aws_ec2_transit_gateway_vpc_attachment_accepter`` in the TGW's account decides those two
  for a cross-account attachment. ``aws_ec2_transit_gateway_default_route_table_association``
  (``_propagation``) moves the default to a table of the configuration.
* A cross-account VPC attachment is ``pendingAcceptance`` unless the TGW auto-accepts shared
  attachments or an accepter accepts it; a peering attachment always needs its accepter.

A value the scan cannot know (an attachment id from a variable, a flag from an unknown
expression) leaves the field it decides marked unknown (``scan/unknowns.py``): a rule then
says "not decided" (VW-W701) instead of an error.
"""

from __future__ import annotations

from dataclasses import replace
from ipaddress import IPv4Network, ip_network
from typing import TYPE_CHECKING, Any, TypeVar

from vpcwire.network.model import (
    ResourceShare,
    TgwAttachment,
    TgwRoute,
    TgwRouteTable,
    TransitGateway,
    Vpc,
)
from vpcwire.network.unknown import account_known, same_account
from vpcwire.scan.config import ResourceInstance
from vpcwire.scan.expr import Unknown
from vpcwire.scan.unknowns import unexpanded, why_of

if TYPE_CHECKING:
    from vpcwire.scan.build import _Builder

__all__ = ["DEFAULT_TABLE", "build_transit_gateways"]

# The symbol of a TGW's default route table (see the module docstring).
DEFAULT_TABLE = "{tgw}.association_default_route_table_id"

_TGW = "aws_ec2_transit_gateway"
_R = TypeVar("_R")


def _option(value: Any, default: bool = True) -> bool | Unknown:
    """An ``enable``/``disable`` option (or a bool), as Terraform's default when unset."""
    if isinstance(value, Unknown):
        return value
    if value is None:
        return default
    if isinstance(value, bool):
        return value
    return str(value).lower() in ("enable", "true")


class _TgwScan:
    def __init__(self, b: _Builder, unknown_region: str) -> None:
        self.b = b
        self.unknown_region = unknown_region
        self.gateways: dict[str, TransitGateway] = {}
        self.tables: dict[str, TgwRouteTable] = {}
        self.attachments: dict[str, TgwAttachment] = {}
        # attachment id -> (associate with default, propagate into default), as configured
        self.defaults: dict[str, tuple[bool | Unknown, bool | Unknown, ResourceInstance]] = {}
        # TGW id -> its default options when they are unknown (the expression's instance)
        self.unknown_options: dict[str, tuple[ResourceInstance, Unknown]] = {}

    # -- helpers --------------------------------------------------------------------------

    def region(self, inst: ResourceInstance, rid: str) -> str:
        """The resource's region: its own ``region`` argument (provider 6), else its
        provider's; unknown ones are marked."""
        own = inst.get("region")
        region = own if own is not None else inst.provider.region
        if isinstance(region, str):
            return region
        self.b.marks.mark(rid, "region", inst, "region", why_of(region))
        return self.unknown_region

    def account(self, inst: ResourceInstance, rid: str) -> str:
        p = inst.provider
        if not account_known(p.account):
            self.b.marks.mark(
                rid,
                "account",
                inst,
                "provider",
                f"provider {p.key} does not say its account",
                at=p.location,
            )
        return p.account

    def ref(self, inst: ResourceInstance, name: str) -> str | None:
        """An id argument: None (with a note) when it is unknown or not set."""
        value = inst.get(name)
        if isinstance(value, Unknown) or value is None:
            self.b.known(inst, name, value)
            return None
        return str(value)

    def table_of(self, inst: ResourceInstance, field: str) -> TgwRouteTable | None:
        """The route table an association, propagation or route names; when its id is
        unknown, every table's ``field`` is (it may be any of them)."""
        value = inst.get("transit_gateway_route_table_id")
        if isinstance(value, Unknown) or value is None:
            self.b.known(inst, "transit_gateway_route_table_id", value)
            if isinstance(value, Unknown):
                for tid in self.tables:
                    self.b.marks.mark(
                        tid, field, inst, "transit_gateway_route_table_id", why_of(value)
                    )
            return None
        table = self.tables.get(str(value))
        if table is None:
            self.b.note(
                inst,
                f"transit_gateway_route_table_id {value!r} is not a TGW route table of this "
                "configuration: left out",
                inst.block.attribute_lines.get("transit_gateway_route_table_id"),
            )
        return table

    # -- resources --------------------------------------------------------------------------

    def run(self) -> None:
        self.transit_gateways()
        self.route_tables()
        self.default_tables()
        self.vpc_attachments()
        self.peering_attachments()
        self.apply_defaults()
        self.associations()
        self.routes()
        self.unexpanded()
        for tgw in self.gateways.values():
            self.b.net.add(tgw)
        for att in self.attachments.values():
            self.b.net.add(att)
        for table in self.tables.values():
            self.b.net.add(table)
        self.shares()

    def transit_gateways(self) -> None:
        for inst in self.b.of(_TGW):
            tid = inst.address
            assoc = _option(inst.get("default_route_table_association"))
            prop = _option(inst.get("default_route_table_propagation"))
            for value in (assoc, prop):
                if isinstance(value, Unknown):
                    self.unknown_options[tid] = (inst, value)
            default = DEFAULT_TABLE.format(tgw=tid)
            has_default = assoc is not False or prop is not False
            name = self.b.name(inst)
            self.gateways[tid] = TransitGateway(
                tid,
                name,
                self.account(inst, tid),
                self.region(inst, tid),
                asn=_asn(inst.get("amazon_side_asn")),
                default_association=assoc is True,
                default_propagation=prop is True,
                association_default_route_table=default if assoc is True else None,
                propagation_default_route_table=default if prop is True else None,
                auto_accept_shared_attachments=_option(
                    inst.get("auto_accept_shared_attachments"), False
                )
                is True,
                tags=self.b.tags(inst),
                origin=self.b.origin(inst),
            )
            if has_default:
                self.tables[default] = TgwRouteTable(
                    default,
                    f"{name}_default",
                    tid,
                    default_association=assoc is True,
                    default_propagation=prop is True,
                    origin=self.b.origin(inst),
                )

    def route_tables(self) -> None:
        for inst in self.b.of("aws_ec2_transit_gateway_route_table"):
            tgw = self.ref(inst, "transit_gateway_id")
            if tgw is None:
                continue
            self.tables[inst.address] = TgwRouteTable(
                inst.address,
                self.b.name(inst),
                tgw,
                tags=self.b.tags(inst),
                origin=self.b.origin(inst),
            )

    def default_tables(self) -> None:
        """``aws_ec2_transit_gateway_default_route_table_association``/``_propagation``: a
        table of the configuration becomes the TGW's default (for attachments made after)."""
        for rtype, field, flag in (
            (
                "aws_ec2_transit_gateway_default_route_table_association",
                "association_default_route_table",
                "default_association",
            ),
            (
                "aws_ec2_transit_gateway_default_route_table_propagation",
                "propagation_default_route_table",
                "default_propagation",
            ),
        ):
            for inst in self.b.of(rtype):
                tgw_id = self.ref(inst, "transit_gateway_id")
                table = self.table_of(inst, "associations")
                tgw = self.gateways.get(tgw_id or "")
                if tgw is None or table is None:
                    continue
                old = getattr(tgw, field)
                if old in self.tables:
                    self.tables[old] = _with(self.tables[old], flag, False)
                self.tables[table.id] = _with(table, flag, True)
                self.gateways[tgw.id] = _with(_with(tgw, field, table.id), flag, True)

    def vpc_attachments(self) -> None:
        accepters = {
            str(a.get("transit_gateway_attachment_id")): a
            for a in self.b.of("aws_ec2_transit_gateway_vpc_attachment_accepter")
        }
        for inst in self.b.of("aws_ec2_transit_gateway_vpc_attachment"):
            aid = inst.address
            tgw_id = self.ref(inst, "transit_gateway_id")
            vpc: Vpc | None = self.b.vpc_of(inst)
            if tgw_id is None or vpc is None:
                continue
            subnets = self.b.ids(inst, "subnet_ids", (aid, "subnets"))
            account = self.account(inst, aid)
            accepter = accepters.get(aid)
            chooser = accepter or inst
            assoc = chooser.get("transit_gateway_default_route_table_association", True)
            prop = chooser.get("transit_gateway_default_route_table_propagation", True)
            self.defaults[aid] = (_flag(assoc), _flag(prop), chooser)
            tgw = self.gateways.get(tgw_id)
            state = "available"
            if tgw is not None and accepter is None and not tgw.auto_accept_shared_attachments:
                same = same_account(account, tgw.account)
                if same is False:
                    state = "pendingAcceptance"
                elif same is None:
                    self.b.marks.mark(
                        aid,
                        "state",
                        inst,
                        "transit_gateway_id",
                        "whether the TGW's owner must accept it depends on the two providers' "
                        "accounts, which the configuration does not say",
                    )
            self.attachments[aid] = TgwAttachment(
                aid,
                self.b.name(inst),
                tgw_id,
                "vpc",
                account,
                vpc.id,
                subnets,
                appliance_mode=_option(inst.get("appliance_mode_support"), False) is True,
                dns_support=_option(inst.get("dns_support")) is not False,
                state=state,
                tags=self.b.tags(inst),
                origin=self.b.origin(inst),
            )

    def peering_attachments(self) -> None:
        accepted = {
            str(a.get("transit_gateway_attachment_id"))
            for a in self.b.of("aws_ec2_transit_gateway_peering_attachment_accepter")
        }
        for inst in self.b.of("aws_ec2_transit_gateway_peering_attachment"):
            aid = inst.address
            tgw = self.ref(inst, "transit_gateway_id")
            peer = self.ref(inst, "peer_transit_gateway_id")
            if tgw is None or peer is None:
                continue
            own_region = self.region(inst, aid)
            peer_region = inst.get("peer_region")
            if not isinstance(peer_region, str):
                if isinstance(peer_region, Unknown):
                    self.b.marks.mark(aid, "peer_region", inst, "peer_region", why_of(peer_region))
                peer_region = own_region
            peer_account = inst.get("peer_account_id")
            if not isinstance(peer_account, (str, int)) or isinstance(peer_account, bool):
                peer_account = inst.provider.account
            self.attachments[aid] = TgwAttachment(
                aid,
                self.b.name(inst),
                tgw,
                "peering",
                self.account(inst, aid),
                state="available" if aid in accepted else "pendingAcceptance",
                peer_transit_gateway=peer,
                peer_account=str(peer_account),
                peer_region=peer_region,
                tags=self.b.tags(inst),
                origin=self.b.origin(inst),
            )

    def apply_defaults(self) -> None:
        """Associations and propagations AWS makes by itself: an attachment with the default
        flags on goes into its TGW's default tables."""
        for aid, (assoc, prop, inst) in self.defaults.items():
            tgw = self.gateways.get(self.attachments[aid].transit_gateway)
            if tgw is None:
                continue
            option = self.unknown_options.get(tgw.id)
            for flag, field, table_id, name in (
                (
                    assoc,
                    "associations",
                    tgw.association_default_route_table,
                    "transit_gateway_default_route_table_association",
                ),
                (
                    prop,
                    "propagations",
                    tgw.propagation_default_route_table,
                    "transit_gateway_default_route_table_propagation",
                ),
            ):
                default = DEFAULT_TABLE.format(tgw=tgw.id)
                undecided = (inst, flag) if isinstance(flag, Unknown) else None
                if option is not None and flag is not False:
                    undecided = option
                if undecided is not None:
                    where, why = undecided
                    target = table_id or default
                    if target in self.tables:
                        self.b.marks.mark(target, field, where, name, why_of(why))
                    continue
                if flag is True and table_id in self.tables:
                    table = self.tables[table_id]
                    if aid not in getattr(table, field):
                        self.tables[table_id] = _with(table, field, (*getattr(table, field), aid))

    def associations(self) -> None:
        for rtype, field in (
            ("aws_ec2_transit_gateway_route_table_association", "associations"),
            ("aws_ec2_transit_gateway_route_table_propagation", "propagations"),
        ):
            for inst in self.b.of(rtype):
                table = self.table_of(inst, field)
                if table is None:
                    continue
                att = inst.get("transit_gateway_attachment_id")
                if not isinstance(att, str):
                    self.b.known(inst, "transit_gateway_attachment_id", att)
                    self.b.marks.mark(
                        table.id, field, inst, "transit_gateway_attachment_id", why_of(att)
                    )
                    continue
                table = self.tables[table.id]
                if att not in getattr(table, field):
                    self.tables[table.id] = _with(table, field, (*getattr(table, field), att))

    def routes(self) -> None:
        for inst in self.b.of("aws_ec2_transit_gateway_route"):
            table = self.table_of(inst, "routes")
            if table is None:
                continue
            dest = inst.get("destination_cidr_block")
            blackhole = inst.get("blackhole", False)
            att = inst.get("transit_gateway_attachment_id")
            unknown = next(
                (
                    (name, v)
                    for name, v in (
                        ("destination_cidr_block", dest),
                        ("blackhole", blackhole),
                        ("transit_gateway_attachment_id", att if blackhole is not True else None),
                    )
                    if isinstance(v, Unknown)
                ),
                None,
            )
            if unknown is not None:
                self.b.note(inst, f"{unknown[0]} cannot be resolved ({unknown[1].why}): left out")
                self.b.marks.mark(table.id, "routes", inst, unknown[0], unknown[1].why)
                continue
            try:
                net = ip_network(str(dest), strict=False)
            except ValueError:
                self.b.note(inst, f"destination_cidr_block {dest!r} is not a CIDR block: left out")
                continue
            if not isinstance(net, IPv4Network):
                continue  # IPv6 is outside vpcwire's model
            if blackhole is not True and not isinstance(att, str):
                self.b.note(inst, "route without an attachment and not a blackhole: left out")
                continue
            route = TgwRoute(
                net,
                None if blackhole is True else str(att),
                state="blackhole" if blackhole is True else "active",
                origin=self.b.origin(inst),
            )
            table = self.tables[table.id]
            self.tables[table.id] = replace(table, routes=(*table.routes, route))

    def unexpanded(self) -> None:
        """Association, propagation and route blocks whose count/for_each is unknown add to
        tables nobody can name before apply: any table may be one of them."""
        for rtype, field in (
            ("aws_ec2_transit_gateway_route_table_association", "associations"),
            ("aws_ec2_transit_gateway_route_table_propagation", "propagations"),
            ("aws_ec2_transit_gateway_route", "routes"),
        ):
            for rb in unexpanded(self.b.config, rtype):
                first = ResourceInstance(rb, rb.address, {})
                why = f"{rb.address} makes an unknown number of {field}: {why_of(rb.value())}"
                for tid in self.tables:
                    self.b.marks.mark(tid, field, first, "count", why)

    def shares(self) -> None:
        shares: dict[str, ResourceShare] = {}
        for inst in self.b.of("aws_ram_resource_share"):
            sid = inst.address
            name = inst.get("name")
            tags = self.b.tags(inst)
            shares[sid] = ResourceShare(
                sid,
                tags.get("Name") or (name if isinstance(name, str) else sid),
                self.account(inst, sid),
                self.region(inst, sid),
                allow_external_principals=inst.get("allow_external_principals", False) is True,
                origin=self.b.origin(inst),
            )
        for rtype, arg, field in (
            ("aws_ram_resource_association", "resource_arn", "resources"),
            ("aws_ram_principal_association", "principal", "principals"),
        ):
            for inst in self.b.of(rtype):
                share = shares.get(str(inst.get("resource_share_arn")))
                value = inst.get(arg)
                if share is None:
                    self.b.note(inst, "resource_share_arn is not a share of this configuration")
                    continue
                if isinstance(value, Unknown) or value is None:
                    self.b.known(inst, arg, value)
                    self.b.marks.mark(share.id, field, inst, arg, why_of(value, "not set"))
                    continue
                shares[share.id] = _with(share, field, (*getattr(share, field), str(value)))
        for share in shares.values():
            self.b.net.add(share)


def _with(resource: _R, field: str, value: Any) -> _R:
    """``resource`` with one field changed, the field named at run time."""
    changes: dict[str, Any] = {field: value}
    return replace(resource, **changes)  # type: ignore[type-var]


def _flag(value: Any) -> bool | Unknown:
    return value if isinstance(value, Unknown) else value is not False


def _asn(value: Any) -> int | None:
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        return value
    if isinstance(value, str) and value.isdigit():
        return int(value)
    return None


def build_transit_gateways(b: _Builder, unknown_region: str) -> None:
    """Add the configuration's TGWs, their route tables, attachments and RAM shares
    (``unknown_region``: the builder's stand-in for a region nobody knows)."""
    _TgwScan(b, unknown_region).run()
