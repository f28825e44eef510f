"""A snapshot directory: what the live reader read, saved as the AWS APIs answered it.

``vpcwire snapshot DIR`` writes one JSON file per API family and (account, region), in the
shapes the AWS CLI prints (``{"Vpcs": [...]}``, ``{"Reservations": [...]}``…) and in the
layout Batfish reads (``DIR/aws_configs/accounts/<account>/<region>/<Name>.json``), plus a
``vpcwire.json`` manifest. ``--snapshot DIR`` then answers offline from those files exactly
as from the live API: loading fills the same raw :class:`Snapshot` the live reader fills,
and the same mapping (:func:`vpcwire.read.reader.assemble`) turns it into a Network.

Loading also takes what other tools wrote: Batfish's three layouts (``aws_configs/<Name>``,
``aws_configs/<region>/<Name>``, ``aws_configs/accounts/<id>/<region>/<Name>``), files saved
one by one with ``aws ec2 describe-… --output json`` under any name (a file is recognised by
its top-level key, never its name), pages of one call in several files or as a JSON list of
pages. Keys vpcwire does not read are ignored. A family with no file at all is *unknown*, not
empty: :class:`LoadedSnapshot` lists what is missing per (account, region), and the commands
report verdicts that pass through such a region as unknown instead of guessing.
Nothing secret is written: the reader never asks for user data or instance metadata, and
the files hold only what the describe calls return.
"""

from __future__ import annotations

import json
import os
import re
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from vpcwire.errors import ReadError, UsageError, clip
from vpcwire.read.convert import Raw
from vpcwire.read.reader import RawRead
from vpcwire.read.snapshot import Snapshot

__all__ = [
    "FAMILIES",
    "MANIFEST",
    "Family",
    "LoadedSnapshot",
    "gap_note",
    "is_snapshot_dir",
    "load_snapshot",
    "snapshot_network",
    "unknown_through_gaps",
    "write_snapshot",
]

MANIFEST = "vpcwire.json"
FORMAT = 1
_ACCOUNT = re.compile(r"^\d{12}$")
_REGION = re.compile(r"^[a-z]{2}(-[a-z]+)+-\d+$")
# Batfish's rule for a snapshot without a region folder.
BATFISH_DEFAULT_REGION = "us-west-2"


def _attributes(values: dict[str, str]) -> list[Raw]:
    return [{"Key": k, "Value": v} for k, v in values.items()]


def _from_attributes(items: Iterable[Raw]) -> dict[str, str]:
    return {a["Key"]: a.get("Value", "") for a in items if "Key" in a}


def _always(_: Snapshot) -> bool:
    return True


def _never(_: Snapshot) -> bool:
    return False


def _has_load_balancers(snap: Snapshot) -> bool:
    return bool(snap.load_balancers)


def _routes_to(prefix: str) -> Callable[[Snapshot], bool]:
    def needed(snap: Snapshot) -> bool:
        return any(
            str(value).startswith(prefix)
            for table in snap.route_tables
            for route in table.get("Routes") or ()
            for value in route.values()
        )

    return needed


def _uses_transit_gateways(snap: Snapshot) -> bool:
    """TGW files decide reachability where a VPC route names a TGW or the region has one (a
    hub account's route tables decide where its spokes' traffic goes)."""
    return bool(snap.transit_gateways or snap.tgw_vpc_attachments) or _routes_to("tgw-")(snap)


def _associations_unknown(snap: Snapshot) -> bool:
    """The per-table associations decide, unless DescribeTransitGatewayAttachments' answer
    (Batfish's TransitGatewayAttachments.json) gives each attachment's association."""
    return _uses_transit_gateways(snap) and not snap.tgw_attachments


def _uses_prefix_lists(snap: Snapshot) -> bool:
    text = json.dumps([snap.route_tables, snap.security_groups], default=str)
    return '"pl-' in text


