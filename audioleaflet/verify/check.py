"""Checking a built output folder the way listeners, podcast apps and DAISY players meet it.

`check_output` looks at every file a build publishes (found by the output layout, `layout.py`)
and returns one row per check: the audio (`audio_files.py`), whether it agrees with the
transcript and the chapter files (`agreement.py`), the feeds (`feeds.py`), the transcripts and
chapters JSON (`companions.py`) and every DAISY book (`daisy.py`).

Each audio file is decoded once (`audio/meter.py`), in parallel threads (ffmpeg does the work);
for books and chapter files the same decode also gives the low-rate PCM that is compared.
"""

from __future__ import annotations

import os
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import replace
from pathlib import Path

from audioleaflet.audio.ffmpeg_check import require_usable_ffmpeg
from audioleaflet.audio.meter import AudioMeasure, measure_audio
from audioleaflet.config.audio import DEFAULT_TARGET, LoudnessTarget
from audioleaflet.errors import OutputError
from audioleaflet.layout import LeafletLayout, OutputLayout
from audioleaflet.verify.agreement import agreement
from audioleaflet.verify.audio_files import TOLERANCE_LU, audio_rows
from audioleaflet.verify.companions import chapters_json_row, transcript_row
from audioleaflet.verify.daisy import daisy_rows, validate_daisy
from audioleaflet.verify.feeds import feed_rows
from audioleaflet.verify.rows import CheckResult, Decoded

_AUDIO_SUFFIXES = (".mp3", ".m4b")


def check_output(
    folder: Path, target: LoudnessTarget = DEFAULT_TARGET, tolerance_lu: float = TOLERANCE_LU
) -> list[CheckResult]:
    """Every check of the built output `folder`, one row each; raises if there is no output."""
    if not folder.is_dir():
        raise OutputError(f"{folder} is not a folder: build into it first")
    # Feed links resolve to absolute paths; the rows name files relative to this folder.
    layout = OutputLayout(folder.resolve())
    # Hidden entries are not published: a build's staging folder, or the old copy it is
    # deleting, may stand there half-made.
    audio = [p for p in layout.published() if p.suffix in _AUDIO_SUFFIXES]
    feeds = layout.feeds()
    if not audio and not feeds:
        raise OutputError(f"{folder} holds no built audio or feeds: build into it first")
    require_usable_ffmpeg()
    decoded, agreed, daisy_problems = _decode(layout, audio)
    rows: list[CheckResult] = []
    for path, measure in decoded.measures.items():
        has_chapters = path.suffix == ".m4b" or layout.is_book(path)
        rows += audio_rows(decoded.name(path), path, measure, has_chapters, target, tolerance_lu)
        rows += [agreed[path]] if path in agreed else []
    for feed in feeds:
        rows += feed_rows(decoded, feed)
    for lang_dir in layout.languages():
        for vtt in sorted(lang_dir.glob("*.vtt")):
            rows.append(transcript_row(decoded, vtt))
            rows += [agreed[vtt]] if vtt in agreed else []
        rows += [transcript_row(decoded, srt) for srt in sorted(lang_dir.glob("*.srt"))]
        rows += [chapters_json_row(decoded, c) for c in sorted(lang_dir.glob("*.chapters.json"))]
    for book, problems in daisy_problems.items():
        rows += daisy_rows(decoded.name(book), problems)
    return rows


def _decode(
    layout: OutputLayout, audio: list[Path]
) -> tuple[Decoded, dict[Path, CheckResult], dict[Path, list[str]]]:
    """Every audio file decoded once; the agreement rows of each book; each DAISY book's
    problems (its MP3s' lengths taken from the decodes)."""
    books = [LeafletLayout.owning(path) for path in audio if layout.is_book(path)]
    chapter_files = {b.book: sorted(b.chapter_folder.glob("*.mp3")) for b in books if b}
    # A book and its chapter files are decoded first and with their PCM, which is compared as
    # soon as they are all there and then dropped: memory holds a few books' audio at a time.
    order = [path for book, chapters in chapter_files.items() for path in (book, *chapters)]
    with_pcm = set(order)
    order += [path for path in audio if path not in with_pcm]
    workers = min(32, (os.cpu_count() or 2) * 2)
    with ThreadPoolExecutor(max_workers=workers) as pool:
        futures = {path: pool.submit(measure_audio, path, path in with_pcm) for path in order}
        done, agreed = _compare_books(layout.root, futures, chapter_files)
        done |= {path: future.result() for path, future in futures.items()}
        decoded = Decoded(layout.root, {path: done[path] for path in audio})
        daisies = layout.daisy_books()
        problems = pool.map(lambda book: validate_daisy(book, decoded.audio_ms), daisies)
        return decoded, agreed, dict(zip(daisies, problems, strict=True))


def _compare_books(
    root: Path, futures: dict[Path, Future[AudioMeasure]], chapter_files: dict[Path, list[Path]]
) -> tuple[dict[Path, AudioMeasure], dict[Path, CheckResult]]:
    """Each book's agreement rows as soon as it and its chapter files are decoded; the
    measures, without their PCM, taken out of `futures`."""
    done: dict[Path, AudioMeasure] = {}
    agreed: dict[Path, CheckResult] = {}
    for book, chapters in chapter_files.items():
        group = {path: futures.pop(path).result() for path in (book, *chapters)}
        leaflet = LeafletLayout.owning(book)
        assert leaflet is not None  # a book is named by its suffix
        agreed |= agreement(Decoded(root, group), leaflet, chapters)
        done |= {path: replace(measure, pcm=b"") for path, measure in group.items()}
    return done, agreed
