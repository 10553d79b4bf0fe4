"""Encoded audio kept in the cache, so unchanged audio is never assembled or encoded again.

An untagged book MP3 and M4B are named by the hash of what they are made of: the clips and
pauses of every chapter (clips are themselves named by content), the sample rate, the loudness
target and processing, the encoder arguments and the ffmpeg build (different builds give
different bytes); the chapter MP3s, cut out of the book, by the book's name and their number.

A cold build, per leaflet:
1. each chapter is assembled from its clips and its gain solved from its PCM (`loudness.py`),
   `jobs` chapters at a time;
2. one ffmpeg process normalises every chapter and encodes the book MP3, and another beside it
   the M4B (`book.py`);
3. as soon as the MP3 is written, one decode of it measures its true peak (while the M4B is
   still being encoded); only if the book is over the limit is each chapter's measured, and a
   chapter above it gets a lower limiter ceiling (stored, so later builds start from it) and
   step 2 runs again;
4. the chapter MP3s are cut out of the book's frames (`mp3cut.py`).
A rebuild where nothing changed copies and tags, running no ffmpeg at all; a one-sentence edit
measures that chapter and runs steps 2-4 again, with every other chapter's stored gain.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import shutil
from collections.abc import Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path

from audioleaflet.audio.assemble import timeline, write_chapter
from audioleaflet.audio.book import Audiobook, encode_m4b_book, encode_mp3_book
from audioleaflet.audio.cache import Verifier, Warn, cache_entry, write_entry
from audioleaflet.audio.clips import Clip
from audioleaflet.audio.encode import MP3_BITRATE, mp3_rate
from audioleaflet.audio.loudness import chain, chapter_gain, target_identity
from audioleaflet.audio.m4b import M4B_BITRATE
from audioleaflet.audio.meter import measure_chapters, measure_peak
from audioleaflet.config.audio import DEFAULT_TARGET, LoudnessTarget
from audioleaflet.errors import ToolError
from audioleaflet.model import ChapterTiming, Sentence
from audioleaflet.programs.ffmpeg import ffmpeg_version
from audioleaflet.stages import stage

# Bump when the assembly or encoding changes in a way the inputs below do not show.
# 4: one encode of the book, the chapters cut from it, the limiter at the source's rate.
# 5: the MP3 at the voice's own rate (`encode.mp3_rate`), part of every key below.
# 6: the limiter at twice the MP3's rate, and no MP3 below 22.05 kHz (a 16 kHz voice's books and
#    limiter ceilings from 5 were made by another chain; the ceilings are keyed by this too).
# 7: LAME without noise shaping (`encode.MP3_ALGORITHM_QUALITY`), AAC without TNS.
ENCODE_FORMAT = 7
LOUDNESS_FOLDER = "loudness"
# Each chapter's true peak is measured in the encoded book; one above the limit minus this
# headroom has its limiter ceiling lowered by the excess (and this much again), and the book is
# encoded again. The drop is stored, so the next build of that chapter starts from it.
PEAK_HEADROOM_DB = 0.2
PEAK_STEPS = 3
# The book must decode to its length within one MPEG-1 Layer III frame (it does exactly with
# ffmpeg's LAME header; the frame allows for another ffmpeg's decoder delay handling).
MP3_FRAME_SAMPLES = 1152
Parts = Sequence[tuple[Clip, int]]


@dataclass(frozen=True, slots=True)
class EncodedLeaflet:
    """Untagged MP3s in the cache, ready to be copied into the output and tagged."""

    book: Path
    chapters: tuple[Path, ...]
    timings: tuple[ChapterTiming, ...]
    audiobook: Path | None
    """The untagged M4B, encoded in the same pass as the book MP3 (None: not made)."""


def _key(*parts: object) -> str:
    identity = json.dumps([ENCODE_FORMAT, ffmpeg_version(), MP3_BITRATE, *parts])
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
    """The book, chapter MP3s and M4B for `chapters`, made only where the cache lacks them.

    Every file is at the loudness `target`. Chapter gains are solved `jobs` at a time (default:
    one per CPU), each in its own ffmpeg process. A stored file is used only if it matches its
    checksum; a damaged one is reported to `warn` and made again.
    """
    store.mkdir(parents=True, exist_ok=True)
    # The chapter keys hold the sample rate, and with it the MP3's (`mp3_rate`).
    keys = [chapter_key(parts, sample_rate, target) for _title, parts in chapters]
    timings = timeline(chapters, sample_rate, sentences)
    marks = [(c.title, c.start_ms, c.end_ms) for c in timings]
    book = store / f"{_key('book', keys)}.mp3"
    files = _Files(
        book=book,
        chapters=[store / f"{_key('chapter', book.stem, i)}.mp3" for i in range(len(keys))],
        m4b=store / f"{_key('m4b', M4B_BITRATE, language, marks, keys)}.m4b",
    )
    verifier = Verifier(warn)
    wanted = [files.book, *files.chapters, *([files.m4b] if audiobook else [])]
    # Every entry is looked at (not only up to the first missing one): damage is reported.
    if not all([verifier.usable(path) for path in wanted]):
        maker = _Maker(chapters, sample_rate, store, work, target, timings, files, verifier)
        workers = max(1, min(jobs or os.cpu_count() or 1, len(chapters)))
        maker.make(workers, language if audiobook else None)
    verifier.finish()
    audiobook_file = files.m4b if audiobook else None
    return EncodedLeaflet(files.book, tuple(files.chapters), timings, audiobook_file)


@dataclass(frozen=True, slots=True)
class _Files:
    """Where a leaflet's encoded files are stored, by what they are made of."""

    book: Path
    chapters: list[Path]
    m4b: Path