@dataclass(frozen=True)
class Family:
    """One API family: the file it is saved in, its top-level key, and how it moves between
    a Snapshot and the file's items. ``decides`` says whether, for what the other files
    hold, this family decides reachability (routes, rules, interfaces always; listeners
    and target health only where there are load balancers; NAT gateways only where a route
    names one): a region lacking such a file gets unknown verdicts, never guessed ones."""

    file: str
    key: str
    dump: Callable[[Snapshot], list[Raw]]
    load: Callable[[Snapshot, list[Raw]], None]
    decides: Callable[[Snapshot], bool] = _always
    required: tuple[str, ...] = ()  # fields every item has in AWS's answer


def _grouped(
    attr: str,
    id_key: str,
    items_key: str,
    *,
    pack: Callable[[Any], Any] = list,
    unpack: Callable[[Any], Any] = list,
) -> tuple[Callable[[Snapshot], list[Raw]], Callable[[Snapshot, list[Raw]], None]]:
    """A family the reader keeps as ``{id: items}`` (one call per id), saved as Batfish saves
    them: a list of ``{id_key: id, items_key: items}``."""

    def dump(snap: Snapshot) -> list[Raw]:
        return [{id_key: k, items_key: pack(v)} for k, v in getattr(snap, attr).items()]

    def load(snap: Snapshot, items: list[Raw]) -> None:
        store = getattr(snap, attr)
        for item in items:
            if isinstance(item, dict) and item.get(id_key):
                store[item[id_key]] = unpack(item.get(items_key) or [])

    return dump, load


def _flat(
    attr: str,
) -> tuple[Callable[[Snapshot], list[Raw]], Callable[[Snapshot, list[Raw]], None]]:
    def dump(snap: Snapshot) -> list[Raw]:
        return list(getattr(snap, attr))

    def load(snap: Snapshot, items: list[Raw]) -> None:
        getattr(snap, attr).extend(i for i in items if isinstance(i, dict))

    return dump, load


def _dump_reservations(snap: Snapshot) -> list[Raw]:
    # One reservation per instance: the reader keeps instances, not reservations.
    return [{"Instances": [instance]} for instance in snap.instances]


def _load_reservations(snap: Snapshot, items: list[Raw]) -> None:
    for reservation in items:
        if isinstance(reservation, dict):
            snap.instances.extend(
                i for i in reservation.get("Instances") or () if isinstance(i, dict)
            )


def _dump_vpc_attributes(snap: Snapshot) -> list[Raw]:
    return [
        {"VpcId": vpc_id, **{k[0].upper() + k[1:]: {"Value": v} for k, v in values.items()}}
        for vpc_id, values in snap.vpc_attributes.items()
    ]


def _load_vpc_attributes(snap: Snapshot, items: list[Raw]) -> None:
    for item in items:
        if not isinstance(item, dict) or not item.get("VpcId"):
            continue
        values = snap.vpc_attributes.setdefault(item["VpcId"], {})
        for name in ("EnableDnsSupport", "EnableDnsHostnames"):
            if isinstance(item.get(name), dict):
                values[name[0].lower() + name[1:]] = bool(item[name].get("Value"))


def _load_prefix_lists(snap: Snapshot, items: list[Raw]) -> None:
    """DescribeManagedPrefixLists' items; Batfish's ``PrefixLists`` (DescribePrefixLists)
    carry their blocks inline as ``Cidrs``: those become the list's entries."""
    for item in items:
        if not isinstance(item, dict) or not item.get("PrefixListId"):
            continue
        snap.prefix_lists.append(item)
        if "Cidrs" in item:
            snap.prefix_list_entries[item["PrefixListId"]] = [
                {"Cidr": c} for c in item.get("Cidrs") or () if isinstance(c, str)
            ]


def _dump_tags(snap: Snapshot) -> list[Raw]:
    return [{"ResourceArn": arn, "Tags": _attributes(tags)} for arn, tags in snap.elb_tags.items()]


def _load_tags(snap: Snapshot, items: list[Raw]) -> None:
    for item in items:
        if isinstance(item, dict) and item.get("ResourceArn"):
            snap.elb_tags[item["ResourceArn"]] = _from_attributes(item.get("Tags") or ())


def _dump_permissions(snap: Snapshot) -> list[Raw]:
    return [
        {"ServiceId": sid, "AllowedPrincipals": [{"Principal": p} for p in principals]}
        for sid, principals in snap.service_permissions.items()
    ]


