"""peers: [a, b, c, ...] and via: transit-gateway — what the spec accepts and how it refuses."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.helpers import load, problems_of
from vpcwire.spec.models import PeerConnection

THREE = """
accounts:
  main: {id: "111111111111"}
vpcs:
  a: {region: us-east-1, cidr: 10.0.0.0/16, azs: [us-east-1a]}
  b: {region: us-east-1, cidr: 10.1.0.0/16, azs: [us-east-1a]}
  c: {region: us-west-2, cidr: 10.2.0.0/16, azs: [us-west-2a]}
connections:
"""


def test_a_group_is_every_pair_once_and_defaults_to_auto(tmp_path: Path) -> None:
    spec = load(tmp_path, THREE + "  - {peers: [a, b, c]}\n")
    conn = spec.connections[0]
    assert isinstance(conn, PeerConnection)
    assert conn.via == "auto"
    assert conn.pairs == [("a", "b"), ("a", "c"), ("b", "c")]
    assert conn.label == "a <-> b <-> c"


def test_via_transit_gateway_is_accepted(tmp_path: Path) -> None:
    spec = load(tmp_path, THREE + "  - {peers: [a, b], via: transit-gateway}\n")
    assert spec.connections[0].via == "transit-gateway"


@pytest.mark.parametrize(
    ("entry", "line", "path", "says", "fix"),
    [
        ("{peers: [a]}", 7, "connections[0].peers", "two or more VPCs, not 1", "peers: [a, b]"),
        ("{peers: [a, b, a]}", 7, "connections[0].peers", "lists a twice", "[a, b]"),
        ("{peers: [a, b, x]}", 7, "connections[0].peers[2]", "unknown VPC 'x'", "a, b, c"),
        ("{peers: [a, b], via: tgw}", 7, "connections[0].via", "'transit-gateway'", "values"),
    ],
    ids=["one peer", "a peer twice", "unknown VPC", "unknown mechanism"],
)
def test_bad_groups_are_located_with_a_fix(
    tmp_path: Path, entry: str, line: int, path: str, says: str, fix: str
) -> None:
    (problem,) = problems_of(tmp_path, THREE + f"  - {entry}\n")
    assert problem.location.line == line + 1
    assert problem.path == path
    assert says in problem.message
    assert fix in (problem.hint or "")


def test_a_pair_named_twice_stays_rule_vw_e105(tmp_path: Path) -> None:
    (problem,) = problems_of(tmp_path, THREE + "  - {peers: [a, a]}\n", plan=True)
    assert "cannot peer with itself" in problem.message
