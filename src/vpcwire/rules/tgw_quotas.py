"""Transit Gateway quotas (https://docs.aws.amazon.com/vpc/latest/tgw/transit-gateway-quotas.html,
read 2026-12) and the counts the quota rules compare with them. No rule here."""

from __future__ import annotations

from collections import Counter

from vpcwire.network import Network
from vpcwire.rules.tgw_paths import GONE_STATES

__all__ = [
    "PEERINGS_BETWEEN_TWO_TGWS",
    "TGWS_PER_ACCOUNT_REGION",
    "TGWS_PER_VPC",
    "TGW_PEERINGS_PER_TGW",
    "TGW_ROUTES_PER_TGW",
    "TGW_ROUTE_TABLES_PER_TGW",
    "peering_pairs",
    "routes_per_tgw",
]

TGWS_PER_ACCOUNT_REGION = 5  # "Transit gateways per account", adjustable
TGW_ROUTE_TABLES_PER_TGW = 20  # adjustable
TGW_ROUTES_PER_TGW = 10_000  # static and dynamic, across all its tables; adjustable
TGWS_PER_VPC = 5  # "Transit gateways per VPC" / unique attachments per VPC, not adjustable
TGW_PEERINGS_PER_TGW = 50  # adjustable
PEERINGS_BETWEEN_TWO_TGWS = 1  # not adjustable


def routes_per_tgw(net: Network) -> Counter[str]:
    """Routes (static, blackhole and propagated) across all route tables of each TGW."""
    out: Counter[str] = Counter()
    for table in net.tgw_route_tables.values():
        out[table.transit_gateway] += len(net.tgw_routes(table))
    return out


def peering_pairs(net: Network) -> dict[frozenset[str], list[str]]:
    """Peering attachments (not gone) by the pair of TGWs they join."""
    out: dict[frozenset[str], list[str]] = {}
    for att in net.tgw_attachments.values():
        if att.kind == "peering" and att.peer_transit_gateway and att.state not in GONE_STATES:
            key = frozenset((att.transit_gateway, att.peer_transit_gateway))
            out.setdefault(key, []).append(att.id)
    return out
