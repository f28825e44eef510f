"""Line items per mechanism, at a given monthly volume, from a connection's Layout.

Traffic is the connection's traffic_gb_month: all bytes both ways. What each mechanism pays
for, with the payer (consumer or provider side):

* peering, same region: no hourly fee; bytes that cross AZs pay $0.01/GB out and in.
* peering, inter-region: no hourly fee; every byte pays inter-region transfer at the
  sender's rate (the average of the two directions' rates).
* privatelink: endpoint hours in each endpoint AZ, tiered processing per GB, the provider's
  NLB hours (split among its consumers) and NLCUs (1 per GB/hour), cross-AZ bytes from
  clients to the endpoint (clients use the Regional DNS name, which picks any endpoint AZ)
  and, if the NLB balances across zones, from its nodes to the targets.
* native: as privatelink, plus the provider's hourly charge per remote region and
  inter-region transfer of every byte; the endpoint lives in the consumer's region.
* outpost: the consumer's endpoint and an NLB in the consumer's region (in the consumer's
  AZs, so endpoint to NLB stays in-zone), NLCUs, and inter-region transfer over the
  outpost's peering with the provider.
* transit gateway: an attachment per VPC (split among the connections touching it), $0.02
  per GB sent into it; across regions also a peering attachment on each side and
  inter-region transfer.
"""

from __future__ import annotations

from collections.abc import Callable

from vpcwire.plan.plan import Plan
from vpcwire.report.cost import (
    ConnectionCost,
    CostReport,
    Estimate,
    LineItem,
    cross_az_cost,
    cross_az_fraction,
    crossovers,
    hourly_cost,
    nlcu_hours,
    tiered_cost,
    transfer_cost,
)
from vpcwire.report.cost_groups import group_options, is_group
from vpcwire.report.cost_layout import Layout, layout_of
from vpcwire.report.pricing import Prices

__all__ = ["MECHANISMS", "estimate", "options_for"]

MECHANISMS = ("peering", "privatelink", "native", "outpost", "transit gateway")
DEFAULT_SEARCH_GB = 100_000.0

Items = Callable[[float], list[LineItem]]


def estimate(
    plan: object, prices: Prices, *, default_gb: float | None = None, up_to: float | None = None
) -> CostReport:
    """Price every connection of a plan: the mechanism chosen and each viable alternative."""
    assert isinstance(plan, Plan)
    connections = []
    used: dict[tuple[str, str], None] = {}
    for decision in plan.decisions:
        conn = plan.spec.connections[decision.index]
        given = conn.traffic_gb_month
        gb = given if given is not None else (default_gb or 0.0)
        if is_group(plan, decision.index):
            chosen_name = decision.mechanism.replace("-", " ")
            options = group_options(plan, decision.index, prices)
            edges: list[float] = []
        else:
            lay = layout_of(plan, decision.index)
            chosen_name = lay.chosen
            options = options_for(lay, prices)
            edges = _tier_edges(prices, lay)
        estimates = tuple(
            Estimate(m, True, tuple(items(gb)))
            if items is not None
            else Estimate(m, False, why_not=why)
            for m, (items, why) in options.items()
        )
        limit = up_to or max(DEFAULT_SEARCH_GB, 10 * gb)
        totals = {m: _total(items) for m, (items, _) in options.items() if items is not None}
        chosen = totals.get(chosen_name)
        against = tuple(
            (m, tuple(crossovers({chosen_name: chosen, m: f}, edges, limit)))
            for m, f in totals.items()
            if chosen is not None and m != chosen_name
        )
        connections.append(
            ConnectionCost(
                decision.index,
                decision.label,
                chosen_name,
                gb,
                given is not None,
                estimates,
                tuple(crossovers(totals, edges, limit)),
                limit,
                against,
            )
        )
        for e in estimates:
            for item in e.items:
                used[(item.price, item.region)] = None
    shared = _nat_gateways(plan, prices)
    for item in shared:
        used[(item.price, item.region)] = None
    return CostReport(plan.spec.stack, prices, tuple(connections), tuple(shared), tuple(used))


