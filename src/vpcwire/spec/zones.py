"""Which Availability Zones exist in each region: a small dated data file, not an API call.

``plan`` runs offline, so it cannot ask EC2 (DescribeAvailabilityZones); the data file
``data/availability_zones.json`` lists, per region, the AZ names an account may see and the
AZ ids, with its sources and the date it was last checked. A region the file does not list
is not checked (a region newer than the file must not be refused), nor are Local,
Wavelength and Outposts zones (names like ``us-east-1-bos-1a``).
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from functools import cache
from importlib import resources

__all__ = ["RegionZones", "is_standard_az_name", "zones_as_of", "zones_of"]


@dataclass(frozen=True, slots=True)
class RegionZones:
    region: str
    names: tuple[str, ...]
    ids: tuple[str, ...]
    # AZ names map to ids independently per account here (accounts before November 2025)
    mapped_per_account: bool


@cache
def _data() -> dict[str, object]:
    text = (
        resources.files("vpcwire.spec")
        .joinpath("data/availability_zones.json")
        .read_text(encoding="utf-8")
    )
    loaded: dict[str, object] = json.loads(text)
    return loaded


@cache
def _regions() -> dict[str, RegionZones]:
    raw = _data()["regions"]
    assert isinstance(raw, dict)
    return {
        region: RegionZones(
            region, tuple(v["names"]), tuple(v["ids"]), bool(v["mapped_per_account"])
        )
        for region, v in raw.items()
    }


def zones_of(region: str) -> RegionZones | None:
    """The region's AZs, or None if the data file does not cover the region."""
    return _regions().get(region)


def zones_as_of() -> str:
    """The date the data file was last checked against its sources."""
    return str(_data()["_as_of"])


def is_standard_az_name(name: str, region: str) -> bool:
    """``us-east-1a``-shaped (region code plus one letter), as opposed to a Local Zone."""
    return re.fullmatch(re.escape(region) + r"[a-z]", name) is not None
