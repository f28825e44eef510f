"""Drawing needs nothing pip does not install: no Graphviz `dot` on PATH, no `graphviz` module."""

from __future__ import annotations

import sys
import tomllib
from pathlib import Path

import pytest
from typer.testing import CliRunner

from tests.conftest import EXAMPLES, ROOT
from vpcwire.cli import app
from vpcwire.cli.diagram import write_up_diagram
from vpcwire.pipeline import plan
from vpcwire.spec.load import load_spec


@pytest.fixture
def no_graphviz(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    """PATH holds only an empty directory, and importing `graphviz` fails."""
    empty = tmp_path / "bin"
    empty.mkdir()
    monkeypatch.setenv("PATH", str(empty))
    monkeypatch.setitem(sys.modules, "graphviz", None)


@pytest.mark.usefixtures("no_graphviz")
@pytest.mark.parametrize(("fmt", "start"), [("svg", "<svg"), ("html", "<!DOCTYPE html>")])
def test_diagram_command_draws_without_dot(fmt: str, start: str) -> None:
    result = CliRunner().invoke(app, ["diagram", str(EXAMPLES / "peering.yaml"), "--format", fmt])
    assert result.exit_code == 0, result.stderr
    assert result.stdout.startswith(start)
    assert 'id="vpc:app"' in result.stdout and 'id="link:peering:0"' in result.stdout


@pytest.mark.usefixtures("no_graphviz")
def test_up_hook_writes_the_page_without_dot(tmp_path: Path) -> None:
    p = plan(load_spec(EXAMPLES / "peering.yaml"))
    path = write_up_diagram(p, tmp_path)
    assert path == tmp_path / "diagram.html"
    assert 'id="vpc:app"' in path.read_text()


def test_graphviz_is_not_a_dependency() -> None:
    project = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]
    assert not [d for d in project["dependencies"] if d.lower().startswith("graphviz")]
