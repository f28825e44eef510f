"""Without Graphviz: `diagram` says how to install it (exit 2), `up` still succeeds."""

from __future__ import annotations

from pathlib import Path

import pytest
from typer.testing import CliRunner

from tests.conftest import EXAMPLES
from vpcwire.cli import app
from vpcwire.cli.diagram import write_up_diagram
from vpcwire.pipeline import plan
from vpcwire.spec.load import load_spec


@pytest.fixture
def no_dot(monkeypatch: pytest.MonkeyPatch) -> None:
    import vpcwire.diagram.svg as svg

    monkeypatch.setattr(svg.shutil, "which", lambda name: None)


@pytest.mark.usefixtures("no_dot")
def test_diagram_command_explains_and_exits_2() -> None:
    result = CliRunner().invoke(app, ["diagram", str(EXAMPLES / "peering.yaml")])
    assert result.exit_code == 2
    assert "apt-get install graphviz" in result.stderr and "--format mermaid" in result.stderr
    mermaid = CliRunner().invoke(
        app, ["diagram", str(EXAMPLES / "peering.yaml"), "--format", "mermaid"]
    )
    assert mermaid.exit_code == 0 and mermaid.stdout.startswith("flowchart LR")


@pytest.mark.usefixtures("no_dot")
def test_up_hook_warns_instead_of_failing(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    p = plan(load_spec(EXAMPLES / "peering.yaml"))
    assert write_up_diagram(p, tmp_path) is None
    assert "warning: no diagram" in capsys.readouterr().err
    assert not (tmp_path / "diagram.html").exists()


def test_up_hook_writes_the_page(tmp_path: Path) -> None:
    p = plan(load_spec(EXAMPLES / "peering.yaml"))
    path = write_up_diagram(p, tmp_path)
    assert path == tmp_path / "diagram.html"
    assert 'id="vpc:app"' in path.read_text()
