"""Load a spec file: YAML with positions, pydantic validation, names resolved.

Every problem comes back at once as a :class:`SpecError` whose entries carry the file,
line, field path, offending value and what to do. Nothing here raises a pydantic or
YAML exception to the caller.
"""

from __future__ import annotations

import difflib
import types
import typing
from ipaddress import IPv4Network
from pathlib import Path
from typing import Any

from pydantic import BaseModel, ValidationError

from vpcwire.errors import Location, SpecError, SpecProblem, clip
from vpcwire.spec.checks import cross_field_problems
from vpcwire.spec.models import NAME_PATTERN, PeerConnection, ServiceConnection, Spec
from vpcwire.spec.source import (
    PathKey,
    SourceMap,
    format_path,
    parse_yaml_collecting,
    spec_location,
)

__all__ = ["load_spec", "parse_spec", "spec_location"]

_UNION_TAGS = {"service": ServiceConnection, "peers": PeerConnection}


def load_spec(path: str | Path) -> Spec:
    file = Path(path)
    try:
        raw = file.read_bytes()
    except FileNotFoundError:
        raise _unreadable(file, "no such spec file", "check the path") from None
    except OSError as exc:
        raise _unreadable(
            file, f"cannot read the spec: {exc.strerror or exc}", "check the path and permissions"
        ) from None
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = raw.count(b"\n", 0, exc.start) + 1
        column = exc.start - (raw.rfind(b"\n", 0, exc.start) + 1) + 1
        raise SpecError(
            [
                SpecProblem(
                    Location(file, line, column),
                    "",
                    f"the spec is not UTF-8 text (byte {raw[exc.start]:#04x})",
                    hint="save the file as UTF-8",
                    kind="yaml",
                )
            ]
        ) from None
    spec = parse_spec(text, file)
    if spec.name is None:
        stem = "".join(c if c.isalnum() or c in "-_" else "-" for c in file.stem.lower())
        spec = spec.model_copy(update={"name": stem.strip("-_")[:39] or "vpcwire"})
    return spec


def _unreadable(file: Path, message: str, hint: str) -> SpecError:
    """A spec file that cannot be read: a located problem like any other, so that
    ``plan --json`` and SARIF carry it too."""
    return SpecError([SpecProblem(Location(file), "", message, hint=hint, kind="yaml")])


def parse_spec(text: str, file: Path | None = None) -> Spec:
    """Text -> Spec, or one SpecError listing every problem that does not depend on another.

    YAML problems that leave a document (duplicate keys, refused tags, alias bombs),
    schema problems and unknown names are found in one pass and reported together;
    checks across fields (:mod:`vpcwire.spec.checks`) need a valid spec, so they come
    when the rest is clean.
    """
    data, source, yaml_problems = parse_yaml_collecting(text, file)
    if not isinstance(data, dict):
        raise SpecError(
            [
                *yaml_problems,
                SpecProblem(
                    source.locate(()),
                    "",
                    "the spec must be a mapping of sections",
                    value=data,
                    hint="start with accounts:, vpcs:, services:, connections:",
                ),
            ]
        )
    names = _unresolved_names(data, source)
    try:
        spec = Spec.model_validate(data)
    except ValidationError as exc:
        schema = [_problem_from_pydantic(err, source) for err in exc.errors()]
        raise SpecError(_merge(source, yaml_problems, schema, names)) from None
    if yaml_problems or names:
        raise SpecError(_merge(source, yaml_problems, [], names))
    spec._source = source
    cross = cross_field_problems(spec, source)
    if cross:
        raise SpecError(
            sorted(
                [*cross, *_spec_rule_problems(spec)],
                key=lambda p: (p.location.line or 0, p.location.column or 0),
            )
        )
    return spec


def _spec_rule_problems(spec: Spec) -> list[SpecProblem]:
    """The spec-stage rules' errors, so that a spec refused here for an unknown AZ also hears
    about its peering between overlapping CIDRs: the two do not depend on each other. (Spec
    rules judge any spec the models accept; network rules need a plan, so they come once
    the spec is accepted.)"""
    from vpcwire.findings import Severity
    from vpcwire.pipeline import check_spec

    return [
        SpecProblem(
            f.location, f.path, f"{f.rule}: {f.message}", hint=f.fix, kind="rule", rule=f.rule
        )
        for f in check_spec(spec, unplannable=True)
        if f.severity is Severity.ERROR
    ]


