from __future__ import annotations

from collections.abc import Iterator

from vpcwire.plan.facts import az_in_region
from vpcwire.rules.base import Finding, NetworkView, Rule, RuleContext


class AzNotInRegion(Rule):
    id = "VW-E103"
    title = "Availability zone outside the VPC's region"
    description = (
        "A VPC lives in one region and its subnets in that region's AZs; an AZ of another "
        "region makes CreateSubnet fail. In a spec it is a copy-paste slip; in Terraform it "
        "is the sign of swapped provider aliases: the subnet's provider (the VPC's) points at "
        "another region than the AZ."
    )
    url = (
        "https://docs.aws.amazon.com/AWSEC2/latest/UserGuide/using-regions-availability-zones.html"
    )
    fix = "use an AZ of the VPC's region, e.g. <region>a"
    stage = "network"
    judges_networks = True
    depends = frozenset({"az", "az_id", "region"})
    early_on_spec = True

    def check_spec_early(self, ctx: RuleContext) -> Iterator[Finding]:
        """The spec's own AZs (``azs:`` or explicit subnets), for a spec that will not be
        planned because of another, independent error: both are reported in one run."""
        for name, vpc in ctx.spec.vpcs.items():
            placed: list[tuple[tuple[str | int, ...], str]] = [
                (("vpcs", name, "azs", i), az) for i, az in enumerate(vpc.azs or ())
            ]
            if vpc.subnets is not None:
                for tier in ("private", "public"):
                    for i, subnet in enumerate(getattr(vpc.subnets, tier)):
                        placed.append((("vpcs", name, "subnets", tier, i, "az"), subnet.az))
            for path, az in placed:
                if not az_in_region(az, vpc.region):
                    yield self.finding(
                        ctx,
                        path,
                        f"AZ {az!r} is not in VPC {name}'s region {vpc.region}",
                        f"use an AZ of {vpc.region} such as {vpc.region}a, or move the VPC to "
                        "the AZ's region",
                    )

    def judge(self, view: NetworkView) -> Iterator[Finding]:
        net = view.network
        seen: set[str] = set()
        for subnet in net.subnets.values():
            vpc = net.vpcs.get(subnet.vpc)
            if vpc is None or az_in_region(subnet.az, vpc.region) or subnet.az_id:
                continue
            if view.scanned:
                message = (
                    f"AZ {subnet.az!r} is not in region {vpc.region} of the provider that creates "
                    f"VPC {view.name(vpc)} (AWS refuses it: InvalidParameterValue: Value "
                    f"({subnet.az}) for parameter availabilityZone is invalid)"
                )
                fix = (
                    f"check the provider aliases: give this subnet and its VPC the provider of "
                    f"{subnet.az[:-1]}, or use an AZ of {vpc.region} such as {vpc.region}a"
                )
            else:
                message = f"AZ {subnet.az!r} is not in VPC {vpc.name}'s region {vpc.region}"
                fix = (
                    f"use an AZ of {vpc.region} such as {vpc.region}a, or move the VPC to the "
                    "AZ's region"
                )
            found = self.finding_on(view, subnet, message, fix, field="az")
            if found.path not in seen:
                seen.add(found.path)
                yield found
