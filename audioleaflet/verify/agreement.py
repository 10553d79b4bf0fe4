"""Whether the audio is what the build says it is (`audio/compare.py`): speech under every cue of
the book's transcript and silence in every pause between cues, and each chapter file the same
audio as its chapter of the book. These catch what a damaged clip or cache entry produced
(issue 17): audio out of step with its transcript, and files that differ although their lengths
are right."""

from __future__ import annotations

import itertools
import statistics
from pathlib import Path
from typing import TYPE_CHECKING

from mutagen import MutagenError

from audioleaflet.audio.meter import AudioMeasure
from audioleaflet.layout import LeafletLayout
from audioleaflet.outputs.transcripts import read_webvtt
from audioleaflet.verify.audio_files import CHAPTER_END_MS, chapter_marks, decode_verdict
from audioleaflet.verify.rows import CheckResult, Decoded, clock, level

if TYPE_CHECKING:
    # Imported where the audio is compared: numpy takes 0.1 s to load, and the CLI imports this
    # module for every command.
    from audioleaflet.audio import compare

# Speech under the transcript: measured on builds of content/ and the shared leaflets, every cue
# lies within 2 dB of the median cue's level, and every pause decodes to digital silence once
# its first and last 50 ms (where MP3 frames overlap speech) are left out. A book assembled from
# a truncated clip (issue 17) had cues 18 dB below the median and speech at -22 dBFS in pauses.
CUE_BELOW_MEDIAN_DB = 12.0
"""A cue this far below the median cue has no speech under it."""
SILENT_CUE_DBFS = -60.0
"""A cue this quiet has no speech under it, whatever the others do."""
PAUSE_EDGE_MS = 50
PAUSE_SOUND_DBFS = -50.0
"""A pause between cues louder than this holds sound that the transcript does not show."""
# A chapter file against its span of the book: separately encoded MP3s differ by their coding
# noise, whose loudest 250 ms window measured 17.5 dB below the book's level (content/ and the
# shared leaflets); silence or other speech in its place differs at about the book's level.
CHAPTER_WINDOW_MS = 250
CHAPTER_DIFFERENCE_DB = 8.0
"""A window of the difference this close to the book's level is not coding noise."""


def agreement(
    decoded: Decoded, leaflet: LeafletLayout, chapters: list[Path]
) -> dict[Path, CheckResult]:
    """The rows saying whether the book's audio agrees with its transcript (keyed by the VTT)
    and with each chapter file (keyed by the file). `decoded` must hold the PCM of the book and
    of `chapters`. A file that did not decode is left out: its decode row says so already."""
    from audioleaflet.audio import compare

    book = leaflet.book
    measure = decoded.measures[book]
    if not decode_verdict(measure)[0]:
        return {}
    name = decoded.name(book)
    audio = compare.samples(measure.pcm)
    envelope = compare.Envelope.of(audio)
    rows: dict[Path, CheckResult] = {}
    vtt = leaflet.transcript
    try:
        cues = read_webvtt(vtt.read_text(encoding="utf-8")) if vtt.is_file() else []
    except (OSError, UnicodeDecodeError, ValueError):
        cues = []  # Its own row reports it.
    if cues:
        rows[vtt] = CheckResult(name, "speech", *speech_verdict(envelope, cues, vtt.name))
    try:
        marks = chapter_marks(book)
    except (ValueError, MutagenError):
        marks = []  # The book's chapters row reports it.
    book_level = envelope.level()
    for chapter in chapters:
        chapter_measure = decoded.measures[chapter]
        if marks and decode_verdict(chapter_measure)[0]:
            verdict = same_as_book(audio, book_level, marks, chapter, chapter_measure, name)
            rows[chapter] = CheckResult(decoded.name(chapter), "same as book", *verdict)
    return rows


def speech_verdict(
    envelope: compare.Envelope, cues: list[tuple[int, int]], vtt: str
) -> tuple[bool, str]:
    """Speech under every cue of the transcript, and silence in every pause between them."""
    inside = [(start, end) for start, end in cues if end <= envelope.length_ms]
    if not inside:
        return False, f"no cue of {vtt} lies inside the audio"
    levels = [envelope.level(start, end) for start, end in inside]
    median = statistics.median(levels)
    for number, ((start, end), cue_level) in enumerate(zip(inside, levels, strict=True), 1):
        if cue_level < median - CUE_BELOW_MEDIAN_DB or cue_level < SILENT_CUE_DBFS:
            return False, (
                f"no speech under cue {number} of {vtt} ({clock(start)}-{clock(end)}): "
                f"{cue_level:.0f} dBFS, the cues' median {median:.0f} dBFS"
            )
    pauses = _pause_levels(envelope, inside)
    for number, start, end, pause_level in pauses:
        if pause_level > PAUSE_SOUND_DBFS:
            return False, (
                f"sound in the pause after cue {number} of {vtt} ({clock(start)}-{clock(end)}): "
                f"{pause_level:.0f} dBFS; the audio is out of step with the transcript"
            )
    loudest = f" (loudest: {level(max(pause[3] for pause in pauses))})" if pauses else ""
    return True, (
        f"speech under all {len(inside)} cues of {vtt} (median {median:.0f} dBFS, "
        f"lowest {min(levels):.0f}), {len(pauses)} pauses silent{loudest}"
    )


def _pause_levels(
    envelope: compare.Envelope, cues: list[tuple[int, int]]
) -> list[tuple[int, int, int, float]]:
    """(number of the cue before it, start, end, level) of each pause between cues long
    enough to measure without its edges, where MP3 frames overlap speech."""
    from audioleaflet.audio import compare

    pauses = []
    for number, ((_, start), (end, _)) in enumerate(itertools.pairwise(cues), 1):
        if end - start >= 2 * PAUSE_EDGE_MS + compare.WINDOW_MS:
            pause = envelope.inner_level(start + PAUSE_EDGE_MS, end - PAUSE_EDGE_MS)
            pauses.append((number, start, end, pause))
    return pauses


def same_as_book(
    book: compare.Samples,
    book_level: float,
    marks: list[tuple[float, float]],
    chapter: Path,
    measure: AudioMeasure,
    book_name: str,
) -> tuple[bool, str]:
    """A chapter file `NN-title.mp3` against chapter NN of the book, aligned on its mark."""
    from audioleaflet.audio import compare

    number_text = chapter.name.split("-", 1)[0]
    if not number_text.isdigit() or not 1 <= int(number_text) <= len(marks):
        return False, f"not one of the {len(marks)} chapters of {book_name} (NN-title.mp3)"
    number = int(number_text)
    start, end = (round(t) for t in marks[number - 1])
    what = f"chapter {number} of {book_name}"
    audio = compare.samples(measure.pcm)
    length_ms = len(audio) * 1000 // compare.RATE
    if abs(length_ms - (end - start)) > CHAPTER_END_MS:
        return False, f"lasts {clock(length_ms)}, {what} {clock(end - start)}"
    if end > len(book) * 1000 // compare.RATE + CHAPTER_END_MS:
        return False, f"{what} ends at {clock(end)}, after the book's audio"
    worst = compare.worst_difference(book, start, audio, CHAPTER_WINDOW_MS)
    if worst.level_dbfs > book_level - CHAPTER_DIFFERENCE_DB:
        return False, (
            f"differs from {what} {clock(worst.at_ms)} into the file: the difference is "
            f"{worst.level_dbfs:.0f} dBFS, the book {book_level:.0f} dBFS"
        )
    return True, (
        f"the audio of {what}, {clock(start)}-{clock(end)} "
        f"(largest difference: {level(worst.level_dbfs)})"
    )
