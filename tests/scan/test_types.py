"""A variable's declared type applied to its value: optional object attributes appear."""

from __future__ import annotations

from typing import Any

from lark import Tree

from vpcwire.scan.hcl import parse_text
from vpcwire.scan.types import conform


def type_of(text: str) -> Tree[Any]:
    body = parse_text(f"t = {text}\n").children[0]
    assert isinstance(body, Tree)
    attr = next(c for c in body.children if isinstance(c, Tree) and c.data == "attribute")
    node = attr.children[-1]
    assert isinstance(node, Tree)
    return node


def test_optional_attributes_get_their_default_or_null() -> None:
    listener = type_of(
        'map(object({ port = number, protocol = optional(string, "TCP"), redirect = optional(any) }))'
    )
    value = {"one": {"port": 81}, "two": {"port": 82, "protocol": "TLS"}}
    assert conform(value, listener) == {
        "one": {"port": 81, "protocol": "TCP", "redirect": None},
        "two": {"port": 82, "protocol": "TLS", "redirect": None},
    }


def test_nested_objects_in_lists_and_untyped_values_pass_through() -> None:
    rules = type_of(
        "list(object({ cidr = string, ports = optional(object({ from = optional(number, 0) }), {}) }))"
    )
    assert conform([{"cidr": "10.0.0.0/8"}], rules) == [
        {"cidr": "10.0.0.0/8", "ports": {"from": 0}}
    ]
    assert conform("x", type_of("string")) == "x"
    assert conform({"a": 1}, type_of("any")) == {"a": 1}
