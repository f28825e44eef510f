"""Data plane fixtures: a private state directory per test, and nothing left behind.

These tests need Linux, root and `nft` (the README's first command installs it). Where one
is missing they are skipped with the missing piece named; on the project's machines they
run. Each test's namespaces are removed afterwards, also when the test failed, and the
fixture fails the test if any namespace of its sandbox id survives.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from vpcwire.dataplane import missing_requirements, sandbox_id, teardown
from vpcwire.dataplane.system import list_namespaces


@pytest.fixture
def plane_dir(tmp_path: Path) -> Iterator[Path]:
    missing = missing_requirements()
    if missing:
        pytest.skip("packet data plane unavailable: " + "; ".join(missing))
    state = tmp_path / "home"
    state.mkdir()
    try:
        yield state
    finally:
        teardown(state)
    assert list_namespaces(f"vw{sandbox_id(state)}-") == []
