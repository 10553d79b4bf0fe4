"""How many worker processes a build may start: never more than the CPUs it may run on.

A worker per sentence on a 2-core machine only makes the workers wait for each other, and each
one holds its own engine and voice in memory.
"""

from __future__ import annotations

import os
from collections.abc import Callable

from audioleaflet.errors import InputError


def usable_cpus() -> int:
    """The CPUs this process may run on: its affinity mask or cgroup share where the platform
    tells (`os.process_cpu_count` on 3.13+, `sched_getaffinity`), else every CPU."""
    counter = getattr(os, "process_cpu_count", None)
    if counter is not None:
        count: int | None = counter()
    elif hasattr(os, "sched_getaffinity"):
        count = len(os.sched_getaffinity(0))
    else:
        count = os.cpu_count()
    return max(1, count or 1)


def capped_jobs(jobs: int | None, note: Callable[[str], None] = lambda _line: None) -> int:
    """`jobs` (default: one per usable CPU), at most one per usable CPU; a cut is noted."""
    cpus = usable_cpus()
    if jobs is None:
        return cpus
    if isinstance(jobs, bool) or jobs < 1:
        raise InputError(f"--jobs {jobs} must be 1 or more (at most {cpus} here)")
    if jobs > cpus:
        noun = "CPU" if cpus == 1 else "CPUs"
        note(f"note: --jobs {jobs} is more than the {cpus} {noun} here; using {cpus}")
        return cpus
    return jobs
