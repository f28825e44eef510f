"""A stack's working directory is readable by its owner only.

On AWS a Terraform state holds every resource's attributes and the stack's outputs, and
terraform's log repeats them: a 0644 state in a 0755 directory shows them to every user of
the machine. The working directory is therefore 0700 and the state, its backup, vpcwire's
timestamped copies and terraform's logs are 0600; terraform itself runs with umask 077, so
what it writes later (a new state, a backup, its lock file) is born private.
"""

from __future__ import annotations

import contextlib
import os
from pathlib import Path

__all__ = ["PRIVATE_DIR", "PRIVATE_FILE", "TERRAFORM_UMASK", "make_private", "private_copy"]

PRIVATE_DIR = 0o700
PRIVATE_FILE = 0o600
TERRAFORM_UMASK = 0o077
# what holds resource details: the state and its copies, terraform's output
_PATTERNS = ("terraform.tfstate*", "state-history/*", "terraform.log", ".terraform-*")


def make_private(workdir: Path) -> None:
    """Create ``workdir`` (0700) or tighten an existing one, with the files that hold state.

    Tightening, not only creating: a working directory left by an older vpcwire had 0644
    states in a 0755 directory.
    """
    workdir.mkdir(mode=PRIVATE_DIR, parents=True, exist_ok=True)
    _chmod(workdir, PRIVATE_DIR)
    history = workdir / "state-history"
    if history.is_dir():
        _chmod(history, PRIVATE_DIR)
    for pattern in _PATTERNS:
        for path in workdir.glob(pattern):
            if path.is_file() and not path.is_symlink():
                _chmod(path, PRIVATE_FILE)


def private_copy(path: Path) -> None:
    """A copy of a state just written (``shutil.copy2`` keeps the source's mode): 0600."""
    _chmod(path, PRIVATE_FILE)


def _chmod(path: Path, mode: int) -> None:
    # a file that vanished meanwhile, or one the user does not own, is left as it is
    with contextlib.suppress(OSError):
        if (path.stat().st_mode & 0o777) != mode:
            os.chmod(path, mode)
