"""A Terraform configuration as Terraform resolves it: modules, variables, locals, count,
for_each and providers, evaluated lazily into resource instances.

Each module call becomes a :class:`ModuleInstance` with its own variables, locals and
provider map; each resource block becomes one :class:`ResourceInstance` per count index or
for_each key, addressed exactly as Terraform addresses it
(``module.vpc["east"].aws_subnet.private[0]``). Attributes are evaluated on demand, so
references between resources need no ordering; a value that cannot be known before apply
is an :class:`~vpcwire.scan.expr.Unknown`, and what vpcwire cannot resolve at all is
recorded in :attr:`Configuration.unresolved` with its file and line.
"""

from __future__ import annotations

import json
import os
import re
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from lark import Token, Tree
from lark.exceptions import UnexpectedInput

from vpcwire.errors import Location, SpecError, SpecProblem, UsageError, clip
from vpcwire.network.unknown import account_known, unknown_account
from vpcwire.scan.accounts import provider_account
from vpcwire.scan.expr import EvalError, Namespace, Unknown, evaluate
from vpcwire.scan.hcl import Block, first_line, load_blocks, parse_text
from vpcwire.scan.limits import MAX_INSTANCES, MAX_MODULE_DEPTH, MAX_SCAN_STEPS, LimitExceeded
from vpcwire.scan.meta import (
    count_value,
    for_each_pairs,
    instances_problem,
    module_tree,
    read_manifest,
)
from vpcwire.scan.types import conform
from vpcwire.scan.unknowns import note_fix, source_text

__all__ = [
    "DEFAULT_ACCOUNT",
    "Configuration",
    "ModuleInstance",
    "Provider",
    "ResourceInstance",
    "Unresolved",
    "load_configuration",
]

# moto's default account: where `vpcwire scan --sandbox` applies what runs under a provider
# whose account the configuration does not say. Never the scanned network's account for
# it: that is the provider's stand-in (vpcwire.network.unknown.unknown_account).
DEFAULT_ACCOUNT = "123456789012"
DEFAULT_REGION = "us-east-1"

# Resources whose Terraform `id` is another resource's id: reading `.id` of one of these
# means "that other resource", which is how the Network ties them together.
_ID_IS = {
    "aws_vpc_peering_connection_accepter": "vpc_peering_connection_id",
    "aws_vpc_peering_connection_options": "vpc_peering_connection_id",
    "aws_default_route_table": "default_route_table_id",
    "aws_default_network_acl": "default_network_acl_id",
    # an accepter's id is the attachment's (AWS has one attachment id for both sides)
    "aws_ec2_transit_gateway_vpc_attachment_accepter": "transit_gateway_attachment_id",
    "aws_ec2_transit_gateway_peering_attachment_accepter": "transit_gateway_attachment_id",
}
_ARN_IS_ID = {"arn", "id"}
# Computed attributes that are addresses, not ids: unknown until apply when not configured.
_ADDRESS_ATTRS = {"private_ip", "public_ip", "private_ips", "cidr", "cidr_block", "ip_address"}
_META = {"provider", "count", "for_each", "depends_on"}


@dataclass(frozen=True, slots=True)
class Unresolved:
    """Something vpcwire could not resolve, said where it is. ``rule`` is set when it is
    not a gap in vpcwire's knowledge but a fault only the configuration shows (a peering
    accepter under a provider of another region): then that rule reports it."""

    location: Location
    address: str
    what: str
    rule: str = ""
    fix: str = ""

    def __str__(self) -> str:
        """One located finding line, as `vpcwire scan` prints it (diff and diagram too)."""
        rule = self.rule or "VW-W701"
        level = "error" if rule[3] == "E" else "warning"
        text = f"{self.location}: {level} {rule}: {self.address or '<root>'}: {self.what}"
        return text + (f"\n    fix: {self.fix}" if self.fix else "")


@dataclass(frozen=True, slots=True)
class Provider:
    """One ``aws`` provider configuration as a resource sees it."""

    key: str  # "aws" or "aws.west", in the module that declared it
    region: str | Unknown
    account: str
    assume_role: str | None = None
    location: Location | None = None


