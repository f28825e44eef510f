"""Names that must be unique per account and region, checked against other stacks.

NLB and target group names carry a hash of the full stack name (plan/naming.py), so two
stacks collide only if both the readable prefix and the hash agree — possible, not likely.
`plan` checks the names against every other stack applied from this directory
(``.vpcwire/*/*/vpcwire-target.json`` records which names each one uses, and where), and
`up` checks them on the target itself before applying, so the collision is reported before
terraform creates two dozen resources and then fails on the name.
"""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path

from vpcwire.deploy.inventory import STACK_TAG, Place
from vpcwire.deploy.target_record import RECORD_NAME, read_record
from vpcwire.errors import DeployError
from vpcwire.plan.naming import stack_scoped_name
from vpcwire.plan.plan import Plan

__all__ = ["aws_names", "names_taken_on_target", "recorded_collisions"]


def aws_names(plan: Plan) -> tuple[str, ...]:
    """The stack's NLB and target group names, as rendered."""
    stack = plan.spec.stack
    net = plan.network
    resources = [*net.load_balancers.values(), *net.target_groups.values()]
    return tuple(sorted({stack_scoped_name(stack, r.name) for r in resources}))


def recorded_collisions(plan: Plan, root: Path = Path(".vpcwire")) -> list[str]:
    """Warnings for names another stack applied from ``root`` already uses."""
    mine = set(aws_names(plan))
    if not mine or not root.is_dir():
        return []
    warnings = []
    for path in sorted(root.glob(f"*/*/{RECORD_NAME}")):
        record = read_record(path.parent)
        if record is None or record.stack == plan.spec.stack:
            continue
        for name in sorted(mine & set(record.aws_names)):
            warnings.append(
                f"name {name} (an NLB or target group of stack {plan.spec.stack}) is also used "
                f"by stack {record.stack}, applied to {record.describe()} from {path.parent}: "
                "in the same account and region the second `up` would fail\n"
                "    fix: rename one of the stacks (`name:` in the spec)"
            )
    return warnings


def names_taken_on_target(plan: Plan, places: Iterable[Place]) -> list[str]:
    """NLBs and target groups on the target with the stack's names but another stack's tag."""
    from botocore.exceptions import BotoCoreError, ClientError

    mine = set(aws_names(plan))
    if not mine:
        return []
    taken = []
    for place in places:
        elb = place.client("elbv2")
        try:
            found = [
                (lb["LoadBalancerName"], lb["LoadBalancerArn"])
                for page in elb.get_paginator("describe_load_balancers").paginate()
                for lb in page["LoadBalancers"]
            ] + [
                (tg["TargetGroupName"], tg["TargetGroupArn"])
                for page in elb.get_paginator("describe_target_groups").paginate()
                for tg in page["TargetGroups"]
            ]
            clashing = [(n, arn) for n, arn in found if n in mine]
            for name, arn in clashing:
                (desc,) = elb.describe_tags(ResourceArns=[arn])["TagDescriptions"]
                owner = {t["Key"]: t["Value"] for t in desc.get("Tags", [])}.get(STACK_TAG)
                if owner != plan.spec.stack:
                    taken.append(
                        f"{name} in {place.account} {place.region} belongs to "
                        + (f"stack {owner}" if owner else "a resource vpcwire did not create")
                        + f" ({arn})"
                    )
        except (ClientError, BotoCoreError) as error:
            raise DeployError(
                f"cannot list load balancers in {place.account} {place.region}",
                detail=str(error),
            ) from error
    return taken
