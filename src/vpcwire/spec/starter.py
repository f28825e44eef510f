"""A starter spec from an estate: every VPC found, as an ``existing:`` entry (issue 18).

`vpcwire init` reads a Network — live (AWS or the sandbox), from a snapshot, or scanned
from Terraform: the same model each way — and writes the spec a user starts from::

    accounts:
      main: {id: "111111111111"}
    vpcs:
      provider:                                    # the key: made from the Name tag
        account: main
        region: us-east-1
        existing: {tags: {Name: "bf-provider"}}    # or {id: vpc-…}: see below
        # 10.10.0.0/16; subnets, AZs, instances and peerings as comments
    services: {}
    connections: []

Decisions (each one also said in the written file, where it applies):

* **Selector.** ``{tags: {Name: …}}`` when the Name tag names exactly one VPC of what was
  read (a spec reads better by name, and the name survives a re-creation); otherwise
  ``{id: vpc-…}`` with a comment saying why. A Terraform configuration has no VPC ids
  before apply: there, a VPC whose Name is unknown (absent, or computed at apply) or shared
  is written *commented out*, with what is unknown and what to write once it is applied —
  vpcwire never invents a name or an id.
* **Key.** The Name tag (else the id), lower-cased without accents, every run of other characters than
  ``a-z 0-9 _ -`` made one ``-``, prefixed ``vpc-`` unless it starts with a letter, cut to
  39 characters (the spec's name pattern); a repeat gets ``-2``, ``-3``….
* **VPCs vpcwire made** (tagged ``vpcwire:stack``) are listed commented out too: their
  own stack's spec describes them and its ``down`` removes them, so a second spec should
  not lean on them unasked.
* **Default VPCs** are listed commented out: they are rarely what anyone connects (every
  one is 172.31.0.0/16, so they overlap each other), but seeing them tells the user the
  region was read. Uncommenting one is all it takes to use it.
* **Accounts.** The first account read is ``main`` (the caller's, on AWS), the others
  ``account-<id>``; a role or profile that reached an account is written beside it. An
  account a Terraform configuration does not state (no ``allowed_account_ids`` or
  ``assume_role``) gets a placeholder id that the spec loader refuses ("an AWS account id
  is exactly 12 digits"), and a region it does not state ``"(unknown region)"``, refused
  the same way: the user must fill them in before anything is planned.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

from vpcwire.network import Network
from vpcwire.network.model import Instance, Subnet, Vpc
from vpcwire.network.unknown import account_known
from vpcwire.spec.yaml_text import comment, scalar

__all__ = ["AccountHint", "Starter", "spec_key", "starter_spec", "unique_keys"]

STACK_TAG = "vpcwire:stack"  # what `vpcwire up` tags its resources with (deploy/inventory.py)
KEY_LENGTH = 39  # the spec's names: ^[a-z][a-z0-9_-]{0,38}$
SHOWN_INSTANCES = 5  # instances named per VPC in its comment; the rest are counted


@dataclass(frozen=True, slots=True)
class AccountHint:
    """How an account was reached, written beside its id (a live read knows it)."""

    role_arn: str | None = None
    profile: str | None = None
    note: str = ""  # a comment line, when the way cannot be told exactly


@dataclass(frozen=True, slots=True)
class Starter:
    """The spec's text, the keys written as live entries, and why the others were not."""

    text: str
    listed: tuple[str, ...]
    left_out: tuple[str, ...] = field(default=())


def spec_key(text: str) -> str:
    """A spec name made from a Name tag or id (see the module docstring)."""
    # accents dropped (Zürich -> zurich) before anything else outside a-z becomes "-"
    decomposed = unicodedata.normalize("NFKD", text)
    plain = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    key = re.sub(r"[^a-z0-9_-]+", "-", plain.lower())
    key = re.sub(r"-{2,}", "-", key).strip("-_")
    if not key[:1].isalpha():
        key = f"vpc-{key}" if key else "vpc"
    return key[:KEY_LENGTH].rstrip("-_")


