"""Plan -> a Terraform directory a person would be glad to read and own.

A walker over the planned Network with one method per resource kind. Each method builds
HCL tree nodes (render/hcl.py) into the file its resource belongs in; serialisation
happens once at the end. Planned ids are Terraform expressions already (see plan/plan.py),
so a reference to another resource is ``ref(id)``: ``aws_vpc.app`` -> ``aws_vpc.app.id``.

Files: versions.tf, providers.tf, network.tf, security.tf, instances.tf, peering.tf,
privatelink.tf, outputs.tf, templates/*.tftpl, and - only when rendering for the sandbox -
sandbox_override.tf (render/sandbox.py), which a real-AWS apply never sees.
"""

from __future__ import annotations

import re
from collections import defaultdict
from dataclasses import dataclass, field
from ipaddress import IPv4Address
from typing import Literal

from vpcwire.network import (
    EndpointService,
    Instance,
    InternetGateway,
    Listener,
    LoadBalancer,
    NatGateway,
    Network,
    PeeringConnection,
    Route,
    RouteTable,
    SecurityGroup,
    SecurityGroupRule,
    Subnet,
    TargetGroup,
    Vpc,
    VpcEndpoint,
)
from vpcwire.plan.naming import aws_short_name, region_slug
from vpcwire.plan.plan import Plan
from vpcwire.render.hcl import Attr, Blank, Block, Call, Comment, Expr, Node, dumps
from vpcwire.render.workloads import client_vars, service_vars

__all__ = ["PROVIDER_CONSTRAINT", "RenderedFiles", "Renderer", "provider_alias", "ref"]

# >= 5.83: aws_vpc_endpoint.service_region (native cross-region PrivateLink); < 6: the HCL
# here is written for the 5.x schema.
PROVIDER_CONSTRAINT = ">= 5.83, < 6.0"
AMI_PARAMETER = "/aws/service/ami-amazon-linux-latest/al2023-ami-kernel-default-x86_64"
_SIMPLE_ADDRESS = re.compile(r"^aws_[a-z0-9_]+\.[A-Za-z0-9_-]+$")

FileName = Literal[
    "versions.tf",
    "providers.tf",
    "network.tf",
    "security.tf",
    "instances.tf",
    "peering.tf",
    "privatelink.tf",
    "outputs.tf",
]
FILE_HEADERS: dict[str, str] = {
    "versions.tf": "Terraform and provider versions.",
    "providers.tf": "One aws provider per (account, region). Credentials come from the environment,\n"
    "the named profile or the assumed role: never from this directory.",
    "network.tf": "VPCs, subnets, route tables and gateways.",
    "security.tf": "Security groups: only the ports each connection needs, only from its consumers.",
    "instances.tf": "The sample workload: an HTTP API on the provider instances, a client that calls it.",
    "peering.tf": "VPC peerings: requested on one side, accepted on the other, and a route to the\n"
    "peer's CIDR in every route table of both VPCs.",
    "privatelink.tf": "PrivateLink: NLB -> listener -> target group -> targets, the endpoint service\n"
    "with explicit allowed principals, and each consumer's interface endpoint.",
    "outputs.tf": "What consumers need: endpoint DNS names, service names, peering ids, addresses.",
}


def ref(resource_id: str, attribute: str = "id") -> Expr:
    """The expression for a planned resource's attribute (its id by default)."""
    if _SIMPLE_ADDRESS.match(resource_id):
        return Expr(f"{resource_id}.{attribute}")
    return Expr(resource_id)


def _address(resource_id: str) -> tuple[str, str]:
    kind, _, name = resource_id.partition(".")
    return kind, name


def provider_alias(account_name: str, region: str) -> str:
    return f"{account_name}_{region_slug(region)}".replace("-", "_")


@dataclass
class RenderedFiles:
    """File name -> content, for a directory."""

    files: dict[str, str] = field(default_factory=dict)


