from __future__ import annotations

from collections.abc import Iterator

from vpcwire.rules.base import Finding, NetworkView, Rule


class EndpointServiceNotServing(Rule):
    id = "VW-E308"
    title = "Endpoint service whose load balancer has no listener or no registered targets"
    description = (
        "An endpoint service only forwards what its NLB's listeners accept, to the targets "
        "registered in the listeners' target groups. With no listener every connection to "
        "the endpoint is reset; with no targets (a forgotten aws_lb_target_group_attachment) "
        "the NLB has nowhere to send it. Both apply cleanly and fail only at run time."
    )
    url = "https://docs.aws.amazon.com/vpc/latest/privatelink/create-endpoint-service.html"
    fix = "add an aws_lb_listener forwarding to a target group with registered targets"
    stage = "network"
    judges_networks = True

    def judge(self, view: NetworkView) -> Iterator[Finding]:
        net = view.network
        for svc in net.endpoint_services.values():
            for lb_id in svc.load_balancers:
                lb = net.load_balancers.get(lb_id)
                if lb is None:
                    continue
                listeners = net.listeners_of_lb.get(lb_id, [])
                if not listeners:
                    yield self.finding_on(
                        view,
                        lb,
                        f"load balancer {view.name(lb)} behind endpoint service {view.name(svc)} "
                        "has no listener: every connection through the endpoint is refused",
                        f"add an aws_lb_listener on {view.name(lb)} for the service's port",
                    )
                    continue
                for lst in listeners:
                    tg = net.target_groups.get(lst.target_group or "")
                    if tg is None:
                        if lst.target_group is None:
                            yield self.finding_on(
                                view,
                                lst,
                                f"listener {view.name(lst)} forwards to no target group",
                                "give the listener a forward default_action to a target group",
                            )
                        continue
                    if not tg.targets:
                        yield self.finding_on(
                            view,
                            tg,
                            f"target group {view.name(tg)} behind endpoint service "
                            f"{view.name(svc)} has no registered targets",
                            f"register the service's instances or IPs in {view.name(tg)} "
                            "(aws_lb_target_group_attachment)",
                        )
