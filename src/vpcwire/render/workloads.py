"""Template variables for the sample workload's user_data (templates/*.tftpl)."""

from __future__ import annotations

from vpcwire.plan.plan import Workload
from vpcwire.render.hcl import Expr

__all__ = ["client_vars", "service_vars"]


def service_vars(workload: Workload) -> dict[str, object]:
    protocols = ["tcp", "udp"] if workload.protocol == "tcp_udp" else [workload.protocol]
    return {"service": workload.serves or "", "ports": list(workload.ports), "protocols": protocols}


def client_vars(workload: Workload | None) -> dict[str, object]:
    """Calls go to the endpoint's regional DNS name (known after apply) or, over a peering,
    to each target address; pings go to the peers' instances."""
    calls: list[dict[str, object]] = []
    for call in workload.calls if workload else ():
        hosts: list[object]
        if call.endpoint is not None:
            hosts = [Expr(f"{call.endpoint}.dns_entry[0].dns_name")]
        else:
            hosts = [str(a) for a in call.addresses]
        for host in hosts:
            calls.append(
                {
                    "service": call.service,
                    "host": host,
                    "port": call.port,
                    "protocol": call.protocol,
                }
            )
    return {"calls": calls, "pings": [str(a) for a in (workload.pings if workload else ())]}
