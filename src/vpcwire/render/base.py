"""What every block renderer shares: the plan, the providers in use, how a resource is laid out.

Planned ids are Terraform expressions already (see plan/plan.py), so a reference to another
resource is ``ref(id)``: ``aws_vpc.app`` -> ``aws_vpc.app.id``; a main route table's id,
``aws_vpc.app.main_route_table_id``, is used as it is.
"""

from __future__ import annotations

import re
from collections import defaultdict
from dataclasses import dataclass, field
from typing import Literal

from vpcwire.network import Network
from vpcwire.plan.naming import region_slug
from vpcwire.plan.plan import Plan
from vpcwire.render.hcl import Attr, Blank, Block, Comment, Expr, Node

__all__ = [
    "FileName",
    "RenderedFiles",
    "RendererBase",
    "address",
    "is_existing",
    "provider_alias",
    "ref",
]

_SIMPLE_ADDRESS = re.compile(r"^aws_[a-z0-9_]+\.[A-Za-z0-9_-]+$")

FileName = Literal[
    "versions.tf",
    "providers.tf",
    "network.tf",
    "security.tf",
    "instances.tf",
    "peering.tf",
    "privatelink.tf",
    "transit.tf",
    "outputs.tf",
    "variables.tf",
]


def is_existing(resource_id: str) -> bool:
    """A resource that exists already (plan/passes/adopt_existing): an input variable,
    referred to, never rendered as a resource of ours."""
    return resource_id.startswith("var.")


def ref(resource_id: str, attribute: str = "id") -> Expr:
    """The expression for a planned resource's attribute (its id by default)."""
    if _SIMPLE_ADDRESS.match(resource_id):
        return Expr(f"{resource_id}.{attribute}")
    return Expr(resource_id)


def address(resource_id: str) -> tuple[str, str]:
    kind, _, name = resource_id.partition(".")
    return kind, name


def provider_alias(account_name: str, region: str) -> str:
    return f"{account_name}_{region_slug(region)}".replace("-", "_")


@dataclass
class RenderedFiles:
    """File name -> content, for a directory, and the Terraform resource addresses in it.

    ``resources`` is what a first ``terraform apply`` creates (vpcwire renders no ``count``
    or ``for_each``, so one block is one resource): ``vpcwire plan`` prints its length so the
    figure matches the "N added" of ``vpcwire up``.
    """

    files: dict[str, str] = field(default_factory=dict)
    resources: list[str] = field(default_factory=list)

    @property
    def resource_count(self) -> int:
        return len(self.resources)


class RendererBase:
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
        tags: dict[str, str] | None = None,
        tail: tuple[Node, ...] = (),
    ) -> Block:
        """A resource block laid out the way the Terraform style guide does: the provider
        meta-argument, then arguments (tags last), then nested blocks, then lifecycle and
        depends_on."""
        kind, name = address(resource_id)
        arguments = [n for n in body if isinstance(n, Attr | Comment)]
        nested = [n for n in body if isinstance(n, Block)]
        if name_tag is not None:
            arguments.append(Attr("tags", {"Name": name_tag, **(tags or {})}))
        block = Block("resource", (kind, name), [Attr("provider", provider), Blank(), *arguments])
        for item in nested:
            block.add(Blank(), item)
        if tail:
            block.add(Blank(), *tail)
        self.blocks[file].append(block)
        return block
