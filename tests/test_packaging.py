"""What a non-editable install needs: every package has an __init__.py, data files are declared."""

from __future__ import annotations

import tomllib

from tests.conftest import ROOT

SRC = ROOT / "src" / "vpcwire"


def test_every_source_directory_is_a_package() -> None:
    missing = [
        str(d.relative_to(ROOT))
        for d in SRC.rglob("*")
        if d.is_dir() and any(d.glob("*.py")) and not (d / "__init__.py").exists()
    ]
    assert missing == []


def test_data_files_are_declared_as_package_data() -> None:
    config = tomllib.loads((ROOT / "pyproject.toml").read_text())
    patterns = config["tool"]["setuptools"]["package-data"]["vpcwire"]
    data = [p for p in SRC.rglob("*") if p.is_file() and p.suffix not in (".py", ".pyc")]
    for path in data:
        relative = path.relative_to(SRC).as_posix()
        assert any(path.match(f"*/{pattern}") or relative == pattern for pattern in patterns), (
            relative
        )
