"""Writing rendered files into a directory people also use: vpcwire's manifest of what it wrote.

`render --out DIR` (and `up`'s working directory) may hold a person's own files next to
ours. A phrase in a file ("Rendered by vpcwire") proves nothing: anyone may copy it into
their own file. So each write records, in `.vpcwire-rendered.json` in that directory, every
file it wrote and the SHA-256 of what it wrote. A later write removes a file this render no
longer produces only when the manifest lists it and its bytes are still exactly what was
written; it overwrites a file only when the manifest (or identical content) proves it is
ours. Anything else is left alone, and a person's file in the way is a usage error.

Files are compared as bytes: a file in any encoding (or none) never crashes a write.
Directories rendered before the manifest existed have none: their files that carry the
old mark may be overwritten (never removed) once, after which the manifest takes over.
"""

from __future__ import annotations

import hashlib
import json
import os
from pathlib import Path

from vpcwire.errors import UsageError

__all__ = ["MANIFEST", "read_manifest", "write_files"]

MANIFEST = ".vpcwire-rendered.json"
_LEGACY_MARK = b"Rendered by vpcwire"


def _digest(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def read_manifest(directory: Path) -> dict[str, str] | None:
    """{relative path: sha256} of what vpcwire last wrote here; None if there is no
    manifest (or it is not one of ours: then nothing here counts as ours)."""
    try:
        data = json.loads((directory / MANIFEST).read_bytes())
    except FileNotFoundError:
        return None
    except (OSError, ValueError):
        return {}
    files = data.get("files") if isinstance(data, dict) else None
    if not isinstance(files, dict):
        return {}
    return {str(k): str(v) for k, v in files.items() if isinstance(v, str)}


def _inside(directory: Path, name: str) -> Path | None:
    """directory/name if it stays inside directory (a manifest is data, not instructions)."""
    path = directory / name
    try:
        path.resolve().relative_to(directory.resolve())
    except ValueError:
        return None
    return path if ".." not in Path(name).parts and not Path(name).is_absolute() else None


def _read(path: Path) -> bytes | None:
    try:
        return path.read_bytes()
    except (FileNotFoundError, IsADirectoryError, NotADirectoryError):
        return None


def write_files(files: dict[str, str], directory: Path) -> list[Path]:
    """Write `files` ({relative path: text}) into `directory`; returns the paths written.

    Removes files an earlier write made that this one does not, when unchanged since.
    Raises UsageError, before writing anything, if a file of the same name exists that
    vpcwire cannot prove it wrote.
    """
    directory.mkdir(parents=True, exist_ok=True)
    manifest = read_manifest(directory)
    encoded = {name: text.encode("utf-8") for name, text in files.items()}
    for name, data in encoded.items():
        current = _read(directory / name)
        if current is None or current == data:
            continue
        if manifest is None and _LEGACY_MARK in current[:2000]:
            continue  # written by a vpcwire from before the manifest
        if manifest is not None and manifest.get(name) == _digest(current):
            continue
        raise UsageError(
            f"{directory / name} exists and vpcwire did not write it (or it was edited since)\n"
            f"  fix: move the file away, or render into another directory"
        )
    for name, digest in (manifest or {}).items():
        if name in encoded:
            continue
        path = _inside(directory, name)
        current = _read(path) if path is not None else None
        if path is not None and current is not None and _digest(current) == digest:
            path.unlink()
    written = []
    for name, data in encoded.items():
        path = directory / name
        path.parent.mkdir(parents=True, exist_ok=True)
        if _read(path) != data:
            path.write_bytes(data)
        written.append(path)
    _save_manifest(directory, {name: _digest(data) for name, data in encoded.items()})
    return written


def _save_manifest(directory: Path, files: dict[str, str]) -> None:
    temporary = directory / f"{MANIFEST}.{os.getpid()}.tmp"
    body = {"written_by": "vpcwire", "files": dict(sorted(files.items()))}
    temporary.write_text(json.dumps(body, indent=2) + "\n", encoding="utf-8")
    os.replace(temporary, directory / MANIFEST)