def _merge(
    source: SourceMap,
    yaml_problems: list[SpecProblem],
    schema: list[SpecProblem],
    names: list[SpecProblem],
) -> list[SpecProblem]:
    """Every problem once: a value the YAML layer refused (now None) is not also a type
    error, and a field with a schema problem is not also an unknown name."""

    def under(path: str, roots: set[str]) -> bool:
        return any(path == r or path.startswith(f"{r}.") or path.startswith(f"{r}[") for r in roots)

    refused = source.refused
    schema = [p for p in schema if not under(p.path, refused)]
    wrong = {p.path for p in schema} | refused
    names = [p for p in names if p.path not in wrong]
    return sorted(
        [*yaml_problems, *schema, *names],
        key=lambda p: (p.location.line or 0, p.location.column or 0),
    )


# -- pydantic errors, made readable -------------------------------------------------------


def _clean_loc(loc: tuple[Any, ...]) -> tuple[PathKey, bool]:
    """Drop union tags from a pydantic location; report whether it points at a dict key."""
    out: list[str | int] = []
    is_key = False
    for i, part in enumerate(loc):
        if part == "[key]":
            is_key = True
            continue
        if part in _UNION_TAGS and i >= 2 and loc[i - 2] == "connections":
            continue
        out.append(part)
    return tuple(out), is_key


def _problem_from_pydantic(err: Any, source: SourceMap) -> SpecProblem:
    path, is_key = _clean_loc(err["loc"])
    kind = err["type"]
    value = err.get("input")
    if isinstance(value, dict):  # a whole section: the path says which, echoing it is noise
        value = None
    msg = str(err["msg"]).removeprefix("Value error, ")
    hint = ""
    if kind == "extra_forbidden":
        field = str(path[-1])
        schema_path = tuple(p for p in err["loc"] if p != "[key]")[:-1]
        allowed = sorted(_fields_at(schema_path))
        close = difflib.get_close_matches(field[:100], allowed, n=1)
        msg = f"unknown key {clip(field)}" + (f"; did you mean {close[0]!r}?" if close else "")
        hint = f"allowed here: {', '.join(allowed)}" if allowed else "remove it"
        return SpecProblem(source.locate(path, key=True), format_path(path), msg, hint=hint)
    if kind == "missing":
        msg = f"required field {str(path[-1])!r} is missing"
        hint = "see `vpcwire schema` for the fields each section takes"
        return SpecProblem(source.locate(path[:-1], key=True), format_path(path), msg, hint=hint)
    if kind == "ip_v4_network":
        network = _network_of(value)
        msg = f"{clip(value)} is not an IPv4 CIDR block"
        hint = (
            f"write the network address: {network}" if network else "write a block like 10.0.0.0/16"
        )
    elif kind == "string_pattern_mismatch" and is_key:
        msg = f"name {clip(value)} is not allowed"
        hint = "names are lower-case letters, digits, - and _, starting with a letter"
    elif kind == "connection_kind":
        hint = "e.g. {consumer: app, service: api} or {peers: [app, db]}"
    elif kind == "vpcwire":
        hint = str(err.get("ctx", {}).get("fix", ""))
        field = err.get("ctx", {}).get("field")
        if field and isinstance(err.get("input"), dict) and field in err["input"]:
            path, is_key, value = (*path, field), False, err["input"][field]
    elif kind == "string_pattern_mismatch" and NAME_PATTERN in str(err.get("ctx", {})):
        hint = "names are lower-case letters, digits, - and _, starting with a letter (max 39)"
    hint = (
        hint
        or _HINTS.get(kind, "")
        or f"see `vpcwire schema` for what {format_path(path) or 'the spec'} takes"
    )
    return SpecProblem(
        source.locate(path, key=is_key), format_path(path), msg, value=value, hint=hint
    )


# A fix line for pydantic's own error types (vpcwire's validators carry their own).
_HINTS = {
    "dict_type": "write a mapping here (key: value lines, or {key: value})",
    "list_type": "write a list here ([a, b], or lines starting with -)",
    "string_type": "write a string here (quote it if YAML reads it as a number or date)",
    "int_type": "write a whole number here",
    "int_parsing": "write a whole number here",
    "int_from_float": "write a whole number here",
    "float_type": "write a number here",
    "float_parsing": "write a number here",
    "bool_type": "write true or false",
    "bool_parsing": "write true or false",
    "literal_error": "use one of the values listed",
    "too_short": "add entries: this field needs more",
    "too_long": "remove entries: this field takes fewer",
    "greater_than_equal": "use a value within the range shown",
    "less_than_equal": "use a value within the range shown",
    "greater_than": "use a value within the range shown",
    "less_than": "use a value within the range shown",
    "string_too_long": "shorten it",
    "union_tag_invalid": "e.g. {consumer: app, service: api} or {peers: [app, db]}",
    "ip_v4_address": "write a dotted address like 10.0.1.25",
}


def _network_of(value: Any) -> IPv4Network | None:
    try:
        return IPv4Network(str(value), strict=False)
    except ValueError:
        return None


