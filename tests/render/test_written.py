"""`render --out` removes and overwrites only what vpcwire can prove it wrote (its manifest)."""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from tests.conftest import EXAMPLES
from vpcwire.cli import app
from vpcwire.errors import UsageError
from vpcwire.render.written import MANIFEST, write_files

runner = CliRunner()
MARKED = "# Rendered by vpcwire from someone's spec: do not edit\nlocals { mine = 1 }\n"


def test_a_stale_file_of_ours_is_removed(tmp_path: Path) -> None:
    write_files({"a.tf": "a\n", "b.tf": "b\n", "templates/t.tftpl": "t\n"}, tmp_path)
    write_files({"a.tf": "a2\n"}, tmp_path)
    assert (tmp_path / "a.tf").read_text() == "a2\n"
    assert not (tmp_path / "b.tf").exists()
    assert not (tmp_path / "templates" / "t.tftpl").exists()
    assert json.loads((tmp_path / MANIFEST).read_text())["files"].keys() == {"a.tf"}


def test_a_users_file_carrying_our_phrase_survives(tmp_path: Path) -> None:
    write_files({"a.tf": "a\n"}, tmp_path)
    (tmp_path / "mine.tf").write_text(MARKED)
    write_files({"a.tf": "a\n", "b.tf": "b\n"}, tmp_path)
    write_files({"a.tf": "a\n"}, tmp_path)
    assert (tmp_path / "mine.tf").read_text() == MARKED


def test_a_file_of_ours_edited_since_is_kept(tmp_path: Path) -> None:
    write_files({"a.tf": "a\n", "b.tf": "b\n"}, tmp_path)
    (tmp_path / "b.tf").write_text("b, edited by hand\n")
    write_files({"a.tf": "a\n"}, tmp_path)
    assert (tmp_path / "b.tf").read_text() == "b, edited by hand\n"


def test_a_users_file_in_the_way_is_a_usage_error_and_nothing_is_written(tmp_path: Path) -> None:
    (tmp_path / "b.tf").write_text(MARKED)
    write_files({"a.tf": "a\n"}, tmp_path)  # a manifest now exists: the phrase proves nothing
    with pytest.raises(UsageError, match=r"b\.tf exists and vpcwire did not write it"):
        write_files({"a.tf": "a2\n", "b.tf": "b\n"}, tmp_path)
    assert (tmp_path / "a.tf").read_text() == "a\n"
    assert (tmp_path / "b.tf").read_text() == MARKED


def test_files_that_are_not_utf8_never_crash_a_write(tmp_path: Path) -> None:
    (tmp_path / "latin1.tf").write_bytes(b"# caf\xe9\n")
    (tmp_path / "a.tf").write_bytes(b"\xff\xfe\x00garbage")
    with pytest.raises(UsageError):
        write_files({"a.tf": "a\n"}, tmp_path)
    write_files({"b.tf": "b\n"}, tmp_path)
    assert (tmp_path / "latin1.tf").read_bytes() == b"# caf\xe9\n"


def test_a_directory_rendered_before_the_manifest_is_taken_over(tmp_path: Path) -> None:
    (tmp_path / "a.tf").write_text("# Rendered by vpcwire\nold\n")
    (tmp_path / "stale.tf").write_text("# Rendered by vpcwire\nold\n")
    write_files({"a.tf": "new\n"}, tmp_path)
    assert (tmp_path / "a.tf").read_text() == "new\n"
    assert (tmp_path / "stale.tf").exists()  # never removed on a phrase alone


def test_a_manifest_never_removes_outside_its_directory(tmp_path: Path) -> None:
    outside = tmp_path / "outside.tf"
    outside.write_text("x\n")
    inner = tmp_path / "out"
    inner.mkdir()
    digest = hashlib.sha256(b"x\n").hexdigest()
    (inner / MANIFEST).write_text(json.dumps({"files": {"../outside.tf": digest}}))
    write_files({"a.tf": "a\n"}, inner)
    assert outside.exists()


def test_render_out_refuses_to_overwrite_a_users_file(tmp_path: Path) -> None:
    out = tmp_path / "infra"
    out.mkdir()
    first = runner.invoke(app, ["render", str(EXAMPLES / "peering.yaml"), "--out", str(out)])
    assert first.exit_code == 0, first.output
    (out / "network.tf").write_text("# my own network\n")
    again = runner.invoke(app, ["render", str(EXAMPLES / "peering.yaml"), "--out", str(out)])
    assert again.exit_code == 2
    assert "network.tf exists and vpcwire did not write it" in again.stderr
    assert "fix:" in again.stderr
    assert (out / "network.tf").read_text() == "# my own network\n"
