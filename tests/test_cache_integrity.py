"""Every cache entry is checked before use: damage is reported once, remade, and never published.

Each case damages one kind of entry in a copy of a warm cache (and removes what would let the
build skip it, so the damaged entry really is needed), rebuilds, and compares every published
file byte for byte with a build from an empty cache.
"""

from __future__ import annotations

import os
import shutil
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import mutagen.mp3
import pytest

from audioleaflet.audio.cache import (
    Verifier,
    cache_entry,
    prune,
    sidecar,
    write_entry,
)
from audioleaflet.audio.encoded import checked_book
from audioleaflet.build import BuildResult, build
from audioleaflet.config.podcast import BuildSettings, FeedSettings
from audioleaflet.errors import ToolError
from audioleaflet.programs.ffmpeg import decode_pcm

LEAFLET = """\
# Cache test

## Washing

Wash your hands with soap and water for twenty seconds.
Dry them well on a clean towel.

## Tablets

Take one tablet every morning with a glass of water.
Do not take more than four tablets in a day.

## Questions

Ask your pharmacist if you have any questions.
"""
SETTINGS = BuildSettings(FeedSettings(base_url="https://example.org/"))


@dataclass(frozen=True)
class Warm:
    source: Path
    cache: Path
    clean: dict[str, bytes]
    """Every file of a build from an empty cache, by path relative to the output."""


def _build(source: Path, output: Path, cache: Path, lines: list[str] | None = None) -> BuildResult:
    report = lines.append if lines is not None else (lambda _line: None)
    return build([source], output, SETTINGS, lang="en", cache=cache, report=report)


def _files(folder: Path) -> dict[str, bytes]:
    return {p.relative_to(folder).as_posix(): p.read_bytes() for p in sorted(folder.rglob("*"))
            if p.is_file()}  # fmt: skip


@pytest.fixture(scope="module")
def warm(tmp_path_factory: pytest.TempPathFactory) -> Warm:
    folder = tmp_path_factory.mktemp("integrity")
    source = folder / "en-cache-test.md"
    source.write_text(LEAFLET, encoding="utf-8")
    cache = folder / "cache"
    _build(source, folder / "clean", cache)
    return Warm(source, cache, _files(folder / "clean"))


def _book_mp3(cache: Path) -> Path:
    """The book: the chapters are cut out of it, so it is the largest MP3."""
    return max((cache / "mp3").glob("*.mp3"), key=lambda p: p.stat().st_size)


def _chapter_mp3s(cache: Path) -> list[Path]:
    return sorted(set((cache / "mp3").glob("*.mp3")) - {_book_mp3(cache)})


