"""Evaluate HCL expressions the way Terraform does, as far as a configuration alone allows.

Values are plain Python (None, bool, int, float, str, list, dict) plus two kinds that
Terraform has and Python lacks:

* :class:`Unknown` -- a value only apply (or a data source) can tell. It carries why, so a
  resource whose CIDR is unknown is *reported* as unresolvable, never silently dropped.
  Any operation on an Unknown yields an Unknown.
* :class:`Namespace` -- something with attributes that are looked up lazily: ``var``,
  ``local``, a resource type, one resource, a module call. Laziness is what lets a subnet's
  ``vpc_id = aws_vpc.main.id`` resolve without ordering the configuration first.

Ids that AWS chooses resolve to *symbols*: the resource's Terraform address, which is also
the id the Network uses for it (the planner does the same), so references tie resources
together before any id exists.
"""

from __future__ import annotations

import base64
import hashlib
import ipaddress
import itertools
import json
import math
import posixpath
import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

from lark import Token, Tree

from vpcwire.scan.limits import MAX_EVAL_STEPS, MAX_SCAN_STEPS, MAX_VALUE_ITEMS, LimitExceeded

__all__ = ["EvalError", "Namespace", "Unknown", "evaluate", "is_known"]


@dataclass(frozen=True, slots=True)
class Unknown:
    """A value Terraform would only know after apply (or that vpcwire cannot compute)."""

    why: str

    def __str__(self) -> str:
        return f"(unknown: {self.why})"


class EvalError(Exception):
    """An expression Terraform itself would reject (wrong type, missing attribute)."""


class Namespace:
    """A lazily resolved object: subclasses answer ``attr`` and/or ``index``."""

    def attr(self, name: str) -> Any:
        raise EvalError(f"unsupported attribute {name!r}")

    def index(self, key: Any) -> Any:
        raise EvalError(f"cannot index {self!r}")


def is_known(value: Any) -> bool:
    if isinstance(value, Unknown):
        return False
    if isinstance(value, list):
        return all(is_known(v) for v in value)
    if isinstance(value, dict):
        return all(is_known(v) for v in value.values())
    return True


Lookup = Callable[[str], Any]


def evaluate(node: Tree[Token] | Token, lookup: Lookup, scan_steps: list[int] | None = None) -> Any:
    """Evaluate an expression tree; ``lookup`` resolves a root name (``var``, ``aws_vpc``).
    ``scan_steps`` is the steps left to the whole scan (``[MAX_SCAN_STEPS]`` at its start),
    spent by every expression it evaluates."""
    scan = scan_steps if scan_steps is not None else [MAX_SCAN_STEPS]
    return _Evaluator(lookup, [MAX_EVAL_STEPS], scan).eval(node)


