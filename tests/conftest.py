"""Shared test setup.

Terraform is a hard requirement of this test suite: integration tests really run it against
the embedded sandbox. If it is missing we stop the whole run with a clear message rather
than skipping, so a green run always means terraform-backed tests ran.
"""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
EXAMPLES = ROOT / "examples"


def pytest_configure(config: pytest.Config) -> None:
    if not (os.environ.get("VPCWIRE_TERRAFORM") or shutil.which("terraform")):
        raise pytest.UsageError(
            "terraform is not on PATH: the vpcwire tests run terraform against the embedded "
            "sandbox. Install Terraform >= 1.5 (https://developer.hashicorp.com/terraform/install) "
            "or set VPCWIRE_TERRAFORM to its path."
        )


@pytest.fixture
def examples() -> Path:
    return EXAMPLES


@pytest.fixture(autouse=True)
def _isolated_state(
    tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Never touch the developer's real sandbox state or caches from a test."""
    if "VPCWIRE_HOME" not in os.environ:
        monkeypatch.setenv("VPCWIRE_HOME", str(tmp_path_factory.getbasetemp() / "vpcwire-home"))


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    """Run the long integration tests first: with several workers, the short tests then fill
    the gaps around them instead of a few long ones running alone at the end."""
    items.sort(key=lambda item: 0 if item.get_closest_marker("integration") else 1)
