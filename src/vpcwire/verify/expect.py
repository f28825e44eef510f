"""An expect file: the flows an audit is told are intended (``vpcwire audit --expect FILE``).

    expect:
      - from: web            # an instance, a VPC (every instance in it) or internet
        to: api              # an instance, endpoint, load balancer, a VPC, or internet
        protocol: tcp        # tcp, udp, icmp, or an IP protocol number ("50")
        ports: 443           # one port, "8000-8100", or left out: every port

A class of open flows is intended when every flow of it is expected; everything else that is
open is UNINTENDED. A name the network does not hold is an error (exit 2), located by entry.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import yaml

from vpcwire.errors import UsageError
from vpcwire.network import Network, PortRange
from vpcwire.network.model import canonical_protocol
from vpcwire.verify.flow_class import INTERNET, Ask, AskKey

__all__ = ["load_expect"]

_TOP = {"tcp": 65535, "udp": 65535, "icmp": 255}
_FIELDS = {"from", "to", "protocol", "ports"}


def load_expect(path: Path, network: Network) -> dict[AskKey, list[Ask]]:
    """The expected flows of ``path``, keyed as :func:`vpcwire.verify.exhaustive.prove` takes."""
    try:
        data = yaml.safe_load(path.read_text())
    except OSError as e:
        raise UsageError(f"--expect {path}: cannot read it ({e.strerror})") from None
    except yaml.YAMLError as e:
        raise UsageError(f"--expect {path}: not YAML ({e})") from None
    if not isinstance(data, dict) or not isinstance(data.get("expect"), list):
        raise UsageError(
            f"--expect {path}: needs a list under `expect:`\n"
            "  fix: expect:\n    - {from: web, to: api, protocol: tcp, ports: 443}"
        )
    out: dict[AskKey, list[Ask]] = {}
    for n, entry in enumerate(data["expect"], 1):
        where = f"{path}: expect entry {n}"
        if not isinstance(entry, dict):
            raise UsageError(f"{where}: a mapping with from, to, protocol, ports, not {entry!r}")
        if extra := set(entry) - _FIELDS:
            raise UsageError(
                f"{where}: unknown field {sorted(extra)[0]!r} (fields: from, to, protocol, ports)"
            )
        for needed in ("from", "to", "protocol"):
            if needed not in entry:
                raise UsageError(f"{where}: field {needed!r} is missing")
        protocol = canonical_protocol(entry["protocol"])
        if protocol is None or protocol == "all":
            raise UsageError(
                f"{where}: field 'protocol' is {entry['protocol']!r}\n"
                "  fix: tcp, udp, icmp, or an IP protocol number (50 for ESP)"
            )
        ports = _ports(where, protocol, entry.get("ports"))
        sources = _names(where, "from", entry["from"], network, ("instance",))
        dests = _names(
            where, "to", entry["to"], network, ("instance", "vpc_endpoint", "load_balancer")
        )
        for s in sources:
            for d in dests:
                out.setdefault((s, d), []).append((protocol, ports))
    return out


def _ports(where: str, protocol: str, value: Any) -> PortRange | None:
    if protocol not in _TOP:
        if value is not None:
            raise UsageError(f"{where}: protocol {protocol} has no ports: leave out 'ports'")
        return None
    top = _TOP[protocol]
    if value is None:
        return PortRange(0, top)
    text = str(value).strip()
    low, _, high = text.partition("-")
    try:
        r = PortRange(int(low), int(high or low))
    except ValueError:
        r = None
    if r is None or not 0 <= r.low <= r.high <= top:
        raise UsageError(
            f"{where}: field 'ports' is {value!r}\n  fix: a port or a range like 8000-8100 within 0-{top}"
        )
    return r


def _names(
    where: str, field: str, value: Any, network: Network, kinds: tuple[str, ...]
) -> list[str]:
    name = str(value)
    if name.lower() == INTERNET:
        return [INTERNET]
    found = network.find(name, kinds=kinds)
    if found:
        return [found[0].name or found[0].id]
    vpcs = network.find(name, kinds=("vpc",))
    if vpcs:
        vpc = vpcs[0].id
        members: list[str] = [i.name or i.id for i in network.instances.values() if i.vpc == vpc]
        if "vpc_endpoint" in kinds:
            members += [e.name or e.id for e in network.endpoints.values() if e.vpc == vpc]
            members += [b.name or b.id for b in network.load_balancers.values() if b.vpc == vpc]
        return members
    raise UsageError(
        f"{where}: field {field!r} is {name!r}, which names nothing in the network\n"
        "  fix: an instance, endpoint or load balancer (Name or id), a VPC, or internet"
    )