class Renderer:
    def __init__(self, plan: Plan, *, source: str = "") -> None:
        self.plan = plan
        self.net: Network = plan.network
        self.source = source
        self.blocks: dict[str, list[Block | Comment]] = defaultdict(list)
        self.account_names = {a.id: a.name for a in self.net.accounts.values()}
        self.providers: dict[str, tuple[str, str]] = {}  # alias -> (account name, region)
        self.ip_owner = {
            eni.private_ip: eni.owner
            for eni in self.net.interfaces.values()
            if eni.kind == "instance" and eni.private_ip is not None and eni.owner
        }

    # -- helpers ------------------------------------------------------------------------------

    def provider_for(self, account_id: str, region: str) -> Expr:
        alias = provider_alias(self.account_names[account_id], region)
        self.providers[alias] = (self.account_names[account_id], region)
        return Expr(f"aws.{alias}")

    def provider_of_vpc(self, vpc_id: str) -> Expr:
        vpc = self.net.vpcs[vpc_id]
        return self.provider_for(vpc.account, vpc.region)

    def resource(
        self,
        file: FileName,
        resource_id: str,
        provider: Expr,
        *body: Node,
        name_tag: str | None = None,
        tail: tuple[Node, ...] = (),
    ) -> Block:
        """A resource block laid out the way the Terraform style guide does: the provider
        meta-argument, then arguments (tags last), then nested blocks, then lifecycle and
        depends_on."""
        kind, name = _address(resource_id)
        arguments = [n for n in body if isinstance(n, Attr | Comment)]
        nested = [n for n in body if isinstance(n, Block)]
        if name_tag is not None:
            arguments.append(Attr("tags", {"Name": name_tag}))
        block = Block("resource", (kind, name), [Attr("provider", provider), Blank(), *arguments])
        for item in nested:
            block.add(Blank(), item)
        if tail:
            block.add(Blank(), *tail)
        self.blocks[file].append(block)
        return block

    # -- walk ---------------------------------------------------------------------------------

    def render(self) -> RenderedFiles:
        net = self.net
        for vpc in net.vpcs.values():
            self.vpc(vpc)
        for subnet in net.subnets.values():
            self.subnet(subnet)
        for igw in net.internet_gateways.values():
            self.internet_gateway(igw)
        for nat in net.nat_gateways.values():
            self.nat_gateway(nat)
        for pcx in net.peerings.values():
            self.peering(pcx)
        for rt in net.route_tables.values():
            self.route_table(rt)
        for sg in net.security_groups.values():
            self.security_group(sg)
        self.ami_parameters()
        for inst in net.instances.values():
            self.instance(inst)
        for lb in net.load_balancers.values():
            self.load_balancer(lb)
        for tg in net.target_groups.values():
            self.target_group(tg)
        for listener in net.listeners.values():
            self.listener(listener)
        for svc in net.endpoint_services.values():
            self.endpoint_service(svc)
        for endpoint in net.endpoints.values():
            self.vpc_endpoint(endpoint)
        self.outputs()
        self.provider_blocks()
        self.versions()
        return self.files()

    def files(self) -> RenderedFiles:
        out = RenderedFiles()
        source = f" from {self.source}" if self.source else ""
        for name in FILE_HEADERS:
            blocks = self.blocks.get(name)
            if not blocks:
                continue
            header = Comment(f"{FILE_HEADERS[name]}\nRendered by vpcwire{source}.")
            out.files[name] = dumps([header, *blocks])
        return out

    # -- providers and versions ----------------------------------------------------------------

    def versions(self) -> None:
        self.blocks["versions.tf"].append(
            Block(
                "terraform",
                (),
                [
                    Attr("required_version", ">= 1.5"),
                    Blank(),
                    Block(
                        "required_providers",
                        (),
                        [
                            Attr(
                                "aws", {"source": "hashicorp/aws", "version": PROVIDER_CONSTRAINT}
                            ),
                        ],
                    ),
                ],
            )
        )

    def provider_blocks(self) -> None:
        for alias, (account_name, region) in sorted(self.providers.items()):
            account = self.plan.spec.accounts[account_name]
            block = Block(
                "provider",
                ("aws",),
                [
                    Attr("alias", alias),
                    Attr("region", region),
                    Attr("allowed_account_ids", [account.id]),
                ],
            )
            if account.profile:
                block.add(Attr("profile", account.profile))
            if account.role_arn:
                block.add(Blank(), Block("assume_role", (), [Attr("role_arn", account.role_arn)]))
            block.add(
                Blank(),
                Block(
                    "default_tags",
                    (),
                    [
                        Attr(
                            "tags", {"vpcwire:stack": self.plan.spec.stack, "managed-by": "vpcwire"}
                        ),
                    ],
                ),
            )
            self.blocks["providers.tf"].append(block)

    # -- network ----------------------------------------------------------------------------

    def vpc(self, vpc: Vpc) -> None:
        p = self.provider_of_vpc(vpc.id)
        body: list[Node] = [
            Attr("cidr_block", str(vpc.cidr)),
            Attr("enable_dns_support", vpc.dns_support),
        ]
        if vpc.dns_hostnames:
            body.append(Attr("enable_dns_hostnames", True))
        self.resource("network.tf", vpc.id, p, *body, name_tag=vpc.name)
        for i, extra in enumerate(vpc.cidrs[1:], start=2):
            self.resource(
                "network.tf",
                f"aws_vpc_ipv4_cidr_block_association.{vpc.name}_{i}",
                p,
                Attr("vpc_id", ref(vpc.id)),
                Attr("cidr_block", str(extra)),
            )
        # AWS's default group admits its own members and sends anywhere; nothing of ours uses
        # it, so it is emptied (CIS AWS Foundations Benchmark 5.4).
        self.resource(
            "network.tf",
            f"aws_default_security_group.{vpc.name}",
            p,
            Attr("vpc_id", ref(vpc.id)),
            name_tag=f"{vpc.name}_default",
        )

    def subnet(self, subnet: Subnet) -> None:
        vpc = self.net.vpcs[subnet.vpc]
        tail: tuple[Node, ...] = ()
        secondary = [
            f"aws_vpc_ipv4_cidr_block_association.{vpc.name}_{i}"
            for i, c in enumerate(vpc.cidrs[1:], start=2)
            if subnet.cidr.subnet_of(c)
        ]
        if secondary:
            tail = (Attr("depends_on", [Expr(a) for a in secondary]),)
        self.resource(
            "network.tf",
            subnet.id,
            self.provider_of_vpc(subnet.vpc),
            Attr("vpc_id", ref(subnet.vpc)),
            Attr("cidr_block", str(subnet.cidr)),
            Attr("availability_zone", subnet.az),
            name_tag=subnet.name,
            tail=tail,
        )

    def internet_gateway(self, igw: InternetGateway) -> None:
        assert igw.vpc is not None
        self.resource(
            "network.tf",
            igw.id,
            self.provider_of_vpc(igw.vpc),
            Attr("vpc_id", ref(igw.vpc)),
            name_tag=igw.name,
        )

    def nat_gateway(self, nat: NatGateway) -> None:
        p = self.provider_of_vpc(nat.vpc)
        eip = f"aws_eip.{nat.name}_nat"
        self.resource("network.tf", eip, p, Attr("domain", "vpc"), name_tag=f"{nat.name}_nat")
        igw = next((g.id for g in self.net.internet_gateways.values() if g.vpc == nat.vpc), None)
        self.resource(
            "network.tf",
            nat.id,
            p,
            Attr("allocation_id", ref(eip)),
            Attr("subnet_id", ref(nat.subnet)),
            name_tag=nat.name,
            tail=(Attr("depends_on", [Expr(igw)]),) if igw else (),
        )

    def route_table(self, rt: RouteTable) -> None:
        p = self.provider_of_vpc(rt.vpc)
        if not rt.main:
            self.resource("network.tf", rt.id, p, Attr("vpc_id", ref(rt.vpc)), name_tag=rt.name)
            for sid in rt.subnets:
                subnet = self.net.subnets[sid]
                self.resource(
                    "network.tf",
                    f"aws_route_table_association.{subnet.name}",
                    p,
                    Attr("subnet_id", ref(sid)),
                    Attr("route_table_id", ref(rt.id)),
                )
        for route in rt.routes:
            if route.kind != "local":
                self.route(rt, route, p)

    def route(self, rt: RouteTable, route: Route, provider: Expr) -> None:
        target = self.net.get(route.target)
        target_name = target.name if target is not None else route.kind
        slug = str(route.destination).replace(".", "_").replace("/", "_")
        name = f"{rt.name}_to_{target_name}" + ("" if _is_primary(self.net, route) else f"_{slug}")
        argument = {
            "peering": "vpc_peering_connection_id",
            "internet_gateway": "gateway_id",
            "nat_gateway": "nat_gateway_id",
            "transit_gateway": "transit_gateway_id",
            "network_interface": "network_interface_id",
        }[route.kind]
        target_ref = ref(route.target)
        if route.kind == "peering":
            # the accepter's id is the peering's id, and waits for the peering to be active
            target_ref = ref(f"aws_vpc_peering_connection_accepter.{_address(route.target)[1]}")
        self.resource(
            "peering.tf" if route.kind == "peering" else "network.tf",
            f"aws_route.{name}",
            provider,
            Attr("route_table_id", ref(rt.id)),
            Attr("destination_cidr_block", str(route.destination)),
            Attr(argument, target_ref),
        )

    def peering(self, pcx: PeeringConnection) -> None:
        req = self.provider_for(pcx.requester_account, pcx.requester_region)
        acc = self.provider_for(pcx.accepter_account, pcx.accepter_region)
        body: list[Node] = [
            Attr("vpc_id", ref(pcx.requester_vpc)),
            Attr("peer_vpc_id", ref(pcx.accepter_vpc)),
        ]
        if pcx.accepter_account != pcx.requester_account:
            body.append(Attr("peer_owner_id", pcx.accepter_account))
        if pcx.inter_region:
            body.append(Attr("peer_region", pcx.accepter_region))
        body.append(Attr("auto_accept", False))
        self.resource("peering.tf", pcx.id, req, *body, name_tag=pcx.name)
        accepter = f"aws_vpc_peering_connection_accepter.{pcx.name}"
        self.resource(
            "peering.tf",
            accepter,
            acc,
            Attr("vpc_peering_connection_id", ref(pcx.id)),
            Attr("auto_accept", True),
            name_tag=pcx.name,
        )
        if pcx.requester_allows_remote_dns or pcx.accepter_allows_remote_dns:
            for side, provider, allow in (
                ("requester", req, pcx.requester_allows_remote_dns),
                ("accepter", acc, pcx.accepter_allows_remote_dns),
            ):
                # each side sets its own options, with its own account's credentials
                self.resource(
                    "peering.tf",
                    f"aws_vpc_peering_connection_options.{pcx.name}_{side}",
                    provider,
                    Attr("vpc_peering_connection_id", ref(accepter)),
                    Block(side, (), [Attr("allow_remote_vpc_dns_resolution", allow)]),
                )

    # -- security ----------------------------------------------------------------------------

    def security_group(self, sg: SecurityGroup) -> None:
        if sg.is_default:
            return  # rendered with its VPC
        p = self.provider_of_vpc(sg.vpc)
        self.resource(
            "security.tf",
            sg.id,
            p,
            Attr("name", sg.name),
            Attr("description", _sg_description(sg.name)),
            Attr("vpc_id", ref(sg.vpc)),
            name_tag=sg.name,
        )
        taken: set[str] = set()
        for direction, rules in (("ingress", sg.ingress), ("egress", sg.egress)):
            for rule in rules:
                self.security_group_rule(sg, direction, rule, p, taken)

    def security_group_rule(
        self,
        sg: SecurityGroup,
        direction: str,
        rule: SecurityGroupRule,
        provider: Expr,
        taken: set[str],
    ) -> None:
        peer = rule.group or rule.prefix_list or str(rule.cidr)
        peer_resource = self.net.get(peer)
        peer_name = peer_resource.name if peer_resource is not None else peer
        ports = "all" if rule.ports is None else str(rule.ports)
        base = f"{sg.name}_{'in' if direction == 'ingress' else 'out'}_{rule.protocol}_{ports}_{peer_name}"
        base = re.sub(r"[^A-Za-z0-9_]", "_", base)
        name, n = base, 2
        while name in taken:
            name, n = f"{base}_{n}", n + 1
        taken.add(name)
        body: list[Node] = [Attr("security_group_id", ref(sg.id))]
        body.append(Attr("ip_protocol", "-1" if rule.protocol == "all" else rule.protocol))
        if rule.protocol in ("tcp", "udp"):
            low, high = (0, 65535) if rule.ports is None else (rule.ports.low, rule.ports.high)
            body += [Attr("from_port", low), Attr("to_port", high)]
        elif rule.protocol == "icmp":
            icmp_type = -1 if rule.ports is None else rule.ports.low
            body += [Attr("from_port", icmp_type), Attr("to_port", -1)]
        if rule.cidr is not None:
            body.append(Attr("cidr_ipv4", str(rule.cidr)))
        elif rule.group is not None:
            body.append(Attr("referenced_security_group_id", ref(rule.group)))
        elif rule.prefix_list is not None:
            body.append(Attr("prefix_list_id", rule.prefix_list))
        if rule.description:
            body.append(Attr("description", rule.description))
        kind = (
            "aws_vpc_security_group_ingress_rule"
            if direction == "ingress"
            else "aws_vpc_security_group_egress_rule"
        )
        self.resource("security.tf", f"{kind}.{name}", provider, *body, name_tag=name)

    # -- instances ---------------------------------------------------------------------------

    def ami_parameters(self) -> None:
        seen: set[str] = set()
        for inst in self.net.instances.values():
            vpc = self.net.vpcs[inst.vpc]
            alias = provider_alias(self.account_names[vpc.account], vpc.region)
            if alias in seen:
                continue
            seen.add(alias)
            self.blocks["instances.tf"].append(
                Block(
                    "data",
                    ("aws_ssm_parameter", f"al2023_{alias}"),
                    [
                        Attr("provider", self.provider_for(vpc.account, vpc.region)),
                        Blank(),
                        Comment("The current Amazon Linux 2023 AMI, from AWS's public parameter."),
                        Attr("name", AMI_PARAMETER),
                    ],
                )
            )

    def instance(self, inst: Instance) -> None:
        vpc = self.net.vpcs[inst.vpc]
        eni = self.net.interfaces[inst.interface]
        alias = provider_alias(self.account_names[vpc.account], vpc.region)
        workload = self.plan.workloads.get(inst.id)
        if workload is not None and workload.serves:
            template, variables = "service.sh.tftpl", service_vars(workload)
        else:
            template, variables = "client.sh.tftpl", client_vars(workload)
        self.resource(
            "instances.tf",
            inst.id,
            self.provider_of_vpc(inst.vpc),
            Attr("ami", Expr(f"data.aws_ssm_parameter.al2023_{alias}.insecure_value")),
            Attr("instance_type", self.plan.spec.instance_type),
            Attr("subnet_id", ref(inst.subnet)),
            Attr("private_ip", str(eni.private_ip)),
            Attr("vpc_security_group_ids", [ref(g) for g in eni.security_groups]),
            Attr(
                "user_data",
                Call("templatefile", (Expr(f'"${{path.module}}/templates/{template}"'), variables)),
            ),
            Block("metadata_options", (), [Attr("http_tokens", "required")]),
            name_tag=inst.name,
            # a newer AMI must not replace running instances on the next apply
            tail=(Block("lifecycle", (), [Attr("ignore_changes", [Expr("ami")])]),),
        )

    # -- PrivateLink -------------------------------------------------------------------------

    def load_balancer(self, lb: LoadBalancer) -> None:
        body: list[Node] = [
            Attr("name", aws_short_name(self.plan.spec.stack[:12], lb.name)),
            Attr("internal", lb.internal),
            Attr("load_balancer_type", lb.kind),
            Attr("subnets", [ref(s) for s in lb.subnets]),
            Attr("enable_cross_zone_load_balancing", lb.cross_zone),
        ]
        self.resource(
            "privatelink.tf", lb.id, self.provider_of_vpc(lb.vpc), *body, name_tag=lb.name
        )

    def target_group(self, tg: TargetGroup) -> None:
        p = self.provider_of_vpc(tg.vpc)
        self.resource(
            "privatelink.tf",
            tg.id,
            p,
            Attr("name", aws_short_name(self.plan.spec.stack[:12], tg.name)),
            Attr("port", tg.port),
            Attr("protocol", tg.protocol),
            Attr("target_type", tg.target_type),
            Attr("vpc_id", ref(tg.vpc)),
            name_tag=tg.name,
        )
        for target in tg.targets:
            body: list[Node] = [Attr("target_group_arn", ref(tg.id, "arn"))]
            if tg.target_type == "instance":
                label = self.net.instances[target.id].name
                body.append(Attr("target_id", ref(target.id)))
            else:
                owner = self.ip_owner.get(IPv4Address(target.id))
                label = self.net.instances[owner].name if owner else target.id.replace(".", "_")
                body.append(Attr("target_id", ref(owner, "private_ip") if owner else target.id))
            body.append(Attr("port", target.port or tg.port))
            if target.availability_zone:
                body.append(Attr("availability_zone", target.availability_zone))
            self.resource(
                "privatelink.tf", f"aws_lb_target_group_attachment.{tg.name}_{label}", p, *body
            )

    def listener(self, listener: Listener) -> None:
        lb = self.net.load_balancers[listener.load_balancer]
        body: list[Node] = [
            Attr("load_balancer_arn", ref(lb.id, "arn")),
            Attr("port", listener.port),
            Attr("protocol", listener.protocol),
        ]
        if lb.idle_timeout is not None and listener.protocol == "TCP":
            body.append(Attr("tcp_idle_timeout_seconds", lb.idle_timeout))
        assert listener.target_group is not None
        body += [
            Block(
                "default_action",
                (),
                [
                    Attr("type", "forward"),
                    Attr("target_group_arn", ref(listener.target_group, "arn")),
                ],
            )
        ]
        self.resource(
            "privatelink.tf",
            listener.id,
            self.provider_of_vpc(lb.vpc),
            *body,
            name_tag=listener.name,
        )

    def endpoint_service(self, svc: EndpointService) -> None:
        body: list[Node] = [
            Attr("acceptance_required", svc.acceptance_required),
            Attr("network_load_balancer_arns", [ref(lb, "arn") for lb in svc.load_balancers]),
            Attr("allowed_principals", list(svc.allowed_principals)),
        ]
        if svc.supported_regions:
            body.append(Attr("supported_regions", list(svc.supported_regions)))
        p = self.provider_for(svc.account, svc.region)
        self.resource("privatelink.tf", svc.id, p, *body, name_tag=svc.name)

    def vpc_endpoint(self, endpoint: VpcEndpoint) -> None:
        service = self.net.endpoint_service_by_name.get(endpoint.service_name)
        service_name = ref(service.id, "service_name") if service else endpoint.service_name
        body: list[Node] = [
            Attr("vpc_id", ref(endpoint.vpc)),
            Attr("service_name", service_name),
            Attr("vpc_endpoint_type", endpoint.type),
            Attr("subnet_ids", [ref(s) for s in endpoint.subnets]),
            Attr("security_group_ids", [ref(g) for g in endpoint.security_groups]),
            Attr("private_dns_enabled", endpoint.private_dns),
        ]
        if endpoint.service_region:
            body.append(Attr("service_region", endpoint.service_region))
        p = self.provider_of_vpc(endpoint.vpc)
        self.resource("privatelink.tf", endpoint.id, p, *body, name_tag=endpoint.name)
        if service is not None and service.acceptance_required:
            self.resource(
                "privatelink.tf",
                f"aws_vpc_endpoint_connection_accepter.{endpoint.name}",
                self.provider_for(service.account, service.region),
                Attr("vpc_endpoint_service_id", ref(service.id)),
                Attr("vpc_endpoint_id", ref(endpoint.id)),
            )

    # -- outputs -----------------------------------------------------------------------------

    def outputs(self) -> None:
        net = self.net
        outputs: list[tuple[str, str, dict[str, object]]] = [
            (
                "endpoint_dns_names",
                "Regional DNS name of each interface endpoint: what consumers call.",
                {e.name: ref(e.id, "dns_entry[0].dns_name") for e in net.endpoints.values()},
            ),
            (
                "endpoint_service_names",
                "Service name of each endpoint service, for consumers' endpoints.",
                {s.name: ref(s.id, "service_name") for s in net.endpoint_services.values()},
            ),
            (
                "peering_connection_ids",
                "VPC peering connection ids.",
                {p.name: ref(p.id) for p in net.peerings.values()},
            ),
            (
                "instance_private_ips",
                "Private addresses of the sample instances.",
                {
                    i.name: str(net.interfaces[i.interface].private_ip)
                    for i in net.instances.values()
                },
            ),
            ("vpc_ids", "VPC ids.", {v.name: ref(v.id) for v in net.vpcs.values()}),
        ]
        for name, description, value in outputs:
            if value:
                self.blocks["outputs.tf"].append(
                    Block(
                        "output",
                        (name,),
                        [
                            Attr("description", description),
                            Attr("value", value),
                        ],
                    )
                )


def _is_primary(net: Network, route: Route) -> bool:
    """Whether a route goes to its target's primary block (no suffix in its name)."""
    if route.kind != "peering":
        return True
    pcx = net.peerings[route.target]
    primaries = {c[0] for c in (pcx.requester_cidrs, pcx.accepter_cidrs) if c}
    return route.destination in primaries


def _sg_description(name: str) -> str:
    if name.endswith("_endpoint"):
        return f"Interface endpoint {name.removesuffix('_endpoint')}: admits its consumers on the service ports"
    if name.endswith("_targets"):
        return f"Targets of service {name.removesuffix('_targets')}: admit only the load balancer or consumers"
    if name.endswith("_workload"):
        return f"Workloads of VPC {name.removesuffix('_workload')}: what they may call and who may call them"
    return f"Managed by vpcwire ({name})"
