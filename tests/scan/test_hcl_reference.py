"""The scan's fast parse path agrees with python-hcl2's own entry points on every fixture and
on vpcwire's rendered Terraform of every example.

The fast path (``hcl.load_blocks``) parses with the collector paused, without lark's
propagated positions, and reads lines from the tokens. The reference is python-hcl2 as its
users call it: ``hcl2.api.parses_to_tree`` (its own parser instance, positions propagated by
lark) for blocks, labels and lines, and ``hcl2.loads`` (its own transformer) for which
resources exist. Both must give the same blocks with the same labels at the same lines, the
same attributes at the same lines, recursively through nested blocks.
"""

from __future__ import annotations

import gc
from pathlib import Path
from typing import Any

import hcl2
import pytest
from hcl2.api import parses_to_tree
from lark import Token, Tree

from tests.conftest import EXAMPLES
from vpcwire import load_spec, plan, render
from vpcwire.render import write
from vpcwire.scan.hcl import Block, load_blocks

FIXTURES = Path(__file__).parent.parent / "fixtures" / "scan"
MODULE_DIRS = sorted({p.parent for p in FIXTURES.rglob("*.tf")})
SPECS = sorted(EXAMPLES.glob("*.yaml"))

# (type, labels, line, ((attribute, line), ...), nested blocks)
Shape = tuple[str, tuple[str, ...], int, tuple[tuple[str, int], ...], tuple[Any, ...]]


def fast_shape(block: Block) -> Shape:
    return (
        block.type,
        block.labels,
        block.line,
        tuple(sorted(block.attribute_lines.items())),
        tuple(fast_shape(b) for b in block.blocks),
    )


def _text(node: Tree[Token] | Token) -> str:
    """An identifier or a quoted label, as python-hcl2's tree holds it."""
    if isinstance(node, Token):
        return str(node)
    if node.data == "string":
        return "".join(
            str(t) for part in node.children if isinstance(part, Tree) for t in part.children
        )
    return "".join(_text(c) for c in node.children)


def reference_shape(node: Tree[Token]) -> Shape:
    """A block of python-hcl2's tree, its lines from lark's propagated positions."""
    names: list[str] = []
    attributes: list[tuple[str, int]] = []
    nested: list[Shape] = []
    for child in node.children:
        if not isinstance(child, Tree) or child.data == "new_line_or_comment":
            continue
        if child.data != "body":
            names.append(_text(child))
            continue
        for item in child.children:
            if isinstance(item, Tree) and item.data == "attribute":
                attributes.append((_text(item.children[0]), item.meta.line))
            elif isinstance(item, Tree) and item.data == "block":
                nested.append(reference_shape(item))
    return (names[0], tuple(names[1:]), node.meta.line, tuple(sorted(attributes)), tuple(nested))


def reference_blocks(path: Path) -> list[Shape]:
    tree = parses_to_tree(path.read_text(encoding="utf-8"))
    body = tree.children[0]
    assert isinstance(body, Tree) and body.data == "body"
    return [reference_shape(c) for c in body.children if isinstance(c, Tree) and c.data == "block"]


def reference_resources(path: Path) -> list[tuple[str, str]]:
    """(type, name) of every resource, from python-hcl2's dictionary output."""
    document = hcl2.loads(path.read_text(encoding="utf-8"))
    return [
        (rtype.strip('"'), name.strip('"'))
        for entry in document.get("resource", [])
        for rtype, by_name in entry.items()
        for name in by_name
    ]


def assert_same_as_reference(directory: Path) -> int:
    """Compare file by file; return how many blocks were compared (so a test can require
    that it compared something)."""
    blocks = load_blocks(directory)
    files = sorted(directory.glob("*.tf"))
    assert {b.file for b in blocks} <= set(files)
    compared = 0
    for path in files:
        fast = [fast_shape(b) for b in blocks if b.file == path]
        assert fast == reference_blocks(path), path.name
        resources = [b.labels for b in blocks if b.file == path and b.type == "resource"]
        assert resources == reference_resources(path), path.name
        compared += len(fast)
    return compared


@pytest.mark.parametrize("directory", MODULE_DIRS, ids=lambda p: str(p.relative_to(FIXTURES)))
def test_fixture_blocks_and_lines_match_python_hcl2(directory: Path) -> None:
    assert assert_same_as_reference(directory) > 0


@pytest.mark.parametrize("spec", SPECS, ids=lambda p: p.stem)
def test_rendered_example_blocks_and_lines_match_python_hcl2(spec: Path, tmp_path: Path) -> None:
    write(render(plan(load_spec(spec))), tmp_path)
    assert assert_same_as_reference(tmp_path) > 10


def test_the_comparison_sees_a_moved_block(tmp_path: Path) -> None:
    """The shapes carry lines: a fast path that lost one would fail the comparison."""
    (tmp_path / "main.tf").write_text('resource "aws_vpc" "a" {\n  cidr_block = "10.0.0.0/16"\n}\n')
    fast = [fast_shape(b) for b in load_blocks(tmp_path)]
    assert fast == reference_blocks(tmp_path / "main.tf")
    assert fast[0][2] == 1 and fast[0][3] == (("cidr_block", 2),)
    (tmp_path / "main.tf").write_text(
        '\n\nresource "aws_vpc" "a" {\n  cidr_block = "10.0.0.0/16"\n}\n'
    )
    assert fast != reference_blocks(tmp_path / "main.tf")


def test_parsing_leaves_the_collector_as_it_found_it(tmp_path: Path) -> None:
    (tmp_path / "main.tf").write_text('resource "aws_vpc" "a" {\n  cidr_block = "10.0.0.0/16"\n}\n')
    assert gc.isenabled()
    load_blocks(tmp_path)
    assert gc.isenabled()
    gc.disable()
    try:
        load_blocks(tmp_path)
        assert not gc.isenabled()
    finally:
        gc.enable()
