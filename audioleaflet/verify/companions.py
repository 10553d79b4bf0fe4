"""The transcripts and the chapters JSON: each parses strictly (with the readers that sit beside
their writers) and ends inside its book's audio."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path

from audioleaflet.layout import LeafletLayout
from audioleaflet.outputs.chapters_json import read_chapters_json
from audioleaflet.outputs.transcripts import read_srt, read_webvtt
from audioleaflet.verify.rows import CheckResult, Decoded, clock

TRANSCRIPT_END_MS = 5
"""How far the last cue or chapter start may lie after the decoded end of the audio."""
Reader = Callable[[str], list[tuple[int, int]]]
"""A transcript reader: the cues' (start ms, end ms), or ValueError."""
READERS: dict[str, Reader] = {".vtt": read_webvtt, ".srt": read_srt}


def transcript_row(decoded: Decoded, path: Path) -> CheckResult:
    """A WebVTT or SRT transcript parses, has cues, and its last cue ends inside the audio."""
    name, kind = decoded.name(path), path.suffix.lstrip(".")
    try:
        cues = READERS[path.suffix](path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, ValueError) as exc:
        return CheckResult(name, kind, False, f"does not parse: {exc}")
    if not cues:
        return CheckResult(name, kind, False, "no cues")
    return _ends_inside(decoded, name, kind, _book_of(path), cues[-1][1], len(cues))


def chapters_json_row(decoded: Decoded, path: Path) -> CheckResult:
    """A chapters JSON is valid and its chapters lie inside the audio."""
    name, kind = decoded.name(path), "chapters-json"
    try:
        times = read_chapters_json(json.loads(path.read_text(encoding="utf-8")))
    except (OSError, UnicodeDecodeError, ValueError) as exc:
        return CheckResult(name, kind, False, f"invalid: {exc}")
    last = max([times[-1][0], *(end for _start, end in times if end is not None)])
    return _ends_inside(decoded, name, kind, _book_of(path), last, len(times))


def _book_of(path: Path) -> Path:
    leaflet = LeafletLayout.owning(path)
    assert leaflet is not None  # found by its suffix
    return leaflet.book


def _ends_inside(
    decoded: Decoded, name: str, kind: str, book: Path, last_ms: float, count: int
) -> CheckResult:
    length = decoded.audio_ms(book)
    what = f"{count} {'cues' if kind != 'chapters-json' else 'chapters'}"
    if length is None:
        return CheckResult(name, kind, False, f"{what}, but {decoded.name(book)} is unusable")
    if last_ms > length + TRANSCRIPT_END_MS:
        detail = f"ends at {clock(last_ms)}, after the audio ({clock(length)})"
        return CheckResult(name, kind, False, detail)
    return CheckResult(name, kind, True, f"{what}, last at {clock(last_ms)}")
