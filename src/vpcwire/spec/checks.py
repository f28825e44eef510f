"""Checks that relate several fields of a valid spec, the way AWS would refuse them.

These run after the models validate and before the rules: each returns located problems
(never raises), so that ``load_spec`` can report all of them at once. What belongs here
rather than in a rule: facts about the spec's own wording and about AWS's catalogue (which
AZs exist, a VPC's blocks among themselves, one connection or one target address listed
twice) whose breach would otherwise make the planner build an impossible network.
"""

from __future__ import annotations

import difflib
from collections.abc import Iterator

from vpcwire.errors import SpecProblem, clip
from vpcwire.plan.addressing import layout_prefix, max_laid_out_azs
from vpcwire.spec.models import ServiceConnection, Spec
from vpcwire.spec.source import PathKey, SourceMap, format_path
from vpcwire.spec.zones import is_standard_az_name, zones_as_of, zones_of

__all__ = ["cross_field_problems"]

_AZ_URL = (
    "https://docs.aws.amazon.com/global-infrastructure/latest/regions/aws-availability-zones.html"
)


def cross_field_problems(spec: Spec, source: SourceMap) -> list[SpecProblem]:
    def problem(path: PathKey, message: str, hint: str, kind: str = "aws") -> SpecProblem:
        return SpecProblem(source.locate(path), format_path(path), message, hint=hint, kind=kind)

    out: list[SpecProblem] = []
    for path, message, hint in (
        *_unknown_azs(spec),
        *_unknown_az_ids(spec),
        *_overlapping_own_blocks(spec),
        *_outpost_blocks_too_small(spec),
    ):
        out.append(problem(path, message, hint))
    for path, message, hint in (*_duplicate_connections(spec), *_shared_target_ips(spec)):
        out.append(problem(path, message, hint, kind="schema"))
    return out


Found = Iterator[tuple[PathKey, str, str]]


def _az_places(spec: Spec) -> Iterator[tuple[str, PathKey, str]]:
    """(VPC name, path, AZ name) for every AZ the spec names."""
    for name, vpc in spec.vpcs.items():
        if vpc.azs is not None:
            for i, az in enumerate(vpc.azs):
                yield name, ("vpcs", name, "azs", i), az
        elif vpc.subnets is not None:
            for tier in ("private", "public"):
                for i, subnet in enumerate(getattr(vpc.subnets, tier)):
                    yield name, ("vpcs", name, "subnets", tier, i, "az"), subnet.az


def _unknown_azs(spec: Spec) -> Found:
    """An AZ name of the VPC's region that the region does not have (us-east-1z).

    Names of another region are rule VW-E103's; Local Zones and regions the data file does
    not cover are not judged.
    """
    for vpc_name, path, az in _az_places(spec):
        region = spec.vpcs[vpc_name].region
        zones = zones_of(region)
        if zones is None or not is_standard_az_name(az, region) or az in zones.names:
            continue
        close = difflib.get_close_matches(az, zones.names, n=1)
        yield (
            path,
            f"AZ {clip(az)} does not exist in {region}"
            + (f"; did you mean {close[0]!r}?" if close else ""),
            f"use one of {', '.join(zones.names)} (AWS AZ list as of {zones_as_of()}: {_AZ_URL})",
        )


def _unknown_az_ids(spec: Spec) -> Found:
    """accounts.*.az_ids: each name an AZ of a known region, each id one of that region's."""
    for account, acc in spec.accounts.items():
        for az, az_id in acc.az_ids.items():
            path: PathKey = ("accounts", account, "az_ids", az)
            region = az[:-1]
            zones = zones_of(region)
            if zones is None or not is_standard_az_name(az, region):
                continue
            if az not in zones.names:
                close = difflib.get_close_matches(az, zones.names, n=1)
                yield (
                    path,
                    f"AZ {clip(az)} does not exist in {region}"
                    + (f"; did you mean {close[0]!r}?" if close else ""),
                    f"use one of {', '.join(zones.names)}",
                )
            elif az_id not in zones.ids:
                close = difflib.get_close_matches(az_id, zones.ids, n=1)
                yield (
                    path,
                    f"AZ id {clip(az_id)} is not an AZ id of {region}"
                    + (f"; did you mean {close[0]!r}?" if close else ""),
                    f"use one of {', '.join(zones.ids)} (`aws ec2 describe-availability-zones` "
                    "shows your account's mapping of names to ids)",
                )


def _overlapping_own_blocks(spec: Spec) -> Found:
    """A secondary block that overlaps the VPC's primary or an earlier secondary block:
    AssociateVpcCidrBlock refuses it (InvalidVpc.Range / CidrConflict)."""
    for name, vpc in spec.vpcs.items():
        earlier = [vpc.cidr]
        for i, block in enumerate(vpc.secondary_cidrs):
            clash = next((b for b in earlier if b.overlaps(block)), None)
            if clash is not None:
                yield (
                    ("vpcs", name, "secondary_cidrs", i),
                    f"secondary block {block} overlaps VPC {name}'s block {clash}",
                    "choose a secondary block outside the VPC's other blocks, or drop it",
                )
            earlier.append(block)


def _outpost_blocks_too_small(spec: Spec) -> Found:
    """An outpost VPC needs at least one private subnet for its NLB (AWS refuses an NLB
    without subnets). vpcwire lays out private subnets in the first half of the block, /28
    at the smallest, so a /28 outpost_cidr leaves none. (A block with room for fewer AZs
    than the consumer uses is legal: the endpoint goes only where the NLB has a node.)"""
    for i, conn in enumerate(spec.connections):
        if not isinstance(conn, ServiceConnection) or conn.outpost_cidr is None:
            continue
        if max_laid_out_azs(conn.outpost_cidr) == 0:
            yield (
                ("connections", i, "outpost_cidr"),
                f"outpost_cidr {conn.outpost_cidr} leaves no room for the outpost's subnets "
                f"(/{layout_prefix(conn.outpost_cidr)} private subnets in the first half of "
                "the block)",
                "give a /27 or larger (a /24 holds subnets for 8 AZs), or leave outpost_cidr "
                "out and let vpcwire pick a free /24",
            )


def _duplicate_connections(spec: Spec) -> Found:
    """The same consumer -> service listed twice: one endpoint per pair, so a copy-paste slip."""
    first: dict[tuple[str, str], int] = {}
    for i, conn in enumerate(spec.connections):
        if not isinstance(conn, ServiceConnection):
            continue
        key = (conn.consumer, conn.service)
        if key in first:
            yield (
                ("connections", i),
                f"{conn.consumer} -> {conn.service} is already connections[{first[key]}]",
                f"remove this entry, or merge its settings into connections[{first[key]}]",
            )
        else:
            first[key] = i


def _shared_target_ips(spec: Spec) -> Found:
    """One existing address registered as the target of two services: it is one ENI, which
    vpcwire would have to model twice; a workload serving several ports is one service with
    ``ports``."""
    owner: dict[str, str] = {}
    for name, svc in spec.services.items():
        for i, ip in enumerate(svc.targets.ips or []):
            if ip in owner:
                yield (
                    ("services", name, "targets", "ips", i),
                    f"target {ip} is already a target of service {owner[ip]}",
                    f"serve both from one service with ports: [...], or give {name} other targets",
                )
            else:
                owner[ip] = name
