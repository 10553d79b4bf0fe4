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
import stat
import sys
from collections.abc import Callable, Iterator
from pathlib import Path

from audioleaflet import faults

TMP_MARK = ".partial-"
STAGING_MARK = ".staging-"


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
    aside = dest.with_name(f".{dest.name}.old-{os.getpid()}")
    dest.replace(aside)
    faults.after("aside")
    new.replace(dest)
    return aside
