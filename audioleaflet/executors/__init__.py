"""Where the units of work run: worker processes on this machine, or a Dask cluster.

An executor runs one module-level function over many items and hands back each result as it
arrives, with the name of the worker that made it. It knows nothing of speech or audio: the
stages give it their work (today: speaking sentences, `audio/clips.py`). `local` is the default
and needs nothing; `dask://HOST:PORT` needs the `dask` extra and a running scheduler.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from typing import Any, Generic, Protocol, TypeVar

from audioleaflet.errors import InputError

T = TypeVar("T")
R = TypeVar("R")

EXECUTOR_ENV = "AUDIOLEAFLET_EXECUTOR"
LOCAL = "local"


@dataclass(frozen=True, slots=True)
class Done(Generic[R]):
    """One item's result, where it was made."""

    index: int
    """The item's position in what was given."""
    result: R
    worker: str
    """The worker that made it (`local` for this machine's pool, else the Dask worker's address)."""


class Executor(Protocol):
    """Runs work somewhere; used as a context manager that owns its workers or connection."""

    name: str
    """How the user named it, for messages (`local`, `dask://127.0.0.1:8786`)."""

    def __enter__(self) -> Executor: ...

    def __exit__(self, *exc: object) -> None: ...

    def map(self, fn: Callable[[T], R], items: Sequence[T]) -> Iterator[Done[R]]:
        """`fn` over `items`, results as they arrive; the first failure ends it and is raised."""
        ...

    def everywhere(self, fn: Callable[[], Any]) -> dict[str, Any]:
        """`fn()` on every worker there is now, by worker: to compare versions before work."""
        ...


@dataclass(frozen=True, slots=True)
class ExecutorChoice:
    """Which executor a build uses: `local`, or a Dask scheduler's address."""

    scheme: str
    address: str = ""

    @property
    def name(self) -> str:
        return LOCAL if self.scheme == LOCAL else f"dask://{self.address}"


def parse_executor(spec: str | None) -> ExecutorChoice:
    """`local` or `dask://HOST:PORT` (given, else `$AUDIOLEAFLET_EXECUTOR`, else `local`)."""
    given = (spec or os.environ.get(EXECUTOR_ENV) or LOCAL).strip()
    if given == LOCAL:
        return ExecutorChoice(LOCAL)
    scheme, sep, address = given.partition("://")
    host, colon, port = address.rpartition(":")
    if scheme == "dask" and sep and host and colon and port.isdigit() and "/" not in address:
        return ExecutorChoice("dask", address)
    raise InputError(
        f"executor {given!r} is neither 'local' nor 'dask://HOST:PORT' "
        "(e.g. dask://127.0.0.1:8786, the address `dask scheduler` prints)"
    )


def open_executor(choice: ExecutorChoice, jobs: int) -> Executor:
    """The executor `choice` names; `jobs` bounds the local pool (a cluster has its own size)."""
    if choice.scheme == LOCAL:
        from audioleaflet.executors.local import LocalExecutor

        return LocalExecutor(jobs)
    from audioleaflet.executors.cluster import DaskExecutor

    return DaskExecutor(choice.address)
