"""Encoded MP3s kept in the cache, so unchanged audio is never assembled or encoded again.

An untagged MP3 is named by the hash of what it is made of: the clips and pauses of its
chapters (clips are themselves named by content), the sample rate, the loudness target and
processing, the encoder arguments and the ffmpeg build (different builds give different bytes).
A rebuild where nothing changed copies and tags, running no ffmpeg at all; a one-sentence edit
measures, normalises and encodes that chapter, then the book MP3 and M4B again from the stored
normalised chapters (FLAC), nothing else.
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
from collections.abc import Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path

from audioleaflet.audio.assemble import timeline, write_chapter
from audioleaflet.audio.cache import Verifier, Warn, cache_entry
from audioleaflet.audio.clips import Clip
from audioleaflet.audio.encode import MP3_BITRATE, MP3_SAMPLE_RATE, encode_flac, encode_mp3
from audioleaflet.audio.loudness import normalised_chapter, target_identity
from audioleaflet.audio.m4b import M4B_BITRATE, encode_m4b
from audioleaflet.audio.meter import measure_encoded
from audioleaflet.config.audio import DEFAULT_TARGET, LoudnessTarget
from audioleaflet.errors import ToolError
from audioleaflet.model import ChapterTiming, Sentence
from audioleaflet.programs.ffmpeg import ffmpeg_version

# Bump when the assembly or encoding changes in a way the inputs below do not show.
ENCODE_FORMAT = 3
LOUDNESS_FOLDER = "loudness"
# Each chapter MP3's true peak is measured; one above the limit minus this headroom has its
# limiter ceiling lowered by the excess (and this much again) and is normalised again. The
# book, encoded from the same chapters, then stays under the limit too.
PEAK_HEADROOM_DB = 0.2
PEAK_STEPS = 3
# A chapter MP3 must decode to its length within one MPEG-1 Layer III frame (it does exactly
# with ffmpeg's LAME header; the frame allows for another ffmpeg's decoder delay handling).
MP3_FRAME_SAMPLES = 1152
Parts = Sequence[tuple[Clip, int]]


@dataclass(frozen=True, slots=True)
class EncodedLeaflet:
    """Untagged MP3s in the cache, ready to be copied into the output and tagged."""

    book: Path
    chapters: tuple[Path, ...]
    timings: tuple[ChapterTiming, ...]
    audiobook: Path | None
    """The untagged M4B, encoded from the same normalised audio as the MP3s (None: not made)."""


def _key(*parts: object) -> str:
    identity = json.dumps([ENCODE_FORMAT, ffmpeg_version(), MP3_BITRATE, MP3_SAMPLE_RATE, *parts])
    return hashlib.sha256(identity.encode()).hexdigest()[:32]


def content_key(parts: Parts, sample_rate: int) -> str:
    """What a chapter's raw audio is made of: its loudness is measured once under this name."""
    identity = json.dumps([sample_rate, [(clip.path.stem, pause) for clip, pause in parts]])
    return hashlib.sha256(identity.encode()).hexdigest()[:32]


def chapter_key(parts: Parts, sample_rate: int, target: LoudnessTarget = DEFAULT_TARGET) -> str:
    # The true-peak check after encoding decides the limiter ceiling: its settings count too.
    peak_check = [PEAK_HEADROOM_DB, PEAK_STEPS]
    return _key(content_key(parts, sample_rate), target_identity(target), peak_check)


