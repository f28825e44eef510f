"""instances.tf: the sample workload's instances and the AMI they boot."""

from __future__ import annotations

from vpcwire.network import Instance
from vpcwire.render.base import RendererBase, is_existing, provider_alias, ref
from vpcwire.render.hcl import Attr, Blank, Block, Call, Comment, Expr, Node
from vpcwire.render.workloads import client_vars, endpoint_tag_key, service_vars

AMI_PARAMETER = "/aws/service/ami-amazon-linux-latest/al2023-ami-kernel-default-x86_64"

__all__ = ["InstanceBlocks"]


class InstanceBlocks(RendererBase):
    def ami_parameters(self) -> None:
        seen: set[str] = set()
        for inst in self.net.instances.values():
            if is_existing(inst.id):
                continue
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
        if is_existing(inst.id):
            return
        vpc = self.net.vpcs[inst.vpc]
        eni = self.net.interfaces[inst.interface]
        alias = provider_alias(self.account_names[vpc.account], vpc.region)
        workload = self.plan.workloads.get(inst.id)
        if workload is not None and workload.serves:
            template, variables = "service.sh.tftpl", service_vars(workload)
        else:
            template, variables = "client.sh.tftpl", client_vars(workload)
        # endpoint DNS names reach the client as instance tags (see client.sh.tftpl), which it
        # reads from instance metadata: only such clients expose their tags there
        tagged = [c for c in (workload.calls if workload else ()) if c.endpoint is not None]
        metadata: list[Node] = [Attr("http_tokens", "required")]
        ignored: list[object] = [Expr("ami")]
        if tagged:
            metadata.append(Attr("instance_metadata_tags", "enabled"))
            # the aws_ec2_tag resources own these keys: the instance must not remove them
            for call in tagged:
                key = endpoint_tag_key(call)
                ignored += [Expr(f'tags["{key}"]'), Expr(f'tags_all["{key}"]')]
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
            Block("metadata_options", (), metadata),
            name_tag=inst.name,
            # what vpcwire made it for; the live reader reads it back as Instance.role
            tags={"vpcwire:role": inst.role} if inst.role else None,
            # a newer AMI must not replace running instances on the next apply
            tail=(Block("lifecycle", (), [Attr("ignore_changes", ignored)]),),
        )
        for call in tagged:
            assert call.endpoint is not None
            key = endpoint_tag_key(call)
            _, inst_name = inst.id.split(".", 1)
            self.resource(
                "instances.tf",
                f"aws_ec2_tag.{inst_name}_{key.replace('-', '_')}",
                self.provider_of_vpc(inst.vpc),
                Comment(
                    "The endpoint's DNS name, for the client to read at run time: the instance\n"
                    "boots without waiting for the endpoint."
                ),
                Attr("resource_id", ref(inst.id)),
                Attr("key", key),
                Attr("value", ref(call.endpoint, "dns_entry[0].dns_name")),
            )
