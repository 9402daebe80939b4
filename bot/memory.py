"""Work that builds millions of objects at once (reading a big file, importing it) without the cycle collector."""

from __future__ import annotations

import gc
from collections.abc import Iterator
from contextlib import contextmanager


@contextmanager
def cycle_collector_paused() -> Iterator[None]:
    """Pause the cycle collector for the block; it runs again as before when the block ends.

    Reading and importing a 100,000-activity file keeps millions of acyclic objects alive, so every
    full collection rescans them all: pausing made the import ~20% faster. Cycles made meanwhile
    wait for the next collection after the block.
    """
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()
