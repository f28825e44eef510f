"""Build small specs as data, plan them, and look at one rule's findings.

Specs are written as dicts and dumped to YAML, then parsed with a file name, so every
finding has a real location; plan-stage rules that our planner never trips are checked on a
planned Network with one thing changed (``recheck``), the way a Network read from AWS
would look.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

import yaml

from vpcwire.network import Network, NetworkBuilder
from vpcwire.pipeline import PlanRejected, plan
from vpcwire.plan.plan import Plan
from vpcwire.rules import Finding, RuleContext, all_rules
from vpcwire.spec.load import parse_spec

ACCOUNTS = {"main": {"id": "111111111111"}}


def vpc(
    region: str = "us-east-1",
    cidr: str = "10.0.0.0/16",
    azs: Sequence[str] | None = None,
    **extra: Any,
) -> dict[str, Any]:
    zones = list(azs) if azs is not None else [f"{region}a", f"{region}b"]
    return {"region": region, "cidr": cidr, "azs": zones, **extra}


def service(vpc_name: str, port: int = 8080, **extra: Any) -> dict[str, Any]:
    return {"vpc": vpc_name, "port": port, "targets": {"instances": 2}, **extra}


def doc(
    vpcs: dict[str, Any],
    *,
    services: dict[str, Any] | None = None,
    connections: list[Any] | None = None,
    accounts: dict[str, Any] | None = None,
    **top: Any,
) -> dict[str, Any]:
    out: dict[str, Any] = {"accounts": accounts or ACCOUNTS, "vpcs": vpcs}
    if services:
        out["services"] = services
    if connections:
        out["connections"] = connections
    out.update(top)
    return out


def pair(
    consumer_region: str = "us-east-1", provider_region: str = "us-east-1", **conn: Any
) -> dict[str, Any]:
    """The common shape: VPC consumer calls service api in VPC provider."""
    return doc(
        {
            "provider": vpc(provider_region, "10.0.0.0/16"),
            "consumer": vpc(consumer_region, "10.1.0.0/16"),
        },
        services={"api": service("provider")},
        connections=[{"consumer": "consumer", "service": "api", **conn}],
    )


def text_of(data: dict[str, Any]) -> str:
    return yaml.safe_dump(data, sort_keys=False)


def findings(data: dict[str, Any]) -> list[Finding]:
    """Every finding of a spec, whether the plan is built or rejected."""
    spec = parse_spec(text_of(data), Path("spec.yaml"))
    try:
        return list(plan(spec).findings)
    except PlanRejected as rejected:
        return list(rejected.findings)


def planned(data: dict[str, Any]) -> Plan:
    return plan(parse_spec(text_of(data), Path("spec.yaml")))


def rule(rule_id: str) -> Any:
    return next(r for r in all_rules() if r.id == rule_id)


def recheck(rule_id: str, base: Plan, change: Callable[[NetworkBuilder], None]) -> list[Finding]:
    """Run one rule on ``base`` with its Network changed by ``change``."""
    builder = NetworkBuilder(base.network)
    change(builder)
    network: Network = builder.build()
    return list(rule(rule_id).check(RuleContext(base.spec, replace(base, network=network))))


@dataclass(frozen=True)
class Case:
    """A named case: a spec (or a function giving findings) and what the rule must say."""

    name: str
    given: dict[str, Any] | Callable[[], list[Finding]]
    count: int
    says: str = ""
    path: str = ""

    def check(self, rule_id: str) -> None:
        if callable(self.given):
            got = [f for f in self.given() if f.rule == rule_id]
        else:
            got = [f for f in findings(self.given) if f.rule == rule_id]
        shown = "\n".join(map(str, got))
        assert len(got) == self.count, f"{self.name}: expected {self.count}, got:\n{shown}"
        for f in got:
            assert f.location.line is not None, f"{f} has no line"
            assert f.fix and f.url.startswith("https://")
        if self.says:
            assert any(self.says in f.message for f in got), shown
        if self.path:
            assert any(f.path == self.path for f in got), shown