def unique_keys(texts: Sequence[str]) -> list[str]:
    """:func:`spec_key` of each text, a repeat suffixed ``-2``, ``-3``… to stay unique."""
    used: set[str] = set()
    keys = []
    for text in texts:
        base = key = spec_key(text)
        n = 1
        while key in used:
            n += 1
            suffix = f"-{n}"
            key = base[: KEY_LENGTH - len(suffix)].rstrip("-_") + suffix
        used.add(key)
        keys.append(key)
    return keys


@dataclass(frozen=True, slots=True)
class _Entry:
    key: str
    vpc: Vpc
    selector: str | None  # the flow mapping after `existing: `; None = written commented
    why: str = ""  # why the selector is what it is (or why the entry is commented)
    then: str = ""  # what to do in the written file (not said when nothing is written)


def starter_spec(
    network: Network,
    *,
    source: str,
    aws_ids: bool,
    accounts: Mapping[str, AccountHint] | None = None,
    notes: Sequence[str] = (),
) -> Starter:
    """The starter spec of ``network``.

    ``source`` says where the network came from (the header comment); ``aws_ids``: the
    VPC ids are AWS's (a live read, a snapshot), not Terraform addresses (a scan), so a VPC
    may be selected by id. ``notes`` are lines about what the reading left out (written as
    comments, and returned in ``left_out``).
    """
    vpcs = sorted(
        network.vpcs.values(),
        key=lambda v: (v.is_default, bool(_made_by_vpcwire(v)), _name_tag(v) or v.id),
    )
    names = [_name_tag(v) for v in vpcs]
    entries = [
        _entry(key, vpc, names.count(_name_tag(vpc)), aws_ids)
        for key, vpc in zip(
            unique_keys([n or v.id for n, v in zip(names, vpcs, strict=True)]), vpcs, strict=True
        )
    ]
    account_keys = _account_keys(network, vpcs)
    lines = [
        f"# Starter spec: the VPCs of {comment(source)}, as `existing:` entries (vpcwire init).",
        "# vpcwire creates only what a connection needs and never changes these VPCs.",
        "# Next: add services and connections below, then `vpcwire plan` this file.",
        *_account_lines(account_keys, accounts or {}),
        "vpcs:",
    ]
    for entry in entries:
        lines += _vpc_lines(entry, account_keys[entry.vpc.account], network)
    left_out = [*(_left_out(e) for e in entries if e.selector is None), *notes]
    lines += [f"  # not listed: {comment(note)}" for note in notes]
    listed = [e for e in entries if e.selector is not None]
    lines += _examples(listed, network)
    return Starter("\n".join(lines) + "\n", tuple(e.key for e in listed), tuple(left_out))


def _name_tag(vpc: Vpc) -> str | None:
    name = vpc.tags.get("Name")
    return name if name else None


def _made_by_vpcwire(vpc: Vpc) -> str | None:
    return vpc.tags.get(STACK_TAG) or None


def _entry(key: str, vpc: Vpc, sharing: int, aws_ids: bool) -> _Entry:
    name = _name_tag(vpc)
    if vpc.is_default:
        return _Entry(key, vpc, None, "the region's default VPC", "uncomment to connect it")
    if stack := _made_by_vpcwire(vpc):
        return _Entry(
            key,
            vpc,
            None,
            f"made by vpcwire stack {stack}, whose spec describes it (and whose `down` removes it)",
            "uncomment to connect it as an existing VPC all the same",
        )
    if name is not None and sharing == 1:
        return _Entry(key, vpc, f"{{tags: {{Name: {scalar(name)}}}}}")
    if aws_ids:
        why = (
            f"named by id: {sharing} VPCs share the Name tag {name}"
            if name is not None
            else "named by id: it has no Name tag"
        )
        return _Entry(key, vpc, f"{{id: {scalar(vpc.id)}}}", why)
    if name is not None:
        why = (
            f"{sharing} VPCs of the configuration are tagged Name {name}: once applied, "
            "name it by id, existing: {id: vpc-…}"
        )
    else:
        why = (
            "its Name tag is not known from the configuration (absent, or computed at "
            "apply): once applied, write existing: {tags: {Name: …}} or {id: vpc-…}"
        )
    return _Entry(key, vpc, None, why)