class Configuration:
    """The evaluated root module and everything under it."""

    def __init__(
        self,
        root: Path,
        variables: Mapping[str, Any],
        planned: Mapping[str, Mapping[str, Any]] | None = None,
    ) -> None:
        self.root = root
        # address -> attribute values terraform planned (a plan JSON): they fill in what the
        # configuration alone leaves unknown (data sources, counts, values from -var).
        self.planned: Mapping[str, Mapping[str, Any]] = planned or {}
        self.unresolved: list[Unresolved] = []
        self._seen_unresolved: set[tuple[str, str]] = set()
        self.providers: list[Provider] = []
        # what Terraform would refuse (count = -3, for_each = 42...): every one is reported
        # together once the scan has read everything (check()), exit 2
        self.problems: list[SpecProblem] = []
        self.modelled = 0  # resource, data and module instances made so far (MAX_INSTANCES)
        self.steps = [MAX_SCAN_STEPS]  # evaluation steps left to the scan (limits.py)
        self.tree = module_tree(root)  # local module sources must stay inside it
        self._manifest: dict[str, str] | None = None
        self._blocks: dict[Path, list[Block]] = {}
        self.module = ModuleInstance(
            self, root, "", None, variables, {}, None, lineage=(root.resolve(),)
        )

    def blocks(self, directory: Path) -> list[Block]:
        """A module directory's blocks, parsed once per scan: every instance of a module
        called with ``count``/``for_each`` (or called twice) shares them. Blocks are frozen
        and their expression trees are only read, so sharing is safe."""
        if directory not in self._blocks:
            self._blocks[directory] = load_blocks(directory)
        return self._blocks[directory]

    def refuse(self, location: Location, field: str, message: str, value: Any, hint: str) -> None:
        """Something Terraform itself refuses: reported with the rest by :meth:`check`."""
        self.problems.append(SpecProblem(location, field, message, value, hint, kind="terraform"))

    def check(self) -> None:
        """Raise every refusal found while the configuration was read (exit 2)."""
        if self.problems:
            raise SpecError(list(self.problems))

    def claim(self, n: int, location: Location, field: str, value: Any) -> None:
        """Count ``n`` more instances against MAX_INSTANCES; beyond it, stop the scan here
        (modelling them would take minutes and gigabytes) with every refusal so far."""
        if self.modelled + n > MAX_INSTANCES:
            self.refuse(
                location,
                field,
                instances_problem(n, self.modelled),
                value,
                "lower it (a --var for one environment), or check it for a typo",
            )
            self.check()
        self.modelled += n

    def fault(self, rule: str, location: Location, address: str, what: str, fix: str) -> None:
        self.unresolved.append(Unresolved(location, address, what, rule, fix))

    def note(self, location: Location, address: str, what: str) -> None:
        key = (address, what)
        if key not in self._seen_unresolved:
            self._seen_unresolved.add(key)
            written = source_text(location.file, location.line)
            if "=" in written and not written.endswith("{"):
                what = f"{what}: `{written}`"  # the expression as the user wrote it
            self.unresolved.append(Unresolved(location, address, what, fix=note_fix(address, what)))

    def resources(self) -> Iterator[ResourceInstance]:
        yield from self.module.all_resources()

    def module_dir(self, key: str, source: str, caller: Path) -> Path | None:
        """Where a module call's source lives: a local path, or what `terraform init`
        downloaded (``.terraform/modules/modules.json``)."""
        if source.startswith(("./", "../")) or source in (".", ".."):
            # Normalised, not resolved: findings show paths the way the user gave the root.
            return Path(os.path.normpath(caller / source))
        if self._manifest is None:
            self._manifest = read_manifest(self.root / ".terraform" / "modules" / "modules.json")
        found = self._manifest.get(key)
        return Path(os.path.normpath(self.root / found)) if found is not None else None