def _load_permissions(snap: Snapshot, items: list[Raw]) -> None:
    for item in items:
        if isinstance(item, dict) and item.get("ServiceId"):
            snap.service_permissions[item["ServiceId"]] = [
                p["Principal"]
                for p in item.get("AllowedPrincipals") or ()
                if isinstance(p, dict) and p.get("Principal")
            ]


def _listeners_dump(snap: Snapshot) -> list[Raw]:
    by_lb: dict[str, list[Raw]] = {}
    for listener in snap.listeners:
        by_lb.setdefault(listener.get("LoadBalancerArn", ""), []).append(listener)
    return [{"LoadBalancerArn": arn, "Listeners": items} for arn, items in by_lb.items()]


def _listeners_load(snap: Snapshot, items: list[Raw]) -> None:
    for group in items:
        if isinstance(group, dict):
            snap.listeners.extend(
                listener for listener in group.get("Listeners") or () if isinstance(listener, dict)
            )


def _family(
    file: str,
    key: str,
    attr: str,
    decides: Callable[[Snapshot], bool] = _always,
    required: tuple[str, ...] = (),
) -> Family:
    dump, load = _flat(attr)
    return Family(file, key, dump, load, decides, required)


def _grouped_family(
    file: str, key: str, attr: str, id_key: str, items_key: str, *, attributes: bool = False
) -> Family:
    dump, load = (
        _grouped(attr, id_key, items_key, pack=_attributes, unpack=_from_attributes)
        if attributes
        else _grouped(attr, id_key, items_key)
    )
    return Family(file, key, dump, load, _never)


