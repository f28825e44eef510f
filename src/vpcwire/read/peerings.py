"""VPC peering connections, seen from both sides and merged into one.

A peering is listed by DescribeVpcPeeringConnections in the requester's account and region
*and* in the accepter's. The two views can differ: each side's tags are its own, each side
is the authority on its own ``PeeringOptions``, and right after a change one view may lag
(moto shows ``initiating-request`` on one side while the other says
``pending-acceptance``). So, per id:

* each side's VPC, owner, region, CIDR blocks and ``AllowDnsResolutionFromRemoteVpc`` come
  from the view read in that side's own account and region when we have it, else from the
  other view;
* the status is the furthest along of the views (terminal > active > provisioning >
  pending-acceptance > initiating-request);
* the name is the requester view's Name tag, else the accepter's.

CIDR blocks are the view's ``CidrBlockSet`` (every associated block); where a response has
only ``CidrBlock`` (moto does that) and the VPC itself was read, the VPC's blocks are used.
Deleted peerings, which AWS keeps listing for a while, are left out.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from ipaddress import IPv4Network
from typing import Any

from vpcwire.network import NetworkBuilder, PeeringConnection
from vpcwire.read.convert import Raw, add_new, name_of, network, tags_of
from vpcwire.read.snapshot import Snapshot, Unit
from vpcwire.read.tasks import Scheduler

__all__ = ["discover", "map_peerings", "peer_pairs"]

_RANK = {
    "initiating-request": 0,
    "pending-acceptance": 1,
    "provisioning": 2,
    "active": 3,
    "deleting": 4,
    "rejected": 4,
    "failed": 4,
    "expired": 4,
    "deleted": 5,
}
_SKIPPED = {"deleted"}


def discover(sched: Scheduler, unit: Unit) -> None:
    """First round, with the VPCs: peerings decide which untagged peer VPCs to read too."""
    sched.list_all(
        unit,
        "peerings",
        unit.ec2,
        "describe_vpc_peering_connections",
        unit.snap.peerings.extend,
        "peering connections seen from there are not in the network",
    )


def peer_pairs(snapshots: Iterable[Snapshot]) -> Iterable[tuple[str, str]]:
    """(requester VPC, accepter VPC) of every live peering any snapshot sees."""
    for snap in snapshots:
        for raw in snap.peerings:
            if _status(raw) not in _SKIPPED:
                yield (
                    raw.get("RequesterVpcInfo", {}).get("VpcId", ""),
                    raw.get("AccepterVpcInfo", {}).get("VpcId", ""),
                )


@dataclass(frozen=True, slots=True)
class _View:
    raw: Raw
    account: str
    region: str

    def info(self, side: str) -> Mapping[str, Any]:
        info: Mapping[str, Any] = self.raw.get(f"{side}VpcInfo") or {}
        return info

    def is_own(self, side: str) -> bool:
        """Was this view read in ``side``'s own account and region?"""
        info = self.info(side)
        return (
            info.get("OwnerId") == self.account and info.get("Region", self.region) == self.region
        )


def map_peerings(snapshots: Iterable[Snapshot], b: NetworkBuilder) -> None:
    views: dict[str, list[_View]] = {}
    for snap in snapshots:
        for raw in snap.peerings:
            views.setdefault(raw["VpcPeeringConnectionId"], []).append(
                _View(raw, snap.account, snap.region)
            )
    selected = {v for snap in snapshots for v in snap.selected}
    for pcx_id, seen in views.items():
        status = max((_status(v.raw) for v in seen), key=lambda s: _RANK.get(s, 0))
        if status in _SKIPPED:
            continue
        req, acc = _side(seen, "Requester"), _side(seen, "Accepter")
        if not {req.info("Requester").get("VpcId"), acc.info("Accepter").get("VpcId")} & selected:
            continue
        add_new(b, _merge(pcx_id, status, req, acc, b))


def _status(raw: Raw) -> str:
    return str((raw.get("Status") or {}).get("Code", "active"))


def _side(seen: list[_View], side: str) -> _View:
    return next((v for v in seen if v.is_own(side)), seen[0])


def _merge(
    pcx_id: str, status: str, req: _View, acc: _View, b: NetworkBuilder
) -> PeeringConnection:
    r, a = req.info("Requester"), acc.info("Accepter")
    # A response without Region is a same-region peering: the view's region is the answer.
    r_region = r.get("Region") or req.region
    a_region = a.get("Region") or acc.region
    name = name_of(tags_of(req.raw)) or name_of(tags_of(acc.raw))
    return PeeringConnection(
        pcx_id,
        name,
        requester_vpc=r.get("VpcId", ""),
        accepter_vpc=a.get("VpcId", ""),
        requester_account=r.get("OwnerId", ""),
        accepter_account=a.get("OwnerId", ""),
        requester_region=r_region,
        accepter_region=a_region,
        status=status,
        requester_cidrs=_cidrs(r, b),
        accepter_cidrs=_cidrs(a, b),
        requester_allows_remote_dns=_allows_dns(r),
        accepter_allows_remote_dns=_allows_dns(a),
    )


def _cidrs(info: Mapping[str, Any], b: NetworkBuilder) -> tuple[IPv4Network, ...]:
    blocks = [network(c.get("CidrBlock")) for c in info.get("CidrBlockSet") or ()]
    found = tuple(c for c in blocks if c is not None)
    if found:
        return found
    vpc = b.get_or_none("vpc", info.get("VpcId", ""))
    if vpc is not None:
        return tuple(vpc.cidrs)
    primary = network(info.get("CidrBlock"))
    return (primary,) if primary is not None else ()


def _allows_dns(info: Mapping[str, Any]) -> bool:
    return bool((info.get("PeeringOptions") or {}).get("AllowDnsResolutionFromRemoteVpc"))
