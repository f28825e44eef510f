"""Build each VPC's skeleton: the VPC, subnets, route tables, gateways and AWS's defaults.

AWS creates a main route table, a default network ACL and a default security group with
every VPC. They are part of the predicted Network (the verifier needs them, and the live
network has them) with ids that are the Terraform expressions naming them. The default
security group is rendered with no rules (CIS AWS Foundations 5.4), so nothing can use it
by accident; the main table and default ACL are left as AWS makes them, and every subnet
vpcwire creates is explicitly associated with a table of ours.
"""

from __future__ import annotations

from ipaddress import IPv4Network

from vpcwire.network import (
    Account,
    InternetGateway,
    NaclEntry,
    NatGateway,
    NetworkAcl,
    NetworkInterface,
    Route,
    RouteTable,
    SecurityGroup,
    Subnet,
    Vpc,
)
from vpcwire.plan.addressing import az_suffix
from vpcwire.plan.naming import implicit_name, tf_id
from vpcwire.plan.plan import PlanContext, VpcPlan
from vpcwire.spec.models import PeerConnection, ServiceConnection

ANYWHERE = IPv4Network("0.0.0.0/0")


def run(ctx: PlanContext) -> PlanContext:
    for name, acct in ctx.spec.accounts.items():
        ctx.builder.add_account(Account(acct.id, name))
    hostnames = _vpcs_needing_dns_hostnames(ctx)
    for vpc in ctx.vpcs.values():
        if vpc.existing is None:  # an existing VPC is taken as it is (adopt_existing)
            _lay_out(ctx, vpc, dns_hostnames=vpc.name in hostnames)
    return ctx


def _vpcs_needing_dns_hostnames(ctx: PlanContext) -> set[str]:
    """Resolving a peer's private hostnames needs DNS hostnames on both VPCs. Only those get
    it: on the sandbox, each such VPC costs the provider a fixed 10 s wait."""
    out: set[str] = set()
    for conn in ctx.spec.connections:
        if isinstance(conn, PeerConnection) and conn.dns_resolution:
            out.update(conn.peers)
        elif isinstance(conn, ServiceConnection) and conn.private_dns:
            out.update({conn.consumer, ctx.spec.services[conn.service].vpc})
    return out


def _lay_out(ctx: PlanContext, plan: VpcPlan, *, dns_hostnames: bool) -> None:
    b = ctx.builder
    vpc_id = tf_id("aws_vpc", plan.name)
    b.add(
        Vpc(
            vpc_id,
            plan.name,
            ctx.account_id(plan.account),
            plan.region,
            plan.cidrs,
            dns_support=True,
            dns_hostnames=dns_hostnames,
        )
    )
    local = tuple(Route(c, "local", "local") for c in plan.cidrs)

    tiers: dict[str, list[Subnet]] = ctx.subnets.setdefault(
        plan.name, {"private": [], "public": []}
    )
    taken: set[str] = set()
    for laid in plan.subnets:
        base = f"{plan.name}_{laid.tier}_{az_suffix(laid.az, plan.region)}"
        name, n = base, 2
        while name in taken:
            name, n = f"{base}{n}", n + 1
        taken.add(name)
        az_id = ctx.spec.accounts[plan.account].az_ids.get(laid.az)
        subnet = Subnet(tf_id("aws_subnet", name), name, vpc_id, laid.cidr, laid.az, az_id)
        tiers[laid.tier].append(b.add(subnet))
    public_ids = tuple(s.id for s in tiers["public"])

    b.add(
        RouteTable(
            f"{vpc_id}.main_route_table_id",
            implicit_name(plan.name, "main_route_table"),
            vpc_id,
            local,
            main=True,
        )
    )
    b.add(
        NetworkAcl(
            f"{vpc_id}.default_network_acl_id",
            implicit_name(plan.name, "default_network_acl"),
            vpc_id,
            entries=(
                NaclEntry(100, False, True, "all", ANYWHERE),
                NaclEntry(32767, False, False, "all", ANYWHERE),
                NaclEntry(100, True, True, "all", ANYWHERE),
                NaclEntry(32767, True, False, "all", ANYWHERE),
            ),
            is_default=True,
        )
    )
    b.add(
        SecurityGroup(
            tf_id("aws_default_security_group", plan.name),
            implicit_name(plan.name, "default_security_group"),
            vpc_id,
            is_default=True,
        )
    )

    private_routes = local
    if public_ids:
        igw = b.add(InternetGateway(tf_id("aws_internet_gateway", plan.name), plan.name, vpc_id))
        b.add(
            RouteTable(
                tf_id("aws_route_table", f"{plan.name}_public"),
                f"{plan.name}_public",
                vpc_id,
                (*local, Route(ANYWHERE, igw.id, "internet_gateway")),
                subnets=public_ids,
            )
        )
        if plan.nat:
            nat_id = tf_id("aws_nat_gateway", plan.name)
            first_public = public_ids[0]
            b.add(NatGateway(nat_id, plan.name, vpc_id, first_public))
            b.add(
                NetworkInterface(
                    f"{nat_id}.network_interface_id",
                    "",
                    vpc_id,
                    first_public,
                    None,
                    (),
                    kind="nat_gateway",
                    owner=nat_id,
                )
            )
            private_routes = (*local, Route(ANYWHERE, nat_id, "nat_gateway"))
    b.add(
        RouteTable(
            tf_id("aws_route_table", f"{plan.name}_private"),
            f"{plan.name}_private",
            vpc_id,
            private_routes,
            subnets=tuple(s.id for s in tiers["private"]),
        )
    )
