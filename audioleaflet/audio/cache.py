"""The cache: spoken clips and encoded audio kept between builds, named by what decides them.

A clip's file name is the hash of the engine, its version and settings, the voice and the
spoken text (`clips.clip_key`), so a clip is reused exactly when it would sound the same, and
editing one sentence of a leaflet speaks that sentence again and nothing else. Encoded chapters
and books are named the same way (`encoded.py`), and so are the loudness figures.

A name says what an entry should hold, not that the file on disk holds it: a disk, a copy or a
kill can leave it truncated or damaged, and a build that reused it would publish the damage on
every rebuild. So every entry has a sidecar `<entry>.sum` with its size and SHA-256 (the
fastest hash here: 1.1 GB/s with the CPU's SHA instructions, against 0.87 for BLAKE2b) and
the entry's own name, and is checked against it before each use (`Verifier`): an entry copied
over another together with its sidecar says whose it is. One that fails, or is not a regular
file at all (a folder, a named pipe that would block the build), is reported in one line,
deleted and made again; the build goes on and gives the same bytes a clean cache would.

Writing (`cache_entry`): the entry goes to a temporary name; its sidecar is written (itself
atomically) from that complete file; then the entry is renamed into place. A kill at any point
leaves either the old state, or a sidecar that does not match, which the next build remakes.
The sidecar comes first so that another build sharing the cache never sees a complete entry
without its sidecar, which it would take for damage.
"""

from __future__ import annotations

import contextlib
import hashlib
import os
import shutil
import stat
import threading
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

from audioleaflet.atomic import atomic_file, write_bytes

CACHE_ENV = "AUDIOLEAFLET_CACHE"
DEFAULT_CACHE = Path(".audioleaflet-cache")
SUM_SUFFIX = ".sum"
_SUM_KIND = "sha256"

Warn = Callable[[str], None]
"""Where a damaged entry is reported: one line each."""


def cache_dir(given: Path | None = None) -> Path:
    """`--cache-dir`, else `$AUDIOLEAFLET_CACHE`, else `.audioleaflet-cache` here."""
    if given is not None:
        return given
    return Path(os.environ.get(CACHE_ENV) or DEFAULT_CACHE)


def clip_folder(root: Path) -> Path:
    return root / "clips"


def encoded_folder(root: Path) -> Path:
    """Untagged MP3s of chapters and books, named by what they are made of."""
    return root / "mp3"


def sidecar(entry: Path) -> Path:
    """The file holding `entry`'s size and checksum."""
    return entry.with_name(entry.name + SUM_SUFFIX)


def _stamp(entry: Path, size: int, digest: str) -> str:
    # The name last: it is the rest of the line, whatever it holds.
    return f"{_SUM_KIND} {digest} {size} {entry.name}\n"


def _file_digest(path: Path) -> tuple[int, str]:
    with path.open("rb") as handle:
        size = os.fstat(handle.fileno()).st_size
        return size, hashlib.file_digest(handle, _SUM_KIND).hexdigest()


@contextlib.contextmanager
def cache_entry(dest: Path) -> Iterator[Path]:
    """Yield a temporary path to write; when it is complete, it is sealed and becomes `dest`.

    The body may check the file before it is sealed (`encoded.py` checks an MP3's decoded
    length there): an exception leaves neither the file nor a sidecar for it.
    """
    with atomic_file(dest) as tmp:
        yield tmp
        write_bytes(sidecar(dest), _stamp(dest, *_file_digest(tmp)).encode())


def write_entry(dest: Path, data: bytes) -> None:
    """Store `data` as the entry `dest`, sealed."""
    with cache_entry(dest) as tmp:
        tmp.write_bytes(data)


@dataclass(frozen=True, slots=True)
class _Verdict:
    fault: str | None
    """What is wrong, or None: whole, or not there at all."""
    present: bool
    unsealed: bool = False
    """There, but without a sidecar (an older audioleaflet's cache, or the sidecar was lost)."""


_WHOLE = _Verdict(None, True)
_ABSENT = _Verdict(None, False)


def _not_a_file(path: Path) -> str | None:
    """Why `path` cannot be read as a cache file (a folder, a named pipe, a device), or None:
    a regular file, or nothing there. Asked before opening: a named pipe would block."""
    try:
        mode = path.stat().st_mode
    except (FileNotFoundError, NotADirectoryError):
        return None
    except OSError as exc:
        return f"cannot be read ({exc.strerror or exc})"
    return None if stat.S_ISREG(mode) else "is not a regular file"


def _expected(entry: Path) -> tuple[int, str] | str | None:
    """(size, digest) from the sidecar; None if there is none; a fault if it is unreadable or
    was written for another entry."""
    seal = sidecar(entry)
    fault = _not_a_file(seal)
    if fault is not None:
        return f"has a checksum file that {fault}"
    try:
        text = seal.read_text(encoding="utf-8")
    except FileNotFoundError:
        return None
    except (OSError, UnicodeDecodeError) as exc:
        return f"has an unreadable checksum file ({exc})"
    fields = text.rstrip("\n").split(" ", 3)
    if len(fields) == 3 and fields[0] == _SUM_KIND:
        return None  # An older audioleaflet's sidecar, without the name: as if there were none.
    if len(fields) != 4 or fields[0] != _SUM_KIND or not fields[2].isdigit():
        return "has a malformed checksum file"
    if fields[3] != entry.name:
        return f"holds the entry {fields[3]!r} (its checksum file says so), not its own"
    return int(fields[2]), fields[1]