class ModuleInstance:
    """One instance of a module: its variables, locals, resources and child modules."""

    def __init__(
        self,
        config: Configuration,
        directory: Path,
        prefix: str,
        key: str | None,
        inputs: Mapping[str, Any],
        providers: Mapping[str, Provider],
        call: Block | None,
        *,
        lineage: tuple[Path, ...] = (),
    ) -> None:
        self.config = config
        self.dir = directory
        # the resolved directories of this module and every module above it: a call whose
        # source is one of them would contain itself (Terraform's init fails on it too)
        self.lineage = lineage
        self.prefix = prefix  # "" for root, "module.vpc." / 'module.vpc["a"].' otherwise
        self.key = key  # dotted module key, as in modules.json ("vpc.subnets")
        self.call = call
        self.blocks = config.blocks(directory)
        self.inputs = dict(inputs)
        self.providers: dict[str, Provider] = dict(providers)
        self._locals: dict[str, Any] = {}
        self._local_blocks: dict[str, tuple[Tree[Token], Block]] = {}
        self._variables: dict[str, Block] = {}
        self.resources: dict[str, dict[str, ResourceBlock]] = {}
        self.data: dict[str, dict[str, ResourceBlock]] = {}
        self.calls: dict[str, ModuleCall] = {}
        self.outputs: dict[str, Block] = {}
        for block in self.blocks:
            self._index(block)
        self._configure_providers()

    # -- loading --------------------------------------------------------------------

    def _index(self, block: Block) -> None:
        if block.type == "variable" and block.labels:
            self._variables[block.labels[0]] = block
        elif block.type == "locals":
            for name, node in block.attributes.items():
                self._local_blocks[name] = (node, block)
        elif block.type == "resource" and len(block.labels) == 2:
            rtype, name = block.labels
            self.resources.setdefault(rtype, {})[name] = ResourceBlock(self, block, "")
        elif block.type == "data" and len(block.labels) == 2:
            rtype, name = block.labels
            self.data.setdefault(rtype, {})[name] = ResourceBlock(self, block, "data.")
        elif block.type == "module" and block.labels:
            self.calls[block.labels[0]] = ModuleCall(self, block)
        elif block.type == "output" and block.labels:
            self.outputs[block.labels[0]] = block

    def _configure_providers(self) -> None:
        for block in self.blocks:
            if block.type != "provider" or block.labels != ("aws",):
                continue
            alias = self.eval_attr(block, "alias", None)
            key = f"aws.{alias}" if isinstance(alias, str) else "aws"
            region = self.eval_attr(block, "region", None)
            if region is None:
                region = os.environ.get("AWS_REGION") or os.environ.get(
                    "AWS_DEFAULT_REGION", DEFAULT_REGION
                )
            role = None
            for nested in block.nested("assume_role"):
                arn = self.eval_attr(nested, "role_arn", None)
                role = arn if isinstance(arn, str) else None
            label = key if not self.prefix else f"{key} of {self.prefix.rstrip('.')}"
            account = provider_account(
                role,
                self.eval_attr(block, "allowed_account_ids", None),
                self.eval_attr(block, "profile", None),
                label,
            )
            provider = Provider(
                key,
                region if isinstance(region, (str, Unknown)) else str(region),
                account,
                role,
                block.location,
            )
            self.providers[key] = provider
            self.config.providers.append(provider)
        if "aws" not in self.providers:
            region = os.environ.get("AWS_REGION") or os.environ.get(
                "AWS_DEFAULT_REGION", DEFAULT_REGION
            )
            self.providers["aws"] = Provider("aws", region, unknown_account("aws"))

    # -- evaluation -----------------------------------------------------------------

    def lookup(self, name: str, bound: Mapping[str, Any] | None = None) -> Any:
        if bound and name in bound:
            return bound[name]
        if name == "var":
            return _Vars(self)
        if name == "local":
            return _Locals(self)
        if name == "module":
            return _Modules(self)
        if name == "data":
            return _Types(self, self.data, "data")
        if name == "path":
            return {"module": str(self.dir), "root": str(self.config.root), "cwd": os.getcwd()}
        if name == "terraform":
            return {"workspace": "default"}
        if name in self.resources:
            return _Types(self, self.resources, "resource").attr(name)
        if name in ("count", "each", "self"):
            raise EvalError(f"{name} is not available here")
        if re.match(r"^[a-z0-9]+_[a-z0-9_]+$", name):
            raise EvalError(f"reference to undeclared resource type {name}")
        raise EvalError(f"unknown name {name!r}")

    def eval(self, node: Tree[Token], bound: Mapping[str, Any] | None = None) -> Any:
        """An expression's value. Python's own errors on values of the wrong type
        (``"abc" + 1``, ``lower(5)``) are the configuration's, as Terraform's would be: they
        become :class:`EvalError`, reported at the attribute like any other."""
        try:
            return evaluate(node, lambda n: self.lookup(n, bound), self.config.steps)
        except (ArithmeticError, AttributeError, LookupError, TypeError, ValueError) as exc:
            raise EvalError(f"{type(exc).__name__}: {clip(str(exc))}") from None
        except StopIteration:
            raise EvalError("no value (every argument was null or empty)") from None
        except RecursionError:
            raise EvalError("nested too deeply to evaluate") from None

    def too_large(self, location: Location, field: str, exc: LimitExceeded) -> SpecError:
        self.config.refuse(
            location,
            field,
            f"the expression {exc}",
            None,
            "simplify the expression (a scan bounds what one value may hold: limits.py)",
        )
        return SpecError(list(self.config.problems))

    def eval_attr(
        self, block: Block, name: str, default: Any, bound: Mapping[str, Any] | None = None
    ) -> Any:
        node = block.attributes.get(name)
        if node is None:
            return default
        line = block.attribute_lines.get(name, block.line)
        try:
            return self.eval(node, bound)
        except (EvalError, RecursionError) as exc:
            self.config.note(Location(block.file, line), self.address_of(block), f"{name}: {exc}")
            return Unknown(str(exc))
        except LimitExceeded as exc:
            field = f"{self.address_of(block)}.{name}"
            raise self.too_large(Location(block.file, line), field, exc) from None

    def address_of(self, block: Block) -> str:
        """The Terraform address of a top-level block (or the module's, for a nested one)."""
        if block.type in ("resource", "data") and len(block.labels) == 2:
            mode = "data." if block.type == "data" else ""
            return f"{self.prefix}{mode}{block.labels[0]}.{block.labels[1]}"
        if block.type in ("module", "variable", "output") and block.labels:
            kind = {"module": "module", "variable": "var", "output": "output"}[block.type]
            return f"{self.prefix}{kind}.{block.labels[0]}"
        return self.prefix.rstrip(".") or block.type

    def variable(self, name: str) -> Any:
        block = self._variables.get(name)
        if block is None:
            raise EvalError(f"undeclared variable {name!r}")
        type_node = block.attributes.get("type")
        if name in self.inputs:
            value = self.inputs[name]
            value = value() if callable(value) else value
            return conform(value, type_node) if type_node is not None else value
        if "default" in block.attributes:
            value = self.eval_attr(block, "default", None)
            return conform(value, type_node) if type_node is not None else value
        self.config.note(block.location, f"{self.prefix}var.{name}", "variable has no value")
        return Unknown(f"variable {name} has no value (pass --var or --var-file)")

    def local(self, name: str) -> Any:
        if name in self._locals:
            return self._locals[name]
        if name not in self._local_blocks:
            raise EvalError(f"undeclared local {name!r}")
        node, block = self._local_blocks[name]
        self._locals[name] = Unknown(f"local.{name} refers to itself")
        line = block.attribute_lines.get(name, block.line)
        try:
            value = self.eval(node)
        except EvalError as exc:
            self.config.note(Location(block.file, line), f"{self.prefix}local.{name}", str(exc))
            value = Unknown(str(exc))
        except LimitExceeded as exc:
            where = Location(block.file, line)
            raise self.too_large(where, f"{self.prefix}local.{name}", exc) from None
        self._locals[name] = value
        return value

    def provider_for(self, block: Block) -> Provider:
        node = block.attributes.get("provider")
        key = "aws"
        if node is not None:
            key = _dotted(node)
        found = self.providers.get(key)
        if found is None:
            self.config.note(
                block.location, self.prefix.rstrip("."), f"provider {key} is not configured"
            )
            return self.providers["aws"]
        return found

    def all_resources(self) -> Iterator[ResourceInstance]:
        for by_name in self.resources.values():
            for rb in by_name.values():
                yield from rb.instances()
        for call in self.calls.values():
            for child in call.instances():
                yield from child.all_resources()