def _left_out(entry: _Entry) -> str:
    return f"{entry.vpc.id} ({_where(entry.vpc)}): {entry.why}"


def _where(vpc: Vpc) -> str:
    origin = vpc.origin
    if origin is not None and origin.file:
        return f"{origin.file}:{origin.line}" if origin.line else origin.file
    return f"{vpc.region}, account {vpc.account}"


# -- accounts -------------------------------------------------------------------------------


def _account_keys(network: Network, vpcs: Sequence[Vpc]) -> dict[str, str]:
    """Account (id or Terraform stand-in) -> its spec name, in the order they were read."""
    order = [a for a in network.accounts if any(v.account == a for v in vpcs)]
    order += [v.account for v in vpcs if v.account not in order]
    keys: dict[str, str] = {}
    for n, account in enumerate(dict.fromkeys(order)):
        if n == 0:
            keys[account] = "main"
        else:
            keys[account] = f"account-{account}" if account_known(account) else f"account-{n + 1}"
    return keys


def _account_lines(keys: Mapping[str, str], hints: Mapping[str, AccountHint]) -> list[str]:
    lines = ["accounts:"]
    for account, key in keys.items():
        hint = hints.get(account, AccountHint())
        if not account_known(account):
            why = (
                "the configuration does not say which account"
                if account.startswith("(")  # a Terraform provider's stand-in (network/unknown.py)
                else "not a 12-digit AWS account id, as read"
            )
            lines.append(f"  # {comment(account)}: {why}; write its 12-digit id")
            lines.append(f"  {scalar(key)}: {{id: {scalar(f'FILL IN: {account}')}}}")
            continue
        # an account id is always quoted: unquoted, YAML would read 012345678901 as a number
        fields = [f'id: "{account}"']
        if hint.role_arn:
            fields.append(f"role_arn: {scalar(hint.role_arn)}")
        if hint.profile:
            fields.append(f"profile: {scalar(hint.profile)}")
        if hint.note:
            lines.append(f"  # {comment(hint.note)}")
        lines.append(f"  {scalar(key)}: {{{', '.join(fields)}}}")
    return lines


# -- one VPC --------------------------------------------------------------------------------


def _vpc_lines(entry: _Entry, account_key: str, network: Network) -> list[str]:
    vpc = entry.vpc
    body = [
        f"account: {scalar(account_key)}",
        f"region: {scalar(vpc.region)}",
        f"existing: {entry.selector or '{id: ' + scalar(vpc.id) + '}'}",
    ]
    facts = [f"# {comment(line)}" for line in _facts(vpc, network)]
    if entry.selector is None:
        advice = f"{entry.why}: {entry.then}" if entry.then else entry.why
        head = [f"  # {comment(advice)}", f"  # {scalar(entry.key)}:"]
        if not entry.vpc.id.startswith("vpc-"):  # a Terraform address is no VPC id
            body[2] = "existing: {tags: {Name: …}}"
        return head + [f"  #   {line}" for line in body] + [f"  #   {f}" for f in facts]
    head = [f"  {scalar(entry.key)}:"]
    why = [f"    # {comment(entry.why)}"] if entry.why else []
    return head + [f"    {line}" for line in body] + why + [f"    {f}" for f in facts]