def options_for(lay: Layout, prices: Prices) -> dict[str, tuple[Items | None, str]]:
    """mechanism -> (line items as a function of GB/month, or None; why not viable)."""
    out: dict[str, tuple[Items | None, str]] = {}
    overlap = f"the VPCs' CIDRs overlap ({lay.overlap})" if lay.overlap else ""
    out["peering"] = (None, overlap) if overlap else (lambda gb: _peering(lay, prices, gb), "")
    if lay.kind == "peers":
        two_way = "one-way only: peers need both VPCs to open connections"
        for m in ("privatelink", "native", "outpost"):
            out[m] = (None, two_way)
    elif lay.too_many_ports:
        for m in ("privatelink", "native", "outpost"):
            out[m] = (None, "more ports than PrivateLink's 50 NLB listeners")
    elif lay.same_region:
        out["privatelink"] = (lambda gb: _privatelink(lay, prices, gb), "")
        out["native"] = out["outpost"] = (None, "only for crossing regions")
    else:
        out["privatelink"] = (None, "a same-region endpoint cannot reach another region")
        out["native"] = (
            (None, "; ".join(lay.blockers))
            if lay.blockers
            else (lambda gb: _native(lay, prices, gb), "")
        )
        out["outpost"] = (lambda gb: _outpost(lay, prices, gb), "")
    out["transit gateway"] = (
        (None, f"{overlap}: a Transit Gateway routes by destination CIDR")
        if overlap
        else (lambda gb: _tgw(lay, prices, gb), "")
    )
    return {m: out[m] for m in MECHANISMS}


# -- per mechanism ---------------------------------------------------------------------------


def _item(
    name: str,
    qty: float,
    unit: str,
    price: float,
    monthly: float,
    key: str,
    region: str,
    payer: str,
    note: str = "",
) -> LineItem:
    return LineItem(name, qty, unit, price, monthly, key, region, payer, note)


def _peering(lay: Layout, p: Prices, gb: float) -> list[LineItem]:
    h = p.hours_per_month
    items = [
        _item(
            "VPC peering connection",
            h,
            "h",
            p.rate("peering_hour", lay.region_a),
            hourly_cost(1, h, p.rate("peering_hour", lay.region_a)),
            "peering_hour",
            lay.region_a,
            "both",
        )
    ]
    if lay.same_region:
        f = cross_az_fraction(lay.azs_a, lay.azs_b)
        rate = p.rate("cross_az_gb", lay.region_a)
        items.append(
            _item(
                f"cross-AZ transfer ({f:.0%} of bytes, out and in)",
                gb * f,
                "GB",
                2 * rate,
                cross_az_cost(gb, f, rate),
                "cross_az_gb",
                lay.region_a,
                "both",
            )
        )
    else:
        items.append(_inter_region(lay, p, gb, "inter-region transfer over the peering"))
    return items


def _inter_region(lay: Layout, p: Prices, gb: float, name: str) -> LineItem:
    there = p.inter_region(lay.region_a, lay.region_b)
    back = p.inter_region(lay.region_b, lay.region_a)
    rate = (there + back) / 2
    return _item(
        f"{name} ({lay.region_a} <-> {lay.region_b})",
        gb,
        "GB",
        rate,
        transfer_cost(gb, rate),
        "inter_region_gb",
        lay.region_a,
        "both",
    )


def _endpoint(lay: Layout, p: Prices, gb: float, azs: tuple[str, ...]) -> list[LineItem]:
    h, region = p.hours_per_month, lay.region_a
    rate = p.rate("endpoint_az_hour", region)
    processed = tiered_cost(gb, p.tiers("endpoint_gb_tiers", region))
    first = p.tiers("endpoint_gb_tiers", region)[0][1]
    items = [
        _item(
            f"interface endpoint, {len(azs)} AZ(s)",
            len(azs) * h,
            "h",
            rate,
            hourly_cost(len(azs), h, rate),
            "endpoint_az_hour",
            region,
            "consumer",
        ),
        _item(
            "endpoint data processed (tiered)",
            gb,
            "GB",
            processed / gb if gb else first,
            processed,
            "endpoint_gb_tiers",
            region,
            "consumer",
            "tiers apply to all endpoints of the region together",
        ),
    ]
    f = cross_az_fraction(lay.azs_a, azs)
    if f:
        cross = p.rate("cross_az_gb", region)
        items.append(
            _item(
                f"cross-AZ, clients to endpoint ({f:.0%} of bytes)",
                gb * f,
                "GB",
                2 * cross,
                cross_az_cost(gb, f, cross),
                "cross_az_gb",
                region,
                "consumer",
                "clients using the Regional DNS name",
            )
        )
    return items


def _nlb(lay: Layout, p: Prices, gb: float, region: str, share: str, what: str) -> list[LineItem]:
    h, k = p.hours_per_month, lay.sharers[share]
    rate, nlcu = p.rate("nlb_hour", region), p.rate("nlcu_hour", region)
    units = nlcu_hours(gb, p.rate("nlcu_gb_per_hour", region))
    shared = f", shared by {k}" if k > 1 else ""
    return [
        _item(
            f"{what} NLB{shared}",
            h / k,
            "h",
            rate,
            hourly_cost(1 / k, h, rate),
            "nlb_hour",
            region,
            "provider",
        ),
        _item(
            f"{what} NLB capacity (1 NLCU per GB/h)",
            units,
            "NLCU-h",
            nlcu,
            units * nlcu,
            "nlcu_hour",
            region,
            "provider",
        ),
    ]


