"""Data plane fixtures: a private state directory per test, and nothing left behind.

These tests need Linux, root and `nft` (the README's commands install it); tests/conftest.py
stops the run, naming what is missing, on a machine without them. Each test's namespaces
are removed afterwards, also when the test failed, and the fixture fails the test if any
namespace of its sandbox id survives.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from vpcwire.sandbox.dataplane import sandbox_id, teardown
from vpcwire.sandbox.dataplane.system import list_namespaces


@pytest.fixture
def plane_dir(tmp_path: Path) -> Iterator[Path]:
    state = tmp_path / "home"
    state.mkdir()
    try:
        yield state
    finally:
        teardown(state)
    assert list_namespaces(f"vw{sandbox_id(state)}-") == []
