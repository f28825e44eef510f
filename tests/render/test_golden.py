"""Golden tests of the rendered Terraform, one directory per example.

Set VPCWIRE_UPDATE_GOLDEN=1 to rewrite the fixtures after an intended change, then review
the diff like any other code change: it is exactly what users will see.
"""

from __future__ import annotations

import os
import subprocess
from pathlib import Path

import pytest

from tests.conftest import EXAMPLES, ROOT
from vpcwire.pipeline import plan
from vpcwire.render import render, write
from vpcwire.spec.load import load_spec

GOLDEN = ROOT / "tests" / "fixtures" / "render"
NAMES = sorted(p.stem for p in EXAMPLES.glob("*.yaml"))


def rendered(name: str) -> dict[str, str]:
    files = render(
        plan(load_spec(EXAMPLES / f"{name}.yaml")), target="sandbox", source=f"examples/{name}.yaml"
    ).files
    return {k: v for k, v in files.items() if not k.startswith("templates/")}


@pytest.mark.parametrize("name", NAMES)
def test_render_matches_golden(name: str) -> None:
    files = rendered(name)
    directory = GOLDEN / name
    if os.environ.get("VPCWIRE_UPDATE_GOLDEN"):
        directory.mkdir(parents=True, exist_ok=True)
        for old in directory.glob("*.tf"):
            old.unlink()
        for file, text in files.items():
            (directory / file).write_text(text)
    expected = {p.name: p.read_text() for p in directory.glob("*.tf")}
    assert sorted(files) == sorted(expected)
    for file, text in files.items():
        assert text == expected[file], f"{name}/{file} differs from the golden file"


@pytest.mark.parametrize("name", NAMES)
def test_render_is_terraform_fmt_clean(name: str, tmp_path: Path) -> None:
    write(render(plan(load_spec(EXAMPLES / f"{name}.yaml")), target="sandbox"), tmp_path)
    proc = subprocess.run(
        ["terraform", "fmt", "-check", "-recursive", "-list=true", str(tmp_path)],
        capture_output=True,
        text=True,
        check=False,
    )
    assert proc.returncode == 0, f"not fmt-clean: {proc.stdout}{proc.stderr}"


def test_aws_render_has_no_sandbox_file() -> None:
    files = render(plan(load_spec(EXAMPLES / "privatelink.yaml")), target="aws").files
    assert "sandbox_override.tf" not in files
    assert all("max_retries" not in text for text in files.values())


def test_write_removes_only_its_own_stale_files(tmp_path: Path) -> None:
    p = plan(load_spec(EXAMPLES / "privatelink.yaml"))
    write(render(p, target="sandbox"), tmp_path)
    (tmp_path / "mine.tf").write_text("locals { x = 1 }\n")
    write(render(p, target="aws"), tmp_path)
    assert not (tmp_path / "sandbox_override.tf").exists()
    assert (tmp_path / "mine.tf").exists()


def test_strings_are_never_interpolated() -> None:
    from vpcwire.render.hcl import string_literal

    assert string_literal('a ${b} %{c} "d"\n') == '"a $${b} %%{c} \\"d\\"\\n"'
