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

from vpcwire.errors import Location, SpecError, SpecProblem, UsageError
from vpcwire.spec.models import PeerConnection, ServiceConnection, Spec
from vpcwire.spec.source import PathKey, SourceMap, format_path, parse_yaml

__all__ = ["load_spec", "parse_spec", "spec_location"]

_UNION_TAGS = {"service": ServiceConnection, "peers": PeerConnection}


def load_spec(path: str | Path) -> Spec:
    file = Path(path)
    try:
        text = file.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise UsageError(f"{file}: no such spec file") from None
    except (OSError, UnicodeDecodeError) as exc:
        raise UsageError(f"{file}: cannot read the spec: {exc}") from None
    spec = parse_spec(text, file)
    if spec.name is None:
        stem = "".join(c if c.isalnum() or c in "-_" else "-" for c in file.stem.lower())
        spec = spec.model_copy(update={"name": stem.strip("-_")[:39] or "vpcwire"})
    return spec


def parse_spec(text: str, file: Path | None = None) -> Spec:
    data, source = parse_yaml(text, file)
    if not isinstance(data, dict):
        raise SpecError(
            [
                SpecProblem(
                    source.locate(()),
                    "",
                    "the spec must be a mapping of sections",
                    value=data,
                    hint="start with accounts:, vpcs:, services:, connections:",
                )
            ]
        )
    try:
        spec = Spec.model_validate(data)
    except ValidationError as exc:
        raise SpecError([_problem_from_pydantic(err, source) for err in exc.errors()]) from None
    spec._source = source
    problems = _unresolved_names(spec, source)
    if problems:
        raise SpecError(problems)
    return spec


def spec_location(spec: Spec, path: PathKey, *, key: bool = False) -> Location:
    source: SourceMap | None = spec._source
    return source.locate(path, key=key) if source is not None else Location(None)


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
    msg = str(err["msg"]).removeprefix("Value error, ")
    hint = ""
    if kind == "extra_forbidden":
        field = str(path[-1])
        schema_path = tuple(p for p in err["loc"] if p != "[key]")[:-1]
        allowed = sorted(_fields_at(schema_path))
        close = difflib.get_close_matches(field, allowed, n=1)
        msg = f"unknown key {field!r}" + (f"; did you mean {close[0]!r}?" if close else "")
        hint = f"allowed here: {', '.join(allowed)}" if allowed else "remove it"
        return SpecProblem(source.locate(path, key=True), format_path(path), msg, hint=hint)
    if kind == "missing":
        msg = f"required field {str(path[-1])!r} is missing"
        hint = "see `vpcwire schema` for the fields each section takes"
        return SpecProblem(source.locate(path[:-1], key=True), format_path(path), msg, hint=hint)
    if kind == "ip_v4_network":
        network = _network_of(value)
        msg = f"{value!r} is not an IPv4 CIDR block"
        hint = (
            f"write the network address: {network}" if network else "write a block like 10.0.0.0/16"
        )
    elif kind == "string_pattern_mismatch" and is_key:
        msg = f"name {value!r} is not allowed"
        hint = "names are lower-case letters, digits, - and _, starting with a letter"
    elif kind == "connection_kind":
        hint = "e.g. {consumer: app, service: api} or {peers: [app, db]}"
    return SpecProblem(
        source.locate(path, key=is_key), format_path(path), msg, value=value, hint=hint
    )


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


def _unresolved_names(spec: Spec, source: SourceMap) -> list[SpecProblem]:
    problems: list[SpecProblem] = []

    def check(path: PathKey, value: str, pool: dict[str, Any], what: str) -> None:
        if value in pool:
            return
        close = difflib.get_close_matches(value, list(pool), n=1)
        msg = f"unknown {what} {value!r}" + (f"; did you mean {close[0]!r}?" if close else "")
        known = ", ".join(pool) or "none"
        problems.append(
            SpecProblem(
                source.locate(path),
                format_path(path),
                msg,
                hint=f"the {what}s declared are: {known}",
            )
        )

    for name, vpc in spec.vpcs.items():
        if vpc.account is not None:
            check(("vpcs", name, "account"), vpc.account, spec.accounts, "account")
        elif len(spec.accounts) > 1:
            problems.append(
                SpecProblem(
                    source.locate(("vpcs", name), key=True),
                    f"vpcs.{name}.account",
                    "this spec has several accounts; say which one owns the VPC",
                    hint=f"add account: one of {', '.join(spec.accounts)}",
                )
            )
    for name, svc in spec.services.items():
        check(("services", name, "vpc"), svc.vpc, spec.vpcs, "VPC")
    for i, conn in enumerate(spec.connections):
        if isinstance(conn, ServiceConnection):
            check(("connections", i, "consumer"), conn.consumer, spec.vpcs, "VPC")
            check(("connections", i, "service"), conn.service, spec.services, "service")
        else:
            for j, peer in enumerate(conn.peers):
                check(("connections", i, "peers", j), peer, spec.vpcs, "VPC")
    for i, exp in enumerate(spec.expect):
        check(("expect", i, "from"), exp.from_, spec.vpcs, "VPC")
        check(("expect", i, "to"), exp.to, {**spec.services, **spec.vpcs}, "VPC or service")
    return problems