def _judge(expected: tuple[int, str] | str | None, size: int, digest: str | None) -> _Verdict:
    """An entry of `size` bytes and SHA-256 `digest` against its sidecar (`_expected`).

    With `digest` None only the size is judged: a file of the wrong size need not be hashed.
    """
    if expected is None:
        return _Verdict("has no checksum file", True, unsealed=True)
    if isinstance(expected, str):
        return _Verdict(expected, True)
    want_size, want_digest = expected
    if size != want_size:
        shorter = "truncated" if size < want_size else "longer than written"
        return _Verdict(f"is {shorter} ({size} bytes, {want_size} when written)", True)
    if digest is not None and digest != want_digest:
        return _Verdict("is damaged (its SHA-256 differs from when it was written)", True)
    return _WHOLE


# A sidecar without its entry is left alone: a build killed before the rename leaves one, and
# so does another build sharing the cache between writing it and renaming its entry. Making the
# entry writes it again.


def _inspect(entry: Path) -> _Verdict:
    fault = _not_a_file(entry)
    if fault is not None:
        return _Verdict(fault, True)
    try:
        with entry.open("rb") as handle:
            size = os.fstat(handle.fileno()).st_size
            expected = _expected(entry)
            verdict = _judge(expected, size, None)
            if verdict is not _WHOLE:
                return verdict
            return _judge(expected, size, hashlib.file_digest(handle, _SUM_KIND).hexdigest())
    except FileNotFoundError:
        return _ABSENT
    except OSError as exc:
        return _Verdict(f"cannot be read ({exc.strerror or exc})", True)


class Verifier:
    """Checks cache entries before they are used, and says once what it found wrong.

    A damaged entry gets one warning line naming it and the fault. Entries without a sidecar
    are nearly always a whole cache from before sidecars existed, so they are summed up in one
    line (`finish`) rather than one per clip. Either way the entry is deleted, so the caller
    makes it again. Safe to share between threads.
    """

    def __init__(self, warn: Warn | None = None) -> None:
        self._warn = warn or (lambda _line: None)
        self._unsealed: list[Path] = []
        self._lock = threading.Lock()

    def usable(self, entry: Path) -> bool:
        """True if `entry` is there and whole; False if it must be made (again)."""
        return self._accept(entry, _inspect(entry))

    def read(self, entry: Path) -> bytes | None:
        """The bytes of a small entry (one read), or None if it must be made (again)."""
        fault = _not_a_file(entry)
        if fault is not None:
            self._accept(entry, _Verdict(fault, True))
            return None
        try:
            data = entry.read_bytes()
        except FileNotFoundError:
            return None
        except OSError as exc:
            self._accept(entry, _Verdict(f"cannot be read ({exc.strerror or exc})", True))
            return None
        digest = hashlib.new(_SUM_KIND, data).hexdigest()
        verdict = _judge(_expected(entry), len(data), digest)
        return data if self._accept(entry, verdict) else None

    def discard(self, entry: Path, fault: str) -> None:
        """Report and delete an entry that passed its checksum but cannot be used."""
        self._accept(entry, _Verdict(fault, True))

    def _accept(self, entry: Path, verdict: _Verdict) -> bool:
        if verdict is _WHOLE:
            return True
        if verdict.present:
            _remove(entry)
            _remove(sidecar(entry))
            with self._lock:
                if verdict.unsealed:
                    self._unsealed.append(entry)
                else:
                    self._warn(f"cache: {entry} {verdict.fault}: deleted, made again")
        return False

    def finish(self) -> None:
        """One line for the entries that had no sidecar, if any."""
        with self._lock:
            unsealed, self._unsealed = self._unsealed, []
        if len(unsealed) == 1:
            self._warn(f"cache: {unsealed[0]} has no checksum file: deleted, made again")
        elif unsealed:
            self._warn(
                f"cache: {len(unsealed)} entries had no checksum file (a cache from an older "
                f"audioleaflet, or their .sum files were lost), such as {unsealed[0]}: "
                "deleted, made again"
            )

    def __enter__(self) -> Verifier:
        return self

    def __exit__(self, *_exc: object) -> None:
        self.finish()


def _remove(path: Path) -> None:
    """Delete a cache file, or whatever took its name (a folder too)."""
    if path.is_dir() and not path.is_symlink():
        shutil.rmtree(path, ignore_errors=True)
    else:
        path.unlink(missing_ok=True)


@dataclass(frozen=True, slots=True)
class CacheInfo:
    folder: Path
    clips: int
    size_bytes: int


def cache_info(root: Path) -> CacheInfo:
    """The clips, and the size of everything the cache holds (clips and encoded MP3s)."""
    clips = list(clip_folder(root).glob("*.wav")) if clip_folder(root).is_dir() else []
    everything = [p for p in root.rglob("*") if p.is_file()] if root.is_dir() else []
    return CacheInfo(clip_folder(root), len(clips), sum(f.stat().st_size for f in everything))


def prune(root: Path, keep: set[str] | None) -> int:
    """Delete clips whose key is not in `keep` (all of them when `keep` is None), with their
    sidecars; return how many clips went.

    Encoded MP3s are always dropped: they are cheap to remake from the clips kept.
    """
    if encoded_folder(root).is_dir():
        shutil.rmtree(encoded_folder(root))
    folder = clip_folder(root)
    if not folder.is_dir():
        return 0
    removed = 0
    for path in folder.iterdir():
        key = path.name.split(".", 1)[0]  # `<key>.wav`, `<key>.wav.sum`
        if keep is None or key not in keep:
            path.unlink(missing_ok=True)
            removed += path.suffix == ".wav"
    return removed
