"""Each MP3 and M4B as a player meets it: it decodes completely and is not silent, its chapters
cover it (books and audiobooks), and it measures at the loudness target with true peak below
the ceiling."""

from __future__ import annotations

import math
from collections.abc import Iterator
from pathlib import Path

from mutagen import MutagenError

from audioleaflet.audio.m4b import read_m4b_chapters
from audioleaflet.audio.meter import SILENT_LUFS, AudioMeasure
from audioleaflet.audio.tags import read_mp3_chapters
from audioleaflet.config.audio import DEFAULT_TARGET, LoudnessTarget
from audioleaflet.errors import LeafletError
from audioleaflet.verify.rows import CheckResult, clock

TOLERANCE_LU = 1.0
CHAPTER_END_MS = 50
"""How far the last chapter may end from the decoded end of the audio."""


def decode_verdict(measure: AudioMeasure) -> tuple[bool, str]:
    """Whether the file decoded completely, to something that is not silence."""
    if measure.errors:
        more = f" (and {len(measure.errors) - 1} more)" if len(measure.errors) > 1 else ""
        return False, f"decoding error: {measure.errors[0]}{more}"
    if measure.decoded_ms is None:
        return False, "decoded no audio"
    allowed = CHAPTER_END_MS + measure.gapless_ms
    if measure.stated_ms is not None and measure.decoded_ms < measure.stated_ms - allowed:
        return False, (
            f"truncated: decodes to {clock(measure.decoded_ms)}, "
            f"its header says {clock(measure.stated_ms)}"
        )
    lufs = measure.integrated_lufs
    if lufs is None or not math.isfinite(lufs) or lufs <= SILENT_LUFS:
        return False, f"silent ({lufs} LUFS)"
    return True, f"decodes completely, {clock(measure.decoded_ms)}"


def audio_rows(
    name: str,
    path: Path,
    measure: AudioMeasure,
    has_chapters: bool,
    target: LoudnessTarget = DEFAULT_TARGET,
    tolerance: float = TOLERANCE_LU,
) -> Iterator[CheckResult]:
    """The decode, chapters (when `has_chapters`) and loudness rows of one audio file."""
    yield CheckResult(name, "decode", *decode_verdict(measure))
    if measure.decoded_ms is None:
        return
    if has_chapters:
        yield CheckResult(name, "chapters", *chapters_verdict(path, measure.decoded_ms))
    lufs, true_peak = measure.integrated_lufs, measure.true_peak_dbtp
    if lufs is None or true_peak is None:
        yield CheckResult(name, "loudness", False, "ebur128 gave no measurement")
        return
    figures = f"{lufs:.1f} LUFS, true peak {true_peak:.1f} dBTP"
    faults = []
    if not abs(lufs - target.integrated_lufs) <= tolerance:
        faults.append(f"loudness outside {target.integrated_lufs:g} ± {tolerance:g} LU")
    if not true_peak <= target.true_peak_dbtp:
        faults.append(f"true peak above {target.true_peak_dbtp:g} dBTP")
    yield CheckResult(name, "loudness", not faults, "; ".join([figures, *faults]))


def chapter_marks(path: Path) -> list[tuple[float, float]]:
    """(start, end) in ms of each chapter, as players read them: from an MP3's table of contents
    (nested CTOCs included: a chapter missing from it would be missing from the chapter list),
    from an M4B's chapter track."""
    if path.suffix == ".mp3":
        return [(float(c.start_ms), float(c.end_ms)) for c in read_mp3_chapters(path)]
    return read_m4b_chapters(path)


def chapters_verdict(path: Path, decoded_ms: float) -> tuple[bool, str]:
    """Whether the chapters are there, contiguous from 0, and end where the audio does."""
    try:
        marks = chapter_marks(path)
    except (LeafletError, ValueError, MutagenError) as exc:
        return False, f"chapters unreadable: {exc}"
    if not marks:
        return False, "no chapters"
    expected = 0.0
    for number, (start, end) in enumerate(marks, start=1):
        if start != expected:
            return False, f"chapter {number} starts at {clock(start)}, not {clock(expected)}"
        if end <= start:
            return False, f"chapter {number} ends at {clock(end)}, before it starts"
        expected = end
    if abs(expected - decoded_ms) > CHAPTER_END_MS:
        return False, f"chapters end at {clock(expected)}, the audio at {clock(decoded_ms)}"
    return True, f"{len(marks)} chapters, contiguous, end at {clock(expected)}"
