from __future__ import annotations

from collections.abc import Iterator

from vpcwire.rules.base import Finding, Rule, RuleContext
from vpcwire.rules.locate import service_of

# Which NLB listener protocols carry which service protocol (TLS terminates TCP only).
_CARRIES = {
    "tcp": {"TCP", "TLS", "TCP_UDP"},
    "udp": {"UDP", "TCP_UDP"},
    "tcp_udp": {"TCP_UDP"},
}


class ListenerProtocolMismatch(Rule):
    id = "VW-E306"
    title = "PrivateLink listener cannot carry the service's protocol (e.g. UDP on a TCP listener)"
    description = (
        "Behind an endpoint service, traffic reaches targets only through a listener of the "
        "NLB: UDP needs a UDP or TCP_UDP listener on the port, TCP a TCP, TLS or TCP_UDP one. "
        "A service declared udp (or tcp_udp) whose listener is TCP or TLS times out for every "
        "datagram; a port without any listener is refused."
    )
    url = "https://docs.aws.amazon.com/elasticloadbalancing/latest/network/load-balancer-listeners.html"
    fix = "give each service port a listener of the service's protocol (UDP or TCP_UDP for udp)"
    stage = "plan"

    def check(self, ctx: RuleContext) -> Iterator[Finding]:
        assert ctx.plan is not None
        net = ctx.plan.network
        for es in net.endpoint_services.values():
            name = service_of(ctx.plan, es.id)
            if name is None:
                continue
            svc = ctx.spec.services[name]
            for lb in es.load_balancers:
                listeners = {lst.port: lst for lst in net.listeners_of_lb.get(lb, [])}
                for port in svc.port_list:
                    lst = listeners.get(port)
                    if lst is None:
                        message = f"the NLB behind {es.name} has no listener on port {port}"
                    elif lst.protocol not in _CARRIES[svc.protocol]:
                        message = (
                            f"service {name} is {svc.protocol} on port {port}, but listener "
                            f"{lst.name} is {lst.protocol}, which cannot carry it"
                        )
                    else:
                        continue
                    yield self.finding(ctx, ("services", name, "protocol"), message)
