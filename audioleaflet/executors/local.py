"""Worker processes on this machine: the default executor.

"spawn" gives each worker a fresh interpreter, never a fork of a parent holding C state
(espeak-ng keeps global state in its library), and every worker dies with the build.
"""

from __future__ import annotations

import multiprocessing
import os
from collections.abc import Callable, Iterator, Sequence
from concurrent.futures import ProcessPoolExecutor
from typing import Any, TypeVar

from audioleaflet.executors import LOCAL, Done
from audioleaflet.lifetime import die_with_parent

# Sentences sent to a worker at once: a few seconds of speech each, so a chunk's PCM stays
# within a few megabytes however long the leaflet.
MAX_CHUNK = 16
T = TypeVar("T")
R = TypeVar("R")


class LocalExecutor:
    """A process pool of at most `jobs` workers, started on first use."""

    name = LOCAL

    def __init__(self, jobs: int) -> None:
        self.jobs = max(1, jobs)
        self._pool: ProcessPoolExecutor | None = None

    def __enter__(self) -> LocalExecutor:
        return self

    def __exit__(self, *exc: object) -> None:
        if self._pool is not None:
            self._pool.shutdown(wait=True, cancel_futures=True)

    def _started(self, needed: int) -> ProcessPoolExecutor:
        if self._pool is None:
            self._pool = ProcessPoolExecutor(
                max_workers=min(self.jobs, needed),
                mp_context=multiprocessing.get_context("spawn"),
                initializer=die_with_parent,  # a killed build leaves no worker working on
                initargs=(os.getpid(),),
            )
        return self._pool

    def map(self, fn: Callable[[T], R], items: Sequence[T]) -> Iterator[Done[R]]:
        if not items:
            return
        pool = self._started(len(items))
        # Chunks amortise the pipe between processes; results still arrive in order. A chunk's
        # results (speech as PCM) are held whole in the worker and then in this process, so
        # its size is capped: at an eighth of an hour's sentences, the build process peaked at
        # 144 MB and a worker at 117 MB.
        chunk = max(1, min(MAX_CHUNK, len(items) // (self.jobs * 4)))
        try:
            for index, result in enumerate(pool.map(fn, items, chunksize=chunk)):
                yield Done(index, result, LOCAL)
        except BaseException:
            # The first failure (an online service down, say) ends the work now, not after
            # every queued item has failed in turn.
            pool.shutdown(wait=True, cancel_futures=True)
            self._pool = None
            raise

    def everywhere(self, fn: Callable[[], Any]) -> dict[str, Any]:
        # The pool's workers run this very installation: asking here answers for them.
        return {LOCAL: fn()}
