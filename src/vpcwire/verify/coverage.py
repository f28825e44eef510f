"""What the exhaustive proof does not trace, said aloud so that it never reads as closed.

The proof's classes start at instances (and the internet) and end at instances, interface
endpoints, load balancers and public addresses (:mod:`vpcwire.verify.exhaustive`). A network
can hold more that traffic starts or ends at; each such part is named here, and the report
lists it as *not covered* (neither proved open nor closed):

* network interfaces that are no instance's primary one and belong to no endpoint, load
  balancer or NAT gateway — a Lambda function's, a database's, a workload vpcwire does not
  own (``external``), an instance's second interface: flows from and to them;
* address ranges outside every VPC that a route sends to a VPN gateway, a transit gateway,
  an interface or another target beyond the VPCs, where they hold private addresses
  (on-premises networks behind VPN or Direct Connect; the proof's public blocks leave
  private space out): flows to and from them;
* internet-facing load balancers: flows from the internet to their listeners (the engine
  traces the internet only to an interface's own public address).
"""

from __future__ import annotations

from vpcwire.network import Network
from vpcwire.verify.outside_space import EXCLUDED

__all__ = ["not_covered"]

_SHOWN = 5  # names per line before "and N more"
_ONWARD = ("vpn_gateway", "transit_gateway", "network_interface", "other")


def not_covered(network: Network) -> tuple[str, ...]:
    """One line per kind of part the proof leaves out, naming them; () when none."""
    out: list[str] = []
    primary = {i.interface for i in network.instances.values()}
    others = sorted(
        eni.name or eni.id
        for eni in network.interfaces.values()
        if eni.kind in ("other", "external") or (eni.kind == "instance" and eni.id not in primary)
    )
    if others:
        out.append(
            f"flows from and to {_count(len(others), 'network interface')} of no instance, "
            f"endpoint, load balancer or NAT gateway (or an instance's second one): "
            f"{_few(others)}"
        )
    onward = _onward_ranges(network)
    if onward:
        out.append(
            "flows to and from address ranges outside every VPC that routes send on to "
            f"networks vpcwire does not model (VPN, Direct Connect, …): {_few(onward)}"
        )
    facing = sorted(lb.name or lb.id for lb in network.load_balancers.values() if not lb.internal)
    if facing:
        out.append(
            f"flows from the internet to {_count(len(facing), 'internet-facing load balancer')}:"
            f" {_few(facing)}"
        )
    return tuple(out)


def _onward_ranges(network: Network) -> list[str]:
    """Private destinations outside every VPC routed to a target the engine does not
    follow, as ``cidr via target``."""
    inside = [c for v in network.vpcs.values() for c in v.cidrs]
    found: dict[str, None] = {}
    for table in network.route_tables.values():
        for route in table.routes:
            dest = route.destination
            if route.kind not in _ONWARD or dest is None:
                continue
            if any(dest.subnet_of(c) for c in inside if c.version == dest.version):
                continue  # into a VPC of the network: its classes are traced
            if not any(dest.overlaps(e) for e in EXCLUDED):
                continue  # public space only: its blocks are traced (unknown where not followed)
            found[f"{dest} via {route.target}"] = None
    return sorted(found)


def _count(n: int, what: str) -> str:
    return f"{n} {what}{'s' if n != 1 else ''}"


def _few(names: list[str]) -> str:
    if len(names) <= _SHOWN:
        return ", ".join(names)
    return ", ".join(names[:_SHOWN]) + f" and {len(names) - _SHOWN} more"
