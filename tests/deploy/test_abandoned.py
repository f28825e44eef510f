"""What an interrupted run was creating, read from the directory's terraform.log."""

from __future__ import annotations

import json
from pathlib import Path

from vpcwire.deploy.abandoned import abandoned_creates, split_abandoned
from vpcwire.deploy.inventory import Tagged


def _hook(kind: str, address: str, action: str = "create") -> str:
    return json.dumps({"type": kind, "hook": {"resource": {"addr": address}, "action": action}})


def _log(tmp_path: Path, *lines: str) -> Path:
    (tmp_path / "terraform.log").write_text("\n".join(lines) + "\n")
    return tmp_path


def test_creates_started_and_never_completed_are_abandoned(tmp_path: Path) -> None:
    workdir = _log(
        tmp_path,
        _hook("apply_start", "aws_vpc.a"),
        _hook("apply_complete", "aws_vpc.a"),
        _hook("apply_start", "aws_security_group.a_workload"),
        _hook("apply_start", "aws_route.a_private_to_a_b"),
        _hook("apply_errored", "aws_route.a_private_to_a_b"),
        _hook("apply_start", "aws_subnet.old", action="delete"),  # not a create
        "Interrupt received. not json",
    )
    assert abandoned_creates(workdir) == {
        "aws_security_group.a_workload",
        "aws_route.a_private_to_a_b",
    }


def test_no_log_or_a_damaged_one_proves_nothing(tmp_path: Path) -> None:
    assert abandoned_creates(tmp_path) == set()
    (tmp_path / "terraform.log").write_bytes(b'\xff\xfe[1, 2]\nnull\n{"hook": 3}\n')
    assert abandoned_creates(tmp_path) == set()


def test_only_orphans_the_log_proves_are_split_off(tmp_path: Path) -> None:
    workdir = _log(
        tmp_path,
        _hook("apply_start", "aws_security_group.a_workload"),
        _hook("apply_start", "aws_route.a_private_to_a_b"),
    )
    sg = Tagged("security_group", "sg-1", "a_workload", "111111111111", "us-east-1")
    other_sg = Tagged("security_group", "sg-2", "b_workload", "111111111111", "us-east-1")
    route = Tagged("route", "rtb-1_10.1.0.0/16", "a_private to 10.1.0.0/16", "1", "us-east-1")
    other_route = Tagged("route", "rtb-2_10.0.0.0/16", "b_private to 10.0.0.0/16", "1", "r")
    mine, others = split_abandoned([sg, other_sg, route, other_route], workdir)
    assert mine == [sg, route]
    assert others == [other_sg, other_route]
