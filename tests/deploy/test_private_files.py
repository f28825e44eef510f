"""A stack's working directory and everything holding its state are its owner's alone."""

from __future__ import annotations

import os
import stat
from pathlib import Path

import pytest

from vpcwire.deploy.private_files import make_private
from vpcwire.deploy.state_file import keep_copy
from vpcwire.deploy.terraform import Terraform


def _mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


def test_an_older_world_readable_workdir_is_tightened(tmp_path: Path) -> None:
    workdir = tmp_path / ".vpcwire" / "s" / "sandbox"
    (workdir / "state-history").mkdir(parents=True)
    os.chmod(workdir, 0o755)
    os.chmod(workdir / "state-history", 0o755)
    files = [
        "terraform.tfstate",
        "terraform.tfstate.backup",
        "state-history/terraform.tfstate.20260101T000000.000000Z.up",
        "terraform.log",
        ".terraform-import.out",
    ]
    for name in files:
        (workdir / name).write_text("{}")
        os.chmod(workdir / name, 0o644)
    make_private(workdir)
    assert _mode(workdir) == 0o700
    assert _mode(workdir / "state-history") == 0o700
    for name in files:
        assert _mode(workdir / name) == 0o600, name


def test_a_new_workdir_is_made_0700(tmp_path: Path) -> None:
    workdir = tmp_path / "fresh"
    make_private(workdir)
    assert _mode(workdir) == 0o700


def test_a_state_copy_is_0600_whatever_the_state_was(tmp_path: Path) -> None:
    (tmp_path / "terraform.tfstate").write_text('{"version": 4, "resources": []}')
    os.chmod(tmp_path / "terraform.tfstate", 0o644)
    copy = keep_copy(tmp_path, "up")
    assert copy is not None and _mode(copy) == 0o600
    assert _mode(copy.parent) == 0o700


def test_what_terraform_writes_is_born_private(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A stand-in terraform that writes a state and a backup the ordinary way (mode 0666
    less the umask): with vpcwire's umask for it they are 0600, and its log too."""
    fake = tmp_path / "terraform"
    fake.write_text(
        "#!/bin/sh\n"
        'echo \'{"version": 4, "resources": []}\' > terraform.tfstate\n'
        "echo '{}' > terraform.tfstate.backup\n"
        "mkdir -p .terraform\n"
    )
    fake.chmod(0o755)
    monkeypatch.setenv("VPCWIRE_TERRAFORM", str(fake))
    workdir = tmp_path / "work"
    old = os.umask(0o022)  # a usual umask for vpcwire itself
    try:
        Terraform(workdir).apply()
    finally:
        os.umask(old)
    assert _mode(workdir) == 0o700
    for name in ("terraform.tfstate", "terraform.tfstate.backup", "terraform.log"):
        assert _mode(workdir / name) == 0o600, name
    assert _mode(workdir / ".terraform") == 0o700
