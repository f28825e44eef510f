"""NLB health checks with real packets: which targets a node may send connections to.

AWS sends connections only to targets that pass the NLB's health checks, which come from
the node's own address (whatever client IP preservation does to client traffic), and fails
open when every target fails. Here each node of a preserving target group opens a TCP
connection to each of its targets from its own namespace, through the same routes, network
ACLs and security groups as any packet; a responder stands in for the application. The
nodes are then rebuilt without the targets that did not answer (see
``ServiceRules.healthy_pairs``). Groups without client IP preservation need no check: their
targets see the node's address anyway, so a target that fails the check also drops the
traffic.
https://docs.aws.amazon.com/elasticloadbalancing/latest/network/target-group-health-checks.html
"""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor

from vpcwire.sandbox.dataplane.layout import Layout
from vpcwire.sandbox.dataplane.responders import Responders
from vpcwire.sandbox.dataplane.system import socket_in

__all__ = ["HEALTH_TIMEOUT_S", "failed_health_checks"]

HEALTH_TIMEOUT_S = 1.0


def failed_health_checks(
    layout: Layout, timeout: float = HEALTH_TIMEOUT_S
) -> frozenset[tuple[str, str, int]]:
    """The (node slot, target address, port) of ``layout.health_checks`` that failed."""
    if not layout.health_checks:
        return frozenset()
    ports = {port for _, _, port in layout.health_checks}
    wanted = {
        (layout.namespace_of[s.id], "tcp", port, s.label)
        for s in layout.slots.values()
        if s.role in ("instance", "interface")
        for port in ports
    }

    def passes(check: tuple[str, str, int]) -> bool:
        node, address, port = check
        return _connects(layout.namespace_of[node], address, port, timeout)

    with Responders(wanted), ThreadPoolExecutor(max_workers=32) as pool:
        results = list(pool.map(passes, layout.health_checks))
    return frozenset(c for c, ok in zip(layout.health_checks, results, strict=True) if not ok)


def _connects(ns: str, address: str, port: int, timeout: float) -> bool:
    """A TCP health check: the handshake completes."""
    sock = socket_in(ns)
    with sock:
        sock.settimeout(timeout)
        try:
            sock.connect((address, port))
        except OSError:
            return False
        return True
