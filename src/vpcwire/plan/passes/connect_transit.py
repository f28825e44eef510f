"""Transit Gateways for the ``peers`` entries the guide sent over them: one per region, its
attachments, route tables per segment, peerings between regions, RAM shares across accounts,
and the VPC routes that lead to them.

Every choice, and why (AWS: https://docs.aws.amazon.com/vpc/latest/tgw/tgw-best-design-practices.html):

* **One Transit Gateway per region** that has an attached VPC, owned by the account with the
  most attached VPCs there (ties: the account listed first). A TGW is regional and one is
  enough for up to 5,000 attachments; a second TGW in the same region would only add a
  peering. VPCs of other accounts reach it through a RAM share.
* **Attachment subnets: the VPC's first private subnet in each AZ it has.** AWS recommends a
  small dedicated subnet per AZ so that TGW traffic can get its own network ACL and route
  table (it matters with inspection appliances). vpcwire's subnets keep the default, open
  network ACL and their route tables already route the peers, so a dedicated subnet would
  change nothing here but take address space from the user's layout. One subnet in *every*
  AZ the VPC uses, because a subnet's traffic reaches the TGW only through an attachment
  subnet in its own AZ.
* **Route tables.** A single segment in one region uses the TGW's default route table with
  default association and propagation on: nothing to get wrong, and what the sandbox's
  moto supports unpatched. Otherwise defaults are off and each attachment is associated
  with a table that holds routes to exactly the VPCs it shares an entry with: attachments
  with the same reach share one table (the segment's), a shared VPC in several entries gets
  a table of its own that reaches all of them. Local VPCs are *propagated*; VPCs behind a
  TGW peering get *static* routes (AWS propagates nothing over a peering).
* **Regions:** one TGW peering attachment per pair of regions that share an entry,
  requested by the region listed first, accepted in the other; on each side it is
  associated with a table of routes to the local VPCs that share an entry with a VPC over
  there, so replies and requests from the remote side go only where an entry allows.
* **Accounts:** the TGW is shared with each other account through one RAM share per TGW
  (external principals allowed: vpcwire cannot know that the accounts share an AWS
  Organization with RAM sharing enabled), which that account accepts; its VPC attachment is
  then accepted explicitly by the owner. ``auto_accept_shared_attachments`` stays off: with it,
  anyone the TGW is shared with could attach any VPC.
* **VPC routes:** a route to each reachable VPC's every CIDR block, target the region's TGW,
  in every route table of the attached VPC (main table included), as peering does: a
  subnet added later still reaches its peers, and every reply has a way back.

Quotas are judged by rule VW-E852 on the plan this pass produces.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field, replace

from vpcwire.network import (
    ResourceShare,
    Route,
    TgwAttachment,
    TgwRoute,
    TgwRouteTable,
    TransitGateway,
    Vpc,
)
from vpcwire.plan.naming import region_slug, tf_id
from vpcwire.plan.plan import PlanContext, Reason
from vpcwire.spec.models import PeerConnection

__all__ = ["run", "segments_of"]

# A private ASN per gateway, counting up: AWS recommends a unique ASN for each peered
# Transit Gateway (64512 is every gateway's default).
# https://docs.aws.amazon.com/vpc/latest/tgw/tgw-peering.html
FIRST_ASN = 64512
URL_TGW_DESIGN = "https://docs.aws.amazon.com/vpc/latest/tgw/tgw-best-design-practices.html"


@dataclass
class _Region:
    region: str
    owner: str  # account name
    gateway: TransitGateway
    vpcs: list[str] = field(default_factory=list)


def segments_of(ctx: PlanContext) -> dict[int, list[str]]:
    """Connection index -> its VPCs, for every entry planned over Transit Gateways."""
    out: dict[int, list[str]] = {}
    for decision in ctx.decisions:
        conn = ctx.spec.connections[decision.index]
        if decision.mechanism == "transit-gateway" and isinstance(conn, PeerConnection):
            out[decision.index] = list(dict.fromkeys(conn.peers))
    return out


def run(ctx: PlanContext) -> PlanContext:
    segments = segments_of(ctx)
    if not segments:
        return ctx
    vpcs = list(dict.fromkeys(v for peers in segments.values() for v in peers))
    reach = {v: {w for peers in segments.values() if v in peers for w in peers} for v in vpcs}
    region_of = {v: ctx.vpcs[v].region for v in vpcs}
    regions = list(dict.fromkeys(region_of[v] for v in vpcs))
    single = len(segments) == 1 and len(regions) == 1
    places = {
        r: _gateway(ctx, r, [v for v in vpcs if region_of[v] == r], single, FIRST_ASN + i)
        for i, r in enumerate(regions)
    }

    attachments = {v: _attach(ctx, v, places[region_of[v]]) for v in vpcs}
    shares = _share(ctx, places, attachments)
    peerings = _peer(ctx, regions, places, reach, region_of)
    if single:
        tables = [_default_table(places[regions[0]], list(attachments.values()))]
    else:
        tables = _segment_tables(ctx, places, attachments, peerings, reach, region_of)
    for table in tables:
        ctx.builder.add(table)
    _route_vpcs(ctx, vpcs, reach, places, region_of)

    _explain(ctx, segments, single, places, attachments)
    for index, peers in segments.items():
        used_regions = {region_of[v] for v in peers}
        accounts = {attachments[v].account for v in peers}
        ids = {attachments[v].id for v in peers} | {
            p.id
            for p in peerings.values()
            if {region_of_gateway(places, p.transit_gateway), p.peer_region} <= used_regions
        }
        ctx.record(
            index,
            *(places[r].gateway.id for r in regions if r in used_regions),
            *(attachments[v].id for v in peers),
            *(s.id for s in shares if set(s.principals) & accounts),
            *sorted(i for i in ids if "peering" in i),
            *(t.id for t in tables if set(t.associations) & ids),
        )
    return ctx


def _explain(
    ctx: PlanContext,
    segments: dict[int, list[str]],
    single: bool,
    places: dict[str, _Region],
    attachments: dict[str, TgwAttachment],
) -> None:
    """Add the pass's own choices to each Transit Gateway decision, so `plan` shows them."""
    tables = (
        "the gateway's default route table, default association and propagation on (one "
        "segment in one region: nothing to keep apart)"
        if single
        else "defaults off; each attachment associated with a table of routes to exactly the "
        "VPCs it shares an entry with (propagated locally, static over TGW peerings)"
    )
    for i, decision in enumerate(ctx.decisions):
        if decision.index not in segments:
            continue
        vpcs = segments[decision.index]
        subnets = "; ".join(f"{v}: {len(attachments[v].subnets)} AZ(s)" for v in vpcs)
        used = {ctx.vpcs[v].region for v in vpcs}
        owners = ", ".join(f"{r}: account {p.owner}" for r, p in places.items() if r in used)
        extra = (
            Reason(
                "tgw-layout",
                f"one Transit Gateway per region ({owners}); each VPC attached in its first "
                f"private subnet of every AZ it uses ({subnets}): a subnet reaches the gateway "
                "only through an attachment subnet in its own AZ, and vpcwire's subnets keep "
                "open network ACLs, so AWS's dedicated small attachment subnets would only "
                f"take address space; route tables: {tables}",
                URL_TGW_DESIGN,
            ),
        )
        ctx.decisions[i] = replace(decision, reasons=decision.reasons + extra)


