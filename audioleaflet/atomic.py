"""Writing outputs so that a failure or a kill never leaves a half-written file.

Everything is written under a temporary name in the destination's own folder (so the final
rename is atomic on the same file system) and renamed into place only when complete; the
previous version stays intact until that moment.
"""

from __future__ import annotations

import contextlib
import os
import re
import shutil
from collections.abc import Iterator
from pathlib import Path

TMP_MARK = ".partial-"


def _temporary_name(dest: Path) -> Path:
    return dest.with_name(f".{dest.name}{TMP_MARK}{os.getpid()}")


@contextlib.contextmanager
def atomic_file(dest: Path) -> Iterator[Path]:
    """Yield a temporary path; on success it replaces `dest`, on failure it is removed."""
    tmp = _temporary_name(dest)
    try:
        yield tmp
        with tmp.open("rb+") as handle:
            os.fsync(handle.fileno())
        tmp.replace(dest)
    finally:
        tmp.unlink(missing_ok=True)


def write_bytes(dest: Path, data: bytes) -> None:
    with atomic_file(dest) as tmp:
        tmp.write_bytes(data)


@contextlib.contextmanager
def atomic_folder(dest: Path) -> Iterator[Path]:
    """Yield a temporary folder; on success it takes the place of `dest` as a whole.

    A folder cannot be renamed over a non-empty one, so the old one is moved aside first and
    deleted after; a kill between the two renames leaves the old set aside, never a mixed set.
    """
    tmp = _temporary_name(dest)
    old = dest.with_name(f".{dest.name}.old-{os.getpid()}")
    shutil.rmtree(tmp, ignore_errors=True)
    tmp.mkdir(parents=True)
    try:
        yield tmp
        if dest.exists():
            dest.replace(old)
        tmp.replace(dest)
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
        shutil.rmtree(old, ignore_errors=True)


_LEFTOVER = re.compile(rf"^\.(?P<name>.+?)(?:{re.escape(TMP_MARK)}|\.old-)(?P<pid>\d+)")


def _alive(pid: int) -> bool:
    if pid == os.getpid():
        return False
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def remove_leftovers(folder: Path) -> None:
    """Tidy what a killed build left behind; another build still running is left alone.

    A folder set aside by `atomic_folder` whose replacement never arrived is put back.
    """
    if not folder.is_dir():
        return
    for path in sorted(folder.iterdir()):
        match = _LEFTOVER.match(path.name)
        if not match or _alive(int(match["pid"])):
            continue
        original = folder / match["name"]
        if ".old-" in path.name and path.is_dir() and not original.exists():
            path.replace(original)
        elif path.is_dir():
            shutil.rmtree(path, ignore_errors=True)
        else:
            path.unlink(missing_ok=True)
