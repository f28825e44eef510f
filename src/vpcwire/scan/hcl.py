"""Terraform files to blocks that remember their file and line.

python-hcl2's dictionary output drops positions, so we parse with its grammar ourselves
(lark LALR; lines read from the tokens) and take from the tree only the block structure: each block's type,
labels, attributes (still unevaluated expression trees) and nested blocks. Expressions are
evaluated later, in ``expr.py``, once the scope they need (variables, locals, count, other
resources) exists.
"""

from __future__ import annotations

import stat
from collections.abc import Iterator
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path

import hcl2.parser
from hcl2.postlexer import PostLexer
from lark import Lark, Token, Tree
from lark.exceptions import UnexpectedInput

from vpcwire.errors import Location, SpecError, SpecProblem
from vpcwire.scan.collector import collector_paused
from vpcwire.scan.limits import MAX_TF_BYTES

__all__ = ["Block", "load_blocks", "parse_file"]


@dataclass(frozen=True)
class Block:
    """One HCL block: ``resource "aws_vpc" "main" { ... }`` has type ``resource`` and
    labels ``("aws_vpc", "main")``."""

    type: str
    labels: tuple[str, ...]
    attributes: dict[str, Tree[Token]]
    blocks: tuple[Block, ...]
    file: Path
    line: int
    attribute_lines: dict[str, int] = field(default_factory=dict)

    def nested(self, kind: str) -> Iterator[Block]:
        return (b for b in self.blocks if b.type == kind)

    @property
    def location(self) -> Location:
        return Location(self.file, self.line)


def load_blocks(directory: Path) -> list[Block]:
    """Every top-level block of every ``*.tf`` file of one module directory, in file order.

    All syntax errors of all files are collected and raised together (exit 2). The garbage
    collector is paused while the trees are built (``collector.py``)."""
    blocks: list[Block] = []
    problems: list[SpecProblem] = []
    with collector_paused():
        for path in sorted(directory.glob("*.tf")):
            if path.is_dir():
                continue  # a directory named x.tf: Terraform skips it too
            try:
                blocks += parse_file(path)
            except SpecError as exc:
                problems += exc.problems
    if problems:
        raise SpecError(problems)
    return blocks


@cache
def _parser() -> Lark:
    """python-hcl2's grammar and post-lexer, without propagated positions: lines come from
    the tokens themselves, and parsing takes half the time (measured on rendered configs)."""
    return Lark.open(
        "hcl2.lark",
        rel_to=hcl2.parser.__file__,
        parser="lalr",
        propagate_positions=False,
        postlex=PostLexer(),
        cache=True,
    )


def parse_text(text: str) -> Tree[Token]:
    return _parser().parse(text if text.endswith("\n") else text + "\n")


def first_line(node: Tree[Token] | Token) -> int:
    if isinstance(node, Token):
        return node.line or 0
    for token in node.scan_values(lambda v: isinstance(v, Token)):
        return int(token.line or 0)
    return 0


def _problem(path: Path, line: int | None, message: str, hint: str) -> SpecError:
    return SpecError([SpecProblem(Location(path, line), "", message, hint=hint, kind="terraform")])


def read_source(path: Path) -> str:
    """A .tf file's text, refused with a located error where Terraform refuses it (a file it
    cannot read: a symlink loop, a dangling link; bytes that are not UTF-8 outside comments)
    and where a scan must not follow it: a device or pipe (``x.tf -> /dev/zero`` would be
    read forever) or a file larger than MAX_TF_BYTES.

    Bytes that are not UTF-8 come back as lone surrogates (``surrogateescape``): HCL's
    comments may hold them (Terraform accepts that), so whether they matter is decided after
    parsing, by :func:`_check_encoding`."""
    try:
        info = path.stat()
    except OSError as exc:
        raise _problem(
            path,
            None,
            f"cannot read the file: {exc.strerror or exc}",
            "fix or remove the file (Terraform cannot read it either)",
        ) from None
    if not stat.S_ISREG(info.st_mode):
        raise _problem(
            path,
            None,
            "not a regular file (a device, pipe or socket named *.tf)",
            "remove it or rename it so it does not end in .tf",
        )
    if info.st_size > MAX_TF_BYTES:
        raise _problem(
            path,
            None,
            f"{info.st_size:,} bytes: larger than the {MAX_TF_BYTES:,} a scan reads in one file",
            "split the configuration, or scan the module that matters",
        )
    try:
        data = path.read_bytes()[: MAX_TF_BYTES + 1]
    except OSError as exc:
        raise _problem(
            path,
            None,
            f"cannot read the file: {exc.strerror or exc}",
            "fix or remove the file (Terraform cannot read it either)",
        ) from None
    return data.decode("utf-8", errors="surrogateescape")


