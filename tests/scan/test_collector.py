"""The scan's two cheap speed-ups keep results and leave the process as they found it:
the collector pause (``collector.py``) and one parse per module directory
(``Configuration.blocks``)."""

from __future__ import annotations

import gc
from pathlib import Path

import pytest

import vpcwire.scan.config as config_module
from vpcwire.scan.collector import collector_paused
from vpcwire.scan.config import load_configuration
from vpcwire.scan.hcl import Block
from vpcwire.scan.run import run_scan

FIXTURES = Path(__file__).parent.parent / "fixtures" / "scan"


def test_pause_nests_and_restores() -> None:
    assert gc.isenabled()
    with collector_paused():
        assert not gc.isenabled()
        with collector_paused():
            assert not gc.isenabled()
        assert not gc.isenabled()  # the inner pause leaves the outer one in force
    assert gc.isenabled()


def test_pause_is_undone_on_errors() -> None:
    with pytest.raises(ZeroDivisionError), collector_paused():
        1 / 0  # noqa: B018
    assert gc.isenabled()


def test_pause_keeps_a_disabled_collector_disabled() -> None:
    gc.disable()
    try:
        with collector_paused():
            pass
        assert not gc.isenabled()
    finally:
        gc.enable()


def test_a_scan_leaves_the_collector_running() -> None:
    report = run_scan(FIXTURES / "peering")
    assert report.network  # it scanned something
    assert gc.isenabled()


def test_a_scan_that_fails_leaves_the_collector_running(tmp_path: Path) -> None:
    (tmp_path / "main.tf").write_text('resource "aws_vpc" "a" {\n  cidr_block = \n')
    with pytest.raises(Exception, match="HCL syntax error"):
        run_scan(tmp_path)
    assert gc.isenabled()


def test_module_directory_is_parsed_once_for_all_its_instances(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """module-count calls ../modules/vpc with for_each (2 instances) and count (1): the
    directory is read once and its blocks are shared, and every instance is still built."""
    parsed: list[Path] = []
    real = config_module.load_blocks

    def counting(directory: Path) -> list[Block]:
        parsed.append(directory)
        return real(directory)

    monkeypatch.setattr(config_module, "load_blocks", counting)
    config = load_configuration(FIXTURES / "module-count")
    addresses = {r.address for r in config.resources() if r.type == "aws_vpc"}
    assert addresses == {
        'module.env["dev"].aws_vpc.this',
        'module.env["prod"].aws_vpc.this',
        "module.sandbox[0].aws_vpc.this",
    }
    module_dir = [d for d in parsed if d.name == "vpc"]
    assert len(module_dir) == 1, parsed
