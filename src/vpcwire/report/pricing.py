"""List prices, from one dated data file (``prices.json``) with a source URL per entry.

A :class:`Prices` answers "what does X cost in region R": the region's override if the file
has one, else the default (us-east-1) price. Cost line items name the price key and region
they used, so a report can print exactly which prices it relied on, with their sources.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from importlib import resources
from pathlib import Path
from typing import Any

from vpcwire.errors import UsageError

__all__ = ["Price", "Prices", "load_prices"]


@dataclass(frozen=True, slots=True)
class Price:
    key: str
    value: Any  # a float, or tiers [[width GB or None, rate], ...]
    unit: str
    source: str
    note: str = ""


@dataclass(frozen=True)
class Prices:
    currency: str
    taken: str
    default_region: str
    hours_per_month: float
    entries: dict[str, Price]
    regions: dict[str, dict[str, Any]]
    inter_region_pairs: dict[str, float]
    origin: str  # where the prices came from: the built-in file or a path

    def rate(self, key: str, region: str) -> float:
        return float(self._value(key, region))

    def tiers(self, key: str, region: str) -> list[tuple[float | None, float]]:
        return [(None if w is None else float(w), float(r)) for w, r in self._value(key, region)]

    def inter_region(self, source: str, destination: str) -> float:
        """$/GB for bytes sent from one region to another (the pair's rate if listed)."""
        pair = f"{source}>{destination}"
        if pair in self.inter_region_pairs:
            return float(self.inter_region_pairs[pair])
        return self.rate("inter_region_gb", source)

    def is_override(self, key: str, region: str) -> bool:
        return key in self.regions.get(region, {})

    def _value(self, key: str, region: str) -> Any:
        override = self.regions.get(region, {})
        if key in override:
            return override[key]
        try:
            return self.entries[key].value
        except KeyError:
            raise UsageError(f"the price list has no entry {key!r}") from None


def load_prices(path: Path | None = None) -> Prices:
    """The built-in list prices, or a file of the same shape."""
    try:
        if path is None:
            text = resources.files("vpcwire.report").joinpath("prices.json").read_text("utf-8")
            origin = "vpcwire/report/prices.json"
        else:
            text = Path(path).read_text(encoding="utf-8")
            origin = str(path)
        data = json.loads(text)
        return Prices(
            currency=data["currency"],
            taken=data["taken"],
            default_region=data["default_region"],
            hours_per_month=float(data["hours_per_month"]),
            entries={
                k: Price(k, v["value"], v["unit"], v["source"], v.get("note", ""))
                for k, v in data["prices"].items()
            },
            regions=data.get("regions", {}),
            inter_region_pairs=data.get("inter_region_pairs", {}),
            origin=origin,
        )
    except (OSError, ValueError, KeyError, TypeError) as exc:
        raise UsageError(f"cannot read the price list {path or 'prices.json'}: {exc}") from None
