"""What a rule is, what it finds, and how all rules are collected.

A rule is a small class in a file of its own under ``vpcwire/rules/``. Its id says
its severity (``VW-E…`` error, ``VW-W…`` warning, ``VW-I…`` info) and its area (first
digit: 1 addressing, 2 peering, 3 PrivateLink, 4 security, 5 scale and quotas, 6 cross
region, 7 what a scan could not resolve, 8 Transit Gateway). Findings are values with a
path into the spec, never exceptions: the CLI decides what to do with them (errors block
``up`` and exit 2; warnings are printed).

Rules run at one of four stages. ``spec`` rules see only the validated spec: the user's
wording (names, ``via:`` requests, expectations) and the facts the planner's choices depend
on. ``plan`` rules also see the plan's decisions. ``network`` rules judge a Network alone
(:meth:`Rule.judge`), so the same rule runs on a planned, a scanned (Terraform) and a live
network; each finding locates itself through the resource's origin (:class:`NetworkView`):
the spec path and line for a planned network, ``file.tf:LINE`` and the Terraform address for
a scanned one, the AWS id for a live one. ``terraform`` rules are about a configuration
vpcwire scanned (what it could not resolve). A spec rule may also judge networks
(``judges_networks``) when AWS would refuse the same thing in any configuration.
"""

from __future__ import annotations

import importlib
import pkgutil
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, replace
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING, ClassVar, Literal

from vpcwire.errors import Location
from vpcwire.findings import Finding, Severity
from vpcwire.spec.source import PathKey, format_path, spec_location

if TYPE_CHECKING:
    from vpcwire.network import Network
    from vpcwire.network.model import Origin, Resource, UnknownValue
    from vpcwire.plan.plan import Plan
    from vpcwire.spec.models import Spec

__all__ = [
    "Finding",
    "NetworkView",
    "Rule",
    "RuleContext",
    "Severity",
    "Stage",
    "all_rules",
    "judge_network",
]

Stage = Literal["spec", "plan", "network", "terraform"]


@dataclass(frozen=True, slots=True)
class RuleContext:
    spec: Spec
    plan: Plan | None = None


@dataclass(frozen=True)
class NetworkView:
    """A Network to judge, and how a finding about one of its resources points at the place
    the user edits: the plan (spec path), else the resource's origin (Terraform file:line
    and address), else its id (an AWS id for a live network)."""

    network: Network
    plan: Plan | None = None

    def locate(
        self,
        resource: Resource,
        field: str | None = None,
        anchor: Resource | None = None,
        origin: Origin | None = None,
    ) -> tuple[str, Location]:
        """``anchor``: the resource whose spec entry a planned finding points at, when that
        is not the resource's own (a security group's finding at its VPC's entry).
        ``origin``: where a part of the resource is written, when it is written apart from
        the resource (a scanned `aws_route` of a route table); else the resource's own."""
        if origin is None or origin.file is None:
            origin = resource.origin
        if origin is not None and origin.file is not None:
            return origin.address or resource.id, Location(Path(origin.file), origin.line)
        if self.plan is not None:
            path = self._spec_path(anchor or resource, field)
            return format_path(path), spec_location(self.plan.spec, path)
        label = (origin.aws_id if origin is not None else None) or resource.id
        return label, Location(None)

    def _spec_path(self, resource: Resource, field: str | None) -> PathKey:
        from vpcwire.network.model import Subnet, Vpc
        from vpcwire.rules.locate import connection_of, subnet_path, vpc_path

        assert self.plan is not None
        if isinstance(resource, Vpc):
            return vpc_path(self.plan, resource.id)
        if isinstance(resource, Subnet):
            path = subnet_path(self.plan, resource)
            # An explicit subnet entry has fields; an azs entry is the field itself.
            return (*path, field) if field and "subnets" in path else path
        decision = connection_of(self.plan, resource.id)
        if decision is not None:
            return ("connections", decision.index)
        vpc = getattr(resource, "vpc", None)
        return vpc_path(self.plan, vpc) if isinstance(vpc, str) else ()

    def name(self, resource: Resource) -> str:
        """How a message names a resource: its Terraform address when scanned, else its
        logical name."""
        origin = resource.origin
        if origin is not None and origin.address:
            return origin.address
        return resource.name or resource.id

    @property
    def scanned(self) -> bool:
        return self.plan is None


