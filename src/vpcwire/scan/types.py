"""A variable's ``type`` applied to its value, as far as attribute access depends on it.

Terraform converts a module input to the variable's declared type before anything reads it:
an ``object({...})`` attribute declared ``optional(T, default)`` and not given is there, with
its default or null. Public modules lean on that (terraform-aws-modules/alb reads
``each.value.redirect`` of every listener), so without it every such read is "object has no
attribute" and the resource is lost. Only the structure is applied here (objects, maps,
lists, sets, optional defaults); primitive conversions are left to the evaluator.
"""

from __future__ import annotations

from typing import Any

from lark import Token, Tree

from vpcwire.scan.expr import EvalError, Unknown, evaluate

__all__ = ["conform"]


def conform(value: Any, type_node: Tree[Token]) -> Any:
    """``value`` with the optional attributes its declared type adds (recursively)."""
    call = _call(type_node)
    if call is None or value is None or isinstance(value, Unknown):
        return value
    name, args = call
    if name == "optional" and args:
        return conform(value, args[0])
    if name in ("map",) and args and isinstance(value, dict):
        return {k: conform(v, args[0]) for k, v in value.items()}
    if name in ("list", "set") and args and isinstance(value, list):
        return [conform(v, args[0]) for v in value]
    if name == "object" and args and isinstance(value, dict):
        out = dict(value)
        for key, attr_type in _object_elems(args[0]):
            declared = _call(attr_type)
            if declared is not None and declared[0] == "optional" and out.get(key) is None:
                out[key] = _default(declared[1])
            if key in out:
                out[key] = conform(out[key], attr_type)
        return out
    return value


def _default(args: list[Tree[Token]]) -> Any:
    if len(args) < 2:
        return None
    try:
        return evaluate(args[1], _no_names)
    except EvalError:
        return None


def _no_names(name: str) -> Any:
    raise EvalError(f"a type's default cannot refer to {name}")


def _unwrap(node: Tree[Token] | Token) -> Tree[Token] | Token:
    while isinstance(node, Tree) and node.data == "expr_term":
        inner = [c for c in node.children if isinstance(c, Tree)]
        if len(inner) != 1:
            break
        node = inner[0]
    return node


def _call(type_node: Tree[Token]) -> tuple[str, list[Tree[Token]]] | None:
    node = _unwrap(type_node)
    if not isinstance(node, Tree):
        return None
    if node.data == "identifier":
        return str(node.children[0]), []
    if node.data != "function_call":
        return None
    trees = [c for c in node.children if isinstance(c, Tree)]
    name = next((str(t.children[0]) for t in trees if t.data == "identifier"), "")
    arguments = next((t for t in trees if t.data == "arguments"), None)
    args = (
        [c for c in arguments.children if isinstance(c, Tree) and c.data != "new_line_or_comment"]
        if arguments is not None
        else []
    )
    return name, args


def _object_elems(node: Tree[Token]) -> list[tuple[str, Tree[Token]]]:
    obj = _unwrap(node)
    if not isinstance(obj, Tree) or obj.data != "object":
        return []
    out = []
    for elem in obj.children:
        if not isinstance(elem, Tree) or elem.data != "object_elem":
            continue
        key_node, type_node = [c for c in elem.children if isinstance(c, Tree)]
        key = "".join(str(t) for t in key_node.scan_values(lambda v: isinstance(v, Token))).strip(
            '"'
        )
        out.append((key, type_node))
    return out