class ResourceBlock:
    """A ``resource`` or ``data`` block, expanded by count / for_each into instances."""

    def __init__(self, module: ModuleInstance, block: Block, mode: str) -> None:
        self.module = module
        self.block = block
        self.type, self.name = block.labels
        self.address = f"{module.prefix}{mode}{self.type}.{self.name}"
        self._instances: list[ResourceInstance] | None = None
        self._value: Any = None

    def instances(self) -> list[ResourceInstance]:
        if self._instances is None:
            self._instances = []  # guards against a resource whose count refers to itself
            self._instances = self._expand()
        return self._instances

    def _expand(self) -> list[ResourceInstance]:
        b, m = self.block, self.module
        planned_keys = self._planned_keys()
        if "count" in b.attributes:
            count = m.eval_attr(b, "count", 1)
            if isinstance(count, Unknown) and planned_keys is not None:
                count = len(planned_keys)
            if isinstance(count, Unknown):
                m.config.note(
                    b.location, self.address, f"count is not known before apply: {count.why}"
                )
                self._value = count
                return []
            n = _count(m, b, self.address, count)
            out = [
                ResourceInstance(self, f"{self.address}[{i}]", {"count": {"index": i}})
                for i in range(n)
            ]
            self._value = out
            return out
        if "for_each" in b.attributes:
            each = m.eval_attr(b, "for_each", {})
            if isinstance(each, Unknown):
                m.config.note(
                    b.location, self.address, f"for_each is not known before apply: {each.why}"
                )
                self._value = each
                return []
            pairs = _for_each(m, b, self.address, each)
            if isinstance(pairs, Unknown):
                self._value = pairs
                return []
            made = {
                str(k): ResourceInstance(
                    self, f'{self.address}["{k}"]', {"each": {"key": k, "value": v}}
                )
                for k, v in pairs
            }
            self._value = made
            return list(made.values())
        m.config.claim(1, b.location, self.address, None)
        one = ResourceInstance(self, self.address, {})
        self._value = one
        return [one]

    def value(self) -> Any:
        self.instances()
        return self._value

    def _planned_keys(self) -> list[str] | None:
        """The instance keys terraform planned for this block, if a plan was given."""
        prefix = self.address + "["
        keys = [
            a[len(prefix) : -1].strip('"')
            for a in self.module.config.planned
            if a.startswith(prefix)
        ]
        return keys or None


