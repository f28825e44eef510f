"""README promises that other people rely on: its two set-up commands are the real ones."""

from __future__ import annotations

import re

from tests.conftest import ROOT


def setup_commands() -> list[str]:
    readme = (ROOT / "README.md").read_text()
    section = readme.split("## Set up", 1)[1].split("\n## ", 1)[0]
    return re.findall(r"```sh\n(.*?)\n```", section, flags=re.S)


def test_exactly_two_setup_commands() -> None:
    commands = setup_commands()
    assert len(commands) == 2
    assert "vpcwire up examples/inter-region-privatelink.yaml" in commands[0]
    assert "pytest" in commands[1]


def test_ci_runs_the_readme_test_command_verbatim() -> None:
    ci = (ROOT / ".ci" / "run").read_text().splitlines()
    assert setup_commands()[1] in ci


def test_readme_examples_exist() -> None:
    readme = (ROOT / "README.md").read_text()
    for path in re.findall(r"`(examples/[\w-]+\.yaml)`", readme):
        assert (ROOT / path).exists(), path
