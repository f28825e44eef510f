"""A guard that turns a hang or a runaway allocation into a test failure.

Not a timing assertion: the bounds are generous (a case takes well under a second) and
only stop a run that would otherwise hang the suite or take the machine's memory. Time is
bounded with an interval timer raising :class:`Hang` (a BaseException, so no ``except
Exception`` on the way up can take it for the scanned configuration's fault); memory with a
lowered address-space limit, which makes a runaway allocation a MemoryError (an internal
error at the command line: a failure too).
"""

from __future__ import annotations

import resource
import signal
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from types import FrameType

__all__ = ["Hang", "bounded"]


class Hang(BaseException):
    """The guarded code ran past its time bound."""


def _address_space() -> int:
    """The process's current virtual size, in bytes."""
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmSize:"):
            return int(line.split()[1]) * 1024
    return 0


@contextmanager
def bounded(seconds: float, megabytes: int) -> Iterator[None]:
    def expired(signum: int, frame: FrameType | None) -> None:
        raise Hang(f"still running after {seconds} s")

    previous = signal.signal(signal.SIGALRM, expired)
    soft, hard = resource.getrlimit(resource.RLIMIT_AS)
    limit = _address_space() + megabytes * 1024 * 1024
    if hard != resource.RLIM_INFINITY:
        limit = min(limit, hard)
    resource.setrlimit(resource.RLIMIT_AS, (limit, hard))
    signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)
        resource.setrlimit(resource.RLIMIT_AS, (soft, hard))