class ResourceInstance(Namespace):
    """One instance of a resource: its attributes, evaluated on demand."""

    def __init__(self, rb: ResourceBlock, address: str, bound: dict[str, Any]) -> None:
        self.rb = rb
        self.address = address
        self.bound = {**bound, "self": self}
        self._cache: dict[str, Any] = {}

    def __repr__(self) -> str:
        return self.address

    @property
    def type(self) -> str:
        return self.rb.type

    @property
    def block(self) -> Block:
        return self.rb.block

    @property
    def location(self) -> Location:
        return self.rb.block.location

    @property
    def provider(self) -> Provider:
        return self.rb.module.provider_for(self.rb.block)

    def get(self, name: str, default: Any = None) -> Any:
        """A configured argument's value (``default`` when not set); from the plan when the
        configuration alone cannot tell it and a plan JSON was given."""
        if name not in self._cache:
            value = self.rb.module.eval_attr(self.block, name, default, self.bound)
            planned = self.rb.module.config.planned.get(self.address, {}).get(name)
            if planned is not None and (isinstance(value, Unknown) or value is None):
                value = planned
            self._cache[name] = value
        return self._cache[name]

    def arguments(self) -> dict[str, Any]:
        """Every argument the block sets, meta-arguments (provider, count...) left out."""
        return {k: self.get(k) for k in self.block.attributes if k not in _META}

    def blocks(self, kind: str, within: Block | None = None) -> list[dict[str, Any]]:
        """Nested blocks of one kind (``ingress``, ``route``...) as evaluated dicts,
        ``dynamic "kind"`` blocks expanded."""
        parent = within or self.block
        m = self.rb.module
        out: list[dict[str, Any]] = []
        for nested in parent.blocks:
            if nested.type == kind:
                out.append(self._evaluate_block(nested, self.bound))
            elif nested.type == "dynamic" and nested.labels == (kind,):
                each = m.eval_attr(nested, "for_each", [], self.bound)
                if isinstance(each, Unknown):
                    m.config.note(nested.location, self.address, f"dynamic {kind}: {each.why}")
                    continue
                if not isinstance(each, (dict, list)):
                    line = nested.attribute_lines.get("for_each", nested.line)
                    m.config.refuse(
                        Location(nested.file, line),
                        f"{self.address}.dynamic.{kind}.for_each",
                        "a dynamic block's for_each must be a collection (a list, set or map)",
                        each,
                        "give it a list or map, e.g. for_each = var.rules",
                    )
                    continue
                iterator = m.eval_attr(nested, "iterator", kind, self.bound)
                pairs = each.items() if isinstance(each, dict) else enumerate(each)
                for content in nested.nested("content"):
                    for k, v in pairs:
                        bound = {**self.bound, str(iterator): {"key": k, "value": v}}
                        out.append(self._evaluate_block(content, bound))
        return out

    def _evaluate_block(self, block: Block, bound: dict[str, Any]) -> dict[str, Any]:
        m = self.rb.module
        values: dict[str, Any] = {n: m.eval_attr(block, n, None, bound) for n in block.attributes}
        for nested in block.blocks:
            values.setdefault(nested.type, []).append(self._evaluate_block(nested, bound))
        values["__line__"] = block.line
        return values

    def index(self, key: Any) -> Any:
        """``aws_x.y["id"]``: an object's attribute by its name, as Terraform allows
        (cloudposse/transit-gateway reads its attachments' ids that way)."""
        if isinstance(key, str):
            return self.attr(key)
        return super().index(key)

    def attr(self, name: str) -> Any:
        if self.rb.type in _ID_IS and name == "id":
            return self.get(_ID_IS[self.rb.type])
        if self.rb.type == "aws_default_security_group" and name == "id":
            vpc = self.get("vpc_id")
            return vpc if isinstance(vpc, Unknown) else f"{vpc}.default_security_group_id"
        is_data = self.rb.address.startswith(("data.", f"{self.rb.module.prefix}data."))
        if name in self.block.attributes:
            value = self.get(name)
            # A data source's argument left null is a filter not given: what it reads back
            # is the provider's answer, not null.
            if not (is_data and value is None):
                return value
        if name in _ARN_IS_ID:
            return self.address
        if self.rb.type == "aws_instance" and name == "primary_network_interface_id":
            return f"{self.address}.primary_network_interface_id"
        if is_data:
            return _data_attr(self, name)
        if name in _ADDRESS_ATTRS:
            # AWS picks these at apply (an instance's address, an IPAM allocation): a symbol
            # would pass for an address ("aws_instance.x.private_ip/32" as a CIDR)
            return Unknown(f"{self.address}.{name} is assigned by AWS at apply")
        if self.rb.type == "aws_subnet" and name == "vpc_id":
            return self.get("vpc_id")
        if self.rb.type == "aws_vpc" and name == "default_route_table_id":
            # The same table as main_route_table_id until an aws_main_route_table_association
            # moves "main" elsewhere: one symbol, so routes and associations on either land.
            return f"{self.address}.main_route_table_id"
        if (
            self.rb.type == "aws_ec2_transit_gateway"
            and name == "propagation_default_route_table_id"
        ):
            # AWS makes one default route table for both options (scan/transit_gateway.py)
            return f"{self.address}.association_default_route_table_id"
        # Attributes AWS computes (service_name, main_route_table_id...): a symbol named
        # after the reference, the same one the planner uses, so both sides meet.
        return f"{self.address}.{name}"


