"""Keeping Python's cyclic garbage collector away from the engine's long-lived data.

The engine builds hundreds of thousands of small immutable objects (compiled rules, route
look-ups, nodes) that live as long as the engine and form no garbage cycles. The collector
cannot know that: while they are being built it runs a full collection every time the
young generations fill up, walking everything allocated so far (58-77 % of the index build
at 1,000-10,000 VPCs, measured), and afterwards every full collection walks them again,
which is how a single trace came to pause for 0.2 s at 1,000 VPCs and 1.8 s at 10,000.

So construction runs with the collector paused, and afterwards what exists is moved to the
permanent generation (``gc.freeze()``), which collections skip. Reference counting still
frees those objects when the last reference goes; only cycles among them would outlive the
engine, and the engine makes none. Freezing is process-wide, so it is done only for
networks big enough for the pauses to matter.
"""

from __future__ import annotations

import gc
from collections.abc import Iterator
from contextlib import contextmanager

__all__ = ["FREEZE_ABOVE", "REFREEZE_EVERY", "collector_paused", "freeze_long_lived"]

# Resources in a Network above which the engine freezes what it built (a few thousand
# objects are walked by a full collection in well under a millisecond).
FREEZE_ABOVE = 5_000

# Memoised path stretches (each a few dozen objects) after which the engine freezes again:
# without it, what traces memoise reaches the oldest generation and a full collection walks
# it, touching every object it refers to (0.1-0.5 s at 1,000 VPCs, measured).
REFREEZE_EVERY = 2_000


@contextmanager
def collector_paused() -> Iterator[None]:
    """Pause the cyclic collector in the block; restore its previous state after."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


def freeze_long_lived() -> None:
    """Move every object alive now to the permanent generation (collections skip it)."""
    gc.freeze()
