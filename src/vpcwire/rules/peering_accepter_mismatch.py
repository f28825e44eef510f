from __future__ import annotations

from collections.abc import Iterator

from vpcwire.network.unknown import is_known, same_account
from vpcwire.rules.base import Finding, NetworkView, Rule


class PeeringAccepterMismatch(Rule):
    id = "VW-E206"
    title = "Peering asks for the accepter VPC in the wrong region or account"
    description = (
        "A peering request names the accepter VPC's region (peer_region) and account "
        "(peer_owner_id); both default to the requester's. If they do not say where the "
        "accepter VPC really is, AWS looks for the VPC in the wrong place and the peering "
        "fails (InvalidVpcID.NotFound), so no route through it ever works."
    )
    url = "https://docs.aws.amazon.com/vpc/latest/peering/create-vpc-peering-connection.html"
    fix = "set peer_region and peer_owner_id to the accepter VPC's region and account"
    stage = "network"
    judges_networks = True
    # accounts are compared with same_account (stand-ins compare as they should)
    depends = frozenset({"accepter_region", "region"})

    def judge(self, view: NetworkView) -> Iterator[Finding]:
        net = view.network
        for pcx in net.peerings.values():
            acc = net.vpcs.get(pcx.accepter_vpc)
            if acc is None:
                continue
            wrong = []
            # Only what is known on both sides: an unknown account (a provider that does not
            # say it) or region proves no mismatch.
            region_known = is_known(acc, "region") and is_known(pcx, "accepter_region")
            if region_known and acc.region != pcx.accepter_region:
                wrong.append(f"region {pcx.accepter_region} (the VPC is in {acc.region})")
            accounts_differ = same_account(acc.account, pcx.accepter_account) is False
            if accounts_differ:
                wrong.append(f"account {pcx.accepter_account} (the VPC is in {acc.account})")
            if not wrong:
                continue
            yield self.finding_on(
                view,
                pcx,
                f"peering {view.name(pcx)} looks for accepter VPC {view.name(acc)} in "
                + " and ".join(wrong)
                + ": AWS fails the request with InvalidVpcID.NotFound",
                "set "
                + " and ".join(
                    [f'peer_region = "{acc.region}"'] * (acc.region != pcx.accepter_region)
                    + [f'peer_owner_id = "{acc.account}"'] * accounts_differ
                )
                + f" on {view.name(pcx)}",
            )
