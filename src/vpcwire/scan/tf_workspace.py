"""The private copy of a configuration that terraform evaluates for `vpcwire scan`.

Terraform must never run in the user's directory: it would write ``.terraform/``, a lock
file, maybe a state, and it would use the user's backend and credentials. So the root module
and the local modules it calls are copied (keeping their relative layout, which
``source = "../modules/vpc"`` relies on) into a temporary directory, and that copy is
changed in ways that only make it plannable against the embedded sandbox:

* the backend (``s3``, ``remote``, a ``cloud`` block) is replaced by ``backend "local"`` in
  an override file: planning needs no remote state, and the user's is never touched;
* every ``provider "aws"`` block of the root keeps its region and ``assume_role`` (so the
  sandbox answers in the right region and account) and loses what ties it to the user's
  machine or account: profile, credential files, keys, ``allowed_account_ids``; it gets
  ``max_retries = 2`` (otherwise one HTTP 500 from an action moto lacks is retried for
  15 minutes, sandbox-facts.md);
* provider pins the local mirror cannot satisfy are relaxed to the mirror's version, and
  said so (:func:`relax_pins`);
* a data source that looked up something only the user's account holds is made unknown
  (:func:`defer_data_source`).

Modules the user already installed (``.terraform/modules``) are copied too, so remote
modules need no network; nothing else under ``.terraform`` is (it holds the user's backend
settings and providers).
"""

from __future__ import annotations

import contextlib
import os
import re
import shutil
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

__all__ = [
    "UNKNOWN_RESOURCE",
    "Workspace",
    "WorkspaceError",
    "block_end",
    "copy_configuration",
    "count_blocks",
    "defer_data_source",
    "provider_aliases",
    "relax_pins",
    "write_overrides",
]

BACKEND_OVERRIDE = "vpcwire_backend_override.tf"
PROVIDER_OVERRIDE = "vpcwire_provider_override.tf"
PROVIDER_DEFAULT = "vpcwire_provider.tf"
RELAX_OVERRIDE = "vpcwire_relax_override.tf"
UNKNOWN_FILE = "vpcwire_unknown.tf"
# A resource terraform plans to create: a data source that depends on it is read only at
# apply, so at plan time every one of its values is unknown -- exactly what a lookup of the
# user's account is when only the sandbox can be asked.
UNKNOWN_RESOURCE = "terraform_data.vpcwire_unknown"
HEADER = (
    "# Written by vpcwire scan into its private copy of your configuration; never into yours.\n"
)

_SKIP = {".git", ".terraform", ".terragrunt-cache"}
# A module directory is copied with its files (templates, JSON read by file()); a source that
# climbs far out of the repository must not make scan copy a disk.
MAX_FILES = 20_000
MAX_BYTES = 256 * 1024 * 1024
_LOCAL_SOURCE = re.compile(r'^\s*source\s*=\s*"(\.\.?/[^"]*|\.\.?)"', re.MULTILINE)
_PROVIDER_AWS = re.compile(r'^\s*provider\s+"aws"\s*\{', re.MULTILINE)
_ALIAS = re.compile(r'^\s*alias\s*=\s*"([^"]+)"', re.MULTILINE)
_RESOURCE = re.compile(r'^\s*(?:resource|data|module)\s+"', re.MULTILINE)
_AWS_PIN = re.compile(
    r'required_providers\s*\{[^}]*?\baws\s*=\s*\{[^}]*?\bversion\s*=\s*"([^"]*)"', re.DOTALL
)


class WorkspaceError(Exception):
    """The configuration cannot be copied for terraform (too large, unreadable): the
    message says why, for the scan's "fell back" line."""


@dataclass(frozen=True, slots=True)
class Workspace:
    """The copy: ``root`` is where terraform runs; ``dirs`` are the copied module
    directories (the root first); ``blocks`` counts resource, data and module blocks."""

    root: Path
    dirs: tuple[Path, ...]
    blocks: int


def _tf_files(directory: Path) -> Iterator[Path]:
    try:
        entries = sorted(directory.iterdir())
    except OSError:
        return
    for entry in entries:
        if entry.suffix == ".tf" and entry.is_file():
            yield entry


def _text(path: Path) -> str:
    try:
        return path.read_text(encoding="utf-8", errors="replace")
    except OSError:
        return ""


