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

from vpcwire.network import kind_of
from vpcwire.render.base import RenderedFiles, provider_alias, ref
from vpcwire.render.hcl import Attr, Blank, Block, Comment, Expr, dumps
from vpcwire.render.instance_blocks import InstanceBlocks
from vpcwire.render.network_blocks import NetworkBlocks
from vpcwire.render.privatelink_blocks import PrivateLinkBlocks
from vpcwire.render.security_blocks import SecurityBlocks
from vpcwire.render.transit_blocks import TransitBlocks

__all__ = ["PROVIDER_CONSTRAINT", "RenderedFiles", "Renderer", "provider_alias", "ref"]

# >= 5.83: aws_vpc_endpoint.service_region (native cross-region PrivateLink); < 6: the HCL
# here is written for the 5.x schema.
PROVIDER_CONSTRAINT = ">= 5.83, < 6.0"

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
    "transit.tf": "Transit Gateways: one per region, shared with other accounts through RAM,\n"
    "attachments, route tables per segment with their associations and propagations, TGW\n"
    "peerings between regions with static routes, and the VPC routes to the gateways.",
    "outputs.tf": "What consumers need: endpoint DNS names, service names, peering ids, addresses.",
    "variables.tf": "The existing resources this configuration connects, as inputs: each defaults\n"
    "to the id vpcwire read, and a team calling this as a module passes its own.\n"
    "Nothing here manages them; only the connection's resources are created.",
}


class Renderer(NetworkBlocks, SecurityBlocks, InstanceBlocks, PrivateLinkBlocks, TransitBlocks):
    """The walk: one call per resource, in the order people read a network."""

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
        for gateway in net.transit_gateways.values():
            self.transit_gateway(gateway)
        for share in net.resource_shares.values():
            self.resource_share(share)
        for attachment in net.tgw_attachments.values():
            self.tgw_attachment(attachment)
        for table in net.tgw_route_tables.values():
            self.tgw_route_table(table)
        for rt in net.route_tables.values():
            self.transit_routes(rt)
        self.outputs()
        self.variables()
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
            out.resources.extend(
                ".".join(b.labels) for b in blocks if isinstance(b, Block) and b.type == "resource"
            )
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

    # -- inputs: the existing resources -----------------------------------------------------------

    def variables(self) -> None:
        """One input per existing resource the rendered blocks refer to."""
        text = "\n".join(dumps([b]) for blocks in self.blocks.values() for b in blocks)
        used = set(re.findall(r"\bvar\.([A-Za-z0-9_]+)", text))
        for planned, aws_id in sorted(self.plan.existing.items()):
            name = planned.removeprefix("var.")
            if name not in used:
                continue
            resource = self.net.get(planned)
            what = kind_of(resource).replace("_", " ") if resource is not None else "resource"
            label = f" {resource.name}" if resource is not None and resource.name else ""
            self.blocks["variables.tf"].append(
                Block(
                    "variable",
                    (name,),
                    [
                        Attr("description", f"Existing {what}{label} ({aws_id})"),
                        Attr("type", Expr("string")),
                        Attr("default", aws_id),
                    ],
                )
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
                "transit_gateway_ids",
                "Transit Gateway ids, by name.",
                {g.name: ref(g.id) for g in net.transit_gateways.values()},
            ),
            (
                "instance_private_ips",
                "Private addresses of the sample instances.",
                {
                    i.name: str(net.interfaces[i.interface].private_ip)
                    for i in net.instances.values()
                    if not i.id.startswith("var.")
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
