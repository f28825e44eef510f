"""Security groups and the managed prefix lists their rules (and routes) refer to.

AWS → model:

* Security group: each IpPermission is split into one rule per peer — per IPv4 range, per
  referenced group (``UserIdGroupPairs``; a group of another account becomes
  ``account/sg-id``), per prefix list — each keeping its own description. Protocol ``-1`` is
  ``all`` (ports None), 6/17/1 are tcp/udp/icmp, ports 0-65535 are None, an ICMP rule keeps
  its type (FromPort; -1 = every type) and drops the code. IPv6 ranges are not modelled.
  ``is_default`` is GroupName ``default``. Name: the Name tag, else ``<vpc>_default`` for the
  default group (the planner's name for it), else the GroupName.
* Prefix list (customer- or AWS-managed): id, Name tag or PrefixListName, and its entries.
  Only lists that a route or rule in the read network refers to are fetched, plus the
  region's AWS-managed S3 and DynamoDB lists (``com.amazonaws.<region>.s3``/``.dynamodb``,
  what ``check --to s3`` means): the others cannot affect a path, and AWS-managed lists
  (one per service per region) would cost a call each.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator

from vpcwire.network import (
    GATEWAY_SERVICES,
    NetworkBuilder,
    PrefixList,
    SecurityGroup,
    SecurityGroupRule,
)
from vpcwire.read.convert import Raw, add_new, name_of, network, protocol, sg_ports, tags_of
from vpcwire.read.snapshot import Snapshot, Unit
from vpcwire.read.tasks import Scheduler, paginate, store_at
from vpcwire.read.vpcs import default_name

__all__ = ["map_security", "referenced_prefix_lists", "schedule", "split_permission"]


def schedule(sched: Scheduler, unit: Unit) -> None:
    snap = unit.snap
    sched.list_all(
        unit,
        "security_groups",
        unit.ec2,
        "describe_security_groups",
        snap.security_groups.extend,
        f"security groups of {unit.where} are not in the network",
        vpc_filter="vpc-id",
    )
    sched.list_all(
        unit,
        "prefix_lists",
        unit.ec2,
        "describe_managed_prefix_lists",
        snap.prefix_lists.extend,
        f"prefix lists of {unit.where} are not in the network (rules and routes "
        "that use them match nothing)",
    )
    sched.after(
        unit,
        {"security_groups", "route_tables", "prefix_lists"},
        lambda: _schedule_entries(sched, unit),
    )


def _schedule_entries(sched: Scheduler, unit: Unit) -> None:
    wanted = referenced_prefix_lists(unit.snap)
    for raw in unit.snap.prefix_lists:
        pl_id = raw["PrefixListId"]
        if pl_id in wanted:
            sched.call(
                unit,
                "prefix_list_entries",
                "ec2:GetManagedPrefixListEntries",
                paginate(unit.ec2, "get_managed_prefix_list_entries", PrefixListId=pl_id),
                store_at(unit.snap.prefix_list_entries, pl_id),
                f"the entries of {pl_id} are not in the network",
            )


def referenced_prefix_lists(snap: Snapshot) -> set[str]:
    """Prefix lists used by a route or a security group rule of the selected VPCs, and the
    region's AWS-managed lists of the gateway-endpoint services (``check --to s3``)."""
    services = {f"com.amazonaws.{snap.region}.{name}" for name in GATEWAY_SERVICES}
    found: set[str] = {
        raw["PrefixListId"] for raw in snap.prefix_lists if raw.get("PrefixListName") in services
    }
    for rt in snap.route_tables:
        if rt.get("VpcId") in snap.selected:
            found.update(
                r["DestinationPrefixListId"]
                for r in rt.get("Routes") or ()
                if r.get("DestinationPrefixListId")
            )
    for sg in snap.security_groups:
        if sg.get("VpcId") in snap.selected:
            for perm in (*(sg.get("IpPermissions") or ()), *(sg.get("IpPermissionsEgress") or ())):
                found.update(p["PrefixListId"] for p in perm.get("PrefixListIds") or ())
    return found


def map_security(snap: Snapshot, b: NetworkBuilder) -> None:
    for raw in snap.security_groups:
        if raw.get("VpcId") in snap.selected:
            add_new(b, _security_group(raw, b))
    for raw in snap.prefix_lists:
        entries = snap.prefix_list_entries.get(raw["PrefixListId"])
        if entries is not None:
            cidrs = tuple(c for c in (network(e.get("Cidr")) for e in entries) if c is not None)
            add_new(
                b,
                PrefixList(
                    raw["PrefixListId"], name_of(tags_of(raw), raw.get("PrefixListName", "")), cidrs
                ),
            )


def _security_group(raw: Raw, b: NetworkBuilder) -> SecurityGroup:
    owner = raw.get("OwnerId", "")
    is_default = raw.get("GroupName") == "default"
    tags = tags_of(raw)
    name = (
        name_of(tags)
        or (default_name(b, raw["VpcId"], "default_security_group") if is_default else "")
        or raw.get("GroupName", "")
    )
    return SecurityGroup(
        raw["GroupId"],
        name,
        raw["VpcId"],
        ingress=tuple(_rules(raw.get("IpPermissions") or (), owner)),
        egress=tuple(_rules(raw.get("IpPermissionsEgress") or (), owner)),
        is_default=is_default,
        tags=tags,
    )


def _rules(permissions: Iterable[Raw], owner: str) -> Iterator[SecurityGroupRule]:
    for perm in permissions:
        yield from split_permission(perm, owner)


def split_permission(perm: Raw, owner: str) -> Iterator[SecurityGroupRule]:
    """One rule per peer of an IpPermission (see the module docstring)."""
    proto = protocol(perm.get("IpProtocol"))
    if proto is None:
        return  # no IP protocol AWS writes: nothing can match it
    ports = sg_ports(proto, perm.get("FromPort"), perm.get("ToPort"))
    for rng in perm.get("IpRanges") or ():
        cidr = network(rng.get("CidrIp"))
        if cidr is not None:
            yield SecurityGroupRule(proto, ports, cidr=cidr, description=rng.get("Description", ""))
    for pair in perm.get("UserIdGroupPairs") or ():
        group = pair.get("GroupId") or pair.get("GroupName", "")
        user = pair.get("UserId")
        ref = group if not user or user == owner else f"{user}/{group}"
        yield SecurityGroupRule(proto, ports, group=ref, description=pair.get("Description", ""))
    for pl in perm.get("PrefixListIds") or ():
        yield SecurityGroupRule(
            proto, ports, prefix_list=pl["PrefixListId"], description=pl.get("Description", "")
        )