class Rule:
    """Subclass, set the metadata, implement :meth:`check`."""

    id: ClassVar[str]
    title: ClassVar[str]  # one line, no trailing period
    description: ClassVar[str]  # why it matters
    url: ClassVar[str]  # the AWS page that says so
    fix: ClassVar[str]  # the general fix; findings may give a more specific one
    stage: ClassVar[Stage] = "spec"
    # True for network rules, and for spec rules that also judge scanned and live networks.
    judges_networks: ClassVar[bool] = False
    # A network rule that can also read its fault straight off a spec the loader refused
    # (so that one run reports both): ``check_spec_early`` then says it from the spec alone.
    early_on_spec: ClassVar[bool] = False
    # The model fields an error of this rule rests on (of its subject and the resources the
    # subject names, e.g. a subnet's VPC); None: any field but accounts (whose stand-ins
    # compare as they should, see network/unknown.py). An error whose subject has one of
    # them unknown is not a proof, and judge_network reports it as VW-W701 instead.
    depends: ClassVar[frozenset[str] | None] = None

    @property
    def severity(self) -> Severity:
        return Severity.of(self.id)

    def check(self, ctx: RuleContext) -> Iterable[Finding]:
        """Spec and plan stages. A network rule judges the planned Network."""
        if self.stage == "network":
            assert ctx.plan is not None
            return self.judge(NetworkView(ctx.plan.network, ctx.plan))
        raise NotImplementedError

    def check_spec_early(self, ctx: RuleContext) -> Iterable[Finding]:
        """For ``early_on_spec`` rules: the fault read off a spec that cannot be planned."""
        return ()

    def judge(self, view: NetworkView) -> Iterable[Finding]:
        """Judge a Network (network rules, and spec rules with ``judges_networks``)."""
        return ()

    def finding_on(
        self,
        view: NetworkView,
        resource: Resource,
        message: str,
        fix: str | None = None,
        *,
        field: str | None = None,
        anchor: Resource | None = None,
        origin: Origin | None = None,
        rests_on: Iterable[str] = (),
    ) -> Finding:
        """``rests_on``: ids of other resources whose facts the finding reads (a peering
        finding that reads the VPCs' route tables), so that an error resting on an unknown
        field of one of them is not reported as a proof (see judge_network)."""
        path, location = view.locate(resource, field, anchor, origin)
        return Finding(
            rule=self.id,
            severity=self.severity,
            message=message,
            path=path,
            location=location,
            fix=fix or self.fix,
            url=self.url,
            subjects=(
                resource.id,
                *((anchor.id,) if anchor is not None else ()),
                *rests_on,
            ),
        )

    def finding(
        self,
        ctx: RuleContext,
        path: PathKey,
        message: str,
        fix: str | None = None,
        *,
        key: bool = False,
    ) -> Finding:
        return Finding(
            rule=self.id,
            severity=self.severity,
            message=message,
            path=format_path(path),
            location=spec_location(ctx.spec, path, key=key),
            fix=fix or self.fix,
            url=self.url,
        )


@cache
def all_rules() -> tuple[Rule, ...]:
    """One instance of every rule in this package, in id order."""
    # By name, not `import vpcwire.rules as package`: the top-level package exports a
    # function called `plan`, which shadows the `vpcwire.plan` attribute that form walks.
    package = importlib.import_module(__name__.rpartition(".")[0])

    for info in pkgutil.iter_modules(package.__path__):
        if info.name != "base":
            importlib.import_module(f"{package.__name__}.{info.name}")
    rules = [cls() for cls in _subclasses(Rule) if getattr(cls, "id", None)]
    ids = [r.id for r in rules]
    duplicates = {i for i in ids if ids.count(i) > 1}
    if duplicates:
        raise RuntimeError(f"duplicate rule ids: {sorted(duplicates)}")
    return tuple(sorted(rules, key=lambda r: r.id[4:]))


def judge_network(network: Network, plan: Plan | None = None) -> list[Finding]:
    """Every network-judging rule on one Network, findings in rule order.

    An error is a proof: one that rests on a value the network does not know (a scanned
    field marked unknown, see vpcwire.network.unknown) is reported as the VW-W701 of that
    value instead, so that no rule needs its own guard to stay honest."""
    from vpcwire.network.unknown import ACCOUNT_FIELDS, resting_on

    view = NetworkView(network, plan)
    out: list[Finding] = []
    seen: set[tuple[str, str]] = set()
    for rule in all_rules():
        if not rule.judges_networks:
            continue
        for f in rule.judge(view):
            if f.severity is Severity.ERROR and f.subjects:
                ignore = ACCOUNT_FIELDS if rule.depends is None else frozenset()
                unknowns = resting_on(network, f.subjects, rule.depends, ignore=ignore)
                if unknowns:
                    f = _undecided(rule, f, unknowns)
                    if (str(f.location), f.message) in seen:
                        continue
                    seen.add((str(f.location), f.message))
            out.append(f)
    return out


UNRESOLVED_RULE = "VW-W701"


def _undecided(rule: Rule, finding: Finding, unknowns: list[UnknownValue]) -> Finding:
    """An error that rests on unknown values, said as the warning it is: where the first
    unknown is written, what it is, how to make it known, and what the rule would say."""
    u = unknowns[0]
    origin = u.origin
    location = (
        Location(Path(origin.file), origin.line)
        if origin is not None and origin.file
        else finding.location
    )
    more = f" (and {len(unknowns) - 1} more unknown values)" if len(unknowns) > 1 else ""
    return replace(
        finding,
        rule=UNRESOLVED_RULE,
        severity=Severity.WARNING,
        message=(
            f"{rule.id} ({rule.title}) is not decided for {finding.path}: it rests on "
            f"`{u.expression}`, which is unknown ({u.why}){more}"
        ),
        path=(origin.address if origin is not None and origin.address else finding.path),
        location=location,
        fix=u.resolve or "resolve the value (--var, terraform init, or a plan's JSON)",
        url="https://developer.hashicorp.com/terraform/language/expressions/references",
    )


def _subclasses(cls: type[Rule]) -> Iterator[type[Rule]]:
    for sub in cls.__subclasses__():
        yield sub
        yield from _subclasses(sub)