@dataclass(frozen=True, slots=True)
class _Raw:
    """A chapter assembled from its clips, waiting for the encode."""

    wav: Path
    frames: int
    content: str


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

    @property
    def mp3_rate(self) -> int:
        return mp3_rate(self.sample_rate)

    def make(self, workers: int, language: str | None) -> None:
        """Assemble every chapter, encode the book (and M4B) until its peaks pass, cut it."""
        self.work.mkdir(parents=True, exist_ok=True)
        try:
            # Threads are enough: each job waits on its own ffmpeg process.
            with stage("assemble and solve gains"), ThreadPoolExecutor(workers) as pool:
                raws = list(pool.map(self.assemble, range(len(self.chapters))))
            # The book and M4B are stored only once the peak check accepts them: a build killed
            # between steps must not leave a book too loud in the cache under its final name.
            with contextlib.ExitStack() as stack:
                mp3 = stack.enter_context(cache_entry(self.files.book))
                audiobook = None
                if language is not None:
                    m4b = stack.enter_context(cache_entry(self.files.m4b))
                    audiobook = Audiobook(m4b, self.timings, language)
                self.encode(raws, mp3, audiobook, workers)
                with stage("cut chapter MP3s"):
                    self.cut(mp3)
        finally:
            shutil.rmtree(self.work, ignore_errors=True)

    def encode(
        self, raws: list[_Raw], mp3: Path, audiobook: Audiobook | None, workers: int
    ) -> None:
        """Encode the book until every chapter's true peak is under the limit; after
        `PEAK_STEPS` encodes still over it, fail (the book is not stored)."""
        drops = [self.stored_drop(raw) for raw in raws]
        for step in range(PEAK_STEPS):
            with ThreadPoolExecutor(max_workers=workers) as pool:
                gains = list(pool.map(self.gain, raws, drops))
            chains = [
                chain(gain, raw.frames, self.sample_rate, self.target, self.mp3_rate, drop)
                for gain, raw, drop in zip(gains, raws, drops, strict=True)
            ]
            frames = [raw.frames for raw in raws]
            wavs = [raw.wav for raw in raws]
            # The M4B in a process of its own beside the MP3's: the MP3's true peaks are
            # measured while the AAC encoder, the slower one, is still at work.
            with ThreadPoolExecutor(max_workers=1) as beside:
                m4b = None
                if audiobook is not None:
                    m4b = beside.submit(encode_m4b_book, wavs, frames, chains, audiobook)
                with stage("encode book MP3 (M4B beside it)"):
                    encode_mp3_book(wavs, frames, chains, mp3, self.mp3_rate)
                with stage("true peaks (M4B beside them)"):
                    over = self.lower_ceilings(mp3, raws, drops)
                if m4b is not None:
                    with stage("rest of the M4B"):
                        m4b.result()
            if over is None:
                return
            if step == PEAK_STEPS - 1 and over > self.target.true_peak_dbtp:
                # Within the limit but not its headroom is kept: the headroom is ours.
                raise ToolError(
                    f"the encoded book's true peak stays at {over:.1f} dBTP, over the "
                    f"{self.target.true_peak_dbtp:g} dBTP limit, after {PEAK_STEPS} encodes with "
                    "the limiter lowered each time; a quieter target leaves more room "
                    "(--loudness -19, or loudness = -19 in podcast.toml)"
                )

    def assemble(self, i: int) -> _Raw:
        """Chapter `i` assembled from its clips as a WAV, its gain solved and stored."""
        parts = self.chapters[i][1]
        raw = self.work / f"chapter-{i:03d}.raw.wav"
        length_ms = write_chapter(raw, parts, self.sample_rate)
        frames = length_ms * self.sample_rate // 1000  # exact: chapters are whole 20 ms blocks
        chapter = _Raw(raw, frames, content_key(parts, self.sample_rate))
        self.gain(chapter, self.stored_drop(chapter))
        return chapter

    def gain(self, raw: _Raw, drop: float) -> float:
        loudness = self.store / LOUDNESS_FOLDER
        return chapter_gain(
            raw.wav, raw.frames, self.sample_rate, raw.content, loudness, self.target, drop,
            self.verifier,
        )  # fmt: skip

    def _drop_file(self, raw: _Raw) -> Path:
        # A ceiling was found for one chain: another chain (`ENCODE_FORMAT`) starts afresh.
        identity = json.dumps(
            [ENCODE_FORMAT, raw.content, target_identity(self.target), PEAK_HEADROOM_DB]
        )
        name = hashlib.sha256(f"{ffmpeg_version()}{identity}".encode()).hexdigest()[:32]
        return self.store / LOUDNESS_FOLDER / f"drop-{name}.json"

    def stored_drop(self, raw: _Raw) -> float:
        """How far this chapter's limiter ceiling had to come down, in an earlier build."""
        data = self.verifier.read(self._drop_file(raw))
        try:
            drop = json.loads(data)["ceiling_drop_db"] if data is not None else 0.0
        except (ValueError, KeyError, TypeError):
            drop = 0.0
        return float(drop) if isinstance(drop, float | int) else 0.0

    def lower_ceilings(self, mp3: Path, raws: list[_Raw], drops: list[float]) -> float | None:
        """Measure the book's true peak; if it is over the limit, each chapter's, and lower the
        ceiling of each one over (in `drops`, and stored); return the book's peak if it was
        over (None: under the limit)."""
        frames = [raw.frames * self.mp3_rate // self.sample_rate for raw in raws]
        limit = self.target.true_peak_dbtp - PEAK_HEADROOM_DB
        book_peak = checked_book(mp3, frames, self.mp3_rate)
        if book_peak <= limit:
            return None  # Every chapter is under the limit: one pass over the book tells.
        peaks, _samples = measure_chapters(mp3, frames, self.mp3_rate)
        for i, peak in enumerate(peaks):
            excess = peak - limit
            if excess > 0:
                drops[i] = round(drops[i] + excess + PEAK_HEADROOM_DB, 1)
                write_entry(
                    self._drop_file(raws[i]), json.dumps({"ceiling_drop_db": drops[i]}).encode()
                )
        return book_peak

    def cut(self, mp3: Path) -> None:
        """Every chapter MP3, cut out of the book's frames."""
        # Imported here: numpy costs 0.1-0.3 s to load, and a rebuild with nothing to cut, or
        # any other command, need not pay it.
        from audioleaflet.audio.mp3cut import cut_chapter, read_book

        frames = read_book(mp3)
        for path, timing in zip(self.files.chapters, self.timings, strict=True):
            start = timing.start_ms * self.mp3_rate // 1000
            end = timing.end_ms * self.mp3_rate // 1000
            with cache_entry(path) as tmp:
                cut_chapter(mp3, frames, start, end, tmp)


def checked_book(mp3: Path, frames: list[int], rate: int) -> float:
    """The true peak of a book MP3 just encoded at `rate`, after checking that it decodes to its
    full length (chapters of `frames` samples).

    The book is stored only after this check, and every later use checks its bytes against the
    checksum written then, so one taken from the cache needs no decoding to be trusted.
    """
    peak, samples = measure_peak(mp3, rate)
    if abs(samples - sum(frames)) > MP3_FRAME_SAMPLES:
        raise ToolError(
            f"the book MP3 decodes to {samples} samples, not {sum(frames)}: ffmpeg wrote it "
            "incompletely (is the disk full?)"
        )
    return peak