def _data_attr(inst: ResourceInstance, name: str) -> Any:
    """The few data sources a network configuration leans on, answered from the provider."""
    planned = inst.rb.module.config.planned.get(inst.address, {}).get(name)
    if planned is not None:
        return planned
    p = inst.provider
    if inst.type == "aws_caller_identity" and name == "account_id":
        if account_known(p.account):
            return p.account
        inst.rb.module.config.note(
            inst.location,
            inst.address,
            f".account_id is the account of provider {p.key}, which the configuration does "
            "not say (no assume_role, allowed_account_ids or profile)",
        )
        return Unknown(f"{inst.address}.account_id: the account of provider {p.key} is unknown")
    if inst.type == "aws_region" and name in ("name", "region", "id"):
        return p.region
    if inst.type == "aws_vpc_endpoint_service" and name == "service_name":
        # An AWS service's endpoint service name is fixed by its region and short name
        # (terraform-aws-modules/vpc-endpoints looks every endpoint's up this way).
        service, region = inst.get("service"), inst.get("service_regions")
        region = region[0] if isinstance(region, list) and len(region) == 1 else p.region
        if isinstance(service, str) and isinstance(region, str):
            return f"com.amazonaws.{region}.{service}"
    if inst.type == "aws_availability_zones" and name == "names":
        if isinstance(p.region, Unknown):
            return p.region
        return [f"{p.region}{z}" for z in "abc"]
    inst.rb.module.config.note(
        inst.location, inst.address, f".{name} is only known once terraform reads the data source"
    )
    return Unknown(f"{inst.address}.{name} is read by terraform (scan the plan JSON instead)")


class ModuleCall:
    def __init__(self, parent: ModuleInstance, block: Block) -> None:
        self.parent = parent
        self.block = block
        self.name = block.labels[0]
        self._instances: list[ModuleInstance] | None = None
        self._value: Any = None

    def instances(self) -> list[ModuleInstance]:
        if self._instances is None:
            self._instances = []
            self._instances = self._expand()
        return self._instances

    def _expand(self) -> list[ModuleInstance]:
        p, b = self.parent, self.block
        base = f"{p.prefix}module.{self.name}"
        key = f"{p.key}.{self.name}" if p.key else self.name
        source = p.eval_attr(b, "source", None)
        directory = p.config.module_dir(key, source, p.dir) if isinstance(source, str) else None
        if directory is not None and directory.is_dir() and not self._acceptable(directory, source):
            self._value = Unknown(f"module {base} not loaded")
            return []
        if directory is None or not directory.is_dir():
            p.config.note(
                b.location,
                base,
                f"module source {source!r} is not available: run `terraform init` first "
                "(registry and git modules are read from .terraform/modules)",
            )
            self._value = Unknown(f"module {base} not loaded")
            return []
        keys: list[tuple[str, dict[str, Any]]] = [("", {})]
        if "count" in b.attributes:
            n = p.eval_attr(b, "count", 1)
            if isinstance(n, Unknown):
                p.config.note(b.location, base, f"count is not known: {n.why}")
                self._value = n
                return []
            keys = [(f"[{i}]", {"count": {"index": i}}) for i in range(_count(p, b, base, n))]
        elif "for_each" in b.attributes:
            each = p.eval_attr(b, "for_each", {})
            if isinstance(each, Unknown):
                p.config.note(b.location, base, f"for_each is not known: {each.why}")
                self._value = each
                return []
            pairs = _for_each(p, b, base, each)
            if isinstance(pairs, Unknown):
                self._value = pairs
                return []
            keys = [(f'["{k}"]', {"each": {"key": k, "value": v}}) for k, v in pairs]
        else:
            p.config.claim(1, b.location, base, None)
        lineage = (*p.lineage, directory.resolve())
        providers = self._providers()
        made: list[tuple[str, ModuleInstance]] = []
        skip = {"source", "version", "count", "for_each", "providers", "depends_on"}
        for suffix, bound in keys:
            inputs = {
                n: (lambda node=node, bound=bound, n=n: self._input(n, node, bound))
                for n, node in b.attributes.items()
                if n not in skip
            }
            child = ModuleInstance(
                p.config, directory, f"{base}{suffix}.", key, inputs, providers, b, lineage=lineage
            )
            made.append((suffix, child))
        if "count" in b.attributes:
            self._value = [c for _, c in made]
        elif "for_each" in b.attributes:
            self._value = {s[2:-2]: c for s, c in made}
        else:
            self._value = made[0][1]
        return [c for _, c in made]

    def _acceptable(self, directory: Path, source: str) -> bool:
        """Whether a module directory may be read: inside the configuration's tree (a
        source must not lead the scan to ``/etc``), and not a module already above this
        call (a module containing itself never ends)."""
        p, b = self.parent, self.block
        line = b.attribute_lines.get("source", b.line)
        where, field = Location(b.file, line), f"{p.prefix}module.{self.name}.source"
        resolved = directory.resolve()
        # Outside the repository (or, with none, the root module's directory) only a real
        # module is read, as terraform reads it: `../../` from an example unpacked without
        # .git is how modules ship; a source that climbs to /etc is refused, located.
        outside = not resolved.is_relative_to(p.config.tree)
        if outside and not (resolved.is_dir() and any(resolved.glob("*.tf"))):
            p.config.refuse(
                where,
                field,
                f"the module's source leads out of the configuration's tree "
                f"({p.config.tree}) to {resolved}, which holds no Terraform module",
                source,
                "point source at a module's directory (one with .tf files), inside the "
                "repository where you can",
            )
            return False
        if len(p.lineage) > MAX_MODULE_DEPTH:  # the root is in it: depth + 1
            p.config.refuse(
                where,
                field,
                f"modules nested more than {MAX_MODULE_DEPTH} deep",
                source,
                "flatten the module structure (a scan reads at most this depth)",
            )
            return False
        if resolved in p.lineage:
            p.config.refuse(
                where,
                field,
                f"the module's source is {resolved}, a module that already calls it "
                f"({p.prefix}module.{self.name}): a module cannot contain itself",
                source,
                "point source at the module's own directory, not at one of its callers",
            )
            return False
        return True

    def _input(self, name: str, node: Tree[Token], bound: dict[str, Any]) -> Any:
        line = self.block.attribute_lines.get(name, self.block.line)
        try:
            return self.parent.eval(node, bound)
        except EvalError as exc:
            self.parent.config.note(
                Location(self.block.file, line), f"module.{self.name}", f"{name}: {exc}"
            )
            return Unknown(str(exc))
        except LimitExceeded as exc:
            where = Location(self.block.file, line)
            raise self.parent.too_large(where, f"module.{self.name}.{name}", exc) from None

    def _providers(self) -> dict[str, Provider]:
        """The child's provider map: the default aws is inherited; `providers = {}` maps
        the child's names to the parent's configurations."""
        p = self.parent
        out = {"aws": p.providers["aws"]}
        node = self.block.attributes.get("providers")
        if node is None:
            return out
        for elem in node.iter_subtrees_topdown():  # type: ignore[no-untyped-call]
            if elem.data != "object_elem":
                continue
            kids = [c for c in elem.children if isinstance(c, Tree)]
            child_key = _dotted(kids[0])
            parent_key = _dotted(kids[1])
            if parent_key in p.providers:
                out[child_key] = p.providers[parent_key]
            else:
                p.config.note(
                    self.block.location,
                    f"module.{self.name}",
                    f"provider {parent_key} is not configured",
                )
        return out

    def value(self) -> Any:
        self.instances()
        return self._value