def region_of_gateway(places: dict[str, _Region], gateway: str) -> str:
    return next(r for r, place in places.items() if place.gateway.id == gateway)


def _gateway(ctx: PlanContext, region: str, vpcs: list[str], defaults: bool, asn: int) -> _Region:
    counts = Counter(ctx.vpcs[v].account for v in vpcs)
    order = list(ctx.spec.accounts)
    owner = max(counts, key=lambda a: (counts[a], -order.index(a)))
    name = f"tgw_{region_slug(region)}"
    gateway_id = tf_id("aws_ec2_transit_gateway", name)
    gateway = ctx.builder.add(
        TransitGateway(
            gateway_id,
            name,
            account=ctx.account_id(owner),
            region=region,
            asn=asn,
            default_association=defaults,
            default_propagation=defaults,
            association_default_route_table=(
                f"{gateway_id}.association_default_route_table_id" if defaults else None
            ),
            propagation_default_route_table=(
                f"{gateway_id}.association_default_route_table_id" if defaults else None
            ),
        )
    )
    return _Region(region, owner, gateway, vpcs)


def _vpc_id(ctx: PlanContext, name: str) -> str:
    """The planned VPC's id, read from the network (a VPC the stack does not create may have
    another id than ``aws_vpc.<name>``)."""
    vpc: Vpc = next(v for v in ctx.builder.all("vpc") if v.name == name)
    return vpc.id


