"""Read the live network: accounts × regions, concurrently, into one observed Network.

The read runs in two rounds on one thread pool, each round a graph of API calls whose
follow-ups are scheduled as answers arrive (:mod:`vpcwire.read.tasks`):

1. discovery — per (account, region): every VPC, every peering connection and every
   Transit Gateway with its attachments, route tables and RAM shares. With a
   ``vpc_filter``, the selection is made from all of them together: the VPCs whose tags
   match, plus the VPC at the other end of any peering of a matched VPC (in whatever
   account and region it is, as long as that one is read too).
2. detail — per (account, region) with a selected VPC: everything else, restricted to the
   selected VPCs by server-side ``vpc-id`` filters where EC2 has them.

Then the snapshots are mapped into a Network in a fixed order (accounts: caller first, then
roles as given; regions as given), so the result never depends on thread timing.

Accounts: the caller's own (``include_caller``) and one per role in ``role_arns``, assumed
with session name ``vpcwire-read``; an account reached twice is read once.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Collection, Mapping, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from typing import Any, TypeVar

import boto3
from botocore.exceptions import BotoCoreError, ClientError, ProfileNotFound

from vpcwire.errors import ReadError, UsageError
from vpcwire.network import Account, Network, NetworkBuilder
from vpcwire.read import elbv2, endpoints, interfaces, peerings, security, transit_gateways, vpcs
from vpcwire.read.convert import tags_of
from vpcwire.read.session import (
    ROLE_SESSION_NAME,
    CallCounter,
    Clients,
    Identity,
    error_code,
    fatal_error,
    profile_of,
)
from vpcwire.read.snapshot import Snapshot, Unit
from vpcwire.read.tasks import Scheduler

__all__ = [
    "RawRead",
    "ReadResult",
    "assemble",
    "read_network",
    "read_snapshots",
    "select_vpcs",
]

T = TypeVar("T")
CALLER = "the caller"


@dataclass(frozen=True)
class ReadResult:
    """The observed network, what could not be read (one line per gap), and what it cost."""

    network: Network
    warnings: tuple[str, ...]
    seconds: float  # wall time of the whole read
    calls: int  # AWS API calls made (retries of one call count once)


def read_network(
    regions: Sequence[str],
    *,
    endpoint_url: str | None = None,
    role_arns: Sequence[str] = (),
    include_caller: bool = True,
    vpc_filter: Mapping[str, str] | None = None,
    max_workers: int = 8,
    session: boto3.Session | None = None,
    profiles: Sequence[str] = (),
    vpc_ids: Collection[str] = (),
) -> ReadResult:
    """Read the live network (:func:`read_snapshots`, which says what each option means)
    and map it into one Network."""
    return read_snapshots(
        regions,
        endpoint_url=endpoint_url,
        role_arns=role_arns,
        include_caller=include_caller,
        vpc_filter=vpc_filter,
        max_workers=max_workers,
        session=session,
        profiles=profiles,
        vpc_ids=vpc_ids,
    ).mapped()


def read_snapshots(
    regions: Sequence[str],
    *,
    endpoint_url: str | None = None,
    role_arns: Sequence[str] = (),
    include_caller: bool = True,
    vpc_filter: Mapping[str, str] | None = None,
    max_workers: int = 8,
    session: boto3.Session | None = None,
    profiles: Sequence[str] = (),
    vpc_ids: Collection[str] = (),
) -> RawRead:
    """Read every VPC (or those tagged ``vpc_filter``, and their peers) of the accounts in
    ``regions``, with everything vpcwire models, into a Network.

    Accounts are the caller's (``include_caller``), each role of ``role_arns`` (assumed with
    the caller's credentials) and each named AWS profile of ``profiles`` (an SSO or
    key profile of the user's AWS config, the way many teams reach their other accounts).

    ``endpoint_url`` points every client elsewhere (the sandbox); without it, botocore's own
    ``AWS_ENDPOINT_URL`` handling applies. Raises ReadError when credentials or the endpoint
    fail; a call denied in one account and region only adds a warning. ``vpc_ids``: VPCs
    read along with those ``vpc_filter`` selects (the existing VPCs a stack connects).
    """
    started = time.perf_counter()
    regions = list(dict.fromkeys(regions))
    if not regions:
        raise UsageError("no region to read: name at least one")
    if not include_caller and not role_arns and not profiles:
        raise UsageError(
            "nothing to read: include the caller's account, or give a role ARN or a profile"
        )
    session = _session(session)
    counter = CallCounter()
    clients = Clients(session, endpoint_url=endpoint_url, counter=counter, max_workers=max_workers)
    clients.check_credentials()
    pool = ThreadPoolExecutor(max_workers=max_workers, thread_name_prefix="vpcwire-read")
    try:
        sched = Scheduler(pool, clients.endpoint, profile_of(session))
        who = _unique(
            [
                *_identities(pool, clients, regions[0], role_arns, include_caller, sched.profile),
                *_profile_identities(clients, regions[0], profiles),
            ]
        )
        units = []
        for w in who:
            for region in regions:
                # each unit's first calls go out before the next unit's clients are made:
                # making a client (0.03-0.1 s, loading its service model) overlaps the calls
                unit = _unit(clients, w, region, vpc_filter is not None)
                units.append(unit)
                vpcs.discover(sched, unit)
                peerings.discover(sched, unit)
                transit_gateways.discover(sched, unit)
        sched.drain()
        select(units, vpc_filter, vpc_ids)
        for unit in units:
            if unit.snap.selected:
                _schedule_details(sched, unit)
        sched.drain()
    finally:
        pool.shutdown(wait=False, cancel_futures=True)
    return RawRead(
        tuple(u.snap for u in units),
        tuple(sched.warnings),
        time.perf_counter() - started,
        counter.total,
    )


@dataclass(frozen=True)
class RawRead:
    """What the API answered, per (account, region), before mapping: what ``vpcwire
    snapshot`` writes to disk, and what a snapshot directory loads back into."""

    snapshots: tuple[Snapshot, ...]
    warnings: tuple[str, ...]  # calls that failed (denied, throttled): what they left out
    seconds: float
    calls: int

    def mapped(self) -> ReadResult:
        network, mapping_warnings = assemble(self.snapshots)
        warnings = tuple(dict.fromkeys([*self.warnings, *mapping_warnings]))
        return ReadResult(network, warnings, self.seconds, self.calls)


def _session(session: boto3.Session | None) -> boto3.Session:
    if session is not None:
        return session
    try:
        return boto3.Session()
    except BotoCoreError as exc:  # e.g. AWS_PROFILE names a profile that does not exist
        raise fatal_error(exc, None) or ReadError(str(exc)) from exc


def _unit(clients: Clients, who: Identity, region: str, filtered: bool) -> Unit:
    return Unit(
        who,
        region,
        clients.get(who, region, "ec2"),
        clients.get(who, region, "elbv2"),
        Snapshot(who.account, region),
        filtered=filtered,
        ram=clients.get(who, region, "ram"),
    )


def _schedule_details(sched: Scheduler, unit: Unit) -> None:
    # Order matters: a join (sched.after) must be registered after the calls it waits on.
    vpcs.schedule(sched, unit)
    security.schedule(sched, unit)  # joins on route_tables
    interfaces.schedule(sched, unit)
    elbv2.schedule(sched, unit)
    endpoints.schedule(sched, unit)  # joins on load_balancers
    vpcs.schedule_attributes(sched, unit)  # joins on endpoints


# -- accounts ------------------------------------------------------------------------------


def _sts(
    call: Callable[[], T], clients: Clients, profile: str | None, refused: Callable[[str], str]
) -> T:
    """An STS call: every failure is fatal, since without it an account cannot be read."""
    try:
        return call()
    except (ClientError, BotoCoreError) as exc:
        fatal = fatal_error(exc, clients.endpoint, profile)
        if fatal is None and isinstance(exc, ClientError):
            fatal = ReadError(refused(error_code(exc)))
        if fatal is None:
            raise
        raise fatal from exc


def _identities(
    pool: ThreadPoolExecutor,
    clients: Clients,
    region: str,
    role_arns: Sequence[str],
    include_caller: bool,
    profile: str | None,
) -> list[Identity]:
    """Who to read as. GetCallerIdentity always goes first (STS is given few retries): it is
    the cheapest way to find out that the credentials or the endpoint are no good, and say so
    before anything else starts."""
    sts = clients.get(Identity("", CALLER), region, "sts", probe=True)
    me = _sts(
        sts.get_caller_identity,
        clients,
        profile,
        lambda code: f"sts:GetCallerIdentity failed ({code})",
    )
    found = [Identity(str(me["Account"]), CALLER)] if include_caller else []

    def assume(arn: str) -> Any:
        return sts.assume_role(RoleArn=arn, RoleSessionName=ROLE_SESSION_NAME)

    def refused(arn: str) -> Callable[[str], str]:
        return lambda code: (
            f"cannot assume role {arn} ({code}): check that its trust policy "
            "admits the caller and that the caller may call sts:AssumeRole"
        )

    answers = [(arn, pool.submit(assume, arn)) for arn in role_arns]
    for arn, future in answers:
        answer = _sts(future.result, clients, profile, refused(arn))
        keys = answer["Credentials"]
        user_arn = (answer.get("AssumedRoleUser") or {}).get("Arn") or arn
        found.append(
            Identity(
                user_arn.split(":")[4],
                arn,
                {
                    "aws_access_key_id": keys["AccessKeyId"],
                    "aws_secret_access_key": keys["SecretAccessKey"],
                    "aws_session_token": keys["SessionToken"],
                },
            )
        )
    return found


def _unique(found: Sequence[Identity]) -> list[Identity]:
    """One identity per account (the first way given of reaching it)."""
    unique: dict[str, Identity] = {}
    for who in found:
        unique.setdefault(who.account, who)
    return list(unique.values())


def _refused_profile(name: str) -> Callable[[str], str]:
    return lambda code: f"sts:GetCallerIdentity with AWS profile {name} failed ({code})"


def _profile_identities(clients: Clients, region: str, profiles: Sequence[str]) -> list[Identity]:
    """An identity per named profile: its credentials (resolved here, in the coordinating
    thread: SSO, credential_process and assume-role profiles included) signing clients of
    the one shared Session, so every account shares one loaded copy of each service model.
    The profile's keys are held in memory for this read only, never printed or stored."""
    found = []
    for name in dict.fromkeys(profiles):
        try:
            credentials = boto3.Session(profile_name=name).get_credentials()
            frozen = credentials.get_frozen_credentials() if credentials is not None else None
        except BotoCoreError as exc:
            if isinstance(exc, ProfileNotFound):
                raise ReadError(
                    f"AWS profile {name} is not in your AWS config: check its name "
                    "(`aws configure list-profiles`) or AWS_CONFIG_FILE"
                ) from exc
            raise fatal_error(exc, clients.endpoint, name) or ReadError(str(exc)) from exc
        if frozen is None or not frozen.access_key:
            raise ReadError(
                f"AWS profile {name} gives no credentials: configure it (`aws configure "
                f"--profile {name}`, or `aws sso login --profile {name}`)"
            )
        keys = {"aws_access_key_id": frozen.access_key, "aws_secret_access_key": frozen.secret_key}
        if frozen.token:
            keys["aws_session_token"] = frozen.token
        probe = Identity("", f"profile {name}", keys)
        me = _sts(
            clients.get(probe, region, "sts", probe=True).get_caller_identity,
            clients,
            name,
            _refused_profile(name),
        )
        found.append(Identity(str(me["Account"]), f"profile {name}", keys))
    return found


