from __future__ import annotations

from collections.abc import Iterator

from vpcwire.network import Network
from vpcwire.plan.facts import PEERINGS_PER_VPC_DEFAULT, PEERINGS_PER_VPC_MAX, URL_QUOTAS
from vpcwire.rules.base import Finding, NetworkView, Rule

_GONE = {"failed", "rejected", "expired", "deleted", "deleting"}


def peering_counts(net: Network) -> dict[str, int]:
    """Live or pending peerings per VPC id (failed, rejected or deleted ones hold no quota)."""
    return {
        vpc: sum(1 for p in pcxs if p.status not in _GONE)
        for vpc, pcxs in net.peerings_of_vpc.items()
    }


class PeeringQuotaExceeded(Rule):
    id = "VW-E501"
    title = f"More peerings on one VPC than AWS allows at all ({PEERINGS_PER_VPC_MAX})"
    description = (
        f"A VPC can have at most {PEERINGS_PER_VPC_DEFAULT} active peering connections by "
        f"default, raised on request to no more than {PEERINGS_PER_VPC_MAX}. A full mesh of n "
        "VPCs gives each n-1 peerings, so past 126 VPCs no quota increase helps: the VPCs must "
        "meet at a Transit Gateway (one attachment each) instead."
    )
    url = URL_QUOTAS
    fix = "connect these VPCs through a Transit Gateway instead of peering each pair"
    stage = "network"

    judges_networks = True

    def judge(self, view: NetworkView) -> Iterator[Finding]:
        net = view.network
        for vpc, count in peering_counts(net).items():
            if count > PEERINGS_PER_VPC_MAX and vpc in net.vpcs:
                yield self.finding_on(
                    view,
                    net.vpcs[vpc],
                    f"VPC {view.name(net.vpcs[vpc])} needs {count} peerings; AWS allows at most "
                    f"{PEERINGS_PER_VPC_MAX} even with a quota increase",
                )
