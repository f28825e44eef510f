"""Line items for a ``peers`` group (three or more VPCs, or any entry on Transit Gateways):
its peering mesh against Transit Gateways, at the entry's traffic_gb_month.

Assumptions, said in the report: the entry's traffic is spread evenly over its pairs (all
bytes, both ways), and a flow starts and ends in uniformly chosen private AZs of its two
VPCs. What each option pays:

* peering mesh: no hourly fee; per pair, bytes crossing AZs pay $0.01/GB out and in (same
  region) or inter-region transfer (the average of both directions' rates).
* transit gateway: one VPC attachment per VPC (split among the Transit Gateway entries that
  VPC is in, as the gateway serves them all), both ends of one TGW peering per pair of
  regions (split likewise), $0.02 per GB sent into a gateway, and inter-region transfer for
  the pairs across regions. A Transit Gateway adds no cross-AZ charge of its own.

Peering has no hourly fee and no processing fee, so the mesh is the cheaper at every
volume: there is no crossover in dollars, and the report says so; where a Transit Gateway
wins is in operations (peerings n(n-1)/2, quotas, segments), which the decision's reasons
give.
"""

from __future__ import annotations

from collections.abc import Callable

from vpcwire.plan.plan import Plan
from vpcwire.report.cost import (
    LineItem,
    cross_az_cost,
    cross_az_fraction,
    hourly_cost,
    transfer_cost,
)
from vpcwire.report.cost_layout import private_azs_of
from vpcwire.report.pricing import Prices
from vpcwire.spec.models import PeerConnection

__all__ = ["group_options", "is_group"]

Items = Callable[[float], list[LineItem]]


def is_group(plan: Plan, index: int) -> bool:
    """Whether a connection is priced as a group: three or more peers, or on TGWs."""
    conn = plan.spec.connections[index]
    decision = next(d for d in plan.decisions if d.index == index)
    return isinstance(conn, PeerConnection) and (
        len(conn.peers) > 2 or decision.mechanism == "transit-gateway"
    )


def group_options(plan: Plan, index: int, prices: Prices) -> dict[str, tuple[Items | None, str]]:
    conn = plan.spec.connections[index]
    assert isinstance(conn, PeerConnection)
    one_way = "one-way only: peers need every VPC to open connections"
    overlap = _overlap(plan, conn)
    return {
        "peering": (None, f"the VPCs' CIDRs overlap ({overlap})")
        if overlap
        else (lambda gb: _mesh(plan, conn, prices, gb), ""),
        "privatelink": (None, one_way),
        "native": (None, one_way),
        "outpost": (None, one_way),
        "transit gateway": (
            (None, f"the VPCs' CIDRs overlap ({overlap}): a TGW routes by destination CIDR")
            if overlap
            else (lambda gb: _transit(plan, index, conn, prices, gb), "")
        ),
    }


def _overlap(plan: Plan, conn: PeerConnection) -> str:
    for a, b in conn.pairs:
        for x in plan.vpcs[a].cidrs:
            for y in plan.vpcs[b].cidrs:
                if x.overlaps(y):
                    return f"{x} and {y}"
    return ""


def _region(plan: Plan, vpc: str) -> str:
    return plan.vpcs[vpc].region


def _pair_transfer(
    plan: Plan, conn: PeerConnection, p: Prices, gb: float
) -> tuple[float, float, float, float]:
    """(GB crossing AZs, its cost, GB crossing regions, its cost) over the entry's pairs."""
    share = gb / max(len(conn.pairs), 1)
    az_gb = az_cost = region_gb = region_cost = 0.0
    for a, b in conn.pairs:
        ra, rb = _region(plan, a), _region(plan, b)
        if ra == rb:
            f = cross_az_fraction(private_azs_of(plan, a), private_azs_of(plan, b))
            az_gb += share * f
            az_cost += cross_az_cost(share, f, p.rate("cross_az_gb", ra))
        else:
            rate = (p.inter_region(ra, rb) + p.inter_region(rb, ra)) / 2
            region_gb += share
            region_cost += transfer_cost(share, rate)
    return az_gb, az_cost, region_gb, region_cost


def _mesh(plan: Plan, conn: PeerConnection, p: Prices, gb: float) -> list[LineItem]:
    home = _region(plan, conn.peers[0])
    h = p.hours_per_month
    rate = p.rate("peering_hour", home)
    n = len(conn.pairs)
    items = [
        LineItem(
            f"VPC peerings ({n}, a full mesh)",
            h * n,
            "h",
            rate,
            hourly_cost(n, h, rate),
            "peering_hour",
            home,
            "both",
        )
    ]
    az_gb, az_cost, region_gb, region_cost = _pair_transfer(plan, conn, p, gb)
    items.append(
        LineItem(
            "cross-AZ transfer (out and in)",
            az_gb,
            "GB",
            2 * p.rate("cross_az_gb", home),
            az_cost,
            "cross_az_gb",
            home,
            "both",
            "traffic spread evenly over the pairs",
        )
    )
    if region_gb:
        items.append(
            LineItem(
                "inter-region transfer over the peerings",
                region_gb,
                "GB",
                region_cost / region_gb,
                region_cost,
                "inter_region_gb",
                home,
                "both",
            )
        )
    return items


def _transit(plan: Plan, index: int, conn: PeerConnection, p: Prices, gb: float) -> list[LineItem]:
    on_tgw = [
        c
        for d in plan.decisions
        if d.mechanism == "transit-gateway"
        and isinstance(c := plan.spec.connections[d.index], PeerConnection)
    ]
    if not any(c is conn for c in on_tgw):
        on_tgw.append(conn)  # priced as if it moved to the Transit Gateway too

    def sharing(vpcs: set[str]) -> int:
        return sum(1 for c in on_tgw if vpcs <= set(c.peers)) or 1

    peers = list(dict.fromkeys(conn.peers))
    h = p.hours_per_month
    home = _region(plan, peers[0])
    attach = p.rate("tgw_attachment_hour", home)
    vpc_share = sum(1 / sharing({v}) for v in peers)
    items = [
        LineItem(
            f"VPC attachments ({len(peers)}, each split among the entries its VPC is in)",
            h * vpc_share,
            "h",
            attach,
            hourly_cost(vpc_share, h, attach),
            "tgw_attachment_hour",
            home,
            "both",
        )
    ]
    regions = list(dict.fromkeys(_region(plan, v) for v in peers))
    region_pairs = [(x, y) for i, x in enumerate(regions) for y in regions[i + 1 :]]
    if region_pairs:
        units = 0.0
        for x, y in region_pairs:
            entries = sum(1 for c in on_tgw if {x, y} <= {_region(plan, v) for v in c.peers}) or 1
            units += 2 / entries
        items.append(
            LineItem(
                f"TGW peering attachments (both ends of {len(region_pairs)} peering(s))",
                h * units,
                "h",
                attach,
                hourly_cost(units, h, attach),
                "tgw_attachment_hour",
                home,
                "both",
            )
        )
    rate = p.rate("tgw_gb", home)
    items.append(
        LineItem(
            "Transit Gateway data processed",
            gb,
            "GB",
            rate,
            transfer_cost(gb, rate),
            "tgw_gb",
            home,
            "both",
        )
    )
    _, _, region_gb, region_cost = _pair_transfer(plan, conn, p, gb)
    if region_gb:
        items.append(
            LineItem(
                "inter-region transfer over the TGW peering",
                region_gb,
                "GB",
                region_cost / region_gb,
                region_cost,
                "inter_region_gb",
                home,
                "both",
            )
        )
    return items
