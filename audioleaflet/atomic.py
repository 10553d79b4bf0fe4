"""Writing outputs so that a failure or a kill never leaves a half-written file.

Everything is written under a temporary name in the destination's own folder (so the final
rename is atomic on the same file system) and renamed into place only when complete; the
previous version stays intact until that moment.
"""

from __future__ import annotations

import contextlib
import errno
import os
import re
import shutil
import signal
import tempfile
from collections.abc import Iterable, Iterator
from pathlib import Path

from audioleaflet.errors import OutputError, ToolError

TMP_MARK = ".partial-"
# Errors only a write can meet: whatever raised one, the file being written is what failed.
WRITE_ERRNOS = frozenset({errno.ENOSPC, errno.EFBIG, errno.EDQUOT, errno.EROFS})
# Errors a read can meet too: they mean the write only when they name the file being written.
ACCESS_ERRNOS = frozenset({errno.EACCES, errno.EPERM})
# How `audio.ffmpeg` reports a program the system stopped for writing past `ulimit -f`.
_SIGXFSZ = int(getattr(signal, "SIGXFSZ", 0))


class WriteError(OutputError):
    """A file could not be written (disk full, too large, read-only, refused); names the file
    that was being written, never the one being read."""

    def __init__(self, path: Path, code: int) -> None:
        super().__init__(f"cannot write {path}: {os.strerror(code)}")
        self.path = path
        self.code = code

    def __reduce__(self) -> tuple[type[WriteError], tuple[Path, int]]:
        # Raised in worker processes too: it must survive the trip back in one piece.
        return type(self), (self.path, self.code)


def _chain(exc: BaseException) -> Iterator[BaseException]:
    """`exc`, what caused it, and an error it wraps (mutagen wraps an OSError in its own)."""
    seen: set[int] = set()
    todo: list[BaseException | None] = [exc]
    while todo:
        error = todo.pop()
        if error is None or id(error) in seen:
            continue
        seen.add(id(error))
        yield error
        todo += [error.__cause__, error.__context__]
        todo += [arg for arg in error.args if isinstance(arg, BaseException)]


def write_failure(exc: BaseException, written: Iterable[Path]) -> int | None:
    """The errno with which writing one of `written` failed, if `exc` says it did."""
    names = {os.fspath(path) for path in written}
    for error in _chain(exc):
        if isinstance(error, OSError) and error.errno is not None:
            if error.errno in WRITE_ERRNOS:
                return error.errno
            named = {os.fspath(n) for n in (error.filename, error.filename2) if n is not None}
            if error.errno in ACCESS_ERRNOS and (not named or named & names):
                return error.errno
    if isinstance(exc, ToolError):
        return _program_write_failure(str(exc), written)
    return None


def _program_write_failure(message: str, written: Iterable[Path]) -> int | None:
    """Why another program (ffmpeg) failed to write one of `written`, from its message: it
    quotes the system's reason, or says it was stopped by SIGXFSZ (`ulimit -f`)."""
    if _SIGXFSZ and f"(signal {_SIGXFSZ})" in message:
        return errno.EFBIG  # the only cause of SIGXFSZ: a file grew past the size limit
    for code in (*WRITE_ERRNOS, *ACCESS_ERRNOS):
        if os.strerror(code) in message and (
            code in WRITE_ERRNOS or any(os.fspath(p) in message for p in written)
        ):
            return code
    return None


def _temporary_name(dest: Path) -> Path:
    return dest.with_name(f".{dest.name}{TMP_MARK}{os.getpid()}")


@contextlib.contextmanager
def atomic_file(dest: Path) -> Iterator[Path]:
    """Yield a temporary path; on success it replaces `dest`, on failure it is removed.

    A failure to write (disk full, file too large, read-only) raises `WriteError` naming
    `dest`, whatever raised it: a copy names its source, a short write names nothing.
    """
    tmp = _temporary_name(dest)
    try:
        yield tmp
        with tmp.open("rb+") as handle:
            os.fsync(handle.fileno())
        tmp.replace(dest)
    except WriteError:
        raise
    except Exception as exc:
        code = write_failure(exc, (tmp, dest))
        if code is None:
            raise
        raise WriteError(dest, code) from exc
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
    try:
        tmp.mkdir(parents=True)
        yield tmp
        if dest.exists():
            dest.replace(old)
        tmp.replace(dest)
    except WriteError:
        raise
    except Exception as exc:
        named = [_path(e.filename) for e in _chain(exc) if isinstance(e, OSError)]
        written = [path for path in named if path is not None and path.is_relative_to(tmp)]
        code = write_failure(exc, [tmp, dest, *written])
        if code is None:
            raise
        # A file inside the set is named where it was to be: `dest/NN-x.mp3`, not the temporary.
        failed = dest / written[0].relative_to(tmp) if written else dest
        raise WriteError(failed, code) from exc
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


def writable_folder(folder: Path, what: str, option: str) -> None:
    """Make sure `folder` is a folder this process can write in, with one clear line if not."""
    if os.path.lexists(folder) and not folder.is_dir():
        raise OutputError(f"{what} {folder} is not a folder; choose another with {option}")
    try:
        folder.mkdir(parents=True, exist_ok=True)
        with tempfile.TemporaryFile(dir=folder):
            pass
    except OSError as exc:
        raise OutputError(
            f"cannot write to {what} {folder}: {exc.strerror or exc}; choose another with {option}"
        ) from None


_CURES = {
    errno.ENOSPC: "free some space on that disk",
    errno.EDQUOT: "free some space within your disk quota",
    errno.EFBIG: "it is larger than this system lets a process write (ulimit -f) or the file "
    "system allows",
    errno.EROFS: "that file system is read-only",
    errno.EACCES: "you may not write there",
    errno.EPERM: "you may not write there",
}


def explain_write_failure(exc: BaseException, places: dict[Path, str]) -> OutputError | None:
    """One line for a failed write: the file that failed, and what to do about it, choosing
    among `places` (folder -> "another X with --option") by where the file is; None when `exc`
    is not about writing.

    Files outside every place are the build's temporary work files (in `tempfile`'s folder).
    """
    work = Path(tempfile.gettempdir())
    if isinstance(exc, WriteError):
        path, code = exc.path, exc.code
    elif isinstance(exc, ToolError):
        # ffmpeg writing into the temporary work folder; the cache's and the output's own
        # files are named by `atomic_file`.
        found = write_failure(exc, ())
        if found is None:
            return None
        path, code = work, found
    elif isinstance(exc, OSError):
        # A copy that fails to write names its source first and the destination second.
        written = _path(exc.filename2) if exc.errno in WRITE_ERRNOS else None
        path, code = written or _path(exc.filename) or work, exc.errno or 0
    else:
        return None
    what = f"a temporary file in {work}" if path == work else str(path)
    reason = os.strerror(code) if code else str(exc)
    cure = _CURES.get(code, "check that folder")
    places = {**places, work: "another folder for temporary files with TMPDIR=..."}
    for folder, other in places.items():
        if path.absolute().is_relative_to(folder.absolute()):
            return OutputError(f"cannot write {what}: {reason}; {cure}, or choose {other}")
    return OutputError(f"cannot write {what}: {reason}; {cure}")


def _path(name: object) -> Path | None:
    """An OSError's file name as a path (it may be missing, bytes, or a descriptor)."""
    return Path(os.fsdecode(name)) if isinstance(name, str | bytes | os.PathLike) else None
