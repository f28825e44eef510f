from __future__ import annotations

from collections.abc import Iterator

from vpcwire.plan.facts import az_in_region
from vpcwire.plan.rules.base import Finding, Rule, RuleContext


class AzNotInRegion(Rule):
    id = "VW-E103"
    title = "Availability zone outside the VPC's region"
    description = (
        "A VPC lives in one region and its subnets in that region's AZs; an AZ of another "
        "region (often a copy-paste slip) makes CreateSubnet fail."
    )
    url = (
        "https://docs.aws.amazon.com/AWSEC2/latest/UserGuide/using-regions-availability-zones.html"
    )
    fix = "use an AZ of the VPC's region, e.g. <region>a"

    def check(self, ctx: RuleContext) -> Iterator[Finding]:
        for name, vpc in ctx.spec.vpcs.items():
            places: list[tuple[tuple[str | int, ...], str]] = []
            if vpc.azs is not None:
                places = [(("vpcs", name, "azs", i), az) for i, az in enumerate(vpc.azs)]
            elif vpc.subnets is not None:
                for tier in ("private", "public"):
                    places += [
                        (("vpcs", name, "subnets", tier, i, "az"), s.az)
                        for i, s in enumerate(getattr(vpc.subnets, tier))
                    ]
            for path, az in places:
                if not az_in_region(az, vpc.region):
                    yield self.finding(
                        ctx,
                        path,
                        f"AZ {az!r} is not in VPC {name}'s region {vpc.region}",
                        f"use an AZ of {vpc.region} such as {vpc.region}a, or move the VPC "
                        "to the AZ's region",
                    )
