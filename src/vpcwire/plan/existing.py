"""VPCs that already exist: find each one in the read of the target, and fill in the spec.

A spec VPC declared ``existing: {tags: …}`` or ``existing: {id: …}`` is looked up in the
observed Network (``vpcwire.deploy.estate`` reads it from the target; this module never
touches AWS, so planning a spec without ``existing:`` stays offline). Exactly one VPC of the
VPC's account and region must match; zero or several is a located error that lists what was
found. The spec is then *resolved*: the existing VPC's cidr, secondary blocks and subnets
are the real ones, so every rule and the decision guide judge the real facts (overlapping
blocks rule out peering; endpoints go in AZs both sides really cover).

Subnets whose route table sends 0.0.0.0/0 to an internet gateway are the public tier; the
others are private (where NLBs and endpoints go). A VPC with only public subnets offers them
as its private tier too: there is nowhere else to put an endpoint.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from ipaddress import IPv4Address

from vpcwire.errors import SpecError, SpecProblem
from vpcwire.network import (
    Instance,
    Network,
    NetworkInterface,
    Resource,
    RouteTable,
    SecurityGroup,
    SecurityGroupRule,
    Subnet,
    Vpc,
)
from vpcwire.spec.models import Spec, SubnetLayout, SubnetSpec
from vpcwire.spec.source import format_path, spec_location

__all__ = [
    "Estate",
    "estate_changes",
    "existing_targets",
    "match_vpcs",
    "public_subnets",
    "resolve_spec",
    "rule_description",
    "without_stack",
]


@dataclass(frozen=True)
class Estate:
    """What the read of the target found, and which VPC each ``existing:`` entry is."""

    network: Network
    where: str  # "sandbox http://127.0.0.1:…" or "aws": for messages
    vpcs: dict[str, str] = field(default_factory=dict)  # spec VPC name -> AWS VPC id
    # AWS ids of what this very stack made (tagged vpcwire:stack=<stack>): a plan made while
    # the stack is deployed (verify, down, a second up) takes the estate in without them.
    ours: frozenset[str] = frozenset()


def rule_description(consumer: str, service: str, stack: str) -> str:
    """The description of a rule vpcwire adds to an existing group: it names the stack, so
    that a later read tells the stack's rules from the estate's own."""
    return f"{consumer} to {service} (vpcwire stack {stack})"


def _stack_rule(rule: SecurityGroupRule, stack: str) -> bool:
    return rule.description.endswith(f"(vpcwire stack {stack})")


def without_stack(resource: Resource, ours: frozenset[str], stack: str) -> Resource:
    """A resource of the estate as it is without the stack: its routes to the stack's
    peerings and the rules the stack added to it left out."""
    if isinstance(resource, RouteTable):
        return replace(resource, routes=tuple(r for r in resource.routes if r.target not in ours))
    if isinstance(resource, SecurityGroup):
        return replace(
            resource,
            ingress=tuple(r for r in resource.ingress if not _stack_rule(r, stack)),
            egress=tuple(r for r in resource.egress if not _stack_rule(r, stack)),
        )
    return resource


_COMPARED = ("vpcs", "subnets", "route_tables", "network_acls", "security_groups", "instances")


def estate_changes(before: Estate, after: Estate, vpc_ids: set[str], stack: str) -> list[str]:
    """What differs in the existing VPCs between two reads, the stack's own additions left
    out of both: after `down`, an empty list proves the estate is as it was."""
    out = []
    for attr in _COMPARED:
        was = getattr(before.network, attr)
        now = getattr(after.network, attr)
        for rid, res in sorted(was.items()):
            vpc = res.id if attr == "vpcs" else getattr(res, "vpc", None)
            if vpc not in vpc_ids or rid in before.ours:
                continue
            what = f"{attr[:-1].replace('_', ' ')} {rid}" + (f" ({res.name})" if res.name else "")
            if rid not in now:
                out.append(f"{what} is gone")
            elif without_stack(res, before.ours, stack) != without_stack(
                now[rid], after.ours, stack
            ):
                out.append(f"{what} changed")
    return out


def _describe(vpc: Vpc) -> str:
    name = vpc.tags.get("Name") or vpc.name or "(no Name tag)"
    blocks = ", ".join(str(c) for c in vpc.cidrs)
    return f"{vpc.id} Name={name} {blocks} (account {vpc.account}, {vpc.region})"


def match_vpcs(spec: Spec, network: Network, where: str) -> dict[str, str]:
    """Spec VPC name -> the AWS id of the one VPC its ``existing:`` finds.

    Raises SpecError with one located problem per entry that finds none or several."""
    problems: list[SpecProblem] = []
    out: dict[str, str] = {}
    for name, vpc in spec.vpcs.items():
        if vpc.existing is None:
            continue
        account = spec.accounts[spec.account_of(name)].id
        here = [v for v in network.vpcs.values() if v.account == account and v.region == vpc.region]
        if vpc.existing.id is not None:
            found = [v for v in here if v.id == vpc.existing.id]
            wanted = f"id {vpc.existing.id}"
        else:
            tags = vpc.existing.tags or {}
            found = [v for v in here if all(v.tags.get(k) == t for k, t in tags.items())]
            wanted = "tags " + ", ".join(f"{k}={t}" for k, t in tags.items())
        if len(found) == 1:
            out[name] = found[0].id
            continue
        path = ("vpcs", name, "existing")
        listed = found if found else here
        lines = "\n".join(f"    {_describe(v)}" for v in sorted(listed, key=lambda v: v.id))
        if found:
            message = (
                f"{len(found)} VPCs in account {account} {vpc.region} match {wanted} "
                f"on {where}:\n{lines}"
            )
            hint = "match exactly one: add a tag that tells them apart, or give existing: {id: …}"
        else:
            seen = f":\n{lines}" if here else " (none at all)"
            message = (
                f"no VPC in account {account} {vpc.region} matches {wanted} on {where}; "
                f"the VPCs found there{seen}"
            )
            hint = "correct the tags or id, the account or the region (or --target)"
        problems.append(
            SpecProblem(spec_location(spec, path), format_path(path), message, hint=hint)
        )
    if problems:
        raise SpecError(problems)
    return out


def public_subnets(network: Network, vpc_id: str) -> set[str]:
    """Subnets of the VPC whose route table sends 0.0.0.0/0 to an internet gateway."""
    tables = network.route_table_of_subnet
    out = set()
    for subnet in network.subnets.values():
        if subnet.vpc != vpc_id:
            continue
        rt = tables.get(subnet.id)
        if rt is not None and any(
            r.kind == "internet_gateway"
            and r.destination is not None
            and r.destination.prefixlen == 0
            for r in rt.routes
        ):
            out.add(subnet.id)
    return out


def _subnet_spec(subnet: Subnet) -> SubnetSpec:
    return SubnetSpec(cidr=subnet.cidr, az=subnet.az)


def resolve_spec(spec: Spec, estate: Estate) -> Spec:
    """The spec with each existing VPC's real blocks and subnets filled in.

    model_copy does not validate again, so the existing entries keep their ``existing`` and
    gain the layout fields a user may not write for them."""
    vpcs = dict(spec.vpcs)
    for name, vpc_id in estate.vpcs.items():
        real = estate.network.vpcs[vpc_id]
        subnets = sorted(
            (s for s in estate.network.subnets.values() if s.vpc == vpc_id),
            key=lambda s: (s.az, s.cidr),
        )
        public = public_subnets(estate.network, vpc_id)
        private = [_subnet_spec(s) for s in subnets if s.id not in public]
        publics = [_subnet_spec(s) for s in subnets if s.id in public]
        if not private:
            private, publics = publics, []
        vpcs[name] = spec.vpcs[name].model_copy(
            update={
                "cidr": real.cidrs[0],
                "secondary_cidrs": list(real.cidrs[1:]),
                "subnets": SubnetLayout(private=private, public=publics),
            }
        )
    resolved = spec.model_copy(update={"vpcs": vpcs})
    resolved._source = spec._source
    return resolved


def existing_targets(spec: Spec, estate: Estate) -> dict[str, list[Instance]]:
    """Service name -> the existing instances that serve it (by tags, or by the ips given),
    for services in an existing VPC. An ip with no interface there is a located error."""
    net = estate.network
    enis: dict[IPv4Address, NetworkInterface] = {
        e.private_ip: e for e in net.interfaces.values() if e.private_ip is not None
    }
    problems: list[SpecProblem] = []
    out: dict[str, list[Instance]] = {}
    for svc_name, svc in spec.services.items():
        vpc_id = estate.vpcs.get(svc.vpc)
        if vpc_id is None:
            continue
        in_vpc = [i for i in net.instances.values() if i.vpc == vpc_id]
        found: list[Instance] = []
        if svc.targets.existing_instances is not None:
            tags = svc.targets.existing_instances.tags
            found = [i for i in in_vpc if all(i.tags.get(k) == t for k, t in tags.items())]
            if not found:
                path = ("services", svc_name, "targets", "existing_instances")
                problems.append(
                    SpecProblem(
                        spec_location(spec, path),
                        format_path(path),
                        f"no instance in VPC {svc.vpc} ({vpc_id}) carries the tags "
                        + ", ".join(f"{k}={t}" for k, t in tags.items()),
                        hint="correct the tags (`aws ec2 describe-instances --filters "
                        f"Name=vpc-id,Values={vpc_id}` lists them)",
                    )
                )
        for k, ip in enumerate(svc.targets.ips or []):
            eni = enis.get(IPv4Address(ip))
            owner = net.instances.get(eni.owner or "") if eni is not None else None
            if owner is None or owner.vpc != vpc_id:
                ips_path: tuple[str | int, ...] = ("services", svc_name, "targets", "ips", k)
                problems.append(
                    SpecProblem(
                        spec_location(spec, ips_path),
                        format_path(ips_path),
                        f"no instance in VPC {svc.vpc} ({vpc_id}) has the address {ip}",
                        hint="give the address of an instance that runs there, or "
                        "existing_instances: {tags: …}",
                    )
                )
            elif owner not in found:
                found.append(owner)
        out[svc_name] = found
    if problems:
        raise SpecError(problems)
    return out