def _local_modules(root: Path) -> tuple[list[Path], int]:
    """The root and every local module directory it reaches (resolved), and the number of
    resource/data/module blocks in them: found by a line scan, not by parsing, so that a
    large configuration costs milliseconds here."""
    seen: list[Path] = []
    blocks = 0
    todo = [root.resolve()]
    while todo:
        directory = todo.pop()
        if directory in seen or not directory.is_dir() or not any(_tf_files(directory)):
            continue
        seen.append(directory)
        for tf in _tf_files(directory):
            text = _text(tf)
            blocks += len(_RESOURCE.findall(text))
            todo += [(directory / src).resolve() for src in _LOCAL_SOURCE.findall(text)]
    return seen, blocks


def count_blocks(root: Path) -> int:
    """Resource, data and module blocks of the root and its local modules."""
    return _local_modules(root)[1]


def _common_parent(dirs: list[Path]) -> Path:
    prefix: list[str] = []
    for group in zip(*(d.parts for d in dirs), strict=False):
        if len(set(group)) != 1:
            break
        prefix.append(group[0])
    return Path(*prefix)


def _ignore(directory: str, names: list[str]) -> set[str]:
    return {
        n
        for n in names
        if n in _SKIP or n.endswith((".tfstate", ".tfstate.backup")) or n == ".terraform.lock.hcl"
    }


def copy_configuration(root: Path, into: Path) -> Workspace:
    """Copy the root and its local modules (with their files and subdirectories, for
    ``file()`` and ``templatefile()``) under ``into``, keeping their relative layout."""
    dirs, blocks = _local_modules(root)
    _check_size(dirs)
    common = _common_parent(dirs)
    copied: list[Path] = []
    for d in dirs:
        target = into / d.relative_to(common)
        shutil.copytree(d, target, symlinks=True, ignore=_ignore, dirs_exist_ok=True)
        copied.append(target)
    work = copied[0]
    installed = root / ".terraform" / "modules"
    if installed.is_dir():
        shutil.copytree(installed, work / ".terraform" / "modules", symlinks=True)
        copied += [p.parent for p in (work / ".terraform" / "modules").rglob("*.tf")]
    unique = tuple(dict.fromkeys(copied))
    return Workspace(work, unique, blocks)


def _check_size(dirs: list[Path]) -> None:
    files = size = 0
    for d in dirs:
        for here, subdirs, names in os.walk(d):
            subdirs[:] = [s for s in subdirs if s not in _SKIP]
            files += len(names)
            for name in names:
                with contextlib.suppress(OSError):
                    size += os.lstat(os.path.join(here, name)).st_size
            if files > MAX_FILES or size > MAX_BYTES:
                raise WorkspaceError(
                    f"the configuration's module directories hold over {MAX_FILES:,} files or "
                    f"{MAX_BYTES >> 20} MiB ({d}): too much to copy for terraform"
                )


def provider_aliases(directory: Path) -> list[str | None]:
    """The ``provider "aws"`` blocks of one module directory: their aliases (None: default)."""
    out: list[str | None] = []
    for tf in _tf_files(directory):
        if tf.name.startswith("vpcwire_"):
            continue
        text = _text(tf)
        for match in _PROVIDER_AWS.finditer(text):
            end = block_end(text, match.end() - 1)
            body = text[match.end() : end]
            alias = _top_level_alias(body)
            out.append(alias)
    return out


def _top_level_alias(body: str) -> str | None:
    depth = 0
    for line in body.splitlines():
        if depth == 0:
            found = _ALIAS.match(line)
            if found:
                return found[1]
        depth += line.count("{") - line.count("}")
    return None


def write_overrides(ws: Workspace, region: str) -> None:
    """The backend override of the root and the provider overrides of every module
    directory with ``provider "aws"`` blocks (see the module docstring)."""
    (ws.root / BACKEND_OVERRIDE).write_text(HEADER + 'terraform {\n  backend "local" {}\n}\n')
    for directory in ws.dirs:
        aliases = provider_aliases(directory)
        if aliases:
            (directory / PROVIDER_OVERRIDE).write_text(HEADER + _provider_overrides(aliases))
        elif directory == ws.root:
            # No provider block: terraform would configure an empty one from the environment;
            # give it the sandbox's retry limit (an override needs a block to override).
            (ws.root / PROVIDER_DEFAULT).write_text(
                HEADER + f'provider "aws" {{\n  region      = "{region}"\n  max_retries = 2\n}}\n'
            )