def _facts(vpc: Vpc, network: Network) -> list[str]:
    """What the user needs while writing connections: blocks, subnets, hosts, peerings."""
    blocks = ", ".join(str(c) for c in vpc.cidrs[:1])
    if len(vpc.cidrs) > 1:
        blocks += " (+ " + ", ".join(str(c) for c in vpc.cidrs[1:]) + ")"
    name = _name_tag(vpc)
    what = "Terraform " if not vpc.id.startswith("vpc-") else ""
    facts = [f"{what}{vpc.id}" + (f" Name {name}" if name else "") + f": {blocks}"]
    if vpc.origin is not None and vpc.origin.file:
        facts.append(f"defined at {_where(vpc)}")
    subnets = sorted(
        (s for s in network.subnets.values() if s.vpc == vpc.id),
        key=lambda s: (s.az, s.cidr),
    )
    by_az: dict[str, list[Subnet]] = {}
    for subnet in subnets:
        by_az.setdefault(subnet.az, []).append(subnet)
    facts.append(f"subnets: {len(subnets)} in {len(by_az)} AZ(s)" if subnets else "no subnets")
    for az, in_az in by_az.items():
        zone = f"{az} ({in_az[0].az_id})" if in_az[0].az_id else az
        facts.append(f"  {zone}: " + ", ".join(_subnet(s) for s in in_az))
    instances = sorted(network.instances_in_vpc.get(vpc.id, []), key=lambda i: i.name)
    if instances:
        shown = ", ".join(_instance(i, network) for i in instances[:SHOWN_INSTANCES])
        more = f" and {len(instances) - SHOWN_INSTANCES} more" if len(instances) > 5 else ""
        facts.append(f"instances: {shown}{more}")
    for pcx in network.peerings_of_vpc.get(vpc.id, []):
        other = pcx.accepter_vpc if pcx.requester_vpc == vpc.id else pcx.requester_vpc
        facts.append(f"peered with {other} ({pcx.id}, {pcx.status})")
    return facts


def _subnet(subnet: Subnet) -> str:
    label = f" {subnet.name}" if subnet.name and subnet.name != subnet.id else ""
    return f"{subnet.cidr}{label}" + (" public" if subnet.public else "")


def _instance(instance: Instance, network: Network) -> str:
    eni = network.interfaces.get(instance.interface)
    ip = f" {eni.private_ip}" if eni is not None and eni.private_ip is not None else ""
    return f"{instance.name}{ip}"


# -- the commented examples -----------------------------------------------------------------


def _examples(listed: Sequence[_Entry], network: Network) -> list[str]:
    """Examples that name the estate's own VPCs: the service in a VPC with hosts (at the
    address of one of them), its consumer another VPC."""
    hosts = network.instances_in_vpc
    serving = [e for e in listed if hosts.get(e.vpc.id)] + [e for e in listed]
    provider = scalar(serving[0].key) if serving else "provider"
    others = [scalar(e.key) for e in listed if scalar(e.key) != provider]
    consumer = others[0] if others else "consumer"
    address = "10.0.1.10"
    if serving and hosts.get(serving[0].vpc.id):
        found = sorted(hosts[serving[0].vpc.id], key=lambda i: i.name)
        enis = [network.interfaces.get(h.interface) for h in found]
        ips = [e.private_ip for e in enis if e is not None and e.private_ip is not None]
        address = str(ips[0]) if ips else address
    return [
        "# A service: hosts in one VPC that others reach. Replace {} with, e.g.:",
        "#   api:",
        f"#     vpc: {provider}",
        "#     port: 8080",
        f"#     targets: {{ips: [{address}]}}     # hosts that already run, or:",
        "#     # targets: {existing_instances: {tags: {Role: api}}}",
        "services: {}",
        "# What may reach what. Replace [] with, e.g.:",
        f"#   - consumer: {consumer}    # one-way, to the service's ports only",
        "#     service: api",
        f"#   - peers: [{provider}, {consumer}]    # or two-way: the whole network",
        "connections: []",
    ]
