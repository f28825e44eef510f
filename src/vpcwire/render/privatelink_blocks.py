"""privatelink.tf: NLBs, target groups and attachments, listeners, endpoint services, endpoints."""

from __future__ import annotations

from ipaddress import IPv4Address

from vpcwire.network import EndpointService, Listener, LoadBalancer, TargetGroup, VpcEndpoint
from vpcwire.plan.naming import stack_scoped_name
from vpcwire.render.base import RendererBase, ref
from vpcwire.render.hcl import Attr, Block, Node

__all__ = ["PrivateLinkBlocks"]


class PrivateLinkBlocks(RendererBase):
    def load_balancer(self, lb: LoadBalancer) -> None:
        body: list[Node] = [
            Attr("name", stack_scoped_name(self.plan.spec.stack, lb.name)),
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
            Attr("name", stack_scoped_name(self.plan.spec.stack, tg.name)),
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
