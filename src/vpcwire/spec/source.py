"""YAML to plain data, remembering where every value came from.

PyYAML's safe loader throws positions away, and pydantic's errors name a field path,
not a line. We compose the YAML node tree ourselves and record, for each path, the
line and column of its value, so that any later error can point into the file.
Duplicate keys are an error here: PyYAML would silently keep the last one, and a
spec where ``vpcs.app`` appears twice is almost always a copy-paste slip.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

import yaml

from vpcwire.errors import Location, SpecError, SpecProblem, clip

if TYPE_CHECKING:
    from vpcwire.spec.models import Spec

__all__ = [
    "MAX_ALIAS_NODES",
    "MAX_DEPTH",
    "PathKey",
    "SourceMap",
    "format_path",
    "parse_yaml",
    "parse_yaml_collecting",
    "spec_location",
]

PathKey = tuple[str | int, ...]


def format_path(path: Iterable[str | int]) -> str:
    """("vpcs", "a", "subnets", "private", 0, "cidr") -> "vpcs.a.subnets.private[0].cidr"."""
    out = ""
    for part in path:
        if isinstance(part, int):
            out += f"[{part}]"
        else:
            out += f".{part}" if out else str(part)
    return out


@dataclass
class SourceMap:
    """Where each path of the parsed document sits in the file."""

    file: Path | None
    positions: dict[PathKey, tuple[int, int]] = field(default_factory=dict)
    key_positions: dict[PathKey, tuple[int, int]] = field(default_factory=dict)
    # paths whose value the loader refused and replaced by None (a tag, an alias bomb...):
    # a schema complaint about that None would only repeat the problem
    refused: set[str] = field(default_factory=set)

    def locate(self, path: PathKey, *, key: bool = False) -> Location:
        """The closest known position: the path itself, else its nearest ancestor.

        ``key=True`` prefers the position of the mapping key (useful for "unknown key").
        """
        probe = tuple(path)
        while True:
            table = self.key_positions if key and probe in self.key_positions else self.positions
            if probe in table:
                line, col = table[probe]
                return Location(self.file, line, col)
            if not probe:
                return Location(self.file)
            probe = probe[:-1]


# Bounds that keep a hostile or broken document from hanging or crashing the loader. A real
# spec nests about seven levels and uses aliases, if at all, for a few small shared blocks.
MAX_DEPTH = 64
MAX_ALIAS_NODES = 10_000  # nodes built by expanding aliases, over the whole document

# Tags a spec may carry: what YAML resolves plain scalars, lists and mappings to. Anything
# else (``!foo``, ``!!binary``, ``!!python/...``) has no meaning in a spec.
_ALLOWED_TAGS = frozenset(
    f"tag:yaml.org,2002:{t}"
    for t in ("str", "int", "float", "bool", "null", "map", "seq", "timestamp")
)
_PLAIN_FIX = "a spec holds plain strings, numbers, booleans, lists and mappings"


def parse_yaml(text: str, file: Path | None = None) -> tuple[Any, SourceMap]:
    """Compose and construct one YAML document; raise SpecError with every located problem."""
    data, source, problems = parse_yaml_collecting(text, file)
    if problems:
        raise SpecError(problems)
    return data, source


def parse_yaml_collecting(
    text: str, file: Path | None = None
) -> tuple[Any, SourceMap, list[SpecProblem]]:
    """Like :func:`parse_yaml`, but hand back the problems that do not stop construction
    (duplicate keys, refused tags, bounds) together with the data, so that the caller can
    report them along with schema problems in one run. Problems that leave no document
    (syntax errors, an empty file) still raise."""
    source = SourceMap(file)
    try:
        node = yaml.compose(text, Loader=_Loader)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        loc = Location(file, mark.line + 1, mark.column + 1) if mark else Location(file)
        problem = getattr(exc, "problem", None) or str(exc)
        raise SpecError(
            [
                SpecProblem(
                    loc, "", f"not valid YAML: {problem}", hint="fix the YAML syntax", kind="yaml"
                )
            ]
        ) from None
    except RecursionError:  # pure-Python composer on a very deep document
        raise SpecError([_too_deep(_deep_mark(text, file), "")]) from None
    if node is None:
        raise SpecError(
            [
                SpecProblem(
                    Location(file, 1, 1),
                    "",
                    "the spec is empty",
                    hint="see `vpcwire schema`",
                    kind="yaml",
                )
            ]
        )
    builder = _Builder(source)
    data = builder.construct(node, (), 0)
    return data, source, builder.problems


def _mark_location(file: Path | None, mark: Any) -> Location:
    return Location(file, mark.line + 1, mark.column + 1)


def _too_deep(loc: Location, path: str) -> SpecProblem:
    return SpecProblem(
        loc,
        path,
        f"the document nests deeper than {MAX_DEPTH} levels",
        hint="a spec nests about seven levels; flatten the structure (is a bracket unclosed?)",
        kind="yaml",
    )


def _deep_mark(text: str, file: Path | None) -> Location:
    """Where nesting first exceeds MAX_DEPTH, found from the event stream (no recursion)."""
    depth = 0
    try:
        for event in yaml.parse(text, Loader=_Loader):
            if isinstance(event, yaml.CollectionStartEvent):
                depth += 1
                if depth > MAX_DEPTH + 1:  # the root collection is level 0, as in _Builder
                    return _mark_location(file, event.start_mark)
            elif isinstance(event, yaml.CollectionEndEvent):
                depth -= 1
    except yaml.YAMLError:
        pass
    return Location(file)


# libyaml's composer is about 5x faster on big specs and keeps the same marks.
_Loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


class _Builder:
    """Plain data from a composed node tree, with positions, within the bounds above.

    PyYAML's composer hands an alias back as the very node it names, so a document is a
    graph: a node met again while it is still being built is a recursive alias, and nodes
    built again are alias expansion, which the budget bounds ("billion laughs").
    """

    def __init__(self, source: SourceMap) -> None:
        self.source = source
        self.problems: list[SpecProblem] = []
        self.scalars = yaml.SafeLoader("")  # one per document: its cache must not outlive it
        self.built: set[int] = set()
        self.active: set[int] = set()
        self.expanded = 0
        self.over_budget = False

    def problem(self, node: yaml.Node, path: PathKey, message: str, hint: str) -> None:
        """Record a problem with the value at ``path``, which the caller replaces by None."""
        loc = _mark_location(self.source.file, node.start_mark)
        self.problems.append(SpecProblem(loc, format_path(path), message, hint=hint, kind="yaml"))
        self.source.refused.add(format_path(path))

    def construct(self, node: yaml.Node, path: PathKey, depth: int) -> Any:
        source = self.source
        source.positions.setdefault(path, (node.start_mark.line + 1, node.start_mark.column + 1))
        ident = id(node)
        if ident in self.active:
            self.problem(node, path, "recursive alias: a node contains itself", _PLAIN_FIX)
            return None
        if depth > MAX_DEPTH:
            loc = _mark_location(source.file, node.start_mark)
            self.problems.append(_too_deep(loc, format_path(path)))
            source.refused.add(format_path(path))
            return None
        if ident in self.built:
            self.expanded += 1
            if self.expanded > MAX_ALIAS_NODES:
                if not self.over_budget:
                    self.over_budget = True
                    self.problem(
                        node,
                        path,
                        f"aliases expand to more than {MAX_ALIAS_NODES} nodes",
                        "write the values out, or alias only small blocks",
                    )
                return None
        else:
            self.built.add(ident)
        if node.tag not in _ALLOWED_TAGS:
            self.problem(
                node,
                path,
                f"YAML tag {clip(node.tag, 60)} is not allowed in a spec",
                f"remove the tag; {_PLAIN_FIX}",
            )
            return None
        if isinstance(node, yaml.ScalarNode):
            try:
                return self.scalars.construct_object(node)
            except (yaml.YAMLError, ValueError, OverflowError) as exc:
                self.problem(
                    node, path, f"cannot read this value: {clip(str(exc), 80)}", _PLAIN_FIX
                )
                return None
        self.active.add(ident)
        try:
            if isinstance(node, yaml.MappingNode):
                return self._mapping(node, path, depth)
            return [
                self.construct(item, (*path, i), depth + 1) for i, item in enumerate(node.value)
            ]
        finally:
            self.active.discard(ident)

    def _mapping(self, node: yaml.MappingNode, path: PathKey, depth: int) -> dict[Any, Any]:
        source = self.source
        out: dict[Any, Any] = {}
        for key_node, value_node in node.value:
            if not isinstance(key_node, yaml.ScalarNode) or key_node.tag not in _ALLOWED_TAGS:
                loc = _mark_location(source.file, key_node.start_mark)  # the entry is skipped
                self.problems.append(
                    SpecProblem(
                        loc,
                        format_path(path),
                        "a key must be a plain name",
                        hint=_PLAIN_FIX,
                        kind="yaml",
                    )
                )
                continue
            try:
                key = self.scalars.construct_object(key_node)
            except (yaml.YAMLError, ValueError, OverflowError):
                key = key_node.value
            if not isinstance(key, str | int) or isinstance(key, bool):
                key = str(key)
            child = (*path, key)
            if key in out:
                self.problems.append(
                    SpecProblem(
                        _mark_location(source.file, key_node.start_mark),
                        format_path(child),
                        f"duplicate key {clip(key)}",
                        hint="each key may appear once; merge or rename the entries",
                        kind="yaml",
                    )
                )
                continue
            source.key_positions.setdefault(
                child, (key_node.start_mark.line + 1, key_node.start_mark.column + 1)
            )
            out[key] = self.construct(value_node, child, depth + 1)
        return out


def spec_location(spec: Spec, path: PathKey, *, key: bool = False) -> Location:
    """Where a spec path stands in the file the spec was loaded from (no file: unknown).

    Here rather than in ``spec.load`` so that the planner and the rules can locate findings
    without importing the loader, which runs the spec rules itself."""
    source: SourceMap | None = spec._source
    return source.locate(path, key=key) if source is not None else Location(None)
