from __future__ import annotations

from collections.abc import Iterable, Iterator
from typing import TYPE_CHECKING

from vpcwire.rules.base import Finding, Rule, RuleContext

if TYPE_CHECKING:
    from vpcwire.scan.config import Unresolved


class TerraformUnresolved(Rule):
    id = "VW-W701"
    title = "Terraform value or resource vpcwire cannot resolve"
    description = (
        "vpcwire scan evaluates a configuration as Terraform would, before apply. A value "
        "only apply or a data source can tell (count from another resource's attribute, a "
        "data source lookup, a variable with no value), a module that is not downloaded, or "
        "a resource type scan does not model yet leaves part of the network unknown. It is "
        "reported here, never silently dropped: the verdicts do not cover it."
    )
    url = "https://developer.hashicorp.com/terraform/language/expressions/references"
    fix = (
        "pass the variable (--var/--var-file), run `terraform init` for remote modules, or scan "
        "a saved plan's JSON (terraform show -json) where terraform resolved the value"
    )
    stage = "terraform"

    def check(self, ctx: RuleContext) -> Iterable[Finding]:
        return ()

    def report(self, unresolved: Iterable[Unresolved]) -> Iterator[Finding]:
        for u in unresolved:
            if u.rule:
                continue  # a fault another rule reports (see vpcwire.scan.run)
            yield Finding(
                rule=self.id,
                severity=self.severity,
                message=u.what,
                path=u.address or "<root>",
                location=u.location,
                fix=u.fix or self.fix,
                url=self.url,
            )
