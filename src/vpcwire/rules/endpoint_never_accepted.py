from __future__ import annotations

from collections.abc import Iterator

from vpcwire.network.unknown import is_known
from vpcwire.rules.base import Finding, NetworkView, Rule


class EndpointNeverAccepted(Rule):
    id = "VW-W309"
    title = "Endpoint to a service that needs acceptance, with nothing accepting it"
    description = (
        "An endpoint service with acceptance_required leaves every endpoint connection in "
        "pendingAcceptance until the service owner accepts it "
        "(aws_vpc_endpoint_connection_accepter, or auto_accept on an endpoint in the "
        "owner's account). Nothing flows through a pending endpoint. A person may accept it "
        "by hand later, hence a warning; silent when the service's setting, the endpoint's "
        "service or its state is unknown."
    )
    url = "https://docs.aws.amazon.com/vpc/latest/privatelink/configure-endpoint-service.html"
    fix = (
        "add an aws_vpc_endpoint_connection_accepter for the endpoint, or set "
        "acceptance_required = false on the service"
    )
    stage = "network"
    judges_networks = True

    def judge(self, view: NetworkView) -> Iterator[Finding]:
        net = view.network
        for ep in net.endpoints.values():
            if ep.state != "pendingAcceptance" or not is_known(ep, "state", "service_name"):
                continue
            service = net.endpoint_service_by_name.get(ep.service_name)
            if service is None or not service.acceptance_required:
                continue
            if not is_known(service, "acceptance_required"):
                continue
            yield self.finding_on(
                view,
                ep,
                f"endpoint {view.name(ep)} connects to {view.name(service)}, which requires "
                "acceptance, and nothing accepts it: it stays pendingAcceptance and carries "
                "nothing",
                f"add an aws_vpc_endpoint_connection_accepter (vpc_endpoint_service_id = "
                f"{view.name(service)}, vpc_endpoint_id = {view.name(ep)}), or set "
                f"acceptance_required = false on {view.name(service)}",
            )