def _provider_overrides(aliases: list[str | None]) -> str:
    blocks = []
    for alias in dict.fromkeys(aliases):
        lines = [f'  alias = "{alias}"'] if alias else []
        lines += [
            f"  {name} = null"
            for name in (
                "profile",
                "shared_config_files",
                "shared_credentials_files",
                "access_key",
                "secret_key",
                "token",
                "allowed_account_ids",
                "forbidden_account_ids",
            )
        ]
        lines.append("  max_retries = 2")
        blocks.append('provider "aws" {\n' + "\n".join(lines) + "\n}\n")
    return "\n".join(blocks)


def relax_pins(ws: Workspace, version: str, *, core: bool) -> list[str]:
    """Replace every module's aws provider pin by the mirror's ``version`` (and, with
    ``core``, its required Terraform version by any), in override files; returns one
    line per pin relaxed, naming the file and the original constraint."""
    notes: list[str] = []
    for directory in ws.dirs:
        pins: list[str] = []
        for tf in _tf_files(directory):
            if tf.name.startswith("vpcwire_"):
                continue
            for pin in _AWS_PIN.findall(_text(tf)):
                pins.append(pin)
                notes.append(
                    f"{_shown(ws, tf)}: the aws provider pin {pin!r} relaxed to {version}, the "
                    "version this machine's provider mirror holds"
                )
        if not pins and not core:
            continue
        body = ""
        if pins:
            body += (
                "  required_providers {\n    aws = {\n"
                f'      source  = "hashicorp/aws"\n      version = "{version}"\n    }}\n  }}\n'
            )
        if core:
            body += '  required_version = ">= 0.0.0"\n'
        (directory / RELAX_OVERRIDE).write_text(HEADER + "terraform {\n" + body + "}\n")
    if core:
        notes.append("the configuration's required Terraform version relaxed to this terraform's")
    return notes


def _shown(ws: Workspace, path: Path) -> str:
    try:
        return str(path.relative_to(ws.root))
    except ValueError:
        return path.name


def block_end(text: str, open_index: int) -> int:
    """The index of the ``}`` closing the ``{`` at ``open_index`` (braces inside strings and
    comments do not count); ``len(text)`` if it never closes."""
    depth = 0
    i = open_index
    n = len(text)
    while i < n:
        c = text[i]
        if c == '"':
            i += 1
            while i < n and text[i] != '"':
                i += 2 if text[i] == "\\" else 1
        elif c == "#" or text.startswith("//", i):
            while i < n and text[i] != "\n":
                i += 1
        elif text.startswith("/*", i):
            close = text.find("*/", i + 2)
            i = n if close < 0 else close + 1
        elif c == "{":
            depth += 1
        elif c == "}":
            depth -= 1
            if depth == 0:
                return i
        i += 1
    return n


def defer_data_source(ws: Workspace, filename: str, byte: int) -> bool:
    """Make the data block whose ``{`` terraform located at ``filename``:``byte`` read only at
    apply (so every value it has is unknown at plan time), by a ``depends_on`` on
    :data:`UNKNOWN_RESOURCE`, declared beside it. False if the block is not found there
    or is already deferred."""
    path = (ws.root / filename).resolve()
    try:
        data = path.read_bytes()
    except OSError:
        return False
    start = data.find(b"{", byte)
    if start < 0:
        return False
    text = data.decode("utf-8", errors="surrogateescape")
    start = len(data[:start].decode("utf-8", errors="surrogateescape"))
    end = block_end(text, start)
    body = text[start:end]
    if UNKNOWN_RESOURCE in body:
        return False
    existing = re.search(r"\bdepends_on\s*=\s*\[", body)
    if existing:
        at = start + existing.end()
        text = text[:at] + f"{UNKNOWN_RESOURCE}, " + text[at:]
    else:
        at = start + 1
        text = text[:at] + f"\n  depends_on = [{UNKNOWN_RESOURCE}] # vpcwire: unknown\n" + text[at:]
    path.write_bytes(text.encode("utf-8", errors="surrogateescape"))
    marker = path.parent / UNKNOWN_FILE
    if not marker.exists():
        marker.write_text(HEADER + 'resource "terraform_data" "vpcwire_unknown" {}\n')
    return True