# -- selection and assembly ----------------------------------------------------------------


def select(
    units: Sequence[Unit], vpc_filter: Mapping[str, str] | None, vpc_ids: Collection[str] = ()
) -> None:
    """Decide which VPCs each unit reads (see the module docstring)."""
    select_vpcs([u.snap for u in units], vpc_filter, vpc_ids)


def select_vpcs(
    snaps: Sequence[Snapshot], vpc_filter: Mapping[str, str] | None, vpc_ids: Collection[str] = ()
) -> None:
    """Set each snapshot's selected VPCs: all, or those tagged ``vpc_filter`` and their
    peers (a live read and a saved snapshot select alike)."""
    if vpc_filter is None:
        for snap in snaps:
            snap.selected = {v["VpcId"] for v in snap.vpcs}
        return
    wanted = dict(vpc_filter)
    matched = {
        v["VpcId"]
        for snap in snaps
        for v in snap.vpcs
        if all(tags_of(v).get(k) == value for k, value in wanted.items()) or v["VpcId"] in vpc_ids
    }
    chosen = set(matched)
    for requester, accepter in peerings.peer_pairs(snaps):
        if requester in matched:
            chosen.add(accepter)
        if accepter in matched:
            chosen.add(requester)
    for snap in snaps:
        snap.selected = {v["VpcId"] for v in snap.vpcs if v["VpcId"] in chosen}


def assemble(snapshots: Sequence[Snapshot]) -> tuple[Network, list[str]]:
    """Map snapshots (in the order given) into a Network; also the mapping's warnings.

    All VPC-level resources come first, because later mappers look things up in them
    (peering CIDR blocks, subnets of ENIs, the VPC of a target group)."""
    b = NetworkBuilder()
    for snap in snapshots:
        b.add_account(Account(snap.account))
    for snap in snapshots:
        vpcs.map_vpc_resources(snap, b)
    for snap in snapshots:
        security.map_security(snap, b)
        interfaces.map_interfaces(snap, b)
        elbv2.map_elbv2(snap, b)
        endpoints.map_endpoints(snap, b)
    peerings.map_peerings(snapshots, b)
    transit_gateways.map_transit_gateways(snapshots, b)
    for vpc in b.all("vpc"):
        b.add_account(Account(vpc.account))
    return b.build(), [w for snap in snapshots for w in snap.warnings]
