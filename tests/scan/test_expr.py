"""The expression evaluator: Terraform's semantics for what network configurations use."""

from __future__ import annotations

from typing import Any

import pytest
from lark import Tree

from vpcwire.scan.expr import EvalError, Unknown, evaluate
from vpcwire.scan.hcl import parse_text

SCOPE: dict[str, Any] = {
    "var": {"cidr": "10.0.0.0/16", "azs": ["a", "b", "c"], "m": {"x": 1, "y": 3}, "on": True},
    "later": Unknown("known after apply"),
}


def ev(expr: str) -> Any:
    body = parse_text(f"v = {expr}\n").children[0]
    assert isinstance(body, Tree)
    attr = next(c for c in body.children if isinstance(c, Tree) and c.data == "attribute")

    def lookup(name: str) -> Any:
        if name in SCOPE:
            return SCOPE[name]
        raise EvalError(f"unknown name {name!r}")

    return evaluate(attr.children[-1], lookup)  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("expr", "want"),
    [
        ("cidrsubnet(var.cidr, 8, 2)", "10.0.2.0/24"),
        ("cidrsubnet(var.cidr, 4, 15)", "10.0.240.0/20"),
        ('cidrhost("10.0.1.0/24", 10)', "10.0.1.10"),
        ('cidrsubnets("10.0.0.0/16", 8, 8, 4)', ["10.0.0.0/24", "10.0.1.0/24", "10.0.16.0/20"]),
        ('[for i, az in var.azs : "${az}-${i}" if i != 1]', ["a-0", "c-2"]),
        ("{ for k, v in var.m : k => v * 2 }", {"x": 2, "y": 6}),
        ('var.on ? "yes" : "no"', "yes"),
        ("length(var.azs) > 2 && !false", True),
        ("element(var.azs, 4)", "b"),
        ('lookup(var.m, "z", 9)', 9),
        ("merge(var.m, { z = 0 })", {"x": 1, "y": 3, "z": 0}),
        ('format("%s-%03d", "n", 7)', "n-007"),
        ("[{ id = 1 }, { id = 2 }][*].id", [1, 2]),
        ('try(var.m.nope, "fallback")', "fallback"),
        ('"$${literal}"', "${literal}"),
        ("<<-EOT\n    a\n      b\n  EOT\n", "a\n  b\n"),
    ],
)
def test_evaluates_like_terraform(expr: str, want: Any) -> None:
    assert ev(expr) == want


def test_unknown_propagates_through_operations() -> None:
    for expr in ("later", '"x-${later}"', "cidrsubnet(later, 8, 1)", "later ? 1 : 2"):
        assert isinstance(ev(expr), Unknown), expr


def test_unknown_inside_a_list_keeps_the_length() -> None:
    assert ev("length([later, 1])") == 2


@pytest.mark.parametrize("expr", ["var.nope", "undeclared_thing", "var.azs[7]", "var.azs.x"])
def test_errors_terraform_would_report(expr: str) -> None:
    with pytest.raises(EvalError):
        ev(expr)


def test_an_unevaluated_function_is_unknown_not_an_error() -> None:
    value = ev('templatefile("x.tftpl", {})')
    assert isinstance(value, Unknown) and "templatefile" in value.why


@pytest.mark.parametrize(
    ("expr", "want"),
    [
        # terraform-aws-modules/vpc tells AZ names from AZ ids this way
        ('length(regexall("^[a-z]{2}-", "eu-west-1a")) > 0', True),
        ('length(regexall("^[a-z]{2}-", "euw1-az1")) > 0', False),
        ('regexall("(\\\\d+)-(\\\\w)", "1-a 2-b")', [["1", "a"], ["2", "b"]]),
        ('regex("^(?P<region>[a-z]+-[a-z]+-\\\\d)", "us-east-1a")', {"region": "us-east-1"}),
        ('setproduct(["a", "b"], [1, 2])', [["a", 1], ["a", 2], ["b", 1], ["b", 2]]),
        ('setsubtract(["a", "b", "c"], ["b"])', ["a", "c"]),
        ('setintersection(["a", "b"], ["b", "c"])', ["b"]),
        ("ceil(log(6, 2))", 3),
        ('formatlist("%s-%s", ["a", "b"], "x")', ["a-x", "b-x"]),
        ("chunklist([1, 2, 3], 2)", [[1, 2], [3]]),
        ('trimsuffix("name-", "-")', "name"),
        ('title("private subnet")', "Private Subnet"),
        ("alltrue([true, var.on])", True),
        ('coalescelist([], ["x"])', ["x"]),
    ],
)
def test_evaluates_what_public_modules_use(expr: str, want: Any) -> None:
    assert ev(expr) == want


def test_a_function_with_no_usable_argument_is_terraform_s_error_not_a_crash() -> None:
    with pytest.raises(EvalError, match=r"coalescelist\(\): no non-null arguments"):
        ev("coalescelist([], [])")


def test_a_for_expression_written_over_several_lines() -> None:
    # aws-samples/aws-vpc-peering-terraform-inspec writes its subnet lists this way
    assert ev("[\n  for i in slice([0, 1, 2], 0, 2):\n  cidrsubnet(var.cidr, 8, i)\n  ]") == [
        "10.0.0.0/24",
        "10.0.1.0/24",
    ]
    assert ev('[for a in var.azs : a\n  if a != "b"\n]') == ["a", "c"]


def test_an_operator_followed_by_a_line_break() -> None:
    # cloudposse/dynamic-subnets breaks long conditions after && and ||
    assert ev("var.on &&\n  length(var.azs) > 2") is True


def test_an_object_with_one_unknown_attribute_keeps_the_others() -> None:
    # terraform-aws-modules/vpc-endpoints: each endpoint's object holds its policy JSON
    # (known after a data source is read) beside the security groups it names
    assert ev('lookup({ policy = later, sg = ["sg-1"] }, "sg", [])') == ["sg-1"]
    assert ev("keys(merge({ a = later }, { b = 1 }))") == ["a", "b"]
    assert isinstance(ev('lookup({ policy = later }, "policy", null)'), Unknown)


def test_cidrsubnets_of_an_unknown_prefix_has_a_known_length() -> None:
    # terraform-aws-modules/vpc's ipam example sizes its subnets from an IPAM preview
    assert ev("length(cidrsubnets(later, 2, 2, 2))") == 3
