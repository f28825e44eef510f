"""How the run hands tests to xdist workers (see pytest_collection_modifyitems in conftest.py).

A child pytest with two workers and this suite's collection hook runs a small generated
suite: the tests of one `xdist_group` all run on one worker (pytest 9 ignores the node id
xdist 3.8 sets for that, so without our hook they were spread over every worker), and the
integration tests start before the unit tests.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import ROOT

PYTEST = [sys.executable, "-m", "pytest", "-p", "no:cacheprovider"]
CONFTEST = f"""
import sys
sys.path.insert(0, {str(ROOT)!r})
from tests.conftest import pytest_collection_modifyitems  # noqa: F401  (the hook under test)
"""

GROUPED = """
import os
import pytest

pytestmark = pytest.mark.xdist_group("shared")


@pytest.mark.parametrize("n", range(6))
def test_shares(n):
    with open(os.environ["LOG"], "a") as log:
        log.write(f"grouped {os.environ['PYTEST_XDIST_WORKER']}\\n")
"""

MIXED = """
import os
import pytest


def _log(kind):
    with open(os.environ["LOG"], "a") as log:
        log.write(f"{kind} {os.environ['PYTEST_XDIST_WORKER']}\\n")


@pytest.mark.parametrize("n", range(6))
def test_unit(n):
    _log("unit")


@pytest.mark.integration
@pytest.mark.parametrize("n", range(4))
def test_deploys(n):
    _log("integration")
"""


@pytest.mark.slow
def test_a_group_runs_on_one_worker_and_integration_tests_start_first(tmp_path: Path) -> None:
    (tmp_path / "conftest.py").write_text(CONFTEST)
    (tmp_path / "test_grouped.py").write_text(GROUPED)
    (tmp_path / "test_mixed.py").write_text(MIXED)
    (tmp_path / "pytest.ini").write_text("[pytest]\nmarkers =\n  integration: x\n  slow: x\n")
    log = tmp_path / "log.txt"
    run = subprocess.run(
        [*PYTEST, "-n", "2", "--dist", "loadgroup", "--no-loadscope-reorder", "-q"],
        cwd=tmp_path,
        env={"LOG": str(log), "PATH": "/usr/bin:/bin"},
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert run.returncode == 0, run.stdout[-3000:] + run.stderr[-2000:]
    lines = [line.split() for line in log.read_text().splitlines()]
    assert len({worker for kind, worker in lines if kind == "grouped"}) == 1, lines
    # each worker runs the integration tests it is given before any unit test (across
    # workers the log's order is a race: a loaded machine starts one worker seconds late)
    by_worker: dict[str, list[str]] = {}
    for kind, worker in lines:
        if kind != "grouped":
            by_worker.setdefault(worker, []).append(kind)
    assert sum(kinds.count("integration") for kinds in by_worker.values()) == 4, lines
    for kinds in by_worker.values():
        n = kinds.count("integration")
        assert kinds[:n] == ["integration"] * n, lines