def _count(m: ModuleInstance, block: Block, address: str, value: Any) -> int:
    """A block's count as Terraform takes it, claimed against the scan's bound; a value
    Terraform refuses is reported (and the block has no instances)."""
    where = Location(block.file, block.attribute_lines.get("count", block.line))
    n, problem = count_value(value)
    if problem:
        hint = "set count to a whole number of instances, e.g. count = 2 or length(var.names)"
        m.config.refuse(where, f"{address}.count", problem, value, hint)
        return 0
    m.config.claim(n, where, f"{address}.count", value)
    return n


def _for_each(
    m: ModuleInstance, block: Block, address: str, value: Any
) -> list[tuple[Any, Any]] | Unknown:
    """A block's for_each as Terraform takes it, claimed against the scan's bound."""
    where = Location(block.file, block.attribute_lines.get("for_each", block.line))
    checked = for_each_pairs(value)
    if isinstance(checked, Unknown):
        m.config.note(where, address, f"for_each is not known before apply: {checked.why}")
        return checked
    pairs, problem = checked
    if problem:
        hint = 'give a map, or toset() of strings, e.g. for_each = toset(["a", "b"])'
        m.config.refuse(where, f"{address}.for_each", problem, value, hint)
        return []
    m.config.claim(len(pairs), where, f"{address}.for_each", clip(value))
    return pairs


def _dotted(node: Tree[Token]) -> str:
    return ".".join(
        str(t) for t in node.scan_values(lambda v: isinstance(v, Token) and v.type == "NAME")
    )


class _Vars(Namespace):
    def __init__(self, m: ModuleInstance) -> None:
        self.m = m

    def attr(self, name: str) -> Any:
        return self.m.variable(name)


class _Locals(Namespace):
    def __init__(self, m: ModuleInstance) -> None:
        self.m = m

    def attr(self, name: str) -> Any:
        return self.m.local(name)


class _Modules(Namespace):
    def __init__(self, m: ModuleInstance) -> None:
        self.m = m

    def attr(self, name: str) -> Any:
        call = self.m.calls.get(name)
        if call is None:
            raise EvalError(f"undeclared module {name!r}")
        value = call.value()
        if isinstance(value, ModuleInstance):
            return _Outputs(value)
        if isinstance(value, list):
            return [_Outputs(v) for v in value]
        if isinstance(value, dict):
            return {k: _Outputs(v) for k, v in value.items()}
        return value


class _Outputs(Namespace):
    def __init__(self, m: ModuleInstance) -> None:
        self.m = m

    def attr(self, name: str) -> Any:
        block = self.m.outputs.get(name)
        if block is None:
            raise EvalError(f"module {self.m.prefix.rstrip('.')} has no output {name!r}")
        return self.m.eval_attr(block, "value", None)