def _truncate(path: Path) -> None:
    path.write_bytes(path.read_bytes()[: path.stat().st_size // 2])


def _flip(path: Path) -> None:
    """Invert bytes in the middle of the audio: same length, same header, different sound."""
    data = bytearray(path.read_bytes())
    middle = len(data) // 2
    data[middle : middle + 4000] = bytes(b ^ 0xFF for b in data[middle : middle + 4000])
    path.write_bytes(bytes(data))


def _without_encoded(cache: Path) -> None:
    """No encoded audio left: every chapter is assembled again from its clips."""
    for path in (cache / "mp3").glob("*"):
        if path.is_file():
            path.unlink()


# Each returns the entries it damaged (each must be named in exactly one warning line).
def _clip_truncated(cache: Path) -> list[Path]:
    clip = sorted((cache / "clips").glob("*.wav"))[3]
    _truncate(clip)
    _without_encoded(cache)
    return [clip]


def _clip_flipped(cache: Path) -> list[Path]:
    clip = sorted((cache / "clips").glob("*.wav"))[3]
    _flip(clip)
    _without_encoded(cache)
    return [clip]


def _chapter_truncated(cache: Path) -> list[Path]:
    chapter = _chapter_mp3s(cache)[1]
    _truncate(chapter)
    return [chapter]


def _book_truncated(cache: Path) -> list[Path]:
    book = _book_mp3(cache)
    _truncate(book)
    return [book]


def _m4b_truncated(cache: Path) -> list[Path]:
    (m4b,) = (cache / "mp3").glob("*.m4b")
    _truncate(m4b)
    return [m4b]


def _loudness_garbage(cache: Path) -> list[Path]:
    stores = sorted((cache / "mp3" / "loudness").glob("*.json"))
    for store in stores:
        store.write_bytes(b'{"gain_db": garbage')
    _book_mp3(cache).unlink()  # The book is encoded again, every chapter's gain solved again.
    return stores


def _sidecar_missing(cache: Path) -> list[Path]:
    clip = sorted((cache / "clips").glob("*.wav"))[0]
    sidecar(clip).unlink()
    return [clip]


def _sidecar_wrong(cache: Path) -> list[Path]:
    chapter = _chapter_mp3s(cache)[0]
    kind, digest, size, name = sidecar(chapter).read_text(encoding="ascii").split()
    wrong = digest[:10] + ("0" if digest[10] != "0" else "1") + digest[11:]
    sidecar(chapter).write_text(f"{kind} {wrong} {size} {name}\n", encoding="ascii")
    return [chapter]


def _clip_swapped(cache: Path) -> list[Path]:
    """Another clip copied over one, its sidecar too: whole, sealed, and the wrong sentence."""
    one, other = sorted((cache / "clips").glob("*.wav"))[2:4]
    shutil.copyfile(other, one)
    shutil.copyfile(sidecar(other), sidecar(one))
    _without_encoded(cache)
    return [one]


def _clip_a_folder(cache: Path) -> list[Path]:
    clip = sorted((cache / "clips").glob("*.wav"))[1]
    clip.unlink()
    clip.mkdir()
    (clip / "inside").write_bytes(b"x")
    _without_encoded(cache)
    return [clip]


def _clip_a_named_pipe(cache: Path) -> list[Path]:
    """Opened for reading, a named pipe would wait for a writer: the build would hang."""
    clip = sorted((cache / "clips").glob("*.wav"))[1]
    clip.unlink()
    os.mkfifo(clip)
    _without_encoded(cache)
    return [clip]


def _sidecar_a_folder(cache: Path) -> list[Path]:
    chapter = _chapter_mp3s(cache)[0]
    sidecar(chapter).unlink()
    sidecar(chapter).mkdir()
    return [chapter]


DAMAGE: dict[str, Callable[[Path], list[Path]]] = {
    "clip WAV truncated": _clip_truncated,
    "clip WAV with flipped bytes": _clip_flipped,
    "chapter MP3 truncated": _chapter_truncated,
    "book MP3 truncated": _book_truncated,
    "M4B truncated": _m4b_truncated,
    "loudness JSON garbage": _loudness_garbage,
    "sidecar missing": _sidecar_missing,
    "sidecar wrong": _sidecar_wrong,
    "clip and sidecar of another clip": _clip_swapped,
    "clip a folder": _clip_a_folder,
    "clip a named pipe": _clip_a_named_pipe,
    "sidecar a folder": _sidecar_a_folder,
}


@pytest.mark.parametrize("kind", DAMAGE)
def test_a_damaged_entry_is_reported_remade_and_never_published(
    warm: Warm, tmp_path: Path, kind: str
) -> None:
    cache = tmp_path / "cache"
    shutil.copytree(warm.cache, cache)
    damaged = DAMAGE[kind](cache)
    assert damaged

    lines: list[str] = []
    _build(warm.source, tmp_path / "out", cache, lines)

    warnings = [line for line in lines if line.startswith("cache: ")]
    assert len(warnings) == len(damaged), warnings
    for entry in damaged:
        (line,) = [w for w in warnings if str(entry) in w]
        assert "made again" in line
        assert entry.is_file() and sidecar(entry).is_file()  # Remade, and sealed.
    assert _files(tmp_path / "out") == warm.clean

    # Remade entries are whole: the next build finds nothing to report.
    again: list[str] = []
    _build(warm.source, tmp_path / "again", cache, again)
    assert not [line for line in again if line.startswith("cache: ")]


def test_the_damage_would_show_in_the_output_if_it_were_trusted(warm: Warm, tmp_path: Path) -> None:
    """The flipped clip, with its sidecar forged to match, is used: the book differs. So the
    test above compares outputs that damage really changes."""
    cache = tmp_path / "cache"
    shutil.copytree(warm.cache, cache)
    (clip,) = _clip_flipped(cache)
    sidecar(clip).unlink()
    with cache_entry(clip) as tmp:  # Seal the damaged bytes as if they had been written so.
        shutil.copyfile(clip, tmp)
    lines: list[str] = []
    result = _build(warm.source, tmp_path / "out", cache, lines)
    assert result.clips_spoken == 0 and not [w for w in lines if w.startswith("cache: ")]
    book = "en/cache-test.mp3"
    assert _files(tmp_path / "out")[book] != warm.clean[book]


def test_an_old_cache_without_sidecars_is_remade_with_one_line_per_store(
    warm: Warm, tmp_path: Path
) -> None:
    cache = tmp_path / "cache"
    shutil.copytree(warm.cache, cache)
    for checksum in cache.rglob("*.sum"):
        checksum.unlink()
    clips = len(list((cache / "clips").glob("*.wav")))

    lines: list[str] = []
    result = _build(warm.source, tmp_path / "out", cache, lines)
    warnings = [line for line in lines if line.startswith("cache: ")]
    assert len(warnings) == 2, warnings  # One for the clips, one for the encoded audio.
    assert f"{clips} entries had no checksum file" in warnings[0]
    assert "entries had no checksum file" in warnings[1]
    assert result.clips_spoken == clips
    assert _files(tmp_path / "out") == warm.clean
    assert all(sidecar(p).is_file() for p in cache.rglob("*") if p.is_file() and p.suffix != ".sum")


def test_verifier_on_single_entries(tmp_path: Path) -> None:
    lines: list[str] = []
    verifier = Verifier(lines.append)
    entry = tmp_path / "entry.bin"
    assert not verifier.usable(entry) and lines == []  # Not there: nothing to report.

    write_entry(entry, b"0123456789")
    assert verifier.usable(entry) and verifier.read(entry) == b"0123456789"
    assert sidecar(entry).read_text(encoding="ascii").split()[2] == "10"

    entry.write_bytes(b"0123456789" * 2)
    assert verifier.read(entry) is None and not entry.exists() and not sidecar(entry).exists()
    assert len(lines) == 1 and "longer than written (20 bytes, 10 when written)" in lines[0]

    write_entry(entry, b"0123456789")
    sidecar(entry).write_text("something else\n", encoding="ascii")
    assert not verifier.usable(entry) and "malformed checksum file" in lines[-1]

    # A sidecar whose entry never arrived (killed before the rename): the entry is simply
    # missing, and making it writes the sidecar again.
    write_entry(entry, b"x")
    entry.unlink()
    assert not verifier.usable(entry) and verifier.read(entry) is None and len(lines) == 2
    write_entry(entry, b"yz")
    assert verifier.usable(entry) and len(lines) == 2
    entry.unlink()
    sidecar(entry).unlink()

    # A failed write leaves neither the entry nor a sidecar.
    with pytest.raises(RuntimeError), cache_entry(entry) as tmp:
        tmp.write_bytes(b"half")
        raise RuntimeError
    assert not entry.exists() and not sidecar(entry).exists()
    assert sorted(tmp_path.iterdir()) == []


def test_prune_takes_sidecars_with_their_clips(tmp_path: Path) -> None:
    clips = tmp_path / "clips"
    clips.mkdir()
    for key in ("keep", "drop"):
        write_entry(clips / f"{key}.wav", b"RIFF")
    assert prune(tmp_path, {"keep"}) == 1
    assert sorted(p.name for p in clips.iterdir()) == ["keep.wav", "keep.wav.sum"]


def test_a_book_mp3_that_decodes_short_is_refused_before_it_is_stored(
    warm: Warm, tmp_path: Path
) -> None:
    """The guard every new book MP3 passes before it is sealed (its true-peak decode counts the
    samples): a cached one, and the chapters cut from it, are then trusted by their checksums."""
    book = _book_mp3(warm.cache)
    rate = mutagen.mp3.MP3(book).info.sample_rate  # The voice's (`encode.mp3_rate`).
    samples = len(decode_pcm(book, rate)) // 2
    halves = [samples // 2, samples - samples // 2]
    whole = tmp_path / "whole.mp3"
    shutil.copyfile(book, whole)
    assert checked_book(whole, halves, rate) <= -1.0  # Whole, and under the true-peak limit.
    short = tmp_path / "short.mp3"
    short.write_bytes(book.read_bytes()[: book.stat().st_size * 2 // 3])
    with pytest.raises(ToolError, match=r"decodes to \d+ samples, not"):
        checked_book(short, halves, rate)