def _attach(ctx: PlanContext, vpc: str, place: _Region) -> TgwAttachment:
    vpc_id = _vpc_id(ctx, vpc)
    private = ctx.subnets.get(vpc, {}).get("private") or [
        s for s in ctx.builder.all("subnet") if s.vpc == vpc_id and not s.public
    ]
    subnets: dict[str, str] = {}
    for subnet in private:
        subnets.setdefault(subnet.az, subnet.id)
    plan = ctx.vpcs[vpc]
    return ctx.builder.add(
        TgwAttachment(
            tf_id("aws_ec2_transit_gateway_vpc_attachment", f"{vpc}_tgw"),
            f"{vpc}_tgw",
            transit_gateway=place.gateway.id,
            kind="vpc",
            account=ctx.account_id(plan.account),
            vpc=vpc_id,
            subnets=tuple(subnets.values()),
        )
    )


def _share(
    ctx: PlanContext, places: dict[str, _Region], attachments: dict[str, TgwAttachment]
) -> list[ResourceShare]:
    out = []
    for place in places.values():
        owner_id = place.gateway.account
        principals = tuple(
            dict.fromkeys(
                attachments[v].account for v in place.vpcs if attachments[v].account != owner_id
            )
        )
        if principals:
            out.append(
                ctx.builder.add(
                    ResourceShare(
                        tf_id("aws_ram_resource_share", place.gateway.name),
                        place.gateway.name,
                        account=owner_id,
                        region=place.region,
                        resources=(place.gateway.id,),
                        principals=principals,
                        allow_external_principals=True,
                    )
                )
            )
    return out


def _peer(
    ctx: PlanContext,
    regions: list[str],
    places: dict[str, _Region],
    reach: dict[str, set[str]],
    region_of: dict[str, str],
) -> dict[frozenset[str], TgwAttachment]:
    """One TGW peering attachment per pair of regions that share an entry."""
    out: dict[frozenset[str], TgwAttachment] = {}
    for i, here in enumerate(regions):
        for there in regions[i + 1 :]:
            needed = any(
                region_of[v] == here and any(region_of[w] == there for w in reach[v]) for v in reach
            )
            if not needed:
                continue
            req, acc = places[here].gateway, places[there].gateway
            name = f"tgw_{region_slug(here)}_{region_slug(there)}"
            out[frozenset((here, there))] = ctx.builder.add(
                TgwAttachment(
                    tf_id("aws_ec2_transit_gateway_peering_attachment", name),
                    name,
                    transit_gateway=req.id,
                    kind="peering",
                    account=req.account,
                    peer_transit_gateway=acc.id,
                    peer_account=acc.account,
                    peer_region=there,
                )
            )
    return out