class _Types(Namespace):
    def __init__(
        self, m: ModuleInstance, table: dict[str, dict[str, ResourceBlock]], kind: str
    ) -> None:
        self.m, self.table, self.kind = m, table, kind

    def attr(self, name: str) -> Any:
        by_name = self.table.get(name)
        if by_name is None:
            if self.kind == "data":
                raise EvalError(f"undeclared data source type {name}")
            raise EvalError(f"undeclared resource type {name}")
        return _Named(by_name, name)


class _Named(Namespace):
    def __init__(self, by_name: dict[str, ResourceBlock], rtype: str) -> None:
        self.by_name, self.rtype = by_name, rtype

    def attr(self, name: str) -> Any:
        rb = self.by_name.get(name)
        if rb is None:
            raise EvalError(f"undeclared resource {self.rtype}.{name}")
        return rb.value()


def parse_var_value(text: str) -> Any:
    """A ``--var K=V`` value: an HCL expression if it is one (``["a"]``, ``3``), else the
    string itself, as Terraform treats -var."""
    try:
        tree = parse_text(f"v = {text}\n")
    except UnexpectedInput:
        return text
    body = tree.children[0]
    assert isinstance(body, Tree)
    attr = next(c for c in body.children if isinstance(c, Tree) and c.data == "attribute")
    try:
        value = evaluate(attr.children[-1], _no_names)
    except _VALUE_ERRORS:
        return text
    return text if isinstance(value, Unknown) else value


# What evaluating a variable's value may raise on a value of the wrong type or size.
_VALUE_ERRORS = (
    EvalError,
    LimitExceeded,
    RecursionError,
    ArithmeticError,
    AttributeError,
    LookupError,
    TypeError,
    ValueError,
    StopIteration,
)


def _no_names(name: str) -> Any:
    raise EvalError(f"a variable value cannot refer to {name}")


def _var_file_problem(path: Path, line: int | None, message: str) -> SpecError:
    hint = "fix the variables file (terraform reads it the same way)"
    return SpecError([SpecProblem(Location(path, line), "", message, hint=hint, kind="terraform")])


def _read_var_file(path: Path) -> str:
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise _var_file_problem(path, None, f"cannot read: {exc.strerror or exc}") from None
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = data.count(b"\n", 0, exc.start) + 1
        raise _var_file_problem(path, line, "not UTF-8 (Terraform requires it)") from None


def load_var_file(path: Path) -> dict[str, Any]:
    if not path.is_file():
        raise UsageError(f"--var-file {path}: no such file")
    text = _read_var_file(path)
    if path.suffix == ".json":
        try:
            data = json.loads(text)
        except json.JSONDecodeError as exc:
            raise _var_file_problem(path, exc.lineno, f"not JSON: {exc.msg}") from None
        except RecursionError:
            raise _var_file_problem(path, None, "nested too deeply") from None
        if not isinstance(data, dict):
            raise _var_file_problem(path, 1, "a variables file must hold one JSON object")
        return data
    out: dict[str, Any] = {}
    try:
        tree = parse_text(text)
    except UnexpectedInput as exc:
        raise SpecError(
            [
                SpecProblem(
                    Location(path, exc.line, exc.column),
                    "",
                    f"HCL syntax error: {str(exc).splitlines()[0]}",
                    kind="terraform",
                )
            ]
        ) from None
    body = tree.children[0]
    assert isinstance(body, Tree)
    for item in body.children:
        if isinstance(item, Tree) and item.data == "attribute":
            head = item.children[0]
            name = str(head) if isinstance(head, Token) else _dotted(head)
            try:
                out[name] = evaluate(item.children[-1], _no_names)
            except _VALUE_ERRORS as exc:
                raise SpecError(
                    [
                        SpecProblem(
                            Location(path, first_line(item)),
                            name,
                            f"cannot evaluate: {exc}",
                            kind="terraform",
                        )
                    ]
                ) from None
    return out


def load_configuration(
    root: Path,
    var_files: list[Path] | None = None,
    variables: Mapping[str, str] | None = None,
    *,
    typed: Mapping[str, Any] | None = None,
    planned: Mapping[str, Mapping[str, Any]] | None = None,
) -> Configuration:
    """Variables in Terraform's order of precedence: terraform.tfvars, *.auto.tfvars,
    --var-file (in order), --var (in order); later ones win."""
    values: dict[str, Any] = {}
    for name, text in os.environ.items():
        if name.startswith("TF_VAR_"):
            values[name[7:]] = parse_var_value(text)
    auto = [root / "terraform.tfvars", root / "terraform.tfvars.json"]
    auto += sorted(root.glob("*.auto.tfvars")) + sorted(root.glob("*.auto.tfvars.json"))
    for path in [p for p in auto if p.is_file()] + list(var_files or []):
        values.update(load_var_file(path))
    for name, text in (variables or {}).items():
        values[name] = parse_var_value(text)
    values.update(typed or {})
    return Configuration(root, values, planned)
