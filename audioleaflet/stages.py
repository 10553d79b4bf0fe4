"""Where a build's time goes: wall-clock seconds per stage, when `$AUDIOLEAFLET_STAGES` is set.

`scripts/bench.py` sets it and reads the `stages:` line the build reports; otherwise nothing is
recorded. Stages of several leaflets add up.
"""

from __future__ import annotations

import contextlib
import os
import threading
import time
from collections.abc import Iterator

STAGES_ENV = "AUDIOLEAFLET_STAGES"
_seconds: dict[str, float] = {}
_lock = threading.Lock()


@contextlib.contextmanager
def stage(name: str) -> Iterator[None]:
    """Time the body as part of stage `name`."""
    start = time.perf_counter()
    try:
        yield
    finally:
        if os.environ.get(STAGES_ENV):
            with _lock:
                _seconds[name] = _seconds.get(name, 0.0) + time.perf_counter() - start


def summary() -> str | None:
    """`stages: speak 0.51 s, gains 0.30 s, ...` since the last summary, or None if not asked."""
    if not os.environ.get(STAGES_ENV):
        return None
    with _lock:
        parts = [f"{name} {seconds:.2f} s" for name, seconds in _seconds.items()]
        _seconds.clear()
    return "stages: " + ", ".join(parts)