def _default_table(place: _Region, attachments: list[TgwAttachment]) -> TgwRouteTable:
    gateway = place.gateway
    assert gateway.association_default_route_table is not None
    ids = tuple(a.id for a in attachments)
    return TgwRouteTable(
        gateway.association_default_route_table,
        f"{gateway.name}_default",
        transit_gateway=gateway.id,
        associations=ids,
        propagations=ids,
        default_association=True,
        default_propagation=True,
    )


def _segment_tables(
    ctx: PlanContext,
    places: dict[str, _Region],
    attachments: dict[str, TgwAttachment],
    peerings: dict[frozenset[str], TgwAttachment],
    reach: dict[str, set[str]],
    region_of: dict[str, str],
) -> list[TgwRouteTable]:
    out: list[TgwRouteTable] = []
    for region, place in places.items():
        gateway = place.gateway
        by_reach: dict[frozenset[str], list[str]] = {}
        for v in place.vpcs:
            by_reach.setdefault(frozenset(reach[v]), []).append(v)
        taken: set[str] = set()
        for members, associated in by_reach.items():
            ordered = [v for v in reach if v in members]  # first-seen order, for stable names
            # named for the attachments it serves: "the table of prod's attachment"
            label = (
                "_".join(associated)
                if len(associated) <= 3
                else f"{associated[0]}_and_{len(associated) - 1}_more"
            )
            name = _unique(f"{gateway.name}_{label}", taken)
            local = [v for v in ordered if region_of[v] == region]
            remote = [v for v in ordered if region_of[v] != region]
            out.append(
                TgwRouteTable(
                    tf_id("aws_ec2_transit_gateway_route_table", name),
                    name,
                    transit_gateway=gateway.id,
                    routes=_static(ctx, remote, region, peerings, region_of),
                    associations=tuple(attachments[v].id for v in associated),
                    propagations=tuple(attachments[v].id for v in local),
                )
            )
        for key, peering in peerings.items():
            if region not in key:
                continue
            (there,) = key - {region}
            local = [
                v
                for v in place.vpcs
                if any(region_of[w] == there for w in reach[v])  # shares an entry over there
            ]
            name = _unique(f"{gateway.name}_from_{region_slug(there)}", taken)
            out.append(
                TgwRouteTable(
                    tf_id("aws_ec2_transit_gateway_route_table", name),
                    name,
                    transit_gateway=gateway.id,
                    associations=(peering.id,),
                    propagations=tuple(attachments[v].id for v in local),
                )
            )
    return out


def _static(
    ctx: PlanContext,
    remote: list[str],
    region: str,
    peerings: dict[frozenset[str], TgwAttachment],
    region_of: dict[str, str],
) -> tuple[TgwRoute, ...]:
    return tuple(
        TgwRoute(cidr, peerings[frozenset((region, region_of[v]))].id)
        for v in remote
        for cidr in ctx.vpcs[v].cidrs
    )


def _route_vpcs(
    ctx: PlanContext,
    vpcs: list[str],
    reach: dict[str, set[str]],
    places: dict[str, _Region],
    region_of: dict[str, str],
) -> None:
    tables = ctx.builder.all("route_table")
    for v in vpcs:
        gateway = places[region_of[v]].gateway.id
        others = [w for w in vpcs if w in reach[v] and w != v]
        wanted = tuple(
            Route(cidr, gateway, "transit_gateway") for w in others for cidr in ctx.vpcs[w].cidrs
        )
        vpc_id = _vpc_id(ctx, v)
        for rt in tables:
            if rt.vpc != vpc_id:
                continue
            current = ctx.builder.get("route_table", rt.id)
            have = {r.destination for r in current.routes}
            extra = tuple(r for r in wanted if r.destination not in have)
            ctx.builder.update(current, routes=current.routes + extra)


def _unique(name: str, taken: set[str]) -> str:
    out, n = name, 2
    while out in taken:
        out, n = f"{name}{n}", n + 1
    taken.add(out)
    return out
