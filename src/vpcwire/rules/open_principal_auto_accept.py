from __future__ import annotations

from collections.abc import Iterator

from vpcwire.rules.base import Finding, NetworkView, Rule, RuleContext
from vpcwire.rules.locate import service_of, vpc_path
from vpcwire.spec.source import PathKey


class OpenPrincipalAutoAccept(Rule):
    id = "VW-W401"
    title = "Endpoint service open to every AWS account without acceptance"
    description = (
        "Allowed principal '*' lets any AWS account create an endpoint to the service; with "
        "acceptance not required, every such endpoint connects at once. The service is then "
        "as reachable as a public one, from inside every VPC of every AWS customer, and the "
        "provider cannot see who is connecting until traffic arrives."
    )
    url = "https://docs.aws.amazon.com/vpc/latest/privatelink/configure-endpoint-service.html"
    fix = (
        "list the consumers' account roots or roles in allowed_principals, or set "
        "acceptance_required: true to vet each connection"
    )
    stage = "plan"

    judges_networks = True

    def judge(self, view: NetworkView) -> Iterator[Finding]:
        """A scanned or live network (a planned one points at the spec, in check)."""
        if view.plan is not None:
            return
        for es in view.network.endpoint_services.values():
            if "*" in es.allowed_principals and not es.acceptance_required:
                yield self.finding_on(
                    view,
                    es,
                    f"endpoint service {view.name(es)} allows principal '*' and accepts every "
                    "endpoint without review: any AWS account can connect",
                    "list the consumers' account roots in allowed_principals, or set "
                    "acceptance_required = true",
                )

    def check(self, ctx: RuleContext) -> Iterator[Finding]:
        assert ctx.plan is not None
        net = ctx.plan.network
        for es in net.endpoint_services.values():
            if "*" not in es.allowed_principals or es.acceptance_required:
                continue
            yield self.finding(
                ctx,
                self._path(ctx, es.id, es.load_balancers),
                f"endpoint service {es.name} allows principal '*' and accepts every endpoint "
                "without review: any AWS account can connect",
            )

    def _path(self, ctx: RuleContext, es_id: str, lbs: tuple[str, ...]) -> PathKey:
        assert ctx.plan is not None
        name = service_of(ctx.plan, es_id)
        if name is not None:
            principals = ctx.spec.services[name].allowed_principals or []
            if "*" in principals:
                return ("services", name, "allowed_principals", principals.index("*"))
            return ("services", name)
        lb = ctx.plan.network.load_balancers.get(lbs[0]) if lbs else None
        return vpc_path(ctx.plan, lb.vpc) if lb is not None else ()
