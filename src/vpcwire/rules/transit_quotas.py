"""Transit Gateway quotas a plan must fit in (AWS, "Quotas for your transit gateways").

https://docs.aws.amazon.com/vpc/latest/tgw/transit-gateway-quotas.html
The planner makes one gateway per region and one attachment per VPC, so of the five only
route tables, peering attachments and routes grow with a spec; the other two are
judged anyway because they are cheap to judge and a future producer (existing VPCs that
already have attachments) may break them.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterator

from vpcwire.rules.base import Finding, NetworkView, Rule, RuleContext
from vpcwire.rules.tgw_quotas import (
    TGW_PEERINGS_PER_TGW,
    TGW_ROUTE_TABLES_PER_TGW,
    TGW_ROUTES_PER_TGW,
    TGWS_PER_ACCOUNT_REGION,
    TGWS_PER_VPC,
)

__all__ = [
    "GATEWAYS_PER_ACCOUNT_REGION",
    "PEERING_ATTACHMENTS_PER_GATEWAY",
    "ROUTES_PER_GATEWAY",
    "ROUTE_TABLES_PER_GATEWAY",
    "VPC_ATTACHMENTS_PER_VPC",
    "TransitQuotas",
]

# The values are the network rules' (rules/tgw_quotas.py): one reading of AWS's quota page.
GATEWAYS_PER_ACCOUNT_REGION = TGWS_PER_ACCOUNT_REGION
ROUTE_TABLES_PER_GATEWAY = TGW_ROUTE_TABLES_PER_TGW
VPC_ATTACHMENTS_PER_VPC = TGWS_PER_VPC  # one attachment per TGW, so TGWs per VPC
PEERING_ATTACHMENTS_PER_GATEWAY = TGW_PEERINGS_PER_TGW
# "Total combined routes (dynamic and static) across all route tables for a single transit
# gateway": propagated routes count too.
ROUTES_PER_GATEWAY = TGW_ROUTES_PER_TGW


class TransitQuotas(Rule):
    id = "VW-E852"
    title = "The plan needs more of a Transit Gateway resource than AWS's quota allows"
    description = (
        f"AWS allows {GATEWAYS_PER_ACCOUNT_REGION} Transit Gateways per account and region, "
        f"{ROUTE_TABLES_PER_GATEWAY} route tables per Transit Gateway, "
        f"{VPC_ATTACHMENTS_PER_VPC} Transit Gateway attachments per VPC, "
        f"{PEERING_ATTACHMENTS_PER_GATEWAY} peering attachments per Transit Gateway and "
        f"{ROUTES_PER_GATEWAY:,} routes, static and propagated, across a Transit Gateway's "
        "route tables (default quotas; "
        "an increase must be granted before the apply, so the plan is refused)."
    )
    url = "https://docs.aws.amazon.com/vpc/latest/tgw/transit-gateway-quotas.html"
    fix = (
        "request a quota increase (Service Quotas, Amazon EC2 Transit Gateway) before `up`, "
        "or merge entries: every distinct set of reachable VPCs needs a route table of its own"
    )
    stage = "plan"

    def check(self, ctx: RuleContext) -> Iterator[Finding]:
        assert ctx.plan is not None
        view = NetworkView(ctx.plan.network, ctx.plan)
        net = view.network
        gateways = Counter((g.account, g.region) for g in net.transit_gateways.values())
        for gateway in net.transit_gateways.values():
            if gateways[(gateway.account, gateway.region)] > GATEWAYS_PER_ACCOUNT_REGION:
                yield self.finding_on(
                    view,
                    gateway,
                    f"account {gateway.account} would have "
                    f"{gateways[(gateway.account, gateway.region)]} Transit Gateways in "
                    f"{gateway.region}, over the quota of {GATEWAYS_PER_ACCOUNT_REGION}",
                )
            tables = [t for t in net.tgw_route_tables.values() if t.transit_gateway == gateway.id]
            if len(tables) > ROUTE_TABLES_PER_GATEWAY:
                yield self.finding_on(
                    view,
                    gateway,
                    f"{gateway.name} needs {len(tables)} route tables (one per distinct set of "
                    f"VPCs its attachments reach), over the quota of {ROUTE_TABLES_PER_GATEWAY}",
                )
            peerings = [
                a
                for a in net.tgw_attachments.values()
                if a.kind == "peering" and gateway.id in (a.transit_gateway, a.peer_transit_gateway)
            ]
            if len(peerings) > PEERING_ATTACHMENTS_PER_GATEWAY:
                yield self.finding_on(
                    view,
                    gateway,
                    f"{gateway.name} needs {len(peerings)} peering attachments, over the quota "
                    f"of {PEERING_ATTACHMENTS_PER_GATEWAY}",
                )
            routes = sum(len(net.tgw_routes(t)) for t in tables)
            if routes > ROUTES_PER_GATEWAY:
                yield self.finding_on(
                    view,
                    gateway,
                    f"{gateway.name} needs {routes:,} routes across its tables (one per CIDR "
                    "of each VPC a table reaches, propagated or static), over the quota of "
                    f"{ROUTES_PER_GATEWAY:,}",
                )
        per_vpc = Counter(a.vpc for a in net.tgw_attachments.values() if a.kind == "vpc")
        for vpc_id, count in per_vpc.items():
            vpc = net.vpcs.get(vpc_id or "")
            if vpc is not None and count > VPC_ATTACHMENTS_PER_VPC:
                yield self.finding_on(
                    view,
                    vpc,
                    f"{vpc.name} would have {count} Transit Gateway attachments, over the quota "
                    f"of {VPC_ATTACHMENTS_PER_VPC}",
                )
