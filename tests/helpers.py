"""Small helpers for tests: write a spec, load it, expect problems."""

from __future__ import annotations

import textwrap
from pathlib import Path

import pytest

from vpcwire.errors import SpecError, SpecProblem
from vpcwire.spec.load import load_spec
from vpcwire.spec.models import Spec


def write_spec(tmp_path: Path, text: str, name: str = "spec.yaml") -> Path:
    path = tmp_path / name
    path.write_text(textwrap.dedent(text).lstrip())
    return path


def load(tmp_path: Path, text: str) -> Spec:
    return load_spec(write_spec(tmp_path, text))


def problems_of(tmp_path: Path, text: str, *, plan: bool = False) -> list[SpecProblem]:
    from vpcwire.pipeline import plan as make_plan

    path = write_spec(tmp_path, text)
    with pytest.raises(SpecError) as caught:
        spec = load_spec(path)
        if plan:
            make_plan(spec)
    return caught.value.problems


BASE = """
accounts:
  main: {id: "111111111111"}
vpcs:
  a:
    region: us-east-1
    cidr: 10.0.0.0/16
    azs: [us-east-1a, us-east-1b]
  b:
    region: us-east-1
    cidr: 10.1.0.0/16
    azs: [us-east-1a, us-east-1b]
"""
