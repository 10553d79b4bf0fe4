"""Writing outputs so that a failure or a kill never leaves a half-written file.

Everything is written under a temporary name in the destination's own folder (so the final
rename is atomic on the same file system) and renamed into place only when complete; the
previous version stays intact until that moment.
"""

from __future__ import annotations

import contextlib
import ctypes
import errno
import os
import re
import shutil
import signal
import stat
import sys
import tempfile
import threading
from collections.abc import Callable, Iterable, Iterator
from pathlib import Path

from audioleaflet import faults
from audioleaflet.errors import OutputError, ToolError

TMP_MARK = ".partial-"
STAGING_MARK = ".staging-"
# Errors only a write can meet: whatever raised one, the file being written is what failed.
WRITE_ERRNOS = frozenset({errno.ENOSPC, errno.EFBIG, errno.EDQUOT, errno.EROFS})
# Errors a read can meet too: they mean the write only when they name the file being written.
# EISDIR: a folder stands where the file goes (renaming onto it names the temporary file too).
ACCESS_ERRNOS = frozenset({errno.EACCES, errno.EPERM, errno.EISDIR})
# How `programs.ffmpeg` reports a program the system stopped for writing past `ulimit -f`.
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


def _writer() -> str:
    """Who writes: the process (whose death makes its leftovers removable) and the thread, since
    two threads of one build may write the same content-named file (two identical chapters)."""
    return f"{os.getpid()}-{threading.get_native_id()}"


def _temporary_name(dest: Path) -> Path:
    return dest.with_name(f".{dest.name}{TMP_MARK}{_writer()}")


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
    old = dest.with_name(f".{dest.name}.old-{_writer()}")
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


_LEFTOVER = re.compile(
    rf"^\.(?P<name>.+?)(?:{re.escape(TMP_MARK)}|\.old-|{re.escape(STAGING_MARK)})(?P<pid>\d+)"
)


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


def remove_leftovers(folder: Path, name: str | None = None) -> None:
    """Tidy what a killed build left behind (with `name`: only the leftovers of that file or
    folder); another build still running is left alone.

    A folder set aside by `atomic_folder` or `swap_folder` whose replacement never arrived is
    put back; a staging folder (a new version not yet switched in) is deleted.
    """
    if not folder.is_dir():
        return
    for path in sorted(folder.iterdir()):
        match = _LEFTOVER.match(path.name)
        if not match or name not in (None, match["name"]) or _alive(int(match["pid"])):
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
        if exc.errno is None and exc.filename is None:
            return None  # not the file system's (a network connection closing, say)
        # A copy that fails to write names its source first and the destination second.
        written = _path(exc.filename2) if exc.errno in WRITE_ERRNOS else None
        path, code = written or _path(exc.filename) or work, exc.errno or 0
    else:
        return None
    path = _published_name(path)
    what = f"a temporary file in {work}" if path == work else str(path)
    reason = os.strerror(code) if code else str(exc)
    cure = _CURES.get(code, "check that folder")
    places = {**places, work: "another folder for temporary files with TMPDIR=..."}
    for folder, other in places.items():
        if path.absolute().is_relative_to(folder.absolute()):
            return OutputError(f"cannot write {what}: {reason}; {cure}, or choose {other}")
    return OutputError(f"cannot write {what}: {reason}; {cure}")


def _published_name(path: Path) -> Path:
    """`out/.en.staging-12/x.mp3` -> `out/en/x.mp3`: the user knows the file by the name it
    is published under, not the folder it was being put together in."""
    parts = [
        match["name"] if (match := _LEFTOVER.match(part)) and STAGING_MARK in part else part
        for part in path.parts
    ]
    return Path(*parts) if parts else path


def _path(name: object) -> Path | None:
    """An OSError's file name as a path (it may be missing, bytes, or a descriptor)."""
    return Path(os.fsdecode(name)) if isinstance(name, str | bytes | os.PathLike) else None


def is_leftover(name: str) -> bool:
    """Whether `name` is a temporary, set-aside or staging name of this module's writers."""
    return _LEFTOVER.match(name) is not None