# The files, in the order they are written. Keys and shapes are the AWS CLI's where one call
# answers for the region (Vpcs, Subnets, …); where the reader asks once per resource
# (attributes, listeners, target health, prefix-list entries), the answers are grouped under
# the resource's id the way Batfish groups them (LoadBalancerListeners, LoadBalancerTargetHealth).
FAMILIES: tuple[Family, ...] = (
    _family("Vpcs.json", "Vpcs", "vpcs", required=("VpcId", "CidrBlock")),
    Family(
        "VpcAttributes.json", "VpcAttributes", _dump_vpc_attributes, _load_vpc_attributes, _never
    ),
    _family("Subnets.json", "Subnets", "subnets", required=("SubnetId", "VpcId", "CidrBlock")),
    _family("RouteTables.json", "RouteTables", "route_tables", required=("RouteTableId", "VpcId")),
    _family("InternetGateways.json", "InternetGateways", "internet_gateways", _routes_to("igw-")),
    _family("NatGateways.json", "NatGateways", "nat_gateways", _routes_to("nat-")),
    _family(
        "VpcPeeringConnections.json",
        "VpcPeeringConnections",
        "peerings",
        required=("VpcPeeringConnectionId", "RequesterVpcInfo", "AccepterVpcInfo"),
    ),
    _family(
        "SecurityGroups.json", "SecurityGroups", "security_groups", required=("GroupId", "VpcId")
    ),
    _family("NetworkAcls.json", "NetworkAcls", "network_acls", required=("NetworkAclId", "VpcId")),
    Family(
        "PrefixLists.json",
        "PrefixLists",
        _flat("prefix_lists")[0],
        _load_prefix_lists,
        _uses_prefix_lists,
    ),
    _grouped_family(
        "ManagedPrefixListEntries.json",
        "ManagedPrefixListEntries",
        "prefix_list_entries",
        "PrefixListId",
        "Entries",
    ),
    _family(
        "NetworkInterfaces.json",
        "NetworkInterfaces",
        "interfaces",
        required=("NetworkInterfaceId", "SubnetId", "VpcId"),
    ),
    Family("Reservations.json", "Reservations", _dump_reservations, _load_reservations, _never),
    _family("LoadBalancers.json", "LoadBalancers", "load_balancers"),
    _grouped_family(
        "LoadBalancerAttributes.json",
        "LoadBalancerAttributes",
        "lb_attributes",
        "LoadBalancerArn",
        "Attributes",
        attributes=True,
    ),
    Family(
        "LoadBalancerListeners.json",
        "LoadBalancerListeners",
        _listeners_dump,
        _listeners_load,
        _has_load_balancers,
    ),
    _grouped_family(
        "ListenerAttributes.json",
        "ListenerAttributes",
        "listener_attributes",
        "ListenerArn",
        "Attributes",
        attributes=True,
    ),
    _family("TargetGroups.json", "TargetGroups", "target_groups", _has_load_balancers),
    _grouped_family(
        "TargetGroupAttributes.json",
        "TargetGroupAttributes",
        "tg_attributes",
        "TargetGroupArn",
        "Attributes",
        attributes=True,
    ),
    Family(
        "TargetHealth.json",
        "LoadBalancerTargetHealth",
        *_grouped("target_health", "TargetGroupArn", "TargetHealthDescriptions"),
        _has_load_balancers,
    ),
    Family("LoadBalancerTags.json", "TagDescriptions", _dump_tags, _load_tags, _never),
    _family(
        "VpcEndpointServiceConfigurations.json",
        "ServiceConfigurations",
        "endpoint_services",
        _has_load_balancers,
    ),
    Family(
        "VpcEndpointServicePermissions.json",
        "VpcEndpointServicePermissions",
        _dump_permissions,
        _load_permissions,
        _never,
    ),
    _family("VpcEndpoints.json", "VpcEndpoints", "endpoints"),
    _family(
        "TransitGateways.json",
        "TransitGateways",
        "transit_gateways",
        _uses_transit_gateways,
        required=("TransitGatewayId",),
    ),
    _family(
        "TransitGatewayVpcAttachments.json",
        "TransitGatewayVpcAttachments",
        "tgw_vpc_attachments",
        _uses_transit_gateways,
        required=("TransitGatewayAttachmentId", "TransitGatewayId", "VpcId"),
    ),
    _family(
        "TransitGatewayPeeringAttachments.json",
        "TransitGatewayPeeringAttachments",
        "tgw_peering_attachments",
        _uses_transit_gateways,
        required=("TransitGatewayAttachmentId", "RequesterTgwInfo", "AccepterTgwInfo"),
    ),
    _family(
        "TransitGatewayRouteTables.json",
        "TransitGatewayRouteTables",
        "tgw_route_tables",
        _uses_transit_gateways,
        required=("TransitGatewayRouteTableId", "TransitGatewayId"),
    ),
    _family(
        "TransitGatewayAttachments.json",  # Batfish's name and shape
        "TransitGatewayAttachments",
        "tgw_attachments",
        _never,
        required=("TransitGatewayAttachmentId", "TransitGatewayId"),
    ),
    Family(
        "TransitGatewayRouteTableAssociations.json",
        "TransitGatewayRouteTableAssociations",
        *_grouped("tgw_associations", "TransitGatewayRouteTableId", "Associations"),
        _associations_unknown,
    ),
    Family(
        "TransitGatewayPropagations.json",  # Batfish's name and shape
        "TransitGatewayPropagations",
        *_grouped(
            "tgw_propagations",
            "TransitGatewayRouteTableId",
            "TransitGatewayRouteTablePropagations",
        ),
        _uses_transit_gateways,
    ),
    Family(
        "TransitGatewayStaticRoutes.json",  # Batfish's name and shape
        "TransitGatewayStaticRoutes",
        *_grouped("tgw_routes", "TransitGatewayRouteTableId", "Routes"),
        _uses_transit_gateways,
    ),
    _family("ResourceShares.json", "resourceShares", "resource_shares", _never),
    _family(
        "ResourceShareAssociations.json",
        "resourceShareAssociations",
        "resource_share_associations",
        _never,
    ),
)
_BY_KEY = {f.key: f for f in FAMILIES}


# -- writing ---------------------------------------------------------------------------------