def encoded_leaflet(
    chapters: Sequence[tuple[str, Parts]],
    sample_rate: int,
    store: Path,
    work: Path,
    sentences: Sequence[Sequence[Sentence]] | None = None,
    target: LoudnessTarget = DEFAULT_TARGET,
    jobs: int | None = None,
    language: str = "und",
    audiobook: bool = True,
    warn: Warn | None = None,
) -> EncodedLeaflet:
    """The book and chapter MP3s for `chapters`, made only where the cache lacks them.

    Every file is at the loudness `target`. Chapters are normalised, and their MP3s encoded,
    `jobs` at a time (default: one per CPU); each job is its own ffmpeg process. A stored file
    is used only if it matches its checksum; a damaged one is reported to `warn` and made again.
    """
    store.mkdir(parents=True, exist_ok=True)
    keys = [chapter_key(parts, sample_rate, target) for _title, parts in chapters]
    chapter_mp3s = [store / f"{key}.mp3" for key in keys]
    book_mp3 = store / f"{_key('book', keys)}.mp3"
    timings = timeline(chapters, sample_rate, sentences)
    marks = [(c.title, c.start_ms, c.end_ms) for c in timings]
    m4b = store / f"{_key('m4b', M4B_BITRATE, language, marks, keys)}.m4b"
    # Each chapter's normalised audio is kept losslessly: after an edit the book and M4B are
    # encoded again from the stored chapters, and only the edited one is normalised again.
    flacs = [store / f"{key}.flac" for key in keys]
    verifier = Verifier(warn)
    missing = {i for i, mp3 in enumerate(chapter_mp3s) if not verifier.usable(mp3)}
    wanted = [book_mp3, m4b] if audiobook else [book_mp3]
    books = [path for path in wanted if not verifier.usable(path)]
    if missing or books:
        used = range(len(chapters)) if books else sorted(missing)
        needed = [i for i in used if not verifier.usable(flacs[i])]
        work.mkdir(parents=True, exist_ok=True)

        loudness_store = store / LOUDNESS_FOLDER

        def prepare(i: int) -> None:
            parts = chapters[i][1]
            raw = work / f"chapter-{i:03d}.raw.wav"
            wav = work / f"chapter-{i:03d}.wav"
            length_ms = write_chapter(raw, parts, sample_rate)
            frames = length_ms * sample_rate // 1000  # exact: chapters are whole 20 ms blocks
            drop = 0.0
            # Both files are stored only once the peak check accepts them: a build killed
            # between steps must not leave a chapter too loud in the cache under its final name.
            with cache_entry(flacs[i]) as flac, cache_entry(chapter_mp3s[i]) as mp3:
                for _step in range(PEAK_STEPS):
                    normalised_chapter(raw, wav, frames, sample_rate,
                                       content_key(parts, sample_rate), loudness_store, target,
                                       MP3_SAMPLE_RATE, drop, verifier)  # fmt: skip
                    encode_flac(wav, flac)
                    encode_mp3([flac], mp3)
                    # The true peak is what the MP3 measures, not the PCM: a voice whose encoding
                    # overshoots more than the limiter's margin gets a lower ceiling, done again.
                    peak = _checked_mp3(mp3, timings[i])
                    excess = peak - (target.true_peak_dbtp - PEAK_HEADROOM_DB)
                    if excess <= 0:
                        break
                    drop = round(drop + excess + PEAK_HEADROOM_DB, 1)
            raw.unlink()
            wav.unlink()

        try:
            workers = max(1, min(jobs or os.cpu_count() or 1, len(chapters)))
            # Threads are enough: each job waits on its own ffmpeg process.
            with ThreadPoolExecutor(max_workers=workers) as pool:
                for _done in pool.map(prepare, needed):
                    pass

            def encode(job: Path | int) -> None:
                if job == book_mp3:
                    with cache_entry(book_mp3) as tmp:
                        encode_mp3(flacs, tmp)
                elif job == m4b:
                    with cache_entry(m4b) as tmp:
                        encode_m4b(tmp, flacs, timings, language)
                elif isinstance(job, int):
                    with cache_entry(chapter_mp3s[job]) as tmp:
                        encode_mp3([flacs[job]], tmp)
                        _checked_mp3(tmp, timings[job])

            # Every encode reads finished chapters, so all run side by side; the two long ones
            # first, so the short chapter encodes fill in around them (longest job first).
            jobs_list: list[Path | int] = [*books, *sorted(missing - set(needed))]
            with ThreadPoolExecutor(max_workers=workers) as pool:
                for _done in pool.map(encode, jobs_list):
                    pass
        finally:
            shutil.rmtree(work, ignore_errors=True)
    verifier.finish()
    return EncodedLeaflet(book_mp3, tuple(chapter_mp3s), timings, m4b if audiobook else None)


def _checked_mp3(mp3: Path, timing: ChapterTiming) -> float:
    """The true peak of a chapter MP3 just encoded, after checking it decodes to its full length.

    A chapter MP3 is stored only after this check, and every later use checks its bytes against
    the checksum written then, so one taken from the cache needs no decoding to be trusted.
    """
    peak, samples = measure_encoded(mp3)
    expected = (timing.end_ms - timing.start_ms) * MP3_SAMPLE_RATE // 1000
    if abs(samples - expected) > MP3_FRAME_SAMPLES:
        raise ToolError(
            f"the MP3 of chapter {timing.title!r} decodes to {samples} samples, not {expected}: "
            "ffmpeg wrote it incompletely (is the disk full?)"
        )
    return peak
