"""instances.tf: the sample workload's instances and the AMI they boot."""

from __future__ import annotations

from vpcwire.network import Instance
from vpcwire.render.base import RendererBase, provider_alias, ref
from vpcwire.render.hcl import Attr, Blank, Block, Call, Comment, Expr
from vpcwire.render.workloads import client_vars, service_vars

AMI_PARAMETER = "/aws/service/ami-amazon-linux-latest/al2023-ami-kernel-default-x86_64"

__all__ = ["InstanceBlocks"]


class InstanceBlocks(RendererBase):
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
            # what vpcwire made it for; the live reader reads it back as Instance.role
            tags={"vpcwire:role": inst.role} if inst.role else None,
            # a newer AMI must not replace running instances on the next apply
            tail=(Block("lifecycle", (), [Attr("ignore_changes", [Expr("ami")])]),),
        )
