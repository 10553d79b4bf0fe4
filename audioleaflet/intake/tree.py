"""What a build may read: regular files inside the source folder it was given.

Content often comes from a shared repository, and builds often run as root on a server, so a
leaflet must not be able to publish the server's own files: a leaflet text, `leaflet.toml`,
cover, lexicon, voice or `podcast.toml` that leads outside its source folder (through a link,
`..` or an absolute path) is refused unless the user passes `--follow-symlinks`. Links that
stay inside the folder keep working. A file named on the command line is read as given.

The source folder is the folder named on the command line; for a leaflet folder named
directly, the folder it sits in, because that is where its shared `podcast.toml`, `lexicon/`,
`voices/` and covers are looked for.

A FIFO, device or socket is refused before it is opened: opening a FIFO for reading waits
forever for a writer, and `/dev/zero` never ends.
"""

from __future__ import annotations

import os
import stat
from dataclasses import dataclass
from pathlib import Path

from audioleaflet.errors import InputError

FOLLOW_OPTION = "--follow-symlinks"
MANIFEST = "leaflet.toml"

_KINDS = (
    (stat.S_ISDIR, "a folder"),
    (stat.S_ISFIFO, "a named pipe (FIFO)"),
    (stat.S_ISCHR, "a character device"),
    (stat.S_ISBLK, "a block device"),
    (stat.S_ISSOCK, "a socket"),
)


def _kind(mode: int) -> str:
    return next((name for test, name in _KINDS if test(mode)), "not a regular file")


def regular_file(path: Path, expected: str) -> Path:
    """`path`, if it is (or links to) a regular file; else one line saying what it is.

    `expected` completes "expected ...", e.g. "a .txt or .md file".
    """
    problem = not_regular(path, expected)
    if problem:
        raise InputError(f"{path}: {problem}")
    return path


def not_regular(path: Path, expected: str) -> str | None:
    """Why `path` is not a regular file one can read, or None if it is one."""
    try:
        mode = path.stat().st_mode
    except FileNotFoundError:
        if path.is_symlink():
            return f"is a link to {path.readlink()}, which does not exist; fix or remove the link"
        return "no such file; check the path"
    except OSError as exc:  # a loop of links, a folder we may not enter
        return f"cannot read it: {exc.strerror or exc}"
    if not stat.S_ISREG(mode):
        return f"is {_kind(mode)}, expected {expected}"
    return None


def is_present(path: Path) -> bool:
    """True if anything is at `path`, even a dangling link or a FIFO (`exists()` says False for
    the first, `is_file()` for both: either would drop the file silently)."""
    return os.path.lexists(path)


def shared_folder(source: Path) -> Path:
    """The folder whose `podcast.toml`, `lexicon/` and `voices/` apply to `source`: a folder of
    leaflets itself; the folder around a leaflet folder or a file."""
    if source.is_dir() and not is_present(source / MANIFEST):
        return source
    # `.` and `..` have no parent of their own to name: `Path(".").parent` is `.` again.
    return source.parent if source.name not in ("", "..") else source.resolve().parent


@dataclass(frozen=True, slots=True)
class SourceTree:
    """The folder a build's sources must stay inside, and whether the user lifted that rule."""

    given: Path
    """The folder as the user named it (for messages)."""
    follow: bool = False
    """`--follow-symlinks`: read files wherever they lead."""

    @classmethod
    def of(cls, source: Path, follow: bool = False) -> SourceTree:
        """The tree of a source named on the command line (a folder, or a file's folder)."""
        return cls(shared_folder(source), follow)

    def check(self, path: Path, expected: str) -> Path:
        """`path` if it is a regular file inside the tree; else one line saying why not."""
        problem = self.problem(path, expected)
        if problem:
            raise InputError(f"{path}: {problem}")
        return path

    def inside(self, path: Path) -> Path:
        """`path` if it resolves inside the tree (or links may be followed)."""
        problem = self.outside(path)
        if problem:
            raise InputError(f"{path}: {problem}")
        return path

    def problem(self, path: Path, expected: str) -> str | None:
        """Why `path` may not be read as `expected`, or None."""
        return self.outside(path) or not_regular(path, expected)

    def outside(self, path: Path) -> str | None:
        """How `path` leads outside the tree, or None if it stays inside (or may leave)."""
        if self.follow:
            return None
        root = self.given.resolve()
        real = path.resolve()
        if real == root or real.is_relative_to(root):
            return None
        return (
            f"leads outside the source folder {self.given} (to {real}); "
            f"move it into the folder, or pass {FOLLOW_OPTION} to read it anyway"
        )
