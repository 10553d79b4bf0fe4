"""Podcasting 2.0 chapters (`<podcast:chapters type="application/json+chapters">`), version 1.2.0.

The format (podcast-namespace `chapters/jsonChapters.md`) needs only `version` and `chapters`,
each chapter only `startTime` in seconds; we also give `endTime` and `title`, since our chapter
ends are exact and apps show the title. The bytes depend on nothing but the arguments (fixed key
order, no clock), so an unchanged leaflet gives an unchanged file and feed readers see no change.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from pathlib import Path

from audioleaflet.atomic import write_bytes
from audioleaflet.model import ChapterTiming

VERSION = "1.2.0"


def _seconds(ms: int) -> int | float:
    # Whole seconds as integers (`0`, not `0.0`), as the spec's own examples write them;
    # ms / 1000 is the float nearest the decimal, so it prints with at most three decimals.
    return ms // 1000 if ms % 1000 == 0 else ms / 1000


def chapters_json(
    timings: Sequence[ChapterTiming],
    *,
    title: str | None = None,
    podcast_name: str | None = None,
    author: str | None = None,
    file_name: str | None = None,
) -> bytes:
    """The chapters file's bytes: UTF-8 JSON, letters as themselves (`æ`, not `\\u00e6`).

    Keys come in the order the spec lists them; the optional top-level ones only when given.
    """
    document: dict[str, object] = {"version": VERSION}
    optional = {
        "author": author,
        "title": title,
        "podcastName": podcast_name,
        "fileName": file_name,
    }
    document.update({key: value for key, value in optional.items() if value})
    # The spec assumes chapters in ascending startTime; the timing model already is.
    document["chapters"] = [
        {
            "startTime": _seconds(chapter.start_ms),
            "endTime": _seconds(chapter.end_ms),
            "title": chapter.title,
        }
        for chapter in timings
    ]
    return (json.dumps(document, ensure_ascii=False, indent=2) + "\n").encode("utf-8")


def write_chapters_json(
    dest: Path,
    timings: Sequence[ChapterTiming],
    *,
    title: str | None = None,
    podcast_name: str | None = None,
    author: str | None = None,
    file_name: str | None = None,
) -> None:
    """Write the chapters file to `dest` atomically."""
    data = chapters_json(
        timings, title=title, podcast_name=podcast_name, author=author, file_name=file_name
    )
    write_bytes(dest, data)


def read_chapters_json(document: object) -> list[tuple[float, float | None]]:
    """A parsed chapters JSON's (start, end) times in ms, checked (for `check`); an end is None
    when the chapter gives none. ValueError says what is wrong."""
    if not isinstance(document, dict):
        raise ValueError("not a JSON object")
    if document.get("version") != VERSION:
        raise ValueError(f"version {document.get('version')!r}, not {VERSION!r}")
    chapters = document.get("chapters")
    if not isinstance(chapters, list) or not chapters:
        raise ValueError("no chapters")
    times: list[tuple[float, float | None]] = []
    for number, chapter in enumerate(chapters, start=1):
        start = chapter.get("startTime") if isinstance(chapter, dict) else None
        end = chapter.get("endTime") if isinstance(chapter, dict) else None
        if not isinstance(start, int | float) or isinstance(start, bool) or start < 0:
            raise ValueError(f"chapter {number} has startTime {start!r}")
        if end is not None and (not isinstance(end, int | float) or end < start):
            raise ValueError(f"chapter {number} has endTime {end!r}")
        if times and start * 1000 <= times[-1][0]:
            raise ValueError(f"chapter {number} starts at {start}s, not after the one before")
        times.append((start * 1000, None if end is None else end * 1000))
    return times
