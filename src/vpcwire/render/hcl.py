"""A small HCL document tree and a serialiser whose output `terraform fmt` leaves unchanged.

Renderers build a tree of :class:`Block`, :class:`Attr`, :class:`Blank` and
:class:`Comment` with plain Python values and :class:`Expr` for references; nothing pastes
HCL text together. We write our own serialiser rather than use python-hcl2's writer because
that one neither produces fmt-clean output nor is fast enough for a 500-VPC render (it took
about 1.3 ms per block where this takes a few µs; see benchmarks/plan_render.py).

fmt's layout rules that matter here: two-space indentation; the ``=`` of consecutive
single-line attributes is aligned; a multi-line value, a nested block, a blank line or a
comment ends such a run; map keys that are not identifiers are quoted.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field

__all__ = ["Attr", "Blank", "Block", "Call", "Comment", "Expr", "Node", "dumps", "string_literal"]

_IDENT = re.compile(r"^[A-Za-z_][A-Za-z0-9_-]*$")


@dataclass(frozen=True, slots=True)
class Expr:
    """A raw HCL expression: a reference, a function call. Never user-supplied text."""

    text: str


@dataclass(frozen=True, slots=True)
class Call:
    """A function call whose arguments are values (e.g. templatefile(path, {vars}))."""

    function: str
    args: tuple[object, ...]


@dataclass(frozen=True, slots=True)
class Attr:
    name: str
    value: object


@dataclass(frozen=True, slots=True)
class Blank:
    """An empty line, to group a block's body the way a person would."""


@dataclass(frozen=True, slots=True)
class Comment:
    text: str


@dataclass(slots=True)
class Block:
    type: str
    labels: Sequence[str] = ()
    body: list[Node] = field(default_factory=list)

    def add(self, *nodes: Node) -> Block:
        self.body.extend(nodes)
        return self


Node = Attr | Blank | Block | Comment


def dumps(blocks: Iterable[Block | Comment]) -> str:
    """Top-level blocks, separated by one blank line."""
    parts: list[str] = []
    for item in blocks:
        lines: list[str] = []
        if isinstance(item, Comment):
            lines.append(_comment(item, 0))
        else:
            _block(item, 0, lines)
        parts.append("\n".join(lines))
    return "\n\n".join(parts) + "\n"


def string_literal(text: str) -> str:
    """A quoted HCL string; ``${`` and ``%{`` are escaped so text is never interpolated."""
    body = json.dumps(text, ensure_ascii=False)[1:-1]
    return '"' + body.replace("${", "$${").replace("%{", "%%{") + '"'


def _comment(node: Comment, indent: int) -> str:
    return "\n".join(f"{'  ' * indent}# {line}".rstrip() for line in node.text.splitlines())


def _block(block: Block, indent: int, out: list[str]) -> None:
    pad = "  " * indent
    header = " ".join([block.type, *(string_literal(label) for label in block.labels)])
    if not block.body:
        out.append(f"{pad}{header} {{}}")
        return
    out.append(f"{pad}{header} {{")
    _body(block.body, indent + 1, out)
    out.append(f"{pad}}}")


def _body(body: Sequence[Node], indent: int, out: list[str]) -> None:
    pad = "  " * indent
    run: list[tuple[str, str]] = []  # single-line attributes waiting to be aligned

    def flush() -> None:
        width = max((len(name) for name, _ in run), default=0)
        out.extend(f"{pad}{name.ljust(width)} = {value}" for name, value in run)
        run.clear()

    for node in body:
        if isinstance(node, Attr):
            value = _value(node.value, indent)
            if "\n" in value:
                flush()
                out.append(f"{pad}{node.name} = {value}")
            else:
                run.append((node.name, value))
            continue
        flush()
        if isinstance(node, Blank):
            out.append("")
        elif isinstance(node, Comment):
            out.append(_comment(node, indent))
        else:
            _block(node, indent, out)
    flush()


def _value(value: object, indent: int) -> str:
    if isinstance(value, Expr):
        return value.text
    if isinstance(value, Call):
        return f"{value.function}({', '.join(_value(a, indent) for a in value.args)})"
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int | float):
        return repr(value)
    if isinstance(value, str):
        return string_literal(value)
    if isinstance(value, Mapping):
        return _object(value, indent)
    if isinstance(value, list | tuple):
        items = [_value(v, indent + 1) for v in value]
        one_line = "[" + ", ".join(items) + "]"
        if all("\n" not in i for i in items) and len(one_line) + 2 * indent < 100:
            return one_line
        pad = "  " * (indent + 1)
        return "[\n" + "".join(f"{pad}{i},\n" for i in items) + "  " * indent + "]"
    raise TypeError(f"cannot write {type(value).__name__} as HCL")


def _object(value: Mapping[object, object], indent: int) -> str:
    if not value:
        return "{}"
    pad = "  " * (indent + 1)
    keys = [k if isinstance(k, str) and _IDENT.match(k) else string_literal(str(k)) for k in value]
    lines: list[str] = []
    run: list[tuple[str, str]] = []

    def flush() -> None:
        width = max((len(k) for k, _ in run), default=0)
        lines.extend(f"{pad}{k.ljust(width)} = {v}" for k, v in run)
        run.clear()

    for key, item in zip(keys, value.values(), strict=True):
        text = _value(item, indent + 1)
        if "\n" in text:
            flush()
            lines.append(f"{pad}{key} = {text}")
        else:
            run.append((key, text))
    flush()
    return "{\n" + "\n".join(lines) + "\n" + "  " * indent + "}"