def _cross_zone(lay: Layout, p: Prices, gb: float, entry: tuple[str, ...]) -> list[LineItem]:
    """Traffic enters the NLB at its nodes in ``entry`` (the endpoint's AZs, when they are
    the provider's; all NLB AZs otherwise); with cross-zone on, each node spreads it over
    every target, so 1 - |entry n targets| / (|entry| x |targets|) of it changes AZ."""
    f = cross_az_fraction(entry, lay.azs_b) if lay.cross_zone else 0.0
    if not f:
        return []
    rate = p.rate("cross_az_gb", lay.region_b)
    return [
        _item(
            f"cross-AZ, NLB to targets, cross-zone on ({f:.0%})",
            gb * f,
            "GB",
            2 * rate,
            cross_az_cost(gb, f, rate),
            "cross_az_gb",
            lay.region_b,
            "provider",
        )
    ]


def _privatelink(lay: Layout, p: Prices, gb: float) -> list[LineItem]:
    return [
        *_endpoint(lay, p, gb, lay.endpoint_azs),
        *_nlb(lay, p, gb, lay.region_b, "home_nlb", "provider"),
        *_cross_zone(lay, p, gb, lay.endpoint_azs),
    ]


def _native(lay: Layout, p: Prices, gb: float) -> list[LineItem]:
    h, k = p.hours_per_month, lay.sharers["remote_region"]
    rate = p.rate("native_remote_region_hour", lay.region_b)
    shared = f", shared by {k}" if k > 1 else ""
    return [
        *_endpoint(lay, p, gb, lay.azs_a),
        *_nlb(lay, p, gb, lay.region_b, "home_nlb", "provider"),
        _item(
            f"remote region {lay.region_a} enabled{shared}",
            h / k,
            "h",
            rate,
            hourly_cost(1 / k, h, rate),
            "native_remote_region_hour",
            lay.region_b,
            "provider",
        ),
        _inter_region(lay, p, gb, "inter-region transfer"),
        *_cross_zone(lay, p, gb, lay.nlb_azs),
    ]


def _outpost(lay: Layout, p: Prices, gb: float) -> list[LineItem]:
    return [
        *_endpoint(lay, p, gb, lay.azs_a),
        *_nlb(lay, p, gb, lay.region_a, "outpost_nlb", "outpost"),
        _inter_region(lay, p, gb, "inter-region transfer, outpost peering"),
    ]


def _tgw(lay: Layout, p: Prices, gb: float) -> list[LineItem]:
    h = p.hours_per_month
    attach = p.rate("tgw_attachment_hour", lay.region_a)
    share = 1 / lay.sharers["tgw_a"] + 1 / lay.sharers["tgw_b"]
    items = [
        _item(
            "VPC attachments (split among the VPCs' connections)",
            h * share,
            "h",
            attach,
            hourly_cost(share, h, attach),
            "tgw_attachment_hour",
            lay.region_a,
            "both",
        )
    ]
    if not lay.same_region:
        pair = 2 / lay.sharers["tgw_pair"]
        items.append(
            _item(
                "peering attachments, one per region",
                h * pair,
                "h",
                attach,
                hourly_cost(pair, h, attach),
                "tgw_attachment_hour",
                lay.region_a,
                "both",
            )
        )
    rate = p.rate("tgw_gb", lay.region_a)
    items.append(
        _item(
            "Transit Gateway data processed",
            gb,
            "GB",
            rate,
            transfer_cost(gb, rate),
            "tgw_gb",
            lay.region_a,
            "both",
        )
    )
    if not lay.same_region:
        items.append(_inter_region(lay, p, gb, "inter-region transfer"))
    return items


def _nat_gateways(plan: Plan, p: Prices) -> list[LineItem]:
    h, items = p.hours_per_month, []
    for nat in plan.network.nat_gateways.values():
        region = plan.network.vpcs[nat.vpc].region
        rate = p.rate("nat_hour", region)
        items.append(
            _item(
                f"NAT gateway {nat.name}",
                h,
                "h",
                rate,
                hourly_cost(1, h, rate),
                "nat_hour",
                region,
                "owner",
                f"plus ${p.rate('nat_gb', region)}/GB it processes (package installs)",
            )
        )
    return items


def _total(items: Items) -> Callable[[float], float]:
    return lambda gb: sum(i.monthly for i in items(gb))


def _tier_edges(p: Prices, lay: Layout) -> list[float]:
    edges, at = [], 0.0
    for width, _ in p.tiers("endpoint_gb_tiers", lay.region_a):
        if width is None:
            break
        at += width
        edges.append(at)
    return edges