def write_snapshot(directory: Path, raw: RawRead, *, source: str, version: str) -> list[Path]:
    """Write ``raw`` under ``directory`` (created; files written there are replaced) and
    return the files written. ``source`` says what was read (e.g. "sandbox at http://…")."""
    root = directory / "aws_configs" / "accounts"
    written: list[Path] = []
    for snap in raw.snapshots:
        folder = root / snap.account / snap.region
        folder.mkdir(parents=True, exist_ok=True)
        for family in FAMILIES:
            path = folder / family.file
            _write_json(path, {family.key: family.dump(snap)})
            written.append(path)
    manifest = {
        "format": FORMAT,
        "tool": "vpcwire",
        "version": version,
        "taken": datetime.now(UTC).isoformat(timespec="seconds"),
        "source": source,
        "accounts": sorted({s.account for s in raw.snapshots}),
        "regions": sorted({s.region for s in raw.snapshots}),
        "files": [f.file for f in FAMILIES],
        "warnings": list(raw.warnings),
    }
    _write_json(directory / MANIFEST, manifest)
    written.append(directory / MANIFEST)
    return written


def _write_json(path: Path, document: Any) -> None:
    # Written whole then renamed: a reader never sees half a file.
    tmp = path.with_name(path.name + ".tmp")
    tmp.write_text(json.dumps(document, indent=1, sort_keys=True, default=str) + "\n")
    os.replace(tmp, path)


# -- loading ---------------------------------------------------------------------------------


@dataclass
class LoadedSnapshot:
    """A snapshot directory, loaded: the raw read it holds and what it lacks."""

    raw: RawRead
    directory: Path
    # (account, region) -> the files that were not there and decide its reachability
    missing: dict[tuple[str, str], tuple[str, ...]] = field(default_factory=dict)
    notes: list[str] = field(default_factory=list)
    manifest: dict[str, Any] = field(default_factory=dict)
    # VPC id -> the (account, region) of ``missing`` its files came from. By VPC, not by the
    # VPC's OwnerId: files saved by hand may name another owner than the folder's account.
    gap_vpcs: dict[str, tuple[str, str]] = field(default_factory=dict)

    def incomplete(self) -> dict[tuple[str, str], tuple[str, ...]]:
        """The (account, region)s missing a file that decides reachability there."""
        return self.missing


def is_snapshot_dir(path: Path) -> bool:
    """True for a directory vpcwire can load as a snapshot (ours or Batfish's layout)."""
    return path.is_dir() and (
        (path / MANIFEST).is_file() or (path / "aws_configs").is_dir() or path.name == "aws_configs"
    )


def load_snapshot(directory: Path) -> LoadedSnapshot:
    """Read a snapshot directory. Raises UsageError (exit 2) for a directory that is not
    one and for malformed JSON (naming the file, line and column)."""
    if not directory.exists():
        raise UsageError(f"snapshot {directory}: no such directory")
    if not directory.is_dir():
        raise UsageError(f"snapshot {directory}: not a directory (give the snapshot's folder)")
    manifest = _manifest(directory)
    configs = directory if directory.name == "aws_configs" else directory / "aws_configs"
    if not configs.is_dir():
        raise UsageError(
            f"snapshot {directory}: no aws_configs/ folder in it\n"
            "  fix: give a folder written by `vpcwire snapshot`, or one laid out as Batfish "
            "reads AWS (aws_configs/[accounts/<id>/][<region>/]<Name>.json)"
        )
    groups = list(_region_folders(configs))
    if not groups:
        raise UsageError(f"snapshot {directory}: aws_configs/ holds no JSON files")
    snapshots: list[Snapshot] = []
    missing: dict[tuple[str, str], tuple[str, ...]] = {}
    gap_vpcs: dict[str, tuple[str, str]] = {}
    notes: list[str] = []
    for account, region, files in groups:
        snap, seen, group_notes = _load_group(files, account, region)
        notes.extend(group_notes)
        snap.selected = {v["VpcId"] for v in snap.vpcs if v.get("VpcId")}
        snapshots.append(snap)
        absent = tuple(f.file for f in FAMILIES if f.key not in seen and f.decides(snap))
        if absent and snap.vpcs:
            missing[(snap.account, snap.region)] = absent
            gap_vpcs.update({vpc_id: (snap.account, snap.region) for vpc_id in snap.selected})
    raw = RawRead(tuple(snapshots), tuple(manifest.get("warnings") or ()), 0.0, 0)
    loaded = LoadedSnapshot(raw, directory, missing, notes, manifest, gap_vpcs)
    for (account, region), absent_files in loaded.incomplete().items():
        notes.append(
            f"account {account}, {region}: no {', '.join(absent_files)} in the snapshot: what they "
            "describe is unknown, and verdicts through that region are reported as unknown"
        )
    return loaded


