"""Encoded MP3s kept in the cache, so unchanged audio is never assembled or encoded again.

An untagged MP3 is named by the hash of what it is made of: the clips and pauses of its
chapters (clips are themselves named by content), the sample rate, the encoder arguments and
the ffmpeg build (different builds give different bytes). A rebuild where nothing changed
copies and tags; a one-sentence edit encodes that chapter and the book again, nothing else.
"""

from __future__ import annotations

import hashlib
import json
import shutil
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from audioleaflet.atomic import atomic_file
from audioleaflet.audio.assemble import timeline, write_chapter
from audioleaflet.audio.clips import Clip
from audioleaflet.audio.encode import MP3_BITRATE, MP3_SAMPLE_RATE, encode_mp3
from audioleaflet.audio.ffmpeg import ffmpeg_version
from audioleaflet.model import ChapterTiming, Sentence

# Bump when the assembly or encoding changes in a way the inputs below do not show.
ENCODE_FORMAT = 1
Parts = Sequence[tuple[Clip, int]]


@dataclass(frozen=True, slots=True)
class EncodedLeaflet:
    """Untagged MP3s in the cache, ready to be copied into the output and tagged."""

    book: Path
    chapters: tuple[Path, ...]
    timings: tuple[ChapterTiming, ...]


def _key(*parts: object) -> str:
    identity = json.dumps([ENCODE_FORMAT, ffmpeg_version(), MP3_BITRATE, MP3_SAMPLE_RATE, *parts])
    return hashlib.sha256(identity.encode()).hexdigest()[:32]


def chapter_key(parts: Parts, sample_rate: int) -> str:
    return _key(sample_rate, [(clip.path.stem, pause) for clip, pause in parts])


def encoded_leaflet(
    chapters: Sequence[tuple[str, Parts]],
    sample_rate: int,
    store: Path,
    work: Path,
    sentences: Sequence[Sequence[Sentence]] | None = None,
) -> EncodedLeaflet:
    """The book and chapter MP3s for `chapters`, made only where the cache lacks them."""
    store.mkdir(parents=True, exist_ok=True)
    keys = [chapter_key(parts, sample_rate) for _title, parts in chapters]
    chapter_mp3s = [store / f"{key}.mp3" for key in keys]
    book_mp3 = store / f"{_key('book', keys)}.mp3"
    missing = [i for i, mp3 in enumerate(chapter_mp3s) if not mp3.is_file()]
    if missing or not book_mp3.is_file():
        # The book is encoded from every chapter's WAV; otherwise only missing chapters need one.
        needed = range(len(chapters)) if not book_mp3.is_file() else missing
        wavs: dict[int, Path] = {}
        work.mkdir(parents=True, exist_ok=True)
        try:
            for i in needed:
                wavs[i] = work / f"chapter-{i:03d}.wav"
                write_chapter(wavs[i], chapters[i][1], sample_rate)
            for i in missing:
                with atomic_file(chapter_mp3s[i]) as tmp:
                    encode_mp3([wavs[i]], tmp)
            if not book_mp3.is_file():
                with atomic_file(book_mp3) as tmp:
                    encode_mp3([wavs[i] for i in range(len(chapters))], tmp)
        finally:
            shutil.rmtree(work, ignore_errors=True)  # A chapter WAV is ten times its MP3.
    return EncodedLeaflet(book_mp3, tuple(chapter_mp3s), timeline(chapters, sample_rate, sentences))
