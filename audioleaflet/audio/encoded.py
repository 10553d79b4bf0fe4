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
    timings = timeline(chapters, sample_rate, sentences)
    marks = [(c.title, c.start_ms, c.end_ms) for c in timings]
    files = _Files(
        book=store / f"{_key('book', keys)}.mp3",
        chapters=[store / f"{key}.mp3" for key in keys],
        # Each chapter's normalised audio is kept losslessly: after an edit the book and M4B
        # are encoded again from the stored chapters, and only the edited one is normalised.
        flacs=[store / f"{key}.flac" for key in keys],
        m4b=store / f"{_key('m4b', M4B_BITRATE, language, marks, keys)}.m4b",
    )
    verifier = Verifier(warn)
    missing = {i for i, mp3 in enumerate(files.chapters) if not verifier.usable(mp3)}
    wanted = [files.book, files.m4b] if audiobook else [files.book]
    books = [path for path in wanted if not verifier.usable(path)]
    if missing or books:
        used = range(len(chapters)) if books else sorted(missing)
        needed = [i for i in used if not verifier.usable(files.flacs[i])]
        maker = _Maker(chapters, sample_rate, store, work, target, timings, files, verifier)
        workers = max(1, min(jobs or os.cpu_count() or 1, len(chapters)))
        maker.make(needed, [*books, *sorted(missing - set(needed))], workers, language)
    verifier.finish()
    audiobook_file = files.m4b if audiobook else None
    return EncodedLeaflet(files.book, tuple(files.chapters), timings, audiobook_file)


@dataclass(frozen=True, slots=True)
class _Files:
    """Where a leaflet's encoded files are stored, by what they are made of."""

    book: Path
    chapters: list[Path]
    flacs: list[Path]
    m4b: Path


@dataclass(frozen=True, slots=True)
class _Maker:
    """What an encode needs, for the jobs that run in threads."""

    chapters: Sequence[tuple[str, Parts]]
    sample_rate: int
    store: Path
    work: Path
    target: LoudnessTarget
    timings: tuple[ChapterTiming, ...]
    files: _Files
    verifier: Verifier

    def make(
        self, needed: list[int], encodes: list[Path | int], workers: int, language: str
    ) -> None:
        """Normalise the `needed` chapters, then run the `encodes`: the book, the M4B and
        chapter MP3s whose FLAC was stored."""
        self.work.mkdir(parents=True, exist_ok=True)
        try:
            # Threads are enough: each job waits on its own ffmpeg process.
            with ThreadPoolExecutor(max_workers=workers) as pool:
                for _done in pool.map(self.prepare, needed):
                    pass
            # Every encode reads finished chapters, so all run side by side; the two long ones
            # first, so the short chapter encodes fill in around them (longest job first).
            with ThreadPoolExecutor(max_workers=workers) as pool:
                for _done in pool.map(lambda job: self.encode(job, language), encodes):
                    pass
        finally:
            shutil.rmtree(self.work, ignore_errors=True)

    def prepare(self, i: int) -> None:
        """Chapter `i` assembled, normalised, stored as FLAC and encoded as its MP3."""
        parts, files = self.chapters[i][1], self.files
        raw = self.work / f"chapter-{i:03d}.raw.wav"
        wav = self.work / f"chapter-{i:03d}.wav"
        length_ms = write_chapter(raw, parts, self.sample_rate)
        frames = length_ms * self.sample_rate // 1000  # exact: chapters are whole 20 ms blocks
        drop = 0.0
        # Both files are stored only once the peak check accepts them: a build killed between
        # steps must not leave a chapter too loud in the cache under its final name.
        with cache_entry(files.flacs[i]) as flac, cache_entry(files.chapters[i]) as mp3:
            for _step in range(PEAK_STEPS):
                normalised_chapter(raw, wav, frames, self.sample_rate,
                                   content_key(parts, self.sample_rate),
                                   self.store / LOUDNESS_FOLDER, self.target, MP3_SAMPLE_RATE,
                                   drop, self.verifier)  # fmt: skip
                encode_flac(wav, flac)
                encode_mp3([flac], mp3)
                # The true peak is what the MP3 measures, not the PCM: a voice whose encoding
                # overshoots more than the limiter's margin gets a lower ceiling, done again.
                peak = _checked_mp3(mp3, self.timings[i])
                excess = peak - (self.target.true_peak_dbtp - PEAK_HEADROOM_DB)
                if excess <= 0:
                    break
                drop = round(drop + excess + PEAK_HEADROOM_DB, 1)
        raw.unlink()
        wav.unlink()

    def encode(self, job: Path | int, language: str) -> None:
        files = self.files
        if job == files.book:
            with cache_entry(files.book) as tmp:
                encode_mp3(files.flacs, tmp)
        elif job == files.m4b:
            with cache_entry(files.m4b) as tmp:
                encode_m4b(tmp, files.flacs, self.timings, language)
        elif isinstance(job, int):
            with cache_entry(files.chapters[job]) as tmp:
                encode_mp3([files.flacs[job]], tmp)
                _checked_mp3(tmp, self.timings[job])


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
