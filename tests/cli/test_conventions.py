"""CLI conventions terraform, checkov and cfn-lint users expect: --version, -h, completion,
plain help in a pipe, per-command --target help, render's target and JSON, plan's count."""

from __future__ import annotations

import json
import re
import subprocess
import sys
from pathlib import Path

import pytest
from typer.testing import CliRunner

from tests.conftest import EXAMPLES
from vpcwire import __version__
from vpcwire.cli import app
from vpcwire.render.written import MANIFEST

runner = CliRunner()
BOX = set("╭╮╰╯│─┃━")


def test_version() -> None:
    for flag in ("--version", "-V"):
        result = runner.invoke(app, [flag])
        assert result.exit_code == 0
        assert result.stdout.strip() == f"vpcwire {__version__}"


@pytest.mark.parametrize("args", [["-h"], ["plan", "-h"], ["sandbox", "-h"]])
def test_short_help(args: list[str]) -> None:
    result = runner.invoke(app, args)
    assert result.exit_code == 0, result.output
    assert "Usage: vpcwire" in result.stdout


def test_help_in_a_pipe_has_no_box_drawing() -> None:
    # the real entry point with stdout a pipe, as `vpcwire --help | less` sees it
    for args in (["--help"], ["check", "--help"]):
        proc = subprocess.run(
            [sys.executable, "-m", "vpcwire", *args], capture_output=True, text=True, timeout=60
        )
        assert proc.returncode == 0
        assert "Usage:" in proc.stdout
        assert sorted(BOX & set(proc.stdout)) == []


def test_completion_is_offered() -> None:
    result = runner.invoke(app, ["--help"])
    assert "--install-completion" in result.stdout
    assert "--show-completion" in result.stdout


def test_completion_script_completes_commands() -> None:
    # the script --show-completion prints, and the completion it drives: the real entry
    # point asked for the words after "vpcwire pl" (what bash does on <TAB>)
    script = subprocess.run(
        [sys.executable, "-m", "vpcwire", "--show-completion", "bash"],
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert script.returncode == 0 and "complete" in script.stdout
    env = {
        "_VPCWIRE_COMPLETE": "complete_bash",
        "COMP_WORDS": "vpcwire pl",
        "COMP_CWORD": "1",
        "PATH": "/usr/bin:/bin",
    }
    done = subprocess.run(
        [
            sys.executable,
            "-c",
            "import sys; sys.argv[0] = 'vpcwire'; from vpcwire.cli import main; main()",
        ],
        capture_output=True,
        text=True,
        env=env,
        timeout=60,
    )
    assert done.stdout.split() == ["plan"]


@pytest.mark.parametrize(
    ("command", "says"),
    [
        ("up", "where to apply"),
        ("down", "which deployment to destroy"),
        ("verify", "with --live"),
        ("render", "sandbox_override.tf"),
    ],
)
def test_target_help_says_what_it_does_per_command(command: str, says: str) -> None:
    result = runner.invoke(app, [command, "--help"], terminal_width=200)
    line = " ".join(result.stdout.split())
    assert says in line[line.index("--target") :]


def test_render_defaults_to_up_target_and_says_so(tmp_path: Path) -> None:
    result = runner.invoke(app, ["render", str(EXAMPLES / "peering.yaml"), "--out", str(tmp_path)])
    assert result.exit_code == 0, result.output
    assert (tmp_path / "sandbox_override.tf").exists()
    assert "for target sandbox" in result.stdout


def test_render_json(tmp_path: Path) -> None:
    result = runner.invoke(
        app,
        ["render", str(EXAMPLES / "peering.yaml"), "--out", str(tmp_path), "--target", "aws"],
    )
    assert result.exit_code == 0
    result = runner.invoke(
        app,
        [
            "render",
            str(EXAMPLES / "peering.yaml"),
            "--out",
            str(tmp_path),
            "--target",
            "aws",
            "--json",
        ],
    )
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    assert data["target"] == "aws"
    # every file rendered (render's own hidden marker of what it wrote aside)
    assert sorted(Path(f).name for f in data["files"]) == sorted(
        p.name for p in tmp_path.rglob("*") if p.is_file() and p.name != MANIFEST
    )
    assert not (tmp_path / "sandbox_override.tf").exists()
    written = "".join(p.read_text() for p in tmp_path.glob("*.tf"))
    assert data["resources"] == written.count('\nresource "')


@pytest.mark.parametrize(
    "example", ["peering.yaml", "privatelink.yaml", "inter-region-privatelink.yaml"]
)
def test_plan_counts_the_resources_terraform_creates(tmp_path: Path, example: str) -> None:
    spec = str(EXAMPLES / example)
    runner.invoke(app, ["render", spec, "--out", str(tmp_path)])
    blocks = "".join(p.read_text() for p in tmp_path.glob("*.tf")).count('\nresource "')
    text = runner.invoke(app, ["plan", spec], terminal_width=400)
    assert f"terraform: {blocks} resources to add" in text.stdout
    # Issue 16: "41 resources" first, "45 resources to add" last, unexplained. The two
    # figures are now shown to add up, type by type.
    lines = text.stdout.splitlines()
    first = re.search(r"connection\(s\), (\d+) network resources", lines[0])
    assert first is not None, lines[0]
    modelled = int(first[1])
    at = next(i for i, line in enumerate(lines) if line.startswith("terraform: "))
    assert f"= the {modelled} network resources above" in lines[at]
    signed = {"+": 1, "−": -1}
    change = sum(
        signed[line.strip()[0]] * int(n)
        for line in lines[at + 1 :]
        for n in re.findall(r"(\d+) [a-z_]+", line.split(" (")[0])
    )
    assert modelled + change == blocks
    assert modelled != blocks or example != "inter-region-privatelink.yaml"
    data = json.loads(runner.invoke(app, ["plan", spec, "--json"]).stdout)
    assert data["terraform_resources"] == blocks


def test_a_late_ctrl_c_cannot_change_the_exit_code() -> None:
    """Once a command has chosen its exit code, SIGINT (and SIGTERM, SIGHUP) are ignored while
    Python exits (a second Ctrl-C during the wait for threads at exit made the process die by
    SIGINT, -2)."""
    import subprocess
    import sys

    probe = (
        "import atexit, signal, sys; sys.argv = ['vpcwire', '--version']\n"
        "atexit.register(lambda: print('ignored' if all(signal.getsignal(s) is signal.SIG_IGN"
        " for s in (signal.SIGINT, signal.SIGTERM, signal.SIGHUP)) else 'live'))\n"
        "from vpcwire.cli import main; main()"
    )
    proc = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True)
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout.strip().endswith("ignored"), proc.stdout


def test_help_lists_every_command_in_workflow_order() -> None:
    """Design, deploy, prove, compare, existing estates, set-up: the order a newcomer uses
    them. A new command must be given its place (it would otherwise sort last)."""
    from vpcwire.cli._app import COMMAND_ORDER

    result = runner.invoke(app, ["--help"])
    assert result.exit_code == 0
    section = result.stdout.split("Commands:")[1]
    listed = [line.split()[0] for line in section.splitlines() if line.startswith("  ")]
    assert listed == list(COMMAND_ORDER)
