"""Template variables for the sample workload's user_data (templates/*.tftpl)."""

from __future__ import annotations

import re

from vpcwire.plan.plan import Call, Workload

__all__ = ["client_vars", "endpoint_tag_key", "service_vars"]

# Characters AWS allows in a tag key that instance metadata exposes (no spaces, no "/").
# https://docs.aws.amazon.com/AWSEC2/latest/UserGuide/work-with-tags-in-IMDS.html
_NOT_IMDS_KEY = re.compile(r"[^A-Za-z0-9+\-=.,_:@]")


def service_vars(workload: Workload) -> dict[str, object]:
    protocols = ["tcp", "udp"] if workload.protocol == "tcp_udp" else [workload.protocol]
    return {"service": workload.serves or "", "ports": list(workload.ports), "protocols": protocols}


def endpoint_tag_key(call: Call) -> str:
    """The instance tag that carries the DNS name of the endpoint a call goes to."""
    return "vpcwire-endpoint-" + _NOT_IMDS_KEY.sub("-", call.service)


def client_vars(workload: Workload | None) -> dict[str, object]:
    """Calls go to the endpoint's regional DNS name or, over a peering, to each target
    address; pings go to the peers' instances.

    The DNS name is not in the user_data: it exists only once the endpoint does, and an
    instance whose user_data names it would wait for the endpoint (and through it the
    endpoint service and the NLB) before it boots. The client reads it at run time from an
    instance tag (``tag``) through the instance metadata service; addresses are planned,
    so they are plain strings that make terraform wait for nothing.
    """
    calls: list[dict[str, object]] = []
    for call in workload.calls if workload else ():
        targets = (
            [("", endpoint_tag_key(call))]
            if call.endpoint is not None
            else [(str(a), "") for a in call.addresses]
        )
        for host, tag in targets:
            calls.append(
                {
                    "service": call.service,
                    "host": host,
                    "tag": tag,
                    "port": call.port,
                    "protocol": call.protocol,
                }
            )
    return {"calls": calls, "pings": [str(a) for a in (workload.pings if workload else ())]}