def _fields_at(path: PathKey) -> set[str]:
    """The keys the model at ``path`` accepts, for "did you mean" on unknown keys."""
    annotation: Any = Spec
    for part in path:
        annotation = _step(annotation, part)
        if annotation is None:
            return set()
    model = _strip(annotation)
    if not (isinstance(model, type) and issubclass(model, BaseModel)):
        return set()
    return {field.alias or name for name, field in model.model_fields.items()}


def _strip(annotation: Any) -> Any:
    """Annotated[X, ...] and X | None -> X; a union of several models stays a union."""
    while True:
        origin = typing.get_origin(annotation)
        args = typing.get_args(annotation)
        if origin is typing.Annotated:
            annotation = args[0]
        elif origin in (typing.Union, types.UnionType):
            rest = [a for a in args if a is not type(None)]
            if len(rest) != 1:
                return annotation
            annotation = rest[0]
        else:
            return annotation


def _step(annotation: Any, part: str | int) -> Any:
    """The annotation one path element further down, or None if the path leaves the schema."""
    annotation = _strip(annotation)
    origin = typing.get_origin(annotation)
    if origin in (list, tuple):
        return typing.get_args(annotation)[0] if isinstance(part, int) else None
    if origin is dict:
        return typing.get_args(annotation)[1]
    if origin in (typing.Union, types.UnionType):  # connections: pick the member by its keys
        if part in _UNION_TAGS:
            return _UNION_TAGS[part]
        for member in typing.get_args(annotation):
            model = _strip(member)
            if (
                isinstance(model, type)
                and issubclass(model, BaseModel)
                and part in model.model_fields
            ):
                return model.model_fields[part].annotation
        return None
    if isinstance(annotation, type) and issubclass(annotation, BaseModel) and isinstance(part, str):
        field = annotation.model_fields.get(part)
        return field.annotation if field is not None else None
    return None


# -- names that must refer to something --------------------------------------------------------


def _unresolved_names(data: dict[Any, Any], source: SourceMap) -> list[SpecProblem]:
    """Names that refer to nothing, read from the raw document so that they are reported
    together with schema problems (a section that is not even a mapping is skipped here:
    the schema reports it)."""
    problems: list[SpecProblem] = []

    def section(key: str) -> dict[Any, Any] | None:
        """The section's names; None when it is there but not a mapping (the schema says)."""
        value = data.get(key, {})
        return value if isinstance(value, dict) else None

    def items(value: Any) -> list[tuple[int, Any]]:
        return list(enumerate(value)) if isinstance(value, list) else []

    accounts, vpcs, services = section("accounts"), section("vpcs"), section("services")

    def check(path: PathKey, value: Any, pool: dict[Any, Any] | None, what: str) -> None:
        if not isinstance(value, str) or pool is None or value in pool:
            return  # not a string, or a section that is not a mapping: the schema says so
        close = difflib.get_close_matches(value[:100], [str(k) for k in pool], n=1)
        msg = f"unknown {what} {clip(value)}" + (f"; did you mean {close[0]!r}?" if close else "")
        known = ", ".join(str(k) for k in pool) or "none"
        problems.append(
            SpecProblem(
                source.locate(path),
                format_path(path),
                msg,
                hint=f"the {what}s declared are: {clip(known, 200)}",
                kind="reference",
            )
        )

    for name, vpc in (vpcs or {}).items():
        if not isinstance(vpc, dict):
            continue
        if vpc.get("account") is not None:
            check(("vpcs", name, "account"), vpc["account"], accounts, "account")
        elif accounts is not None and len(accounts) > 1:
            problems.append(
                SpecProblem(
                    source.locate(("vpcs", name), key=True),
                    format_path(("vpcs", name, "account")),
                    "this spec has several accounts; say which one owns the VPC",
                    hint=f"add account: one of {clip(', '.join(map(str, accounts)), 200)}",
                    kind="reference",
                )
            )
    for name, svc in (services or {}).items():
        if isinstance(svc, dict):
            check(("services", name, "vpc"), svc.get("vpc"), vpcs, "VPC")
    for i, conn in items(data.get("connections")):
        if not isinstance(conn, dict):
            continue
        if "peers" in conn:
            for j, peer in items(conn["peers"]):
                check(("connections", i, "peers", j), peer, vpcs, "VPC")
        else:
            check(("connections", i, "consumer"), conn.get("consumer"), vpcs, "VPC")
            check(("connections", i, "service"), conn.get("service"), services, "service")
    for i, exp in items(data.get("expect")):
        if isinstance(exp, dict):
            check(("expect", i, "from"), exp.get("from"), vpcs, "VPC")
            check(
                ("expect", i, "to"),
                exp.get("to"),
                None if vpcs is None or services is None else {**services, **vpcs},
                "VPC or service",
            )
    return problems
