"""One build at a time per output folder.

Two builds into the same folder (a clinic's nightly cron job and a person at a terminal) would
each stage a language from the live folder and switch it in, the later one undoing the
earlier's leaflets. So a build holds `fcntl.flock` on `<output>/.audioleaflet.lock` from before
it tidies the folder until it has switched its last language in. The second build waits, with
a note naming the first build's process id: neither build is lost (the cron job has nobody to
run it again), and the person can see what it waits for and press Ctrl-C. The kernel releases
the lock when its holder ends, however it ends, so a killed build never blocks the next.

Where `fcntl` does not exist (Windows), builds are not locked.
"""

from __future__ import annotations

import contextlib
import os
from collections.abc import Callable, Iterator
from pathlib import Path

from audioleaflet.layout import OutputLayout

try:
    import fcntl
except ImportError:  # pragma: no cover - Windows
    fcntl = None  # type: ignore[assignment]


@contextlib.contextmanager
def output_lock(output: Path, note: Callable[[str], None]) -> Iterator[None]:
    """Hold the output folder's build lock, waiting (after a `note`) while another holds it."""
    if fcntl is None:
        yield
        return
    path = OutputLayout(output).lock
    fd = os.open(path, os.O_RDWR | os.O_CREAT, 0o644)
    try:
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            holder = os.pread(fd, 32, 0).decode(errors="replace").strip() or "?"
            note(
                f"waiting for another build (process {holder}) to finish writing {output}; "
                "press Ctrl-C to stop waiting"
            )
            fcntl.flock(fd, fcntl.LOCK_EX)
        # For the note of a build that comes while this one runs; emptied again at the end,
        # so that two builds of the same leaflets leave the same files.
        os.ftruncate(fd, 0)
        os.pwrite(fd, f"{os.getpid()}\n".encode(), 0)
        try:
            yield
        finally:
            os.ftruncate(fd, 0)
    finally:
        os.close(fd)  # releases the lock