def _not_utf8(path: Path, line: int) -> SpecError:
    return _problem(
        path,
        line,
        "invalid character encoding: the file is not UTF-8",
        "save the file as UTF-8 (Terraform requires it outside comments)",
    )


def _first_bad_line(text: str) -> int:
    for number, line in enumerate(text.split("\n"), start=1):
        if any("\udc80" <= ch <= "\udcff" for ch in line):
            return number
    return 1


def _check_encoding(path: Path, tree: Tree[Token]) -> None:
    """Refuse bytes that are not UTF-8 where they are not comments, as Terraform does."""
    for token in tree.scan_values(
        lambda v: (
            isinstance(v, Token)
            and v.type != "NL_OR_COMMENT"
            and any("\udc80" <= ch <= "\udcff" for ch in v)
        )
    ):
        raise _not_utf8(path, token.line or 1)


def parse_file(path: Path) -> list[Block]:
    text = read_source(path)
    if not text.endswith("\n"):
        text += "\n"
    clean = text.isascii() or not any("\udc80" <= ch <= "\udcff" for ch in text)
    try:
        tree = parse_text(text)
    except UnexpectedInput as exc:
        if not clean:
            raise _not_utf8(path, _first_bad_line(text)) from None
        where = Location(path, exc.line if exc.line > 0 else None, exc.column or None)
        message = str(exc).splitlines()[0]
        raise SpecError(
            [
                SpecProblem(
                    where,
                    "",
                    f"HCL syntax error: {message}",
                    hint="fix the syntax (`terraform fmt` points at the same place)",
                    kind="terraform",
                )
            ]
        ) from None
    if not clean:
        _check_encoding(path, tree)
    body = tree.children[0]
    assert isinstance(body, Tree)
    return list(_blocks(body, path))


def _blocks(body: Tree[Token], path: Path) -> Iterator[Block]:
    for child in body.children:
        if isinstance(child, Tree) and child.data == "block":
            yield _block(child, path)


def _block(node: Tree[Token], path: Path) -> Block:
    names: list[str] = []
    attributes: dict[str, Tree[Token]] = {}
    lines: dict[str, int] = {}
    nested: list[Block] = []
    for child in node.children:
        if not isinstance(child, Tree):
            continue
        if child.data == "body":
            for item in child.children:
                if not isinstance(item, Tree):
                    continue
                if item.data == "attribute":
                    name = _name(item.children[0])
                    attributes[name] = item.children[-1]  # type: ignore[assignment]
                    lines[name] = first_line(item)
                elif item.data == "block":
                    nested.append(_block(item, path))
        else:
            names.append(_name(child))
    return Block(
        type=names[0],
        labels=tuple(names[1:]),
        attributes=attributes,
        blocks=tuple(nested),
        file=path,
        line=first_line(node),
        attribute_lines=lines,
    )


def _name(node: Tree[Token] | Token) -> str:
    """An identifier, keyword or quoted label as plain text."""
    if isinstance(node, Token):
        return str(node)
    if node.data == "string":
        return "".join(str(_name(p)) for p in node.children if isinstance(p, Tree))
    if node.data == "string_part":
        return "".join(str(t) for t in node.children if isinstance(t, Token))
    return "".join(_name(c) for c in node.children)
