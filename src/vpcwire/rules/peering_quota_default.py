from __future__ import annotations

from collections.abc import Iterator

from vpcwire.plan.facts import PEERINGS_PER_VPC_DEFAULT, PEERINGS_PER_VPC_MAX, URL_QUOTAS
from vpcwire.rules.base import Finding, NetworkView, Rule
from vpcwire.rules.peering_quota_exceeded import peering_counts


class PeeringQuotaDefault(Rule):
    id = "VW-W502"
    title = f"More peerings on one VPC than the default quota ({PEERINGS_PER_VPC_DEFAULT})"
    description = (
        f"Active peerings per VPC default to {PEERINGS_PER_VPC_DEFAULT} (adjustable up to "
        f"{PEERINGS_PER_VPC_MAX}). The apply fails at the first peering past the quota unless "
        "the increase was granted beforehand, in every account involved. At this size a "
        "Transit Gateway (one attachment per VPC, $0.05 per attachment-hour) is usually the "
        "better design: it turns n(n-1)/2 peerings into n attachments."
    )
    url = URL_QUOTAS
    fix = (
        "request a quota increase (Service Quotas: 'Active VPC peering connections per VPC') "
        "before applying, or move these VPCs to a Transit Gateway"
    )
    stage = "network"

    judges_networks = True

    def judge(self, view: NetworkView) -> Iterator[Finding]:
        net = view.network
        for vpc, count in peering_counts(net).items():
            if PEERINGS_PER_VPC_DEFAULT < count <= PEERINGS_PER_VPC_MAX and vpc in net.vpcs:
                yield self.finding_on(
                    view,
                    net.vpcs[vpc],
                    f"VPC {view.name(net.vpcs[vpc])} needs {count} peerings, over the default quota "
                    f"of {PEERINGS_PER_VPC_DEFAULT}",
                )
