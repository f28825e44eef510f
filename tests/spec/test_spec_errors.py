"""Every way a spec is rejected: the message names the file, line, field and what to do."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.helpers import BASE, problems_of


def one(problems: list, path: str):  # type: ignore[no-untyped-def]
    matching = [p for p in problems if p.path == path]
    assert matching, f"no problem at {path}: {[str(p) for p in problems]}"
    return matching[0]


def test_unknown_key_is_located_with_did_you_mean(tmp_path: Path) -> None:
    text = BASE.replace(
        "    azs: [us-east-1a, us-east-1b]\n  b:",
        "    azs: [us-east-1a, us-east-1b]\n    nta: true\n  b:",
    )
    p = one(problems_of(tmp_path, text), "vpcs.a.nta")
    assert "unknown key 'nta'" in p.message and "did you mean 'nat'" in p.message
    assert p.location.line == 8 and p.location.file == tmp_path / "spec.yaml"
    assert "allowed here:" in p.hint


def test_cidr_with_host_bits_suggests_the_network(tmp_path: Path) -> None:
    p = one(problems_of(tmp_path, BASE.replace("10.1.0.0/16", "10.1.0.5/16")), "vpcs.b.cidr")
    assert "10.1.0.5/16" in p.message and "10.1.0.0/16" in p.hint
    assert p.location.line == 10


def test_unknown_region_suggests_close_names(tmp_path: Path) -> None:
    p = one(
        problems_of(
            tmp_path,
            BASE.replace("region: us-east-1\n    cidr: 10.1", "region: us-east-7\n    cidr: 10.1"),
        ),
        "vpcs.b.region",
    )
    assert "unknown AWS region 'us-east-7'" in p.message and "us-east-1" in p.message


def test_unknown_vpc_name_in_connection_says_did_you_mean(tmp_path: Path) -> None:
    p = one(
        problems_of(tmp_path, BASE + "connections:\n  - peers: [a, bb]\n"),
        "connections[0].peers[1]",
    )
    assert "unknown VPC 'bb'" in p.message and "did you mean 'b'" in p.message
    assert p.location.line == 13


def test_account_id_must_be_twelve_digits(tmp_path: Path) -> None:
    p = one(problems_of(tmp_path, BASE.replace('"111111111111"', '"1234"')), "accounts.main.id")
    assert "12 digits" in p.message


def test_duplicate_keys_are_rejected(tmp_path: Path) -> None:
    text = BASE + "  a:\n    region: us-east-1\n    cidr: 10.2.0.0/16\n    azs: [us-east-1a]\n"
    p = one(problems_of(tmp_path, text), "vpcs.a")
    assert "duplicate key 'a'" in p.message and p.location.line == 12


def test_yaml_syntax_error_is_located(tmp_path: Path) -> None:
    problems = problems_of(tmp_path, "accounts:\n  main: {id: '1'\nvpcs: x\n")
    assert "not valid YAML" in problems[0].message and problems[0].location.line is not None


def test_connection_of_neither_kind(tmp_path: Path) -> None:
    p = one(problems_of(tmp_path, BASE + "connections:\n  - {foo: a}\n"), "connections[0]")
    assert "consumer + service, or peers" in p.message


def test_several_accounts_need_an_explicit_account(tmp_path: Path) -> None:
    text = BASE.replace(
        '  main: {id: "111111111111"}',
        '  main: {id: "111111111111"}\n  other: {id: "222222222222"}',
    )
    p = one(problems_of(tmp_path, text), "vpcs.a.account")
    assert "say which one owns the VPC" in p.message


def test_all_problems_are_reported_at_once(tmp_path: Path) -> None:
    text = BASE.replace("10.1.0.0/16", "10.1.0.5/16").replace(
        "us-east-1b]\n  b:", "us-east-1b]\n    bogus: 1\n  b:"
    )
    assert len(problems_of(tmp_path, text)) == 2


# -- rules that reject what AWS would reject (each names the field and the rule id) -----------


@pytest.mark.parametrize(
    ("case", "text", "path", "needle"),
    [
        (
            "subnet outside the VPC CIDR",
            BASE.replace(
                "    azs: [us-east-1a, us-east-1b]\n  b:",
                "    subnets:\n      private:\n        - {cidr: 10.9.0.0/24, az: us-east-1a}\n  b:",
            ),
            "vpcs.a.subnets.private[0].cidr",
            "VW-E101",
        ),
        (
            "overlapping subnets",
            BASE.replace(
                "    azs: [us-east-1a, us-east-1b]\n  b:",
                "    subnets:\n      private:\n        - {cidr: 10.0.0.0/24, az: us-east-1a}\n"
                "        - {cidr: 10.0.0.128/25, az: us-east-1b}\n  b:",
            ),
            "vpcs.a.subnets.private[1].cidr",
            "VW-E102",
        ),
        (
            "AZ of another region",
            BASE.replace(
                "azs: [us-east-1a, us-east-1b]\n  b:", "azs: [us-east-1a, us-west-2b]\n  b:"
            ),
            "vpcs.a.azs[1]",
            "VW-E103",
        ),
        (
            "peering between overlapping CIDRs",
            BASE.replace("10.1.0.0/16", "10.0.128.0/17") + "connections:\n  - peers: [a, b]\n",
            "connections[0].peers",
            "VW-E201",
        ),
        (
            "secondary CIDR overlap counts too",
            BASE.replace(
                "    cidr: 10.1.0.0/16\n",
                "    cidr: 10.1.0.0/16\n    secondary_cidrs: [10.0.5.0/24]\n",
            )
            + "connections:\n  - peers: [a, b]\n",
            "connections[0].peers",
            "VW-E201",
        ),
    ],
)
def test_aws_rejections(tmp_path: Path, case: str, text: str, path: str, needle: str) -> None:
    p = one(problems_of(tmp_path, text, plan=True), path)
    assert needle in p.message, case
    assert p.location.line is not None and p.hint


def test_located_message_reads_well(tmp_path: Path) -> None:
    text = BASE.replace(
        "azs: [us-east-1a, us-east-1b]\n  b:", "azs: [us-east-1a, us-west-2b]\n  b:"
    )
    p = one(problems_of(tmp_path, text, plan=True), "vpcs.a.azs[1]")
    assert str(p) == (
        f"{tmp_path / 'spec.yaml'}:7:23: vpcs.a.azs[1]: VW-E103: AZ 'us-west-2b' is not in VPC a's "
        "region us-east-1\n    fix: use an AZ of us-east-1 such as us-east-1a, or move the VPC to the "
        "AZ's region"
    )
