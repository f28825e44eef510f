"""Resources an interrupted run of this working directory was creating and never recorded.

A second Ctrl-C (or a killed terraform) abandons the creates in flight: AWS may already have
made the resource — a security group whose default egress rule was not yet revoked, an
instance still booting — while the state never heard of it. The stack tag finds it on the
target; ``terraform.log``, terraform's machine-readable output of this directory's latest
run, proves where it came from: terraform started creating exactly that address there
(``apply_start``, action ``create``) and never reported it created (``apply_complete``).

Such a resource is half-made, so importing it would keep whatever state the abandoned create
left it in. The next `up` deletes it instead and lets terraform create it again, without
asking: the proof is the directory's own log, and what is deleted is what this directory's
run was making. Anything else found by tag without that proof is still refused with
`--adopt`/`--sweep` (stack.py).
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from pathlib import Path

from vpcwire.deploy.inventory import Tagged
from vpcwire.deploy.terraform import LOG_NAME

__all__ = ["abandoned_creates", "split_abandoned"]


def abandoned_creates(workdir: Path) -> set[str]:
    """Addresses the latest terraform run in ``workdir`` began creating but did not finish."""
    try:
        text = (workdir / LOG_NAME).read_text(encoding="utf-8", errors="replace")
    except OSError:
        return set()
    started: set[str] = set()
    for line in text.splitlines():
        try:
            message = json.loads(line)
        except json.JSONDecodeError:
            continue
        if not isinstance(message, dict):
            continue
        hook = message.get("hook")
        if not isinstance(hook, dict) or hook.get("action") != "create":
            continue
        address = (hook.get("resource") or {}).get("addr")
        if not isinstance(address, str):
            continue
        if message.get("type") == "apply_start":
            started.add(address)
        elif message.get("type") == "apply_complete":
            started.discard(address)
    return started


def split_abandoned(orphans: Iterable[Tagged], workdir: Path) -> tuple[list[Tagged], list[Tagged]]:
    """(orphans this directory's interrupted run was creating, every other orphan)."""
    in_flight = abandoned_creates(workdir)
    mine: list[Tagged] = []
    others: list[Tagged] = []
    for item in orphans:
        (mine if _proven(item, in_flight) else others).append(item)
    return mine, others


def _proven(item: Tagged, in_flight: set[str]) -> bool:
    if item.kind != "route":
        return f"{item.tf_type}.{item.name}" in in_flight
    # Routes carry no tags or names: the inventory names one "<table's Name> to <block>",
    # and the renderer names its resources "aws_route.<table's Name>_to_<target>…". A route
    # terraform was creating in that very table is the proof (removing a route the apply
    # then creates again is harmless in any case).
    table = item.name.rsplit(" to ", 1)[0]
    return any(address.startswith(f"aws_route.{table}_to_") for address in in_flight)
