"""What a materialised data plane is: the network it was built from, its layout, and the
workload running in it. Apart from materialise.py and workload.py so that each can name
these without importing the other (materialise restarts the workload a rebuild stops)."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from vpcwire.network import Network
from vpcwire.sandbox.dataplane.layout import Layout

__all__ = ["DataPlane", "Started"]


@dataclass(frozen=True, slots=True)
class Started:
    """One instance whose rendered user data runs in its namespace."""

    instance: str  # Name tag or id
    namespace: str
    directory: Path
    client: bool  # runs the rendered client script


@dataclass(frozen=True, slots=True)
class DataPlane:
    network: Network
    layout: Layout
    state_dir: Path
    started: tuple[Started, ...] = ()  # the workload, when it runs (services, then clients)