def _manifest(directory: Path) -> dict[str, Any]:
    path = directory / MANIFEST
    if not path.is_file():
        return {}
    document = _read_json(path)
    return document if isinstance(document, dict) else {}


def _region_folders(configs: Path) -> Iterator[tuple[str | None, str | None, list[Path]]]:
    """(account or None, region or None, JSON files) for each folder of the layout."""
    accounts = configs / "accounts"
    if accounts.is_dir():
        for account_dir in sorted(p for p in accounts.iterdir() if p.is_dir()):
            for region_dir in sorted(p for p in account_dir.iterdir() if p.is_dir()):
                yield account_dir.name, region_dir.name, _json_files(region_dir)
    for region_dir in sorted(p for p in configs.iterdir() if p.is_dir() and p.name != "accounts"):
        yield None, region_dir.name, _json_files(region_dir)
    top = _json_files(configs)
    if top:
        yield None, None, top


def _json_files(folder: Path) -> list[Path]:
    return sorted(p for p in folder.iterdir() if p.is_file() and p.suffix == ".json")


def _load_group(
    files: Sequence[Path], account: str | None, region: str | None
) -> tuple[Snapshot, set[str], list[str]]:
    items: dict[str, list[Raw]] = {}
    notes: list[str] = []
    for path in files:
        document = _read_json(path)
        pages = document if isinstance(document, list) else [document]
        for page in pages:
            if not isinstance(page, dict):
                notes.append(f"{path}: not a JSON object of an AWS answer; ignored")
                continue
            for key, value in page.items():
                if key in _BY_KEY and isinstance(value, list):
                    _check_items(path, key, value, _BY_KEY[key].required)
                    items.setdefault(key, []).extend(value)
    region = region or _region_of(items) or BATFISH_DEFAULT_REGION
    account = account or _account_of(items) or "000000000000"
    snap = Snapshot(account, region)
    for key, values in items.items():
        _BY_KEY[key].load(snap, values)
    return snap, set(items), notes


def _check_items(path: Path, key: str, values: list[Any], required: tuple[str, ...]) -> None:
    """Refuse, with the file and the item, an item lacking a field AWS always returns: the
    mapping would otherwise drop it and a path through it would look closed."""
    for index, item in enumerate(values):
        if not isinstance(item, dict):
            raise UsageError(f"{path}: {key}[{index}] is not a JSON object: {clip(item)}")
        if lacking := [name for name in required if not item.get(name)]:
            raise UsageError(
                f"{path}: {key}[{index}] lacks {', '.join(lacking)}, which the AWS API always "
                "returns\n  fix: save that describe-* call again with `aws … --output json`, "
                "unedited"
            )


def _read_json(path: Path) -> Any:
    try:
        text = path.read_text(encoding="utf-8")
    except UnicodeDecodeError as exc:
        raise UsageError(
            f"{path}: not UTF-8 text (byte {exc.start}): a snapshot file is JSON as the AWS "
            "CLI writes it"
        ) from exc
    except OSError as exc:
        raise ReadError(f"{path}: cannot be read ({exc.strerror})") from exc
    try:
        return json.loads(text)
    except json.JSONDecodeError as exc:
        raise UsageError(
            f"{path}:{exc.lineno}:{exc.colno}: malformed JSON ({exc.msg})\n"
            "  fix: save the file again (`aws … --output json > FILE`) or remove it; a missing "
            "file only makes its part of the network unknown"
        ) from exc
    except RecursionError as exc:
        raise UsageError(f"{path}: JSON nested too deeply to be an AWS answer") from exc


