"""Shared test setup.

Terraform is a hard requirement of this test suite: integration tests really run it against
the embedded sandbox. If it is missing we stop the whole run with a clear message rather
than skipping, so a green run always means terraform-backed tests ran.

Isolation from the user's own vpcwire: before any test module is imported, in every process
of the run (xdist workers included), VPCWIRE_HOME and XDG_STATE_HOME point into a directory
of this run's own, whatever the user exported. The user's background sandbox is found
through exactly those variables, so no test can find it, deploy into it or stop it. (The
suite once kept a VPCWIRE_HOME the user had exported: `vpcwire up` in that shell, then
pytest, and the integration tests deployed into the user's sandbox.)
"""

from __future__ import annotations

import os
import shutil
import tempfile
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
EXAMPLES = ROOT / "examples"

# Where vpcwire keeps state, and what the user had there before this run changed it.
STATE_VARIABLES = ("VPCWIRE_HOME", "XDG_STATE_HOME")
USER_STATE: dict[str, str | None] = {}
_RUN_STATE: list[str] = []


def run_state_home() -> Path:
    """This process's private stand-in for the user's state directory."""
    return Path(os.environ["VPCWIRE_HOME"])


def _isolate_state() -> None:
    if _RUN_STATE:
        return
    run = tempfile.mkdtemp(prefix="vpcwire-tests-")
    _RUN_STATE.append(run)
    for name in STATE_VARIABLES:
        USER_STATE[name] = os.environ.get(name)
    os.environ["VPCWIRE_HOME"] = str(Path(run) / "vpcwire-home")
    os.environ["XDG_STATE_HOME"] = str(Path(run) / "xdg-state")
    # `vpcwire scan` lets terraform evaluate by default (6-30 s a scan): a test that means it
    # asks with --terraform (tests/scan/test_tf_eval.py); the others pin vpcwire's own.
    os.environ["VPCWIRE_SCAN_TERRAFORM"] = "0"


def pytest_unconfigure(config: pytest.Config) -> None:
    """Give the user's variables back and remove this run's state directory. A sandbox the
    run started is stopped by its fixture; one left by a killed run dies with nothing
    pointing at it (its directory is gone), never with the user's."""
    for name, value in USER_STATE.items():
        if value is None:
            os.environ.pop(name, None)
        else:
            os.environ[name] = value
    for run in _RUN_STATE:
        shutil.rmtree(run, ignore_errors=True)
    _RUN_STATE.clear()


def pytest_configure(config: pytest.Config) -> None:
    _isolate_state()
    if not (os.environ.get("VPCWIRE_TERRAFORM") or shutil.which("terraform")):
        raise pytest.UsageError(
            "terraform is not on PATH: the vpcwire tests run terraform against the embedded "
            "sandbox. Install Terraform >= 1.5 (https://developer.hashicorp.com/terraform/install) "
            "or set VPCWIRE_TERRAFORM to its path."
        )
    # The packet data plane is as hard a requirement as terraform: its tests send real
    # packets, and a run that skipped them would prove nothing about them.
    from vpcwire.sandbox.dataplane import missing_requirements

    if missing := missing_requirements():
        raise pytest.UsageError(
            "the vpcwire tests send real packets through the sandbox's data plane, which needs: "
            + "; ".join(missing)
            + " (the README's test command installs nftables with scripts/system-deps.sh)"
        )


@pytest.fixture
def examples() -> Path:
    return EXAMPLES


@pytest.fixture(autouse=True)
def _isolated_state(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    """Each test starts with the run's own state directory, even if an earlier test (or the
    code under test) changed the variables without restoring them, and in a directory of
    its own: `vpcwire up`'s default working directory is `.vpcwire/` under the current
    directory, and the README's first command leaves the user's there, in the checkout."""
    monkeypatch.chdir(tmp_path)
    if _RUN_STATE:
        monkeypatch.setenv("VPCWIRE_HOME", str(Path(_RUN_STATE[0]) / "vpcwire-home"))
        monkeypatch.setenv("XDG_STATE_HOME", str(Path(_RUN_STATE[0]) / "xdg-state"))


def _cost_rank(item: pytest.Item) -> int:
    """Longest first: the `slow` tests (few, and the longest of the run among them),
    terraform deployments (the `sandbox` fixtures), the other integration tests, the rest."""
    if item.get_closest_marker("slow"):
        return 0
    if item.get_closest_marker("integration"):
        deploys = {"sandbox", "module_sandbox"} & set(getattr(item, "fixturenames", ()))
        return 1 if deploys else 2
    return 3


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    """Run the long tests first: with several workers, the short tests then fill the gaps
    around them instead of a few long ones running alone at the end.

    This order only helps because the run hands tests out one by one (`--dist loadgroup`
    in pyproject.toml). xdist's default, `--dist load`, sends each worker a first chunk of a
    quarter of its share in collection order: with the long tests first, one worker got
    nearly every integration test and ran them one after the other (about 23 minutes)
    while the others finished the unit tests and sat idle."""
    items.sort(key=_cost_rank)
    if getattr(config.option, "loadgroup", False):  # set on xdist workers under loadgroup
        for item in items:
            _join_xdist_group(item)


def _join_xdist_group(item: pytest.Item) -> None:
    """Give a test marked `xdist_group(name)` the node id suffix `@name` by which xdist's
    loadgroup scheduler sends a group's tests to one worker. xdist 3.8 sets it through
    `item._nodeid`, which pytest 9 no longer reads (its node ids live in `_id`), so every
    group was silently spread over all workers; this does what xdist means to, and steps
    aside once xdist has done it."""
    names = sorted(
        {
            str(m.args[0] if m.args else m.kwargs.get("name", "default"))
            for m in item.iter_markers("xdist_group")
        }
    )
    if names and "@" not in item.nodeid.rsplit("]", 1)[-1]:
        from _pytest.nodeid import NodeId

        item._id = NodeId.parse(f"{item.nodeid}@{'_'.join(names)}")
