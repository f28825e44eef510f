"""Names of planned resources: Terraform addresses that are also Name tags.

A planned resource's id is ``<terraform type>.<name>`` and its Name tag is ``<name>``, so
the reader of a trace, of the rendered Terraform and of the AWS console sees one word for
one thing. AWS-side names with stricter alphabets (load balancers, target groups: 32
characters of letters, digits and hyphens) are derived here too, stably.
"""

from __future__ import annotations

import hashlib
import re
from typing import Literal

__all__ = [
    "ImplicitKind",
    "aws_short_name",
    "implicit_name",
    "region_slug",
    "stack_scoped_name",
    "tf_id",
]

ImplicitKind = Literal["main_route_table", "default_network_acl", "default_security_group"]
_IMPLICIT_SUFFIX: dict[str, str] = {
    "main_route_table": "main",
    "default_network_acl": "default",
    "default_security_group": "default",
}


def tf_id(resource_type: str, name: str) -> str:
    return f"{resource_type}.{name}"


def region_slug(region: str) -> str:
    return region.replace("-", "_")


def aws_short_name(*parts: str, limit: int = 32) -> str:
    """A load-balancer-safe name: [A-Za-z0-9-], at most ``limit`` characters, stable.

    Too-long names keep their start and gain a short hash of the whole, so two long names
    that share a prefix still differ.
    """
    raw = "-".join(parts)
    name = re.sub(r"[^A-Za-z0-9-]+", "-", raw).strip("-")
    name = re.sub(r"-{2,}", "-", name)
    if name.lower().startswith("internal-"):
        name = "x" + name
    if len(name) <= limit:
        return name
    digest = hashlib.sha256(raw.encode()).hexdigest()[:6]
    return f"{name[: limit - 7].rstrip('-')}-{digest}"


def stack_scoped_name(stack: str, name: str, *, limit: int = 32) -> str:
    """An AWS name unique per account and region (NLB, target group) for ``name`` in ``stack``.

    ``<stack start>-<hash of the full stack name>-<name>``, at most ``limit`` characters of
    [A-Za-z0-9-]. The hash covers the whole stack name, so two stacks whose names share a
    long prefix (or differ only in characters AWS does not allow) still get different names;
    the readable stack prefix shrinks first, then the resource name (which keeps a hash of
    itself when cut, see :func:`aws_short_name`).
    """
    digest = hashlib.sha256(stack.encode()).hexdigest()[:6]
    readable = re.sub(r"[^A-Za-z0-9]+", "", stack)[:8] or "s"
    if readable.lower().startswith("internal"):
        readable = "x" + readable[:7]
    prefix = f"{readable}-{digest}"
    room = limit - len(prefix) - 1
    return f"{prefix}-{aws_short_name(name, limit=room)}"


def implicit_name(vpc_name: str, kind: ImplicitKind) -> str:
    """The name of a resource AWS creates with every VPC (main route table, default ACL and
    security group). The planner gives it this name and the reader reads an untagged one
    under it, so planned and observed match up."""
    return f"{vpc_name}_{_IMPLICIT_SUFFIX[kind]}"