def _region_of(items: dict[str, list[Raw]]) -> str | None:
    """A folder without a region name: the region its subnets' AZs or its ARNs name."""
    for subnet in items.get("Subnets", ()):
        az = subnet.get("AvailabilityZone") if isinstance(subnet, dict) else None
        if isinstance(az, str) and az[-1:].isalpha() and _REGION.match(az[:-1]):
            return az[:-1]
    for key in ("LoadBalancers", "TargetGroups"):
        for item in items.get(key, ()):
            arn = (
                next((v for k, v in item.items() if k.endswith("Arn")), "")
                if isinstance(item, dict)
                else ""
            )
            parts = str(arn).split(":")
            if len(parts) > 4 and _REGION.match(parts[3]):
                return parts[3]
    return None


def _account_of(items: dict[str, list[Raw]]) -> str | None:
    for key in ("Vpcs", "Subnets", "SecurityGroups", "NetworkInterfaces"):
        for item in items.get(key, ()):
            owner = item.get("OwnerId") if isinstance(item, dict) else None
            if isinstance(owner, str) and _ACCOUNT.match(owner):
                return owner
    return None


# -- answering from a loaded snapshot ------------------------------------------------------


def snapshot_network(loaded: LoadedSnapshot, vpc_filter: dict[str, str] | None = None) -> Any:
    """The Network the snapshot holds (a ReadResult), or only the VPCs tagged ``vpc_filter``
    and their peers: the same selection and mapping as a live read."""
    from dataclasses import replace

    from vpcwire.read.reader import select_vpcs

    snapshots = [replace(s, warnings=[]) for s in loaded.raw.snapshots]
    raw = RawRead(tuple(snapshots), loaded.raw.warnings, 0.0, 0)
    try:
        select_vpcs(snapshots, vpc_filter)
        result = raw.mapped()
    except (KeyError, TypeError, ValueError, AttributeError) as exc:
        # The mapping trusts the API's shapes; hand-saved or hand-edited files may break them.
        field_name = exc.args[0] if isinstance(exc, KeyError) and exc.args else None
        what = f"lacks the field {field_name!r}" if field_name else f"is malformed ({exc})"
        raise UsageError(
            f"snapshot {loaded.directory}: an item {what}, which the AWS API always returns\n"
            "  fix: save that describe-* call again with `aws … --output json`, unedited"
        ) from None
    return replace(result, warnings=(*loaded.notes, *result.warnings))


def gap_note(network: Any, loaded: LoadedSnapshot, resources: Iterable[str]) -> str | None:
    """Why a path through ``resources`` is unknown in this snapshot (None: it is not): one
    of them stands in a VPC whose account and region lack a file that decides reachability
    there. The files that are there can prove such a path neither open nor closed."""
    if not loaded.gap_vpcs:
        return None
    hit = sorted(
        {
            loaded.gap_vpcs[vpc]
            for resource in resources
            if resource
            for vpc in _vpcs_of(network, resource)
            if vpc in loaded.gap_vpcs
        }
    )
    if not hit:
        return None
    said = "; ".join(f"account {a}, {r}: no {', '.join(loaded.missing[(a, r)])}" for a, r in hit)
    return f"the snapshot lacks what decides this path ({said})"


def unknown_through_gaps(trace: Any, network: Any, loaded: LoadedSnapshot) -> Any:
    """``trace``, or the same trace judged UNKNOWN when it passes (or ends) in a VPC whose
    snapshot lacks a file that decides reachability (:func:`gap_note`)."""
    from dataclasses import replace

    from vpcwire.verify.trace import Disposition

    if trace.disposition is Disposition.UNKNOWN:
        return trace
    resources = (*(h.resource for h in trace.hops), *(b.resource for b in trace.blocks))
    note = gap_note(network, loaded, resources)
    if note is None:
        return trace
    return replace(trace, disposition=Disposition.UNKNOWN, notes=(*trace.notes, f"UNKNOWN: {note}"))


def _vpcs_of(network: Any, resource_id: str) -> tuple[str, ...]:
    """The VPCs a resource stands in: its own (both of a peering)."""
    from vpcwire.network.model import PeeringConnection, Vpc

    resource = network.get(resource_id)
    if resource is None:
        return ()
    if isinstance(resource, Vpc):
        return (resource.id,)
    if isinstance(resource, PeeringConnection):
        return (resource.requester_vpc, resource.accepter_vpc)
    vpc_id = getattr(resource, "vpc", None)
    return (vpc_id,) if isinstance(vpc_id, str) else ()