class _Evaluator:
    def __init__(self, lookup: Lookup, budget: list[int], scan: list[int]) -> None:
        self.lookup = lookup
        self.budget = budget  # steps left, shared with nested for expressions
        self.scan = scan  # steps left to the whole scan

    def eval(self, node: Tree[Token] | Token) -> Any:
        """One expression's value, within the bounds of ``limits.py``: every node costs a
        step of a budget the whole expression shares, and no value may outgrow
        MAX_VALUE_ITEMS, so a runaway expression stops instead of exhausting the machine."""
        self.budget[0] -= 1
        self.scan[0] -= 1
        if self.budget[0] < 0:
            raise LimitExceeded(f"takes more than {MAX_EVAL_STEPS:,} steps to evaluate")
        if self.scan[0] < 0:
            raise LimitExceeded(
                f"takes the scan past the {MAX_SCAN_STEPS:,} evaluation steps it spends in all"
            )
        value = self._eval(node)
        if isinstance(value, (str, list, dict)) and len(value) > MAX_VALUE_ITEMS:
            raise LimitExceeded(
                f"evaluates to {len(value):,} elements (a scan models at most "
                f"{MAX_VALUE_ITEMS:,} in one value)"
            )
        return value

    def _eval(self, node: Tree[Token] | Token) -> Any:
        if isinstance(node, Token):
            return str(node)
        kind = node.data
        kids = [c for c in node.children if not _is_noise(c)]
        if kind == "expr_term":
            inner = [c for c in kids if isinstance(c, Tree)]
            return self.eval(inner[0])
        if kind == "int_lit":
            return int(str(kids[0]))
        if kind == "float_lit":
            return float(str(kids[0]))
        if kind == "literal_value":
            return {"true": True, "false": False, "null": None}[str(kids[0])]
        if kind == "identifier":
            return self.lookup(str(kids[0]))
        if kind == "string":
            return self.template([c for c in kids if isinstance(c, Tree)])
        if kind in ("heredoc_template", "heredoc_template_trim"):
            return _heredoc(str(kids[0]), trim=kind.endswith("trim"))
        if kind == "tuple":
            return [self.eval(c) for c in kids if isinstance(c, Tree)]
        if kind == "object":
            out: dict[str, Any] = {}
            for elem in kids:
                if isinstance(elem, Tree) and elem.data == "object_elem":
                    key_node, value_node = [c for c in elem.children if isinstance(c, Tree)]
                    key = self.object_key(key_node)
                    if isinstance(key, Unknown):
                        return key
                    out[str(key)] = self.eval(value_node)
            return out
        if kind == "get_attr_expr_term":
            return get_attr(self.eval(kids[0]), _attr_name(kids[1]))
        if kind == "index_expr_term":
            return get_index(self.eval(kids[0]), self.index_value(kids[1]))
        if kind in ("attr_splat_expr_term", "full_splat_expr_term"):
            return self.splat(self.eval(kids[0]), kids[1])
        if kind == "function_call":
            return self.call(kids)
        if kind == "conditional":
            parts = [c for c in kids if isinstance(c, Tree)]
            cond = self.eval(parts[0])
            if isinstance(cond, Unknown):
                return cond
            return self.eval(parts[1] if cond else parts[2])
        if kind == "binary_op":
            return self.binary(kids)
        if kind == "unary_op":
            op, operand = str(kids[0]), self.eval(kids[1])
            if isinstance(operand, Unknown):
                return operand
            return -operand if op == "-" else not operand
        if kind == "for_tuple_expr":
            return self.for_expr(kids, as_object=False)
        if kind == "for_object_expr":
            return self.for_expr(kids, as_object=True)
        if kind == "template_string":
            return str(kids[0])[2:-2]
        raise EvalError(f"unsupported expression {kind}")

    # -- pieces -----------------------------------------------------------------------

    def object_key(self, node: Tree[Token]) -> Any:
        inner = next(c for c in node.children if isinstance(c, Tree))
        # `{ Name = "x" }`: a bare identifier key is the name itself, not a variable.
        if inner.data == "expr_term":
            term = next(c for c in inner.children if isinstance(c, Tree))
            if term.data == "identifier":
                return _attr_name(term)
        if inner.data in ("identifier", "keyword"):
            return _attr_name(inner)
        return self.eval(inner)

    def template(self, parts: list[Tree[Token]]) -> Any:
        pieces: list[str] = []
        for part in parts:
            for piece in part.children:
                if isinstance(piece, Token):
                    text = str(piece)
                    if text.startswith(("$${", "%%{")):
                        text = text[1:]
                    pieces.append(_unescape(text))
                elif piece.data == "interpolation":
                    inner = next(c for c in piece.children if isinstance(c, Tree))
                    value = self.eval(inner)
                    if isinstance(value, Unknown):
                        return value
                    pieces.append(to_string(value))
                else:
                    return Unknown("template directives (%{if}/%{for}) are not evaluated")
        return "".join(pieces)

    def index_value(self, node: Tree[Token] | Token) -> Any:
        assert isinstance(node, Tree)
        if node.data == "short_index":
            return int(str(node.children[-1]))
        inner = [
            c for c in node.children if isinstance(c, Tree) and c.data != "new_line_or_comment"
        ]
        return self.eval(inner[0])

    def splat(self, base: Any, node: Tree[Token] | Token) -> Any:
        if isinstance(base, Unknown):
            return base
        if base is None:
            return []
        items = base if isinstance(base, list) else [base]
        assert isinstance(node, Tree)
        out = []
        for item in items:
            value = item
            for step in node.children:
                if not isinstance(step, Tree):
                    continue
                if step.data == "get_attr":
                    value = get_attr(value, _attr_name(step))
                else:
                    value = get_index(value, self.index_value(step))
            out.append(value)
        return out

    def binary(self, kids: list[Any]) -> Any:
        left = self.eval(kids[0])
        term = kids[1]
        op_node, right_node = [c for c in term.children if isinstance(c, Tree) and not _is_noise(c)]
        op = "".join(str(t) for t in op_node.children).strip()
        if op == "&&" and left is False:
            return False
        if op == "||" and left is True:
            return True
        right = self.eval(right_node)
        if isinstance(left, Unknown):
            return left
        if isinstance(right, Unknown):
            return right
        return _BINARY[op](left, right)

    def for_expr(self, kids: list[Any], *, as_object: bool) -> Any:
        trees = [c for c in kids if isinstance(c, Tree)]
        intro, rest = trees[0], trees[1:]
        names = [
            _attr_name(c) for c in intro.children if isinstance(c, Tree) and c.data == "identifier"
        ]
        source_node = [
            c
            for c in intro.children
            if isinstance(c, Tree) and c.data != "identifier" and not _is_noise(c)
        ][-1]
        source = self.eval(source_node)
        if isinstance(source, Unknown):
            return source
        cond = rest[-1] if rest and rest[-1].data == "for_cond" else None
        bodies = [t for t in rest if t is not cond]
        grouped = as_object and any(str(c) == "..." for c in kids if isinstance(c, Token))
        pairs = list(source.items()) if isinstance(source, dict) else list(enumerate(source))
        results_list: list[Any] = []
        results_obj: dict[str, Any] = {}
        for key, value in pairs:
            bound = dict(zip(names, [key, value] if len(names) == 2 else [value], strict=True))
            inner = _Evaluator(_bind(bound, self.lookup), self.budget, self.scan)
            if cond is not None:
                cond_expr = next(
                    c for c in cond.children if isinstance(c, Tree) and not _is_noise(c)
                )
                ok = inner.eval(cond_expr)
                if isinstance(ok, Unknown):
                    return ok
                if not ok:
                    continue
            if as_object:
                k = inner.eval(bodies[0])
                if isinstance(k, Unknown):
                    return k
                v = inner.eval(bodies[1])
                if grouped:
                    results_obj.setdefault(str(k), []).append(v)
                else:
                    results_obj[str(k)] = v
            else:
                results_list.append(inner.eval(bodies[0]))
        return results_obj if as_object else results_list

    def call(self, kids: list[Any]) -> Any:
        trees = [c for c in kids if isinstance(c, Tree)]
        name = "::".join(_attr_name(t) for t in trees if t.data == "identifier")
        args_node = next((t for t in trees if t.data == "arguments"), None)
        arg_nodes = (
            [
                c
                for c in args_node.children
                if isinstance(c, Tree) and c.data != "new_line_or_comment"
            ]
            if args_node
            else []
        )
        expand = args_node is not None and any(
            isinstance(c, Token) and str(c) == "..." for c in args_node.children
        )
        if name in ("try", "can"):
            return self.try_can(name, arg_nodes)
        args = [self.eval(a) for a in arg_nodes]
        if expand and args:
            last = args.pop()
            if isinstance(last, Unknown):
                return last
            args += list(last)
        func = FUNCTIONS.get(name)
        if func is None:
            return Unknown(f"function {name}() is not evaluated by vpcwire")
        if name == "cidrsubnets" and args and isinstance(args[0], Unknown) and is_known(args[1:]):
            return [args[0]] * (len(args) - 1)  # as many blocks as sizes, whatever the prefix
        top = next((a for a in args if isinstance(a, Unknown)), None)
        if top is not None:
            return top
        if name not in _UNKNOWN_TOLERANT and any(not is_known(a) for a in args):
            return next(_unknowns(args))
        try:
            return func(*args)
        except (TypeError, ValueError, KeyError, IndexError, StopIteration, re.error) as exc:
            raise EvalError(f"{name}(): {str(exc) or 'no non-null arguments'}") from None

    def try_can(self, name: str, arg_nodes: list[Tree[Token]]) -> Any:
        for node in arg_nodes:
            try:
                value = self.eval(node)
            except EvalError:
                if name == "can":
                    return False
                continue
            return True if name == "can" else value
        if name == "can":
            return False
        raise EvalError("try(): no argument could be evaluated")