def staging_name(dest: Path) -> Path:
    """Where a new version of folder `dest` is put together before `swap_folder`."""
    return dest.with_name(f".{dest.name}{STAGING_MARK}{os.getpid()}")


def link_tree(src: Path, dst: Path, skip: Callable[[str], bool] = lambda _rel: False) -> None:
    """Add to folder `dst` a hard link to every file under `src` that `dst` lacks.

    What `dst` already holds wins: its folders are filled in, its files kept. `skip` is given
    each path relative to `src` (`a/b.mp3`) and leaves out those it answers True for, with
    their contents. Folders made keep `src`'s permissions. Where hard links cannot be made,
    files are copied. Leftovers of a killed build are never carried over.
    """
    _link_into(src, dst, "", skip)


def _link_into(src: Path, dst: Path, rel: str, skip: Callable[[str], bool]) -> None:
    # One system call per file where it can: a folder of 200 leaflets holds 6,400 files.
    with os.scandir(src) as entries:
        for entry in entries:
            here = rel + entry.name
            if skip(here) or _LEFTOVER.match(entry.name):
                continue
            target = dst / entry.name
            if entry.is_dir(follow_symlinks=False):
                try:
                    target.mkdir()
                    target.chmod(stat.S_IMODE(entry.stat(follow_symlinks=False).st_mode))
                except FileExistsError:
                    if target.is_symlink() or not target.is_dir():
                        continue  # `dst` holds something else by that name: it wins
                _link_into(Path(entry.path), target, here + "/", skip)
            else:
                with contextlib.suppress(FileExistsError):
                    _link(Path(entry.path), target, entry.is_symlink())


def _link(src: Path, dst: Path, symlink: bool) -> None:
    if symlink:
        dst.symlink_to(src.readlink())
        return
    try:
        os.link(src, dst, follow_symlinks=False)
    except OSError as exc:
        # FAT, some network shares, or an inode at its link limit.
        if exc.errno not in (errno.EPERM, errno.EMLINK, errno.ENOTSUP, errno.EOPNOTSUPP):
            raise
        shutil.copy2(src, dst)


_AT_FDCWD = -100
_RENAME_EXCHANGE = 2


def _load_renameat2() -> Callable[..., int] | None:
    if not sys.platform.startswith("linux"):
        return None
    try:
        function = ctypes.CDLL(None, use_errno=True).renameat2  # glibc 2.28 and later
    except (OSError, AttributeError):
        return None
    function.argtypes = [ctypes.c_int, ctypes.c_char_p, ctypes.c_int, ctypes.c_char_p,
                         ctypes.c_uint]  # fmt: skip
    function.restype = ctypes.c_int
    return function


_RENAMEAT2 = _load_renameat2()


def exchange(first: Path, second: Path) -> bool:
    """Swap two existing paths in one atomic step; False where the system cannot."""
    if _RENAMEAT2 is None:
        return False
    done = _RENAMEAT2(_AT_FDCWD, os.fsencode(first), _AT_FDCWD, os.fsencode(second),
                      _RENAME_EXCHANGE)  # fmt: skip
    if done == 0:
        return True
    code = ctypes.get_errno()
    # No such call (old kernel, a sandbox's filter) or a file system without the flag.
    if code in (errno.ENOSYS, errno.EINVAL, errno.EPERM, errno.ENOTSUP, errno.EOPNOTSUPP):
        return False
    raise OSError(code, os.strerror(code), str(first), None, str(second))


def swap_folder(new: Path, dest: Path, use_exchange: bool = True) -> Path | None:
    """Put folder `new` in the place of folder `dest` as a whole; return where the old
    `dest` went (for the caller to delete), or None when there was none.

    On Linux one `renameat2(RENAME_EXCHANGE)`: a reader sees the old folder or the new one,
    never neither. Elsewhere the old one is moved aside first, so a kill between the two
    renames leaves no `dest` until `remove_leftovers` puts the old one back.
    """
    if not dest.exists():
        new.replace(dest)
        return None
    if use_exchange and exchange(new, dest):
        return new
    aside = dest.with_name(f".{dest.name}.old-{_writer()}")
    dest.replace(aside)
    faults.after("aside")
    new.replace(dest)
    return aside
