from __future__ import annotations

from collections.abc import Iterator

from vpcwire.rules.base import Finding, NetworkView, Rule


class EndpointWithoutOwnSecurityGroup(Rule):
    id = "VW-W402"
    title = "Interface endpoint without a security group of its own"
    description = (
        "An interface endpoint created without a security group gets the VPC's default group, "
        "which admits only other members of that same group (and vpcwire, like the "
        "terraform-aws-modules VPC module, strips its rules altogether): every other client's "
        "connection times out at the endpoint. Give each endpoint a group that admits exactly "
        "its consumers on the service ports."
    )
    url = "https://docs.aws.amazon.com/vpc/latest/privatelink/create-interface-endpoint.html"
    fix = "attach a dedicated security group admitting the consumer's CIDR on the service ports"
    stage = "network"
    judges_networks = True

    def judge(self, view: NetworkView) -> Iterator[Finding]:
        net = view.network
        for ep in net.endpoints.values():
            if ep.type != "Interface":
                continue
            groups = [net.security_groups.get(g) for g in ep.security_groups]
            if not ep.security_groups:
                problem = "has no security group, so AWS gives it the VPC's default group"
            elif any(g is not None and g.is_default for g in groups):
                problem = "uses the VPC's default security group"
            else:
                continue
            fix = self.fix
            if view.scanned:
                fix += f": set security_group_ids on {view.name(ep)}"
            yield self.finding_on(
                view,
                ep,
                f"endpoint {view.name(ep)} {problem}: clients outside that group cannot connect",
                fix,
            )