def _bind(bound: dict[str, Any], outer: Lookup) -> Lookup:
    """A lookup that sees a for expression's variables first, then the enclosing scope."""

    def lookup(name: str) -> Any:
        return bound[name] if name in bound else outer(name)

    return lookup


def _unknowns(values: Any) -> Any:
    for v in values:
        if isinstance(v, Unknown):
            yield v
        elif isinstance(v, list):
            yield from _unknowns(v)
        elif isinstance(v, dict):
            yield from _unknowns(v.values())


def _is_noise(node: Tree[Token] | Token) -> bool:
    return isinstance(node, Tree) and node.data == "new_line_or_comment"


def _attr_name(node: Tree[Token] | Token) -> str:
    if isinstance(node, Token):
        return str(node)
    if node.data == "get_attr":
        node = next(c for c in node.children if isinstance(c, Tree))
    return "".join(str(t) for t in node.scan_values(lambda v: isinstance(v, Token)))


def _unescape(text: str) -> str:
    if "\\" not in text:
        return text
    return json.loads('"' + text.replace('"', '\\"').replace('\\\\"', '\\"') + '"')  # type: ignore[no-any-return]


def _heredoc(raw: str, *, trim: bool) -> str:
    lines = raw.split("\n")[1:-2]
    if trim:
        indent = min((len(x) - len(x.lstrip()) for x in lines if x.strip()), default=0)
        lines = [x[indent:] for x in lines]
    return "\n".join(lines) + "\n"


