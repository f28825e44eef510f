from __future__ import annotations

from collections.abc import Iterator

from vpcwire.rules.base import Finding, NetworkView, Rule


class NlbSubnetsWrongVpc(Rule):
    id = "VW-E307"
    title = "Load balancer on subnets of a VPC other than its target groups'"
    description = (
        "A load balancer lives in the VPC of its subnets, and a listener can only forward to a "
        "target group of that same VPC (AWS refuses the listener with ValidationError: the "
        "target group's VPC must match the load balancer's). Hand-written inter-region "
        "PrivateLink often creates the outpost NLB on the provider VPC's subnets while its "
        "target group sits in the outpost VPC; subnets of two VPCs in one NLB are refused "
        "outright."
    )
    url = "https://docs.aws.amazon.com/elasticloadbalancing/latest/network/load-balancer-target-groups.html"
    fix = "put the load balancer on subnets of the VPC its target groups (and endpoint service) are for"
    stage = "network"
    judges_networks = True

    def judge(self, view: NetworkView) -> Iterator[Finding]:
        net = view.network
        for lb in net.load_balancers.values():
            vpcs = {net.subnets[s].vpc for s in lb.subnets if s in net.subnets}
            if len(vpcs) > 1:
                shown = ", ".join(sorted(view.name(net.vpcs[v]) for v in vpcs if v in net.vpcs))
                yield self.finding_on(
                    view, lb, f"load balancer {view.name(lb)} has subnets in several VPCs ({shown})"
                )
                continue
            for listener in net.listeners_of_lb.get(lb.id, []):
                tg = net.target_groups.get(listener.target_group or "")
                if tg is None or tg.vpc == lb.vpc:
                    continue
                lb_vpc, tg_vpc = net.vpcs.get(lb.vpc), net.vpcs.get(tg.vpc)
                if lb_vpc is None or tg_vpc is None:
                    continue
                fix = (
                    f"create {view.name(lb)} on subnets of VPC {view.name(tg_vpc)}, where its "
                    f"target group {view.name(tg)} is"
                )
                yield self.finding_on(
                    view,
                    lb,
                    f"load balancer {view.name(lb)} is on subnets of VPC {view.name(lb_vpc)} but "
                    f"its listener {listener.port} forwards to target group {view.name(tg)} of VPC "
                    f"{view.name(tg_vpc)} (AWS refuses the listener)",
                    fix,
                    field="subnets",
                )
