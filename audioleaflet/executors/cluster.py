"""A Dask cluster as the executor (`--executor dask://HOST:PORT`, the `dask` extra).

Dask's own machinery does the hard parts: futures submitted with retries, results taken
`as_completed`, and the work of a worker that dies (killed, out of memory) run again elsewhere
by the scheduler. We add only what a build needs: one clear line when the scheduler cannot be
reached or has no workers, and the worker's address beside every result.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence
from typing import Any, TypeVar, cast

from audioleaflet.errors import InputError, ToolError
from audioleaflet.executors import Done

T = TypeVar("T")
R = TypeVar("R")

CONNECT_SECONDS = 10
"""How long to try to reach the scheduler, and then to wait for a first worker."""
FETCH_ATTEMPTS = 5
"""Fetches of one result whose worker died in between, before the build gives up."""
RETRIES = 2
"""Extra tries of an item whose function raised on a worker (a lost worker is not counted)."""


def _located(fn: Callable[[T], R], item: T) -> tuple[str, R]:
    """Runs on a worker: `fn(item)` and the worker's address, so a build can say who spoke."""
    from distributed import get_worker

    return get_worker().address, fn(item)


def _result(future: Any) -> tuple[str, Any]:
    """A finished future's result. The worker holding it may die before we fetch it; the
    scheduler then computes it again elsewhere (the future is still wanted), so wait again."""
    for _attempt in range(FETCH_ATTEMPTS - 1):
        try:
            return cast(tuple[str, Any], future.result())
        except OSError:  # distributed's CommClosedError: the connection to that worker closed
            continue
    try:
        return cast(tuple[str, Any], future.result())
    except OSError as exc:
        raise ToolError(f"lost the Dask workers holding finished sentences ({exc})") from None


class DaskExecutor:
    """A client of the Dask scheduler at `address` (host:port)."""

    def __init__(self, address: str) -> None:
        self.address = address
        self.name = f"dask://{address}"
        self._client: Any = None

    def __enter__(self) -> DaskExecutor:
        try:
            from distributed import Client
        except ImportError:
            raise InputError(
                f"--executor {self.name} needs Dask: pip install 'audioleaflet[dask]'"
            ) from None
        try:
            self._client = Client(
                f"tcp://{self.address}", timeout=f"{CONNECT_SECONDS}s", set_as_default=False
            )
        except (OSError, TimeoutError) as exc:
            raise ToolError(
                f"cannot reach the Dask scheduler at {self.name} ({exc}); start one with "
                "`dask scheduler`, or build here with --executor local"
            ) from None
        try:
            self._client.wait_for_workers(1, timeout=CONNECT_SECONDS)
        except TimeoutError:
            self._client.close()
            raise ToolError(
                f"the Dask scheduler at {self.name} has no workers after {CONNECT_SECONDS} s; "
                f"start some with `dask worker tcp://{self.address}`"
            ) from None
        return self

    def __exit__(self, *exc: object) -> None:
        if self._client is not None:
            self._client.close()
            self._client = None

    def map(self, fn: Callable[[T], R], items: Sequence[T]) -> Iterator[Done[R]]:
        from distributed import as_completed
        from distributed.scheduler import KilledWorker

        if not items:
            return
        # pure=False: each item is its own task even when two are equal (the caller dedupes).
        futures = self._client.map(_located, [fn] * len(items), items, retries=RETRIES, pure=False)
        index = {future.key: n for n, future in enumerate(futures)}
        try:
            # Our client is not Dask's default one (a library must not take that over): name
            # its event loop, or as_completed looks for a default client.
            for future in as_completed(futures, loop=self._client.loop):
                worker, result = _result(future)
                yield Done(index[future.key], result, worker)
        except OSError as exc:
            raise ToolError(
                f"lost the connection to the Dask scheduler at {self.name} ({exc}); "
                "check that it still runs, then build again (spoken sentences are kept)"
            ) from None
        except KilledWorker as exc:
            raise ToolError(
                f"Dask workers of {self.name} kept dying on the same work ({exc}); see the "
                "workers' logs (memory limits?)"
            ) from None
        finally:
            self._client.cancel([f for f in futures if not f.done()])

    def everywhere(self, fn: Callable[[], Any]) -> dict[str, Any]:
        answers: dict[str, Any] = self._client.run(fn)
        return answers