def get_attr(base: Any, name: str) -> Any:
    if isinstance(base, Unknown):
        return base
    if isinstance(base, Namespace):
        return base.attr(name)
    if isinstance(base, dict):
        if name in base:
            return base[name]
        raise EvalError(f"object has no attribute {name!r}")
    if isinstance(base, list):
        raise EvalError(f"cannot read .{name} of a list: index it, or use [*].{name}")
    raise EvalError(f"cannot read .{name} of {to_string(base)!r}")


def get_index(base: Any, key: Any) -> Any:
    if isinstance(base, Unknown):
        return base
    if isinstance(key, Unknown):
        return key
    if isinstance(base, Namespace):
        return base.index(key)
    if isinstance(base, list):
        try:
            return base[int(key)]
        except (IndexError, ValueError):
            raise EvalError(f"index {key!r} is out of range for a list of {len(base)}") from None
    if isinstance(base, dict):
        if str(key) in base:
            return base[str(key)]
        raise EvalError(f"no element {key!r}")
    raise EvalError(f"cannot index {to_string(base)!r}")


def to_string(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if value is None:
        return ""
    if isinstance(value, (list, dict)):
        raise EvalError("a list or object cannot be put in a string")
    return str(value)


def _num(value: Any) -> float | int:
    if isinstance(value, str):
        return float(value) if "." in value else int(value)
    return value  # type: ignore[no-any-return]


_BINARY: dict[str, Callable[[Any, Any], Any]] = {
    "+": lambda a, b: _num(a) + _num(b),
    "-": lambda a, b: _num(a) - _num(b),
    "*": lambda a, b: _num(a) * _num(b),
    "/": lambda a, b: _num(a) / _num(b),
    "%": lambda a, b: _num(a) % _num(b),
    "==": lambda a, b: a == b,
    "!=": lambda a, b: a != b,
    "<": lambda a, b: _num(a) < _num(b),
    ">": lambda a, b: _num(a) > _num(b),
    "<=": lambda a, b: _num(a) <= _num(b),
    ">=": lambda a, b: _num(a) >= _num(b),
    "&&": lambda a, b: bool(a and b),
    "||": lambda a, b: bool(a or b),
}


# -- the function library (the subset network configurations use) -----------------------


def _cidrsubnet(prefix: str, newbits: Any, netnum: Any) -> str:
    net = ipaddress.ip_network(prefix, strict=False)
    new_prefix = net.prefixlen + int(newbits)
    size = 2 ** (net.max_prefixlen - new_prefix)
    base = int(net.network_address) + int(netnum) * size
    if int(netnum) >= 2 ** int(newbits):
        raise ValueError(f"prefix extension of {newbits} does not accommodate subnet {netnum}")
    return str(ipaddress.ip_network((base, new_prefix)))


def _cidrsubnets(prefix: str, *newbits: Any) -> list[str]:
    net = ipaddress.ip_network(prefix, strict=False)
    out, cursor = [], int(net.network_address)
    for bits in newbits:
        length = net.prefixlen + int(bits)
        size = 2 ** (net.max_prefixlen - length)
        cursor = math.ceil(cursor / size) * size
        out.append(str(ipaddress.ip_network((cursor, length))))
        cursor += size
    return out


def _cidrhost(prefix: str, hostnum: Any) -> str:
    net = ipaddress.ip_network(prefix, strict=False)
    n = int(hostnum)
    return str(net.network_address + n if n >= 0 else net.broadcast_address + 1 + n)


def _flatten(value: list[Any]) -> list[Any]:
    out: list[Any] = []
    for v in value:
        out += _flatten(v) if isinstance(v, list) else [v]
    return out


def _merge(*maps: Mapping[str, Any]) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for m in maps:
        if m:
            out.update(m)
    return out


def _lookup(m: Mapping[str, Any], key: str, *default: Any) -> Any:
    if key in m:
        return m[key]
    if default:
        return default[0]
    raise KeyError(key)


def _format(fmt: str, *args: Any) -> str:
    it = iter(args)

    def sub(match: re.Match[str]) -> str:
        spec = match.group(0)
        if spec == "%%":
            return "%"
        return str(("%" + spec[1:].replace("v", "s")) % next(it))

    return re.sub(r"%%|%[-+ #0-9.]*[sdvfxXobeEgGq]", sub, fmt)


def _range(*args: Any) -> list[int]:
    """range(), its length checked before the list is made: ``range(100000000)`` would
    take gigabytes before any later check could see it."""
    numbers = range(*(int(x) for x in args))
    if len(numbers) > MAX_VALUE_ITEMS:
        raise LimitExceeded(
            f"range() of {len(numbers):,} numbers (a scan models at most "
            f"{MAX_VALUE_ITEMS:,} in one value)"
        )
    return list(numbers)


def _one(value: list[Any]) -> Any:
    if len(value) > 1:
        raise ValueError("must have zero or one element")
    return value[0] if value else None


def _distinct(value: list[Any]) -> list[Any]:
    out: list[Any] = []
    for v in value:
        if v not in out:
            out.append(v)
    return out


def _regex_pattern(pattern: str) -> re.Pattern[str]:
    """Terraform's RE2 names groups ``(?P<n>)`` as Python does; ``(?<n>)`` is not RE2."""
    return re.compile(pattern)


def _match_value(m: re.Match[str]) -> Any:
    """What Terraform's regex() returns for one match: the string when the pattern has no
    capture group, a map for named groups, a list for unnamed ones."""
    if m.re.groupindex:
        return {k: v or "" for k, v in m.groupdict().items()}
    if m.re.groups:
        return [g or "" for g in m.groups()]
    return m.group(0)


def _regex(pattern: str, text: str) -> Any:
    m = _regex_pattern(pattern).search(text)
    if m is None:
        raise ValueError(f"pattern {pattern!r} did not match {text!r}")
    return _match_value(m)


def _regexall(pattern: str, text: str) -> list[Any]:
    return [_match_value(m) for m in _regex_pattern(pattern).finditer(text)]


def _formatlist(fmt: str, *args: Any) -> list[str]:
    lists = [a for a in args if isinstance(a, list)]
    n = len(lists[0]) if lists else 1
    if any(len(x) != n for x in lists):
        raise ValueError("all list arguments must have the same length")
    return [_format(fmt, *(a[i] if isinstance(a, list) else a for a in args)) for i in range(n)]


def _log(x: Any, base: Any) -> float:
    return math.log(_num(x), _num(base))


def _chunklist(lst: list[Any], size: Any) -> list[list[Any]]:
    n = int(size)
    if n == 0:
        return [lst]
    return [lst[i : i + n] for i in range(0, len(lst), n)]


FUNCTIONS: dict[str, Callable[..., Any]] = {
    "cidrsubnet": _cidrsubnet,
    "cidrsubnets": _cidrsubnets,
    "cidrhost": _cidrhost,
    "cidrnetmask": lambda p: str(ipaddress.ip_network(p, strict=False).netmask),
    "concat": lambda *ls: [x for lst in ls for x in lst],
    "element": lambda lst, i: lst[int(i) % len(lst)],
    "length": len,
    "lookup": _lookup,
    "merge": _merge,
    "tolist": list,
    "toset": _distinct,
    "tomap": dict,
    "tostring": to_string,
    "tonumber": _num,
    "tobool": lambda v: v in (True, "true"),
    "format": _format,
    "join": lambda sep, lst: sep.join(to_string(x) for x in lst),
    "split": lambda sep, s: s.split(sep),
    "keys": lambda m: sorted(m),
    "values": lambda m: [m[k] for k in sorted(m)],
    "flatten": _flatten,
    "distinct": _distinct,
    "range": _range,
    "zipmap": lambda ks, vs: dict(zip(ks, vs, strict=True)),
    "coalesce": lambda *a: next(x for x in a if x not in (None, "")),
    "compact": lambda lst: [x for x in lst if x not in (None, "")],
    "contains": lambda lst, v: v in lst,
    "min": lambda *a: min(_num(x) for x in a),
    "max": lambda *a: max(_num(x) for x in a),
    "abs": lambda x: abs(_num(x)),
    "floor": lambda x: math.floor(_num(x)),
    "ceil": lambda x: math.ceil(_num(x)),
    "slice": lambda lst, a, b: lst[int(a) : int(b)],
    "substr": lambda s, off, n: s[int(off) :] if int(n) < 0 else s[int(off) : int(off) + int(n)],
    "lower": str.lower,
    "upper": str.upper,
    "replace": lambda s, a, b: s.replace(a, b),
    "trimspace": str.strip,
    "sort": sorted,
    "reverse": lambda lst: list(reversed(lst)),
    "one": _one,
    "jsonencode": lambda v: json.dumps(v, separators=(",", ":")),
    "jsondecode": json.loads,
    "sum": lambda lst: sum(_num(x) for x in lst),
    "index": lambda lst, v: lst.index(v),
    "startswith": lambda s, p: s.startswith(p),
    "endswith": lambda s, p: s.endswith(p),
    "setunion": lambda *ls: _distinct([x for lst in ls for x in lst]),
    "coalescelist": lambda *ls: next(lst for lst in ls if lst),
    "regex": _regex,
    "regexall": _regexall,
    "setproduct": lambda *ls: [list(t) for t in itertools.product(*ls)],
    "setsubtract": lambda a, b: [x for x in _distinct(a) if x not in b],
    "setintersection": lambda a, *rest: [x for x in _distinct(a) if all(x in r for r in rest)],
    "log": _log,
    "pow": lambda x, y: _num(x) ** _num(y),
    "signum": lambda x: (_num(x) > 0) - (_num(x) < 0),
    "parseint": lambda s, base: int(str(s), int(base)),
    "formatlist": _formatlist,
    "chunklist": _chunklist,
    "alltrue": lambda lst: all(x is True or x == "true" for x in lst),
    "anytrue": lambda lst: any(x is True or x == "true" for x in lst),
    "trim": lambda s, chars: s.strip(chars),
    "trimprefix": lambda s, p: s[len(p) :] if p and s.startswith(p) else s,
    "trimsuffix": lambda s, p: s[: -len(p)] if p and s.endswith(p) else s,
    "title": lambda s: re.sub(r"\b[a-z]", lambda m: m.group(0).upper(), s),
    "strrev": lambda s: s[::-1],
    "basename": posixpath.basename,
    "dirname": posixpath.dirname,
    "md5": lambda s: hashlib.md5(s.encode()).hexdigest(),
    "sha1": lambda s: hashlib.sha1(s.encode()).hexdigest(),
    "sha256": lambda s: hashlib.sha256(s.encode()).hexdigest(),
    "base64encode": lambda s: base64.b64encode(s.encode()).decode(),
    "base64decode": lambda s: base64.b64decode(s).decode(),
    "sensitive": lambda v: v,
    "nonsensitive": lambda v: v,
    "transpose": lambda m: {
        v: sorted(k for k in m if v in m[k]) for v in sorted({x for vs in m.values() for x in vs})
    },
    "matchkeys": lambda vals, keys, search: [
        v for v, k in zip(vals, keys, strict=True) if k in search
    ],
}
# Functions whose result does not depend on every argument being known.
# (lookup/merge/keys...: an object with one unknown attribute, like an endpoint's policy JSON,
# still has its other attributes and all its keys.)
_UNKNOWN_TOLERANT = {
    "length",
    "concat",
    "compact",
    "tolist",
    "toset",
    "element",
    "flatten",
    "lookup",
    "merge",
    "keys",
    "values",
    "tomap",
    "zipmap",
    "slice",
    "reverse",
}
