"""Transit Gateways in the Scene: each TGW a hub in its region, its VPC attachments edges to
the VPCs, its peering attachments edges between hubs.

Segments are what a reader of a TGW estate asks first ("who can reach whom"), and a TGW's
route tables are its segments: so an attachment's edge is named after, and coloured by, the
route table it is associated with (``segment``: the table's index among its TGW's tables),
and the hub lists its tables. An attachment associated with no table carries nothing and
says so.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

from vpcwire.network import Network

__all__ = ["Hub", "TgwEdge", "account_label", "transit_gateways"]


@dataclass(frozen=True, slots=True)
class Hub:
    """A Transit Gateway drawn as a node of its account and region."""

    id: str  # scene id, "tgw_<name>"
    account: str  # the same label as the VPC boxes of that account
    region: str
    label: str


@dataclass(frozen=True, slots=True)
class TgwEdge:
    """An attachment (VPC -> hub) or a peering (hub -> hub), before it is a scene Link."""

    source: str
    target: str
    kind: Literal["tgw_attachment", "tgw_peering"]
    label: str
    segment: int = 0


def account_label(network: Network, account: str) -> str:
    """How a diagram names an account: "name (id)" when the network knows its name."""
    known = network.accounts.get(account)
    return f"{known.name} ({account})" if known and known.name else account


def transit_gateways(
    network: Network, vpc_id: dict[str, str], hub_id: dict[str, str]
) -> tuple[list[Hub], list[TgwEdge]]:
    """The hubs, and the attachment and peering edges, of every TGW of the network
    (``hub_id``: TGW id -> its scene id)."""
    segment: dict[str, tuple[int, str]] = {}  # route table id -> (index, name)
    hubs: list[Hub] = []
    for tgw in sorted(network.transit_gateways.values(), key=lambda t: t.name or t.id):
        tables = sorted(
            (t for t in network.tgw_route_tables.values() if t.transit_gateway == tgw.id),
            key=lambda t: (not t.default_association, t.name or t.id),
        )
        for i, table in enumerate(tables):
            segment[table.id] = (i, table.name or table.id)
        lines = [f"Transit Gateway {tgw.name or tgw.id}"]
        if tgw.asn is not None:
            lines.append(f"ASN {tgw.asn}")
        if tables:
            lines.append("route tables: " + ", ".join(t.name or t.id for t in tables))
        hubs.append(
            Hub(hub_id[tgw.id], account_label(network, tgw.account), tgw.region, "\n".join(lines))
        )
    links: list[TgwEdge] = []
    for att in sorted(network.tgw_attachments.values(), key=lambda a: a.name or a.id):
        hub = hub_id.get(att.transit_gateway)
        if hub is None:
            continue
        state = "" if att.state == "available" else f" [{att.state}]"
        if att.kind == "vpc" and att.vpc in vpc_id:
            assoc = network.tgw_route_table_of.get((att.transit_gateway, att.id))
            index, name = segment.get(assoc.id, (0, "")) if assoc is not None else (0, "")
            label = f"route table {name}" if assoc is not None else "no route table"
            if att.appliance_mode:
                label += " (appliance mode)"
            links.append(TgwEdge(vpc_id[str(att.vpc)], hub, "tgw_attachment", label + state, index))
        elif att.kind == "peering" and att.peer_transit_gateway in hub_id:
            other = network.transit_gateways.get(str(att.peer_transit_gateway))
            inter = (
                other is not None
                and other.region != network.transit_gateways[att.transit_gateway].region
            )
            label = "TGW peering" + (" (inter-region)" if inter else "") + state
            links.append(TgwEdge(hub, hub_id[str(att.peer_transit_gateway)], "tgw_peering", label))
    return hubs, links
